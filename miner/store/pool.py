"""Queries from outside run in worker processes that can be killed at their time limit.

Oxigraph cannot cancel a running query, so a thread left running a cross product would hold a core
and memory until it ends by itself. Here each query runs in a worker process that opens the store
read-only (its own handle, so a writer elsewhere never sees it); a query past its limit gets its
worker killed and replaced, while the other workers go on answering. The parent checks the query
(:func:`miner.store.query.check_query`) before it uses a worker, so refused queries cost nothing.

A worker reopens the store when its folder changed (a file added, grown or removed: a `miner
build` wrote), so readers see the graph as it was before a write or after it, never a mix: each
query reads one RocksDB snapshot. Results cross the pipe as plain tuples (terms) or N-Triples
(CONSTRUCT), never as pickled Oxigraph objects.

>>> import tempfile
>>> from miner.store.local import open_store, replace_graphs
>>> folder = tempfile.mkdtemp()
>>> store = open_store(folder)
>>> replace_graphs(store, {"https://e/g": [("https://e/s", "https://e/p", "1")]})
1
>>> del store
>>> with QueryPool(folder, size=1) as pool:
...     pool.run("SELECT ?o WHERE { ?s ?p ?o }").values()
[('1',)]
"""

from __future__ import annotations

import os
import queue
import resource
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from miner.errors import MinerError, UsageError
from miner.store.local import open_store, run_query
from miner.store.query import QueryError, QueryRefused, QueryResult, QueryTimeout, check_query

__all__ = ["QueryPool", "PoolSettings", "query_store"]


@dataclass(frozen=True)
class PoolSettings:
    """How many query workers, and how much memory each may add to what it inherited."""

    size: int = 2
    """Workers, so queries answered at once: one per core of the team's 2-core machines."""
    max_memory_mb: int = 2048
    """Address space a worker may add: a runaway ORDER BY fails with an error instead of swapping."""


_ERRORS = {"QueryRefused": QueryRefused, "QueryError": QueryError, "UsageError": UsageError,
           "QueryTimeout": QueryTimeout}


def _signature(path: str) -> tuple[Any, ...]:
    """What changes when a writer touches the store: names, sizes and times of its files."""
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)))
    except OSError:
        return ()


def _encode(term: Any) -> Any:
    kind = type(term).__name__
    if term is None:
        return None
    if kind == "NamedNode":
        return ("I", term.value)
    if kind == "BlankNode":
        return ("B", term.value)
    if kind == "Literal":
        return ("L", term.value, term.datatype.value, term.language)
    return ("L", str(term), "http://www.w3.org/2001/XMLSchema#string", None)  # quoted triple, shown as text


def _decode(item: Any) -> Any:

    if item is None:
        return None
    if item[0] == "I":
        return ox.NamedNode(item[1])
    if item[0] == "B":
        return ox.BlankNode(item[1])
    if item[3]:
        return ox.Literal(item[1], language=item[3])
    return ox.Literal(item[1], datatype=ox.NamedNode(item[2]))


def _worker(path: str, conn: Connection, max_memory_mb: int) -> None:
    """Serve queries on ``conn`` until it closes: (text, max_rows, bindings) → (status, payload)."""


    try:
        with open("/proc/self/statm") as handle:
            inherited = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = inherited + max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):
        pass  # the time limit still holds
    store, seen = None, None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        text, max_rows, bindings = message
        try:
            for attempt in (1, 2):
                signature = _signature(path)
                if store is None or signature != seen:
                    store, seen = None, None
                    store, seen = open_store(path, read_only=True), signature
                try:
                    result = run_query(store, text, timeout=None, max_rows=max_rows, bindings=bindings)
                    break
                except MinerError as exc:
                    if attempt == 2 or not isinstance(exc.__context__, OSError):
                        raise
                    store = None  # a file compacted away under an old handle: reopen once
            payload: dict[str, Any] = {"form": result.form, "variables": result.variables,
                                       "boolean": result.boolean, "truncated": result.truncated}
            if result.form in ("CONSTRUCT", "DESCRIBE"):
                payload["nt"] = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES) or b""
            else:
                payload["rows"] = [tuple(_encode(t) for t in row) for row in result.rows]
            conn.send(("ok", payload))
        except MinerError as exc:
            conn.send(("error", (type(exc).__name__, str(exc))))
        except MemoryError:
            store = None
            conn.send(("error", ("MinerError", f"query needs more than {max_memory_mb} MB of memory; narrow it")))
        except Exception as exc:  # noqa: BLE001 - a worker must answer, whatever the query did
            conn.send(("error", ("MinerError", f"query failed ({type(exc).__name__}: {exc})")))


