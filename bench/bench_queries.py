"""Competency queries on generated stores of 100 k and 1 M quads: each saved query's p50 on
Oxigraph (miner's store, on disk and in memory), its growth exponent from the smaller store to the
larger, and rdflib's in-memory Dataset on the larger (same quads, same queries, same run); the
memory a quad holds in an in-memory copy (what ``PoolSettings.bytes_per_quad`` must cover); and
miner's start-up cost.

Each query is answered as a query worker answers it: on the store opened read-only, as a worker
opens it, rows written as TSV by Oxigraph and parsed back into terms. The p50 per size is the query's own time, its wall time less the time its threads
waited for a core (the kernel's run-queue delay): on the team's shared 2-core machine at load ~10,
wall times were 5x the CPU time and the whole difference was that wait (disk waits ~0 once the
page cache is warm), so the wall time measured the load, not the store. Wall and CPU are printed too.
Every size is opened first and each query timed at the sizes in turn, run by run, each timed run after
an untimed one on the same store: its growth exponent compares times taken seconds apart under the same
load, on the stores' own quad counts. (Timed all at 100 k, then all at 1 M minutes later, the exponents
measured how the load changed between the two: on the same stores at load 5-6, nine queries over 1.05
up to 1.37 that way, none over 1.04 interleaved. Interleaving does not remove the load's noise: at load
8-9 interleaved runs of the same stores differ by up to 0.15 in a query's exponent, so the goal is read
on an idle machine.) The exponent is the median of the runs' own exponents, each from one run's sizes
timed seconds apart, not the exponent between the two sizes' medians, whose runs may come from
different moments of the load: on the same stores at load ~5, blocks of 5 runs spread by a standard
deviation of 0.019 instead of 0.066 (judgement_counts), 0.014 instead of 0.028 (question_constats),
0.055 instead of 0.064 (member_timeline), 0.044 instead of 0.053 (question_overview); and 9 runs by
default, not 5 (blocks of 9: 0.021, 0.017, 0.036, 0.039), where the lead's run of 5 read member_timeline
at 1.21 and 45 runs of the same stores at 1.00. (Those figures are the on-disk door's; from memory, 27
runs in blocks of 9 spread about as much either way: 0.038 against 0.040 on average over the same four.)

The graph is made by miner's own graph builder from the sample corpus's evaluation report
(corpora/pdf), copied over many clusters and cycles with seeded random judgements and member
counts, so its shape is that of real data. Goals (issue 27): every saved query ≤ 300 ms p50 at
1 M quads, growth exponent ≤ 1.05 (time ~ quads**k), ≥ 20× faster than rdflib.
Start-up: wall time of ``miner --help`` and of ``miner query`` on a small store, and whether
importing ``miner.cli.app`` / ``miner.store.local`` pulls in torch or spaCy (it must not).

    python bench/bench_queries.py [--sizes 100000,1000000] [--repeat 9] [--rdflib-repeat 1] [--limit 30] [--tiny]
                                  [--no-cache]

Generated stores are kept as N-Quads in the system's temporary folder (``miner-bench-queries``), by
size and a digest of the graph builders' code, so a second run loads them instead of generating.

A query running past ``--limit`` seconds is stopped and printed as "> limit", its ratio as a lower
bound: Oxigraph's run after ``--limit`` seconds of wall time, rdflib's (in a forked child that is
killed) after ``--limit`` seconds of its CPU, so a loaded machine does not cut rdflib's budget short.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "pdf" / "evaluation-chanvrelia-2025.pdf"
SHARED = ROOT.parent / "shared" / "corpora" / "infopole" / "evaluation-infopole-2025-synthese.pdf"
MINER = ROOT / ".venv" / "bin" / "miner"
sys.path.insert(0, str(ROOT))  # this checkout's miner, not another one installed in the venv
SEED = 20250101


def base_evaluation():
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(SAMPLE if SAMPLE.exists() else SHARED)


SECTORS = (
    "cluster wallon des technologies de l'eau et de l'environnement",
    "cluster wallon des textiles techniques et des matériaux souples",
    "cluster wallon des technologies de l'information et de la communication",
)
"""Tails of the generated clusters' names: real cluster names run 20 to 70 characters (the shared
corpus's: 'INFOPOLE cluster TIC' … 'PIXELOR cluster wallon du jeu vidéo et de l'animation'), longer
than the strings Oxigraph keeps inline (15 bytes), so a sort on them reads the store; the former
'Cluster 001' was inline and hid that cost."""


def cluster_label(cluster: int) -> str:
    """A generated cluster's name, as long as a real one."""
    return f"CLUSTER{cluster:03d} {SECTORS[cluster % len(SECTORS)]}"


