"""Queries from outside run in worker processes that can be killed at their time limit.

Oxigraph cannot cancel a running query, so a thread left running a cross product would hold a core
and memory until it ends by itself. Here each query runs in a worker process that opens the store
read-only (its own handle, so a writer elsewhere never sees it); a query past its limit gets its
worker killed and replaced, while the other workers go on answering. The worker also screens the
query (:func:`miner.store.query.check_query`): parsing a multi-megabyte query is work too, so the
time limit and the memory cap cover parsing, screening and execution alike.

A worker has no route to the network where the OS allows it (:func:`isolate_network`): it moves
into its own network namespace, which has no interface but a downed loopback, and a seccomp filter
refuses it any socket but a local one. So even a query the screening parser read differently from
Oxigraph cannot make a request. A worker that dies on a query (Oxigraph overflows its stack on
queries nested thousands deep) is replaced and the query answered as refused (400), never as a
server error; a store that cannot be opened while a writer is mid-way is retried, then reported
busy (503).

A worker reopens the store when its folder changed (a file added, grown or removed: a `miner
build` wrote), so readers see the graph as it was before a write or after it, never a mix: each
query reads one RocksDB snapshot. Results cross the pipe as plain tuples (terms) or N-Triples
(CONSTRUCT), never as pickled Oxigraph objects.

A worker allowed the memory (``PoolSettings.memory_mb``) answers from an in-memory copy of the
store once it has loaded one in the background (:mod:`miner.store.memory`), as long as the store's
files are those the copy was made from; until then, and for a store too large, it reads the disk.
`miner serve` gives copies to as many workers as the memory a user allows holds
(:mod:`miner.store.serving`), and an idle worker holding one is lent first.

>>> import tempfile
>>> from miner.store.local import open_store, replace_graphs
>>> folder = tempfile.mkdtemp()
>>> store = open_store(folder)
>>> replace_graphs(store, {"https://e/g": [("https://e/s", "https://e/p", "1")]})
1
>>> del store
>>> with QueryPool(folder, size=1) as pool:
...     pool.run("SELECT ?o WHERE { GRAPH <https://e/g> { ?s ?p ?o } }").values()
[('1',)]
"""

from __future__ import annotations

import ctypes
import itertools
import os
import platform
import queue
import resource
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from miner.errors import MinerError, UsageError
from miner.settings import check_fields, resolve_settings, setting
from miner.store.local import open_store, run_query_tsv
from miner.store.memory import MemoryCopy
from miner.store.messages import explain_syntax_error
from miner.store.query import (
    QueryCrashed,
    QueryError,
    QueryRefused,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    StoreBusy,
    check_query,
)
from miner.store.spawn import take

__all__ = ["QueryPool", "PoolSettings", "QueryTextLimit", "query_store", "isolate_network"]


@dataclass(frozen=True)
class PoolSettings:
    """The query workers of the endpoint and of `miner query`: how many, their memory, how they open the store."""

    size: int = setting(2, "Workers, so queries answered at once: one per core of the team's 2-core machines.")
    max_memory_mb: int = setting(
        2048,
        "Address space a worker may add to what it inherited: a runaway ORDER BY fails with an error instead "
        "of swapping.",
    )
    open_retries: int = setting(
        6,
        "Attempts at opening (or reading) the store while a writer is mid-way: RocksDB swaps its MANIFEST "
        "during a compaction.",
    )
    open_backoff: float = setting(
        0.05, "Seconds before the second attempt, doubled each time (about 3 s over six attempts)."
    )
    start_timeout: float = setting(
        30.0, "Seconds a new worker may take to start and isolate itself (it imports pyoxigraph)."
    )
    memory_mb: int = setting(
        0,
        "Memory a worker may hold a copy of the store in (the slowest saved query 27 % less CPU at 1.2 M quads); 0 reads the disk "
        "only: each worker holds its own copy, so a user says how much the machine can spare.",
    )
    # a load's peak (~420 bytes a quad, copy_batch quads at a time) stays inside max_memory_mb's headroom
    bytes_per_quad: int = setting(
        450,
        "Memory a quad holds in pyoxigraph's in-memory store (measured 409-426 bytes; bench_queries.py prints it), "
        "to tell whether a store fits memory_mb before copying it.",
    )

    copy_batch: int = setting(
        50_000,
        "Quads handed to the bulk loader at a time while copying the store into memory: its buffer stays ~20 MB "
        "(1.2 M quads loaded whole peaked at 1.5x the copy's size).",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


_ERRORS = {
    "QueryRefused": QueryRefused,
    "QueryError": QueryError,
    "UsageError": UsageError,
    "QueryTimeout": QueryTimeout,
    "StoreBusy": StoreBusy,
    "QueryCrashed": QueryCrashed,
    "QuerySyntaxError": QuerySyntaxError,
}

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
_SOCKET_SYSCALL = {"x86_64": 41, "aarch64": 198}
"""socket(2)'s number on the architectures the seccomp filter knows (others get the namespace only)."""
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}


