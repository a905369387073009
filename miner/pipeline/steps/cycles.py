"""The cycle step: which funding cycle each evaluation covers, found once for every later reader."""

from __future__ import annotations

from pydantic import Field, field_validator

from miner.extract.cycles import cycle_inference_of_evaluation, parse_cycle
from miner.pipeline.context import RunContext
from miner.pipeline.registry import StepParams, step

__all__ = ["CyclesStepParams", "cycles_step"]


class CyclesStepParams(StepParams):
    cycle: str | None = Field(
        default=None,
        description="cycle of every evaluation, e.g. triennat-7 (else read from the text; a text "
        "that says otherwise is kept as a conflict)",
    )

    @field_validator("cycle")
    @classmethod
    def _known_form(cls, value: str | None) -> str | None:
        """Checked when the pipeline is loaded, before any document is read."""
        if value:
            parse_cycle(value)
        return value


@step("miner.cycles.v1", requires=("evaluations",), assigns=("cycles",), params=CyclesStepParams)
def cycles_step(ctx: RunContext, params: CyclesStepParams) -> None:
    """Find the cycle of each extracted document with its evidence and conflicts (``ctx.cycle_of``)."""
    for evaluation in ctx.evaluations:
        if evaluation.source.sha256 not in ctx.cycles:
            ctx.add("cycles", cycle_inference_of_evaluation(evaluation, params.cycle), key=evaluation.source.sha256)
