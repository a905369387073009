"""classify never overwrites its input: a human ``axes`` column comes out byte for byte, the
predictions go beside it; the list's own cluster is found from the option, column, title or file
name, else proposed; ``--evaluate`` compares the two columns of a classify output."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from miner.cli.app import app
from miner.tag.classify import classify_file, evaluate_file, write_output
from miner.tag.owncluster import name_in_text, resolve_own

HUMAN = ["1;4", " 6 ;1", "axe 2", "", "3,5", "=1"]
"""Odd but human cells: spaces, words, commas, empty, even a formula-looking one."""


def test_classify_of_a_file_with_axes_leaves_that_column_byte_identical(tmp_path):
    src = tmp_path / "liste.csv"
    lines = ["description,axes"] + [
        f'"Stand collectif des membres au salon Batibouw, édition {i}.","{h}"' for i, h in enumerate(HUMAN)
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = classify_file(src, cluster="Cluster Bois")
    assert [r["axes"] for r in result.rows] == HUMAN
    assert all(r["predicted_axes"] for r in result.rows)
    out = tmp_path / "out.csv"
    write_output(result, out, english=True)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["axes"] for r in rows[:5]] == HUMAN[:5]
    assert rows[5]["axes"] in ("=1", "'=1")  # a formula-looking cell is defused, never rewritten otherwise
    with open(out, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["description", "axes", "predicted_axes"] and "uncertain" in header


def test_evaluate_compares_the_human_and_the_predicted_columns(tmp_path):
    out = tmp_path / "checked.csv"
    out.write_text("description,axes,axes_predits\nA,1;4,1;4\nB,6,1\n", encoding="utf-8")
    metrics = evaluate_file(out)
    assert metrics["model_version"] == "in the file" and metrics["n"] == 2
    assert metrics["per_axis"]["1"]["fp"] == 1 and metrics["per_axis"]["6"]["fn"] == 1
    result = CliRunner().invoke(app, ["classify", "--evaluate", str(out)])
    assert result.exit_code == 0 and "micro-F1" in result.output


def test_own_cluster_from_option_column_title_file_name_or_most_frequent():
    texts = ["Forum annuel du Cluster TWEED.", "Atelier du Cluster TWEED et de l'AWEX."]
    assert resolve_own(texts, None, option="Cluster Bois").per_row == ["Cluster Bois"] * 2
    assert resolve_own(texts, ["Plastiwin", ""], caption="Activités 2023 du Cluster Bois").per_row == [
        "Plastiwin",
        "Cluster Bois",
    ]
    assert resolve_own(texts, None, caption="Activités 2023 du Cluster Bois").source == "title"
    by_name = resolve_own(texts, None, path="/x/activites_cluster-tweed_2023.csv")
    assert by_name.per_row == ["TWEED"] * 2 and by_name.source == "file name"
    guess = resolve_own(texts, None)
    assert guess.source == "most frequent" and guess.per_row[0] == "TWEED" and "TWEED" in guess.message
    assert name_in_text(
        "Rapport d'activités — Cluster Image & Récit 2022"
    ) == "Cluster Image & Récit 2022" or name_in_text("Rapport d'activités — Cluster Image & Récit 2022").startswith(
        "Cluster Image"
    )


def test_cli_cluster_option_keeps_the_own_forum_off_axis_5(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("description\nLe Cluster Nord organise son forum annuel pour ses membres.\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app, ["classify", str(src), "--cluster", "Cluster Nord", "--out", str(out), "--english"]
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert "5" not in row["predicted_axes"].split(";")
