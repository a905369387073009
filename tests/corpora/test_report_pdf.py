"""The report renderer: layouts, the fictitious notice, rows split across pages, merged cells."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdfplumber
import pytest

from corpora.render.report_pdf import Layout, render_activity_report, render_evaluation
from corpora.render.report_source import (
    FICTITIOUS_NOTICE,
    ActivityReportSource,
    ConstatSource,
    CriterionSource,
    QuestionSource,
    ReportSource,
)
from miner.errors import UsageError
from miner.records import Judgement

EXPECTED = "corpora/infopole/evaluation-infopole-2025-synthese.expected.json"

LAYOUTS = {
    "default": Layout(),
    "a5-times": Layout(page="A5", font="Times-Roman", col_widths=(0.2, 0.3, 0.15, 0.35)),
    "letter-courier": Layout(page="Letter", font="Courier", repeat_header=False),
    "no-caption": Layout(caption_row=False, number_headings=False, running_header=""),
    "landscape": Layout(landscape=True, margins=(40, 40, 50, 50), table_size=7.5),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _column_texts(pdf_path: Path, layout: Layout, column: int) -> list[str]:
    """The text of one table column on every page, whitespace-collapsed."""
    left = layout.margins[0] + sum(layout.col_widths[:column]) * layout.text_width
    right = left + layout.col_widths[column] * layout.text_width
    top, bottom = layout.margins[2] - 1, layout.margins[3] - 1  # inside the running header and footer
    with pdfplumber.open(pdf_path) as pdf:
        return [
            _flat(page.crop((left + 1, top, right - 1, page.height - bottom)).extract_text() or "")
            for page in pdf.pages
        ]


def _long_source(fictitious: bool = True) -> ReportSource:
    """One question whose first row holds enough constats to overflow any page size."""
    words = "le cluster a mené des actions régulières auprès de ses membres wallons".split()
    constats = [
        ConstatSource(number=n, text=" ".join(words[(n + i) % len(words)] for i in range(40)) + ".")
        for n in range(1, 16)
    ]
    criteria = [
        CriterionSource(theme="Représentativité", criterion="Critère long.", judgement=Judgement.ATTEINT,
                        constats=constats),
        CriterionSource(theme="Liens", criterion="Critère fusionné A.", judgement=Judgement.PARTIEL,
                        constats=[ConstatSource(number=16, text="Constat partagé par trois lignes.")]),
        CriterionSource(theme="Partenariats", criterion="Critère fusionné B.",
                        judgement=Judgement.SATISFAISANT, merged_with_previous=True),
        CriterionSource(theme="Promotion", criterion="Critère fusionné C.",
                        judgement=Judgement.NON_ATTEINT, merged_with_previous=True),
    ]  # fmt: skip
    return ReportSource(
        cluster="Cluster d'essai", commissioner="Administration d'essai", evaluator="Bureau d'essai",
        date=dt.date(2025, 10, 10), fictitious=fictitious,
        questions=[QuestionSource(number=1, text="Question d'essai ?", intro=["Intro."],
                                  criteria=criteria, conclusion=["Conclusion."])],
    )  # fmt: skip


@pytest.mark.parametrize("name", LAYOUTS)
def test_real_structure_renders_in_every_layout(name: str, tmp_path: Path, shared: Path) -> None:
    layout = LAYOUTS[name]
    report = ReportSource.from_expected_json(shared / EXPECTED)
    out = render_evaluation(report, tmp_path / f"{name}.pdf", layout)
    with pdfplumber.open(out) as pdf:
        text = _flat(" ".join(page.extract_text() or "" for page in pdf.pages))
        first = _flat(pdf.pages[0].extract_text() or "")
    assert "10 octobre 2025" in first and "INFOPOLE cluster TIC" in first
    assert "fictif" not in first
    for number in range(1, 30):
        assert f"Constat {number} :" in text
    assert text.count("Question d'évaluation 5 :") == (2 if layout.caption_row else 1)


def test_from_expected_json_keeps_the_structure(shared: Path) -> None:
    report = ReportSource.from_expected_json(shared / EXPECTED)
    assert [len(q.criteria) for q in report.questions] == [3, 6, 4, 3, 2]
    assert sum(len(c.constats) for q in report.questions for c in q.criteria) == 29
    merged = [c.theme for c in report.questions[1].criteria if c.merged_with_previous]
    assert len(merged) == 5
    assert report.questions[4].criteria[1].judgement is Judgement.PARTIEL
    assert report.date == dt.date(2025, 10, 10) and not report.fictitious


def test_fictitious_notice_on_first_page_only_when_flagged(tmp_path: Path) -> None:
    for flag in (True, False):
        out = render_evaluation(_long_source(fictitious=flag), tmp_path / f"{flag}.pdf")
        with pdfplumber.open(out) as pdf:
            first = _flat(pdf.pages[0].extract_text() or "")
            rest = _flat(" ".join(p.extract_text() or "" for p in pdf.pages[1:]))
        assert (_flat(FICTITIOUS_NOTICE) in first) is flag
        assert "Document fictif" not in rest


@pytest.mark.parametrize("name", ["default", "a5-times", "letter-courier"])
def test_a_constat_paragraph_breaks_across_pages(name: str, tmp_path: Path) -> None:
    layout = LAYOUTS[name]
    report = _long_source()
    out = render_evaluation(report, tmp_path / "long.pdf", layout)
    pages = _column_texts(out, layout, 3)
    split = []
    for constat in report.questions[0].criteria[0].constats:
        full = _flat(f"Constat {constat.number} : {constat.text}")
        for i, text in enumerate(pages[:-1]):
            if f"Constat {constat.number} :" in text and full not in text:
                head = text[text.index(f"Constat {constat.number} :") :]
                tail = full[len(head) :].strip()
                assert full.startswith(head) and pages[i + 1].replace("Justification", "", 1).strip().startswith(
                    tail.split()[0]
                )
                split.append(constat.number)
    assert split, "no constat paragraph was split across a page boundary"


def test_header_rows_repeat_only_when_asked(tmp_path: Path) -> None:
    for repeat in (True, False):
        layout = Layout(page="A5", repeat_header=repeat)
        out = render_evaluation(_long_source(), tmp_path / f"{repeat}.pdf", layout)
        with pdfplumber.open(out) as pdf:
            pages_with_header = sum("Thème" in (p.extract_text() or "") for p in pdf.pages)
            assert len(pdf.pages) > 3
        assert (pages_with_header > 1) is repeat


def test_merged_justification_cell_spans_rows(tmp_path: Path, shared: Path) -> None:
    out = render_evaluation(ReportSource.from_expected_json(shared / EXPECTED), tmp_path / "r.pdf")
    with pdfplumber.open(out) as pdf:
        page = next(p for p in pdf.pages if "Liens commerciaux entre" in (p.extract_text() or ""))
        table = next(t for t in page.extract_tables() if t[0][0] and "Question d'évaluation 2" in t[0][0])
    rows = [r for r in table if r[0] and r[0] not in ("Thème",) and "Question" not in r[0]]
    assert rows[0][3] and rows[0][3].startswith("Constat 9 :")
    assert [r[3] for r in rows[1:6]] == [None] * 5
    assert [_flat(r[2]) for r in rows] == ["Atteint"] * 6


def test_layout_errors_list_the_choices() -> None:
    with pytest.raises(UsageError, match="A4"):
        Layout(page="B7")
    with pytest.raises(UsageError, match="Courier"):
        Layout(font="Comic Sans")
    with pytest.raises(UsageError, match="summing to 1"):
        Layout(col_widths=(0.5, 0.5, 0.5, 0.5))


def test_rendering_is_byte_identical(tmp_path: Path) -> None:
    a = render_evaluation(_long_source(), tmp_path / "a.pdf").read_bytes()
    b = render_evaluation(_long_source(), tmp_path / "b.pdf").read_bytes()
    assert a == b


def test_activity_report_table_and_highlights(tmp_path: Path) -> None:
    report = ActivityReportSource(
        cluster="Cluster d'essai", title="Rapport d'activités", period="2023–2024",
        date=dt.date(2024, 12, 31), fictitious=True, intro=["Intro."],
        activities=[{"date": dt.date(2023, 1, 1 + i % 28), "activity": f"Atelier {i} " + "sur le bois " * 12,
                     "place": "Namur", "partners": ["AWEX", "Pôle d'essai"]} for i in range(40)],
        highlights=[{"date": "mars 2024", "text": "Lancement d'un groupe de travail."}],
    )  # fmt: skip
    out = render_activity_report(report, tmp_path / "act.pdf", Layout(page="A5"))
    with pdfplumber.open(out) as pdf:
        text = " ".join(p.extract_text() or "" for p in pdf.pages)
        assert "Document fictif" in (pdf.pages[0].extract_text() or "")
        assert len(pdf.pages) > 2
    assert "Date Activité Lieu Partenaires" in text
    assert re.search(r"• mars 2024 : Lancement", text) or "mars 2024 : Lancement" in text
    assert "Atelier 39" in text


# --- the team's sample corpus (corpora/) -----------------------------------------------------

CORPORA = Path(__file__).resolve().parents[2] / "corpora"
EVALUATIONS = {year: CORPORA / "sources" / f"evaluation-chanvrelia-{year}.yaml" for year in ("2021", "2025")}


def _expected_changes() -> dict:
    import yaml

    text = (CORPORA / "sources" / "EXPECTED-CHANGES.md").read_text(encoding="utf-8")
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))


def _criteria_by_id(report: ReportSource) -> dict[str, CriterionSource]:
    return {f"{q.number}.{i}": c for q in report.questions for i, c in enumerate(q.criteria, 1)}


def test_committed_corpus_pdfs_are_up_to_date(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpora_build", CORPORA / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    fresh = build.build(tmp_path)
    assert sorted(p.name for p in fresh) == sorted(p.name for p in (CORPORA / "pdf").glob("*.pdf"))
    for path in fresh:
        assert path.read_bytes() == (CORPORA / "pdf" / path.name).read_bytes(), (
            f"corpora/pdf/{path.name} is stale: run python corpora/build.py"
        )


def test_corpus_pdfs_say_they_are_fictitious() -> None:
    for path in sorted((CORPORA / "pdf").glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            assert _flat(FICTITIOUS_NOTICE) in _flat(pdf.pages[0].extract_text() or ""), path.name


def test_corpus_sources_match_expected_changes() -> None:
    from corpora.render.report_source import load_source

    expected = _expected_changes()
    reports = {year: load_source(path) for year, path in EVALUATIONS.items()}
    by_id = {year: _criteria_by_id(report) for year, report in reports.items()}
    for cid, (old, new) in expected["judgements"].items():
        for year, value in (("2021", old), ("2025", new)):
            if value is None:
                assert cid not in by_id[year]
            else:
                assert by_id[year][cid].judgement.value == value, (year, cid)
    assert set(by_id["2025"]) - set(by_id["2021"]) == set(expected["only_2025"])
    for ren in expected["renamed"]:
        old, new = by_id["2021"][ren["id"]], by_id["2025"][ren["id"]]
        assert (old.theme, new.theme) == (ren["theme_2021"], ren["theme_2025"])
        assert old.criterion != new.criterion
    for cid in set(by_id["2021"]) & set(by_id["2025"]) - {r["id"] for r in expected["renamed"]}:
        assert (by_id["2021"][cid].theme, by_id["2021"][cid].criterion) == (
            by_id["2025"][cid].theme, by_id["2025"][cid].criterion)  # fmt: skip
    numbers = {y: {k.number for c in by_id[y].values() for k in c.constats} for y in reports}
    assert numbers == {"2021": set(range(1, 24)), "2025": set(range(1, 27))}
    ch = expected["constats"]
    assert set(ch["recurring"]) | set(ch["resolved"]) | set(ch["dropped_2021"]) == numbers["2021"]
    assert set(ch["recurring"].values()) | set(ch["resolved"].values()) | set(ch["new_2025"]) == numbers["2025"]
    for year, merged in expected["merged"].items():
        head, *rest = merged["criteria"]
        assert [k.number for k in by_id[year][head].constats] == merged["constats"]
        assert all(by_id[year][cid].merged_with_previous for cid in rest)
    for report in reports.values():
        assert report.fictitious and 4 <= len(report.questions) <= 5 and 14 <= len(_criteria_by_id(report)) <= 18


def test_corpus_states_its_cycles_and_figures() -> None:
    def text(year: str) -> str:
        return _flat(EVALUATIONS[year].read_text(encoding="utf-8").replace(">-", " "))

    old, new = text("2021"), text("2025")
    assert "au cours de son sixième triennat" in old and "de janvier 2019 à juin 2021" in old
    assert "au cours de son septième triennat" in new and "de juillet 2022 à juin 2025" in new
    assert "compte 96 membres" in new
    assert "le nombre de membres a augmenté de 25 % par rapport à la fin du triennat précédent" in new
    assert "objectif d'atteindre 35 % de revenus propres" in new
    assert "Brabant wallon ne compte aucun membre" in old


def test_member_list_agrees_with_the_2025_report() -> None:
    import csv

    with open(CORPORA / "members" / "membres-chanvrelia-2025.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == _expected_changes()["members"]["2025"]["total"] == 96

    def province(code: str) -> str:
        n = int(code)
        return ("Brabant wallon" if 1300 <= n < 1500 else "Liège" if 4000 <= n < 5000 else "Namur"
                if 5000 <= n < 6000 else "Luxembourg" if 6600 <= n < 7000 else "Hainaut")  # fmt: skip

    for year, cutoff in (("2025", "9999"), ("2021", "2021-06-30")):
        counts: dict[str, int] = {}
        for row in rows:
            if row["date_adhesion"] <= cutoff:
                counts[province(row["code_postal"])] = counts.get(province(row["code_postal"]), 0) + 1
        wanted = {k: v for k, v in _expected_changes()["members"][year]["provinces"].items() if v}
        assert counts == wanted, year

    def valid(bce: str) -> bool:
        digits = bce.replace(".", "")
        return len(digits) == 10 and 97 - int(digits[:8]) % 97 == int(digits[8:])

    verdicts = ["missing" if not r["numero_bce"] else valid(r["numero_bce"]) for r in rows]
    assert (verdicts.count(True), verdicts.count(False), verdicts.count("missing")) == (91, 3, 2)


def test_default_corpus_render_splits_a_constat_and_merges_a_cell() -> None:
    from corpora.render.report_source import load_source

    layout = Layout()
    for year, split in _expected_changes()["split_across_pages"].items():
        pdf_path = CORPORA / "pdf" / f"evaluation-chanvrelia-{year}.pdf"
        report = load_source(EVALUATIONS[year])
        constat = next(k for c in _criteria_by_id(report).values() for k in c.constats if k.number == split["constat"])
        full = _flat(f"Constat {constat.number} : {constat.text}")
        first, second = (_column_texts(pdf_path, layout, 3)[p - 1] for p in split["pages"])
        head = first[first.index(f"Constat {constat.number} :") :]
        assert full.startswith(head) and head != full
        assert full[len(head) :].strip().split()[0] in second.split()
        with pdfplumber.open(pdf_path) as pdf:
            page = next(p for p in pdf.pages if "Liens commerciaux" in (p.extract_text() or ""))
            table = page.extract_tables()[0]
        merged = _expected_changes()["merged"][year]
        body = [r for r in table if r[0] and r[0] != "Thème" and "Question" not in r[0]]
        assert body[0][3].startswith(f"Constat {merged['constats'][0]} :")
        assert [r[3] for r in body[1 : len(merged["criteria"])]] == [None] * (len(merged["criteria"]) - 1)
