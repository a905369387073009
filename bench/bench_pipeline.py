"""Pipeline benchmarks, each printed as a ratio against a baseline measured in the same run.

- cold `miner build` of the shared INFOPOLE folder (goal <= 5 s, issue 27);
- re-build of the demo inputs unchanged vs their cold build (goal <= 5 %, issue 21), and the same
  for the demo pipeline file (`miner run`, whose query step prints its answers each time);
- 20 documents extracted with 2 jobs vs 1 job (goal >= 1.6x faster);
- `miner build` of the same 20 documents with --jobs 2 vs --jobs 1 (goal >= 1.6x faster, issue 21);
- time per page for generated reports of 10, 100 and 1,000 pages (should stay flat);
- `miner --help` start-up vs a bare `python -c pass`;
- peak RSS of the demo vs a bare interpreter;
- ``--timeline``: one cold build of the INFOPOLE folder traced, each phase with its start, end and
  CPU seconds in its process and thread (interpreter start and the CLI's imports, each worker's
  extraction and what it does alongside, the French pipeline's load, the imports made meanwhile,
  each step after extraction, the store's close), to find the build's critical path in CPU seconds
  on a machine whose wall times lie (a shared one).

    python bench/bench_pipeline.py [--quick] [--tiny] [--builds] [--timeline]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.abc
import importlib.machinery
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from goals import SHARED, TINY, goal  # noqa: E402

PY = sys.executable
MINER = [PY, "-m", "miner"]


def _as_installed() -> dict[str, str]:
    """The environment of a timed build: this checkout's miner first on the path (started from
    elsewhere, `python -m miner` would find the venv's install, maybe another checkout), and Python
    writing byte code: an installed miner has its modules compiled (pip does it); with
    PYTHONDONTWRITEBYTECODE set, as in some shells, each run of a checkout would compile its ~100
    modules again (~0.3 s) and time that instead of the build."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _run(cmd: list[str], cwd: Path | None = None) -> float:
    return _timed(cmd, cwd)[0]


def _timed(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and every worker it waited for): on a loaded
    machine the wall ratio says little, the CPU shows whether the work itself grew."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    seconds, cpu = _timed([*MINER, "build", str(folder), "--store", str(tmp / "cold" / "store")], env=_as_installed())
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


TRACED = {
    "miner.pipeline.build": ["build", "default_steps"],
    "miner.pipeline.runner": ["finish_run"],
    "miner.pipeline.context": ["RunContext.release_store", "RunContext._writer"],
    "miner.pipeline.alongside": [
        "preload_graph_builders",
        "keep_answers",
        "write_graph_ahead",
        "_organisations_answer",
        "_graph_of",
        "_organisations_graph_of",
    ],
    "miner.nlp.french": ["_new_nlp"],
    "miner.nlp.backends": ["import_spacy"],
    "miner.nlp.compact": ["precompile_token_match", "load_compact"],
    "miner.extract.evaluation": ["extract_evaluation"],
    "miner.extract.organisations": ["organisations_of_evaluation", "organisations_of_evaluations"],
    "miner.pipeline.kinds": ["table_verdict"],
    "miner.pipeline.steps.indicators": ["indicators_here", "read_indicator_tables"],
    "miner.store.write": ["load_ontology", "replace_graph_lines"],
    "miner.store.load": ["load_evaluations", "load_organisations"],
    "miner.store.documents": ["record_documents"],
    "miner.network.network": ["network", "write_network"],
}
"""Functions a traced build times (module: names, ``Class.method`` for methods), patched as their
module is imported, in the parent and in the workers it forks."""
TRACED_IMPORTS = (
    "miner.cli.app miner.pipeline.build miner.pipeline.steps.documents miner.extract.evaluation pdfplumber numpy "
    "spacy rdflib miner.rdf.evaluation networkx miner.network.network pyvis scipy jinja2 torch"
).split()
"""Modules whose import a traced build times (what imports them, in which process and thread)."""


