"""`miner report CLUSTER`: a report per cluster from the store, as HTML and as the same page printed
to PDF by headless Chromium, where no heading is left as the last line of a page."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil

import pytest
from browser import NEEDS_CHROMIUM
from conftest import ROOT
from typer.testing import CliRunner

from miner.cli.app import app
from miner.compare.cluster import summary_fr
from miner.compare.pdf import find_chromium

PDF = ROOT / "corpora" / "pdf"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    root = tmp_path_factory.mktemp("cluster-report")
    for name in (
        "evaluation-chanvrelia-2021.pdf",
        "evaluation-chanvrelia-2025.pdf",
        "contrat-chanvrelia-2024.pdf",
        "evaluation-mi-parcours-chanvrelia-2026.pdf",
    ):
        shutil.copy(PDF / name, root / name)
    shutil.copy(ROOT / "corpora" / "members" / "membres-chanvrelia-2025.csv", root / "membres-chanvrelia-2025.csv")
    folder = root / "graphs" / "store"
    ctx, _ = build(
        [root], folder, skip=["organisations", "compare", "network", "activities"], reporter=Reporter("quiet")
    )
    assert not ctx.failures, ctx.failures
    return folder


def headings(page: str) -> set[str]:
    return {
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", h)).split())
        for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page, re.DOTALL)
    }


def test_html_report_and_its_first_paragraph(store, tmp_path):
    out = tmp_path / "chanvrelia.html"
    result = runner.invoke(app, ["report", "chanvrelia", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    query = runner.invoke(app, ["query", "judgement_changes", "--store", str(store), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(query.stdout)))
    up, down = sum(r["direction"] == "up" for r in rows), sum(r["direction"] == "down" for r in rows)
    summary = re.search(r'<p class="lead" id="summary">(.*?)</p>', page, re.DOTALL).group(1)
    assert f"{up} progressent" in summary and f"{down} reculent" in summary, summary
    assert summary.startswith(summary_fr.__name__ and "Sur ")
    assert "77 membres en 2021" in summary and "96 en 2025" in summary
    # constats link to their PDF page with an absolute address (a mailed report keeps them)
    assert re.search(r'href="file:///[^"]+evaluation-chanvrelia-2025\.pdf#page=\d+"', page)
    assert {
        "Jugements par critère",
        "Constats — 6e triennat",
        "Constats — 7e triennat",
        "Membres dans le temps",
        "Membres par province",
        "Activités par axe du décret",
        "Partenaires",
    } <= headings(page)


def test_indicators_target_beside_achieved_with_their_documents(store, tmp_path):
    """The sample contract's targets and its mid-term evaluation's achieved values, one row per
    indicator, each value with the document and page that state it, and the share reached."""
    import json

    out = tmp_path / "indicators.html"
    result = runner.invoke(app, ["report", "chanvrelia", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Indicateurs du contrat d'objectifs" in headings(page)
    table = page[page.index('id="indicators"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)[1:]:
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        ]
        rows[cells[2]] = cells
    gold = json.loads((ROOT / "corpora/gold/evaluation-mi-parcours-chanvrelia-2026.indicators.json").read_text("utf-8"))
    assert set(rows) == {o["indicator"] for o in gold["observations"]}
    for o in gold["observations"]:
        period, _, _, target, target_from, achieved, achieved_from, share = rows[o["indicator"]]
        assert period == gold["period"]
        assert re.sub(r"\D", "", target) == str(o["target"]).split(".")[0] or o["unit"] == "EUR"
        assert "contrat-chanvrelia-2024.pdf, p. " in target_from
        assert f"evaluation-mi-parcours-chanvrelia-2026.pdf, p. {o['page']}" in achieved_from
        assert share == f"{100 * o['achieved'] / o['target']:.0f} %"
    assert re.search(r'href="file:///[^"]+contrat-chanvrelia-2024\.pdf#page=1"', table)
    reached = sum(o["achieved"] >= o["target"] for o in gold["observations"])
    summary = re.search(r'<p class="lead" id="summary">(.*?)</p>', page, re.DOTALL).group(1)
    assert f"{reached} des {len(gold['observations'])} indicateurs mesurés du contrat d'objectifs" in html.unescape(
        summary
    )


def test_links_to_the_evidence_pages_of_an_endpoint(store, tmp_path):
    out = tmp_path / "linked.html"
    result = runner.invoke(
        app, ["report", "chanvrelia", "--store", str(store), "--out", str(out), "--endpoint", "http://127.0.0.1:7878/"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert re.search(r'href="http://127\.0\.0\.1:7878/evidence\?fact=https%3A%2F%2F[^"]+constat%2F\d+"', page)
    assert "file:///" not in page


def test_a_cluster_that_is_not_there_names_the_closest(store, tmp_path):
    result = runner.invoke(app, ["report", "chanvrelya", "--store", str(store), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "closest: chanvrelia-cluster-des-eco-materiaux" in result.output


def needs_chromium(test):
    for mark in NEEDS_CHROMIUM:
        test = mark(test)
    return test


@needs_chromium
def test_pdf_has_no_heading_as_the_last_line_of_a_page(store, tmp_path):
    import pdfplumber

    out = tmp_path / "chanvrelia.pdf"
    result = runner.invoke(app, ["report", "chanvrelia", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = runner.invoke(app, ["report", "chanvrelia", "--store", str(store), "--out", str(tmp_path / "r.html")])
    assert page.exit_code == 0
    titles = headings((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert find_chromium()
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 2
        text = ""
        for sheet in pdf.pages:
            lines = [" ".join(line.split()) for line in (sheet.extract_text() or "").splitlines() if line.strip()]
            assert lines, f"page {sheet.page_number} is blank"
            assert lines[-1] not in titles, f"page {sheet.page_number} ends on the heading {lines[-1]!r}"
            text += "\n".join(lines) + "\n"
    for title in titles - {t for t in titles if "—" in t and t.startswith("CHANVRELIA")}:
        assert title in text, title
