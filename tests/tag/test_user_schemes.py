"""A user's own scheme (issue 26): trained from their labelled rows by ``miner retrain``, then used by
``classify --scheme FILE``; without a model, one line saying how to train one; its file loaded into
the store beside the ontology, owned as ontology from that file."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError, UsageError
from miner.store.owners import graph_owners
from miner.store.write import load_scheme_file
from miner.tag import schemes as sc
from miner.tag.classify import retrain
from miner.tag.scheme_training import labelled_rows
from miner.userdata import user_data_dir, user_model_dir

SCHEME = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/fibra/axes> a skos:ConceptScheme ; dcterms:identifier "fibra-2026" ;
    skos:prefLabel "Axes stratégiques de FIBRA"@fr ;
    skos:hasTopConcept <https://example.org/fibra/axes/filiere> , <https://example.org/fibra/axes/export> .
<https://example.org/fibra/axes/filiere> a skos:Concept ; skos:inScheme <https://example.org/fibra/axes> ;
    skos:notation "F" ; skos:prefLabel "Structurer la filière"@fr ;
    skos:definition "Relier producteurs, transformateurs et poseurs de fibres végétales."@fr .
<https://example.org/fibra/axes/export> a skos:Concept ; skos:inScheme <https://example.org/fibra/axes> ;
    skos:notation "X" ; skos:prefLabel "Exporter"@fr ; skos:prefLabel "Export"@en ;
    skos:definition "Faire vendre les membres hors de Wallonie."@fr .
"""
LABELLED = [
    ("Réunion des cultivateurs de lin et des transformateurs pour organiser la filière locale.", "F", "fibra"),
    ("Cartographie des producteurs de matériaux biosourcés de Wallonie.", "F", "fibra"),
    ("Groupe de travail entre poseurs et fabricants d'isolants en fibres végétales.", "F", "fibra"),
    ("Annuaire des entreprises de la filière lin remis à jour.", "F", "lina"),
    ("Rencontre entre agriculteurs et teillages pour sécuriser l'approvisionnement.", "F", "lina"),
    ("Atelier sur la structuration de la chaîne de valeur des fibres.", "F", "lina"),
    ("Stand collectif des membres au salon Batimat à Paris.", "X", "fibra"),
    ("Mission commerciale au Québec pour trois fabricants de panneaux de lin.", "X", "fibra"),
    ("Participation groupée à un salon de la construction durable à Munich.", "X", "lina"),
    ("Accueil d'acheteurs néerlandais chez les membres avec l'agence d'exportation.", "X", "lina"),
    ("Prospection de distributeurs en Allemagne pour les isolants des membres.", "X", ""),
    ("Catalogue export des produits biosourcés traduit en anglais.", "X", ""),
    ("Visite d'une filière française avec les cultivateurs wallons pour ouvrir un marché à l'export.", "F;X", ""),
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The scheme file, its labels, a list to tag, and MINER_HOME where `miner retrain` put the model."""
    root = tmp_path_factory.mktemp("user-scheme")
    scheme = root / "fibra.ttl"
    scheme.write_text(SCHEME, encoding="utf-8")
    labels = root / "labels.csv"
    with open(labels, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description", "fibra_2026", "cluster"])
        writer.writerows([f"f{i + 1}", t, c, g] for i, (t, c, g) in enumerate(LABELLED))
    listed = root / "liste.csv"
    listed.write_text(
        "description\n"
        "Salon international à Bruxelles avec un stand partagé pour vendre aux acheteurs étrangers.\n"
        "Réunion des transformateurs de lin pour organiser la filière wallonne.\n",
        encoding="utf-8",
    )
    home = root / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINER_HOME", str(home))
        untrained = CliRunner().invoke(app, ["classify", str(listed), "--scheme", str(scheme)])
        result = CliRunner().invoke(app, ["retrain", "--scheme", str(scheme), "--labels", str(labels)])
    assert result.exit_code == 0, result.output
    return scheme, labels, listed, home, untrained


def test_classify_without_a_model_for_the_scheme_says_how_to_train_one(trained):
    scheme, _, _, _, untrained = trained
    assert untrained.exit_code == 2
    lines = untrained.output.strip().splitlines()
    assert len(lines) == 1
    assert "no model for scheme fibra-2026" in lines[0]
    assert f"miner retrain --scheme {scheme} --labels" in lines[0]


def test_retrain_writes_the_model_and_classify_uses_it(trained, monkeypatch):
    scheme, _, listed, home, _ = trained
    monkeypatch.setenv("MINER_HOME", str(home))
    assert user_model_dir() == home / "models"
    pointer = home / "models" / "DEFAULT-fibra-2026"
    assert pointer.is_file() and (home / "models" / pointer.read_text().strip()).is_file()
    result = CliRunner().invoke(app, ["classify", str(listed), "--scheme", str(scheme), "--english"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(line for line in result.stdout.lstrip("\ufeff").splitlines() if line))
    assert [r["predicted_fibra_2026"] for r in rows] == ["X", "F"]
    assert set(rows[0]) >= set(sc.scheme_columns(sc.scheme_of(scheme)))
    assert rows[0]["fibra_2026_evidence"].startswith("concept X:")
    model = sc.load_scheme_model(scheme)
    assert model.scheme == "fibra-2026" and model.concepts == ["F", "X"]
    assert {e["cluster"] for e in model.examples} >= {"fibra", "lina"}  # the networks kept for the next retraining


def test_retraining_keeps_the_models_examples_and_lets_corrections_override(trained, monkeypatch, tmp_path):
    scheme, _, _, home, _ = trained
    monkeypatch.setenv("MINER_HOME", str(home))
    fixed = tmp_path / "fix.csv"
    fixed.write_text("description,fibra-2026\n" + LABELLED[0][0] + ",F;X\n", encoding="utf-8")
    path = retrain(str(scheme), [fixed], out_dir=tmp_path / "models")
    model = sc.SchemeModel.load(path, scheme="fibra-2026")
    by_text = {e["description"]: e["concepts"] for e in model.examples}
    assert len(model.examples) == len(LABELLED)
    assert by_text[LABELLED[0][0]] == "F;X"


def test_labels_of_a_concept_the_scheme_lacks_name_the_file_and_row(trained, tmp_path):
    scheme = trained[0]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("description,fibra_2026\nUn salon.,X\nUne réunion.,Z\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wrong\.csv: row 2: scheme fibra-2026 has no concept 'Z'"):
        labelled_rows(wrong, sc.scheme_of(scheme))
    unlabelled = tmp_path / "plain.csv"
    unlabelled.write_text("description\nUn salon.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'fibra_2026'"):
        labelled_rows(unlabelled, sc.scheme_of(scheme))


def test_a_user_scheme_may_not_take_a_shipped_name_nor_be_unknown(tmp_path):
    taken = tmp_path / "taken.ttl"
    taken.write_text(SCHEME.replace('"fibra-2026"', '"missions-2024"'), encoding="utf-8")
    with pytest.raises(InputError, match="taken by a scheme miner ships"):
        sc.scheme_of(taken)
    with pytest.raises(UsageError, match="or a SKOS Turtle file"):
        sc.schemes_for("missions-2031")
    assert sc.column_stem("missions-2024") == "missions"


def test_the_scheme_file_goes_beside_the_ontology_with_its_owner(trained, tmp_path):
    scheme = trained[0]
    store, graph = ox.Store(), "https://w3id.org/miner/id/graph/ontology/scheme/fibra-2026"
    assert load_scheme_file(store, graph, scheme) > 0
    owner = graph_owners(store)[graph]
    assert owner.kind == "ontology" and owner.input == scheme.resolve().as_uri()
    labels = {
        str(r["l"].value)
        for r in store.query("SELECT ?l WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }")
    }
    assert {"Structurer la filière", "Exporter", "Export"} <= labels
    assert load_scheme_file(store, graph, scheme) > 0  # the same file replaces it at the next build
    other = tmp_path / "other.ttl"
    other.write_text(SCHEME, encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.ttl: .* belongs to the concept scheme of file://"):
        load_scheme_file(store, graph, other)


def test_user_data_dir_follows_miner_home(monkeypatch, tmp_path):
    monkeypatch.setenv("MINER_HOME", str(tmp_path))
    assert user_data_dir() == tmp_path


def test_a_build_under_the_users_scheme_loads_it_beside_the_ontology(trained, monkeypatch, tmp_path):
    scheme, _, listed, home, _ = trained
    monkeypatch.setenv("MINER_HOME", str(home))
    activities = tmp_path / "activites-fibra.csv"
    activities.write_bytes(listed.read_bytes())
    store = tmp_path / "graphs" / "store"
    result = CliRunner().invoke(
        app,
        [
            "build",
            str(activities),
            "--store",
            str(store),
            "--cluster",
            "FIBRA",
            "--skip",
            "organisations,network,compare",
            "--scheme",
            str(scheme),
        ],
    )
    assert result.exit_code == 0, result.output
    opened = ox.Store(str(store))
    try:
        graph = "https://w3id.org/miner/data/graph/ontology/scheme/fibra-2026"
        assert graph_owners(opened)[graph].input == scheme.resolve().as_uri()
        served = {
            (str(r["l"].value), str(r["s"].value))
            for r in opened.query(
                "SELECT ?l ?s WHERE { GRAPH ?d { ?t <https://w3id.org/miner/ontology#concept> ?c ; "
                "<https://w3id.org/miner/ontology#scheme> ?s } "
                "GRAPH ?o { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER (lang(?l) = 'fr') } }"
            )
        }
    finally:
        del opened
    assert ("Exporter", "https://example.org/fibra/axes") in served  # SPARQL reads the user's labels
