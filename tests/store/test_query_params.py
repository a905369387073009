"""Saved queries with typed parameters: a value is matched to one the store holds (a part of a name
is enough when unique); a value that matches nothing stops `miner query` with exit 1 and the
closest values, instead of an empty answer."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from miner.cli.app import app
from miner.store.params import NoSuchValue, match_value
from miner.store.query import QueryParam, saved_queries

runner = CliRunner()
CLUSTER = "CHANVRELIA cluster des éco-matériaux"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    folder = tmp_path_factory.mktemp("params") / "store"
    ctx, _ = build(
        [ROOT / "corpora" / "pdf" / "evaluation-chanvrelia-2025.pdf"],
        folder,
        skip=["organisations", "compare", "network"],
        reporter=Reporter("quiet"),
    )
    assert not ctx.failures
    return folder


def test_a_value_matching_nothing_exits_1_with_the_closest(store):
    result = runner.invoke(app, ["query", "judgements_by_cycle", "--store", str(store), "--bind", "cluster=chanvrelya"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"error: no cluster 'chanvrelya' in the store for ?cluster; closest: {CLUSTER}"
    )
    wrong_cycle = runner.invoke(app, ["query", "judgements_by_cycle", "--store", str(store), "--bind", "cycle=6e"])
    assert wrong_cycle.exit_code == 1 and "closest: 7e triennat" in wrong_cycle.output


def test_a_part_of_a_name_binds_the_stored_value(store):
    result = runner.invoke(
        app,
        [
            "query",
            "judgements_by_cycle",
            "--store",
            str(store),
            "--bind",
            "cluster=chanvrelia",
            "--bind",
            "theme=gouvernance",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {(r["cluster"], r["theme"]) for r in rows} == {(CLUSTER, "Gouvernance")}


def test_kinds_are_declared_and_numbers_stay_numbers():
    kinds = {p.type for q in saved_queries() for p in q.params}
    assert {"cluster", "cycle", "criterion"} <= kinds
    year = QueryParam("year", "year", "")
    present = [ox.Literal("2021", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]
    assert match_value(year, "2021", present) == present[0]
    with pytest.raises(NoSuchValue, match="closest: 2021"):
        match_value(year, "2020", present)
    several = [ox.Literal("Impacts économiques"), ox.Literal("Impacts sociaux")]
    with pytest.raises(NoSuchValue, match="several"):
        match_value(QueryParam("theme", "criterion", ""), "impacts", several)


def test_excel_csv_for_a_french_locale(store):
    result = runner.invoke(app, ["query", "judgements_by_cycle", "--store", str(store), "--excel"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("\ufeffcluster;cycle;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows and {r["cluster"] for r in rows} == {CLUSTER}


def test_the_question_list_in_french_and_in_english():
    french = runner.invoke(app, ["queries"]).stdout
    english = runner.invoke(app, ["queries", "--english"]).stdout
    saved = {q.name: q for q in saved_queries()}
    assert f"judgement_changes: {saved['judgement_changes'].question_fr}" in french
    assert f"judgement_changes: {saved['judgement_changes'].question_en}" in english
