"""Conventions of other producers, drawn here (``genre_pdf``) because no shared file shows them:
each report gives the structure of its own data exactly (issue 23, part A)."""

from __future__ import annotations

from pathlib import Path

import pytest
from genre_pdf import REPORTS, Style, render

from miner.extract.evaluation import extract_evaluation

STARS = {"Atteint": "★★★", "Satisfaisant": "★★☆", "Partiel": "★☆☆", "Non atteint": "☆☆☆"}
PLUS = {"Atteint": "++", "Satisfaisant": "+", "Partiel": "–", "Non atteint": "– –"}
CASES = {
    # symbols resolved through the document's legend: a line or a table, on page 1 or under each table
    "dots-legend-line": ("fr", Style(judgement="symbols", legend="line")),
    "stars-legend-table-under-each-table": (
        "fr",
        Style(judgement="symbols", legend="table", legend_after_tables=True, forms=STARS),
    ),
    "plus-minus-legend-line": ("fr", Style(judgement="symbols", legend="line", forms=PLUS)),
    # a coloured cell, its meaning given by a colour legend
    "colour-legend-table": ("fr", Style(judgement="colour", legend="table")),
    "colour-legend-line": ("fr", Style(judgement="colour", legend="line")),
    "german-colour-legend-line-under-each-table": (
        "de",
        Style(judgement="colour", legend="line", legend_after_tables=True),
    ),
    # an X in one of four level columns under a two-level header, after or before the constats
    "marks-after-constats": ("fr", Style(judgement="marks")),
    "marks-before-constats": ("fr", Style(judgement="marks", mark_columns_first=True)),
    # a judgement cell merged over rows, on one page and across a page break
    "merged-judgement": ("fr", Style(merge_judgements=True)),
    "merged-judgement-across-pages": ("fr", Style(break_in_merge=True, spacer=450)),
    "merged-symbols-across-pages": ("fr", Style(break_in_merge=True, judgement="symbols", legend="line", spacer=420)),
    # constats listed by number, their text after each table or in an annex
    "numbers-text-after-table": ("fr", Style(constats="numbers-after")),
    "numbers-text-in-annex": ("fr", Style(constats="numbers-annex")),
    "numbers-text-in-annex-table": ("fr", Style(constats="numbers-annex-table")),
    "german-numbers-annex-table": ("de", Style(constats="numbers-annex-table")),
    # a constat on the whole question, written after its table: it justifies each criterion
    "question-level-constat": ("fr-common", Style()),
    "question-level-constat-numbers-annex": ("fr-common", Style(constats="numbers-annex")),
    # one constat written once in the first row "(commun aux critères 1.1 à 1.3)"
    "constat-common-to-a-range-of-criteria": ("fr-common", Style(common_in_first_row=True)),
    # constats numbered per question ("Vaststelling 2.1:"), a tick as the mark
    "dutch-labels-per-question-ticks": ("nl", Style(labels_per_question=True, judgement="marks", mark="✓")),
    "labels-per-question-question-level-constat": ("fr-common", Style(labels_per_question=True)),
    # the genre in Dutch and German
    "dutch": ("nl", Style()),
    "german": ("de", Style()),
    "dutch-marks-annex": ("nl", Style(judgement="marks", constats="numbers-annex")),
    "german-symbols-legend-line": ("de", Style(judgement="symbols", legend="line", forms=STARS)),
}


def structure_of(expected: dict) -> tuple[list, dict[int, str]]:
    criteria = [(q["number"], c["theme"], c["criterion"], c["judgement"], [k["number"] for k in c["constats"]])
                for q in expected["questions"] for c in q["criteria"]]  # fmt: skip
    texts = {k["number"]: k["text"] for q in expected["questions"] for c in q["criteria"] for k in c["constats"]}
    return criteria, texts


@pytest.mark.parametrize("name", sorted(CASES))
def test_variant_gives_its_data(name: str, tmp_path: Path) -> None:
    language, style = CASES[name]
    report = REPORTS[language]
    evaluation = extract_evaluation(render(report, style, tmp_path / f"{name}.pdf"))
    criteria, texts = structure_of(report.expected())
    assert [(q.number, c.theme, c.criterion, c.judgement.value if c.judgement else None, sorted(c.constats))
            for q in evaluation.questions for c in q.criteria] == criteria  # fmt: skip
    assert {k.number: " ".join(k.text.split()) for k in evaluation.constats} == texts
    assert [q.text for q in evaluation.questions] == [q.text for q in report.questions]
    assert all(c.judgement_text for q in evaluation.questions for c in q.criteria)


def test_a_colour_is_kept_as_the_printed_judgement(tmp_path: Path) -> None:
    evaluation = extract_evaluation(render(REPORTS["fr"], CASES["colour-legend-table"][1], tmp_path / "c.pdf"))
    assert evaluation.questions[0].criteria[0].judgement_text == "#339933"


def test_constat_paragraphs_cited_by_number_leave_the_conclusion(tmp_path: Path) -> None:
    evaluation = extract_evaluation(render(REPORTS["fr"], CASES["numbers-text-after-table"][1], tmp_path / "n.pdf"))
    assert [q.conclusion for q in evaluation.questions] == [q.conclusion for q in REPORTS["fr"].questions]


def test_a_cited_constat_never_written_is_reported() -> None:
    """A table citing a constat whose text the report never gives: the number stays, and is said."""
    from miner.extract.references import References

    references, warnings = References(), []
    references.cite([99], 1, "1.1", {})
    references.resolve([], [], {}, "sha", "r.pdf", warnings)
    assert warnings == ["constat 99 is cited (criterion 1.1) but its text was not found"]
