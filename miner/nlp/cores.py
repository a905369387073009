"""How many cores OTHER processes keep busy: the non-idle ticks of the cores this process may run
on (``/proc/stat``), less this process's own CPU time (:func:`os.times`, every thread), over a window.

The encoder takes the cores this leaves free (:class:`miner.nlp.embeddings.ThreadChooser`). Counting
the machine's whole busy time, as before, read our own threads as someone else's load: the French
pipeline running beside the encoder, or the encoder's own last batch, made it drop to one thread on
an idle machine.

It also keeps numpy's own BLAS off the cores the encoder takes (:func:`numpy_blas_on_one_thread`).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Collection, Iterator

__all__ = ["CpuSample", "allowed_cores", "take_sample", "others_busy", "numpy_blas_on_one_thread"]


@dataclass(frozen=True)
class CpuSample:
    """One reading of the cores' counters."""

    cores: int
    """How many cores the counters cover (those this process may run on)."""
    busy: int
    """Non-idle ticks summed over those cores since boot."""
    total: int
    """All ticks summed over those cores since boot."""
    own: float
    """CPU seconds this process has used (user + system, all its threads)."""
    at: float
    """``time.monotonic()`` when read."""


def allowed_cores() -> set[int]:
    """The cores this process may run on (all of them where affinity is unknown)."""
    if hasattr(os, "sched_getaffinity"):
        return set(os.sched_getaffinity(0))
    return set(range(os.cpu_count() or 1))


def take_sample(cpus: Collection[int] | None = None, stat_path: str = "/proc/stat") -> CpuSample | None:
    """The counters of ``cpus`` (default: :func:`allowed_cores`) now; None where they cannot be read
    (no /proc: not Linux).

    ``/proc/stat`` counts the host's cores by number (``cpu0``, ``cpu1``…), the same numbers the
    affinity mask uses, so a process limited to some cores of a larger machine reads only those.
    """
    wanted = set(allowed_cores() if cpus is None else cpus)
    busy = total = seen = 0
    try:
        with open(stat_path, encoding="ascii") as stat:
            for line in stat:
                name, _, rest = line.partition(" ")
                if not name.startswith("cpu") or name == "cpu":
                    continue
                if not name[3:].isdigit():
                    break
                if int(name[3:]) not in wanted:
                    continue
                values = [int(v) for v in rest.split()[:8]]  # user nice system idle iowait irq softirq steal
                total += sum(values)
                busy += sum(values) - values[3] - values[4]
                seen += 1
    except (OSError, ValueError, IndexError):
        return None
    if not seen:
        return None
    own = os.times()
    return CpuSample(seen, busy, total, own.user + own.system, time.monotonic())


def others_busy(before: CpuSample, after: CpuSample) -> float | None:
    """Cores other processes kept busy between two samples (0 to ``cores``); None when no time
    passed between them.

    >>> idle = CpuSample(2, busy=0, total=0, own=0.0, at=0.0)
    >>> round(others_busy(idle, CpuSample(2, busy=200, total=200, own=0.0, at=1.0)), 2)  # two spinners
    2.0
    >>> round(others_busy(idle, CpuSample(2, busy=200, total=200, own=2.0, at=1.0)), 2)  # our own threads
    0.0
    >>> round(others_busy(idle, CpuSample(2, busy=150, total=200, own=1.0, at=1.0)), 2)
    0.5
    """
    ticks, wall = after.total - before.total, after.at - before.at
    if ticks <= 0 or wall <= 0:
        return None
    busy = after.cores * (after.busy - before.busy) / ticks
    own = (after.own - before.own) / wall
    return min(float(after.cores), max(0.0, busy - own))


@lru_cache(maxsize=1)
def _openblas() -> Any:
    """The OpenBLAS runtimes loaded now (numpy's among them), found once: looking through every
    loaded library costs milliseconds, the count itself is set in microseconds."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(internal_api="openblas")


@contextmanager
def numpy_blas_on_one_thread() -> Iterator[None]:
    """Numpy's matrix products on the calling thread alone while the block runs, its count put back
    after.

    OpenBLAS splits a product above ~260,000 multiply-adds (a batch's 16 vectors against the model's
    1,364 examples is 8 million) over one thread per core, and its worker then spins for tens of
    milliseconds waiting for the next: 38 ms of a core for a product that takes 1 ms on one thread,
    two or three times a batch, taken from the encoder's threads on the other core. The products of
    classify are this small, so one thread loses nothing, and the sums are the same (OpenBLAS splits
    the rows and columns of the result, never the sum of one entry: tests compare classify's rows).
    Only OpenBLAS is limited: the OpenMP runtime of the e5 engine and torch's own threads are not.
    """
    with _openblas().limit(limits=1):
        yield
