"""One tagger per scheme (issue 26): ``classify --scheme both`` gives the axes and the missions
side by side with the crosswalk's verdict, never touching the input's columns; the missions model
tags hand-written activities; an unknown scheme is one error line naming the known ones."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import DEV_CSV
from typer.testing import CliRunner

from miner.cli.app import app
from miner.data.schemes import builtin_scheme
from miner.read.activities import read_table
from miner.tag import schemes as sc
from miner.tag.classify import classify_table


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """dev.csv tagged under both schemes by the CLI, English column names (one run for the module)."""
    out = tmp_path_factory.mktemp("both") / "out.csv"
    result = CliRunner().invoke(app, ["classify", str(DEV_CSV), "--scheme", "both", "--english", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_classify_both_schemes_on_dev_csv_gives_both_column_sets_and_keeps_the_input(both):
    with open(DEV_CSV, encoding="utf-8-sig", newline="") as handle:
        given = list(csv.reader(handle))
    header, rows = both[0], both[1:]
    width = len(given[0])
    assert header[:width] == given[0]
    assert [r[:width] for r in rows] == given[1:]  # every input cell as it was, in order
    for column in [
        "predicted_axes",
        "score_6",
        "evidence",
        "uncertain",
        *sc.scheme_columns("missions-2024"),
        sc.CROSSWALK_COLUMN,
    ]:
        assert column in header, column
    missions = [r[header.index("predicted_missions")] for r in rows]
    assert all(m and set(m.split(";")) <= {"1", "2", "3", "4"} for m in missions)
    assert all(r[header.index("missions_evidence")].startswith("mission ") for r in rows)
    # the crosswalk column says something exactly where the two tags disagree with the crosswalk
    for r in rows:
        axes = [int(a) for a in r[header.index("predicted_axes")].split(";")]
        found = [int(m) for m in r[header.index("predicted_missions")].split(";")]
        assert r[header.index(sc.CROSSWALK_COLUMN)] == sc.crosswalk_flags(axes, found)


def test_missions_tagger_on_hand_written_activities(tmp_path):
    texts = [
        "Stand collectif des membres au salon international de Hanovre, avec une campagne de presse sur le cluster.",
        "Accompagnement de trois PME membres dans le montage de leurs projets d'innovation et de R&D collaborative.",
        "Soirée de réseautage entre les membres et rencontre d'affaires avec les grands donneurs d'ordre.",
    ]
    path = tmp_path / "liste.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["description"], *([t] for t in texts)])
    table = read_table(path)
    result = classify_table(table, scheme="missions-2024", cluster="Cluster Bois")
    got = [set(r["predicted_missions"].split(";")) for r in result.rows]
    assert "3" in got[0] and "4" in got[1] and "2" in got[2], got
    assert "predicted_axes" not in result.columns  # one scheme asked, one set of columns
    assert result.by_scheme["missions-2024"][1].axes == [int(m) for m in sorted(got[1])]
    assert result.versions["missions-2024"] == sc.load_scheme_model("missions-2024").version


def test_unknown_scheme_is_one_line_listing_the_known_ones():
    result = CliRunner().invoke(app, ["classify", str(DEV_CSV), "--scheme", "missions-2027"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: unknown scheme 'missions-2027'")
    assert all(name in lines[0] for name in ("axes-2007", "missions-2024", "both"))


def test_model_file_names_its_scheme_and_concepts():
    model = sc.load_scheme_model("missions-2024")
    assert model.concepts == [c.notation for c in builtin_scheme("missions-2024").concepts]
    assert model.coef.shape[:2] == (1, 4) and model.thresholds.shape == (4,)
    with pytest.raises(Exception, match="not axes-2007"):
        sc.SchemeModel.load(sc.default_scheme_model_path("missions-2024"), scheme="axes-2007")


def test_graph_of_both_schemes_names_each_tags_scheme_and_concept(tmp_path):
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from miner.rdf.activities import schemes_graph
    from miner.rdf.vocab import MINER

    path = tmp_path / "liste.csv"
    path.write_text(
        'id,description\nA1,"Stand collectif de six membres au salon Batibouw, monté avec l\'AWEX."\n', encoding="utf-8"
    )
    result = classify_table(read_table(path), scheme="both", cluster="Cluster Bois")
    g = schemes_graph(result, "ab" * 32)
    tags = {
        (g.value(a, MINER.scheme), g.value(a, MINER.concept)) for a in g.subjects(RDF.type, MINER.ConceptAssignment)
    }
    for name in ("axes-2007", "missions-2024"):
        scheme = builtin_scheme(name)
        assert {(URIRef(scheme.iri), URIRef(c.iri)) for c in scheme.concepts} <= tags  # a scored tag per concept
    served = set(g.objects(None, MINER.servesConcept))
    chosen = result.rows[0]["predicted_missions"].split(";")
    assert {URIRef(builtin_scheme("missions-2024").concept(m).iri) for m in chosen} <= served


def test_evaluate_a_missions_gold_file(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "description,missions\n"
        '"Stand collectif des membres au salon international de Hanovre, avec une campagne de presse.",3\n'
        '"Cartographie des entreprises wallonnes de la filière et veille réglementaire pour les membres.",1\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["classify", "--evaluate", str(gold), "--scheme", "missions-2024", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["n"] == 2 and metrics["model_version"].startswith("missions-2024 ")
    assert metrics["per_axis"]["1"]["support"] == 1 and metrics["per_axis"]["3"]["support"] == 1
