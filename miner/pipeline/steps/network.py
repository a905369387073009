"""The network step: the partnership network of the store as a page, GraphML, GEXF and metrics."""

from __future__ import annotations

from pydantic import Field

from miner.pipeline.context import RunContext, store_digest
from miner.pipeline.registry import StepParams, step

__all__ = ["NetworkStepParams", "network_step"]


class NetworkStepParams(StepParams):
    out: str = Field("network.html", description="page to write, relative to the pipeline's out folder")
    cluster: str | None = Field(None, description="only the facts about this cluster")
    cycle: str | None = Field(None, description="only this cycle (slug like triennat-7, or its ordinal)")
    axis: int | None = Field(None, description="only activities serving this decree axis (1-6)")


@step("miner.network.v1", requires=("graph",), params=NetworkStepParams)
def network_step(ctx: RunContext, params: NetworkStepParams) -> None:
    """Write the partnership network of the store: offline HTML page, GraphML, GEXF, metrics CSV."""

    store = ctx.open_store(read_only=True)
    if ctx.unchanged("miner.network.v1", params, store_digest(store), outputs_exist=(ctx.out / params.out).exists()):
        return
    from miner.network.network import network  # networkx and the page: only when the store changed

    report = network(
        None, ctx.out / params.out, cluster=params.cluster, cycle=params.cycle, axis=params.axis, store=store
    )
    ctx.echo(
        f"network: {report.nodes} organisations, {report.edges} links → " + ", ".join(str(p) for p in report.files)
    )
    if report.unknown_types:
        ctx.echo(f"warning: {report.unknown_types} organisation(s) typed 'inconnu'")
    ctx.finished()
