"""Member lists: BCE numbers (normalised, mod-97), postal codes → provinces on every range boundary,
unknown codes reported, reconciliation across lists, members by province and type (zeros kept)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from miner.extract.members import (
    bce_is_valid,
    members_by_province,
    members_by_type,
    normalise_bce,
    read_member_list,
    reconcile,
)
from miner.nlp.geography import (
    POSTAL_RANGES,
    PROVINCES,
    REGIONS,
    find_province_statements,
    normalise_postal_code,
    province_of,
)

ROOT = Path(__file__).resolve().parents[2]
CHANVRELIA = ROOT / "corpora" / "members" / "membres-chanvrelia-2025.csv"
HEADER = "nom,type,code_postal,commune,date_adhesion,numero_bce\n"


def write(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# ---------------------------------------------------------------- BCE / KBO


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("0144.947.197", "0144.947.197"),
        ("BE 0144 947 197", "0144.947.197"),
        ("BE0144947197", "0144.947.197"),
        ("144947197", "0144.947.197"),  # the old nine-digit form
        (144947197.0, "0144.947.197"),  # a spreadsheet number
        ("1049.889.297", "1049.889.297"),
        ("2049.889.297", None),  # establishment units start with 2-8, enterprises with 0 or 1
        ("0144.947.19", None),
        ("", None),
        (None, None),
    ],
)
def test_bce_normalisation(raw, normal):
    assert normalise_bce(raw) == normal


def test_bce_mod97():
    assert bce_is_valid("0144.947.197")  # 97 - 1449471 % 97 == 97
    assert bce_is_valid("1049.889.297")
    assert not bce_is_valid("0144.947.196")
    assert not bce_is_valid("0463.801.254")
    assert not bce_is_valid(None)


def test_sample_list_bce_statuses_and_problems():
    members = read_member_list(CHANVRELIA)
    statuses = [m.bce_status for m in members.members]
    assert len(members.members) == 96
    assert (statuses.count("valid"), statuses.count("invalid"), statuses.count("missing")) == (91, 3, 2)
    assert members.problems == [
        "row 2: Fibrex des Fagnes SRL: BCE number '0463.801.254' fails the mod-97 check",
        "row 35: Vert-Enduit de l'Ardenne SRL: BCE number '0221.305.412' fails the mod-97 check",
        "row 69: Glaise de Gaume SA: BCE number '0974.500.712' fails the mod-97 check",
    ]


# ---------------------------------------------------------------- postal codes


def test_ranges_cover_every_code_without_overlap():
    previous_last = 999
    for first, last, _, _ in POSTAL_RANGES:
        assert first == previous_last + 1 and first <= last
        previous_last = last
    assert previous_last == 9999


def test_ranges_name_known_provinces_and_regions():
    """The table is package data (a CSV): each row must name one of the provinces and regions the
    graph's SKOS scheme knows, Brussels-Capital alone without a province."""
    for _, _, province, region in POSTAL_RANGES:
        assert region in REGIONS
        assert (province is None) == (region == "Bruxelles-Capitale")
        assert province is None or province in PROVINCES


@pytest.mark.parametrize("first, last, province, region", POSTAL_RANGES)
def test_every_range_boundary(first, last, province, region):
    for code in (first, last):
        area = province_of(f"{code:04d}")
        assert (area.province, area.region) == (province, region), code
    before = province_of(f"{first - 1:04d}")
    after = province_of(f"{last + 1:04d}") if last < 9999 else None
    index = POSTAL_RANGES.index((first, last, province, region))
    if index == 0:
        assert before is None  # 0999: no Belgian postal code below 1000
    else:
        assert (before.province, before.region) == POSTAL_RANGES[index - 1][2:]
    if last < 9999:
        assert (after.province, after.region) == POSTAL_RANGES[index + 1][2:]


@pytest.mark.parametrize("code", ["0999", "999", "10000", "12345", "abcd", "", "67 00", None, "6700.5"])
def test_unknown_postal_codes_are_none(code):
    assert province_of(code) is None


def test_postal_code_forms():
    assert normalise_postal_code(" B-6700 ") == "6700"
    assert province_of(6700).province == "Luxembourg"
    assert province_of("1348").province == "Brabant wallon"
    assert province_of("1000").province is None and province_of("1000").region == "Bruxelles-Capitale"


def test_unknown_postal_codes_are_reported_not_guessed(tmp_path):
    path = write(
        tmp_path,
        "m.csv",
        "A SRL,entreprise,0999,Nulle part,2020-01-01,0144.947.197\n"
        "B SRL,entreprise,67OO,Arlon,2020-01-01,\n"
        "C SRL,entreprise,6700,Arlon,2020-01-01,\n",
    )
    members = read_member_list(path)
    assert [m.province for m in members.members] == [None, None, "Luxembourg"]
    assert members.unknown_postal_codes == [
        "row 1: A SRL: unknown postal code '0999'; province left empty",
        "row 2: B SRL: unknown postal code '67OO'; province left empty",
    ]
    assert members_by_province(members.members)["inconnu"] == 2


