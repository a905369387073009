"""The compare report from hand-made records: what :func:`report_page` decides (rows, cells, links),
and that the templates lay a hostile label out as text, wherever it lands (read back with an HTML
parser, as a browser would, not searched for in the markup)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

import pytest

from miner.compare.align import Alignment, ConstatItem, CriterionItem, Delta, Match, QuestionItem
from miner.compare.comparison import Comparison, EvaluationView
from miner.compare.page import Change, Link, report_page
from miner.compare.report import render_html, render_markdown

HOSTILE = "</td><script>alert(1)</script>{{x}}"


def view(side: str, cycle: str, ordinal: int, judgements: list[tuple[str, str, int]], *, file: str) -> EvaluationView:
    criteria = [
        CriterionItem(
            id=cid, question=1, theme=theme, text=f"{theme} : {HOSTILE}", judgement=judgement, rank=rank, page=2
        )
        for cid, theme, (judgement, rank) in [
            (f"1.{i}", theme, (j, r)) for i, (theme, j, r) in enumerate(judgements, 1)
        ]
    ]
    return EvaluationView(
        iri=f"https://e/{side}",
        graph=f"https://e/g{side}",
        cluster=f"Pôle {HOSTILE}",
        cluster_key="pole",
        cycle=cycle,
        cycle_slug=f"triennat-{ordinal}",
        kind="triennat",
        ordinal=ordinal,
        date=dt.date(2018 + 4 * ordinal - 24, 6, 30),
        file=file,
        questions=[QuestionItem(1, f"Question {HOSTILE}")],
        criteria=criteria,
        constats=[ConstatItem(1, f"Constat {HOSTILE}", page=3)],
    )


def hostile_comparison() -> Comparison:
    a = view("a", "6e triennat", 6, [(HOSTILE, "Partiel", 1), ("Gouvernance", "Atteint", 3)], file="a.pdf")
    b = view(
        "b",
        "7e triennat",
        7,
        [(f"Animation {HOSTILE}", "Atteint", 3), ("Gouvernance", "Partiel", 1), ("Nouveau", None, None)],
        file="b.pdf",
    )
    alignment = Alignment(
        questions=[Match(1, 1, 1.0, "theme")],
        criteria=[Match("1.1", "1.1", 0.61, "semantic"), Match("1.2", "1.2", 1.0, "theme")],
        deltas=[Delta("1.1", "1.1", "Partiel", "Atteint", 2), Delta("1.2", "1.2", "Atteint", "Partiel", -2)],
        unmatched_b=["1.3"],
        recurring=[Match(1, 1, 0.8, "text")],
    )
    members = {"clusterKey": "pole", "cluster": HOSTILE, "measure": "members", "value": 40.0}
    return Comparison(
        a=a,
        b=b,
        alignment=alignment,
        timeline=[
            dict(members, cycle="6e triennat", status="actual", year=2020, file="a.pdf", page=2),
            dict(members, cycle="6e triennat", status="derived", file="b.pdf"),
            dict(members, cycle="7e triennat", status="actual", year=2024, value=52.0, file="b.pdf", page=2),
        ],
        provinces=[
            {
                "clusterKey": "pole",
                "cycle": "7e triennat",
                "province": HOSTILE,
                "members": 3,
                "file": "b.pdf",
                "page": 4,
            }
        ],
        types=[{"cluster": HOSTILE, "cycle": "7e triennat", "type": HOSTILE, "province": None, "organisations": 5}],
    )


class Page(HTMLParser):
    """The parsed page: elements with their attributes, each table's cells, the text of every element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.rows: dict[str, list[list[str]]] = {}
        self.open: list[str] = []
        self.table: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("meta", "br", "line", "circle", "path", "input"):
            return
        self.open.append(tag)
        if tag == "table":
            self.table = dict(attrs).get("id")
            self.rows[self.table] = []
        elif tag == "tr" and self.table:
            self.rows[self.table].append([])
        elif tag in ("td", "th") and self.table:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.table:
            self.rows[self.table][-1].append("".join(self.cell))
            self.cell = None
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.texts.setdefault(self.open[-1], []).append(data)
        if self.cell is not None:
            self.cell.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def test_hostile_labels_render_as_text():
    parsed = parse(render_html(hostile_comparison()))
    assert [tag for tag, _ in parsed.elements].count("script") == 0
    assert "{{x}}" not in "".join(parsed.texts.get("style", []))  # nothing was read again as a template
    heatmap = parsed.rows["heatmap"]
    assert [len(row) for row in heatmap] == [6] * len(heatmap)  # a </td> in a label closes no cell
    assert heatmap[1][1] == f"Animation {HOSTILE}6e triennat : {HOSTILE}"  # B's theme, then A's
    titles = [attrs.get("title") for tag, attrs in parsed.elements if tag == "th" and attrs.get("title")]
    assert titles[0] == f"Animation {HOSTILE} : {HOSTILE}"  # an attribute value, quotes and all
    assert parsed.rows["members"][1][0] == HOSTILE and parsed.rows["types"][1][2] == HOSTILE
    assert parsed.rows["provinces"][1][2] == HOSTILE
    assert parsed.rows["evaluations"][1] == ["Cluster", f"Pôle {HOSTILE}", f"Pôle {HOSTILE}"]
    assert f"Pôle {HOSTILE} : 6e triennat → 7e triennat" in parsed.texts["title"]
    assert any(HOSTILE in text for text in parsed.texts["title"][1:])  # the chart's point titles (SVG <title>)
    assert f" : Constat {HOSTILE}" in "".join(parsed.texts["li"] + parsed.texts["td"])


