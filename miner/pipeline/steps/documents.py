"""Core pipeline steps: extract evaluation reports, read back extracted records, print their outline.

Each step is a thin wrapper: the work is done by the stage modules (``miner.extract.evaluation``); a step
only picks its inputs from the run context, records per-document failures and stores results.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from miner.atomic import write_text_atomic
from miner.errors import InputError
from miner.pipeline.cache import cache_key
from miner.pipeline.context import RunContext
from miner.pipeline.registry import StepParams, step
from miner.read.files import sha256_file
from miner.read.isolate import Limits
from miner.read.ocr import OcrSettings
from miner.read.pdf import LayoutSettings
from miner.records import Evaluation
from miner.settings import checked_overrides, declared

__all__ = ["ExtractParams", "RecordsParams", "extract_step", "outline_step", "reading_settings", "records_step"]


class ExtractParams(StepParams):
    pattern: str | list[str] = Field(
        "*.pdf", description="which inputs are evaluation reports (glob on the file name, or a list)"
    )
    password: str | None = Field(None, description="password for encrypted PDFs")
    save_json: bool = Field(True, description="write <out>/extract/<stem>.json for each report")
    timeout: float | None = Field(
        None, gt=0, description="seconds allowed per file, a hung file is killed (default: miner settings limits)"
    )
    max_memory_mb: int | None = Field(
        None, gt=64, description="memory cap per file's worker (default: miner settings limits)"
    )
    jobs: int = Field(0, ge=0, description="files processed at once (0: the run's --jobs, else one per core)")
    ocr: Literal["auto", "always", "never"] = Field(
        "auto", description="OCR scanned pages (auto: pages without usable text)"
    )
    page_timeout: float | None = Field(
        None, gt=0, description="seconds OCR may spend on one page (default: miner settings ocr)"
    )
    nlp_ahead: Literal["none", "entities", "all"] = Field(
        "none",
        description="when a file is to be read, load the French pipeline in a thread meanwhile, for the "
        "steps after (entities: for organisations only; all: for tagging as well)",
    )
    read_kinds: bool = Field(
        False,
        description="read a PDF without evaluation questions, in its worker, for a table of indicators "
        "and an activity table (what `miner build` tells its kind by)",
    )
    graphs: bool = Field(
        False,
        description="build each evaluation's or document's named graph in its worker, for the graph step "
        "after (taken when built as that step would: same base IRI, cycle and cycle found)",
    )
    cycle: str | None = Field(None, description="with graphs: the cycle the graph step is given (--cycle)")
    network_ahead: bool = Field(
        False,
        description="import the network stage (networkx) once the first workers are forked, while they "
        "run, for a network step after (a build that draws the network)",
    )
    write_graphs: bool = Field(
        False,
        description="with graphs: write each evaluation's graph into the store as its worker answers, "
        "while the other files are read (the graph step after takes it)",
    )
    layout: dict[str, Any] = Field(
        {},
        description="layout settings other than their defaults (`miner settings layout`), e.g. {heading_size_ratio: 1.3}",
    )

    @field_validator("layout")
    @classmethod
    def _known_layout_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Checked when the pipeline file is loaded: a misspelt setting is named before any file is read."""
        return checked_overrides(LayoutSettings, value, "layout")


def reading_settings(params: ExtractParams) -> dict[str, Any]:
    """Every setting that changes what a report reads as, resolved: the layout and OCR heuristics
    with their declared defaults, so an edit of a declared default voids the cached results as an
    override does. Which inputs are picked, where copies go and how long a file may take do not."""
    layout = dataclasses.asdict(LayoutSettings.resolve(params.layout))
    ocr = dataclasses.asdict(OcrSettings.resolve(params.ocr))
    return {"layout": layout, "ocr": {k: v for k, v in ocr.items() if k not in ("jobs", "page_timeout")}}


@step("miner.extract.v1", requires=("inputs",), assigns=("evaluations",), params=ExtractParams)
def extract_step(ctx: RunContext, params: ExtractParams) -> None:
    """Extract the structure of each evaluation report PDF among the inputs (cached by content)."""

    name = "miner.extract.v1"
    paths = []
    for path in ctx.inputs_matching(params.pattern):
        if Path(path).is_file():
            paths.append(path)
        else:  # a command's argument that names nothing: said, and the others go on
            ctx.fail(path, name, "no such file")
    settings = reading_settings(params)
    digests = {str(p): sha256_file(p) for p in paths}
    keys = {str(p): cache_key(name, settings, digests[str(p)]) for p in paths}
    done: dict[str, Evaluation] = {}
    for path in paths:
        held = ctx.read.get(str(path))
        if held is not None and held.source.sha256 == digests[str(path)]:  # read earlier in this run (build's kinds)
            done[str(path)] = held
            continue
        cached = ctx.cache.get(name, keys[str(path)]) if ctx.cache else None
        if cached is not None:
            done[str(path)] = Evaluation.model_validate_json(cached)
    todo = [p for p in paths if str(p) not in done]
    if todo:  # a file not read before: the reader and its PDF libraries are loaded for it
        done.update(_extract(ctx, params, todo, keys, digests))
    for path in paths:
        if str(path) in done:
            ctx.add("evaluations", done[str(path)])
            ctx.read[str(path)] = done[str(path)]
    ctx.changed.update(str(p) for p in todo if str(p) in done)


