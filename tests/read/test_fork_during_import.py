"""A child is never forked while another thread is inside an import (a build loads spaCy in a thread
beside extraction): the child would find the module half-built, or wait on its lock forever."""

from __future__ import annotations

import importlib
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from timeouts import scaled

from miner.read.isolate import Limits, imports_in_progress, run_isolated

GATE = threading.Event()


def use_module(name: str) -> str:
    """In the child: import the module the parent's thread was importing, and an import in a thread
    of the child's own (as OCR's threads do), which needs the import lock the parent held."""
    module = importlib.import_module(name)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(importlib.import_module, "xml.dom.minidom").result(timeout=scaled(10))
    return module.VALUE


def test_children_are_forked_after_another_thread_finishes_its_import(tmp_path, monkeypatch):
    name = "miner_slow_import_probe"
    (tmp_path / f"{name}.py").write_text(
        "import sys\n"
        "sys.modules['tests_gate'].wait()  # stays half-built until the test opens the gate\n"
        "VALUE = 'built'\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "tests_gate", GATE)
    sys.modules.pop("xml.dom.minidom", None)
    importer = threading.Thread(target=importlib.import_module, args=(name,), daemon=True)
    importer.start()
    for _ in range(int(scaled(100))):  # until the thread is inside the import
        if name in imports_in_progress():
            break
        importer.join(scaled(0.01))
    assert name in imports_in_progress()
    opener = threading.Timer(0.5, GATE.set)  # the import ends half a second after the fork is asked for
    opener.start()
    try:
        [outcome] = list(run_isolated(use_module, [name], Limits(timeout=scaled(10), jobs=1)))
    finally:
        GATE.set()
        opener.cancel()
        importer.join(scaled(10))
        sys.modules.pop(name, None)
    assert outcome.error is None and outcome.value == "built"  # forked mid-import it hung till its time limit
    assert imports_in_progress() == []
