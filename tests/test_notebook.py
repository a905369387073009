"""The library face: `import miner` stays light, its five calls are there, and the notebook
example (docs/notebook.md) runs as written."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest
from conftest import ROOT
from timeouts import scaled

HEAVY = ["pandas", "torch", "spacy", "sentence_transformers", "pyoxigraph", "pdfplumber", "miner.api"]


def test_import_miner_imports_nothing_heavy_and_offers_five_calls():
    code = (
        "import sys, miner; print([m for m in %r if m in sys.modules]); "
        "print(sorted(n for n in miner.__all__ if callable(getattr(miner, n))))" % HEAVY
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=scaled(60)
    ).stdout.splitlines()
    assert out == ["[]", "['build', 'classify', 'extract', 'network', 'query']"]


def test_the_wings_named_like_calls_are_the_calls_too():
    import importlib

    import miner
    from miner import api

    for wing in ("miner.extract", "miner.network"):
        importlib.import_module(wing)  # binds the name on miner to the package

    assert callable(miner.extract) and callable(miner.network)
    assert miner.extract.__call__.__doc__ == api.extract.__doc__
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        miner.nothing  # noqa: B018


@pytest.mark.long  # builds a store and loads the axis model
def test_the_notebook_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(ROOT / "docs" / "notebook.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 10 and result.failed == 0
