"""Nothing lost: a write killed midway leaves the previous graph, ingesting twice changes nothing,
readers during a re-ingest see the old graph or the new one, never a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from timeouts import scaled

from miner.store.local import export_store, import_rdf_file, open_store, replace_graphs
from miner.store.owners import OWNERS_GRAPH
from miner.store.pool import PoolSettings, QueryPool

ROOT = Path(__file__).resolve().parents[2]
GRAPH = "https://example.org/graph/doc"
COUNT = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?o) AS ?d) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"

WRITER = (
    """
import sys, time
from miner.store.local import open_store, replace_graphs
store = open_store(sys.argv[1])
size, rounds = int(sys.argv[2]), int(sys.argv[3])
print("open", flush=True)
for i in range(rounds):
    n = size if i %% 2 == 0 else size // 2
    replace_graphs(store, {"%s": [(f"https://e/s{j}", "https://e/p", f"v{i + 1}") for j in range(n)]})
    print("wrote", i, flush=True)
"""
    % GRAPH
)


def writer(folder: Path, size: int, rounds: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), str(size), str(rounds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout.readline().strip() == "open"
    return process


def previous_graph(folder: Path) -> set:
    store = open_store(folder)
    replace_graphs(store, {GRAPH: [(f"https://e/s{j}", "https://e/p", "v0") for j in range(1000)]})
    store.flush()
    triples = {tuple(map(str, q)) for q in store.quads_for_pattern(None, None, None, None)}
    del store
    return triples


@pytest.mark.parametrize("delay", [0.3, 0.9, 1.6])
def test_sigkill_midway_leaves_one_whole_graph(tmp_path, delay):
    """A writer replacing a 20,000-triple graph over and over (about a second per write) is killed."""
    folder = tmp_path / "store"
    before = previous_graph(folder)
    process = writer(folder, 20_000, 1000)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    store = open_store(folder)
    n, distinct = [(int(r[0].value), int(r[1].value)) for r in store.query(COUNT)][0]
    assert (n, distinct) in {(1000, 1), (20_000, 1), (10_000, 1)}  # one whole version, old or new
    if n == 1000:
        assert {tuple(map(str, q)) for q in store.quads_for_pattern(None, None, None, None)} == before


def test_ingesting_twice_gives_an_isomorphic_graph(tmp_path):
    path = tmp_path / "bnodes.ttl"
    path.write_text(
        "@prefix e: <http://e/> .\n"
        'e:a e:member [ e:name "Pôle Démo" ; e:since 2019 ] , [ e:name "Cluster B" ] .\n'
        "e:b e:list ( e:x e:y [ e:z 1 ] ) .\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "store")
    import_rdf_file(store, path, GRAPH)
    first = rdflib.Dataset().parse(data=export_store(store, "nq"), format="nquads")
    count = len(first)
    import_rdf_file(store, path, GRAPH)
    second = rdflib.Dataset().parse(data=export_store(store, "nq"), format="nquads")
    assert len(second) == count == 13
    assert isomorphic(first.graph(rdflib.URIRef(GRAPH)), second.graph(rdflib.URIRef(GRAPH)))


@pytest.mark.parametrize("memory_mb", [0, 64])
def test_readers_during_a_reingest_see_old_or_new(tmp_path, memory_mb):
    """Also with workers answering from in-memory copies (`miner serve`'s default when the store fits):
    a copy answers only for the files it was made from, so a write never leaves a stale answer."""
    folder = tmp_path / "store"
    previous_graph(folder)
    seen, sources = {}, set()
    with QueryPool(folder, PoolSettings(size=2, memory_mb=memory_mb)) as pool:
        process = writer(folder, 4000, 12 if memory_mb else 40)  # a copy per version: fewer versions
        try:
            deadline = time.monotonic() + 30
            while process.poll() is None and time.monotonic() < deadline:
                result = pool.run(COUNT)
                n, distinct = result.values()[0]
                seen[(n, distinct)] = seen.get((n, distinct), 0) + 1
                sources.add(result.source)
        finally:
            process.kill()
            process.wait()
        last = open_store(folder, read_only=True).query(COUNT)
        final = tuple(int(t.value) for t in next(iter(last)))
        if memory_mb:  # once the writer is done, the copy of its last version answers, never an older one
            for _ in range(int(scaled(20) / 0.1)):
                result = pool.run(COUNT)
                assert tuple(result.values()[0]) == final
                if result.source == "memory":
                    break
                time.sleep(0.1)
            assert result.source == "memory"
    # every answer is one whole version: 1000 (before), 4000 or 2000 triples, all with one value
    assert set(seen) <= {(1000, 1), (4000, 1), (2000, 1)}, seen
    assert len(seen) >= 2, seen


def _document_graphs(folder: Path) -> dict[str, int]:
    """Triples per named graph read from documents (the ontology graph is reloaded by every build,
    the owners' graph records every graph written)."""
    store = open_store(folder, read_only=True)
    sizes: dict[str, int] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        name = str(getattr(quad.graph_name, "value", "default"))
        if name not in ("default", OWNERS_GRAPH) and not name.endswith("/ontology"):
            sizes[name] = sizes.get(name, 0) + 1
    return sizes


def _build(folder: Path, *pdfs: Path) -> subprocess.Popen:
    # --force: the builds share one out folder, and a cached extraction would end a build before its kill
    return subprocess.Popen(
        [sys.executable, "-m", "miner", "build", *map(str, pdfs), "--store", str(folder), "--force"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.long  # over 15 s on an idle machine: make test-long
def test_miner_build_killed_midway_keeps_what_was_built(tmp_path):
    """`miner build` itself killed with SIGKILL at several points of a two-document build: the
    store opens, the graph built before is intact, each new graph is whole or absent."""
    pdfs = sorted((ROOT / "corpora" / "pdf").glob("evaluation-*.pdf"))
    first, rest = pdfs[0], pdfs[1:]
    reference = tmp_path / "reference"
    assert _build(reference, first).wait() == 0
    start = time.perf_counter()
    assert _build(reference, *rest).wait() == 0
    full = time.perf_counter() - start
    expected = _document_graphs(reference)
    killed = 0
    for fraction in (0.3, 0.6, 0.9):
        folder = tmp_path / f"killed-{fraction}"
        assert _build(folder, first).wait() == 0
        built_first = _document_graphs(folder)
        process = _build(folder, *rest)
        time.sleep(full * fraction)
        process.send_signal(signal.SIGKILL)
        killed += process.wait() == -signal.SIGKILL
        after = _document_graphs(folder)
        for graph, size in built_first.items():
            assert after.get(graph) == size, f"{graph} changed by a killed build (killed at {fraction:.0%})"
        for graph, size in after.items():
            assert size == expected.get(graph), f"{graph} is not whole after a kill at {fraction:.0%}"
    assert killed, "every build ended before its kill: nothing was tested"
