"""An in-memory copy of an on-disk store, for query workers allowed the memory to hold it.

On the on-disk store every index lookup and every long string read is a RocksDB seek; pyoxigraph's
in-memory store answers without them (at 1.2 M quads the slowest saved query takes 27 % less CPU,
counts and cycles half; a few joins are slower; bench/bench_queries.py prints both doors). A copy
costs memory, about 390 bytes a quad once loaded and 420 at the load's peak (pyoxigraph 0.5.13,
1.2 M quads), so a worker makes one only when the store's
quads at ``bytes_per_quad`` fit the cap it is given (``PoolSettings.memory_mb``; 0, the
default, never copies; `miner serve` gives it from the memory a user allows, :mod:`miner.store.serving`).

The copy is loaded in a thread from the on-disk snapshot, ``batch`` quads at a time through
pyoxigraph's bulk loader, while queries go on reading the disk. At 1.2 M quads (a store built by
`miner build`'s writes) that holds 450 MB with a peak of 482 MB and 14.6 s of CPU, where a dump of
N-Quads loaded whole peaked at 666 MB for 14.0 s (the bulk loader buffers what it is given) and
renamed every blank node (a query naming one answered differently from memory and from disk);
quads copied as terms keep their labels. The copy is used only while the disk store is as it was
when the copy began (the worker's signature of its files), so an answer never mixes two builds. A
store that changes gets a new copy, loaded the same way, after the old one is freed.

>>> import tempfile, time
>>> import pyoxigraph as ox
>>> from miner.store.local import open_store, replace_graphs
>>> folder = tempfile.mkdtemp()
>>> disk = open_store(folder)
>>> replace_graphs(disk, {"https://e/g": [("https://e/s", "https://e/p", "1")]})
1
>>> copy = MemoryCopy(memory_mb=16, bytes_per_quad=600, batch=1000)
>>> copy.load(disk, "v1")
>>> copy.wait()
True
>>> len(copy.store_for("v1")) == len(disk), copy.store_for("v2") is None
(True, True)
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pyoxigraph as ox

__all__ = ["MemoryCopy"]


class MemoryCopy:
    """The in-memory copy of one store's snapshot, loaded in the background when it fits."""

    def __init__(self, *, memory_mb: int, bytes_per_quad: int, batch: int = 50_000):
        self.cap = memory_mb * 1024 * 1024
        self.bytes_per_quad = bytes_per_quad
        self.batch = batch
        self._lock = threading.Lock()
        self._wanted: tuple[Any, Any] | None = None  # (disk handle, signature) to copy next
        self._copy: tuple[Any, ox.Store] | None = None  # (signature, in-memory store)
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self.skipped: str | None = None
        """Why the last snapshot was not copied (too large for the cap, or the copy failed)."""

    def load(self, disk: Any, signature: Any) -> None:
        """Copy the snapshot ``disk`` reads (its files' ``signature``) in the background."""
        with self._lock:
            if self._copy is not None and self._copy[0] == signature:
                return
            self._copy = None  # the old copy answers for a store that is gone: free it now
            self._wanted = (disk, signature)
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="miner-memory-copy", daemon=True)
                self._thread.start()

    def store_for(self, signature: Any) -> ox.Store | None:
        """The in-memory copy of the snapshot with ``signature``, once loaded; else None (read the disk)."""
        with self._lock:
            copy = self._copy
        return copy[1] if copy is not None and copy[0] == signature else None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no copy is being made (for tests and benches); False at the timeout."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._thread = None
                    self._idle.set()
                    return
            disk, signature = wanted
            copy = self._copy_of(disk)
            with self._lock:
                if copy is not None and self._wanted is None:
                    self._copy = (signature, copy)

    def _copy_of(self, disk: Any) -> ox.Store | None:
        try:
            quads = len(disk)
            if quads * self.bytes_per_quad > self.cap:
                self.skipped = (
                    f"{quads} quads need about {quads * self.bytes_per_quad // 2**20} MB, "
                    f"over the {self.cap // 2**20} MB allowed"
                )
                return None
            memory, quads = ox.Store(), iter(disk)
            while batch := list(itertools.islice(quads, self.batch)):
                memory.bulk_extend(batch)
            self.skipped = None
            return memory
        except (OSError, RuntimeError, ValueError, MemoryError) as exc:  # the disk still answers
            self.skipped = f"the copy failed ({type(exc).__name__}: {exc})"
            return None
