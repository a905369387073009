"""The shared second set of layouts (issue 23 part B): a two-column report without tables (d04)
and a table ruled only vertically, set by pdfTeX without space characters and hyphenated (d05),
give their gold exactly; a report naming questions whose criteria cannot be read fails loudly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED

from corpora.render.variety import Combination, make_report, read_exactly, render

LAYOUTS_V2 = SHARED / "corpora" / "layouts-v2"


@pytest.mark.parametrize("name", ["d04_petrasyl_twocol", "d05_pixelor_vrules"])
def test_layout_gives_its_gold_exactly(name: str, shared: Path) -> None:
    expected = json.loads((LAYOUTS_V2 / f"{name}.expected.json").read_text(encoding="utf-8"))
    ok, why = read_exactly(LAYOUTS_V2 / f"{name}.pdf", expected)
    assert ok, why


def test_d04_constat_common_to_three_criteria_is_given_to_each(shared: Path) -> None:
    from miner.extract.evaluation import extract_evaluation

    evaluation = extract_evaluation(LAYOUTS_V2 / "d04_petrasyl_twocol.pdf")
    third = evaluation.questions[2]
    assert [c.constats for c in third.criteria[1:4]] == [[11], [11], [11]]
    assert next(c for c in evaluation.constats if c.number == 11).criteria == ["3.2", "3.3", "3.4"]
    assert [c.judgement_text for c in third.criteria] == ["Atteint", "Partiel", "Non atteint", "Partiel", "Satisfaisant"]


def test_tags_off_the_scale_exit_1_with_one_line(tmp_path: Path) -> None:
    """Sub-headings whose framed tags hold no word of the scale: the questions are there, the
    criteria are not, and the command says so on one line (no library chatter)."""
    from typer.testing import CliRunner

    import corpora.render.variety as variety
    from miner.cli.app import app

    combo = Combination(layout="tags-twocol", seed=5)
    report = make_report(combo)
    for question in report.questions:
        for item in question.items:
            item.judgement = "Atteint"
    words = {**variety.WORDS["fr"], "scale": dict.fromkeys(variety.SCALE, "Vert")}
    original = variety.WORDS["fr"]
    variety.WORDS["fr"] = words
    try:
        path = render(report, combo, tmp_path / "green.pdf")
    finally:
        variety.WORDS["fr"] = original
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"error: {path}: 3 evaluation question(s)") and "but no criteria found" in errors[0]
    assert "sub-heading '1.1 " in errors[0]
