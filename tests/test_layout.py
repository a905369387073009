"""The house's rules, checked: wings import only downwards, no private name crosses a module,
``__all__`` names what exists, the heavy libraries stay lazy, every module has a test."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "miner"
WINGS = [
    "cli",
    "pipeline",
    "serve",
    "compare",
    "network",
    "store",
    "rdf",
    "tag",
    "extract",
    "read",
    "nlp",
    "records",
    "data",
]
"""Top to bottom: a wing imports only from the wings below it (and the base modules)."""
BASE = {"errors", "atomic", "data", "__version__"}
HEAVY = ["torch", "spacy", "sentence_transformers", "pyvis", "reportlab", "sklearn", "pandas", "openpyxl", "pyshacl"]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def wing_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def imports(path: Path) -> list[ast.ImportFrom]:
    return [
        n
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(n, ast.ImportFrom) and n.module and n.module.split(".")[0] == "miner"
    ]


def test_wings_import_only_downwards():
    wrong = []
    for path in modules():
        wing = wing_of(path)
        if wing is None:
            continue
        for node in imports(path):
            parts = node.module.split(".")
            target = parts[1] if len(parts) > 1 else None
            if target in (None, wing) or target in BASE or target not in WINGS:
                continue
            if WINGS.index(target) < WINGS.index(wing):
                wrong.append(f"{path.relative_to(ROOT)}: {wing} imports {node.module}")
    assert not wrong, "\n".join(wrong)


def test_rdf_has_no_store_import():
    assert not [p for p in (PACKAGE / "rdf").glob("*.py") for n in imports(p) if n.module.startswith("miner.store")]


def test_no_private_name_crosses_a_module():
    crossing = [
        f"{p.relative_to(ROOT)}: {n.module}.{a.name}"
        for p in modules()
        for n in imports(p)
        for a in n.names
        if a.name.startswith("_") and a.name != "__version__"
    ]
    assert not crossing, "\n".join(crossing)


def test_all_names_exist():
    """One check over every module (a meta check, not one test case a module)."""
    missing = []
    for path in modules():
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        module = importlib.import_module(name)
        missing += [f"{name}.{n}" for n in getattr(module, "__all__", []) if not hasattr(module, n)]
    assert not missing, f"__all__ names what its module does not define: {', '.join(missing)}"


def modules_under_test() -> set[str]:
    """Modules the tests import (``from miner.x import y`` counts miner.x and miner.x.y)."""
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("miner"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "miner." in node.value:
                found.update(re.findall(r"miner(?:\.\w+)+", node.value))  # code run in a subprocess
    return found


def test_every_module_has_a_test():
    """Every module is imported by some test (its own file, mirroring the wings)."""
    found = modules_under_test()
    untested = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in modules() if p.name != "__init__.py"]
    untested = [m for m in untested if m not in found]
    assert not untested, "no test imports: " + ", ".join(untested)


def test_the_query_path_imports_no_heavy_library():
    code = (
        "import sys, miner.cli.app, miner.store.query, miner.store.local, miner.store.pool;"
        f"print([m for m in {HEAVY!r} + ['rdflib'] if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
