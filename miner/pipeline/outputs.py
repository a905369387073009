"""Whose outputs a folder holds: a build's pages, exports and cache are its store's, never another's.

`miner build` writes its pages (network, comparisons), exports and cache into one folder, by
default the store folder's parent (``graphs/`` for ``graphs/store``). Two stores built into the
same folder would silently replace each other's pages, so the folder records which store it
serves (``.miner-store``) and a build for another store is refused unless ``--force`` (or
``--out`` names another folder).
"""

from __future__ import annotations

from pathlib import Path

from miner.atomic import write_text_atomic
from miner.errors import UsageError

__all__ = ["MARK", "claim_outputs", "owner_of"]

MARK = ".miner-store"
"""The file in an outputs folder naming the store its pages and exports were built from."""


def owner_of(out: Path) -> Path | None:
    """The store whose outputs ``out`` holds, if it says."""
    try:
        text = (Path(out) / MARK).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def claim_outputs(out: Path, store: Path, *, force: bool = False) -> None:
    """Make ``out`` the outputs folder of ``store``; refused when it holds another store's outputs
    (a store that no longer exists has no outputs left to protect)."""
    out, store = Path(out).absolute(), Path(store).absolute()
    owner = owner_of(out)
    if owner is not None and owner != store and owner.exists() and not force:
        raise UsageError(
            f"{out} holds the pages and exports of the store {owner}; building {store} there would "
            f"replace them. Give --out ANOTHER_FOLDER (e.g. {out / store.name}), or --force to replace them"
        )
    out.mkdir(parents=True, exist_ok=True)
    if owner != store:
        write_text_atomic(out / MARK, f"{store}\n")
