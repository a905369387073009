"""Every step module registers versioned steps whose products and parameters are declared."""

from __future__ import annotations

import importlib

import pytest
from pydantic import ValidationError

from miner.pipeline.registry import PRODUCTS, STEP_MODULES, all_steps

EXPECTED = {
    "miner.pipeline.steps.documents": {"miner.extract.v1", "miner.records.v1", "miner.outline.v1"},
    "miner.pipeline.steps.cycles": {"miner.cycles.v1"},
    "miner.pipeline.steps.indicators": {"miner.indicators.v1"},
    "miner.pipeline.steps.store": {"miner.graph.v1", "miner.import.v1", "miner.query.v1"},
    "miner.pipeline.steps.classify": {"miner.classify.v1"},
    "miner.pipeline.steps.annotate": {"miner.annotate.v1"},
    "miner.pipeline.steps.organisations": {"miner.organisations.v1", "miner.members.v1"},
    "miner.pipeline.steps.network": {"miner.network.v1"},
    "miner.pipeline.steps.compare": {"miner.compare.v1"},
}


@pytest.mark.parametrize("module", STEP_MODULES)
def test_step_module_registers_its_steps(module):
    importlib.import_module(module)
    names = {spec.name for spec in all_steps() if spec.func.__module__ == module}
    assert names == EXPECTED[module]


def test_products_parameters_and_docs():
    for spec in all_steps():
        assert set(spec.requires) <= PRODUCTS and set(spec.assigns) <= PRODUCTS
        assert spec.doc, f"{spec.name} has no docstring"
        if spec.params is not None:
            with pytest.raises(ValidationError):
                spec.params.model_validate({"no_such_parameter": 1})
    readers = {s.name for s in all_steps() if "graph" in s.requires}
    assert {"miner.query.v1", "miner.network.v1", "miner.annotate.v1"} <= readers