class _Worker:
    """A worker is a fresh interpreter (``python -m miner.store.pool``), not a fork: a threaded
    server cannot fork safely, and a fresh process imports only pyoxigraph and miner.store.local."""

    def __init__(self, path: str, settings: PoolSettings):

        mine, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "miner.store.pool", str(theirs.fileno()), path, str(settings.max_memory_mb)],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env, close_fds=True,
        )
        theirs.close()
        self.conn = Connection(mine.detach())

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            try:
                self.process.wait(2)
            except Exception:  # noqa: BLE001 - TimeoutExpired: killed below
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.conn.close()


class QueryPool:
    """Worker processes answering read-only queries on the store at ``path``."""

    def __init__(self, path: str | Path, settings: PoolSettings | None = None, *, size: int | None = None):
        path = Path(path)
        if not path.is_dir():
            raise UsageError(f"no store at {path}; build one first with `miner build INPUT... --store {path}`")
        self.path = str(path)
        self.settings = settings or PoolSettings()
        if size is not None:
            self.settings = PoolSettings(size=size, max_memory_mb=self.settings.max_memory_mb)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self.killed = 0
        for _ in range(self.settings.size):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.path, self.settings)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _drop(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self.killed += 1

    def run(self, text: str, *, timeout: float | None = 30.0, max_rows: int | None = 10_000,
            bindings: dict[str, Any] | None = None, wait: float | None = None) -> QueryResult:
        """Check the query, run it in a free worker; past ``timeout`` s the worker is killed.

        ``wait`` is how long to wait for a free worker (None: as long as it takes).
        """
        check_query(text)
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryTimeout("all query workers are busy; retry shortly") from None
        healthy = False
        try:
            try:
                worker.conn.send((text, max_rows, bindings))
                if not worker.conn.poll(timeout):
                    raise QueryTimeout(f"query ran past its time limit of {timeout:g} s and was stopped")
                status, payload = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                raise MinerError("the query worker died (out of memory?); the query was stopped") from None
            healthy = True
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._drop(worker)
                self._add()
        if status == "error":
            kind, message = payload
            raise _ERRORS.get(kind, MinerError)(message)
        return _result(payload)

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()

    def __enter__(self) -> "QueryPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _result(payload: dict[str, Any]) -> QueryResult:

    result = QueryResult(payload["form"], payload["variables"], boolean=payload["boolean"],
                         truncated=payload["truncated"])
    if "nt" in payload:
        result.triples = [q.triple for q in ox.parse(payload["nt"], format=ox.RdfFormat.N_TRIPLES)] if payload["nt"] else []
    else:
        result.rows = [tuple(_decode(t) for t in row) for row in payload["rows"]]
    return result


def query_store(path: str | Path, text: str, *, timeout: float | None = 30.0, max_rows: int | None = 10_000,
                bindings: dict[str, Any] | None = None) -> QueryResult:
    """One query in one killable worker (what `miner query` does)."""
    with QueryPool(path, size=1) as pool:
        return pool.run(text, timeout=timeout, max_rows=max_rows, bindings=bindings)


if __name__ == "__main__":  # a worker: python -m miner.store.pool FD STORE MAX_MEMORY_MB
    import sys

    _worker(sys.argv[2], Connection(int(sys.argv[1])), int(sys.argv[3]))
