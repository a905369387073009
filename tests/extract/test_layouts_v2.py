"""Reports of other producers (``../shared/corpora/layouts-v2``) give their gold exactly (issue 23).

The check is the one of ``../shared/tools/check_extraction.py`` (questions, each criterion's
judgement and constat numbers in order, every constat text), made stricter: themes, criteria and
question texts must match too, and the printed form of a judgement is kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SHARED

from miner.extract.evaluation import extract_evaluation
from miner.nlp.text import squash

V2 = SHARED / "corpora" / "layouts-v2"
# readtables' part of issue 23: symbols with a legend, labels per question, X marks, English
MINE = ["d01_filamenta_odt_dots", "d02_houblonia_perquestion", "d03_voltaris_xcolumns", "d06_railvecta_en"]
# readflow's part: two columns without tables (d04); vertical rules only, no spaces, hyphenated cells (d05)
FLOW = ["d04_petrasyl_twocol", "d05_pixelor_vrules"]


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def check(gold: dict, evaluation) -> list[str]:
    """What differs between a gold and an extraction, as check_extraction.py compares them."""
    wrong = []
    want = [
        (q["number"], c["judgement"], sorted(k["number"] for k in c["constats"]))
        for q in gold["questions"]
        for c in q["criteria"]
    ]
    have = [
        (q.number, c.judgement.value if c.judgement else None, sorted(c.constats))
        for q in evaluation.questions
        for c in q.criteria
    ]
    if want != have:
        wrong.append(f"criteria: {have} != {want}")
    texts = {
        k["number"]: norm(k["text"])
        for q in gold["questions"]
        for c in q["criteria"]
        for k in c["constats"]
        if "text" in k
    }
    got = {k.number: norm(k.text) for k in evaluation.constats}
    wrong += [f"constat {n}: {got.get(n)!r} != {t!r}" for n, t in texts.items() if got.get(n) != t]
    if set(got) != set(texts):
        wrong.append(f"constat numbers {sorted(got)} != {sorted(texts)}")
    return wrong


@pytest.mark.parametrize("name", MINE + FLOW)
def test_layout_v2_gives_its_gold(name: str, shared: Path) -> None:
    gold = json.loads((V2 / f"{name}.expected.json").read_text(encoding="utf-8"))
    evaluation = extract_evaluation(V2 / f"{name}.pdf")
    assert check(gold, evaluation) == []
    assert [squash(q.text) for q in evaluation.questions] == [squash(q["text"]) for q in gold["questions"]]
    for want_q, have_q in zip(gold["questions"], evaluation.questions):
        for want, have in zip(want_q["criteria"], have_q.criteria, strict=True):
            assert (squash(have.theme), squash(have.criterion)) == (squash(want["theme"]), squash(want["criterion"]))
            if "judgement_text" in want:
                assert have.judgement_text == want["judgement_text"]
    labels = {
        k["number"]: k.get("label")
        for q in gold["questions"]
        for c in q["criteria"]
        for k in c["constats"]
        if "text" in k
    }
    assert {k.number: k.label for k in evaluation.constats} == labels


def test_dots_are_read_through_the_documents_legend_table(shared: Path) -> None:
    evaluation = extract_evaluation(V2 / "d01_filamenta_odt_dots.pdf")
    first = evaluation.questions[0].criteria[0]
    assert (first.judgement.value, first.judgement_text) == ("Atteint", "●●●")
    assert not [w for w in evaluation.warnings if "not on the scale" in w]


def test_a_mark_in_a_level_column_keeps_the_column_title(shared: Path) -> None:
    evaluation = extract_evaluation(V2 / "d03_voltaris_xcolumns.pdf")
    assert [c.judgement_text for c in evaluation.questions[0].criteria] == ["Satisfaisant", "Atteint", "Partiel"]


def test_d04_constat_common_to_three_criteria_is_given_to_each(shared: Path) -> None:
    evaluation = extract_evaluation(V2 / "d04_petrasyl_twocol.pdf")
    third = evaluation.questions[2]
    assert [c.constats for c in third.criteria[1:4]] == [[11], [11], [11]]
    assert next(c for c in evaluation.constats if c.number == 11).criteria == ["3.2", "3.3", "3.4"]
    assert [c.judgement_text for c in third.criteria] == [
        "Atteint",
        "Partiel",
        "Non atteint",
        "Partiel",
        "Satisfaisant",
    ]


def test_tags_off_the_scale_exit_1_with_one_line(tmp_path: Path) -> None:
    """Sub-headings whose framed tags hold no word of the scale: the questions are there, the
    criteria are not, and the command says so on one line (no library chatter)."""
    from typer.testing import CliRunner

    from corpora.render import variety
    from corpora.render.variety import Combination, make_report, render
    from miner.cli.app import app

    combo = Combination(layout="tags-twocol", seed=5)
    report = make_report(combo)
    original = variety.WORDS["fr"]
    variety.WORDS["fr"] = {**original, "scale": dict.fromkeys(variety.SCALE, "Vert")}
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
