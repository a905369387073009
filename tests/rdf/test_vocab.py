"""vocab.py mirrors ontology/miner.ttl; IRIs are minted from content; the schemes are complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from miner.rdf import vocab
from miner.rdf.vocab import (
    AXIS_SCHEME,
    JUDGEMENT_ORDER,
    JUDGEMENT_SCHEME,
    MINER,
    PROVINCE_SCHEME,
    Minter,
    axis,
    judgement_concept,
    province_concept,
    slugify,
)
from miner.records import Judgement
from miner.store import query

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
NS = str(MINER._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for name in ("miner.ttl", "axes.ttl", "judgements.ttl", "provinces.ttl"):
        g.parse(ONTOLOGY / name)
    return g


def declared_terms(g: Graph) -> set[str]:
    return {str(s)[len(NS) :] for s in g.subjects() if str(s).startswith(NS)}


def test_vocab_mirrors_the_ontology(ontology):
    in_python = set(MINER.__annotations__)
    assert declared_terms(ontology) == in_python


def test_every_term_has_french_and_english_labels_and_a_comment(ontology):
    missing = []
    for term in declared_terms(ontology):
        iri = URIRef(NS + term)
        labels = {o.language for o in ontology.objects(iri, RDFS.label)} | {
            o.language for o in ontology.objects(iri, SKOS.prefLabel)
        }
        comments = {o.language for o in ontology.objects(iri, RDFS.comment)}
        if not {"fr", "en"} <= labels or not {"fr", "en"} <= comments:
            missing.append(term)
    assert missing == []


def test_classes_reuse_standard_vocabularies(ontology):
    assert (
        MINER.JudgementObservation,
        RDFS.subClassOf,
        URIRef("http://purl.org/linked-data/cube#Observation"),
    ) in ontology
    assert (MINER.Cycle, RDFS.subClassOf, URIRef("http://www.w3.org/2006/time#Interval")) in ontology
    assert (MINER.ExtractionRun, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in ontology
    assert (MINER.Evaluation, RDF.type, OWL.Class) in ontology


def test_misspelt_term_fails():
    with pytest.raises(AttributeError):
        MINER.Constatt  # noqa: B018


def test_six_axes_with_notation_label_definition(ontology):
    concepts = sorted(ontology.subjects(SKOS.inScheme, AXIS_SCHEME))
    assert [str(ontology.value(c, SKOS.notation)) for c in concepts] == ["1", "2", "3", "4", "5", "6"]
    for c in concepts:
        assert any(o.language == "fr" for o in ontology.objects(c, SKOS.prefLabel))
        assert any(o.language == "fr" for o in ontology.objects(c, SKOS.definition))
    assert axis(3) in concepts
    with pytest.raises(ValueError):
        axis(7)


def test_judgement_scale_order_matches_the_records(ontology):
    for level in Judgement:
        concept = judgement_concept(level.value)
        assert (concept, SKOS.inScheme, JUDGEMENT_SCHEME) in ontology
        assert ontology.value(concept, MINER.rank) == Literal(level.rank)
    ordered = Collection(ontology, ontology.value(JUDGEMENT_ORDER, SKOS.memberList))
    assert (JUDGEMENT_ORDER, RDF.type, SKOS.OrderedCollection) in ontology
    assert list(ordered) == [judgement_concept(level.value) for level in sorted(Judgement, key=lambda j: j.rank)]


def test_province_scheme_has_every_province_with_its_nuts_code(ontology):
    from miner.nlp.geography import BRUSSELS, PROVINCES

    concepts = set(ontology.subjects(SKOS.inScheme, PROVINCE_SCHEME))
    named = {str(next(o for o in ontology.objects(c, SKOS.prefLabel) if o.language == "fr")): c for c in concepts}
    assert set(named) == {*PROVINCES, BRUSSELS, "inconnu"}
    for name, concept in named.items():
        code = ontology.value(concept, SKOS.notation)
        assert concept == province_concept(name)
        assert (code is None) == (name == "inconnu")
        if code is not None:
            assert re.fullmatch(r"BE[123][0-9]", str(code)) and str(concept).endswith(str(code))


def test_slugs_and_iris_come_from_content():
    assert slugify("Equipe et méthodes d'animation") == "equipe-et-methodes-d-animation"
    assert slugify("") == "x"
    a, b = Minter("https://example.org/kg"), Minter("https://example.org/kg/")
    assert a.constat("Infopôle", "triennat-7", 3) == b.constat("Infopôle", "triennat-7", 3)
    assert str(a.constat("Infopôle", "triennat-7", 3)) == "https://example.org/kg/cluster/infopole/triennat-7/constat/3"
    assert str(Minter().criterion("gouvernance")).startswith(vocab.DEFAULT_BASE_IRI)
    with pytest.raises(ValueError):
        Minter("not an iri")


def test_query_prefixes_equal_vocab_prefixes():
    assert query.PREFIXES == vocab.PREFIXES


def test_queries_and_shapes_use_only_declared_terms(ontology):
    declared = declared_terms(ontology)
    used: set[str] = set()
    for path in list((ONTOLOGY / "queries").glob("*.rq")) + [ONTOLOGY / "shapes.ttl"]:
        if path.exists():
            used |= set(re.findall(r"\bminer:(\w+)", path.read_text(encoding="utf-8")))
    assert used - declared == set()
