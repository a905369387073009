"""Starting a query worker: a fresh interpreter, forked from a thread that lives as long as the process.

Kept free of pyoxigraph and of the rest of miner, so `miner query` can start its worker first
thing (:func:`prestart`), before its own command line is even parsed: the worker's start-up (an
interpreter, the store library, the screening parser) then runs beside the parent's on another
core instead of after it. The worker learns which store to open from its first message, so it can
start before anyone knows.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__ = ["Started", "prestart", "spawn", "take"]

Started = tuple["subprocess.Popen[bytes]", Connection]
"""A worker process and the parent's end of its pipe."""

_LAUNCHER: "tuple[int, queue.Queue[tuple[Callable[[], Any], Future[Any]]]] | None" = None
"""(pid, requests) of the thread that starts workers off the main thread (see :func:`_launch`)."""
_LAUNCHER_LOCK = threading.Lock()
_STARTED: list[Started] = []
"""Workers started ahead by :func:`prestart`, for the first pool of the process to take."""


def _launching(requests: "queue.Queue[tuple[Callable[[], Any], Future[Any]]]") -> None:
    while True:
        start, done = requests.get()
        try:
            done.set_result(start())
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
            done.set_exception(exc)


def _launch(start: Callable[[], "subprocess.Popen[bytes]"]) -> "subprocess.Popen[bytes]":
    """Run ``start`` (a worker's Popen) on a thread that lives as long as the process.

    A worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``), and that
    signal follows the *thread* that forked it: a worker replaced from a server's request thread
    would die when that thread ends. The main thread and one daemon launcher thread end only with
    the process, so workers are forked from one of them."""
    global _LAUNCHER
    if threading.current_thread() is threading.main_thread():
        return start()
    with _LAUNCHER_LOCK:
        if _LAUNCHER is None or _LAUNCHER[0] != os.getpid():  # none yet, or inherited by a fork without its thread
            _LAUNCHER = (os.getpid(), queue.Queue())
            threading.Thread(target=_launching, args=(_LAUNCHER[1],), name="miner-query-launcher", daemon=True).start()
        requests = _LAUNCHER[1]
    done: "Future[subprocess.Popen[bytes]]" = Future()
    requests.put((start, done))
    return done.result()


def spawn() -> Started:
    """A new worker (``python -P -m miner.store.pool``), waiting for the store it is to open. ``-P``: the
    worker imports the parent's miner (PYTHONPATH), never a ``miner`` folder in the working directory,
    which ``-m`` would otherwise put first (a parent and a worker of two versions disagree on how rows
    are handed over)."""
    mine, theirs = socket.socketpair()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
    }
    process = _launch(
        lambda: subprocess.Popen(
            [sys.executable, "-P", "-m", "miner.store.pool", str(theirs.fileno()), str(os.getpid())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
    )
    theirs.close()
    return process, Connection(mine.detach())


def prestart() -> None:
    """Start one worker now, for the first pool of this process to take. Unused, it ends with the
    process (its pipe closes; it never opened a store)."""
    _STARTED.append(spawn())


def take() -> Started:
    """A worker started ahead by :func:`prestart`, else a new one."""
    with _LAUNCHER_LOCK:
        if _STARTED:
            return _STARTED.pop()
    return spawn()
