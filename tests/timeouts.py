"""Every time limit a test sets, scaled by one factor CI and users can set.

A test's timeout is an upper bound for a healthy run, never a measurement: on a loaded machine
(load average 5-10 on 2 cores, as CI runners and laptops can be) everything takes longer, so each
limit a test gives (a socket's, a worker's, a browser wait's) passes through :func:`scaled`.
``MINER_TEST_TIMEOUT_SCALE`` sets the factor; the default suits a loaded 2-core machine. A check in
``tests/test_meta.py`` refuses a literal timeout that does not go through here.
"""

from __future__ import annotations

import os

__all__ = ["SCALE", "scaled"]

SCALE = float(os.environ.get("MINER_TEST_TIMEOUT_SCALE", "3"))
"""Three times what an idle machine needs: a process on a 2-core machine at load 6 gets a third of a core."""
if not SCALE > 0:
    raise ValueError(f"MINER_TEST_TIMEOUT_SCALE must be a positive number, got {SCALE!r}")


def scaled(seconds: float) -> float:
    """``seconds`` times the scale factor: the limit to give for what takes ``seconds`` at most on an idle machine."""
    return seconds * SCALE
