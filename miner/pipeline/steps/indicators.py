"""Indicators step: the KPI tables of objective contracts and their evaluations into the store.

A thin wrapper over :mod:`miner.extract.indicators` (read in an isolated worker, as reports are
extracted) and :mod:`miner.rdf.indicators`: one named graph per document, its ``qb:Observation``s
with their page and row, replaced when the document is read again and left alone when unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pydantic import Field

from miner.errors import InputError
from miner.extract.indicators import extract_indicators_batch
from miner.pipeline.context import RunContext, StepInput
from miner.pipeline.registry import StepParams, step
from miner.rdf.indicators import indicators_graph
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.read.isolate import Limits
from miner.settings import declared
from miner.store.local import load_rdflib_graph

__all__ = ["IndicatorsParams", "indicators_step"]


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
    limits = declared(Limits, jobs=ctx.jobs)
    items = []
    for path in ctx.inputs_matching(params.pattern):
        digest = sha256_file(path)
        present = store.contains_named_graph(ox.NamedNode(str(minter.graph(digest))))
        items.append(StepInput(Path(path), path, (str(ctx.base_iri), digest), present))

    def load(path: Path) -> None:
        [(_, table, error)] = extract_indicators_batch([path], limits=limits)
        if table is None:
            raise InputError(path, error or "unreadable")
        graph = indicators_graph(table, minter=minter, default_cluster=params.default_cluster or "unknown")
        load_rdflib_graph(store, graph)
        ctx.echo(f"{path}: {len(table.indicators)} indicators into {graph.identifier}")
        ctx.graph.append(str(graph.identifier))

    ctx.for_each(name, params, items, load)
    store.flush()
