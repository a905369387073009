"""Content digests of input files: a document is named by its sha256 everywhere (graphs, caches)."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["sha256_file"]

CHUNK = 1 << 20
"""Bytes read at a time: large PDFs are hashed without holding them in memory."""


def sha256_file(path: str | Path) -> str:
    """The hex sha256 of a file's bytes.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(delete=False) as f: _ = f.write(b"abc")
    >>> sha256_file(f.name)[:12]
    'ba7816bf8f01'
    >>> os.unlink(f.name)
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
