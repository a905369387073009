"""Every step module registers versioned steps whose products and parameters are declared."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from conftest import ROOT
from pydantic import ValidationError
from timeouts import scaled

from miner.pipeline.registry import PRODUCTS, STEP_MODULES, all_steps

MODULES = [
    "miner.pipeline.steps.documents",
    "miner.pipeline.steps.cycles",
    "miner.pipeline.steps.indicators",
    "miner.pipeline.steps.store",
    "miner.pipeline.steps.classify",
    "miner.pipeline.steps.annotate",
    "miner.pipeline.steps.organisations",
    "miner.pipeline.steps.network",
    "miner.pipeline.steps.compare",
]


def test_the_table_lists_every_step_module():
    assert sorted(STEP_MODULES) == sorted(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_step_module_registers_its_steps(module):
    importlib.import_module(module)
    names = {spec.name for spec in all_steps() if spec.func.__module__ == module}
    assert names == set(STEP_MODULES[module])  # the table get_step imports by says where each step is


def test_products_parameters_and_docs():
    for spec in all_steps():
        assert set(spec.requires) <= PRODUCTS and set(spec.assigns) <= PRODUCTS
        assert spec.doc, f"{spec.name} has no docstring"
        if spec.params is not None:
            with pytest.raises(ValidationError):
                spec.params.model_validate({"no_such_parameter": 1})
    readers = {s.name for s in all_steps() if "graph" in s.requires}
    assert {"miner.query.v1", "miner.network.v1", "miner.annotate.v1"} <= readers


def test_asking_for_a_step_imports_its_module_only():
    """`miner cycles` runs three steps: the network page's and the tagger's modules stay unloaded."""
    code = (
        "import sys; from miner.pipeline.registry import get_step; get_step('miner.cycles.v1'); "
        "print([m for m in ('networkx', 'jinja2', 'miner.tag.classify', 'miner.pipeline.steps.network') "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=scaled(60)
    ).stdout
    assert out.strip() == "[]"