def generated_evaluations(base, count: int):
    """``count`` variants of ``base``: clusters × cycles, random judgements and member counts."""
    from miner.records import Judgement

    rng = random.Random(SEED)
    cycles_per_cluster = 8
    for index in range(count):
        cluster, cycle = divmod(index, cycles_per_cluster)
        questions = []
        for q in base.questions:
            criteria = [c.model_copy(update={"judgement": rng.choice(list(Judgement))}) for c in q.criteria]
            conclusion = (
                f"Le cluster rassemble {rng.randint(20, 400)} membres. " + q.conclusion
                if q.number == 1
                else q.conclusion
            )
            questions.append(q.model_copy(update={"criteria": criteria, "conclusion": conclusion}))
        digest = hashlib.sha256(f"{cluster}/{cycle}".encode()).hexdigest()
        yield (
            base.model_copy(
                update={
                    "questions": questions,
                    "source": base.source.model_copy(
                        update={"sha256": digest, "path": f"eval-{cluster:03d}-{cycle}.pdf"}
                    ),
                    "metadata": base.metadata.model_copy(
                        update={
                            "cluster": cluster_label(cluster),
                            "date": base.metadata.date.replace(year=2001 + 3 * cycle) if base.metadata.date else None,
                        }
                    ),
                }
            ),
            f"triennat-{cycle + 1}",
        )


def build_store(target: int, base=None):
    """An in-memory Oxigraph store of about ``target`` quads with the ontology graph, built with
    miner's own loaders; and the number of evaluations in it."""
    from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
    from miner.store.local import load_ontology, load_rdflib_graph, open_store

    base = base or base_evaluation()
    one = len(build_evaluation_graph(base, GraphSettings(generated_at="2025-01-01T00:00:00+00:00")))
    count = max(1, round(target / one))
    store = open_store(None)
    for evaluation, cycle in generated_evaluations(base, count):
        load_rdflib_graph(
            store,
            build_evaluation_graph(evaluation, GraphSettings(cycle=cycle, generated_at="2025-01-01T00:00:00+00:00")),
        )
    load_ontology(store, "https://w3id.org/miner/data/graph/ontology")
    return store, count


CACHE = Path(tempfile.gettempdir()) / "miner-bench-queries"
"""Generated stores as N-Quads, by size and by a digest of what makes them (the graph builders' code,
this script's generator functions, the sample report, the seed): generating 1 M quads takes minutes, loading them seconds."""


