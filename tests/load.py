"""Run a command under a background load: one busy process per core, as on a loaded CI runner.

``python tests/load.py COMMAND...`` (``make test-loaded``): the suite must pass on a machine whose
cores are all taken by someone else. Each spinner is a plain Python loop at normal priority; they
are stopped when the command ends, whatever its outcome, and its exit code is returned.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["busy_cores", "main"]


def _spin() -> None:
    while True:
        pass


@contextmanager
def busy_cores(count: int | None = None) -> Iterator[list[mp.Process]]:
    """``count`` spinning processes (one per core by default) for the length of the block."""
    spinners = [mp.Process(target=_spin, daemon=True) for _ in range(count or os.cpu_count() or 1)]
    for spinner in spinners:
        spinner.start()
    try:
        yield spinners
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.join()


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tests/load.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    with busy_cores() as spinners:
        print(f"load: {len(spinners)} busy processes, one per core", file=sys.stderr)
        return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
