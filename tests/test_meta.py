"""Checks on the tests themselves: every time limit a test gives is scaled (tests/timeouts.py),
and no test asserts on how long something took (speed is measured by bench/, as ratios)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LIMIT_KEYWORDS = {"timeout", "read_timeout", "client_timeout", "seconds"}
"""Keyword arguments that are time limits."""
LIMIT_CALLS = {"join", "wait", "settimeout", "WebDriverWait", "create_connection"}
"""Calls whose positional arguments include a time limit (a thread's join, a process's wait, a socket's, a browser wait)."""
CLOCKS = {"monotonic", "perf_counter", "time"}


def literal(node: ast.AST) -> bool:
    """A number written in the test (``-1`` too), rather than one passed through ``scaled``."""
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def name_of(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@cache
def sources() -> list[tuple[Path, ast.Module]]:
    """Every test module parsed once for the checks below."""
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("timeouts.py", "test_meta.py")
    ]


def unscaled_limits(tree: ast.Module) -> list[int]:
    """Lines giving a literal number as a time limit."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        given = [k.value for k in node.keywords if k.arg in LIMIT_KEYWORDS]
        if name_of(node.func) in LIMIT_CALLS:
            given += node.args[1:2] if name_of(node.func) in ("WebDriverWait", "create_connection") else node.args[:1]
        if name_of(node.func) == "Limits":  # miner.read.isolate.Limits(timeout=...)
            given += node.args[:1]
        lines += [node.lineno for value in given if literal(value)]
    return lines


def timed_assertions(tree: ast.Module) -> list[int]:
    """Lines asserting on a clock reading (``assert time.monotonic() - start < 5``)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
        for call in ast.walk(node.test)
        if isinstance(call, ast.Call) and name_of(call.func) in CLOCKS
    ]


def test_every_time_limit_in_the_tests_is_scaled():
    found = [f"{path.relative_to(TESTS)}:{line}" for path, tree in sources() for line in unscaled_limits(tree)]
    assert not found, "a literal time limit (give scaled(seconds) from tests/timeouts.py): " + ", ".join(found)


def test_no_test_asserts_on_wall_clock_time():
    found = [f"{path.relative_to(TESTS)}:{line}" for path, tree in sources() for line in timed_assertions(tree)]
    assert not found, "an assertion on elapsed time (bench/ measures speed): " + ", ".join(found)


def test_the_checks_see_what_they_refuse():
    tree = ast.parse(
        "import time\nstart = time.monotonic()\nrun(x, timeout=5)\nthread.join(10)\n"
        "WebDriverWait(driver, 20)\nrun(x, timeout=scaled(5))\nassert time.monotonic() - start < 1\n"
    )
    assert unscaled_limits(tree) == [3, 4, 5] and timed_assertions(tree) == [7]
