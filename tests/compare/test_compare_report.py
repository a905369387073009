"""The comparison report as a reader sees it: one row per fact (a figure stated on two pages, or held
by two documents' graphs, is one row), cluster names rather than slugs, A beside B, French only,
matching scores in [0, 1], round chart ticks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from miner.compare.comparison import compare_refs, write_comparison

PDF = ROOT / "corpora" / "pdf"
CHANVRELIA = ("evaluation-chanvrelia-2021.pdf", "evaluation-chanvrelia-2025.pdf")


class Tables(HTMLParser):
    """Every table of a page as {id: [row cell texts]}, header rows included."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, ...]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(page: str) -> dict[str, list[tuple[str, ...]]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def assert_one_row_per_fact(page: str) -> dict[str, list[tuple[str, ...]]]:
    tables = tables_of(page)
    assert tables
    for name, rows in tables.items():
        duplicates = {row for row in rows if rows.count(row) > 1}
        assert not duplicates, (name, duplicates)
    return tables


@pytest.fixture(scope="module")
def from_files(tmp_path_factory):
    comparison = compare_refs(PDF / CHANVRELIA[1], PDF / CHANVRELIA[0])  # latest first: swapped
    out = tmp_path_factory.mktemp("report") / "compare.html"
    return comparison, write_comparison(comparison, out).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def from_store(tmp_path_factory):
    """Both reports built into one store and compared by CLUSTER@CYCLE: each figure is then held by
    its own document's graph and, for the earlier count, computed from the later report."""
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    store = tmp_path_factory.mktemp("store") / "store"
    ctx, _ = build(
        [PDF / name for name in CHANVRELIA],
        store,
        skip=["organisations", "compare", "network"],
        reporter=Reporter("quiet"),
    )
    assert not ctx.failures
    cluster = "chanvrelia-cluster-des-eco-materiaux"
    comparison = compare_refs(f"{cluster}@triennat-6", f"{cluster}@triennat-7", store=store)
    out = tmp_path_factory.mktemp("report") / "compare-store.html"
    return comparison, write_comparison(comparison, out).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["from_files", "from_store"])
def test_one_row_per_fact(case, request):
    comparison, page = request.getfixturevalue(case)
    tables = assert_one_row_per_fact(page)
    members = [row for row in tables["members"][1:] if row[3] == "membres"]
    counts = [(row[1], row[4]) for row in members]
    assert counts.count(("6e triennat", "77")) == 1 and counts.count(("7e triennat", "96")) == 1
    stated_77 = next(row for row in members if row[1] == "6e triennat" and row[4] == "77")
    assert stated_77[5] == "constaté" and "p. 2" in stated_77[6] and "p. 3" in stated_77[6]
    assert "confirmé par le calcul depuis evaluation-chanvrelia-2025.pdf" in stated_77[6]
    indicators = tables["indicators"]
    assert indicators[0] == ("Mesure", "Statut", "A — 6e triennat", "B — 7e triennat")
    (targets,) = [row for row in indicators if row[1] == "objectif"]
    # the 2021 target is stated in two sentences of page 7: one figure, both quotes
    assert targets[2].startswith("25 % «") and targets[2].count("»") == 2 and targets[3].startswith("35 % «")
    md = write_comparison(comparison, Path(request.getfixturevalue("tmp_path")) / "r.md").read_text(encoding="utf-8")
    body = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    assert len(body) == len(set(body))


def test_cluster_names_side_by_side_and_french_only(from_files):
    comparison, page = from_files
    tables = tables_of(page)
    assert tables["evaluations"][0] == ("", "A", "B")
    assert ("Cluster", "CHANVRELIA cluster des éco-matériaux", "CHANVRELIA cluster des éco-matériaux") in tables[
        "evaluations"
    ]
    assert ("Cycle", "6e triennat", "7e triennat") in tables["evaluations"]
    assert comparison.a.cluster_key not in re.sub(r'href="[^"]*"', "", page)  # the slug never shows
    assert comparison.swapped and "de la plus récente à la plus ancienne" in page
    text = re.sub(r"<[^>]+>", " ", page)
    for english in ("says on its first page", "latest first", "fictitious", "cycle conflict", "Nothing alignable"):
        assert english not in text, english
    assert comparison.notes  # the command line still gets its notes, in English


def test_scores_are_similarities_in_0_1(from_files):
    comparison, page = from_files
    al = comparison.alignment
    scores = [m.score for m in (*al.questions, *al.criteria, *al.recurring, *al.resolved)]
    assert scores and all(0.0 <= s <= 1.0 for s in scores)
    shown = [float(cell) for row in tables_of(page)["constats"][1:] for cell in row[3:4]]
    assert shown and max(shown) <= 1.0


def test_conflicts_are_kept_in_french_for_the_report():
    from miner.extract.cycles import infer_cycle_details

    found = infer_cycle_details(
        [("Le septième triennat (2022-2025) ... lors du sixième triennat", 2)], date=None, override="triennat-5"
    )
    assert len(found.conflicts) == len(found.conflicts_fr) >= 1
    assert found.conflicts_fr[-1].startswith("cycle donné : 5e triennat, mais le texte dit")


def test_facts_and_ticks_from_hand_made_rows():
    from miner.compare.tables import indicator_facts, nice_ticks, province_facts, timeline_facts

    stated = {
        "clusterKey": "c",
        "cluster": "C",
        "cycle": "7e",
        "measure": "members",
        "status": "actual",
        "value": 183.0,
    }
    rows = [
        dict(stated, file="r.pdf", page=3),
        dict(stated, file="r.pdf", page=3),
        dict(stated, file="s.pdf", page=1),
        dict(stated, status="derived", file="later.pdf", page=None),
        dict(
            stated,
            measure="member_growth",
            status="change",
            value=50.0,
            baseline="previous-cycle",
            file="r.pdf",
            page=3,
        ),
        dict(
            stated, measure="member_growth", status="change", value=50.0, baseline="cycle-start", file="r.pdf", page=4
        ),
    ]
    facts = timeline_facts(rows)
    assert [(f.row["measure"], f.sources, f.confirmed_by) for f in facts] == [
        ("members", [("r.pdf", 3), ("s.pdf", 1)], ["later.pdf"]),
        ("member_growth", [("r.pdf", 3)], []),
        ("member_growth", [("r.pdf", 4)], []),
    ]  # two baselines, two facts
    target = {
        "cluster": "C",
        "cycle": "7e",
        "measure": "own_revenue",
        "detail": None,
        "status": "target",
        "value": 35.0,
        "unit": "percent",
        "year": 2027,
    }
    (merged,) = indicator_facts([dict(target, page=7, quote="« a »"), dict(target, page=7, quote="« b »")])
    assert merged.quotes == ["« a »", "« b »"] and merged.sources == [(None, 7)]
    assert (
        len(province_facts([{"clusterKey": "c", "cycle": "7e", "province": "Namur", "members": 4, "page": 2}] * 2)) == 1
    )
    assert nice_ticks(96) == [0, 20, 40, 60, 80, 100] and nice_ticks(183) == [0, 50, 100, 150, 200]
    assert nice_ticks(0) == [0, 1]
