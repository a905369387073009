"""The cycle of an evaluation is inferred in one place, once: the graph, its organisations, the
build's grouping, `miner cycles` and `miner compare` read that one inference."""

from __future__ import annotations

from evalfixture import evaluation_from_expected

from miner.extract import cycles
from miner.extract.organisations import organisations_of_evaluation
from miner.rdf.evaluation import build_evaluation_graph
from miner.rdf.organisations import organisations_graph


def test_one_graph_build_and_its_readers_infer_the_cycle_once(monkeypatch):
    calls = []
    infer = cycles.infer_cycle_details
    monkeypatch.setattr(cycles, "infer_cycle_details", lambda *a, **k: calls.append(1) or infer(*a, **k))
    evaluation = evaluation_from_expected()
    build_evaluation_graph(evaluation)
    organisations_graph(evaluation, organisations_of_evaluation(evaluation))
    found = cycles.cycle_inference_of_evaluation(evaluation)
    assert cycles.cycle_of_evaluation(evaluation) == found.cycle
    assert len(calls) == 1
    # an override is another question, asked once too; it does not change the text's answer
    given = cycles.cycle_inference_of_evaluation(evaluation, "triennat-3")
    assert given.cycle.ordinal == 3 and cycles.cycle_of_evaluation(evaluation, "triennat-3") == given.cycle
    assert cycles.cycle_inference_of_evaluation(evaluation) is found and len(calls) == 2


def test_no_other_module_infers_a_cycle_from_the_text():
    """Only miner.extract.cycles calls the inference; the rest ask cycle_inference_of_evaluation."""
    from conftest import ROOT

    callers = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "miner").rglob("*.py")
        if p.name != "cycles.py" or p.parent.name != "extract"
        if "infer_cycle_details(" in p.read_text(encoding="utf-8") or "infer_cycle(" in p.read_text(encoding="utf-8")
    ]
    assert callers == []


def test_the_builders_write_the_cycle_the_pipeline_found(monkeypatch):
    """Given the cycles step's inference (``ctx.cycle_of``), the graph and organisations builders
    write it and infer nothing (a fresh copy of the record, so no cached inference answers)."""
    import pytest

    from miner.extract.organisations import resolve_mentions

    evaluation = evaluation_from_expected()
    found = cycles.cycle_inference_of_evaluation(evaluation)
    copy = evaluation.model_copy(deep=True)
    monkeypatch.setattr(cycles, "infer_cycle_details", lambda *a, **k: pytest.fail("the cycle was inferred again"))
    graph = build_evaluation_graph(copy, {"found": found})
    assert any(found.cycle.slug in str(s) for s in graph.subjects())
    organisations_graph(copy, resolve_mentions([], cluster=copy.metadata.cluster), found=found)
