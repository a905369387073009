"""One line per goal, the same shape in every bench script, so `bench/run.py` can list them all.

GOAL classify idle: 0.52x today (goal <= 0.55x) met
"""

from __future__ import annotations

import operator
import os
from pathlib import Path

__all__ = ["PREFIX", "goal", "ROOT", "SHARED", "TINY"]

PREFIX = "GOAL "
_TESTS = {"<=": operator.le, ">=": operator.ge}


def goal(name: str, value: float, op: str, target: float, unit: str = "x", *, note: str = "") -> bool:
    """Print whether ``value op target`` holds and return it; the bench's exit code does not depend on it."""
    met = _TESTS[op](value, target)
    extra = f" ({note})" if note else ""
    print(
        f"{PREFIX}{name}: {value:.3g}{unit} (goal {op} {target:g}{unit}) {'met' if met else 'NOT met'}{extra}",
        flush=True,
    )
    return met


ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MINER_SHARED", ROOT.parent / "shared"))
"""The team's reference corpora, beside the checkout unless ``MINER_SHARED`` says where (as in tests)."""

TINY = "the smallest run that goes through every step (seconds): `make test` runs it, so no script breaks silently"
