"""The examples in miner's docstrings run (STYLE.md: public functions show an example that runs)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import miner

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(miner.__path__, "miner.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