def _extract(
    ctx: RunContext, params: ExtractParams, todo: list[Path], keys: dict[str, str], digests: dict[str, str]
) -> dict[str, Evaluation]:
    """Read ``todo`` in isolated workers; each record cached and, when asked, saved as JSON. Each
    worker also does what later steps do with its document alone (:mod:`miner.pipeline.alongside`).
    The French pipeline asked for starts loading in a thread once the first workers are forked: a
    worker forks only between the thread's imports (:func:`miner.read.isolate.run_isolated`), so
    the first ones do not wait for spaCy's; those forked once it is loaded find the organisations."""
    from miner.extract.evaluation import extract_batch
    from miner.pipeline.alongside import (
        assign_leftovers,
        find_organisations_behind,
        keep_answers,
        left_without_organisations,
        preload_graph_builders,
        worker_answers,
        write_graph_ahead,
    )

    name = "miner.extract.v1"
    done: dict[str, Evaluation] = {}
    limits = declared(Limits, timeout=params.timeout, max_memory_mb=params.max_memory_mb, jobs=params.jobs or ctx.jobs)
    first_wave = min(limits.workers(), len(todo))
    started: set[str] = set()

    def on_start(key: str) -> None:
        started.add(key)
        if len(started) != first_wave:
            return
        if params.nlp_ahead != "none":  # first: the longest load, on the build's critical path when few files
            from miner.nlp.french import preload_nlp

            preload_nlp(entities_only=params.nlp_ahead == "entities")
        if params.graphs:  # the workers forked from now on share them, and build their documents' graphs
            preload_graph_builders()
        if params.network_ahead:  # off the serial end of a build of few files, where it cost ~0.4 s
            import miner.network.network  # noqa: F401

    waiting: list[Evaluation] = []  # read without their organisations (the French pipeline was not here yet)
    assigned: dict[str, list[Evaluation]] = {}  # file → those its worker finds, as forked

    def answered(path: Path, answer: dict[str, Any], evaluation: Evaluation) -> None:
        keep_answers(ctx, digests[str(path)], answer)
        if params.graphs and params.write_graphs:
            write_graph_ahead(ctx, digests[str(path)], answer)
        if params.nlp_ahead == "none":
            return
        if left_without_organisations(answer):
            waiting.append(evaluation)
        from miner.nlp.french import loaded_entity_nlp

        if waiting and loaded_entity_nlp() is not None:  # the next workers forked share it: they find them
            upcoming = [str(p) for p in todo if str(p) not in started]
            assign_leftovers(assigned, waiting, upcoming[: limits.workers()])

    answers = (
        worker_answers(
            kinds=params.read_kinds,
            organisations=params.nlp_ahead != "none",
            graph=(ctx.base_iri, params.cycle) if params.graphs else None,
            assigned=assigned,
        )
        if params.read_kinds or params.nlp_ahead != "none" or params.graphs
        else None
    )
    with ctx.reporter.track("extract", len(todo)) as advance:
        results = extract_batch(
            todo,
            password=params.password,
            limits=limits,
            on_done=lambda _key: advance(),
            on_pages=ctx.reporter.detail,
            on_start=on_start,
            alongside=answers,
            on_alongside=answered,
            ocr=declared(OcrSettings, mode=params.ocr, page_timeout=params.page_timeout),
            layout=params.layout,
        )
    if waiting and limits.workers() > 1:  # read before the French pipeline, no worker left to take them
        find_organisations_behind(ctx, list(waiting), limits.workers())
    for path, evaluation, error in results:
        if evaluation is None:
            ctx.fail(path, name, error or "failed")
            continue
        if ctx.cache:
            ctx.cache.put(name, keys[str(path)], evaluation.model_dump_json())
        if params.save_json:
            write_text_atomic(ctx.out / "extract" / f"{Path(path).stem}.json", evaluation.model_dump_json(indent=2))
        done[str(path)] = evaluation
    return done


class RecordsParams(StepParams):
    pattern: str | list[str] = Field(
        "*.json",
        description="which inputs are Evaluation records, what `miner extract` "
        "writes (glob on the file name, or a list)",
    )


@step("miner.records.v1", requires=("inputs",), assigns=("evaluations",), params=RecordsParams)
def records_step(ctx: RunContext, params: RecordsParams) -> None:
    """Read back Evaluation records (JSON) among the inputs; a file that is not one fails alone."""
    from miner.store.load import read_evaluation  # the graph builders it sits beside load rdflib

    for path in ctx.inputs_matching(params.pattern):
        try:
            ctx.add("evaluations", read_evaluation(Path(path), None))
        except InputError as exc:
            ctx.fail(path, "miner.records.v1", exc.reason)


@step("miner.outline.v1", requires=("evaluations",))
def outline_step(ctx: RunContext, params: None) -> None:
    """Print an outline of each extracted evaluation: questions, criteria, judgements, constats."""
    from miner.extract.evaluation import outline

    for evaluation in ctx.evaluations:
        if evaluation.questions:
            ctx.echo(outline(evaluation))
            ctx.echo("")
