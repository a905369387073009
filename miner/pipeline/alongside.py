"""The per-document work of later steps, done in the worker that extracts the document.

Every PDF is read in a forked worker of its own (:mod:`miner.read.isolate`), up to ``--jobs`` at
once; what a later step does with one document alone is done there too, so it uses the cores as
extraction does instead of waiting in one process after it:

- a PDF without evaluation questions is read for a table of indicators and for an activity table,
  what `miner build` tells its kind by (a contract, an activity report, a document);
- an evaluation's or a document's named graph is built as the graph step would build it (the
  parent only writes its lines into the store), with the cycle the cycles step will find;
- the organisations an evaluation or a document names are found when the French pipeline was
  loaded in the parent before the worker was forked (the worker shares it; one forked earlier
  leaves them to the organisations step).

The parent keeps each answer for the run (:meth:`RunContext.remember`): the steps take it, by the
file's content, instead of reading the file again. A part that fails in the worker is simply not
answered, and the step that needs it does it and says what fails.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pydantic import TypeAdapter

from miner.errors import MinerError
from miner.pipeline.context import RunContext
from miner.read.isolate import report_progress
from miner.records import Evaluation, OrganisationIndex

__all__ = [
    "FOUND_AHEAD",
    "NOT_FOUND_AHEAD",
    "ORGANISATIONS_TIMEOUT",
    "find_organisations_behind",
    "GRAPH_AHEAD",
    "GRAPH_WRITTEN",
    "ORGANISATIONS_GRAPH_AHEAD",
    "cycle_json",
    "graph_ahead",
    "BUILDERS",
    "preload_graph_builders",
    "assign_leftovers",
    "index_adapter",
    "keep_answers",
    "left_without_organisations",
    "worker_answers",
    "write_graph_ahead",
]


@lru_cache(maxsize=1)
def index_adapter() -> TypeAdapter:
    """An organisation index as JSON, typed, to cross from the worker (built on first use)."""
    return TypeAdapter(OrganisationIndex)


GRAPH_AHEAD = "miner.graph.ahead"
"""The run's entry of the named graph a worker built, by the document's sha256 (never cached)."""
GRAPH_WRITTEN = "miner.graph.written"
"""The run's entry of an evaluation's named graph written into the store as its worker answered
(:func:`write_graph_ahead`), by the document's sha256: the graph's IRI."""
ORGANISATIONS_GRAPH_AHEAD = "miner.organisations.graph.ahead"
"""The run's entry of the organisations graph a worker built, by the document's sha256."""
FOUND_AHEAD = "miner.organisations.ahead"
"""The run's entry of the organisations a worker found, by the document's sha256 (never cached: the
step's own memory of what it loaded is the cache)."""
NOT_FOUND_AHEAD = "miner.organisations.failed"
"""The run's entry of why a document's organisations could not be found behind the extraction
(:func:`find_organisations_behind`), by its sha256: the step reports it instead of trying again."""
ORGANISATIONS_TIMEOUT = 3600.0
"""Seconds a worker may spend on one document's organisations: a guard against a hang only (the
shared report takes about a second; a long report's NER may take minutes on a loaded machine)."""


def worker_answers(
    *,
    kinds: bool,
    organisations: bool,
    graph: tuple[str | None, str | None] | None = None,
    assigned: dict[str, list[Evaluation]] | None = None,
) -> Callable[[Path, Evaluation], dict[str, Any]]:
    """What a document's worker answers beside its record: with ``kinds``, a question-less PDF's
    indicator and activity tables; with ``organisations``, the organisations of an evaluation or a
    document when the worker has the French pipeline, and of the documents ``assigned`` to it (by
    its file, as the parent had them at the fork: read by workers forked before the pipeline was
    loaded, :func:`assign_leftovers`) under ``"others"``; with ``graph`` (the run's base IRI and the
    cycle given), the document's named graph as the graph step would build it, when the parent had
    the graph builders loaded as it forked the worker (:func:`preload_graph_builders`; else importing
    them would cost each early worker more than building its graph saves)."""

    def answers(path: Path, evaluation: Evaluation) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        if kinds and not evaluation.questions:
            from miner.pipeline.kinds import table_verdict
            from miner.pipeline.steps.indicators import indicators_here

            answer["indicators"] = _part(lambda: indicators_here(path))
            if not _holds_indicators(answer["indicators"]):
                answer["table"] = _part(lambda: table_verdict(path, isolate=False))
        graph_here = graph is not None and BUILDERS in sys.modules  # as the parent had them at the fork
        if graph_here and _names_organisations(answer):
            answer["graph"] = _part(lambda: _graph_of(evaluation, *graph))
        if not organisations:
            return answer
        from miner.nlp.french import loaded_entity_nlp

        nlp = loaded_entity_nlp()  # never waits: the thread loading it is not in this process
        if nlp is None:
            return answer
        if _names_organisations(answer):
            answer.update(_organisations_answer(evaluation, nlp, graph if graph_here else None))
        for other in (assigned or {}).get(str(path), ()):
            report_progress()  # each document's organisations take their own time
            found = _organisations_answer(other, nlp, graph if graph_here else None)
            if found:
                answer.setdefault("others", {})[other.source.sha256] = found
        return answer

    return answers


def _organisations_answer(
    evaluation: Evaluation, nlp: Any, graph: tuple[str | None, str | None] | None
) -> dict[str, Any]:
    """A document's organisations (and, with ``graph``, its organisations graph) as a worker answers them."""
    from miner.extract.organisations import organisations_of_evaluation

    index = _part(lambda: organisations_of_evaluation(evaluation, nlp=nlp))
    if index is None:
        return {}
    found = {"organisations": _part(lambda: index_adapter().dump_json(index).decode())}
    if graph is not None:
        found["organisations_graph"] = _part(lambda: _organisations_graph_of(evaluation, index, *graph))
    return found


def left_without_organisations(answer: dict[str, Any]) -> bool:
    """Whether a worker's answer is of a document whose organisations are found (an evaluation or a
    document) that it did not find: forked before the French pipeline was loaded, or failed there."""
    return _names_organisations(answer) and answer.get("organisations") is None


def assign_leftovers(assigned: dict[str, list[Evaluation]], waiting: list[Evaluation], upcoming: list[str]) -> None:
    """Hand the documents ``waiting`` for their organisations to the workers of the ``upcoming``
    files, one each in turn (the parent forks them next, the French pipeline loaded), so they are
    found on the cores extraction uses instead of by the organisations step after it; ``waiting``
    is emptied when there is a worker to take them.

    >>> assigned = {}
    >>> waiting = ["a", "b", "c"]
    >>> assign_leftovers(assigned, waiting, ["x.pdf", "y.pdf"])
    >>> assigned, waiting
    ({'x.pdf': ['a', 'c'], 'y.pdf': ['b']}, [])
    """
    if not upcoming:
        return
    for i, evaluation in enumerate(waiting):
        assigned.setdefault(upcoming[i % len(upcoming)], []).append(evaluation)
    waiting.clear()


def find_organisations_behind(ctx: RunContext, evaluations: list[Evaluation], jobs: int) -> None:
    """Find the organisations of the documents extraction left without them (read before the French
    pipeline was loaded, with no later worker to hand them to), in workers forked from a thread of
    the parent once the pipeline is loaded, while the steps after extraction run (the graph step's
    writes: 0.2 s of a build of two reports, which waited for them before); the organisations step
    waits for them (:meth:`RunContext.settle`) and takes their answers as a worker's."""
    shas = [e.source.sha256 for e in evaluations]

    def work() -> None:
        from miner.extract.organisations import organisations_of_evaluations
        from miner.nlp.french import get_entity_nlp
        from miner.read.isolate import Limits

        try:
            found = organisations_of_evaluations(
                evaluations, limits=Limits(timeout=ORGANISATIONS_TIMEOUT, jobs=jobs), nlp=get_entity_nlp()
            )
        except Exception:  # noqa: BLE001 - any failure is the step's to meet again and report
            return
        for sha, (index, error) in zip(shas, found):
            if index is not None:
                ctx.ahead[(FOUND_AHEAD, sha)] = index_adapter().dump_json(index).decode()
            else:
                ctx.ahead[(NOT_FOUND_AHEAD, sha)] = error or "failed"

    ctx.start_behind("miner-organisations", work)


def cycle_json(found: Any) -> str:
    """A cycle inference as comparable text: the graph built ahead is taken only for the cycle the
    run's cycles step found."""
    return json.dumps(dataclasses.asdict(found), sort_keys=True, default=str, ensure_ascii=False)


BUILDERS = "miner.rdf.evaluation"
"""The module whose presence says the graph builders were loaded (extraction never imports it)."""


def preload_graph_builders() -> None:
    """Import the graph builders (rdflib) in the parent, so the workers forked after share them
    instead of each importing its own."""
    import miner.extract.cycles  # noqa: F401
    import miner.rdf.evaluation  # noqa: F401
    import miner.store.write  # noqa: F401


def _graph_of(evaluation: Evaluation, base_iri: str | None, cycle: str | None) -> dict[str, Any]:
    """The document's named graph (``miner.graph.v1``'s) as N-Triples lines, with what it was built by."""
    from miner.extract.cycles import cycle_inference_of_evaluation
    from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
    from miner.store.write import triple_lines

    found = cycle_inference_of_evaluation(evaluation, cycle)
    graph = build_evaluation_graph(evaluation, GraphSettings(base_iri=base_iri, cycle=cycle, found=found))
    return {"by": [base_iri, cycle, cycle_json(found)], "iri": str(graph.identifier), "lines": triple_lines(graph)}


def _organisations_graph_of(
    evaluation: Evaluation, index: OrganisationIndex, base_iri: str | None, cycle: str | None
) -> dict[str, Any]:
    """The document's organisations graph (``miner.organisations.v1``'s) as N-Triples lines."""
    from miner.extract.cycles import cycle_inference_of_evaluation
    from miner.rdf.organisations import organisations_graph
    from miner.store.write import triple_lines

    found = cycle_inference_of_evaluation(evaluation, cycle)
    graph = organisations_graph(evaluation, index, base_iri=base_iri, cycle=cycle, found=found)
    return {"by": [base_iri, cycle, cycle_json(found)], "iri": str(graph.identifier), "lines": triple_lines(graph)}


def graph_ahead(
    ctx: RunContext, evaluation: Evaluation, cycle: str | None, entry: str = "miner.graph.ahead"
) -> dict[str, Any] | None:
    """The graph a worker built of ``evaluation`` this run (``entry``: its named graph, else
    :data:`ORGANISATIONS_GRAPH_AHEAD`), when built as the step would now: same base IRI, same cycle
    given, same cycle found by the cycles step; else None."""
    made = ctx.ahead.get((entry, evaluation.source.sha256))
    found = ctx.cycles.get(evaluation.source.sha256)
    if made is None or found is None:
        return None
    graph = json.loads(made)
    return graph if graph["by"] == [ctx.base_iri, cycle, cycle_json(found)] else None


def _part(work: Callable[[], Any]) -> Any:
    """One part's answer; None when it raised (the step that needs it does it again and says why)."""
    try:
        return work()
    except Exception:  # noqa: BLE001 - any failure is the later step's to report
        return None


def _holds_indicators(text: str | None) -> bool:
    return bool(text) and text.startswith("{")


def _names_organisations(answer: dict[str, Any]) -> bool:
    """Whether the build takes the document for an evaluation or a document, whose organisations are
    found (a contract's or an activity report's are not)."""
    if _holds_indicators(answer.get("indicators")):
        return False
    table = answer.get("table")
    return not (table and table[0] is not None)


def keep_answers(ctx: RunContext, evaluation_sha256: str, answer: dict[str, Any]) -> None:
    """Keep a worker's answers for the steps of this run (and the cache, for what it remembers)."""
    from miner.pipeline.cache import cache_key
    from miner.pipeline.kinds import LIMITS, TABLE_KIND
    from miner.pipeline.steps.indicators import keep_indicators

    if answer.get("indicators") is not None:
        keep_indicators(ctx, evaluation_sha256, answer["indicators"])
    table = answer.get("table")
    if table is not None and not table[1].startswith(LIMITS):
        ctx.remember(TABLE_KIND, cache_key(TABLE_KIND, {}, evaluation_sha256), json.dumps(table, ensure_ascii=False))
    if answer.get("organisations") is not None:
        ctx.ahead[(FOUND_AHEAD, evaluation_sha256)] = answer["organisations"]
    for part, entry in (("graph", GRAPH_AHEAD), ("organisations_graph", ORGANISATIONS_GRAPH_AHEAD)):
        if answer.get(part) is not None:
            ctx.ahead[(entry, evaluation_sha256)] = json.dumps(answer[part], ensure_ascii=False)
    for other, found in (answer.get("others") or {}).items():  # the documents assigned to the worker
        keep_answers(ctx, other, found)


def write_graph_ahead(ctx: RunContext, evaluation_sha256: str, answer: dict[str, Any]) -> None:
    """Write an evaluation's named graph into the store as its worker answers, while the other files
    are still read: the store's writes (about 50 ms a report) were the largest serial part of a build
    after its extraction. Only a report with evaluation questions (its worker read no kind tables:
    an evaluation whatever the build finds) whose graph is not in the store yet; the graph step takes
    it when the cycle the cycles step finds is the one it was built with, else writes it anew."""
    graph = answer.get("graph")
    if graph is None or "indicators" in answer or "table" in answer:
        return
    import pyoxigraph as ox

    from miner.store.write import replace_graph_lines

    try:
        store = ctx.open_store()
        if store.contains_named_graph(ox.NamedNode(graph["iri"])):
            return
        replace_graph_lines(store, {graph["iri"]: graph["lines"]})
    except (MinerError, OSError, ValueError, SyntaxError):
        return  # not written ahead: the graph step writes it, and says what is wrong with this one file
    ctx.ahead[(GRAPH_WRITTEN, evaluation_sha256)] = graph["iri"]
