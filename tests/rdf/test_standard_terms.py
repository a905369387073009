"""Standard terms in the graphs: BCE numbers, types, addresses and provinces of members; the
miner: terms kept beside them are declared subproperties; the shapes check the new terms."""

from __future__ import annotations

import datetime as dt

import pytest
from evalfixture import load_shared
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS

from miner.data import ONTOLOGY
from miner.extract.members import Member, MemberList
from miner.rdf.organisations import member_list_graph
from miner.rdf.shacl import validate_store
from miner.rdf.vocab import ADMS, BCE_AGENCY, LOCN, MINER, ROV, province_concept
from miner.store.local import load_rdflib_graph, open_store, replace_graphs

CLUSTER, CYCLE = "INFOPOLE cluster TIC", "triennat-7"


def member(name, postal, municipality, province, bce, status="valid", region="Wallonie"):
    return Member(name, "PME", "PME", postal, municipality, province, region, dt.date(2020, 1, 1), bce, status, 2)


@pytest.fixture(scope="module")
def listed() -> Graph:
    members = [
        member("Alpha SRL", "4000", "Liège", "Liège", "0144.947.197"),
        member("Beta SA", "1000", "Bruxelles", None, None, "missing", "Bruxelles-Capitale"),
    ]
    return member_list_graph(
        MemberList("membres.csv", "a" * 64, members), CLUSTER, CYCLE, generated_at="2025-11-01T12:00:00Z"
    )


def test_bce_number_is_a_registered_identifier(listed):
    (alpha,) = listed.subjects(SKOS.prefLabel, Literal("Alpha SRL", lang="fr"))
    number = listed.value(alpha, ROV.registration)
    assert (number, RDF.type, ADMS.Identifier) in listed
    assert listed.value(number, SKOS.notation) == Literal("0144.947.197")
    assert listed.value(number, ADMS.schemaAgency) == Literal(BCE_AGENCY)
    assert set(listed.objects(alpha, ORG.classification)) == {MINER.SME}
    assert set(listed.objects(alpha, MINER.organisationType)) == {MINER.SME}  # its subproperty, kept


def test_seat_is_a_locn_address_and_the_province_a_concept(listed):
    (alpha,) = listed.subjects(SKOS.prefLabel, Literal("Alpha SRL", lang="fr"))
    address = listed.value(alpha, LOCN.address)
    assert (address, RDF.type, LOCN.Address) in listed
    assert (listed.value(address, LOCN.postCode), listed.value(address, LOCN.postName)) == (
        Literal("4000"),
        Literal("Liège"),
    )
    assert (
        listed.value(alpha, DCTERMS.spatial)
        == province_concept("Liège")
        == URIRef("https://w3id.org/miner/provinces/BE33")
    )
    (beta,) = listed.subjects(SKOS.prefLabel, Literal("Beta SA", lang="fr"))
    assert listed.value(beta, ROV.registration) is None and listed.value(beta, DCTERMS.spatial) is None
    assert listed.value(beta, MINER.region) == Literal("Bruxelles-Capitale")
    areas = set(listed.objects(None, MINER.refProvince))
    assert province_concept("Bruxelles-Capitale") in areas and all(isinstance(a, URIRef) for a in areas)


def test_kept_miner_terms_are_subproperties_of_the_standard_ones():
    ontology = Graph().parse(ONTOLOGY / "miner.ttl")
    assert (MINER.constatNumber, RDFS.subPropertyOf, SKOS.notation) in ontology
    assert (MINER.localId, RDFS.subPropertyOf, SKOS.notation) in ontology
    assert (MINER.organisationType, RDFS.subPropertyOf, ORG.classification) in ontology
    assert (
        MINER.refProvince,
        RDFS.subPropertyOf,
        URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea"),
    ) in ontology


def test_members_conform_and_broken_terms_are_reported(listed):
    store = load_shared(open_store(None))
    load_rdflib_graph(store, listed)
    report = validate_store(store)
    assert report.conforms, report.text()
    bad = URIRef("https://example.org/registration")
    obs = URIRef("https://example.org/obs")
    replace_graphs(
        store,
        {
            "https://example.org/graph/bad": [
                (URIRef("https://example.org/org"), ROV.registration, bad),
                (bad, SKOS.notation, Literal("12")),
                (obs, MINER.refProvince, Literal("Liège")),
            ]
        },
    )
    text = validate_store(store).text()
    assert "a registration has exactly one BCE number written 0123.456.789" in text
    assert "a registration names the register that issued it" in text
    assert "the province of an observation is a concept of the provinces scheme" in text
