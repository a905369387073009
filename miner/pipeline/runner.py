"""Pipelines as data: load and check ``pipelines/*.yaml``, then run its steps in order.

A pipeline file names its inputs (globs, relative to the file's folder's parent unless absolute),
where the store and outputs go, and an ordered list of steps by registered name with parameters.
The file is checked before anything runs: unknown keys, unknown steps, wrong parameter types and
steps whose requirements no earlier step assigns are reported with the file's line number.
"""

from __future__ import annotations

import glob
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from miner.errors import UsageError
from miner.pipeline.cache import Cache
from miner.pipeline.context import RunContext
from miner.pipeline.progress import Reporter
from miner.pipeline.registry import StepSpec, get_step

__all__ = [
    "StepConfig",
    "PipelineFile",
    "LoadedPipeline",
    "check_order",
    "finish_run",
    "load_pipeline",
    "new_context",
    "resolve_inputs",
    "run_pipeline",
    "run_steps",
]


class StepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: str
    params: dict[str, Any] = {}


class PipelineFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    inputs: list[str] = []
    store: str = "graphs/store"
    out: str = "graphs"
    base_iri: str | None = None
    steps: list[StepConfig]


@dataclass
class LoadedPipeline:
    path: Path
    spec: PipelineFile
    steps: list[tuple[StepSpec, BaseModel | None]]


def _step_lines(text: str) -> list[int]:
    """Line number (1-based) of each entry of ``steps:``, for error messages."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "steps" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def load_pipeline(path: str | Path) -> LoadedPipeline:
    """Read and check a pipeline file; raise UsageError naming the file and line on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read pipeline file ({exc.strerror})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise UsageError(f"{path}:{where} invalid YAML: {getattr(exc, 'problem', exc)}") from None
    lines = _step_lines(text)
    try:
        spec = PipelineFile.model_validate(raw)
    except ValidationError as exc:
        messages = []
        for err in exc.errors()[:3]:
            loc = err["loc"]
            line = ""
            if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int) and loc[1] < len(lines):
                line = f"line {lines[loc[1]]} "
            what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            messages.append(f"{line}{'.'.join(map(str, loc))}: {what}")
        raise UsageError(f"{path}: {'; '.join(messages)}") from None
    steps: list[tuple[StepSpec, BaseModel | None]] = []
    for index, config in enumerate(spec.steps):
        line = f" line {lines[index]}" if index < len(lines) else ""
        try:
            step_spec = get_step(config.step)
            params = step_spec.check_params(config.params)
        except UsageError as exc:
            raise UsageError(f"{path}:{line} {exc}") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            raise UsageError(
                f"{path}:{line} step {config.step}: parameter {'.'.join(map(str, err['loc']))}: {err['msg']}"
            ) from None
        steps.append((step_spec, params))
    check_order(steps, where=lambda index: f"{path}:" + (f" line {lines[index]}" if index < len(lines) else ""))
    return LoadedPipeline(path, spec, steps)


def check_order(
    steps: list[tuple[StepSpec, BaseModel | None]], *, where: Callable[[int], str] = lambda index: f"step {index + 1}:"
) -> None:
    """Refuse a step whose requirements no earlier step assigns (``where`` names its place in messages)."""
    available: set[str] = {"inputs"}
    for index, (step_spec, _params) in enumerate(steps):
        missing = [need for need in step_spec.requires if need not in available]
        if missing:
            raise UsageError(
                f"{where(index)} step {step_spec.name} requires {', '.join(missing)}, which no earlier step assigns"
            )
        available.update(step_spec.assigns)


def resolve_inputs(patterns: list[str], root: Path) -> list[Path]:
    """Expand input globs relative to ``root``; a pattern matching nothing is a usage error."""
    found: list[Path] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(root / pattern)
        matches = sorted(glob.glob(full, recursive=True))
        if not matches:
            raise UsageError(f"input {pattern!r} matches no file (looked in {root})")
        found.extend(Path(m) for m in matches if Path(m).is_file())
    return list(dict.fromkeys(found))


def run_pipeline(
    loaded: LoadedPipeline,
    *,
    inputs: list[str] | None = None,
    store: str | None = None,
    force: bool = False,
    jobs: int = 0,
    reporter: Reporter | None = None,
) -> RunContext:
    """Run the steps in order. Per-document failures are collected in ``ctx.failures``."""
    root = loaded.path.resolve().parent.parent
    paths = resolve_inputs(inputs or loaded.spec.inputs, Path.cwd() if inputs else root)
    ctx = new_context(
        paths,
        Path(store) if store else root / loaded.spec.store,
        root / loaded.spec.out,
        root=root,
        base_iri=loaded.spec.base_iri,
        force=force,
        jobs=jobs,
        reporter=reporter,
    )
    run_steps(ctx, loaded.steps)
    return finish_run(ctx)


def new_context(
    inputs: list[Path],
    store: Path,
    out: Path,
    *,
    root: Path,
    base_iri: str | None = None,
    force: bool = False,
    jobs: int = 0,
    reporter: Reporter | None = None,
) -> RunContext:
    """The context of a run: its out folder made, its cache under ``out/cache`` (off with ``force``)."""
    ctx = RunContext(
        inputs=inputs,
        store=store,
        out=out,
        root=root,
        base_iri=base_iri,
        force=force,
        jobs=jobs,
        reporter=reporter or Reporter(),
    )
    ctx.out.mkdir(parents=True, exist_ok=True)
    ctx.cache = Cache(ctx.out / "cache", enabled=not force)
    return ctx


def run_steps(ctx: RunContext, steps: list[tuple[StepSpec, BaseModel | None]]) -> RunContext:
    """Run ``steps`` in order on ``ctx`` (several calls may share one context)."""
    for step_spec, params in steps:
        started = time.monotonic()
        ctx.reporter.event("step", step=step_spec.name)
        step_spec.func(ctx, params)
        ctx.reporter.event("step_done", step=step_spec.name, seconds=round(time.monotonic() - started, 3))
    return ctx


def finish_run(ctx: RunContext) -> RunContext:
    """Close the run's writer (one writing process at a time) and report the summary; no work
    started for a later step is left running (a pipeline whose later steps did not need it)."""
    ctx.settle()
    ctx.release_store()
    ctx.reporter.event(
        "summary",
        failures=[f.__dict__ for f in ctx.failures],
        cache_hits=ctx.cache.hits if ctx.cache else 0,
        cache_misses=ctx.cache.misses if ctx.cache else 0,
    )
    return ctx
