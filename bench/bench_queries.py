"""Competency queries on a generated 1 M-triple graph: Oxigraph (miner's store) against rdflib's
in-memory Dataset, same quads, same queries, same run; and miner's start-up cost.

The graph is made by miner's own graph builder from the sample corpus's evaluation report
(corpora/pdf), copied over many clusters and cycles with seeded random judgements and member
counts, so its shape is that of real data. Each query's p50 over ``--repeat`` runs is printed for
both stores with the ratio (goal: Oxigraph p50 ≤ 100 ms per query, ≥ 20× faster than rdflib).
Start-up: wall time of ``miner --help`` and of ``miner query`` on a small store, and whether
importing ``miner.cli.app`` / ``miner.store.local`` pulls in torch or spaCy (it must not).

    python bench/bench_queries.py [--triples 1000000] [--repeat 5] [--rdflib-repeat 1] [--limit 30]

A query running past ``--limit`` seconds is stopped (rdflib's run happens in a forked child that is
killed) and printed as "> limit", its ratio as a lower bound.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
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
SEED = 20250101


def base_evaluation():
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(SAMPLE if SAMPLE.exists() else SHARED)


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
            conclusion = f"Le cluster rassemble {rng.randint(20, 400)} membres. " + q.conclusion if q.number == 1 else q.conclusion
            questions.append(q.model_copy(update={"criteria": criteria, "conclusion": conclusion}))
        digest = hashlib.sha256(f"{cluster}/{cycle}".encode()).hexdigest()
        yield base.model_copy(update={
            "questions": questions,
            "source": base.source.model_copy(update={"sha256": digest, "path": f"eval-{cluster:03d}-{cycle}.pdf"}),
            "metadata": base.metadata.model_copy(update={
                "cluster": f"Cluster {cluster:03d}",
                "date": base.metadata.date.replace(year=2001 + 3 * cycle) if base.metadata.date else None,
            }),
        }), f"triennat-{cycle + 1}"


def build_quads(target: int):
    """pyoxigraph quads of about ``target`` triples, with the ontology graph."""
    import pyoxigraph as ox

    from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
    from miner.store.local import _ox_term, load_ontology  # noqa: F401 - _ox_term: one conversion for both stores

    base = base_evaluation()
    one = len(build_evaluation_graph(base, GraphSettings(generated_at="2025-01-01T00:00:00+00:00")))
    count = max(1, round(target / one))
    quads = []
    for evaluation, cycle in generated_evaluations(base, count):
        graph = build_evaluation_graph(evaluation, GraphSettings(cycle=cycle, generated_at="2025-01-01T00:00:00+00:00"))
        name = ox.NamedNode(str(graph.identifier))
        quads.extend(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), name) for s, p, o in graph)
    ontology = ox.Store()
    load_ontology(ontology, "https://w3id.org/miner/data/graph/ontology")
    quads.extend(ontology.quads_for_pattern(None, None, None, None))
    return quads, count


def to_rdflib(quads):
    import rdflib

    def convert(term):
        kind = type(term).__name__
        if kind == "NamedNode":
            return rdflib.URIRef(term.value)
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
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def rdflib_p50(dataset, text: str, repeat: int, limit: float) -> tuple[float | None, int | None]:
    """p50 and row count of an rdflib query, run in a forked child killed after ``limit`` seconds."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def work() -> None:
        seconds, rows = p50(lambda: list(dataset.query(text)), repeat)
        child.send((seconds, len(rows)))

    process = context.Process(target=work, daemon=True)
    process.start()
    ready = parent.poll(limit * repeat)
    if not ready:
        process.kill()
        process.join()
        return None, None
    seconds, rows = parent.recv()
    process.join()
    return seconds, rows


def startup(store_dir: Path) -> dict[str, float | list[str]]:
    exe = str(MINER) if MINER.exists() else "miner"
    help_time, _ = p50(lambda: subprocess.run([exe, "--help"], capture_output=True, check=True), 5)
    query_time, _ = p50(lambda: subprocess.run([exe, "query", "count_constats", "--store", str(store_dir)],
                                               capture_output=True, check=True), 5)
    code = ("import sys, miner.cli.app, miner.store.local, miner.store.query; "
            "print(','.join(m for m in ('torch', 'spacy', 'sentence_transformers', 'pandas', 'rdflib') if m in sys.modules))")
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return {"help": help_time, "query": query_time, "heavy": [m for m in heavy.split(",") if m]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per query on Oxigraph")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="runs per query on rdflib (slow: one by default)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds per query run before it is stopped")
    args = parser.parse_args(argv)

    from miner.store.query import QueryTimeout, saved_queries
    from miner.store.local import open_store, run_query

    start = time.perf_counter()
    quads, evaluations = build_quads(args.triples)
    print(f"generated {len(quads):,} quads ({evaluations} evaluations) in {time.perf_counter() - start:.0f} s", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        start = time.perf_counter()
        store.bulk_extend(quads)
        store.flush()
        print(f"oxigraph: loaded in {time.perf_counter() - start:.1f} s")
        dataset = None
        if not args.skip_rdflib:
            start = time.perf_counter()
            dataset = to_rdflib(quads)
            print(f"rdflib:   loaded in {time.perf_counter() - start:.1f} s")
        del quads

        print(f"\n{'query':34} {'rows':>6} {'oxigraph p50':>13} {'rdflib p50':>11} {'ratio':>7}")
        worst, ratios = 0.0, []
        for saved in saved_queries():
            try:
                ox_time, result = p50(lambda saved=saved: run_query(store, saved.text, timeout=args.limit, max_rows=None),
                                      args.repeat)
            except QueryTimeout:
                print(f"{saved.name:34} {'':>6}  > {args.limit:.0f} s (stopped)", flush=True)
                worst = max(worst, args.limit)
                continue
            worst = max(worst, ox_time)
            line = f"{saved.name:34} {len(result.rows):>6} {ox_time * 1000:>10.1f} ms"
            if dataset is not None:
                rdf_time, rdf_rows = rdflib_p50(dataset, saved.text, args.rdflib_repeat, args.limit)
                if rdf_time is None:
                    line += f"  > {args.limit:>5.0f} s  > {args.limit / ox_time:>4.0f}×"
                    ratios.append(args.limit / ox_time)
                else:
                    ratios.append(rdf_time / ox_time)
                    line += f" {rdf_time * 1000:>8.0f} ms {rdf_time / ox_time:>6.0f}×"
                    if rdf_rows != len(result.rows):
                        line += f"  (rdflib gave {rdf_rows} rows)"
            print(line, flush=True)
        print(f"\nslowest Oxigraph p50: {worst * 1000:.1f} ms (goal ≤ 100 ms)")
        if ratios:
            print(f"ratio rdflib/Oxigraph: min {min(ratios):.0f}×, median {statistics.median(ratios):.0f}× (goal ≥ 20×)")

        small = Path(tmp) / "small"
        subprocess.run([str(MINER) if MINER.exists() else "miner", "build", str(SAMPLE), "--store", str(small)],
                       capture_output=True, check=True)
        info = startup(small)
        print(f"\nstart-up: `miner --help` {info['help'] * 1000:.0f} ms, `miner query` {info['query'] * 1000:.0f} ms "
              f"(goal ≤ 500 ms); heavy modules after importing miner.cli.app/store/query: {info['heavy'] or 'none'}")
        return 0 if not {"torch", "spacy"} & set(info["heavy"]) else 1


if __name__ == "__main__":
    sys.exit(main())
