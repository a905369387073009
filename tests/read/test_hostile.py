"""Hostile and broken PDFs, generated here: 500+ cases through the isolated batch extractor.

Each case must end in an evaluation or one clear error line of a known kind; the batch never
crashes and no case outlives its time limit. MINER_HOSTILE_CASES raises the count for long runs.
"""

from __future__ import annotations

import os
import time

import hostile
import pytest
from timeouts import scaled

from miner.extract.evaluation import extract_batch
from miner.read.isolate import Limits

KNOWN = (
    "not a PDF file",
    "empty file",
    "corrupt",
    "too large",
    "timed out",
    "encrypted PDF",
    "no text layer; OCR needed",
    "no text found",
    "PDF has no pages",
    "worker died",
)
LIMITS = Limits(timeout=scaled(20), max_memory_mb=600, jobs=2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    base_path = hostile.small_report(folder / "base.pdf")
    base = base_path.read_bytes()
    count = int(os.environ.get("MINER_HOSTILE_CASES", "480"))
    cases = {}
    for name, data in hostile.mutations(base, count):
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        cases[name] = path
    special = {
        "zero": b"",
        "zip-named-pdf": b"PK\x03\x04" + bytes(200),
        "html-named-pdf": b"<!doctype html><title>rapport</title>",
        "header-only": b"%PDF-1.7\n",
        "garbage-after-header": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    }
    for name, data in special.items():
        (folder / f"{name}.pdf").write_bytes(data)
        cases[name] = folder / f"{name}.pdf"
    cases["bomb"] = hostile.bomb(folder / "bomb.pdf", 700)
    cases["looping-xobject"] = hostile.looping_xobject(folder / "loop.pdf")
    cases["lying-page-count"] = hostile.lying_page_count(folder / "lying.pdf")
    cases["many-pages"] = hostile.many_pages(folder / "many.pdf", 2500)
    cases["base"] = base_path
    return cases


@pytest.mark.long  # over 15 s on an idle machine: make test-long
def test_hostile_batch(corpus):
    names = list(corpus)
    start = time.monotonic()
    results = extract_batch([corpus[n] for n in names], limits=LIMITS)
    elapsed = time.monotonic() - start
    assert len(results) == len(names) >= 490
    errors = {n: e for n, (_, e) in hostile.batch_outcomes(names, results, KNOWN).items() if e}
    assert "base" not in errors
    base = results[names.index("base")][1]
    assert [c.number for c in base.constats] == [1, 2]
    assert errors["zero"] == "empty file (0 bytes)"
    assert errors["zip-named-pdf"] == "not a PDF file (no %PDF header)"
    assert errors["bomb"].startswith("too large")
    assert errors["many-pages"] == "too large: 2500 pages (limit 2000)"
    assert not any(e.startswith("timed out") for e in errors.values()), "a case hung until its limit"
    print(f"\nhostile PDFs: {len(names)} cases, {len(errors)} clear errors, 0 crashes, {elapsed:.0f} s")


def test_worst_pdf_cases_peak_memory(corpus):
    from miner.extract.evaluation import extract_evaluation
    from miner.read.isolate import run_isolated

    def work(key: str) -> str:
        return extract_evaluation(key).model_dump_json()

    worst = ["bomb", "looping-xobject", "many-pages", "lying-page-count", "base"]
    outcomes = list(run_isolated(work, [str(corpus[n]) for n in worst], LIMITS))
    assert not any(o.error and o.error.startswith("timed out") for o in outcomes)
    peak = max(outcomes, key=lambda o: o.peak_mb or 0)
    print(
        f"\nworst PDF: {os.path.basename(peak.key)}, peak {peak.peak_mb:.0f} MB above the worker's start "
        f"(cap {LIMITS.max_memory_mb} MB), {peak.seconds:.1f} s: {peak.error or 'ok'}"
    )
