"""Core pipeline steps: extract evaluation reports, print their outline.

Each step is a thin wrapper: the work is done by the stage modules (``miner.evaluation``); a step
only picks its inputs from the run context, records per-document failures and stores results.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from miner.errors import InputError
from miner.pipeline import RunContext
from miner.registry import step

__all__ = ["ExtractParams", "extract_step", "outline_step"]


class ExtractParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str = Field("*.pdf", description="which inputs are evaluation reports (glob on the file name)")
    password: str | None = Field(None, description="password for encrypted PDFs")
    save_json: bool = Field(True, description="write <out>/extract/<stem>.json for each report")


@step("miner.extract.v1", requires=("inputs",), assigns=("evaluations",), params=ExtractParams)
def extract_step(ctx: RunContext, params: ExtractParams) -> None:
    """Extract the structure of each evaluation report PDF among the inputs."""
    from miner.atomic import write_text_atomic
    from miner.evaluation import extract_evaluation

    evaluations = ctx.data.setdefault("evaluations", [])
    for path in ctx.inputs:
        if not Path(path).match(params.pattern):
            continue
        try:
            evaluation = extract_evaluation(path, password=params.password)
        except InputError as exc:
            ctx.fail(path, "miner.extract.v1", exc.reason)
            continue
        if not evaluation.questions:
            ctx.echo(f"note: {path}: no evaluation questions found (kept as a plain document)")
        evaluations.append(evaluation)
        if params.save_json:
            write_text_atomic(ctx.out / "extract" / f"{Path(path).stem}.json", evaluation.model_dump_json(indent=2))


@step("miner.outline.v1", requires=("evaluations",))
def outline_step(ctx: RunContext, params: None) -> None:
    """Print an outline of each extracted evaluation: questions, criteria, judgements, constats."""
    from miner.evaluation import outline

    for evaluation in ctx.data.get("evaluations", []):
        if evaluation.questions:
            ctx.echo(outline(evaluation))
            ctx.echo("")
