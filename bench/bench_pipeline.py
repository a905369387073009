"""Pipeline benchmarks, each printed as a ratio against a baseline measured in the same run.

- cold `miner build` of the shared INFOPOLE folder (goal <= 5 s, issue 27);
- re-build of the demo inputs unchanged vs their cold build (goal <= 5 %, issue 21), and the same
  for the demo pipeline file (`miner run`, whose query step prints its answers each time);
- 20 documents extracted with 2 jobs vs 1 job (goal >= 1.6x faster);
- `miner build` of the same 20 documents with --jobs 2 vs --jobs 1 (goal >= 1.6x faster, issue 21);
- time per page for generated reports of 10, 100 and 1,000 pages (should stay flat);
- `miner --help` start-up vs a bare `python -c pass`;
- peak RSS of the demo vs a bare interpreter.

    python bench/bench_pipeline.py [--quick] [--tiny] [--builds]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from goals import SHARED, TINY, goal  # noqa: E402

PY = sys.executable
MINER = [PY, "-m", "miner"]


def _run(cmd: list[str], cwd: Path | None = None) -> float:
    return _timed(cmd, cwd)[0]


def _timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and every worker it waited for): on a loaded
    machine the wall ratio says little, the CPU shows whether the work itself grew."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _copy_project(dest: Path) -> Path:
    for name in ("corpora", "pipelines", "ontology"):
        shutil.copytree(ROOT / name, dest / name)
    return dest / "pipelines" / "demo.yaml"


def rerun_vs_cold(tmp: Path) -> float:
    pipeline = _copy_project(tmp / "demo")
    cold = _run([*MINER, "run", str(pipeline), "--quiet"])
    warm = _run([*MINER, "run", str(pipeline), "--quiet"])
    ratio = warm / cold
    print(f"demo re-run on an unchanged corpus: cold {cold:.2f} s, re-run {warm:.2f} s, ratio {ratio:.1%}")
    goal("demo re-run / cold run", ratio * 100, "<=", 5, " %")
    return ratio


def rebuild_vs_cold(tmp: Path) -> float:
    """`miner build` of the demo inputs as `make demo` names them, cold then again unchanged (issue 21)."""
    _copy_project(tmp / "rebuild")
    pdf = tmp / "rebuild" / "corpora" / "pdf"
    inputs = [
        str(p)
        for pattern in (
            "evaluation-chanvrelia-*.pdf",
            "evaluation-mi-parcours-chanvrelia-*.pdf",
            "contrat-chanvrelia-*.pdf",
            "activites-*.pdf",
        )
        for p in sorted(pdf.glob(pattern))
    ]
    command = [
        *MINER,
        "build",
        *inputs,
        str(tmp / "rebuild" / "corpora" / "members"),
        "--store",
        str(tmp / "rebuild" / "graphs" / "store"),
        "--quiet",
    ]
    cold = _run(command)
    warm = min(_run(command) for _ in range(3))
    ratio = warm / cold
    print(
        f"demo re-build of unchanged inputs: cold {cold:.2f} s, re-build {warm:.2f} s (best of 3), ratio {ratio:.1%} "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    goal("demo re-build / cold build", ratio * 100, "<=", 5, " %")
    return ratio


def cold_build(tmp: Path) -> float:
    """`miner build` of the shared INFOPOLE folder (a report and an atlas sheet) into a new store,
    against a bare interpreter start and pdfplumber reading the same files, in this run."""
    folder = SHARED / "corpora" / "infopole"
    seconds, cpu = _timed([*MINER, "build", str(folder), "--store", str(tmp / "cold" / "store")])
    bare = time.perf_counter()
    import pdfplumber

    for pdf_path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    bare = time.perf_counter() - bare
    print(
        f"cold build of {folder.name}/ ({len(list(folder.glob('*.pdf')))} PDFs): {seconds:.2f} s ({cpu:.1f} s CPU) "
        f"(bare pdfplumber text of the same PDFs {bare:.2f} s; load average {os.getloadavg()[0]:.1f})"
    )
    goal(f"cold build of {folder.name}/", seconds, "<=", 5, " s")
    return seconds


def _report(path: Path, name: str, questions: int) -> Path:
    """A generated report: the sample 2025 evaluation, its questions repeated to reach a length."""
    from corpora.render.report_pdf import render_evaluation
    from corpora.render.report_source import load_source

    source = load_source(ROOT / "corpora" / "sources" / "evaluation-chanvrelia-2025.yaml")
    base = source.questions
    repeated = [q.model_copy(update={"number": i + 1}) for i in range(questions) for q in [base[i % len(base)]]]
    source = source.model_copy(update={"cluster": name, "questions": repeated})
    return render_evaluation(source, path)


def _reports(tmp: Path, documents: int) -> list[Path]:
    """``documents`` generated five-question reports, made once per run."""
    folder = tmp / "twenty"
    if not folder.is_dir():
        folder.mkdir()
        for i in range(documents):
            _report(folder / f"r{i:02d}.pdf", f"Cluster Banc {i}", 5)
    return sorted(folder.glob("*.pdf"))


def build_scaling(tmp: Path, documents: int = 20, skip: str = "network,compare") -> float:
    """`miner build` of the generated reports into a new store with --jobs 1, then --jobs 2 (no cache)."""
    paths = [str(p) for p in _reports(tmp, documents)]
    one, one_cpu = _timed(
        [*MINER, "build", *paths, "--store", str(tmp / "jobs1" / "store"), "--jobs", "1", "--skip", skip]
    )
    two, two_cpu = _timed(
        [*MINER, "build", *paths, "--store", str(tmp / "jobs2" / "store"), "--jobs", "2", "--skip", skip]
    )
    speedup = one / two
    print(
        f"miner build of {documents} documents: --jobs 1 {one:.2f} s ({one_cpu:.1f} s CPU), --jobs 2 {two:.2f} s "
        f"({two_cpu:.1f} s CPU), speed-up {speedup:.2f}x ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})"
    )
    goal("miner build with 2 jobs, speed-up over 1", speedup, ">=", 1.6)
    return speedup


def jobs_scaling(tmp: Path, documents: int = 20) -> float:
    from miner.extract.evaluation import extract_batch
    from miner.read.isolate import Limits

    paths = _reports(tmp, documents)
    one = time.perf_counter()
    extract_batch(paths, limits=Limits(jobs=1))
    one = time.perf_counter() - one
    two = time.perf_counter()
    extract_batch(paths, limits=Limits(jobs=2))
    two = time.perf_counter() - two
    speedup = one / two
    print(
        f"{documents} documents: 1 job {one:.2f} s, 2 jobs {two:.2f} s, speed-up {speedup:.2f}x "
        f"({os.cpu_count()} cores)"
    )
    goal("extraction with 2 jobs, speed-up over 1", speedup, ">=", 1.6)
    return speedup


def per_page(tmp: Path, sizes: tuple[int, ...]) -> dict[int, float]:
    from miner.extract.evaluation import extract_evaluation
    from miner.read.pdf import read_pdf

    out = {}
    for target in sizes:
        path = _report(tmp / f"pages-{target}.pdf", "Cluster Pages", max(1, target // 2))
        pages = read_pdf(path).source.pages
        start = time.perf_counter()
        extract_evaluation(path)
        elapsed = time.perf_counter() - start
        out[pages] = elapsed / pages
    first = next(iter(out.values()))
    cells = ", ".join(f"{p} pages: {t * 1000:.0f} ms/page ({t / first:.2f}x)" for p, t in out.items())
    print(f"time per page (flat is good): {cells}")
    return out


def startup(repeat: int = 3) -> float:
    bare = min(_run([PY, "-c", "pass"]) for _ in range(repeat))
    helped = min(_run([*MINER, "--help"]) for _ in range(repeat))
    print(f"miner --help start-up: {helped:.2f} s vs bare python {bare:.2f} s, ratio {helped / bare:.1f}x")
    goal("miner --help start-up", helped, "<=", 0.5, " s")
    return helped


def _peak_rss_mb(cmd: list[str]) -> float:
    """Peak RSS of the largest process of ``cmd`` (it or a worker it waited for), measured by a fresh
    wrapper so that children of this script run earlier do not count."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PY, "-c", code, *cmd], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def peak_rss(tmp: Path) -> float:
    pipeline = _copy_project(tmp / "rss")
    bare = _peak_rss_mb([PY, "-c", "pass"])
    demo = _peak_rss_mb([*MINER, "run", str(pipeline), "--quiet"])
    print(
        f"peak RSS of the demo (largest process): {demo:.0f} MB vs bare python {bare:.0f} MB, ratio {demo / bare:.0f}x"
    )
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="pipeline benchmarks")
    parser.add_argument("--quick", action="store_true", help="10 and 100 pages only")
    parser.add_argument("--tiny", action="store_true", help=TINY + " (no demo, cold build or RSS runs: CLI runs)")
    parser.add_argument("--builds", action="store_true", help="only the cold INFOPOLE build and the demo re-build")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.builds:
            cold_build(tmp)
            rebuild_vs_cold(tmp)
            return
        if args.tiny:
            jobs_scaling(tmp, documents=2)
            build_scaling(tmp, documents=2, skip="organisations,network,compare")
            per_page(tmp, (2, 4))
            startup(1)
            return
        cold_build(tmp)
        rebuild_vs_cold(tmp)
        rerun_vs_cold(tmp)
        jobs_scaling(tmp)
        build_scaling(tmp)
        per_page(tmp, (10, 100) if args.quick else (10, 100, 1000))
        startup()
        peak_rss(tmp)


if __name__ == "__main__":
    main()
