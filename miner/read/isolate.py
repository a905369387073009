"""Run one file's work in a child process with a time limit and a memory cap.

Hostile or broken inputs must not crash, hang or exhaust a batch: pdfminer decompresses streams
without a cap (a few KB can grow to GB), and malformed files raise arbitrary exceptions or loop.
Each file is handled in a forked child whose address space may grow by at most the cap
(``RLIMIT_AS`` set to what the child inherited plus ``max_memory_mb``, so a parent that already
holds a large model does not starve its workers); the parent kills it at the time limit. Up to ``jobs`` children run at once, so this is also how batches use
the machine's cores. A child returns its result as JSON text, so records cross the process
boundary without pickling surprises.

A child is forked only while no other thread of the parent is inside an import (a build loads spaCy
in a thread beside extraction): a module being imported sits half-built in ``sys.modules`` with its
import lock held by that thread, and a child forked then, which has no such thread, would find it
half-built or wait on its lock forever. The parent holds the interpreter's import lock while it
checks and forks, so no import can start in between (:func:`forking_between_imports`).

A child may call :func:`report_progress` (OCR does after every page): the time limit then counts
from its last report, so a long scan is not killed while its pages keep coming, and a page that
hangs still is. A report that counts (``report_progress(done, total)``) also reaches the parent's
``on_progress``, so a bar can move page by page inside one file.
"""

from __future__ import annotations

import _imp as imp
import gc
import json
import logging
import multiprocessing as mp
import os
import resource
import signal
import sys
import threading
import time
import traceback
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from miner.errors import InputError, UsageError
from miner.settings import check_fields, setting

__all__ = [
    "Limits",
    "Outcome",
    "die_with_parent",
    "forking_between_imports",
    "frozen_for_fork",
    "imports_in_progress",
    "run_isolated",
    "read_each",
    "report_progress",
]

_PROGRESS: "tuple[Connection, threading.Lock] | None" = None
"""In a child: the connection to the parent, for :func:`report_progress` (None in the parent)."""


def report_progress(done: int | None = None, total: int | None = None) -> None:
    """Tell the parent this child is making progress (restarts its time limit), and with counts how
    far it is (``done`` of ``total`` pages); a no-op outside a worker. Thread-safe: OCR threads call
    it as their pages finish."""
    if _PROGRESS is None:
        return
    conn, lock = _PROGRESS
    counts = (done, total) if done is not None and total is not None else None
    with lock:
        try:
            conn.send(("alive", counts, None))
        except (OSError, ValueError):
            pass  # the parent is gone or the pipe closed: the final result will fail the same way


@dataclass(frozen=True)
class Limits:
    """Per-file limits of the isolated reader. The defaults suit evaluation reports of a few dozen pages on 2 cores."""

    timeout: float = setting(
        120.0,
        "Seconds one file may take (since its last progress report): a 10-page text "
        "report takes well under 2 s, an OCR'd page about one.",
    )
    max_memory_mb: int = setting(
        2048,
        "Address space a file's worker may add, in MB: pdfplumber on a 100-page "
        "report stays far below, a decompression bomb does not.",
    )
    jobs: int = setting(0, "Files processed at once; 0 means one per core.")
    import_wait: float = setting(
        60.0,
        "Seconds a fork may wait for another thread to finish an import "
        "(importing spaCy takes a few; then it forks anyway, as before).",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)


@dataclass
class Outcome:
    """What happened to one input: ``value`` (the worker's JSON text) or ``error`` (one line)."""

    key: str
    value: str | None = None
    error: str | None = None
    seconds: float = 0.0
    peak_mb: float | None = None
    """Peak resident memory the worker added to what it inherited (None when it was killed)."""

    @property
    def ok(self) -> bool:
        return self.error is None


def _statm() -> tuple[int, int]:
    """(virtual size, resident size) of this process in bytes; (0, 0) where /proc is missing."""
    try:
        with open("/proc/self/statm") as handle:
            size, resident = handle.read().split()[:2]
        page = os.sysconf("SC_PAGE_SIZE")
        return int(size) * page, int(resident) * page
    except (OSError, ValueError):
        return 0, 0


def _peak_mb(start_rss: int) -> float:
    """Peak resident memory above ``start_rss`` (ru_maxrss is in KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return round(max(0, peak - start_rss) / 2**20, 1)


MEMORY_MARGIN_MB = 64
"""A failure with the address space this close to the cap is put down to the cap: the allocation
that failed was refused by it, whatever exception the library turned the refusal into."""


def _memory_refused(exc: BaseException | None) -> bool:
    """Whether an exception (or one it was raised from) is a refused allocation: MemoryError, or
    zlib's Z_MEM_ERROR, which libraries such as pdfminer catch and report as a corrupt stream."""
    seen = 0
    while exc is not None and seen < 8:
        seen += 1
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, zlib.error) and ("Error -4" in str(exc) or "insufficient memory" in str(exc)):
            return True
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = exc.__cause__ or exc.__context__ or inner
    return False


