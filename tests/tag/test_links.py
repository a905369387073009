"""Constat links: the knowledge-sharing webinar meets constat 19 of the shared Infopôle report."""

from __future__ import annotations

import pytest
from conftest import EVAL_EXPECTED

from miner.tag.classify import classify_file, load_constats
from miner.tag.links import LinkSettings, link, polarity, profile_constats

WEBINAR = "Webinaire d'échange de bonnes pratiques avec un cluster français du numérique sur l'animation de réseau."


@pytest.fixture(scope="session")
def constats(shared):
    return load_constats(EVAL_EXPECTED)


@pytest.fixture(scope="session")
def profiles(constats):
    return profile_constats(constats)


def test_expected_json_gives_the_29_constats(constats):
    assert [c.number for c in constats] == list(range(1, 30))
    assert constats[18].text.startswith("Seule une part minoritaire des membres")
    assert constats[18].question == 3 and constats[18].provenance.document


def test_knowledge_sharing_webinar_links_to_constat_19(profiles):
    [links] = link([WEBINAR], profiles)
    numbers = [l.number for l in links]
    assert 19 in numbers, [(l.number, l.score) for l in links]
    assert len(links) <= LinkSettings().top_k
    assert all(l.score >= LinkSettings().threshold for l in links)


def test_unrelated_activity_does_not_link_to_constat_19(profiles):
    [links] = link(["Stand collectif de six membres au salon Batibouw à Bruxelles."], profiles)
    assert 19 not in [l.number for l in links]


def test_constat_profiles_have_axes_and_polarity(profiles):
    by_number = {p.constat.number: p for p in profiles}
    assert by_number[19].polarity == "negative"
    assert by_number[14].polarity == "mixed"
    assert by_number[8].polarity == "positive"
    assert 5 in by_number[20].axes or 6 in by_number[20].axes


def test_polarity_cues():
    assert polarity("Les membres sont majoritairement satisfaits.") == "positive"
    assert polarity("La visibilité internationale reste faible.") == "negative"


def test_classify_fills_the_constats_column(tmp_path, shared):
    path = tmp_path / "a.csv"
    path.write_text(f"description\n{WEBINAR}\n", encoding="utf-8")
    result = classify_file(path, constats_path=EVAL_EXPECTED)
    assert "19" in result.rows[0]["constats"].split(";")


def test_activities_graph_has_assignments_links_and_provenance(tmp_path, shared, constats):
    from rdflib.namespace import PROV, RDF

    from miner.rdf.activities import activities_graph
    from miner.rdf.shacl import validate_graph
    from miner.rdf.vocab import MINER, OA, Minter, axis

    path = tmp_path / "a.csv"
    path.write_text(
        f"id,description,cluster\nA1,{WEBINAR},Cluster Cyber Wallonie\nA2,  ,Cluster Cyber Wallonie\n", encoding="utf-8"
    )
    result = classify_file(path, constats_path=EVAL_EXPECTED)
    m = Minter()
    iris = {c.number: m.constat("INFOPOLE cluster TIC", "triennat-7", c.number) for c in constats}
    g = activities_graph(result, "ab" * 32, path=path, constat_iris=iris, minter=m)
    act = m.activity("Cluster Cyber Wallonie", "A1")
    assert (act, RDF.type, MINER.ClusterActivity) in g
    assert (act, MINER.servesAxis, axis(5)) in g
    assert len(list(g.objects(act, MINER.axisAssignment))) == 6
    assert len(list(g.subjects(RDF.type, MINER.ClusterActivity))) == 1  # the empty row is not a fact
    notes = list(g.subjects(OA.hasTarget, act))
    assert any(str(o).endswith("/constat/19") for n in notes for o in g.objects(n, None))
    run = m.run("ab" * 32)
    assert len(list(g.objects(run, PROV.wasAssociatedWith))) == 2
    report = validate_graph(g)
    assert not [v for v in report.violations if "ctivit" in str(v) or "ssignment" in str(v)], report.violations
