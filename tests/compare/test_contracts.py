"""Achieved against target in the two-cycle comparison (issue 26): the fictitious contract and its
mid-term evaluation (read from their PDFs) give the first quadriennat's targets and achieved values;
a later period's evaluation, built here by hand (fictitious, never a file), gives the second's; each
period goes to the compared cycle it falls in, and the page shows both with the change and the
document and page of every value."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest

from miner.compare.comparison import EvaluationView, compare
from miner.compare.contracts import contract_rows, period_years, side_of_period
from miner.compare.page import report_page
from miner.compare.report import render_html, render_markdown
from miner.extract.indicators import extract_indicators
from miner.rdf.indicators import indicators_graph
from miner.store.write import load_rdflib_graph

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "corpora" / "pdf"
GOLD = ROOT / "corpora" / "gold" / "evaluation-mi-parcours-chanvrelia-2026.indicators.json"
DROPPED = "Abonnés à la lettre d'information"
"""An indicator the hand-made second contract no longer has."""


class Stores:
    def __init__(self, store: ox.Store):
        self.store = store

    def all(self) -> list[ox.Store]:
        return [self.store]


def later(table, period: str, name: str, bump: float, digest: str):
    """A hand-made evaluation of a later period: the same indicators but one, achieved values moved."""
    source = table.source.model_copy(update={"sha256": digest, "path": name})
    rows = [
        i.model_copy(update={"achieved": (i.achieved or 0) + bump, "target": (i.target or 0) + bump})
        for i in table.indicators
        if i.indicator != DROPPED
    ]
    return table.model_copy(update={"source": source, "period": period, "indicators": rows})


def view(side: str, ordinal: int, cluster: str, start: dt.date, end: dt.date) -> EvaluationView:
    return EvaluationView(
        iri=f"https://e/{side}",
        graph=f"https://e/g{side}",
        cluster=cluster,
        cluster_key="chanvrelia",
        cycle=f"{ordinal}e quadriennat",
        cycle_slug=f"quadriennat-{ordinal}",
        kind="quadriennat",
        ordinal=ordinal,
        date=end,
        file=f"evaluation-{side}.pdf",
        start=start,
        end=end,
    )


@pytest.fixture(scope="module")
def comparison():
    contract = extract_indicators(PDF / "contrat-chanvrelia-2024.pdf")
    midterm = extract_indicators(PDF / "evaluation-mi-parcours-chanvrelia-2026.pdf")
    store = ox.Store()
    tables = [
        contract,
        midterm,
        later(midterm, "2028-2032", "evaluation-chanvrelia-2030.pdf", 5, "c" * 64),
        later(midterm, "2016-2019", "evaluation-chanvrelia-2018.pdf", -50, "d" * 64),
    ]  # overlaps neither cycle
    for table in tables:
        load_rdflib_graph(store, indicators_graph(table))
    a = view("a", 1, midterm.cluster, dt.date(2024, 7, 1), dt.date(2028, 6, 30))
    b = view("b", 2, midterm.cluster, dt.date(2028, 7, 1), dt.date(2032, 6, 30))
    return compare(a, b, Stores(store), embed=lambda texts: np.zeros((len(texts), 4), dtype=np.float32))


def test_each_period_goes_to_the_cycle_it_falls_in(comparison):
    a, b = comparison.a, comparison.b
    assert period_years("1er juillet 2024 – 30 juin 2028") == (2024, 2028)
    assert [side_of_period(p, a, b) for p in ("2024-2028", "2028-2032", "2016-2019", "", "2030")] == [
        "a",
        "b",
        None,
        None,
        None,
    ]
    assert {r["period"].value if hasattr(r["period"], "value") else str(r["period"]) for r in comparison.contracts} >= {
        "2024-2028",
        "2028-2032",
    }


def test_target_and_achieved_per_cycle_with_the_change_and_their_sources(comparison):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["observations"]
    rows = {r.indicator: r for r in report_page(comparison).contracts}
    assert set(rows) == {o["indicator"] for o in gold}
    for o in gold:
        row = rows[o["indicator"]]
        assert (row.a.target, row.a.achieved) == (o["target"], o["achieved"])
        assert not row.a.targets_disagree  # the contract and the mid-term evaluation give one target
        assert {p.text for p in row.a.target_from} == {
            "contrat-chanvrelia-2024.pdf, p. 1",
            f"evaluation-mi-parcours-chanvrelia-2026.pdf, p. {o['page']}",
        }
        assert [p.text for p in row.a.achieved_from] == [f"evaluation-mi-parcours-chanvrelia-2026.pdf, p. {o['page']}"]
        if o["indicator"] == DROPPED:
            assert row.b is None and row.change is None
        else:
            assert (row.b.target, row.b.achieved, row.change) == (o["target"] + 5, o["achieved"] + 5, 5)
            assert row.b.period == "2028-2032"
    members = rows["Nombre de membres"]
    assert members.a.share == pytest.approx(112 / 130)
    assert members.a.target_from[0].href == "contrat-chanvrelia-2024.pdf#page=1"


def test_the_page_and_the_markdown_show_them(comparison, tmp_path):
    html = render_html(comparison, tmp_path)
    table = html[html.index('<table id="contracts"') :]
    table = table[: table.index("</table>")]
    row = re.search(r'<tr data-indicator="Nombre de membres">(.*?)</tr>', table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1].startswith("130") and "contrat-chanvrelia-2024.pdf, p. 1" in cells[1]
    assert cells[2].startswith("112") and "(86 % de la cible)" in cells[2]
    assert cells[3].startswith("135") and cells[4].startswith("117") and cells[5] == "+5"
    assert 'href="contrat-chanvrelia-2024.pdf#page=1"' in row
    dropped = re.search(r'<tr data-indicator="Abonnés à la lettre d&#39;information">(.*?)</tr>', table, re.S).group(1)
    assert "pas d'indicateur pour ce cycle" in dropped
    markdown = render_markdown(comparison, tmp_path)
    assert "## Contrat d'objectifs : atteint et cible" in markdown
    assert re.search(r"\| Nombre de membres \| 130 .*\| 112 .*\| 135 .*\| 117 .*\| \+5 \|", markdown)


def test_without_contracts_the_page_says_so(comparison, tmp_path):
    import dataclasses

    bare = dataclasses.replace(comparison, contracts=[])
    assert contract_rows(bare, lambda file, page: None) == []
    assert "Aucun indicateur de contrat d'objectifs pour ces cycles." in render_html(bare, tmp_path)
