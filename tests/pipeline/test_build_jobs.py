"""`miner build --jobs 2` makes what `--jobs 1` makes: the per-document work done in the documents'
extraction workers (organisations, a contract's kind, graphs written as each worker answers) gives the
same organisations and the same quads as the steps doing it after extraction."""

from __future__ import annotations

import re

from conftest import ROOT
from pyoxigraph import NamedNode

from miner.pipeline.alongside import FOUND_AHEAD, GRAPH_AHEAD, GRAPH_WRITTEN, ORGANISATIONS_GRAPH_AHEAD, index_adapter
from miner.pipeline.build import build
from miner.pipeline.kinds import Kind
from miner.rdf.vocab import Minter
from miner.store.load import load_evaluations, load_organisations
from miner.store.local import open_store

PDF = ROOT / "corpora" / "pdf"
DOCUMENTS = [
    PDF / "evaluation-chanvrelia-2021.pdf",
    PDF / "evaluation-chanvrelia-2025.pdf",
    PDF / "contrat-chanvrelia-2024.pdf",
]
SKIP = ["network", "compare", "activities"]
WHEN = re.compile(r'"[^"]*"\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>')
"""The build's own time stamps, which differ from one build to the next."""
BLANK = re.compile(r"_:\w+")
"""Blank node labels (the ontology's lists), which Oxigraph draws anew for each load."""


def quads(store_path, graph: str | None = None) -> list[str]:
    store = open_store(store_path, read_only=True)
    chosen = store if graph is None else store.quads_for_pattern(None, None, None, NamedNode(graph))
    return sorted(BLANK.sub("_:b", WHEN.sub('"(time)"', str(quad))) for quad in chosen)


def test_two_jobs_build_the_same_organisations_and_quads_as_one(tmp_path):
    from miner.extract.organisations import organisations_of_evaluation
    from miner.nlp.french import get_entity_nlp

    made = {}
    for jobs in (1, 2):
        ctx, plan = build(DOCUMENTS, tmp_path / f"jobs{jobs}" / "store", jobs=jobs, skip=SKIP)
        assert not ctx.failures
        assert [i.kind for i in plan.inputs] == [Kind.EVALUATION, Kind.EVALUATION, Kind.INDICATORS]
        # the evaluations' graphs went into the store as their workers answered (not the contract's:
        # a question-less PDF's kind is the build's to tell), and the graph step did not write them again
        written = {key: iri for (entry, key), iri in ctx.ahead.items() if entry == GRAPH_WRITTEN}
        assert written == {
            i.evaluation.source.sha256: str(Minter().graph(i.evaluation.source.sha256))
            for i in plan.inputs
            if i.kind is Kind.EVALUATION
        }
        made[jobs] = (
            {sha: index_adapter().dump_python(index) for sha, index in ctx.organisations.items()},
            quads(tmp_path / f"jobs{jobs}" / "store"),
        )
        evaluations = [i.evaluation for i in plan.inputs if i.kind is Kind.EVALUATION]
    assert made[1] == made[2]
    organisations, _ = made[2]
    # the second build forked its workers with the French pipeline loaded: each found its own
    assert {key for entry, key in ctx.ahead if entry == FOUND_AHEAD} == {e.source.sha256 for e in evaluations}
    # and each built its document's graph and organisations graph, as the steps build them in process
    assert {key for entry, key in ctx.ahead if entry == GRAPH_AHEAD} == {e.source.sha256 for e in evaluations}
    assert {key for entry, key in ctx.ahead if entry == ORGANISATIONS_GRAPH_AHEAD} == {
        e.source.sha256 for e in evaluations
    }
    in_process = tmp_path / "in-process" / "store"
    indexes = [ctx.organisations[e.source.sha256] for e in evaluations]
    load_evaluations(open_store(in_process), evaluations, cycles=ctx.cycles)
    load_organisations(open_store(in_process), evaluations, indexes=indexes, cycles=ctx.cycles)
    for evaluation in evaluations:
        for graph in (Minter().graph(evaluation.source.sha256), Minter().organisations_graph(evaluation.source.sha256)):
            assert quads(tmp_path / "jobs2" / "store", str(graph)) == quads(in_process, str(graph)) != []
    assert organisations == {
        e.source.sha256: index_adapter().dump_python(organisations_of_evaluation(e, nlp=get_entity_nlp()))
        for e in evaluations
    }
