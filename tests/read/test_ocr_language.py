"""A scanned report is read with the Tesseract data of its own language (issue 23)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("tesserocr", reason="OCR needs tesserocr (pip) and tesseract-ocr-deu (apt)")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "extract"))
from genre_pdf import REPORTS, Style, render  # noqa: E402

from corpora.render.scan import make_scan  # noqa: E402
from miner.extract.evaluation import extract_evaluation  # noqa: E402
from miner.read.ocr import tessdata_folder  # noqa: E402


@pytest.mark.skipif(tessdata_folder("deu") is None, reason="needs tesseract-ocr-deu (apt)")
def test_a_german_scan_is_read_with_german_data(tmp_path: Path) -> None:
    report = REPORTS["de"]
    scan = make_scan(
        render(report, Style(), tmp_path / "de.pdf"), tmp_path / "scan.pdf", dpi=200, angle=0.0, noise=2.0, pages=[0]
    )
    evaluation = extract_evaluation(scan)
    assert evaluation.source.ocr is not None and evaluation.source.ocr.language == "deu"
    assert evaluation.metadata.language == "de"
    first = report.questions[0]
    assert [(c.judgement.value if c.judgement else None, c.constats) for c in evaluation.questions[0].criteria] == [
        (c.level, [n for n, _ in c.constats]) for c in first.criteria
    ]
    assert "Repräsentativität" in [c.theme for c in evaluation.questions[0].criteria]
