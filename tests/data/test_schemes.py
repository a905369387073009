"""The 2007 axes, the 2024 missions and their crosswalk load and satisfy the scheme shapes; a user's
scheme file is read without code, and a broken one is refused in one line naming the file."""

from __future__ import annotations

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from miner.cli.app import app
from miner.data import schemes as sc
from miner.errors import InputError, UsageError

USER_SCHEME = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/chanvrelia/axes> a skos:ConceptScheme ; dcterms:identifier "chanvrelia-2025" ;
    skos:prefLabel "Axes stratégiques de CHANVRELIA"@fr ;
    skos:hasTopConcept <https://example.org/chanvrelia/axes/filiere> , <https://example.org/chanvrelia/axes/export> .
<https://example.org/chanvrelia/axes/filiere> a skos:Concept ; skos:inScheme <https://example.org/chanvrelia/axes> ;
    skos:notation "A" ; skos:prefLabel "Structurer la filière chanvre"@fr ;
    skos:definition "Relier cultivateurs, transformateurs et poseurs de matériaux biosourcés."@fr .
<https://example.org/chanvrelia/axes/export> a skos:Concept ; skos:inScheme <https://example.org/chanvrelia/axes> ;
    skos:notation "B" ; skos:prefLabel "Exporter"@fr ; skos:prefLabel "Export"@en ;
    skos:definition "Faire vendre les membres hors de Wallonie, par salons et missions."@fr .
"""


def violations(g: Graph) -> list[tuple[str, str]]:
    import pyshacl
    from rdflib.namespace import RDF, SH

    _, results, _ = pyshacl.validate(g, shacl_graph=Graph().parse(sc.SCHEME_SHAPES), inference="none")
    return sorted(
        (str(results.value(r, SH.resultSeverity)).rsplit("#")[-1], str(results.value(r, SH.resultMessage)))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    )


@pytest.mark.parametrize("name", sorted(sc.BUILTIN_SCHEMES))
def test_shipped_schemes_conform_without_even_a_warning(name):
    assert violations(Graph().parse(sc.BUILTIN_SCHEMES[name])) == []
    scheme = sc.load_scheme(sc.BUILTIN_SCHEMES[name])  # checked load
    assert all(c.label_fr and c.label_en and len(c.definition_fr) > 40 for c in scheme.concepts)


def test_the_two_decrees_schemes():
    axes, missions = sc.builtin_scheme("axes-2007"), sc.builtin_scheme("missions-2024")
    assert [c.notation for c in axes.concepts] == ["1", "2", "3", "4", "5", "6"]
    assert [c.iri for c in missions.concepts] == [f"https://w3id.org/miner/missions/{n}" for n in range(1, 5)]
    assert missions.concept(3).label_en == "Make the cluster and its members visible"
    with pytest.raises(UsageError, match="missions-2024 has no concept '5'"):
        missions.concept(5)
    with pytest.raises(UsageError, match="unknown scheme 'axes-2099'"):
        sc.scheme("axes-2099")


def test_crosswalk_conforms_and_links_every_axis_and_every_mission():
    g = Graph().parse(sc.CROSSWALK)
    for f in sc.BUILTIN_SCHEMES.values():
        g.parse(f)
    assert violations(g) == []
    links = sc.crosswalk()
    axes = {c.iri for c in sc.builtin_scheme("axes-2007").concepts}
    missions = {c.iri for c in sc.builtin_scheme("missions-2024").concepts}
    assert {m.source for m in links} == axes and {m.target for m in links} == missions
    assert all(m.note_fr and m.note_en for m in links)
    assert {m.relation for m in links} <= {"closeMatch", "broadMatch", "narrowMatch", "relatedMatch"}


def test_a_crosswalk_link_without_its_triple_or_its_reason_is_refused(tmp_path):
    g = Graph().parse(sc.CROSSWALK)
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    g.remove((URIRef("https://w3id.org/miner/axes/4"), SKOS.closeMatch, URIRef("https://w3id.org/miner/missions/3")))
    g.remove((URIRef("https://w3id.org/miner/crosswalks/axes-2007-missions-2024/a5-m2"), SKOS.note, None))
    messages = {m for _, m in violations(g)}
    assert messages == {
        "a crosswalk link is also asserted as its SKOS mapping triple",
        "a crosswalk link says why in French (skos:note with @fr)",
    }


def test_a_users_scheme_file_is_read_without_code(tmp_path):
    path = tmp_path / "chanvrelia.ttl"
    path.write_text(USER_SCHEME, encoding="utf-8")
    found = sc.schemes([path])
    assert list(found) == ["axes-2007", "missions-2024", "chanvrelia-2025"]
    user = found["chanvrelia-2025"]
    assert [(c.notation, c.label_fr, c.label_en) for c in user.concepts] == [
        ("A", "Structurer la filière chanvre", None),
        ("B", "Exporter", "Export"),
    ]
    assert sc.scheme(path) == user


@pytest.mark.parametrize(
    "broken, reason",
    [
        ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> a skos:ConceptScheme", "not readable Turtle"),
        (
            USER_SCHEME.replace('skos:definition "Relier', 'rdfs:comment "Relier').replace(
                "@prefix dcterms:", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix dcterms:"
            ),
            "not a valid concept scheme: <https://example.org/chanvrelia/axes/filiere>: a concept has a French definition",
        ),
        (USER_SCHEME.replace('"chanvrelia-2025"', '"Chanvrelia 2025"'), "exactly one short name"),
        (
            USER_SCHEME.replace('"chanvrelia-2025"', '"axes-2007"'),
            "scheme name 'axes-2007' is already taken by axes.ttl",
        ),
        (USER_SCHEME.replace('skos:notation "B"', 'skos:notation "A"'), "two concepts share a notation"),
    ],
)
def test_a_broken_users_scheme_is_one_line_naming_the_file(tmp_path, broken, reason):
    path = tmp_path / "mes-axes.ttl"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        sc.schemes([path])
    assert str(caught.value).startswith(f"{path}: ") and reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_miner_schemes_lists_them_and_refuses_a_broken_file(tmp_path):
    good, bad = tmp_path / "chanvrelia.ttl", tmp_path / "broken.ttl"
    good.write_text(USER_SCHEME, encoding="utf-8")
    bad.write_text(
        USER_SCHEME.replace(
            'skos:inScheme <https://example.org/chanvrelia/axes> ;\n    skos:notation "B"', 'skos:notation "B"'
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["schemes", "--scheme", str(good), "--crosswalk"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "missions-2024: Missions des clusters (décret de 2024) (4 concepts, missions.ttl)" in lines
    assert "chanvrelia-2025: Axes stratégiques de CHANVRELIA (2 concepts, chanvrelia.ttl)" in lines
    assert any(line.startswith("  axes-2007 4 closeMatch missions-2024 3: ") for line in lines)
    result = CliRunner().invoke(app, ["schemes", "--scheme", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {bad}: not a valid concept scheme")


def test_rows_whose_two_tags_disagree_with_the_crosswalk_are_flagged():
    axis = "https://w3id.org/miner/axes/{}".format
    mission = "https://w3id.org/miner/missions/{}".format
    assert sc.disagreements({axis(2), axis(6)}, {mission(2)}) == []
    assert sc.disagreements({axis(3)}, {mission(4)}) == []  # a related match is enough to agree
    assert sc.disagreements({axis(5)}, {mission(3)}) == [
        "axis 5 reaches none of the missions tagged",
        "mission 3 is reached by none of the axes tagged",
    ]
    assert sc.disagreements(set(), {mission(1)}) == []
