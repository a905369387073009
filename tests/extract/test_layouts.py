"""Other producers' layouts of the same report give the same structure (issue 16).

The shared re-layouts (``../shared/corpora/layouts``) must give their gold exactly; the variants
rendered here cover, for every case of the issue, at least one layout no shared file shows:
unruled tables (Build 1), other wordings and column orders (Build 2), reports without a table
(Build 3), page breaks, merged cells, spacing and broken words (Build 4).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EVAL_EXPECTED, SHARED

from corpora.render.report_html import STYLES as HTML_STYLES
from corpora.render.report_html import chromium, print_pdf, render_html
from corpora.render.report_pdf import Layout, ReportSource, render_evaluation
from miner.extract.evaluation import extract_evaluation
from miner.nlp.text import squash

LAYOUTS_DIR = SHARED / "corpora" / "layouts"
SHARED_LAYOUTS = sorted(p.name for p in LAYOUTS_DIR.glob("*.pdf")) if LAYOUTS_DIR.is_dir() else []

WORDS = {"Atteint": "ATTEINT", "Satisfaisant": "Largement atteint", "Partiel": "Partiellement atteint",
         "Non atteint": "Non-atteint"}  # fmt: skip
VARIANTS = {
    # Build 1: tables without full ruling
    "booktabs": Layout(table_style="booktabs"),  # rows from vertical gaps only
    "plain-white-space": Layout(table_style="plain", caption_row=False),
    "booktabs-no-padding": Layout(table_style="booktabs", row_padding=0, shade_judgements=False),  # as LaTeX sets rows
    "hrules-broken-header": Layout(table_style="hrules", col_widths=(0.22, 0.3, 0.09, 0.39)),  # "Jugeme nt"
    "hrules-header-not-repeated": Layout(table_style="hrules", repeat_header=False, caption_row=False),
    "zebra-centred-titles": Layout(table_style="zebra", header_align="CENTRE"),  # titles do not mark the columns
    "plain-judgement-first": Layout(
        table_style="plain",
        header_align="CENTRE",
        col_widths=(0.13, 0.22, 0.28, 0.37),
        columns=("judgement", "theme", "criterion", "justification"),
    ),
    "zebra-courier-not-repeated": Layout(
        table_style="zebra", font="Courier", repeat_header=False, col_widths=(0.2, 0.3, 0.15, 0.35)
    ),  # monospaced: wide word spaces
    "zebra-a5-times": Layout(table_style="zebra", page="A5", font="Times-Roman", margins=(36, 36, 40, 40)),
    # Build 2: roles, not exact words
    "roles-reordered-extra-column": Layout(
        columns=("criterion", "theme", "justification", "judgement", "recommendation"),
        header={
            "criterion": "Critères de jugement",
            "theme": "Dimension",
            "justification": "Éléments de constat",
            "judgement": "Niveau",
        },  # an unknown title: the judgement column is found by its content
        col_widths=(0.24, 0.16, 0.34, 0.12, 0.14),
        constat_label="C{n} –",
        judgement_words=WORDS,
        question_label="Question évaluative n°{n} – {text}",
    ),
    "cells-qe-usual-titles": Layout(
        table_style="cells",
        question_label="QE {n} – {text}",
        header={"theme": "Thématique", "judgement": "Appréciation", "justification": "Principaux constats"},
    ),
    "qe-labels": Layout(
        question_label="QE{n} : {text}",
        constat_label="Constat n°{n} :",
        table_style="zebra",
        header={"theme": "Axe", "judgement": "Degré d'atteinte", "justification": "Observations"},
    ),
    "numbered-question-sections": Layout(question_label="{text}", caption_row=False, constat_label="C.{n} :"),
    "question-in-caption-only": Layout(question_headings=False),
    "hrules-caption-only-usual-titles": Layout(
        table_style="hrules",
        question_headings=False,
        judgement_words=WORDS,
        header={
            "theme": "Thématique",
            "criterion": "Critère d'évaluation",
            "judgement": "Appréciation",
            "justification": "Principaux constats",
        },
    ),
    # Build 3: reports without a table
    "sections-numbered": Layout(table_style="sections", constat_list="number"),
    "sections-bullets-spaced": Layout(table_style="sections", line_spacing=1.8, judgement_words=WORDS),
    "sections-numbered-subheadings": Layout(
        table_style="sections", criterion_heading="{q}.{i} {theme}", constat_label="C{n} –"
    ),
    "sections-criterion-paragraphs": Layout(table_style="sections", criterion_inline=True, constat_list="number"),
    # Build 4: page breaks, merged cells, spacing, broken words
    "cells-row-by-row": Layout(table_style="cells"),  # every cell boxed alone, rowspan included
    "footnote-between-parts": Layout(footnote=(4, "1 Source : enquête auprès des membres, 2025.")),  # Q2 breaks 4→5
    "logo-on-every-page": Layout(logo=True, table_style="hrules"),
    "spacing-1.5": Layout(line_spacing=1.8),
    "zebra-spaced-footnote-under-part": Layout(
        table_style="zebra", line_spacing=1.5, footnote=(4, "1 Enquête 2025."), constat_label="C{n} –"
    ),  # small print right under the first part
    "cells-spaced-narrow-columns": Layout(table_style="cells", line_spacing=1.8, col_widths=(0.12, 0.3, 0.13, 0.45)),
    "spacing-double-unruled": Layout(line_spacing=2.4, table_style="booktabs"),
    "narrow-theme-broken-words": Layout(col_widths=(0.12, 0.33, 0.15, 0.4)),  # "Connaissan" / "ce"
}


def gold(path: Path) -> tuple[list, dict[int, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    questions = [
        (
            q["number"],
            squash(q["text"]),
            [
                (squash(c["theme"]), squash(c["criterion"]), c["judgement"], [k["number"] for k in c["constats"]])
                for c in q["criteria"]
            ],
        )
        for q in data["questions"]
    ]
    texts = {
        k["number"]: squash(k["text"])
        for q in data["questions"]
        for c in q["criteria"]
        for k in c["constats"]
        if "text" in k
    }
    return questions, texts


def got(evaluation) -> tuple[list, dict[int, str]]:
    questions = [
        (
            q.number,
            squash(q.text),
            [
                (squash(c.theme), squash(c.criterion), c.judgement.value if c.judgement else None, c.constats)
                for c in q.criteria
            ],
        )
        for q in evaluation.questions
    ]
    return questions, {c.number: squash(c.text) for c in evaluation.constats}


def assert_same(evaluation, expected: Path) -> None:
    want_questions, want_texts = gold(expected)
    have_questions, have_texts = got(evaluation)
    for want, have in zip(want_questions, have_questions, strict=True):
        assert have[:2] == want[:2]
        for want_c, have_c in zip(want[2], have[2], strict=True):
            assert have_c == want_c
    assert have_texts == want_texts


@pytest.mark.parametrize("name", SHARED_LAYOUTS)
def test_shared_layout_gives_its_gold(name: str, shared: Path) -> None:
    pdf = LAYOUTS_DIR / name
    own = pdf.with_suffix(".expected.json")
    expected = own if own.exists() else EVAL_EXPECTED
    evaluation = extract_evaluation(pdf)
    assert_same(evaluation, expected)
    assert evaluation.metadata.cluster == json.loads(expected.read_text(encoding="utf-8"))["cluster"]


def test_shared_layouts_are_there(shared: Path) -> None:
    assert len(SHARED_LAYOUTS) >= 6, f"expected the six shared layouts in {LAYOUTS_DIR}"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_rendered_variant_gives_the_same_structure(name: str, tmp_path: Path, shared: Path) -> None:
    source = ReportSource.from_expected_json(EVAL_EXPECTED)
    path = render_evaluation(source, tmp_path / f"{name}.pdf", VARIANTS[name])
    evaluation = extract_evaluation(path)
    assert_same(evaluation, EVAL_EXPECTED)
    judged = [c for q in evaluation.questions for c in q.criteria]
    assert all(c.judgement_text for c in judged)


def test_unreadable_tables_exit_1_with_one_line(tmp_path: Path, shared: Path) -> None:
    """Column titles the reader does not know and a colour scale instead of the judgement scale:
    no référentiel can be read, and the command says so on one line naming where it looked."""
    from typer.testing import CliRunner

    from miner.cli.app import app

    layout = Layout(
        header={"theme": "Colonne A", "criterion": "Colonne B", "judgement": "Colonne C", "justification": "Colonne D"},
        judgement_words={"Atteint": "Vert", "Satisfaisant": "Vert clair", "Partiel": "Orange", "Non atteint": "Rouge"},
    )
    path = render_evaluation(ReportSource.from_expected_json(EVAL_EXPECTED), tmp_path / "colours.pdf", layout)
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, errors
    line = errors[0]
    assert line.startswith(f"error: {path}: 5 evaluation question(s) (pages 2-")
    assert "but no criteria found" in line
    assert "page 2 table: header 'Colonne A | Colonne B | Colonne C | Colonne D' has no judgement column" in line


def test_off_scale_judgements_are_kept_and_reported(tmp_path: Path, shared: Path) -> None:
    """A judgement word off the scale is kept as printed and reported, never dropped."""
    words = {
        "Atteint": "Atteint",
        "Satisfaisant": "Satisfaisant",
        "Partiel": "À consolider",
        "Non atteint": "Non atteint",
    }
    path = render_evaluation(
        ReportSource.from_expected_json(EVAL_EXPECTED), tmp_path / "w.pdf", Layout(judgement_words=words)
    )
    evaluation = extract_evaluation(path)
    off = [c for q in evaluation.questions for c in q.criteria if c.judgement is None]
    assert [c.judgement_text for c in off] == ["À consolider", "À consolider"]
    assert sum("'À consolider' is not on the scale" in w for w in evaluation.warnings) == 2


@pytest.mark.parametrize(("name", "kind"), [("footnote-between-parts", "margin"), ("logo-on-every-page", "figure")])
def test_table_continues_across_what_sits_between_its_parts(name: str, kind: str, tmp_path: Path, shared: Path) -> None:
    source = ReportSource.from_expected_json(EVAL_EXPECTED)
    evaluation = extract_evaluation(render_evaluation(source, tmp_path / f"{name}.pdf", VARIANTS[name]))
    tables = [b.table for b in evaluation.blocks if b.kind == "table" and b.table is not None]
    broken = [t for t in tables if len(t.pages) > 1]
    assert broken, "the layout must break a référentiel across pages"
    between = [b for b in evaluation.blocks if b.kind == kind and b.page in broken[0].pages]
    assert between, f"a {kind} block must sit between the parts"
    assert all("Source : enquête" not in q.conclusion for q in evaluation.questions)


@pytest.mark.skipif(chromium() is None, reason="needs Chromium to print HTML")
@pytest.mark.parametrize("style", sorted(HTML_STYLES))
def test_browser_printed_report_gives_the_same_structure(style: str, tmp_path: Path, shared: Path) -> None:
    """The report written in HTML and printed by Chromium: cells centred vertically by default,
    borders drawn cell by cell, a rowspan justification, the header repeated on each page."""
    source = ReportSource.from_expected_json(EVAL_EXPECTED)
    path = print_pdf(render_html(source, style), tmp_path / f"{style}.pdf")
    assert_same(extract_evaluation(path), EVAL_EXPECTED)


def test_criteria_without_any_judgement_fail(tmp_path: Path, shared: Path) -> None:
    """A référentiel whose judgement column is left empty: criteria but no judgement is a failure."""
    from miner.errors import ExtractionError

    blank = {"Atteint": "", "Satisfaisant": "", "Partiel": "", "Non atteint": ""}
    path = render_evaluation(
        ReportSource.from_expected_json(EVAL_EXPECTED), tmp_path / "b.pdf", Layout(judgement_words=blank)
    )
    with pytest.raises(ExtractionError, match=r"18 criteria \(pages 2-\d+\) but no judgement found"):
        extract_evaluation(path)
