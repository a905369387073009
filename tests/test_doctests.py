"""The examples in miner's docstrings run (STYLE.md: public functions show an example that runs)."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import miner

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(miner.__path__, "miner.")
    if not info.name.endswith("__main__")
    and ">>>" in Path(importlib.util.find_spec(info.name).origin).read_text("utf-8")
)
"""Modules whose source shows an example: one test case each, so the count is of modules with examples."""


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} shows no example that doctest finds"
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
