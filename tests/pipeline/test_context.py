"""The run context hands records over typed: a product with no record kind, a record of the wrong
kind, or a fact read before the step that derives it ran, is refused at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from evalfixture import evaluation_from_expected

from miner.extract.cycles import cycle_inference_of_evaluation
from miner.pipeline.context import RECORD_KINDS, RunContext, record_type
from miner.pipeline.registry import PRODUCTS, configured
from miner.pipeline.runner import run_steps
from miner.pipeline.steps.cycles import cycles_step


def context(tmp_path: Path) -> RunContext:
    return RunContext(inputs=[], store=tmp_path / "store", out=tmp_path, root=tmp_path)


def test_every_record_kind_is_a_product_and_a_class():
    assert set(RECORD_KINDS) <= PRODUCTS
    assert all(isinstance(record_type(product), type) for product in RECORD_KINDS)


def test_the_records_steps_hand_over_live_in_records():
    """What crosses stages is a record of miner.records (the stages' own modules re-export it)."""
    from miner.extract.members import MemberList as read_list
    from miner.extract.organisations import OrganisationIndex as found_index
    from miner.records.members import MemberList
    from miner.records.organisations import OrganisationIndex
    from miner.records.tagging import Classified
    from miner.tag.classify import Classified as tagged

    assert all(record_type(product).__module__.startswith("miner.records") for product in RECORD_KINDS)
    assert (
        (record_type("organisations"), record_type("members"), record_type("activity_tags"))
        == (OrganisationIndex, MemberList, Classified)
        == (found_index, read_list, tagged)
    )


def test_an_untyped_hand_over_is_refused(tmp_path):
    ctx = context(tmp_path)
    evaluation = evaluation_from_expected()
    with pytest.raises(TypeError, match="no record kind 'blackboard'"):
        ctx.add("blackboard", evaluation)
    with pytest.raises(TypeError, match="must be a Evaluation, not a dict"):
        ctx.add("evaluations", evaluation.model_dump())
    with pytest.raises(TypeError, match="must be a OrganisationIndex"):
        ctx.add("organisations", {"organisations": {}}, key=evaluation.source.sha256)
    with pytest.raises(TypeError, match="key="):
        ctx.add("cycles", cycle_inference_of_evaluation(evaluation))
    ctx.add("evaluations", evaluation)
    assert ctx.evaluations == [evaluation]


def test_the_cycle_is_read_from_the_step_that_found_it(tmp_path):
    ctx = context(tmp_path)
    evaluation = evaluation_from_expected()
    ctx.add("evaluations", evaluation)
    with pytest.raises(TypeError, match="no miner.cycles.v1 step"):
        ctx.cycle_of(evaluation)
    run_steps(ctx, [configured("miner.cycles.v1", cycle=None)])
    assert ctx.cycle_of(evaluation) is cycle_inference_of_evaluation(evaluation)
    assert ctx.cycle_of(evaluation).cycle.slug == "triennat-7"
    assert cycles_step.__module__ == "miner.pipeline.steps.cycles"


def test_a_malformed_cycle_is_refused_before_any_document_is_read():
    from miner.errors import UsageError

    with pytest.raises(UsageError):
        configured("miner.cycles.v1", cycle="septennat-x")


def test_a_store_digest_is_remembered_only_while_nothing_wrote_the_store(tmp_path):
    """``store_fact``: taken again after a write in the run or between runs, else the last run's."""
    import pyoxigraph as ox

    from miner.pipeline.runner import finish_run, new_context

    quad = ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"), ox.NamedNode("http://x/g"))
    taken: list[str] = []

    def run(write: bool = False) -> str:
        ctx = new_context([], tmp_path / "store", tmp_path / "out", root=tmp_path)
        store = ctx.open_store()
        if write:
            store.add(quad)
        del store  # as a step's handle goes when the step returns: the run's end closes the store
        value = ctx.store_fact("digest", lambda: taken.append("x") or f"taken {len(taken)}")
        finish_run(ctx)
        return value

    assert run() == "taken 1"
    assert run() == "taken 1" and len(taken) == 1  # nothing wrote: remembered
    assert run(write=True) == "taken 2"  # written in this run, before the digest
    assert run() == "taken 2" and len(taken) == 2
    outside = ox.Store(str(tmp_path / "store"))  # another process's write between runs
    outside.remove(quad)
    del outside
    assert run() == "taken 3"


def test_the_runs_writer_is_closed_at_its_end_with_a_collection_only_when_a_cycle_holds_it(tmp_path, monkeypatch):
    """A full collection costs 0.1 s of CPU once spaCy is loaded: ``release_store`` runs one only when
    something besides the run still holds the handle (a reference cycle), and the store is closed
    either way (another writer may open it)."""
    import gc

    import pyoxigraph as ox

    from miner.pipeline import context as module
    from miner.pipeline.runner import finish_run, new_context

    collections: list[int] = []
    collect = gc.collect
    monkeypatch.setattr(module.gc, "collect", lambda *a: collections.append(1) or collect(*a))
    ctx = new_context([], tmp_path / "store", tmp_path / "out", root=tmp_path)
    ctx.open_store()
    finish_run(ctx)
    assert collections == []
    assert list(ox.Store(str(tmp_path / "store")).named_graphs()) == []  # closed: a writer opens it

    ctx = new_context([], tmp_path / "store", tmp_path / "out", root=tmp_path)
    gc.disable()  # the cycle must be left to release_store
    try:
        cycle: list[object] = [ctx.open_store()]
        cycle.append(cycle)
        del cycle
        finish_run(ctx)
    finally:
        gc.enable()
    assert collections == [1]
    assert list(ox.Store(str(tmp_path / "store")).named_graphs()) == []
