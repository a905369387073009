"""The compare step: two extracted evaluations of the run compared into an offline report."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from miner.errors import MinerError
from miner.pipeline.context import RunContext
from miner.pipeline.registry import StepParams, step

__all__ = ["CompareParams", "compare_step"]


class CompareParams(StepParams):
    a: str = Field(description="the earlier evaluation: glob on the inputs' file names")
    b: str = Field(description="the later evaluation (or another cluster's): glob on the inputs' file names")
    out: str = Field("compare.html", description="report file under the pipeline's out folder (.html or .md)")
    cycle_a: str | None = Field(None, description="cycle of A when its text names none, e.g. triennat-6")
    cycle_b: str | None = Field(None, description="cycle of B when its text names none")


def _around(store: object) -> str:
    """What a comparison reads around the two evaluations (members, provinces, indicators), digested."""
    from miner.compare.comparison import store_inputs_digest

    return store_inputs_digest(store)


@step("miner.compare.v1", requires=("evaluations",), params=CompareParams)
def compare_step(ctx: RunContext, params: CompareParams) -> None:
    """Compare two extracted evaluations and write an offline HTML (or Markdown) report."""
    picked = []
    for pattern in (params.a, params.b):
        hits = [e for e in ctx.evaluations if Path(e.source.path).match(pattern)]
        if len(hits) != 1:
            names = ", ".join(Path(e.source.path).name for e in ctx.evaluations)
            ctx.fail(
                pattern,
                "miner.compare.v1",
                f"{len(hits)} extracted evaluations match {pattern!r} (need 1); have: {names}",
            )
            return
        picked.append(hits[0])
    store = ctx.store_handle()
    digest = ctx.store_fact("miner.compare.v1", lambda: _around(store)) if store is not None else ""
    if ctx.unchanged(
        "miner.compare.v1",
        params,
        str(ctx.base_iri),
        picked[0].source.sha256,
        picked[1].source.sha256,
        digest,
        outputs_exist=(ctx.out / params.out).exists(),
    ):
        return
    from miner.compare.comparison import compare_refs, write_comparison  # the aligner and the page: a report to write

    try:
        comparison = compare_refs(
            picked[0],
            picked[1],
            cycle_a=params.cycle_a,
            cycle_b=params.cycle_b,
            base_iri=ctx.base_iri,
            store_handle=store,
        )
        out = write_comparison(comparison, ctx.out / params.out)
    except MinerError as exc:
        ctx.fail(params.out, "miner.compare.v1", str(exc))
        ctx.finished()
        return
    counts = comparison.alignment.counts()
    ctx.echo(
        f"{out}: {counts['matched']} criteria aligned ({counts['improved']} improved, {counts['same']} same, "
        f"{counts['declined']} declined), {counts['recurring']} recurring and {counts['resolved']} resolved constats"
    )
    ctx.finished()
