"""The classify step: activity lists among the inputs tagged with the decree's axes."""

from __future__ import annotations

from pydantic import Field

from miner.errors import MinerError
from miner.pipeline.context import RunContext
from miner.pipeline.registry import StepParams, step

__all__ = ["ClassifyParams", "classify_step"]


class ClassifyParams(StepParams):
    pattern: str = Field("*activit*", description="glob on input file names that are activity lists")
    text_column: str | None = Field(None, description="description column, when not detected")
    model: str | None = Field(None, description="axis model artefact (default: the shipped one)")
    scheme: str = Field("axes-2007", description="concept scheme to tag under: axes-2007, missions-2024 or both")


@step("miner.classify.v1", requires=("inputs",), assigns=("activities", "activity_tags"), params=ClassifyParams)
def classify_step(ctx: RunContext, params: ClassifyParams) -> None:
    """Tag activity lists (CSV/XLSX/PDF) with decree axes, scores, evidence and constat links."""

    from miner.read.activities import read_table
    from miner.tag.classify import classify_table  # the tagger: only when a step classifies

    constats = [c for ev in ctx.evaluations for c in ev.constats]
    for path in ctx.inputs_matching(params.pattern):
        if path.suffix.lower() not in {".csv", ".xlsx", ".pdf"}:
            continue
        try:
            result = classify_table(
                read_table(path),
                text_column=params.text_column,
                model_path=params.model,
                constats=constats,
                scheme=params.scheme,
            )
        except MinerError as exc:
            ctx.fail(path, "miner.classify.v1", exc)
            continue
        for message in result.messages:
            ctx.echo(f"{path}: {message}")
        for activity in result.activities:
            if activity is not None:
                ctx.add("activities", activity)
        ctx.add("activity_tags", result)
