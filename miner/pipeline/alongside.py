"""The per-document work of later steps, done in the worker that extracts the document.

Every PDF is read in a forked worker of its own (:mod:`miner.read.isolate`), up to ``--jobs`` at
once; what a later step does with one document alone is done there too, so it uses the cores as
extraction does instead of waiting in one process after it:

- a PDF without evaluation questions is read for a table of indicators and for an activity table,
  what `miner build` tells its kind by (a contract, an activity report, a document);
- the organisations an evaluation or a document names are found when the French pipeline was
  loaded in the parent before the worker was forked (the worker shares it; one forked earlier
  leaves them to the organisations step).

The parent keeps each answer for the run (:meth:`RunContext.remember`): the steps take it, by the
file's content, instead of reading the file again. A part that fails in the worker is simply not
answered, and the step that needs it does it and says what fails.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pydantic import TypeAdapter

from miner.pipeline.context import RunContext
from miner.records import Evaluation, OrganisationIndex

__all__ = ["FOUND_AHEAD", "index_adapter", "keep_answers", "worker_answers"]


@lru_cache(maxsize=1)
def index_adapter() -> TypeAdapter:
    """An organisation index as JSON, typed, to cross from the worker (built on first use)."""
    return TypeAdapter(OrganisationIndex)


FOUND_AHEAD = "miner.organisations.ahead"
"""The run's entry of the organisations a worker found, by the document's sha256 (never cached: the
step's own memory of what it loaded is the cache)."""


def worker_answers(*, kinds: bool, organisations: bool) -> Callable[[Path, Evaluation], dict[str, Any]]:
    """What a document's worker answers beside its record: with ``kinds``, a question-less PDF's
    indicator and activity tables; with ``organisations``, the organisations of an evaluation or a
    document when the worker has the French pipeline."""

    def answers(path: Path, evaluation: Evaluation) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        if kinds and not evaluation.questions:
            from miner.pipeline.kinds import table_verdict
            from miner.pipeline.steps.indicators import indicators_here

            answer["indicators"] = _part(lambda: indicators_here(path))
            if not _holds_indicators(answer["indicators"]):
                answer["table"] = _part(lambda: table_verdict(path, isolate=False))
        if organisations and _names_organisations(answer):
            from miner.nlp.french import loaded_entity_nlp

            nlp = loaded_entity_nlp()  # never waits: the thread loading it is not in this process
            if nlp is not None:
                from miner.extract.organisations import organisations_of_evaluation

                answer["organisations"] = _part(
                    lambda: index_adapter().dump_json(organisations_of_evaluation(evaluation, nlp=nlp)).decode()
                )
        return answer

    return answers


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