def _near_cap(cap: int) -> bool:
    """Whether this process's peak address space (VmPeak) came within the margin of ``cap`` bytes."""
    try:
        with open("/proc/self/status") as handle:
            peak = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return peak >= cap - MEMORY_MARGIN_MB * 2**20


class _LibraryMessages(logging.Handler):
    """Keeps what libraries log or warn in a worker (pdfminer, pdfplumber, openpyxl): the user
    gets miner's one line per file, never a library's own lines on stderr."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 20:
            self.messages.append(f"{record.name}: {record.getMessage()}"[:200])


def _quiet_libraries() -> _LibraryMessages:
    """In a worker: every log record and warning goes to one handler, and what a library prints
    (Python's stdout and stderr, or C code on file descriptors 1 and 2) goes nowhere: the worker
    answers through its pipe only, so `miner extract`'s JSON on stdout stays whole too."""
    handler = _LibraryMessages()
    logging.root.handlers = [handler]
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the worker's life
    except OSError:
        pass
    return handler


def imports_in_progress() -> list[str]:
    """Modules another thread of this process is importing now (it holds their import locks)."""
    try:
        from importlib import _bootstrap

        locks = list(_bootstrap._module_locks.items())
    except (ImportError, AttributeError, RuntimeError):  # another interpreter's import system: nothing known
        return []
    me = threading.get_ident()
    busy = []
    for name, ref in locks:
        lock = ref() if callable(ref) else None
        owner = getattr(lock, "owner", None)
        if owner and owner != me:
            busy.append(name)
    return busy


@contextmanager
def forking_between_imports(wait: float) -> Iterator[list[str]]:
    """Hold the interpreter's import lock once no other thread is inside an import (waiting up to
    ``wait`` s); fork inside the block. Yields what was still being imported when the wait ran out."""
    deadline = time.monotonic() + wait
    while True:
        imp.acquire_lock()
        busy = imports_in_progress()
        if not busy or time.monotonic() >= deadline:
            break
        imp.release_lock()
        time.sleep(0.01)
    try:
        yield busy
    finally:
        imp.release_lock()


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """Fork with what the parent holds frozen for the garbage collector (``gc.freeze``), as Python's
    documentation advises before a fork without exec: the child's collections then never walk the
    objects it inherited (a forked worker's first full collection walked spaCy's, 0.1 s of CPU of
    the 0.34 s an INFOPOLE report's organisations take) nor write into their pages. The parent
    unfreezes them at once: its own collections are as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent (pid ``parent``) dies, however it dies.

    A worker must not outlive a killed ``miner build`` (SIGKILL runs no cleanup in the parent): on
    Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` through ctypes; a parent already gone before the call
    is caught by comparing ``getppid``. Elsewhere a no-op: the parent's own ``finally`` kills its workers.
    The signal follows the parent *thread*, so call it in children of the thread that waits for them.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl in this libc: the parent's cleanup still applies
    if os.getppid() != parent:
        os._exit(1)


def _release_inherited_import_lock() -> None:
    """A child forked inside :func:`forking_between_imports` holds the import lock its parent held
    (CPython hands it to the forking thread); it never leaves that block, so it lets go here, else
    its own threads (OCR's) would wait on their first import forever."""
    while imp.lock_held():
        try:
            imp.release_lock()
        except RuntimeError:  # held by no thread of ours: nothing to give back
            return


def _child(func: Callable[[str], str], key: str, limits: Limits, conn: Connection, parent: int) -> None:
    global _PROGRESS
    _release_inherited_import_lock()
    die_with_parent(parent)
    _PROGRESS = (conn, threading.Lock())
    _quiet_libraries()
    inherited, start_rss = _statm()
    cap = inherited + limits.max_memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        cap = 0  # a platform without RLIMIT_AS still gets the time limit
    over_cap = (
        f"too large: over the memory cap of {limits.max_memory_mb} MB (its content needs more; a decompression bomb?)"
    )

    def memory(exc: BaseException) -> bool:
        return _memory_refused(exc) or (cap > 0 and _near_cap(cap))

    try:
        value = func(key)
        conn.send(("ok", value, _peak_mb(start_rss)))
    except InputError as exc:
        reason = exc.reason
        if reason.startswith("too large: its content needs more memory") or (
            reason.startswith("corrupt") and memory(exc)
        ):
            reason = over_cap  # the reader's "corrupt" was a refused allocation: say which limit
        conn.send(("error", reason, _peak_mb(start_rss)))
    except MemoryError:
        conn.send(("error", over_cap, _peak_mb(start_rss)))
    except RecursionError:
        conn.send(("error", "corrupt: nesting too deep (looping structure?)", _peak_mb(start_rss)))
    except Exception as exc:  # the batch must go on whatever a malformed file raises
        if memory(exc):
            conn.send(("error", over_cap, _peak_mb(start_rss)))
            return
        last = traceback.extract_tb(exc.__traceback__)[-1:] or [None]
        where = f" at {os.path.basename(last[0].filename)}:{last[0].lineno}" if last[0] else ""
        message = f"corrupt or unreadable ({type(exc).__name__}: {exc}{where})"[:500]
        conn.send(("error", " ".join(message.split()), _peak_mb(start_rss)))
    finally:
        conn.close()


def run_isolated(
    func: Callable[[str], str],
    keys: Iterable[str],
    limits: Limits | None = None,
    on_progress: Callable[[str, int, int], object] | None = None,
    on_start: Callable[[str], object] | None = None,
) -> Iterator[Outcome]:
    """Run ``func(key) -> str`` for every key in its own child; yield outcomes as they finish.

    ``func`` must be importable state of the parent (children are forked, so closures work).
    ``on_progress(key, done, total)`` is called, in the parent, for each counted
    :func:`report_progress` of a child (an OCR'd page); ``on_start(key)`` once its child is forked
    (a caller may then start what would hold up a fork: a thread's long import).
    """
    limits = limits or Limits()
    context = mp.get_context("fork")
    pending = list(keys)
    running: dict[Connection, tuple[str, Any, float, float]] = {}  # key, process, started, last progress
    try:
        while pending or running:
            while pending and len(running) < limits.workers():
                key = pending.pop(0)
                parent, child = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(func, key, limits, child, os.getpid()), daemon=True)
                with forking_between_imports(limits.import_wait), frozen_for_fork():
                    process.start()
                child.close()
                now = time.monotonic()
                running[parent] = (key, process, now, now)
                if on_start is not None:
                    on_start(key)
            deadline = min(last + limits.timeout for _, _, _, last in running.values())
            ready = wait(list(running), timeout=max(0.0, deadline - time.monotonic()))
            for conn in ready:
                key, process, start, _last = running.pop(conn)  # type: ignore[arg-type]
                peak = None
                try:
                    status, payload, peak = conn.recv()
                except (EOFError, OSError):
                    process.join(5)
                    code = process.exitcode
                    reason = (
                        f"too large: the worker was killed (over the memory cap of {limits.max_memory_mb} MB?)"
                        if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGABRT)
                        else f"corrupt: the reader crashed on it (signal {-code})"
                        if code is not None and code < 0
                        else f"worker died (exit code {code})"
                    )
                    status, payload = "error", reason
                if status == "alive":
                    running[conn] = (key, process, start, time.monotonic())  # type: ignore[index]
                    if on_progress is not None and payload is not None:
                        on_progress(key, *payload)
                    continue
                conn.close()
                process.join(5)
                elapsed = time.monotonic() - start
                yield Outcome(
                    key,
                    value=payload if status == "ok" else None,
                    error=None if status == "ok" else payload,
                    seconds=elapsed,
                    peak_mb=peak,
                )
            now = time.monotonic()
            for conn, (key, process, start, last) in list(running.items()):
                if now - last >= limits.timeout:
                    process.kill()
                    process.join(5)
                    conn.close()
                    del running[conn]
                    yield Outcome(key, error=f"timed out after {limits.timeout:g} s", seconds=now - start)
    finally:
        for conn, (_key, process, _start, _last) in running.items():
            process.kill()
            process.join(5)
            conn.close()


def read_each(
    worker: Callable[[str], str],
    paths: Iterable[str | Path],
    limits: Limits,
    decode: Callable[[dict[str, Any]], Any],
    refuse: Callable[[Path], str | None] = lambda path: None if path.is_file() else "no such file",
) -> list[tuple[Path, Any, str | None]]:
    """Read each file in its own worker: (path, decode(payload), None) or (path, None, one-line
    error), in the order given. ``refuse`` names why a file is not even tried. A worker answering
    ``{"usage": message}`` (a workbook that needs ``--sheet``) raises UsageError: the caller's to fix.
    """
    paths = [Path(p) for p in paths]
    results: dict[str, tuple[Path, Any, str | None]] = {}
    todo = []
    for path in paths:
        reason = refuse(path)
        if reason:
            results[str(path)] = (path, None, reason)
        else:
            todo.append(str(path))
    for outcome in run_isolated(worker, todo, limits):
        path = Path(outcome.key)
        if outcome.error is not None:
            results[outcome.key] = (path, None, outcome.error)
            continue
        data = json.loads(outcome.value or "{}")
        if "usage" in data:
            raise UsageError(data["usage"])
        results[outcome.key] = (path, decode(data), None)
    return [results[str(p)] for p in paths]