def _new_network_namespace() -> bool:
    """Move this (single-threaded) process into new user and network namespaces: no route out."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:  # map our own ids, so files read keep their owner (as `unshare -r` does)
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except OSError:
        pass  # the namespace holds without a mapping; files still open by their real owner
    return True


def _socket_filter() -> bool:
    """A seccomp filter: socket(2) for any family but AF_UNIX fails with EACCES."""
    machine = platform.machine()
    if machine not in _SOCKET_SYSCALL:
        return False
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
    program = [
        (ld, 0, 0, 4),
        (jeq, 1, 0, _AUDIT_ARCH[machine]),
        (ret, 0, 0, allow),  # other ABI: leave alone
        (ld, 0, 0, 0),
        (jeq, 0, 3, _SOCKET_SYSCALL[machine]),  # not socket(): allow
        (ld, 0, 0, 16),
        (jeq, 1, 0, 1),  # socket(AF_UNIX, ...): allow
        (ret, 0, 0, deny),
        (ret, 0, 0, allow),
    ]
    code = b"".join(struct.pack("HBBI", *op) for op in program)
    buffer = ctypes.create_string_buffer(code)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0


def isolate_network() -> list[str]:
    """Cut this process off the network as far as the OS allows; returns the guards in place.

    Call it in a fresh single-threaded process (a query worker) before anything else runs.
    """
    guards = []
    if not sys.platform.startswith("linux"):
        return guards
    try:
        if _new_network_namespace():
            guards.append("network namespace")
    except OSError:
        pass
    try:
        if _socket_filter():
            guards.append("socket filter")
    except OSError:
        pass
    return guards


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


def _open(path: str, settings: PoolSettings) -> Any:
    """The store opened read-only, retried while a writer swaps its files."""
    delay = settings.open_backoff
    for attempt in range(settings.open_retries):
        try:
            return open_store(path, read_only=True)
        except UsageError:
            if not os.path.isdir(path):
                raise
            if attempt == settings.open_retries - 1:
                break
        time.sleep(delay)
        delay *= 2
    raise StoreBusy(f"{path}: the store could not be opened read-only (a `miner build` is writing?); retry shortly")


def _worker(conn: Connection) -> None:
    """Serve queries on ``conn`` until it closes: first ("open", store, max_memory_mb, retries,
    backoff, memory_mb, bytes_per_quad, copy_batch), then (text, max_rows, bindings) → (status, payload) each."""
    guards = isolate_network()
    # the screening parser loads beside the wait for the first query (a started-ahead worker's parent is still
    # starting up); a query arriving first waits on the import, and "ready" is not held back by it
    threading.Thread(target=check_query, args=("ASK {}",), daemon=True).start()
    try:
        opening = conn.recv()
    except (EOFError, OSError):
        return  # started ahead and never used
    if not opening or opening[0] != "open":
        return
    _, path, max_memory_mb, retries, backoff, memory_mb, bytes_per_quad, copy_batch = opening
    settings = PoolSettings(
        max_memory_mb=max_memory_mb,
        open_retries=retries,
        open_backoff=backoff,
        memory_mb=memory_mb,
        bytes_per_quad=bytes_per_quad,
        copy_batch=copy_batch,
    )
    try:
        with open("/proc/self/statm") as handle:
            inherited = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = inherited + (settings.max_memory_mb + settings.memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):
        pass  # the time limit still holds
    conn.send(("ready", guards))
    store, seen = None, None
    copy = (
        MemoryCopy(memory_mb=settings.memory_mb, bytes_per_quad=settings.bytes_per_quad, batch=settings.copy_batch)
        if settings.memory_mb > 0
        else None
    )
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message[0] == "explain":  # only with a guard in place: Oxigraph runs what it can parse
            conn.send(("ok", explain_syntax_error(message[1]) if guards else None))
            continue
        text, max_rows, bindings = message
        try:
            check_query(text)  # screening is work of the query, under its limit (cached: run_query screens again)
            delay = settings.open_backoff
            for attempt in range(settings.open_retries):
                signature = _signature(path)
                if store is None or signature != seen:
                    store, seen = None, None
                    store, seen = _open(path, settings), signature
                    if copy is not None:
                        copy.load(store, signature)
                memory = copy.store_for(seen) if copy is not None else None
                try:
                    result = run_query_tsv(memory or store, text, max_rows=max_rows, bindings=bindings)
                    break
                except MinerError as exc:
                    if isinstance(exc, QueryError) or not isinstance(exc.__context__, (OSError, RuntimeError)):
                        raise
                    if attempt == settings.open_retries - 1:
                        raise StoreBusy(
                            f"the store changed under the query and could not be read ({exc}); retry shortly"
                        ) from None
                    store = None  # a file compacted away under an old handle: reopen
                    time.sleep(delay)
                    delay *= 2
            payload: dict[str, Any] = {
                "form": result.form,
                "variables": result.variables,
                "boolean": result.boolean,
                "truncated": result.truncated,
                "source": "memory" if memory is not None else "disk",
            }
            if result.form in ("CONSTRUCT", "DESCRIBE"):
                payload["nt"] = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES) or b""
            elif result.tsv:
                payload["tsv"] = result.tsv  # serialised by Oxigraph: no term per cell built and pickled here
            else:
                payload["rows"] = [tuple(_encode(t) for t in row) for row in result.rows]
            conn.send(("ok", payload))
        except QuerySyntaxError as exc:  # Oxigraph's plainer words, asked here: no network, and within the limit
            words = explain_syntax_error(exc.text) if guards else None
            conn.send(("error", ("QuerySyntaxError", words or str(exc))))
        except MinerError as exc:
            conn.send(("error", (type(exc).__name__, str(exc))))
        except MemoryError:
            store = None
            conn.send(
                ("error", ("QueryError", f"query needs more than {settings.max_memory_mb} MB of memory; narrow it"))
            )
        except Exception as exc:  # noqa: BLE001 - a worker must answer, whatever the query did
            conn.send(("error", ("QueryError", f"query failed ({type(exc).__name__}: {exc})")))


class _Worker:
    """A worker is a fresh interpreter (``python -m miner.store.pool``), not a fork: a threaded
    server cannot fork safely, and a fresh process imports only pyoxigraph and miner.store.local.
    It dies with the process that started it, however that one dies (:mod:`miner.store.spawn`)."""

    def __init__(self, path: str, settings: PoolSettings):
        self.process, self.conn = take()
        self.conn.send(
            (
                "open",
                path,
                settings.max_memory_mb,
                settings.open_retries,
                settings.open_backoff,
                settings.memory_mb,
                settings.bytes_per_quad,
                settings.copy_batch,
            )
        )
        self.guards: list[str] | None = None
        self.rank = 0
        self.start_timeout = settings.start_timeout

    def ready(self) -> list[str]:
        """Wait for the worker's first message: the network guards it put in place."""
        if self.guards is None:
            if not self.conn.poll(self.start_timeout):
                raise EOFError("worker did not start")
            kind, guards = self.conn.recv()
            self.guards = list(guards)
        return self.guards

    def stop(self, *, kill: bool = False) -> None:
        if not kill and self.guards is not None:  # a worker still starting holds nothing: killed at once
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


