"""The KPI tables of the sample objective contract and mid-term evaluation give their gold
observations; columns are found by their titles, not their positions."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from miner.errors import InputError
from miner.extract.indicators import column_role, extract_indicators, kpi_columns, parse_value, read_kpi_table
from miner.records import Table, TableCell, TableRow
from miner.records.indicators import Indicator

SAMPLES = ["contrat-chanvrelia-2024", "evaluation-mi-parcours-chanvrelia-2026"]


def gold(stem: str) -> dict:
    return json.loads((ROOT / "corpora/gold" / f"{stem}.indicators.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", SAMPLES)
def test_the_kpi_table_gives_its_gold_observations(stem):
    expected = gold(stem)
    got = extract_indicators(ROOT / expected["file"])
    assert (got.cluster, got.period, got.kind, got.fictitious) == (
        expected["cluster"],
        expected["period"],
        expected["kind"],
        expected["fictitious"],
    )
    rows = [
        {
            "objective": i.objective,
            "indicator": i.indicator,
            "unit": i.unit,
            "baseline": i.baseline,
            "target": i.target,
            "achieved": i.achieved,
            "page": i.page,
        }
        for i in got.indicators
    ]
    assert rows == [{k: v for k, v in o.items() if k != "mission"} for o in expected["observations"]]


@pytest.mark.parametrize(
    "title, role",
    [
        ("Indicateur", "indicator"),
        ("KPI", "indicator"),
        ("Intitulé de l'indicateur", "indicator"),
        ("Cible 2028", "target"),
        ("Valeur visée (k€)", "target"),
        ("Objectif chiffré", "target"),
        ("Réalisé au 30/06/2026", "achieved"),
        ("Valeur atteinte", "achieved"),
        ("Situation à mi-parcours", "achieved"),
        ("Situation de départ (2023)", "baseline"),
        ("Unité de mesure", "unit"),
        ("Objectif stratégique", "objective"),
        ("Taux d'atteinte", "rate"),
        ("Commentaire", "rate"),
        ("Lieu", None),
    ],
)
def test_column_roles_come_from_title_words(title, role):
    assert column_role(title) == role


def test_values_in_french_and_english_notation_with_their_units():
    assert parse_value("1 450") == (1450.0, None)
    assert parse_value("12,5 %") == (12.5, "percent")
    assert parse_value("1.5 M€") == (1500000.0, "EUR")
    assert parse_value("2 500 000 €") == (2500000.0, "EUR")
    assert parse_value("—") == (None, None)


def _table(header: list[str], rows: list[list[str]]) -> Table:
    cells = [TableRow(cells=[TableCell(text=t, pages=[3]) for t in r], pages=[3]) for r in rows]
    return Table(header=header, rows=cells, pages=[3], bbox=(0, 0, 10, 10))


def test_the_same_table_with_its_columns_in_another_order_reads_the_same():
    header = ["Objectif 2028", "Indicateur", "Valeur atteinte", "Unité"]
    rows = [
        ["Axe A : exporter", "", "", ""],
        ["40", "Part des revenus propres", "34", "%"],
        ["1 500", "Financements obtenus", "640", "k€"],
    ]
    first = read_kpi_table(_table(header, rows), kpi_columns(_table(header, rows)))
    order = [3, 1, 0, 2]
    moved = _table([header[i] for i in order], [[r[i] for i in order] for r in rows])
    second = read_kpi_table(moved, kpi_columns(moved))
    key = [(i.objective, i.indicator, i.unit, i.target, i.achieved) for i in first]
    assert (
        key
        == [(i.objective, i.indicator, i.unit, i.target, i.achieved) for i in second]
        == [
            ("Axe A : exporter", "Part des revenus propres", "percent", 40.0, 34.0),
            ("Axe A : exporter", "Financements obtenus", "EUR", 1500000.0, 640000.0),
        ]
    )


def test_a_table_without_indicator_or_values_is_not_a_kpi_table():
    assert kpi_columns(_table(["Thème", "Critère", "Jugement"], [["a", "b", "Atteint"]])) is None
    assert kpi_columns(_table(["Indicateur", "Commentaire"], [["a", "b"]])) is None


def test_a_document_without_a_kpi_table_is_one_error_naming_it():
    path = ROOT / "corpora/pdf/evaluation-chanvrelia-2025.pdf"
    with pytest.raises(InputError, match=r"evaluation-chanvrelia-2025.pdf: no table of indicators"):
        extract_indicators(path)


def test_an_indicator_record_refuses_unknown_fields():
    with pytest.raises(ValueError, match="cible"):
        Indicator(indicator="Nombre de membres", page=1, quote="x", cible=130)


def test_yearly_target_columns_keep_the_latest_year_and_english_titles_read_too():
    header = ["Indicator", "Target 2026", "Target 2028", "Baseline (2023)", "Actual 2025", "Unit"]
    rows = [["Members", "110", "130", "96", "104", "#"]]
    table = _table(header, rows)
    (row,) = read_kpi_table(table, kpi_columns(table))
    assert (row.indicator, row.unit, row.baseline, row.target, row.achieved) == ("Members", "count", 96.0, 130.0, 104.0)
    moved = _table(["Unit", "Target 2028", "Indicator", "Target 2026"], [["%", "40", "Own revenue share", "35"]])
    (row,) = read_kpi_table(moved, kpi_columns(moved))
    assert (row.target, row.unit) == (40.0, "percent")
