"""`make bench`: run every benchmark of bench/ in one go; each prints ratios against its own
baseline measured in the same run, and one ``GOAL`` line per goal (bench/goals.py), listed again at
the end. Exit 0 when every script ran (a goal not met is a figure, not a crash); 1 when one broke.

    python bench/run.py [--quick] [--tiny]

``--tiny`` passes ``--tiny`` to every script (``tests/test_bench.py`` runs each that way in
``make test``); ``--quick`` shortens bench_pipeline.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from goals import PREFIX  # noqa: E402

ORDER = [
    "bench_cli.py",
    "bench_extract.py",
    "bench_layouts.py",
    "ocr.py",
    "bench_pipeline.py",
    "bench_queries.py",
    "bench_endpoint.py",
    "bench_classify.py",
    "bench_langid.py",
    "bench_network.py",
    "encoder_cache.py",
    "axes_cv.py",
    "axes_models.py",
    "links_cv.py",
    "review_gain.py",
    "missions_loco.py",
]
"""Every script: the speed benchmarks first, then the model-development figures (no speed goal)."""

HELPERS = ["goals.py", "run.py"]
"""Modules of bench/ that are not benchmarks."""

MODEL_TOOLS = ["axes_loco.py", "axes_ship.py", "rules_check.py"]
"""Model choice and shipping at full size (leave-one-network-out, train and write the shipped model):
run by hand, minutes each; not part of make bench (missions_loco.py runs with the others)."""

TINY_TOOLS = ["axes_loco.py", "axes_ship.py"]
"""The model tools with a tiny size, run by ``--tiny`` after ORDER (never at full size here: a full
axes_ship.py replaces the shipped model)."""


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    try:
        mem = (
            int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 // 1024
        )
    except (OSError, StopIteration):
        mem = 0
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem} GiB, Python {platform.python_version()}"


def run(name: str, flags: list[str]) -> tuple[int, list[str]]:
    """Run one script, its output passed through; its exit code and GOAL lines."""
    goals = []
    # the checkout's own miner first: a script's folder is bench/, so ``import miner`` would
    # otherwise find the one the venv installed (another checkout when the venv is shared)
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    with subprocess.Popen(
        [sys.executable, str(HERE / name), *flags],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": path},
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith(PREFIX):
                goals.append(line[len(PREFIX) :].rstrip())
    return process.returncode, goals


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    tiny, quick = "--tiny" in args, "--quick" in args
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# miner benchmarks on {machine()}; load average {load:.1f} at the start")
    broken, goals, took = [], [], []
    for name in ORDER + (TINY_TOOLS if tiny else []):
        print(f"\n## {name}", flush=True)
        flags = ["--tiny"] if tiny else (["--quick"] if quick and name == "bench_pipeline.py" else [])
        start = time.monotonic()
        code, found = run(name, flags)
        took.append(f"{name}: exit {code}, {time.monotonic() - start:.0f} s, {len(found)} goal(s)")
        goals += [f"{name}: {g}" for g in found]
        if code != 0:
            broken.append(f"{name} (exit {code})")
    print("\n## scripts")
    for line in took:
        print(line)
    print("\n## goals")
    for line in goals:
        print(line)
    print(
        f"{sum('NOT met' not in g for g in goals)} of {len(goals)} goals met"
        + (f"; scripts that broke: {', '.join(broken)}" if broken else "; every script ran")
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
