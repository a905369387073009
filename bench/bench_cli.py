"""Start-up cost of the command line, against a bare interpreter started the same way in the same run.

Goal (issue 14): ``miner --help`` in 0.3 s or less. Each command is started ``--repeat`` times in a
fresh process (what a user's shell does); the median wall time is printed with its ratio to the
bare ``python -c pass``, so a loaded machine shows as a slower baseline, not as a slower miner.

    python bench/bench_cli.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY, goal  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

GOAL_HELP_SECONDS = 0.3
"""The issue's ceiling for ``miner --help``: help should feel instant in a terminal."""

COMMANDS = {
    "bare python -c pass": ["-c", "pass"],
    "miner --version": ["-m", "miner", "--version"],
    "miner --help": ["-m", "miner", "--help"],
    "miner -h": ["-m", "miner", "-h"],
    "miner query --help": ["-m", "miner", "query", "--help"],
}


def timed(args: list[str], repeat: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--tiny", action="store_true", help=TINY)
    options = parser.parse_args()
    if options.tiny:
        options.repeat = 1
    medians = {}
    for name, args in COMMANDS.items():
        medians[name] = statistics.median(timed(args, options.repeat))
    bare = medians["bare python -c pass"]
    print(f"{'command':<24} {'median s':>9} {'x bare':>7}")
    for name, value in medians.items():
        print(f"{name:<24} {value:9.3f} {value / bare:7.1f}")
    help_time = medians["miner --help"]
    goal("miner --help start-up", help_time, "<=", GOAL_HELP_SECONDS, " s", note=f"{options.repeat} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
