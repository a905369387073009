"""The bench scripts keep running as the package moves: every name they import from miner exists.

They are not run by ``make test`` (timings on a shared machine are measured by hand), so a rename in
miner would otherwise break them silently; this reads their import statements (``ast``), imports
each named module and looks each name up.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPTS = sorted(BENCH.glob("*.py"))


def miner_imports(script: Path) -> list[tuple[str, str | None]]:
    """(module, name) for each ``from miner… import name`` and (module, None) for ``import miner…``."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"), filename=str(script))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "miner":
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names if alias.name.split(".")[0] == "miner"]
    return found


def test_the_bench_folder_has_scripts_that_import_miner():
    assert sum(bool(miner_imports(script)) for script in SCRIPTS) >= 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_miner_name_a_bench_script_imports_exists(script):
    missing = []
    for module_name, name in miner_imports(script):
        module = importlib.import_module(module_name)
        if name is not None and not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ModuleNotFoundError:
                missing.append(f"{module_name}.{name}")
    assert not missing, f"{script.name} imports names miner no longer has: {', '.join(missing)}"