# ---------------------------------------------------------------- counts


def test_members_by_province_keeps_zero_provinces():
    members = read_member_list(CHANVRELIA).members
    assert members_by_province(members) == {
        "Brabant wallon": 4,
        "Hainaut": 30,
        "Liège": 28,
        "Luxembourg": 12,
        "Namur": 22,
        "Bruxelles-Capitale": 0,
    }
    before = members_by_province(members, as_of=dt.date(2021, 6, 30))
    assert before == {
        "Brabant wallon": 0,
        "Hainaut": 27,
        "Liège": 22,
        "Luxembourg": 9,
        "Namur": 19,
        "Bruxelles-Capitale": 0,
    }
    assert sum(before.values()) == 77


def test_members_by_type():
    counts = members_by_type(read_member_list(CHANVRELIA).members)
    assert counts["entreprise"] == 80 and counts["université ou école"] == 5
    assert counts["pôle de compétitivité"] == 0 and sum(counts.values()) == 96


# ---------------------------------------------------------------- reconciliation


def test_reconciliation_across_two_lists(tmp_path):
    first = read_member_list(
        write(
            tmp_path,
            "2021.csv",
            "Hempa du Brabant SRL,entreprise,6760,Virton,2012-01-02,0144.947.197\n"
            "Isolin SA,entreprise,5000,Namur,2014-03-03,0511.033.414\n"
            "Ancien membre SRL,entreprise,4000,Liège,2015-01-01,0629.379.451\n"
            "Sans Numéro SRL,entreprise,7000,Mons,2016-01-01,\n",
        )
    )
    second = read_member_list(
        write(
            tmp_path,
            "2025.csv",
            "Hempa Brabant SRL,entreprise,6760,Virton,2012-01-02,BE0144947197\n"
            "ISOLIN SA,entreprise,5000,Namur,2014-03-03,\n"
            "Sans numero SRL,entreprise,7000,Mons,2016-01-01,\n"
            "Nouveau SRL,entreprise,1348,Louvain-la-Neuve,2024-01-01,0481.574.613\n",
        )
    )
    rec = reconcile([first, second])
    assert sorted(rec.in_all()) == ["bce:0144.947.197", "bce:0511.033.414", "name:sans numero"]
    assert [m.name for m in rec.only_in(0)] == ["Ancien membre SRL"]
    assert [m.name for m in rec.only_in(1)] == ["Nouveau SRL"]
    assert [(a.name, b.name) for a, b in rec.renamed()] == [("Hempa du Brabant SRL", "Hempa Brabant SRL")]


def test_xlsx_member_list(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Dénomination", "Catégorie", "CP", "Localité", "Membre depuis", "N° BCE"])
    sheet.append(["Labo X", "centre de recherche", 6700, "Arlon", dt.datetime(2020, 5, 1), "0144947197"])
    sheet.append(["Zorglub", "", 5000, "Namur", "hier", None])
    path = tmp_path / "m.xlsx"
    book.save(path)
    members = read_member_list(path)
    first, second = members.members
    assert (first.type, first.province, first.joined, first.bce) == (
        "centre de recherche",
        "Luxembourg",
        dt.date(2020, 5, 1),
        "0144.947.197",
    )
    assert second.type == "inconnu" and second.joined is None
    assert any("type None not understood" in p for p in members.problems)
    assert any("joining date 'hier' not understood" in p for p in members.problems)


def test_member_list_errors(tmp_path):
    from miner.errors import InputError

    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no name column"):
        read_member_list(bad)
    with pytest.raises(InputError, match="no such file"):
        read_member_list(tmp_path / "missing.csv")


# ---------------------------------------------------------------- province statements


def test_province_statements():
    zero = find_province_statements("La province du Brabant wallon ne compte aucun membre du cluster.")
    assert [(s.province, s.count) for s in zero] == [("Brabant wallon", 0)]
    listed = find_province_statements(
        "Avec 77 membres répartis entre le Hainaut (27), Liège (22), Namur (19) et "
        "le Luxembourg (9) ; aucune adhésion ne provient du Brabant wallon."
    )
    assert {s.province: s.count for s in listed} == {
        "Hainaut": 27,
        "Liège": 22,
        "Namur": 19,
        "Luxembourg": 9,
        "Brabant wallon": 0,
    }
    assert find_province_statements("Le cluster compte 96 membres.") == []
