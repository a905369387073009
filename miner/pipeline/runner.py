"""Pipelines as data: load and check ``pipelines/*.yaml``, then run its steps in order.

A pipeline file names its inputs (globs, relative to the file's folder's parent unless absolute),
where the store and outputs go, and an ordered list of steps by registered name with parameters.
The file is checked before anything runs: unknown keys, unknown steps, wrong parameter types and
steps whose requirements no earlier step assigns are reported with the file's line number.
"""

from __future__ import annotations

import glob
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from miner.errors import UsageError
from miner.pipeline.registry import StepSpec, get_step

__all__ = ["StepConfig", "PipelineFile", "Failure", "RunContext", "load_pipeline", "run_pipeline", "store_digest"]


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
class Failure:
    path: str
    step: str
    reason: str


@dataclass
class RunContext:
    """What steps share during one run: inputs, locations and the records made so far."""

    inputs: list[Path]
    store: Path
    out: Path
    root: Path
    base_iri: str | None = None
    force: bool = False
    cache: Any = None  # miner.pipeline.cache.Cache, set by run_pipeline
    jobs: int = 0  # documents processed at once (0: one per core)
    data: dict[str, Any] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    reporter: Any = None  # miner.pipeline.progress.Reporter
    _captured: list[str] | None = field(default=None, init=False, repr=False)
    _memo: tuple[str, str, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.reporter is None:
            from miner.pipeline.progress import Reporter

            self.reporter = Reporter()

    def echo(self, text: str) -> None:
        """A line for a person (hidden with --quiet, an event with --log-json)."""
        if self._captured is not None:
            self._captured.append(text)
        self.reporter.info(text)

    def unchanged(self, step: str, params: Any, *parts: str, outputs_exist: bool = True) -> bool:
        """True when this step already ran on exactly these inputs and parameters and its outputs
        are still there: what it printed then is printed again and the caller skips its work.
        Otherwise start recording, so ``finished`` can remember the run."""
        from miner.pipeline.cache import cache_key

        key = cache_key(step, params, *parts, self.store_id())
        cached = self.cache.get(step, key) if self.cache is not None else None
        if cached is not None and outputs_exist:
            import json

            for line in json.loads(cached)["echo"]:
                self.reporter.info(line)
            return True
        self._memo = (step, key, len(self.failures))
        self._captured = []
        return False

    def store_id(self) -> str:
        """An id written into the store folder when first seen: a store deleted and rebuilt gets a
        new one, so nothing remembered about the old store is taken for the new one."""
        import uuid

        marker = self.store / "miner-store-id"
        try:
            return marker.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            if not self.store.is_dir():
                return "no-store"
            from miner.atomic import write_text_atomic

            ident = uuid.uuid4().hex
            write_text_atomic(marker, ident)
            return ident

    def finished(self) -> None:
        """Remember a step run started by ``unchanged`` (unless an input failed in it)."""
        memo, lines = self._memo, self._captured or []
        self._memo, self._captured = None, None
        if memo is not None and self.cache is not None and len(self.failures) == memo[2]:
            import json

            self.cache.put(memo[0], memo[1], json.dumps({"echo": lines}, ensure_ascii=False))


    def fail(self, path: str | Path, step: str, reason: str) -> None:
        self.failures.append(Failure(str(path), step, reason))
        self.reporter.error(str(path), step, reason)


def store_digest(store: Any) -> str:
    """A fingerprint of the store's content: its named graph IRIs, which derive from the content
    of the documents they were read from (a changed document gets a new graph)."""
    import hashlib

    names = sorted(str(getattr(g, "value", g)) for g in store.named_graphs())
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


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
    available: set[str] = {"inputs"}
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
                f"{path}:{line} step {config.step}: parameter "
                f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
            ) from None
        missing = [need for need in step_spec.requires if need not in available]
        if missing:
            raise UsageError(
                f"{path}:{line} step {config.step} requires {', '.join(missing)}, "
                "which no earlier step assigns"
            )
        available.update(step_spec.assigns)
        steps.append((step_spec, params))
    return LoadedPipeline(path, spec, steps)


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
    reporter: Any = None,
) -> RunContext:
    """Run the steps in order. Per-document failures are collected in ``ctx.failures``."""
    root = loaded.path.resolve().parent.parent
    paths = resolve_inputs(inputs or loaded.spec.inputs, Path.cwd() if inputs else root)
    ctx = RunContext(
        inputs=paths,
        store=Path(store) if store else root / loaded.spec.store,
        out=root / loaded.spec.out,
        root=root,
        base_iri=loaded.spec.base_iri,
        force=force,
        jobs=jobs,
        reporter=reporter,
    )
    ctx.out.mkdir(parents=True, exist_ok=True)
    from miner.pipeline.cache import Cache

    ctx.cache = Cache(ctx.out / "cache", enabled=not force)
    for step_spec, params in loaded.steps:
        started = time.monotonic()
        ctx.reporter.event("step", step=step_spec.name)
        step_spec.func(ctx, params)
        ctx.reporter.event("step_done", step=step_spec.name, seconds=round(time.monotonic() - started, 3))
    ctx.data.pop("oxigraph", None)  # release the store's write lock (one writing process at a time)
    ctx.reporter.event(
        "summary", failures=[f.__dict__ for f in ctx.failures],
        cache_hits=ctx.cache.hits, cache_misses=ctx.cache.misses,
    )
    return ctx
