"""Indicators step: the KPI tables of objective contracts and their evaluations into the store.

A thin wrapper over :mod:`miner.extract.indicators` (read in an isolated worker, as reports are
extracted) and :mod:`miner.rdf.indicators`: one named graph per document, its ``qb:Observation``s
with their page and row, replaced when the document is read again and left alone when unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from pydantic import Field

from miner.errors import InputError
from miner.pipeline.cache import cache_key
from miner.pipeline.context import RunContext, StepInput
from miner.pipeline.registry import StepParams, step
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.read.isolate import Limits
from miner.records import IndicatorTable
from miner.settings import declared

__all__ = ["IndicatorsParams", "indicators_here", "indicators_step", "keep_indicators", "read_indicator_tables"]

READ = "miner.indicators.read"
"""The cache entry of a document's KPI tables, by content: `miner build` reads them to tell a
contract from other PDFs, the step to load them; neither reads an unchanged file again."""


NO_TABLE = "no table of indicators"


def read_indicator_tables(ctx: RunContext, paths: list[Path]) -> dict[Path, IndicatorTable | str]:
    """Each PDF's indicators, or why it has none (one line), read in isolated workers and cached
    by content (the path a table names is the one given now)."""
    keys = {path: cache_key(READ, {}, sha256_file(path)) for path in paths}
    found: dict[Path, IndicatorTable | str] = {}
    for path in paths:
        cached = ctx.recall(READ, keys[path])  # read before, or in the file's extraction worker this run
        if cached is not None:
            # the cache holds JSON: a table, or the one-line reason a file has none
            found[path] = (
                json.loads(cached) if not cached.startswith("{") else IndicatorTable.model_validate_json(cached)
            )
    todo = [p for p in paths if p not in found]
    for path, table, error in _read(todo, declared(Limits, jobs=ctx.jobs)):
        found[path] = table if table is not None else (error or "unreadable")
        if table is not None or found[path].startswith(NO_TABLE):  # a timeout is tried again
            ctx.remember(READ, keys[path], table.model_dump_json() if table is not None else json.dumps(found[path]))
    return {
        path: (
            value
            if isinstance(value, str)
            else value.model_copy(update={"source": value.source.model_copy(update={"path": str(path)})})
        )
        for path, value in ((p, found[p]) for p in paths)
    }


def indicators_here(path: Path) -> str | None:
    """What :func:`read_indicator_tables` remembers of ``path``, read in this process (a worker
    already isolated: :mod:`miner.pipeline.alongside`): its table, or why it has none; None when the
    reason is not one to remember."""
    from miner.extract.indicators import extract_indicators

    try:
        return extract_indicators(path).model_dump_json()
    except InputError as exc:
        return json.dumps(exc.reason) if exc.reason.startswith(NO_TABLE) else None


def keep_indicators(ctx: RunContext, sha256: str, text: str) -> None:
    """Keep what :func:`indicators_here` read in a worker of the file of digest ``sha256``, as if read here."""
    ctx.remember(READ, cache_key(READ, {}, sha256), text)


def _read(paths: list[Path], limits: Limits) -> list[tuple[Path, IndicatorTable | None, str | None]]:
    """The isolated KPI reader on ``paths``; not even imported when every file was read before."""
    if not paths:
        return []
    from miner.extract.indicators import extract_indicators_batch

    return extract_indicators_batch(paths, limits=limits)


class IndicatorsParams(StepParams):
    pattern: str | list[str] = Field(
        "*.pdf", description="which inputs are objective contracts or evaluations with a KPI table (glob or list)"
    )
    default_cluster: str | None = Field(None, description="cluster of a document whose first page names none")


@step("miner.indicators.v1", requires=("inputs",), assigns=("graph",), params=IndicatorsParams)
def indicators_step(ctx: RunContext, params: IndicatorsParams) -> None:
    """Load the indicators (target, achieved, page) of each contract or evaluation PDF among the inputs."""

    name = "miner.indicators.v1"
    store = ctx.open_store()
    minter = Minter(ctx.base_iri)
    items = []
    for path in ctx.inputs_matching(params.pattern):
        digest = sha256_file(path)
        present = store.contains_named_graph(ox.NamedNode(str(minter.graph(digest))))
        items.append(StepInput(Path(path), path, (str(ctx.base_iri), digest), present))

    def load(path: Path) -> None:
        from miner.rdf.indicators import indicators_graph  # rdflib: only for a document to load
        from miner.store.local import load_rdflib_graph

        table = read_indicator_tables(ctx, [path])[path]
        if isinstance(table, str):
            raise InputError(path, table)
        graph = indicators_graph(table, minter=minter, default_cluster=params.default_cluster or "unknown")
        load_rdflib_graph(store, graph)
        ctx.echo(f"{path}: {len(table.indicators)} indicators into {graph.identifier}")
        ctx.graph.append(str(graph.identifier))

    ctx.for_each(name, params, items, load)
    store.flush()