def store_digest() -> str:
    import inspect

    digest = hashlib.sha256(f"{SEED}{SECTORS}".encode())
    writers = [ROOT / "miner" / "store" / name for name in ("write.py", "derived.py")]  # what the store derives
    for path in sorted((ROOT / "miner" / "rdf").glob("*.py")) + writers + [SAMPLE if SAMPLE.exists() else SHARED]:
        digest.update(path.read_bytes())
    for maker in (
        base_evaluation,
        cluster_label,
        generated_evaluations,
        build_store,
    ):  # not the rest of this script: its report
        digest.update(inspect.getsource(maker).encode())
    for path in sorted((ROOT / "miner" / "data" / "ontology").glob("*.ttl")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_store(target: int, base_of, cache: Path | None = CACHE):
    """``build_store(target)``'s store, loaded from the cache when an earlier run made it (``cache``
    None: always generate); and its number of evaluations."""
    import pyoxigraph as ox

    path = cache / f"{store_digest()}-{target}.nq" if cache else None
    if path and path.exists():
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return store, int(path.with_suffix(".count").read_text())
    store, count = build_store(target, base_of())
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        store.dump(output=str(part), format=ox.RdfFormat.N_QUADS)
        path.with_suffix(".count").write_text(str(count))
        part.rename(path)
    return store, count


def user_built_folder(target: int, memory, cache: Path | None, tmp: Path) -> Path:
    """The on-disk store of ``memory``'s quads written as a `miner build` writes them: each named graph
    replaced in its own transaction with its owner (:func:`miner.store.write.replace_graph_lines`, which
    also derives the changes graphs), then flushed; so its files are laid out as a user's store is (a
    bulk load writes sorted files a build never makes). Kept beside the N-Quads cache, read-only after.

    Measured at 1.2 M quads, CPU of the 22 saved queries interleaved (load ~9): this store 3,821 ms, the
    same quads bulk-loaded 4,150, bulk-loaded then ``Store.optimize()`` (20 s) 3,792. On a build's own
    store ``optimize()`` takes 0.4 s and changes nothing measurable (3,258 before, 3,373 after): RocksDB's
    background compaction has done it, so a build does not call it."""
    import shutil

    import pyoxigraph as ox

    from miner.store.local import open_store
    from miner.store.owners import graph_owners
    from miner.store.write import drop_spent_logs, replace_graph_lines

    folder = cache / f"{store_digest()}-{target}.store" if cache else tmp / f"store-{target}"
    if folder.is_dir():
        return folder
    owners = graph_owners(memory)
    graphs: dict[str, list[str]] = {}
    for quad in memory:
        name = quad.graph_name
        owner = owners.get(name.value) if isinstance(name, ox.NamedNode) else None
        if owner is not None and owner.kind != "derived":  # the owners' and changes graphs: the writes make them
            graphs.setdefault(name.value, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    part = folder.with_suffix(".part")
    shutil.rmtree(part, ignore_errors=True)
    store = open_store(part)
    for name, lines in graphs.items():
        replace_graph_lines(store, {name: lines}, owners[name])
    store.flush()
    del store
    drop_spent_logs(part)  # as a build's end does (the write-ahead logs its writes left: 1.2 GB at 1 M quads)
    part.rename(folder)
    return folder


def folder_mb(folder: Path) -> float:
    """Megabytes of the files in ``folder`` (a store's tables and whatever logs it kept)."""
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file()) / 2**20


def to_rdflib(quads):
    import rdflib

    def convert(term):
        kind = type(term).__name__
        if kind == "NamedNode":
            return rdflib.URIRef(term.value)
        if kind == "BlankNode":  # the ontology's OWL restrictions and lists
            return rdflib.BNode(term.value)
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))

    dataset = rdflib.Dataset(default_union=True)
    graphs: dict[str, rdflib.Graph] = {}
    for quad in quads:
        name = quad.graph_name.value
        if name not in graphs:
            graphs[name] = dataset.graph(rdflib.URIRef(name))
        graphs[name].add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return dataset


def p50(func, repeat: int) -> tuple[float, object]:
    seconds, _, result = p50_cpu(func, repeat)
    return seconds, result


def p50_cpu(func, repeat: int) -> tuple[float, float, object]:
    """Median wall and median CPU seconds of ``func`` over ``repeat`` runs, and its last result. CPU
    time (this process, all threads) is what the query costs whatever else the machine runs: on a
    shared machine the wall time grows with the load, the CPU time hardly."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), statistics.median(cpus), result


def waited_for_a_core() -> float:
    """Seconds the calling thread has spent runnable but waiting for a core (the kernel's run-queue
    delay, /proc/thread-self/schedstat; 0 where the kernel does not say): the part of a wall time
    that is the machine's load, not the query."""
    try:
        with open("/proc/thread-self/schedstat") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def rdflib_p50(dataset, text: str, repeat: int, limit: float) -> tuple[float, bool, int | None]:
    """CPU p50 and row count of an rdflib query, run in a forked child stopped once it has used
    ``limit`` seconds of CPU a run; and whether it was stopped (then the CPU it had used: a lower
    bound). CPU, not wall, for the answer and for the cap: rdflib and Oxigraph then compare whatever
    the machine's load while each ran. (A wall-clock cap gave rdflib a third of its budget at load
    ~10, so its lower bounds, e.g. "> 11x", said the load, not the query.)"""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def work() -> None:
        _, seconds, rows = p50_cpu(lambda: list(dataset.query(text)), repeat)
        child.send((seconds, len(rows)))

    process = context.Process(target=work, daemon=True)
    process.start()
    deadline = time.monotonic() + 10 * limit * repeat  # a child that stopped using CPU without answering
    while not parent.poll(0.2):
        used = cpu_of(process.pid) or 0.0
        if used > limit * repeat or time.monotonic() > deadline or not process.is_alive() and not parent.poll(0):
            process.kill()
            process.join()
            return used / repeat, True, None
    seconds, rows = parent.recv()
    process.join()
    return seconds, False, rows


