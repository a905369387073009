"""The same report laid out differently (page size, fonts, column widths → other page breaks)
must give the same structure. The layouts are rendered here from the shared expected structure."""

from __future__ import annotations

import json

import pytest
from conftest import EVAL_EXPECTED

from corpora.render.report_pdf import Layout, ReportSource, render_evaluation
from miner.extract.evaluation import extract_evaluation
from miner.nlp.text import squash

LAYOUTS = {
    "a5-times-narrow-theme": Layout(
        page="A5", font="Times-Roman", margins=(36, 36, 40, 40), col_widths=(0.2, 0.3, 0.15, 0.35)
    ),
    # Courier is wide: the criterion column must hold "recherche-développement" unbroken
    "letter-courier-no-repeat": Layout(
        page="Letter",
        font="Courier",
        repeat_header=False,
        question_on_new_page=False,
        col_widths=(0.2, 0.3, 0.15, 0.35),
    ),
    "a4-no-caption-row": Layout(caption_row=False, body_size=11, table_size=9, col_widths=(0.22, 0.28, 0.14, 0.36)),
}


def structure_of(evaluation) -> list:
    return [
        (
            q.number,
            q.text,
            [(c.theme, c.criterion, c.judgement.value if c.judgement else None, c.constats) for c in q.criteria],
        )
        for q in evaluation.questions
    ]


def expected_structure(expected: dict) -> list:
    return [
        (
            q["number"],
            q["text"],
            [
                (squash(c["theme"]), squash(c["criterion"]), c["judgement"], [x["number"] for x in c["constats"]])
                for c in q["criteria"]
            ],
        )
        for q in expected["questions"]
    ]


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_relayout_gives_same_structure(name, tmp_path, shared):
    expected = json.loads(EVAL_EXPECTED.read_text(encoding="utf-8"))
    source = ReportSource.from_expected_json(EVAL_EXPECTED)
    path = render_evaluation(source, tmp_path / f"{name}.pdf", LAYOUTS[name])
    evaluation = extract_evaluation(path)
    assert structure_of(evaluation) == expected_structure(expected)
    texts = {
        c["number"]: squash(c["text"])
        for q in expected["questions"]
        for crit in q["criteria"]
        for c in crit["constats"]
        if "text" in c
    }
    got = {c.number: squash(c.text) for c in evaluation.constats}
    assert got == texts
    assert evaluation.metadata.cluster == expected["cluster"]
    assert evaluation.source.pages != 9 or name.startswith("a4")
