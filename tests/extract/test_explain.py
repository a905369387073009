"""miner extract --explain: one PNG per page with what the reader found drawn on it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from conftest import EVAL_PDF
from PIL import Image
from typer.testing import CliRunner

from miner.cli.app import app
from miner.extract.explain import KIND_COLOURS, ExplainSettings


def test_explain_writes_one_png_per_page_asked(tmp_path: Path, shared: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--explain", str(EVAL_PDF), "--pages", "2-3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in written] == [f"{EVAL_PDF.stem}-p2.png", f"{EVAL_PDF.stem}-p3.png"]
    with pdfplumber.open(EVAL_PDF) as pdf:
        width, height = pdf.pages[1].width, pdf.pages[1].height
    scale = ExplainSettings().resolution / 72
    with Image.open(written[0]) as image:
        # the renderer rounds each side to whole pixels
        assert abs(image.size[0] - width * scale) <= 1 and abs(image.size[1] - height * scale) <= 1
        colours = {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 24)}
    assert KIND_COLOURS["table"][:3] in colours  # the référentiel's outline is drawn
    assert KIND_COLOURS["heading"][:3] in colours


def test_explain_refuses_pages_outside_the_document(tmp_path: Path, shared: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--explain", str(EVAL_PDF), "--pages", "8-12", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--pages 8-12 is outside 1-9" in result.stderr
    assert not list(tmp_path.glob("*.png"))