def _trace_build(events: str, argv: list[str]) -> None:
    """Run ``miner argv`` in this process with the :data:`TRACED` functions and :data:`TRACED_IMPORTS`
    timed; each process appends its spans to ``events`` (JSON lines) as it ends. The parent's clock
    origin is ``MINER_TRACE_T0`` (the wall time its caller started it at)."""
    origin = float(os.environ.get("MINER_TRACE_T0") or time.time())
    spans: list[dict[str, Any]] = []
    parent = os.getpid()

    def span(name: str, start: float, cpu: float, kind: str) -> None:
        spans.append(
            {
                "name": name,
                "pid": os.getpid(),
                "thread": threading.current_thread().name,
                "start": round(start - origin, 4),
                "end": round(time.time() - origin, 4),
                "cpu": round(cpu, 4),
                "kind": kind,
                "process_cpu": round(time.process_time(), 4),  # every thread of the process, so far
                "thread_cpu": round(time.thread_time(), 4),  # this thread, so far
            }
        )

    def flush() -> None:
        with open(events, "a", encoding="utf-8") as handle:
            handle.writelines(json.dumps(one) + "\n" for one in spans)
        spans.clear()

    def timed(name: str, func: Callable[..., Any], worker: bool = False) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            if worker:
                spans.clear()  # the parent's spans, inherited by the fork, are the parent's to write
            start, cpu = time.time(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                if worker:
                    used = resource.getrusage(resource.RUSAGE_SELF)
                    span(name, start, used.ru_utime + used.ru_stime, "worker")
                    flush()
                else:
                    span(name, start, time.thread_time() - cpu, "call")

        return run

    def patch(module: Any) -> None:
        for qualified in TRACED.get(module.__name__, ()):
            owner, _, attr = qualified.rpartition(".")
            holder = getattr(module, owner) if owner else module
            setattr(holder, attr, timed(f"{module.__name__.removeprefix('miner.')}.{qualified}", getattr(holder, attr)))
        if module.__name__ == "miner.read.isolate":
            module._child = timed("worker", module._child, worker=True)
            forking = module.forking_between_imports

            @contextlib.contextmanager
            def fork(*args: Any, **kwargs: Any) -> Any:
                with forking(*args, **kwargs) as busy:
                    yield busy
                span("fork", time.time(), 0.0, "fork")

            module.forking_between_imports = fork
        if module.__name__ == "miner.pipeline.runner":
            whole = module.run_steps

            def run_steps(ctx: Any, steps: list[Any]) -> Any:
                for spec, params in steps:
                    start, cpu = time.time(), time.thread_time()
                    whole(ctx, [(spec, params)])
                    span(f"step {spec.name}", start, time.thread_time() - cpu, "step")
                return ctx

            module.run_steps = run_steps

    class Timed(importlib.abc.Loader):
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def create_module(self, spec: Any) -> Any:
            return self.inner.create_module(spec)

        def exec_module(self, module: Any) -> None:
            start, cpu = time.time(), time.thread_time()
            self.inner.exec_module(module)
            if module.__name__ in TRACED_IMPORTS:
                span(f"import {module.__name__}", start, time.thread_time() - cpu, "import")
            patch(module)

    wanted = {*TRACED, *TRACED_IMPORTS, "miner.read.isolate", "miner.pipeline.runner"}

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name not in wanted:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is not None and spec.loader is not None:
                spec.loader = Timed(spec.loader)
            return spec

    sys.meta_path.insert(0, Finder())
    started, at_start = time.time(), time.process_time()
    import atexit
    import runpy

    @atexit.register
    def close() -> None:
        if os.getpid() != parent:
            return
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        span("process", origin, own.ru_utime + own.ru_stime, "process")
        spans[-1]["workers_cpu"] = round(workers.ru_utime + workers.ru_stime, 4)
        spans.append(
            {
                "name": "interpreter started",
                "start": 0.0,
                "end": round(started - origin, 4),
                "cpu": round(at_start, 4),
                "process_cpu": round(at_start, 4),
                "thread_cpu": round(at_start, 4),
                "pid": parent,
                "thread": "MainThread",
                "kind": "start",
            }
        )
        flush()

    sys.argv = ["miner", *argv]
    runpy.run_module("miner", run_name="__main__", alter_sys=True)


def show_timeline(events: Path, out: Callable[[str], Any] = print) -> dict[str, float]:
    """Print a traced build's spans by start time, then its CPU seconds by phase (the parent's from
    its whole-process CPU at the first fork and at the end of extraction) and an estimate of its
    critical path on an idle machine of this many cores; returns the phases."""
    spans = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    spans.sort(key=lambda one: (one["start"], -one["end"]))
    processes: dict[int, str] = {}
    for one in spans:
        processes.setdefault(one["pid"], "parent" if not processes else f"worker {len(processes)}")
    out(f"{'start':>7} {'end':>7} {'wall':>6} {'CPU':>6}  {'process/thread':24} span")
    for one in spans:
        who = f"{processes[one['pid']]}/{one['thread'].removeprefix('miner-')[:12]}"
        out(
            f"{one['start']:7.3f} {one['end']:7.3f} {one['end'] - one['start']:6.3f} {one['cpu']:6.3f}  "
            f"{who:24} {one['name']}"
        )
    whole = next(one for one in spans if one["kind"] == "process")
    forks = [one for one in spans if one["kind"] == "fork"]
    extraction = next(one for one in spans if one["name"] == "step miner.extract.v1")
    workers = [one for one in spans if one["kind"] == "worker"]
    reading = [one for one in workers if one["start"] < extraction["end"]]
    later = [one for one in workers if one["start"] >= extraction["end"]]
    first_fork = forks[0]["process_cpu"] if forks else extraction["process_cpu"]
    during = extraction["process_cpu"] - first_fork
    after = whole["thread_cpu"] - extraction["thread_cpu"]  # the main thread's (the French pipeline may still load)
    phases = {
        "parent before the first fork (serial)": first_fork,
        "parent while the workers extract": during,
        "  of which the French pipeline's load (its thread)": sum(
            one["cpu"] for one in spans if one["name"] == "nlp.french._new_nlp"
        ),
        "  of which graph builders and network imported": sum(
            one["cpu"]
            for one in spans
            if one["name"] in ("pipeline.alongside.preload_graph_builders", "import miner.network.network")
        ),
        "extraction workers": sum(one["cpu"] for one in reading),
        "  the longest one": max((one["cpu"] for one in reading), default=0.0),
        "parent after extraction (main thread)": after,
        "workers after extraction": sum(one["cpu"] for one in later),
        "whole build": whole["cpu"] + whole["workers_cpu"],
    }
    cores = os.cpu_count() or 1
    # idle estimate: the serial start, then the extraction phase (its longest worker, or all its work
    # spread over the cores), then the parent's part after it with its longest worker beside it (when
    # the two overlap) or after it (when the parent waits for it)
    start_and_read = first_fork + max(phases["  the longest one"], (during + phases["extraction workers"]) / cores)
    longest_later = max((one["cpu"] for one in later), default=0.0)
    phases["critical path estimate (idle), low"] = start_and_read + max(after, longest_later)
    phases["critical path estimate (idle), high"] = start_and_read + after + longest_later
    out(f"wall {whole['end']:.2f} s here; CPU {phases['whole build']:.2f} s")
    for label, cpu in phases.items():
        out(f"  {label}: {cpu:.2f} s CPU")
    return phases


def timeline(tmp: Path, inputs: list[Path], skip: str = "") -> dict[str, float]:
    """One cold `miner build` of ``inputs`` into a new store, traced (:func:`_trace_build`), and its timeline."""
    events = tmp / "timeline.jsonl"
    events.unlink(missing_ok=True)
    command = [
        PY,
        __file__,
        "--trace-build",
        str(events),
        "build",
        *map(str, inputs),
        "--store",
        str(tmp / "traced" / "store"),
    ]
    origin = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**_as_installed(), "MINER_TRACE_T0": repr(origin)}
    subprocess.run([*command, *(["--skip", skip] if skip else [])], check=True, stdout=subprocess.DEVNULL, env=env)
    ended = time.time() - origin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"timeline of a cold build of {len(inputs)} input(s) (load average {os.getloadavg()[0]:.1f}):")
    phases = show_timeline(events)
    # what the spans cannot see: the interpreter's own end, after the last exit handler
    phases["exit"] = exit_cpu = used - phases["whole build"]
    print(f"  the interpreter's exit, after the last span: {exit_cpu:.2f} s CPU; the process ended at {ended:.2f} s")
    return phases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="pipeline benchmarks")
    parser.add_argument("--quick", action="store_true", help="10 and 100 pages only")
    parser.add_argument("--tiny", action="store_true", help=TINY + " (no demo, cold build or RSS runs: CLI runs)")
    parser.add_argument("--builds", action="store_true", help="only the cold INFOPOLE build and the demo re-build")
    parser.add_argument("--timeline", action="store_true", help="only a traced cold build of INFOPOLE, phase by phase")
    parser.add_argument("--trace-build", metavar="EVENTS", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.trace_build:  # the traced build itself (run by timeline())
        _trace_build(args.trace_build, rest)
        return
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.timeline:
            timeline(tmp, [SHARED / "corpora" / "infopole"])
            return
        if args.builds:
            cold_build(tmp)
            rebuild_vs_cold(tmp)
            return
        if args.tiny:
            jobs_scaling(tmp, documents=2)
            build_scaling(tmp, documents=2, skip="organisations,network,compare")
            timeline(tmp, _reports(tmp, 2), skip="organisations,network,compare")
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
