"""A worker's one-line error tells the memory cap, the time limit and corruption apart, and no
library line reaches stderr outside the ``error: FILE: reason`` form (issue 24)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import warnings
import zlib
from pathlib import Path

import hostile
from timeouts import scaled

from miner.read.isolate import Limits, run_isolated

ROOT = Path(__file__).resolve().parents[2]


def text_bomb(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream shows one string of ``megabytes`` MB of text, deflated
    to about 1 KB per MB. Built without deflating the whole: after a full flush a deflate block of
    the same megabyte is always the same bytes, so it is repeated; the checksum is computed alone."""
    chunk = b"a" * 2**20
    head, tail = b"BT /F1 12 Tf 72 720 Td (", b") Tj ET\n"
    deflate = zlib.compressobj(9)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(head)
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    checksum = zlib.adler32(tail, checksum)
    data = start + first + again * (megabytes - 1) + end + b"\x03\x00" + checksum.to_bytes(4, "big")
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    return hostile.write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            hostile.stream(data, b"/Filter /FlateDecode "),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
        path,
    )


def test_the_text_bomb_inflates_to_what_it_says(tmp_path):
    pdf = text_bomb(tmp_path / "small.pdf", 3).read_bytes()
    data = pdf[pdf.index(b"stream\n") + len(b"stream\n") : pdf.index(b"\nendstream")]
    assert zlib.decompress(data) == b"BT /F1 12 Tf 72 720 Td (" + b"a" * (3 * 2**20) + b") Tj ET\n"


def test_a_480_megabyte_text_stream_is_named_as_over_the_memory_cap(tmp_path):
    bomb = text_bomb(tmp_path / "text-stream.pdf", 480)
    assert bomb.stat().st_size < 1_000_000
    done = subprocess.run(
        [sys.executable, "-m", "miner", "extract", str(bomb), "--max-memory", "300", "--timeout", "120"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=scaled(600),
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines == [
        f"error: {bomb}: too large: over the memory cap of 300 MB (its content needs more; a decompression bomb?)"
    ], done.stderr


def causes(key: str) -> str:
    if key == "slow":
        time.sleep(30)
    if key == "zlib-memory":  # what pdfminer does with zlib's Z_MEM_ERROR: a "corrupt" stream
        try:
            raise zlib.error("Error -4 while decompressing data: insufficient memory")
        except zlib.error as exc:
            raise ValueError("corrupt stream") from exc
    if key == "corrupt":
        raise KeyError("Root")
    if key == "chatty":
        logging.getLogger("pdfminer.pdfpage").error("CropBox missing from /Page, defaulting to MediaBox")
        logging.getLogger("pdfminer").warning("Data-loss while decompressing corrupted data")
        warnings.warn("a library's own warning", stacklevel=1)
        os.write(2, b"a C library printing on stderr\n")
        print("a print on stderr", file=sys.stderr)
    return key


def test_memory_time_and_corruption_are_told_apart(capfd):
    keys = ["slow", "zlib-memory", "corrupt", "chatty"]
    outcomes = {o.key: o for o in run_isolated(causes, keys, Limits(timeout=scaled(3), max_memory_mb=256, jobs=2))}
    assert outcomes["slow"].error == f"timed out after {scaled(3):g} s"
    assert outcomes["zlib-memory"].error.startswith("too large: over the memory cap of 256 MB")
    assert outcomes["corrupt"].error.startswith("corrupt or unreadable (KeyError: 'Root'")
    assert outcomes["chatty"].value == "chatty"
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