def cpu_of(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used, from /proc; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def miner_command() -> list[str]:
    """The installed ``miner`` script when there is one and it runs this checkout (its start-up is
    what users pay), else this Python running ``-m miner`` from this checkout (a worktree sharing
    another checkout's venv: its script runs that checkout's code)."""
    if MINER.exists():
        found = subprocess.run(
            [str(MINER.parent / "python"), "-P", "-c", "import miner; print(miner.__file__)"],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
        ).stdout.strip()
        if found and Path(found).resolve().parents[1] == ROOT.resolve():
            return [str(MINER)]
    return [sys.executable, "-m", "miner"]


def startup(store_dir: Path, repeat: int = 5) -> dict[str, float | list[str]]:
    exe = miner_command()
    bare, _ = p50(
        lambda: subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True, cwd=ROOT), repeat
    )
    help_time, _ = p50(lambda: subprocess.run([*exe, "--help"], capture_output=True, check=True, cwd=ROOT), repeat)
    query_time, _ = p50(
        lambda: subprocess.run(
            [*exe, "query", "count_constats", "--store", str(store_dir)], capture_output=True, check=True, cwd=ROOT
        ),
        repeat,
    )
    code = (
        "import sys, miner.cli.app, miner.store.local, miner.store.query; "
        "print(','.join(m for m in ('torch', 'spacy', 'sentence_transformers', 'pandas', 'rdflib') if m in sys.modules))"
    )
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return {"help": help_time, "query": query_time, "bare": bare, "heavy": [m for m in heavy.split(",") if m]}


def paired_growth(sizes: list[int], runs: list[list[float]]) -> float:
    """The median over runs of :func:`growth`, ``runs`` holding each size's times in run order (the
    sizes of one run timed seconds apart, under the same load): an exponent per run, then their median.

    >>> round(paired_growth([1, 10], [[1.0, 2.0, 1.0], [10.0, 20.0, 30.0]]), 2)
    1.0
    """
    return statistics.median(growth(sizes, list(run)) for run in zip(*runs))


def growth(sizes: list[int], times: list[float]) -> float:
    """The exponent k of time ~ size**k between the smallest and the largest size (1: linear); the
    sizes are the stores' own quad counts, not the targets asked for."""
    import math

    return math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])


def whole_answer(store, text: str):
    """Every row, as `miner query` and a worker answer a caller that reads them: TSV by Oxigraph parsed into terms."""
    from miner.store.local import run_query_tsv

    return run_query_tsv(store, text, max_rows=None).unpack()


def endpoint_answer(store, text: str):
    """The answer `miner serve` sends for a SPARQL JSON request at its defaults: at most its max_rows
    rows, the worker's TSV written as JSON unread (:meth:`miner.serve.endpoint.Endpoint._answer`)."""
    from miner.serve.endpoint import ServeSettings
    from miner.store.local import run_query_tsv
    from miner.store.query import format_result

    result = run_query_tsv(store, text, max_rows=ServeSettings().max_rows)
    format_result(result, "json")
    return result


