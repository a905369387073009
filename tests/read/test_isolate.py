"""Per-file workers: a hung, crashing or memory-hungry input is reported, the batch goes on."""

from __future__ import annotations

import os
import time

import hostile
from timeouts import scaled

from miner.errors import InputError
from miner.read.isolate import Limits, run_isolated


def behave(key: str) -> str:
    if key == "sleep":
        while True:  # hangs until the time limit kills it
            time.sleep(1)
    if key == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(50 * 1024 * 1024))
    if key == "die":
        os._exit(3)
    if key == "raise":
        raise TypeError("'NoneType' object is not subscriptable")
    if key == "bad":
        raise InputError("bad.pdf", "not a PDF file (no %PDF header)")
    return key.upper()


def test_every_kind_of_failure_is_one_outcome():
    keys = ["a", "sleep", "hog", "die", "raise", "bad", "b"]
    limits = Limits(timeout=scaled(3), max_memory_mb=256, jobs=2)
    outcomes = {o.key: o for o in run_isolated(behave, keys, limits)}
    assert outcomes["a"].value == "A" and outcomes["b"].value == "B"
    assert outcomes["sleep"].error == f"timed out after {limits.timeout:g} s"
    assert outcomes["hog"].error.startswith("too large")
    assert outcomes["die"].error == "worker died (exit code 3)"
    assert outcomes["raise"].error.startswith("corrupt or unreadable (TypeError:")
    assert outcomes["bad"].error == "not a PDF file (no %PDF header)"


def test_decompression_bomb_is_capped(tmp_path):
    from miner.extract.evaluation import extract_batch

    bomb = hostile.bomb(tmp_path / "bomb.pdf", 700)
    assert bomb.stat().st_size < 10_000
    [(path, evaluation, error)] = extract_batch([bomb], limits=Limits(timeout=scaled(60), max_memory_mb=400))
    assert evaluation is None
    assert error.startswith("too large"), error


def frozen_count(key: str) -> str:
    import gc

    return str(gc.get_freeze_count())


def test_a_worker_inherits_the_parents_objects_frozen_and_the_parent_does_not():
    """Python's advice for a fork without exec: the child's collections never walk what it inherited
    (a worker forked with spaCy loaded spent 0.1 s of CPU in its first full collection)."""
    import gc

    inherited = len(gc.get_objects())
    (outcome,) = run_isolated(frozen_count, ["one"], Limits(timeout=scaled(60)))
    assert int(outcome.value) >= inherited // 2
    assert gc.get_freeze_count() == 0
