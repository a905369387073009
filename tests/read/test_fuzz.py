"""A short atheris run over the extraction entry point (longer with MINER_FUZZ=1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hostile
import pytest
from timeouts import scaled

atheris = pytest.importorskip("atheris", reason="atheris has wheels for x86_64 Linux only")

HERE = Path(__file__).resolve().parent


def test_fuzz_extraction(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    hostile.small_report(seeds / "report.pdf")
    hostile.looping_xobject(seeds / "loop.pdf")
    runs = 20000 if os.environ.get("MINER_FUZZ") == "1" else 300
    # memory: the cap miner extract gives each file's worker (--max-memory 2048): OCR of a large page
    # legitimately holds a few hundred MB of page images, and the harness runs in one process
    result = subprocess.run(
        [
            sys.executable,
            str(HERE / "fuzz_extract.py"),
            str(seeds),
            f"-runs={runs}",
            "-max_len=65536",
            "-rss_limit_mb=2048",
            f"-timeout={int(scaled(20))}",
            "-seed=1",
        ],
        capture_output=True,
        text=True,
        timeout=scaled(1200),
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent), str(HERE)])},
    )
    tail = (result.stdout + result.stderr)[-3000:]
    assert result.returncode == 0, tail
    assert "Done" in tail, tail
