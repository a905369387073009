"""Each tag of an activity names its scheme and concept, under the 2007 axes or any other scheme,
and the graph satisfies the shapes (a concept of another scheme is refused)."""

from __future__ import annotations

from types import SimpleNamespace

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from miner.data import schemes as sc
from miner.rdf.activities import activities_graph
from miner.rdf.shacl import validate_graph
from miner.rdf.vocab import AXIS_SCHEME, MINER, MISSION_SCHEME, MISSIONS, axis
from miner.records import Activity

USER_SCHEME = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/chanvrelia/axes> a skos:ConceptScheme ; dcterms:identifier "chanvrelia-2025" ;
    skos:prefLabel "Axes stratégiques"@fr ;
    skos:hasTopConcept <https://example.org/chanvrelia/axes/filiere> , <https://example.org/chanvrelia/axes/export> .
<https://example.org/chanvrelia/axes/filiere> a skos:Concept ; skos:inScheme <https://example.org/chanvrelia/axes> ;
    skos:notation "1" ; skos:prefLabel "Filière"@fr ; skos:definition "Relier cultivateurs et transformateurs."@fr .
<https://example.org/chanvrelia/axes/export> a skos:Concept ; skos:inScheme <https://example.org/chanvrelia/axes> ;
    skos:notation "2" ; skos:prefLabel "Export"@fr ; skos:definition "Faire vendre les membres hors de Wallonie."@fr .
"""


def classified(rows: list[tuple[str, set[int]]], size: int, version: str = "test") -> SimpleNamespace:
    """What a tagger hands over: activities, and per row the scores (in the scheme's concept order)
    and the 1-based positions chosen."""
    activities = [Activity(id=key, description=f"Activité {key}", cluster="CHANVRELIA") for key, _ in rows]
    predictions = [
        SimpleNamespace(
            scores=[0.9 if n in chosen else 0.1 for n in range(1, size + 1)], axes=chosen, evidence="mots du texte"
        )
        for _, chosen in rows
    ]
    return SimpleNamespace(
        activities=activities, predictions=predictions, links=[[] for _ in rows], model_version=version
    )


def with_schemes(g: Graph) -> Graph:
    for path in (*sc.BUILTIN_SCHEMES.values(), sc.CROSSWALK):
        g.parse(path)
    return g


def test_axis_tags_name_the_axes_scheme_and_keep_the_axis_terms():
    g = activities_graph(classified([("a1", {2, 6})], 6), "a" * 64, path="activites.csv")
    act = next(g.subjects(RDF.type, MINER.ClusterActivity))
    tags = list(g.objects(act, MINER.conceptAssignment))
    assert len(tags) == 6 and set(g.objects(act, MINER.axisAssignment)) == set(tags)
    assert {g.value(t, MINER.scheme) for t in tags} == {AXIS_SCHEME}
    assert {g.value(t, MINER.concept) for t in tags} == {axis(n) for n in range(1, 7)}
    assert all(g.value(t, MINER.axis) == g.value(t, MINER.concept) for t in tags)
    assert set(g.objects(act, MINER.servesConcept)) == set(g.objects(act, MINER.servesAxis)) == {axis(2), axis(6)}


def test_mission_tags_name_the_missions_scheme_and_no_axis():
    g = activities_graph(
        classified([("m1", {4})], 4), "b" * 64, path="activites.csv", scheme=sc.builtin_scheme("missions-2024")
    )
    act = next(g.subjects(RDF.type, MINER.ClusterActivity))
    tags = list(g.objects(act, MINER.conceptAssignment))
    assert {g.value(t, MINER.scheme) for t in tags} == {MISSION_SCHEME}
    assert {g.value(t, MINER.concept) for t in tags} == {MISSIONS[str(n)] for n in range(1, 5)}
    assert str(tags[0]).startswith(f"{act}/tag/missions-2024/")
    assert set(g.objects(act, MINER.servesConcept)) == {MISSIONS["4"]}
    assert not list(g.objects(act, MINER.servesAxis)) and not list(g.subjects(RDF.type, MINER.AxisAssignment))
    assert validate_graph(with_schemes(g)).conforms


def test_a_users_scheme_tags_and_validates(tmp_path):
    path = tmp_path / "chanvrelia.ttl"
    path.write_text(USER_SCHEME, encoding="utf-8")
    user = sc.load_scheme(path)
    g = activities_graph(classified([("u1", {2})], 2), "c" * 64, path="activites.csv", scheme=user)
    act = next(g.subjects(RDF.type, MINER.ClusterActivity))
    assert set(g.objects(act, MINER.servesConcept)) == {URIRef("https://example.org/chanvrelia/axes/export")}
    g.parse(path)
    assert validate_graph(g).conforms


def test_a_tag_whose_concept_is_of_another_scheme_is_refused():
    g = activities_graph(classified([("a1", {1})], 6), "d" * 64, path="activites.csv")
    tag = next(g.subjects(MINER.concept, axis(1)))
    g.set((tag, MINER.concept, MISSIONS["1"]))
    report = validate_graph(with_schemes(g))
    assert not report.conforms
    assert any("a tag's concept belongs to the tag's scheme" in v.message for v in report.violations)
