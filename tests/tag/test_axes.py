"""Decree-axis tagging: the dev.csv floor, evidence, every row out, the CLI, retraining."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from conftest import DEV_CSV
from typer.testing import CliRunner

from miner.cli.app import app
from miner.tag import axes as ax
from miner.tag.classify import OUTPUT_COLUMNS, classify_file, evaluate_file, train_file, write_output
from miner.tag.output import output_columns

# Measured with the shipped model 20261207-3618e8b2 (issue 22, second pass: 703 real rows,
# thresholds on folds of whole clusters, a second stage over the head's scores and the nearest
# rows' axes; chosen by leave-one-network-out): micro-F1 0.791, macro-F1 0.787 on dev.csv's 28
# rows when trained with the rules as of the first merge of `rules`; retrained after the second
# merge (same recipe and rows, the rules' new verdicts), 0.814 / 0.818 (the previous model 0.828 /
# 0.818; one row is ~0.03 here); retrained again with `rules3` merged (issue 22, third pass),
# 0.818 / 0.804, and on their later commits 0.814 / 0.816; model 20261207-6f637b6a (rules4a, 4b, 4c merged, same
# recipe and rows): 0.844 / 0.844; model 20261207-2fcf8656 (rules5a, 5b merged, same recipe and rows):
# 0.828 / 0.827 (axis 1 gained four false positives); model 20261207-e3002400 (rules6a, 6b and the
# review's fixes merged, same recipe and rows): 0.828 / 0.827; model 20261207-582bd913 (rules7a, 7b and review7 merged):
# 0.824 / 0.826; model 20261207-d247037e (rules8a, 8b and review8 merged, and real.csv grown to 1,124 rows of
# 365 networks by a third labelled batch): 0.786 / 0.786, about a row and a half under the previous model, while
# held out network by network it gains on the 703 earlier rows (0.774 against 0.768): the floors came down from
# 0.81 to 0.77 with it (docs/classify-model.md, eighth pass); model 20261207-ec4d74a1 (rules9a and rules9b merged,
# same recipe and rows): 0.795 / 0.796, floors 0.78 / 0.78; model 20261207-f7e3736b (rules10a and rules10b too): the
# same 0.795 / 0.796; model 20261208-f7f36249 (rules11a and rules11b, real.csv less the 68 rows of France and
# Luxembourg: 1,056 rows of 346 networks): 0.819 / 0.814; model 20261208-fe2f922f (rules12a and rules12b too, chosen
# on the held-out real rows, 0.776 against 0.772): 0.795 / 0.796, floors 0.78 / 0.78 (one row here is ~0.03). The
# floors sit about half a row under the shipped model's figure (docs/classify-model.md).
MICRO_FLOOR = 0.78
MACRO_FLOOR = 0.78


@pytest.fixture(scope="session")
def model():
    return ax.load_model()


@pytest.fixture(scope="session")
def dev_metrics(shared, model):
    return evaluate_file(DEV_CSV)


def test_dev_floor(dev_metrics):
    assert dev_metrics["n"] == 28
    assert dev_metrics["micro_f1"] >= MICRO_FLOOR
    assert dev_metrics["macro_f1"] >= MACRO_FLOOR
    assert set(dev_metrics["per_axis"]) == {"1", "2", "3", "4", "5", "6"}


def test_predictions_carry_scores_and_evidence(model):
    [p] = ax.predict(
        model,
        # spaCy hangs "et l'AWEX" on "numérique", inside the cluster's name: the AWEX still takes the
        # cluster's role ("avec"), as a conjunct of that name (tag/facts.py)
        ["Webinaire d'échange de bonnes pratiques avec un cluster français du numérique et l'AWEX."],
        clusters=["Cluster Cyber Wallonie"],
    )
    assert 5 in p.axes and 6 in p.axes
    assert len(p.scores) == 6 and all(0 <= s <= 1 for s in p.scores)
    # the scores are the learned head's (0.5 its threshold); a settling rule may add an axis the head scored
    # under it (here axis 6 by R2/R7 with the model of 2026-12-08), and then the evidence names that rule
    assert all((s >= 0.5) == (a in p.head_axes) for a, s in zip(ax.AXES, p.scores))
    assert all(f"axe {a} : R" in p.evidence for a in set(p.axes) - set(p.head_axes))
    assert (
        ("autre cluster" in p.evidence or "R13" in p.evidence)
        and "AWEX" in p.evidence
        and "exemples proches: T" in p.evidence
    )


def test_own_cluster_is_not_another_cluster():
    [own, other] = ax.extract_features(
        ["Assemblée générale du cluster à Namur.", "Journée coorganisée avec le Cluster Bois & Habitat."],
        ["Cluster Eau Vive", "Cluster Eau Vive"],
    )
    assert own.other_clusters == []
    assert other.other_clusters == ["Cluster Bois & Habitat"]


def test_own_grappes_and_du_cluster_fire_no_axis_5_cue():
    own_groups, named, du_cluster, two = ax.extract_features(
        [
            "Organisation des réunions des quatre grappes thématiques du cluster, 60 membres.",
            "Forum co-organisé avec la grappe Foodtech Liège et la Chambre de commerce.",
            "Conférence annuelle du cluster pour les membres du cluster.",
            "Rencontre avec les membres de deux clusters flamands.",
        ],
        ["Cluster Alimentation Durable"] * 4,
    )
    assert own_groups.other_clusters == [] and own_groups.hits[5] == []
    assert named.other_clusters == ["grappe Foodtech Liège"] and "grappe" in named.hits[5]
    assert du_cluster.other_clusters == [] and du_cluster.hits[5] == []
    assert two.other_clusters and "clusters" in two.hits[5]


def test_event_formats_are_no_axis_1_cue():
    [f] = ax.extract_features(["Conférence et visite d'entreprise suivies de rendez-vous B2B."])
    assert {"conférence", "visite"} <= set(f.formats)
    assert not {"conférence", "visite"} & set(f.hits[1])
    assert f.hits[2]


def test_axis_6_bodies_by_role():
    partner, audience, university = ax.extract_features(
        [
            "Séminaire co-organisé avec le pôle Wagralim et le CETIC sur l'étiquetage.",
            "Séminaire ouvert aux entreprises membres du pôle Wagralim sur l'étiquetage.",
            "Projet de recherche de trois membres avec l'UCLouvain et le SPW.",
        ]
    )
    assert partner.synergy == ["Wagralim", "CETIC"] and partner.synergy_passive == []
    assert audience.synergy == [] and audience.synergy_passive == ["Wagralim"]
    assert university.synergy == [] and university.synergy_passive == []
    assert partner.role_counts()[0] > audience.role_counts()[0] == 0


def test_artefact_round_trip_and_size(model, tmp_path):
    path = model.save(tmp_path)
    assert path.name == f"axes-{model.version}.npz"
    again = ax.AxesModel.load(path)
    assert again.version == model.version and again.vocab == model.vocab
    assert np.allclose(again.coef, model.coef)
    assert ax.default_model_path().stat().st_size < 2_000_000


def test_every_input_row_comes_out(tmp_path, model):
    path = tmp_path / "in.csv"
    path.write_text(
        "ref;texte;cluster\n"
        "a;Stand collectif au salon Batibouw avec l'AWEX;Cluster Bois & Habitat\n"
        "b;   ;Cluster Bois & Habitat\n"
        "c;Networking event with the members of the cluster and their clients in Brussels;\n"
        f"d;{'Atelier de veille technologique pour les membres. ' * 60};\n",
        encoding="utf-8",
    )
    result = classify_file(path)
    assert [r["ref"] for r in result.rows] == ["a", "b", "c", "d"]
    assert result.rows[0]["predicted_axes"] and "6" in result.rows[0]["predicted_axes"].split(";")
    assert result.rows[1]["error"] == "empty description" and result.rows[1]["predicted_axes"] == ""
    assert "not French" in result.rows[2]["warning"] and result.rows[2]["predicted_axes"]
    assert "truncated" in result.rows[3]["warning"] and result.rows[3]["predicted_axes"]
    out = tmp_path / "out.csv"
    write_output(result, out)
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert list(rows[0]) == ["ref", "texte", "cluster", *output_columns(OUTPUT_COLUMNS)]


def test_cli_evaluate_json_and_bad_column(tmp_path, model):
    runner = CliRunner()
    gold = tmp_path / "gold.csv"  # not dev.csv: that file is read once, by the floor test
    gold.write_text(
        "description,axes\nStand collectif au salon Batibouw avec l'AWEX.,4;6\n"
        "Formation des membres aux marchés publics.,1;2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["classify", "--evaluate", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert {"micro_f1", "macro_f1", "per_axis"} <= set(metrics)
    path = tmp_path / "x.csv"
    path.write_text("when,what\n2020,Atelier\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(path)])
    assert result.exit_code == 1
    assert "'when', 'what'" in result.output


def test_cli_classify_xlsx_out(tmp_path, model):
    src = tmp_path / "in.csv"
    src.write_text("description\nMission économique au Maroc avec l'AWEX pour six membres.\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(app, ["classify", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["description", "axes_predits"]
    assert "4" in str(sheet.cell(2, 2).value).split(";")


@pytest.mark.long  # over 15 s on an idle machine: make test-long
def test_retrain_from_corrected_file_saves_a_new_version(tmp_path, model):
    corrected = tmp_path / "corrected.csv"
    corrected.write_text(
        "description,axes\n"
        "Hackathon de deux jours entre membres ayant donné naissance à trois prototypes communs.,1;3\n",
        encoding="utf-8",
    )
    path = train_file(corrected, out_dir=tmp_path)
    new = ax.AxesModel.load(path)
    assert new.version != model.version
    assert new.meta["training_examples"] == len(model.examples) + 1
    assert new.examples[0]["axes"] == "1;3"


def test_evaluate_sets_counts():
    m = ax.evaluate_sets([[1, 5], [6], [2]], [[1], [5, 6], [2]])
    assert m["per_axis"]["5"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1, "tp": 0, "fp": 1, "fn": 1}
    assert m["micro_f1"] == round(2 * 3 / (2 * 3 + 1 + 1), 4)


def test_pipeline_step_tags_activity_files(tmp_path, model):
    from miner.pipeline.context import RunContext
    from miner.pipeline.registry import get_step

    good = tmp_path / "activities-2023.csv"
    good.write_text("description\nMission économique au Maroc avec l'AWEX.\n", encoding="utf-8")
    bad = tmp_path / "activities-bad.csv"
    bad.write_text("when\n2020\n", encoding="utf-8")
    other = tmp_path / "members.csv"
    other.write_text("description\nx\n", encoding="utf-8")
    ctx = RunContext(inputs=[good, bad, other], store=tmp_path / "s", out=tmp_path, root=tmp_path)
    spec = get_step("miner.classify.v1")
    spec.func(ctx, spec.check_params({}))
    assert [a.description for a in ctx.activities] == ["Mission économique au Maroc avec l'AWEX."]
    assert ctx.activity_tags[0].rows[0]["predicted_axes"]
    assert [f.path for f in ctx.failures] == [str(bad)]
