"""`make bench`: run every benchmark of bench/ in one go; each prints ratios against its own
baseline measured in the same run. Pass --quick for the short variants."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_cli.py", "bench_extract.py", "bench_layouts.py", "ocr.py", "bench_pipeline.py", "bench_queries.py",
         "bench_endpoint.py", "bench_classify.py",
         "bench_network.py"]


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    try:
        mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 // 1024
    except (OSError, StopIteration):
        mem = 0
    import os

    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem} GiB, Python {platform.python_version()}"


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    print(f"# miner benchmarks on {machine()}")
    failed = 0
    for name in ORDER:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n## {name}", flush=True)
        args = [sys.executable, str(script)] + (["--quick"] if quick and name == "bench_pipeline.py" else [])
        failed += subprocess.run(args).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
