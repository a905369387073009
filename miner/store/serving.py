"""Whether `miner serve` answers from memory or from disk: the store's size against the memory a user allows.

pyoxigraph's in-memory store answers the slowest saved query with 27 % less CPU than its on-disk
store at 1.2 M quads (judgement_changes 622 -> 456 ms; the store lookups halved for counts and
cycles; a few joins are 10-45 % slower; all 22 together 5 % less; bench/bench_queries.py prints both
doors), but each query worker needs its own copy (a worker is a process, so that a runaway query can
be killed). The memory a user allows for those copies is a
setting (:class:`ServingSettings`); left unset it comes from the machine: a share of the memory
available when serving starts, capped. The store is counted once, on a read-only handle, and as
many workers as the allowance holds copies of it get one (:class:`miner.store.pool.QueryPool`
hands queries to them first); a store no copy fits is read from disk. :func:`plan_serving` makes
the choice and :meth:`ServingPlan.describe` says it in one line (the endpoint logs it once).

>>> plan = ServingPlan(quads=1_000_000, bytes_per_quad=450, allowed_mb=2048, workers=4)
>>> plan.copies, plan.copy_mb
(4, 430)
>>> ServingPlan(quads=1_000_000, bytes_per_quad=450, allowed_mb=256, workers=4).copies
0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from miner.settings import check_fields, resolve_settings, setting
from miner.store.local import open_store

__all__ = ["ServingSettings", "ServingPlan", "available_mb", "allowed_mb", "plan_serving"]


@dataclass(frozen=True)
class ServingSettings:
    """The memory `miner serve` may hold copies of the store in, when the user does not say (``--memory-mb``)."""

    memory_share: float = setting(
        0.5,
        "Share of the memory available at start that copies of the store may take: the rest is left to the "
        "page cache, the server, the workers' queries and the user's other programs.",
    )
    memory_cap_mb: int = setting(
        8192,
        "Most the default allows however large the machine: 8 GB holds four copies of four million quads.",
    )
    fallback_mb: int = setting(
        512, "Allowance where the OS does not say how much memory is available (no /proc/meminfo)."
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


def available_mb(meminfo: str | Path = "/proc/meminfo") -> int | None:
    """The memory available to new work now, in MB (Linux's MemAvailable); None where it is not said.

    >>> available_mb("/no/such/file") is None
    True
    """
    try:
        with open(meminfo) as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def allowed_mb(
    memory_mb: int | None, settings: ServingSettings | None = None, *, meminfo: str | Path = "/proc/meminfo"
) -> int:
    """The MB a user allows copies of the store: ``memory_mb`` when given (0: the disk only), else the
    machine's default (:class:`ServingSettings`)."""
    if memory_mb is not None:
        return max(0, memory_mb)
    settings = settings or ServingSettings()
    available = available_mb(meminfo)
    if available is None:
        return settings.fallback_mb
    return min(settings.memory_cap_mb, int(available * settings.memory_share))


@dataclass(frozen=True)
class ServingPlan:
    """How many query workers hold an in-memory copy of a store of ``quads`` quads."""

    quads: int
    bytes_per_quad: int
    allowed_mb: int
    workers: int

    @property
    def copy_mb(self) -> int:
        """MB one copy holds (at ``bytes_per_quad``; at least 1)."""
        return max(1, -(-self.quads * self.bytes_per_quad // 2**20))

    @property
    def copies(self) -> int:
        """Workers that hold a copy: as many as the allowance holds, at most one each."""
        return min(self.workers, self.allowed_mb // self.copy_mb)

    def describe(self) -> str:
        """One line saying where answers come from and why."""
        need = f"{self.quads:,} quads, about {self.copy_mb:,} MB a copy"
        if self.copies:
            return (
                f"serving from memory: {self.copies} of {self.workers} query workers hold a copy of the store "
                f"({need}; {self.allowed_mb:,} MB allowed), the others read the disk"
                if self.copies < self.workers
                else f"serving from memory: each of the {self.workers} query workers holds a copy of the store "
                f"({need}; {self.allowed_mb:,} MB allowed)"
            )
        if not self.allowed_mb:
            return "serving from disk: no memory allowed for a copy of the store (--memory-mb 0)"
        return f"serving from disk: the store ({need}) does not fit the {self.allowed_mb:,} MB allowed (--memory-mb)"


def plan_serving(path: str | Path, *, workers: int, allowed: int, bytes_per_quad: int) -> ServingPlan:
    """The plan for the store at ``path``: its quads counted on a read-only handle (0.1 s at 100 k
    quads), none when nothing is allowed."""
    quads = len(open_store(path, read_only=True)) if allowed > 0 else 0
    return ServingPlan(quads=quads, bytes_per_quad=bytes_per_quad, allowed_mb=allowed, workers=workers)