@dataclass
class _Lease:
    healthy: bool = False


class QueryPool:
    """Worker processes answering read-only queries on the store at ``path``.

    ``copies`` of them (default: all) may hold an in-memory copy of the store in
    ``settings.memory_mb``; the others read the disk. An idle worker allowed a copy is lent first, so
    a user querying one at a time is always answered from memory once a copy is loaded
    (:mod:`miner.store.serving` says how many copies the memory a user allows holds).
    """

    def __init__(
        self,
        path: str | Path,
        settings: PoolSettings | None = None,
        *,
        size: int | None = None,
        copies: int | None = None,
    ):
        path = Path(path)
        if not path.is_dir():
            raise UsageError(f"no store at {path}; build one first with `miner build INPUT... --store {path}`")
        self.path = str(path)
        self.settings = settings or PoolSettings()
        if size is not None:
            self.settings = replace(self.settings, size=size)
        self.copies = self.settings.size if copies is None else min(copies, self.settings.size)
        self._idle: queue.PriorityQueue[tuple[int, int, _Worker]] = queue.PriorityQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._order = itertools.count()  # ties in the queue go by arrival, never to comparing workers
        self.killed = 0
        for rank in range(self.settings.size):
            self._add(1 if rank >= self.copies and self.settings.memory_mb > 0 else 0)

    def _add(self, rank: int) -> None:
        """A new worker of ``rank`` 0 (may hold a copy; lent first) or 1 (reads the disk only)."""
        settings = self.settings if rank == 0 else replace(self.settings, memory_mb=0)
        worker = _Worker(self.path, settings)
        worker.rank = rank
        with self._lock:
            self._all.append(worker)
        self._put(worker)

    def _put(self, worker: _Worker) -> None:
        self._idle.put((worker.rank, next(self._order), worker))

    def _get(self, timeout: float | None) -> _Worker:
        return self._idle.get(timeout=timeout)[2]

    @contextmanager
    def _lent(self, worker: _Worker) -> Iterator[_Lease]:
        """A worker taken from the idle queue goes back when the lease ends healthy, else it is
        killed and replaced (a timed-out or crashed worker may still be running the query)."""
        lease = _Lease()
        try:
            yield lease
        finally:
            if lease.healthy:
                self._put(worker)
            else:
                self._drop(worker)
                self._add(worker.rank)

    def _drop(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self.killed += 1

    def run(
        self,
        text: str,
        *,
        timeout: float | None = 30.0,
        max_rows: int | None = 10_000,
        bindings: dict[str, Any] | None = None,
        wait: float | None = None,
        started: float | None = None,
        unpack: bool = True,
    ) -> QueryResult:
        """Screen the query and run it in a free worker; past ``timeout`` s the worker is killed.

        The worker screens the query too (:func:`check_query`: parsing a multi-megabyte query
        takes minutes and hundreds of MB), so the time limit and the worker's memory cap cover
        all the work, and a parent serving others is never blocked by one query's parsing.
        ``wait`` is how long to wait for a free worker (None: as long as it takes); ``started`` the
        ``time.monotonic()`` the limit counts from (default: once the worker is ready), so a
        command can count its worker's start too. ``unpack`` False leaves a SELECT's rows as the
        worker's TSV (``result.tsv``) for :func:`format_result` to serialise without a Python term
        per cell (the endpoint's JSON of 10,000 rows: 0.21 s -> 0.03 s of the server's CPU).
        """
        try:
            worker = self._get(wait)
        except queue.Empty:
            raise QueryTimeout("all query workers are busy; retry shortly") from None
        with self._lent(worker) as lease:
            try:
                worker.ready()
            except (EOFError, OSError):
                raise StoreBusy("a query worker failed to start; retry shortly") from None
            started = time.monotonic() if started is None else started
            try:
                left = None if timeout is None else max(0.0, started + timeout - time.monotonic())
                worker.conn.send((text, max_rows, bindings))
                if not worker.conn.poll(left):
                    raise QueryTimeout(f"query ran past its time limit of {timeout:g} s and was stopped")
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                raise QueryCrashed(
                    "the query stopped its worker (nested too deeply, or too large?) and was refused; simplify it"
                ) from None
            lease.healthy = True
        if status == "error":
            kind, message = payload
            raise _ERRORS.get(kind, MinerError)(message)
        return _result(payload, unpack=unpack)

    def explain(self, error: QuerySyntaxError, *, timeout: float = 5.0) -> QueryError:
        """The error to report for a query the screening parser refused: Oxigraph's plainer words
        when an isolated worker's Oxigraph also refuses the text, else the screening message."""
        try:
            worker = self._get(timeout)
        except queue.Empty:
            return error
        with self._lent(worker) as lease:
            try:
                worker.ready()
                worker.conn.send(("explain", error.text))
                if worker.conn.poll(timeout):
                    status, words = worker.conn.recv()
                    lease.healthy = True
                    if status == "ok" and words:
                        return QuerySyntaxError(words, error.text)
                return error
            except (EOFError, OSError):
                return error

    def network_guards(self) -> list[str]:
        """The network guards of a worker (all are started alike): what the OS allowed."""
        worker = self._get(None)
        try:
            return worker.ready()
        finally:
            self._put(worker)

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers: each told to end and waited for, or with ``kill`` ended at once (a
        read-only worker has nothing to save, and its interpreter's teardown takes a few tenths)."""
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop(kill=kill)

    def __enter__(self) -> "QueryPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _result(payload: dict[str, Any], *, unpack: bool = True) -> QueryResult:
    result = QueryResult(
        payload["form"],
        payload["variables"],
        boolean=payload["boolean"],
        truncated=payload["truncated"],
        source=payload.get("source", ""),
    )
    if "nt" in payload:
        result.triples = (
            [q.triple for q in ox.parse(payload["nt"], format=ox.RdfFormat.N_TRIPLES)] if payload["nt"] else []
        )
    elif "tsv" in payload:
        result.tsv = payload["tsv"]
        if unpack:
            result.unpack()
    else:
        result.rows = [tuple(_decode(t) for t in row) for row in payload["rows"]]
    return result


@dataclass(frozen=True)
class QueryTextLimit:
    """The cap on a query's text for `miner query`, as the endpoint caps its request bodies."""

    max_query_bytes: int = field(
        default=1024 * 1024,
        metadata={
            "why": "A generated VALUES list of thousands of IRIs fits; the text is held whole by two parsers, so "
            "megabytes cost hundreds of MB before any limit can act on them."
        },
    )


def query_store(
    path: str | Path,
    text: str,
    *,
    timeout: float | None = 30.0,
    max_rows: int | None = 10_000,
    bindings: dict[str, Any] | None = None,
    max_query_bytes: int | None = None,
) -> QueryResult:
    """One query in one killable worker (what `miner query` does): text over ``max_query_bytes``
    (default :class:`QueryTextLimit`) is refused before anything reads it."""
    cap = QueryTextLimit().max_query_bytes if max_query_bytes is None else max_query_bytes
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > cap:
        raise QueryError(
            f"the query is {size} bytes, over the cap of {cap} bytes; raise it with "
            "--max-query-bytes if the query is meant to be this long"
        )
    started = time.monotonic()  # the limit covers the worker's start, parsing, screening and the run
    pool = QueryPool(path, size=1)
    try:
        return pool.run(text, timeout=timeout, max_rows=max_rows, bindings=bindings, started=started)
    finally:
        pool.close(kill=True)  # the answer is in: the command need not wait for the worker's teardown


if __name__ == "__main__":  # a worker: python -m miner.store.pool FD PARENT
    from miner.read.isolate import die_with_parent

    die_with_parent(int(sys.argv[2]))  # a killed `miner serve` or `miner query` leaves no worker running
    _worker(Connection(int(sys.argv[1])))