def test_report_page_rows_cells_and_links(tmp_path):
    page = report_page(hostile_comparison(), tmp_path)
    first, second, only_b = page.heatmap
    assert (first.a.judgement, first.b.judgement, first.method, first.score) == (
        "Partiel",
        "Atteint",
        "similarité sémantique",
        0.61,
    )
    assert first.change == Change(2, "improved") and first.change.arrow == "▲ +2" and first.change.css == "up"
    assert second.change.arrow == "▼ -2" and second.change.label == "en recul" and second.earlier_theme is None
    assert only_b.a is None and only_b.b.judgement is None and only_b.b.link.text == "?" and only_b.change is None
    assert first.b.link == Link("b.pdf#page=2", "Atteint") and first.b.place == "b.pdf, p. 2"
    stated = page.members[0]  # 40 stated in 2020 and computed from the later report: one row, confirmed
    assert len(page.members) == 2 and stated.sources.stated == [Link("a.pdf#page=2", "a.pdf, p. 2")]
    assert [c.text for c in stated.sources.computed] == ["b.pdf"]
    assert stated.sources.computed_label.startswith("confirmé")
    assert page.chart is not None and [p.value for s in page.chart.series for p in s.points] == ["40", "52"]
    assert page.a.heading == "6e triennat (2018)" and page.counts["improved"] == 1 and page.counts["declined"] == 1


def test_markdown_from_the_same_records_escapes_labels():
    text = render_markdown(hostile_comparison())
    assert "<script" not in text and "</td>" not in text
    assert "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{x}}" in text
    assert (
        "| 1 | Animation &lt;/td&gt;" in text
        and "| [Constat 1](<a.pdf#page=3>) | [Constat 1](<b.pdf#page=3>) | 0.80 |" in text
    )


def test_chart_places_an_estimate_at_its_cycle_start_and_draws_it_hollow():
    from miner.compare.chart import CYCLE_YEARS, members_chart

    comparison = hostile_comparison()
    comparison.timeline = [dict(row, value=30.0) if row["status"] == "derived" else row for row in comparison.timeline]
    chart = members_chart(comparison, lambda file, page: f"{file}#{page}")
    (series,) = chart.series
    estimate = next(p for p in series.points if p.derived)
    assert estimate.year == comparison.b.date.year - CYCLE_YEARS and estimate.fill == "#fff" and estimate.radius > 5
    assert len(series.line) == 2  # the line joins the statements only
    assert [label for _, label in chart.ticks][-1] == "60" and chart.ticks[0][0] > chart.ticks[-1][0]  # 0 at the bottom
    assert members_chart(Comparison(comparison.a, comparison.b, comparison.alignment), lambda file, page: file) is None


@pytest.mark.parametrize(
    "name, href",
    [
        ("javascript:alert(1)", "./javascript:alert(1)#page=2"),
        ("//evil.example/x.pdf", ".///evil.example/x.pdf#page=2"),
        ("\\\\evil\\share\\x.pdf", "./\\\\evil\\share\\x.pdf#page=2"),
        ("rapport 2025.pdf", "rapport 2025.pdf#page=2"),
    ],
)
def test_a_document_name_never_links_to_another_scheme_or_host(name, href, tmp_path):
    comparison = hostile_comparison()
    comparison.b = dataclasses.replace(comparison.b, file=name)
    assert report_page(comparison, tmp_path).heatmap[0].b.link.href == href
