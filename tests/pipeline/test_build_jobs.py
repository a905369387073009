"""`miner build --jobs 2` makes what `--jobs 1` makes: the per-document work done in the documents'
extraction workers (organisations, a contract's kind, graphs written as each worker answers) gives the
same organisations and the same quads as the steps doing it after extraction."""

from __future__ import annotations

import re

from conftest import ROOT
from pyoxigraph import NamedNode

from miner.pipeline.alongside import (
    FOUND_AHEAD,
    GRAPH_AHEAD,
    GRAPH_WRITTEN,
    ORGANISATIONS_GRAPH_AHEAD,
    index_adapter,
    keep_answers,
)
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


def test_a_worker_finds_the_organisations_of_documents_read_before_the_french_pipeline(tmp_path):
    """A document read by a worker forked before spaCy was loaded is handed to a later worker
    (``assigned`` as the parent had it at the fork), which finds its organisations and its
    organisations graph as the steps would; the run keeps them under that document's digest."""
    from miner.extract.evaluation import extract_evaluation
    from miner.extract.organisations import organisations_of_evaluation
    from miner.nlp.french import get_entity_nlp
    from miner.pipeline.alongside import assign_leftovers, left_without_organisations, worker_answers
    from miner.pipeline.context import RunContext

    nlp = get_entity_nlp()
    early, late = (extract_evaluation(path) for path in DOCUMENTS[:2])
    assert left_without_organisations({}) and not left_without_organisations({"organisations": "{}"})
    assigned: dict = {}
    waiting = [early]
    assign_leftovers(assigned, waiting, [str(DOCUMENTS[1])])
    assert waiting == [] and assigned == {str(DOCUMENTS[1]): [early]}
    answers = worker_answers(kinds=False, organisations=True, graph=(None, None), assigned=assigned)
    answer = answers(DOCUMENTS[1], late)
    assert set(answer["others"]) == {early.source.sha256}
    ctx = RunContext(inputs=[], store=tmp_path / "store", out=tmp_path, root=tmp_path)
    keep_answers(ctx, late.source.sha256, answer)
    for evaluation in (early, late):
        found = index_adapter().validate_json(ctx.ahead[(FOUND_AHEAD, evaluation.source.sha256)])
        assert found == organisations_of_evaluation(evaluation, nlp=nlp)
        assert (ORGANISATIONS_GRAPH_AHEAD, evaluation.source.sha256) in ctx.ahead


def test_a_graph_the_store_refuses_ahead_is_written_by_the_graph_step(tmp_path, monkeypatch):
    """A store write that fails while the workers still read (a writer holding the store, a RocksDB error)
    stops nothing: that document's graph is left to the graph step, the other files go on."""
    import miner.store.write as write

    real = write.replace_graph_lines
    refused: list[str] = []

    def refuse_first_ahead(store, graphs, *args, **kwargs):
        if not refused:
            refused.extend(graphs)
            raise OSError("the store is held by another writer")
        return real(store, graphs, *args, **kwargs)

    monkeypatch.setattr(write, "replace_graph_lines", refuse_first_ahead)
    ctx, plan = build(DOCUMENTS[:2], tmp_path / "store", jobs=2, skip=SKIP)
    assert not ctx.failures and len(refused) == 1
    written = {iri for (entry, _), iri in ctx.ahead.items() if entry == GRAPH_WRITTEN}
    assert refused[0] not in written
    for i in plan.inputs:  # both graphs in the store, the refused one by the graph step
        assert quads(tmp_path / "store", str(Minter().graph(i.evaluation.source.sha256))) != []


def test_organisations_left_by_extraction_are_found_behind_while_the_next_steps_run(tmp_path, monkeypatch):
    """Documents read before the French pipeline was loaded, with no later worker to take them, get
    their organisations from workers forked by a thread of the parent while the graph step runs; the
    organisations step waits for them and takes them as found, or reports why one was not (without
    trying it again)."""
    import miner.extract.organisations as finder
    from miner.extract.evaluation import extract_evaluation
    from miner.extract.organisations import organisations_of_evaluation
    from miner.nlp.french import get_entity_nlp
    from miner.pipeline.alongside import NOT_FOUND_AHEAD, find_organisations_behind
    from miner.pipeline.registry import configured
    from miner.pipeline.runner import finish_run, new_context, run_steps

    evaluations = [extract_evaluation(path) for path in DOCUMENTS[:2]]
    ctx = new_context([], tmp_path / "store", tmp_path / "out", root=tmp_path, jobs=2)
    ctx.evaluations = list(evaluations)
    find_organisations_behind(ctx, evaluations, 2)
    ctx.settle()
    assert not ctx.behind
    for evaluation in evaluations:
        found = index_adapter().validate_json(ctx.ahead[(FOUND_AHEAD, evaluation.source.sha256)])
        assert found == organisations_of_evaluation(evaluation, nlp=get_entity_nlp())

    def not_again(*args, **kwargs):
        raise AssertionError("found behind: the step finds none itself")

    monkeypatch.setattr(finder, "organisations_of_evaluations", not_again)
    monkeypatch.setattr(finder, "organisations_of_evaluation", not_again)
    del ctx.ahead[(FOUND_AHEAD, evaluations[0].source.sha256)]
    ctx.ahead[(NOT_FOUND_AHEAD, evaluations[0].source.sha256)] = "timed out after 3600 s"
    run_steps(ctx, [configured("miner.organisations.v1", load=False)])
    finish_run(ctx)
    assert [f.path for f in ctx.failures] == [evaluations[0].source.path]
    assert ctx.failures[0].reason.endswith("organisations not found: timed out after 3600 s")
    assert set(ctx.organisations) == {evaluations[1].source.sha256}
