"""The one registry of pipeline steps.

A step is a plain function ``fn(ctx: RunContext, params) -> None`` registered under a versioned name
(``"miner.extract.v1"``) with the context keys it ``requires`` and ``assigns``, so a pipeline file is
checked (unknown step, a step that needs something no earlier step assigns) before anything runs.
Modules that define steps are listed in ``STEP_MODULES`` with their steps and imported when one of
their steps is first asked for; they keep their heavy imports (spaCy, torch) inside the step bodies.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict

from miner.errors import UsageError

__all__ = ["StepParams", "StepSpec", "step", "get_step", "configured", "all_steps", "STEP_MODULES", "PRODUCTS"]

STEP_MODULES = {
    "miner.pipeline.steps.documents": ("miner.extract.v1", "miner.records.v1", "miner.outline.v1"),
    "miner.pipeline.steps.cycles": ("miner.cycles.v1",),
    "miner.pipeline.steps.indicators": ("miner.indicators.v1",),
    "miner.pipeline.steps.store": ("miner.graph.v1", "miner.import.v1", "miner.query.v1"),
    "miner.pipeline.steps.classify": ("miner.classify.v1",),
    "miner.pipeline.steps.annotate": ("miner.annotate.v1",),
    "miner.pipeline.steps.organisations": ("miner.organisations.v1", "miner.members.v1"),
    "miner.pipeline.steps.network": ("miner.network.v1",),
    "miner.pipeline.steps.compare": ("miner.compare.v1",),
}
"""Each module that defines steps, with the steps it registers: a command that runs a few steps
(`miner cycles`) imports only their modules, not the network page's or the tagger's."""

PRODUCTS = frozenset(
    {
        "inputs",
        "evaluations",
        "cycles",
        "graph",
        "organisations",
        "members",
        "activities",
        "activity_tags",
        "activity_graphs",
    }
)
"""What a step may require or assign: the run's inputs and the fields of ``RunContext`` steps fill
(``graph``: named graphs loaded into the store, which every step reading the store requires)."""


class StepParams(BaseModel):
    """Base of every step's parameters: an unknown key in a pipeline file is refused."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class StepSpec:
    name: str
    func: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    params: type[BaseModel] | None
    doc: str

    def check_params(self, raw: dict[str, Any] | None) -> BaseModel | None:
        """Validate a step's parameters from a pipeline file; unknown keys are refused."""
        if self.params is None:
            if raw:
                raise UsageError(f"step {self.name} takes no parameters (got {', '.join(raw)})")
            return None
        return self.params.model_validate(raw or {})


_REGISTRY: dict[str, StepSpec] = {}
_loaded = False


def step(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    params: type[BaseModel] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a step function under ``name``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise RuntimeError(f"step {name} registered twice")
        unknown = sorted((set(requires) | set(assigns)) - PRODUCTS)
        if unknown:
            raise RuntimeError(f"step {name} names unknown products {unknown}; known: {sorted(PRODUCTS)}")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = StepSpec(name, func, requires, assigns, params, doc[0] if doc else "")
        return func

    return decorate


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in STEP_MODULES:
            importlib.import_module(module)
        _loaded = True


def get_step(name: str) -> StepSpec:
    home = next((module for module, names in STEP_MODULES.items() if name in names), None)
    if home is not None:
        importlib.import_module(home)
    if name not in _REGISTRY:
        _load()  # a step the table does not place, or none: every module, for the error's list
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UsageError(f"no step named {name!r}. Known steps: {known}") from None


def configured(name: str, **params: Any) -> tuple[StepSpec, BaseModel | None]:
    """The step registered as ``name`` with its parameters checked, as a pipeline built in code lists it."""
    spec = get_step(name)
    return spec, spec.check_params(params)


def all_steps() -> list[StepSpec]:
    _load()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
