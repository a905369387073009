"""The bench scripts keep running as the package moves: each runs at its tiny size here (seconds of
work, no timing asserted), and every name they import from miner exists with the signature they call.

``make bench`` runs them at full size (``bench/run.py``); a script that only ran there could break
silently between two benchmark runs, so each is run here with ``--tiny`` and must exit 0, print its
goals in the shared form and leave nothing behind.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from timeouts import scaled

BENCH = ROOT / "bench"
SCRIPTS = sorted(BENCH.glob("*.py"))
sys.path.insert(0, str(BENCH))
import run  # noqa: E402  (bench/run.py: the list of benchmarks)

MODEL_DEVELOPMENT = {
    "axes_cv.py",
    "axes_models.py",
    "links_cv.py",
    "review_gain.py",
    "missions_loco.py",
    *run.TINY_TOOLS,
}
"""Model development (F1 figures, no speed goal): their tiny runs load spaCy and the encoder and
train several heads, 10-20 s idle, so they run with the long tests (make test-long, CI)."""
BENCHMARKS = [
    pytest.param(BENCH / name, marks=[pytest.mark.long] if name in MODEL_DEVELOPMENT else [], id=name)
    for name in run.ORDER + run.TINY_TOOLS
]
GOAL_LINE = re.compile(r"^GOAL .+: [0-9.e+-]+ ?\S* \(goal (<=|>=) [0-9.e+-]+ ?\S*\) (met|NOT met)")
NO_GOAL = {
    "encoder_cache.py",
    "axes_cv.py",
    "axes_models.py",
    "links_cv.py",
    "review_gain.py",
    "bench_endpoint.py",
    "missions_loco.py",
    *run.TINY_TOOLS,
}
"""Figures without a goal: model development (F1 scores) and the endpoint's latencies against a bare server."""
TINY_TIMEOUT = 600
"""Seconds a tiny run may take before the timeout scale (idle, most take a few to twenty)."""


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


def test_every_miner_name_a_bench_script_imports_exists():
    """One check over every script (a meta check, not one test case a script)."""
    missing = []
    for script in SCRIPTS:
        for module_name, name in miner_imports(script):
            module = importlib.import_module(module_name)
            if name is not None and not hasattr(module, name):
                try:
                    importlib.import_module(f"{module_name}.{name}")
                except ModuleNotFoundError:
                    missing.append(f"{script.name}: {module_name}.{name}")
    assert not missing, f"bench scripts import names miner no longer has: {', '.join(missing)}"


def miner_calls(script: Path) -> list[tuple[str, str, ast.Call]]:
    """(module, name, call) for each call of a name the script imported from miner."""
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    origin = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "miner"
        for alias in node.names
    }
    return [
        (*origin[node.func.id], node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in origin
    ]


def test_every_call_of_miner_in_a_bench_script_fits_its_signature():
    """Names that still exist may have changed their parameters (bench_endpoint once called
    build(..., echo=...) after build lost echo): each call's arguments are bound to the signature."""
    wrong = []
    for script in SCRIPTS:
        for module_name, name, call in miner_calls(script):
            target = getattr(importlib.import_module(module_name), name, None)
            if (
                not callable(target)
                or any(isinstance(a, ast.Starred) for a in call.args)
                or any(k.arg is None for k in call.keywords)
            ):
                continue  # a module, or *args / **kwargs: nothing to bind by reading
            try:
                inspect.signature(target).bind(*call.args, **{k.arg: k.value for k in call.keywords})
            except TypeError as exc:
                wrong.append(f"{script.name} line {call.lineno}: {name}(): {exc}")
            except ValueError:
                continue  # no signature to read (a builtin)
    assert not wrong, "; ".join(wrong)


def test_make_bench_runs_every_script_of_the_folder():
    assert sorted(run.ORDER + run.HELPERS + run.MODEL_TOOLS) == sorted(p.name for p in SCRIPTS)


@pytest.mark.slow
@pytest.mark.parametrize("script", BENCHMARKS)
def test_every_bench_script_runs_at_its_tiny_size(script, tmp_path):
    env = {**os.environ, "MINER_SHARED": str(SHARED), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script), "--tiny"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=scaled(TINY_TIMEOUT),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip()
    goals = [line for line in done.stdout.splitlines() if line.startswith("GOAL ")]
    assert all(GOAL_LINE.match(line) for line in goals), goals
    assert goals or script.name in NO_GOAL, f"{script.name} printed no goal"
    assert list(tmp_path.iterdir()) == []  # scripts write into temporary folders, not where they are run


def test_make_bench_lists_each_script_and_goal_and_fails_only_when_a_script_breaks(tmp_path, monkeypatch, capsys):
    """`make bench` at full size: every script's exit code, time and goals in the summary; a goal
    not met is a figure (exit 0), a script that breaks is a failure (exit 1)."""
    (tmp_path / "good.py").write_text(
        "print('GOAL speed: 0.5x (goal <= 0.55x) met')\nprint('GOAL memory: 420 MB (goal <= 400 MB) NOT met')\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.setattr(run, "HERE", tmp_path)
    monkeypatch.setattr(run, "ORDER", ["good.py"])
    assert run.main([]) == 0
    out = capsys.readouterr().out
    assert "good.py: exit 0" in out and "good.py: GOAL" not in out
    assert "good.py: speed: 0.5x (goal <= 0.55x) met" in out and "1 of 2 goals met; every script ran" in out
    monkeypatch.setattr(run, "ORDER", ["good.py", "broken.py"])
    assert run.main([]) == 1
    assert "broken.py: exit 3" in capsys.readouterr().out


def test_make_bench_runs_each_script_on_its_own_checkouts_miner(tmp_path, monkeypatch, capsys):
    """A script's folder is bench/: without the checkout on its path, ``import miner`` finds the
    venv's install, another checkout's code when the venv is shared."""
    (tmp_path / "miner").mkdir()
    (tmp_path / "miner" / "__init__.py").write_text("WHERE = 'this checkout'\n", encoding="utf-8")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "probe.py").write_text("import miner\nprint('probe:', miner.WHERE)\n", encoding="utf-8")
    monkeypatch.setattr(run, "HERE", tmp_path / "bench")
    monkeypatch.setattr(run, "ORDER", ["probe.py"])
    assert run.main([]) == 0
    assert "probe: this checkout" in capsys.readouterr().out
