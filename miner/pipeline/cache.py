"""Content-hash cache of step results, per document and step.

A key is the hash of everything a result depends on: the step's versioned name, miner's version,
the step's parameters and the input's own sha256. An unchanged document under unchanged settings
hits; anything else misses. Entries are written atomically (temp file, fsync, rename), so an
interrupted run leaves either the old entry or the new one; an entry that does not parse is
treated as a miss and removed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from miner import __version__
from miner.atomic import write_text_atomic

__all__ = ["Cache", "cache_key"]


def cache_key(step: str, params: Any, *parts: str) -> str:
    """A stable key for a step's result on some inputs.

    >>> cache_key("miner.extract.v1", {"a": 1}, "abc") == cache_key("miner.extract.v1", {"a": 1}, "abc")
    True
    >>> cache_key("miner.extract.v1", {"a": 1}, "abc") == cache_key("miner.extract.v1", {"a": 2}, "abc")
    False
    """
    if hasattr(params, "model_dump"):
        params = params.model_dump(mode="json")
    blob = json.dumps([step, __version__, params, list(parts)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Cache:
    """A folder of ``<step>/<key>.json`` entries. ``enabled=False`` makes every lookup miss."""

    def __init__(self, root: str | Path, *, enabled: bool = True):
        self.root = Path(root)
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _path(self, step: str, key: str) -> Path:
        return self.root / step / f"{key}.json"

    def get(self, step: str, key: str) -> str | None:
        """The cached text, or None. A corrupt entry is removed and counts as a miss."""
        if not self.enabled:
            self.misses += 1
            return None
        path = self._path(step, key)
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, step: str, key: str, text: str) -> None:
        write_text_atomic(self._path(step, key), text)
