"""Activity lists → Activity records: CSV, XLSX, PDF (shared dev PDF) and bad inputs."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from conftest import DEV_CSV, SHARED

from miner.errors import InputError, UsageError
from miner.read.activities import (
    enrich_activities,
    find_column,
    read_activities,
    read_table,
    row_problems,
    to_activities,
)

DEV_PDF = SHARED / "corpora" / "activities" / "activities-dev.pdf"


def test_dev_pdf_gives_the_28_activities_of_dev_csv(shared):
    activities = read_activities(DEV_PDF)
    with open(DEV_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(activities) == 28
    assert [a.id for a in activities] == [r["id"] for r in rows]
    assert [a.description for a in activities] == [" ".join(r["description"].split()) for r in rows]
    assert [a.date for a in activities] == [r["year"] or None for r in rows]
    assert activities[0].page == 1 and activities[-1].page == 4
    assert activities[0].cluster == "Infopôle Cluster TIC"


def test_csv_semicolon_and_english_headers(tmp_path):
    path = tmp_path / "acts.csv"
    path.write_text(
        "Date;Activity;Location;Partners\n2021-03-04;Atelier sur la cybersécurité avec l'AWEX;Namur;AWEX, Agoria\n",
        encoding="utf-8",
    )
    [activity] = read_activities(path)
    assert activity.date == "2021-03-04"
    assert activity.place == "Namur"
    assert activity.partners == ["AWEX", "Agoria"]
    assert activity.row == 1 and activity.source == str(path)


def test_text_column_given_and_missing_column_names_the_columns(tmp_path):
    path = tmp_path / "acts.csv"
    path.write_text("quand,quoi\n2020,Visite d'entreprise membre\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_activities(path)
    assert "'quand', 'quoi'" in str(info.value)
    assert read_activities(path, text_column="quoi")[0].description == "Visite d'entreprise membre"
    with pytest.raises(InputError, match="no column 'texte'.*'quand', 'quoi'"):
        read_activities(path, text_column="texte")


def test_xlsx_with_several_sheets_needs_sheet(tmp_path):
    path = tmp_path / "acts.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["rien"])
    sheet = book.create_sheet("2023")
    sheet.append(["Titre", "Description", "Année"])
    sheet.append(["Salon", "Stand collectif au salon Batibouw", 2023])
    sheet.append([None, "   ", 2023])
    book.save(path)
    with pytest.raises(UsageError, match="2 sheets .*notes, 2023.*--sheet"):
        read_table(path)
    table = read_table(path, sheet="2023")
    activities = to_activities(table)
    assert activities[0].title == "Salon" and activities[0].date == "2023"
    assert activities[1] is None  # empty description: reported by classify, not dropped


def test_pdf_dated_bullet_list(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "rapport.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    lines = [
        "Rapport d'activités 2022",
        "12/03/2022 – Atelier de veille sur l'hydrogène pour les membres,",
        "organisé à Mons.",
        "Mai 2022 : Mission économique au Québec avec l'AWEX.",
        "• Webinaire avec un cluster français sur les bonnes pratiques.",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(60, 780 - 16 * i, line)
    pdf.save()
    activities = read_activities(path)
    assert [a.date for a in activities] == ["12/03/2022", "Mai 2022", None]
    assert activities[0].description == "Atelier de veille sur l'hydrogène pour les membres, organisé à Mons."
    assert all(a.page == 1 for a in activities)


def test_row_problems():
    assert row_problems("")[1] == "empty description"
    text, error, warnings = row_problems("Atelier " * 400)
    assert error is None and len(text) == 2000 and "truncated" in warnings[0]
    assert row_problems("Bijeenkomst van de leden van het cluster in Namen over de energie")[2][0].startswith(
        "text looks nl"
    )
    assert row_problems("Atelier de veille pour les membres du cluster")[2] == []


def test_find_column_french_variants():
    assert find_column(["N°", "Période", "Libellé de l'activité"], "description") == "Libellé de l'activité"
    assert find_column(["N°", "Période"], "date") == "Période"


def test_enrich_fills_partners_and_place(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("description\nMission à Montréal avec l'AWEX et le pôle Skywin.\n", encoding="utf-8")
    [activity] = enrich_activities(read_activities(path))
    assert activity.partners[:2] == ["AWEX", "Skywin"]
    assert activity.place == "Montréal"


def test_a_title_row_is_kept_as_the_caption(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Activités 2023 du Cluster Bois\ndescription,date\nAtelier façades,2023\nForum,2023\n", encoding="utf-8"
    )
    table = read_table(path)
    assert table.caption == "Activités 2023 du Cluster Bois" and table.columns == ["description", "date"]
