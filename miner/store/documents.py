"""Which source files a store holds: a small register beside the graph, sha256 → path.

The graph names each document by its digest and file name only (a graph travels; a path does not),
so the pages a fact was read from are found through this register, which ``miner build`` writes
into the store's folder. A file is held only while its bytes still have the recorded digest: a
moved or edited file is "not held", never shown as another document's page.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> record_documents(folder, {"ab" * 32: folder / "a.pdf"})
>>> sorted(read_register(folder)) == ["ab" * 32]
True
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from miner.read.files import sha256_file

__all__ = ["REGISTER", "forget_documents", "held_document", "read_register", "record_documents"]

REGISTER = "documents.json"
"""The register's file name inside the store folder (Oxigraph ignores files it did not write)."""


def read_register(store: Path) -> dict[str, str]:
    """sha256 → absolute path of every document recorded for the store (empty when none)."""
    path = Path(store) / REGISTER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def record_documents(store: Path, documents: Mapping[str, Path]) -> None:
    """Add documents to the register (a digest read again from another place takes the new path)."""
    _write_register(store, read_register(store) | {sha: str(Path(p).absolute()) for sha, p in documents.items()})


def forget_documents(store: Path, digests: Iterable[str]) -> None:
    """Take documents out of the register (``miner remove``): their pages are no longer held."""
    gone = set(digests)
    register = read_register(store)
    if gone & set(register):
        _write_register(store, {sha: path for sha, path in register.items() if sha not in gone})


def _write_register(store: Path, register: Mapping[str, str]) -> None:
    """Written to a temporary file then renamed, so a reader never sees half a register."""
    store = Path(store)
    if not store.is_dir():
        return
    fd, tmp = tempfile.mkstemp(prefix=".documents-", dir=store)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(register, out, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, store / REGISTER)


def held_document(store: Path | None, sha256: str, folders: tuple[Path, ...] = ()) -> Path | None:
    """The file whose bytes have this digest: the recorded one, else a PDF of ``folders`` (searched
    by digest); None when the store does not hold it."""
    candidates: list[Path] = []
    if store is not None:
        recorded = read_register(Path(store)).get(sha256)
        if recorded:
            candidates.append(Path(recorded))
    for folder in folders:
        candidates.extend(sorted(Path(folder).rglob("*.pdf")))
    for path in candidates:
        try:
            if path.is_file() and sha256_file(path) == sha256:
                return path
        except OSError:
            continue
    return None
