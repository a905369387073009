"""Run a command under a background load: one busy process per core, as on a loaded CI runner.

``python tests/load.py [--times N] COMMAND...`` (``make test-loaded``, twice in a row): the suite
must pass on a machine whose cores are all taken by someone else, and pass again right after (a
worker or a file left by the first run would show in the second). Each spinner is a plain Python loop at normal priority; they
are stopped when the command ends, whatever its outcome (the runner killed by TERM too: the command is killed
with them), and its exit code is returned.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
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
    times = 1
    if argv[:1] == ["--times"] and len(argv) > 1 and argv[1].isdigit() and int(argv[1]) > 0:
        times, argv = int(argv[1]), argv[2:]
    if not argv:
        print("usage: python tests/load.py [--times N] COMMAND [ARG...]", file=sys.stderr)
        return 2
    # a TERM to this runner unwinds like an interrupt: subprocess.call kills the command, the spinners stop
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with busy_cores() as spinners:
        print(f"load: {len(spinners)} busy processes, one per core", file=sys.stderr)
        for run in range(1, times + 1):
            code = subprocess.call(argv)
            print(f"load: run {run} of {times} exited {code}", file=sys.stderr)
            if code:
                return code
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