def answered(store, text: str, repeat: int, limit: float, answer=whole_answer) -> tuple[float, float, float, object]:
    """Median wall, CPU and own seconds of the query answered as a query worker and `miner query`
    answer it, without the pipe between them: Oxigraph writes the rows as SPARQL TSV
    (:func:`run_query_tsv`), the parent parses them into terms (``unpack``); and the last result.
    CPU is the query thread's own (the store's background compaction threads, busy after a bulk
    write, are not the query's). Own time is the wall time less the time the query's thread waited
    for a core: CPU plus waits on the disk, what the query takes on an idle machine. Each run is a thread given ``limit`` seconds
    (Oxigraph cannot be stopped: a run past the limit is left to finish, reported as a timeout)."""
    import threading

    from miner.store.query import QueryTimeout

    walls, cpus, owns, result = [], [], [], None
    for _ in range(repeat):
        outcome: list = []

        def work(into: list) -> None:
            waited, cpu = waited_for_a_core(), time.thread_time()
            try:
                into.append(answer(store, text))
            except Exception as exc:  # noqa: BLE001 - re-raised in the caller's thread
                into.append(exc)
            into += [waited_for_a_core() - waited, time.thread_time() - cpu]

        start, waited = time.perf_counter(), waited_for_a_core()
        thread = threading.Thread(target=work, args=(outcome,), daemon=True)
        thread.start()
        thread.join(limit)
        if len(outcome) < 3:
            raise QueryTimeout(f"past {limit:g} s")
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        result, thread_waited, cpu = outcome
        wall = time.perf_counter() - start
        walls.append(wall)
        cpus.append(cpu)
        owns.append(max(cpu, wall - thread_waited - (waited_for_a_core() - waited)))
    return statistics.median(walls), statistics.median(cpus), statistics.median(owns), result


def answered_together(
    stores: list, text: str, repeat: int, limit: float, answer=whole_answer
) -> list[tuple[float, float, float, object, list[float], list[float]]]:
    """:func:`answered` on each of ``stores`` (one per size), the sizes taken in turn at every run, each
    run after an untimed one on the same store (as a query asked again finds it in the caches): the
    median wall, CPU and own seconds per store, and its last result. A growth exponent compares
    times taken seconds apart, under the same load. (Timed one size after the other, all queries at
    100 k then all at 1 M minutes later, the exponents measured the change of load in between: at
    load 5-6 the same stores gave nine queries over 1.05, up to 1.37; interleaved, none over 1.04.
    At load 8-9 interleaved runs still differ by up to 0.15: the load's noise stays.) After the
    medians, each store's own and CPU seconds run by run, for :func:`paired_growth`."""
    runs: list[list[tuple[float, float, float, object]]] = [[] for _ in stores]
    for _ in range(repeat):
        for store, into in zip(stores, runs):
            answered(store, text, 1, limit, answer)
            into.append(answered(store, text, 1, limit, answer))
    return [
        (
            *(statistics.median(run[field] for run in timed) for field in range(3)),
            timed[-1][3],
            [run[2] for run in timed],
            [run[1] for run in timed],
        )
        for timed in runs
    ]


def copy_cost(folder: Path, batch: int) -> dict[str, float]:
    """What a query worker's in-memory copy of the store at ``folder`` costs (:mod:`miner.store.memory`,
    as `miner serve` loads it): bytes a quad holds once loaded and at the load's peak (resident memory of
    a fresh interpreter, before and after), the load's wall and CPU seconds."""
    code = (  # VmHWM, not ru_maxrss: Linux keeps the forking parent's peak in ru_maxrss across exec
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from miner.store.local import open_store\nfrom miner.store.memory import MemoryCopy\n"
        "status = lambda key: int(next(l for l in open('/proc/self/status') if l.startswith(key)).split()[1]) * 1024\n"
        "disk = open_store(sys.argv[1], read_only=True); quads = len(disk); before = status('VmRSS:')\n"
        "copy = MemoryCopy(memory_mb=1 << 20, bytes_per_quad=1, batch=int(sys.argv[2]))\n"
        "wall, cpu = time.perf_counter(), time.process_time(); copy.load(disk, 'bench'); copy.wait()\n"
        "wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
        "assert len(copy.store_for('bench')) == quads, copy.skipped\n"
        "print((status('VmRSS:') - before) / quads, (status('VmHWM:') - before) / quads, wall, cpu)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(batch)], capture_output=True, text=True, check=True
    )
    held, peak, wall, cpu = map(float, out.stdout.split())
    return {"held": held, "peak": peak, "wall": wall, "cpu": cpu}


def served_store(folder: Path, disk, workers: int):
    """The store `miner serve` answers from with its default allowance on this machine: a worker's
    in-memory copy when the plan gives the workers copies (:mod:`miner.store.serving`), else ``disk``;
    and the plan."""
    from miner.store.memory import MemoryCopy
    from miner.store.pool import PoolSettings
    from miner.store.serving import allowed_mb, plan_serving

    settings = PoolSettings()
    plan = plan_serving(folder, workers=workers, allowed=allowed_mb(None), bytes_per_quad=settings.bytes_per_quad)
    if not plan.copies:
        return disk, plan
    copy = MemoryCopy(
        memory_mb=plan.allowed_mb // plan.copies, bytes_per_quad=settings.bytes_per_quad, batch=settings.copy_batch
    )
    copy.load(disk, "bench")
    copy.wait()
    return copy.store_for("bench") or disk, plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="quads of the generated stores, comma-separated")
    parser.add_argument("--repeat", type=int, default=9, help="runs per query on Oxigraph")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="runs per query on rdflib (slow: one by default)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument(
        "--limit", type=float, default=30.0, help="seconds per query run before it is stopped (rdflib: CPU seconds)"
    )
    parser.add_argument("--tiny", action="store_true", help="two small stores, one run each: checks it runs")
    parser.add_argument("--no-cache", action="store_true", help=f"generate the stores even if {CACHE} holds them")
    args = parser.parse_args(argv)
    if args.tiny:
        args.sizes, args.repeat, args.limit, args.no_cache = "3000,9000", 1, 60.0, True
    sizes = sorted(int(s) for s in args.sizes.split(","))

    from miner.serve.endpoint import ServeSettings
    from miner.store.local import open_store
    from miner.store.pool import PoolSettings
    from miner.store.query import QueryTimeout, saved_queries

    sys.path.insert(0, str(ROOT / "bench"))
    from goals import goal

    bases: list = []

    def base_of():
        """The sample's evaluation, extracted once and only when a store is not in the cache."""
        if not bases:
            bases.append(base_evaluation())
        return bases[0]

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    queries = saved_queries()
    doors = ("served", "disk")
    """`miner serve` at its default allowance (from memory when a copy fits) and `miner query` (a worker
    reading the disk), each timed as its worker answers."""
    times = {door: {q.name: [] for q in queries} for door in doors}
    cpu_times = {door: {q.name: [] for q in queries} for door in doors}
    own_times = {door: {q.name: [] for q in queries} for door in doors}
    json_own: dict[str, list[float]] = {q.name: [] for q in queries}
    own_runs = {door: {q.name: [] for q in queries} for door in (*doors, "JSON")}  # by size, each run's own seconds
    cpu_runs: dict[str, list[list[float]]] = {q.name: [] for q in queries}  # the disk door's
    rows: dict[str, int] = {}
    plans: dict[int, object] = {}
    workers = ServeSettings().max_concurrent
    with tempfile.TemporaryDirectory() as tmp:
        stores: dict[str, list] = {door: [] for door in doors}
        quads: list[int] = []
        for size in sizes:  # every size opened first: each query is then timed at all sizes in turn
            start = time.perf_counter()
            memory, evaluations = cached_store(size, base_of, None if args.no_cache else CACHE)
            print(f"generated {len(memory):,} quads ({evaluations} evaluations) in {time.perf_counter() - start:.0f} s")
            start = time.perf_counter()
            folder = user_built_folder(size, memory, None if args.no_cache else CACHE, Path(tmp))
            print(
                f"on disk as a build writes it: {folder.name} ({time.perf_counter() - start:.0f} s, "
                f"{folder_mb(folder):.0f} MB)",
                flush=True,
            )
            disk = open_store(folder, read_only=True)  # as users' query workers open it (miner.store.pool)
            served, plans[size] = served_store(folder, disk, workers)
            print(f"served door at {size:,}: {plans[size].describe()}", flush=True)
            stores["served"].append(served)
            stores["disk"].append(disk)
            quads.append(len(disk))
            if size != sizes[-1]:
                del memory
        for saved in queries:
            for door in doors:  # one query's doors one after the other: the same load
                try:
                    timed = answered_together(stores[door], saved.text, args.repeat, args.limit)
                except QueryTimeout:
                    timed = [(args.limit, args.limit, args.limit, None, [args.limit], [args.limit])] * len(sizes)
                for seconds, cpu, own, _, owns, cpus in timed:
                    times[door][saved.name].append(seconds)
                    cpu_times[door][saved.name].append(cpu)
                    own_times[door][saved.name].append(own)
                    own_runs[door][saved.name].append(owns)
                    if door == "disk":
                        cpu_runs[saved.name].append(cpus)
                if door == "disk":
                    rows[saved.name] = len(timed[-1][3].rows) if timed[-1][3] else -1
            try:  # what a browser or SPARQLWrapper gets from the endpoint: JSON of at most max_rows rows
                timed = answered_together(stores["served"], saved.text, args.repeat, args.limit, endpoint_answer)
                json_own[saved.name] += [own for _, _, own, _, _, _ in timed]
                own_runs["JSON"][saved.name] += [owns for *_, owns, _ in timed]
            except QueryTimeout:
                json_own[saved.name] += [args.limit] * len(sizes)
                own_runs["JSON"][saved.name] += [[args.limit]] * len(sizes)
        dataset = None if args.skip_rdflib else to_rdflib(memory)
        cost = copy_cost(folder, PoolSettings().copy_batch)
        del memory, disk, served, stores
        plans = {count: plans[size] for size, count in zip(sizes, quads)}
        sizes = quads  # the exponents are taken on the stores' own quad counts

        print(
            f"\n{'query':32} {'rows':>6} "
            + " ".join(f"{f'served {s:,}':>16}" for s in sizes)
            + f" {'growth':>7} "
            + " ".join(f"{f'disk {s:,}':>16}" for s in sizes)
            + f" {'growth':>7} {'disk wall':>10} {'disk CPU':>10} {'growth':>7} {'JSON':>10} {'growth':>7}"
            + f" {'rdflib':>10} {'ratio':>7}"
        )
        exponents: dict[str, dict[str, float]] = {door: {} for door in doors}
        cpu_exponents: dict[str, float] = {}
        ratios: dict[str, float] = {}  # by query, so each goal's note names the query that sets it
        bounds: set[str] = set()
        for saved in queries:
            name = saved.name
            for door in doors:
                series = own_runs[door][name]
                exponents[door][name] = paired_growth(sizes, series) if len(sizes) > 1 and min(series[0]) > 0 else 1.0
            cpus = cpu_times["disk"][name]
            cpu_exponents[name] = (
                paired_growth(sizes, cpu_runs[name]) if len(sizes) > 1 and min(cpu_runs[name][0]) > 0 else 1.0
            )
            line = f"{name:32} {rows[name]:>6} "
            for door in doors:
                line += " ".join(f"{t * 1000:>13.1f} ms" for t in own_times[door][name])
                line += f" {exponents[door][name]:>7.2f} "
            line += f"{times['disk'][name][-1] * 1000:>7.1f} ms {cpus[-1] * 1000:>7.1f} ms {cpu_exponents[name]:>7.2f}"
            json_series = json_own[name]
            json_runs = own_runs["JSON"][name]
            json_k = paired_growth(sizes, json_runs) if len(sizes) > 1 and min(json_runs[0]) > 0 else 1.0
            line += f" {json_series[-1] * 1000:>7.1f} ms {json_k:>7.2f}"
            if dataset is not None:
                rdf_time, killed, rdf_rows = rdflib_p50(dataset, saved.text, args.rdflib_repeat, args.limit)
                bound = ">" if killed else " "
                ratios[name] = rdf_time / cpus[-1]
                bounds |= {name} if killed else set()
                line += f" {bound}{rdf_time * 1000:>7.0f} ms {bound}{rdf_time / cpus[-1]:>5.0f}×"
                if rdf_rows is not None and rdf_rows != rows[name]:
                    line += f"  (rdflib gave {rdf_rows} rows)"
            print(line, flush=True)
        print(
            "(p50 of each query's own time, answered as a query worker answers (rows as TSV by Oxigraph, parsed "
            "back into terms), without the pipe, the sizes timed in turn at every run, each after an untimed run: wall time less the time its thread waited for a core (the "
            "kernel's run-queue delay), so CPU plus disk waits; 'growth': the median of the runs' exponents, each run's sizes timed "
            "seconds apart. 'served': `miner serve` at its default memory "
            "allowance on this machine (a worker's in-memory copy when one fits, said above); 'disk': `miner "
            "query`, a worker reading the on-disk store read-only; the stores are written as a build writes them. "
            "'disk wall': as measured, load included; 'disk CPU': the query thread's CPU time, and its growth; "
            f"'JSON': own time of the served door's answer as the endpoint sends it at its defaults (at most "
            f"{ServeSettings().max_rows:,} rows, its TSV written as SPARQL JSON), at the largest size, and its growth; "
            "'rdflib': its CPU time on the same quads (with '>', the CPU it had used when stopped at the limit "
            "of CPU seconds), and its ratio to Oxigraph's CPU on disk); "
            f"load average at the end: {os.getloadavg()[0]:.1f}"
        )
        top = sizes[-1]
        print(
            f"in-memory copy of {top:,} quads (as a serving worker loads it, PoolSettings.copy_batch "
            f"{PoolSettings().copy_batch:,}): {cost['wall']:.1f} s ({cost['cpu']:.1f} s CPU), "
            f"{cost['held'] * top / 2**20:.0f} MB held ({cost['held']:.0f} bytes a quad), peak "
            f"{cost['peak'] * top / 2**20:.0f} MB ({cost['peak']:.0f}; PoolSettings.bytes_per_quad: "
            f"{PoolSettings().bytes_per_quad})"
        )
        labels = {
            "served": f"served door, `miner serve` ({'from memory' if plans[top].copies else 'from disk'} "
            "at the default allowance)",
            "disk": "on-disk door, `miner query`",
        }
        for door in doors:
            series = {name: own_times[door][name][-1] for name in own_times[door]}
            slowest = max(series, key=series.get)
            goal(
                f"slowest saved query p50 at {top:,} quads, {labels[door]} (own time)",
                series[slowest] * 1000,
                "<=",
                300,
                " ms",
                note=f"{slowest}; CPU {cpu_times[door][slowest][-1] * 1000:.0f} ms, wall "
                f"{times[door][slowest][-1] * 1000:.0f} ms under the run's load; over 300 ms: "
                + (", ".join(n for n, t in series.items() if t > 0.3) or "none"),
            )
            if len(sizes) > 1:
                ks = exponents[door]
                worst = max(ks, key=ks.get)
                goal(
                    f"largest growth exponent of a saved query, {labels[door]} (own time)",
                    ks[worst],
                    "<=",
                    1.05,
                    "",
                    note=f"{worst}; median {statistics.median(ks.values()):.2f}; over 1.05: "
                    f"{', '.join(n for n, k in ks.items() if k > 1.05) or 'none'}"
                    + (
                        f"; of CPU time: largest {max(cpu_exponents.values()):.2f} "
                        f"({max(cpu_exponents, key=cpu_exponents.get)}), median "
                        f"{statistics.median(cpu_exponents.values()):.2f}"
                        if door == "disk"
                        else ""
                    ),
                )
        if ratios:
            goal(
                "smallest ratio rdflib / Oxigraph on disk (CPU)",
                min(ratios.values()),
                ">=",
                20,
                "×",
                note=f"{min(ratios, key=ratios.get)}{' (a lower bound: rdflib stopped)' if min(ratios, key=ratios.get) in bounds else ''}; "
                f"median {statistics.median(ratios.values()):.0f}×; rdflib stopped at {args.limit:g} s of CPU on "
                f"{len(bounds)} of {len(ratios)}",
            )
        goal(
            "bytes_per_quad over the bytes a quad holds in memory",
            PoolSettings().bytes_per_quad / cost["held"],
            ">=",
            1.0,
            "×",
            note="the setting must not under-estimate a copy, or a worker copies a store over its cap",
        )

        small = Path(tmp) / "small"
        subprocess.run(
            [*miner_command(), "build", str(SAMPLE), "--store", str(small), "--skip", "organisations,network,compare"],
            capture_output=True,
            check=True,
        )
        info = startup(small, 1 if args.tiny else 5)
        print(
            f"\nstart-up: bare `python -c pass` {info['bare'] * 1000:.0f} ms (the machine's load shows here), "
            f"`miner query` {info['query'] / info['bare']:.1f}× that"
        )
        print(
            f"start-up: `miner --help` {info['help'] * 1000:.0f} ms, `miner query` {info['query'] * 1000:.0f} ms "
            f"(goal ≤ 500 ms); heavy modules after importing miner.cli.app/store/query: {info['heavy'] or 'none'}"
        )
        goal("miner query start-up", info["query"] * 1000, "<=", 500, " ms")
        return 0 if not {"torch", "spacy"} & set(info["heavy"]) else 1


if __name__ == "__main__":
    sys.exit(main())
