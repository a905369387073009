"""Organisations of the shared report and atlas: found, typed, resolved to one IRI with variants;
member counts 149 (2011) and 183 (2025) with pages; Luxembourg at zero from its constat."""

from __future__ import annotations

import pytest

from miner.extract.organisations import (
    Mention,
    TextUnit,
    classify_name,
    find_mentions,
    find_organisation,
    fold_name,
    initials,
    resolve_mentions,
)

P = """PREFIX miner: <https://w3id.org/miner/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
DATA = "https://w3id.org/miner/data/"


@pytest.fixture(scope="module")
def store(report, atlas):
    from miner.rdf.vocab import Minter
    from miner.store.load import load_evaluations, load_organisations
    from miner.store.local import load_ontology, open_store

    evaluations = [report, atlas]
    handle = open_store(None)
    load_evaluations(handle, evaluations, generated_at="2025-01-01T00:00:00+00:00")
    load_organisations(handle, evaluations, generated_at="2025-01-01T00:00:00+00:00")
    load_ontology(handle, str(Minter().ontology_graph()))
    return handle


def select(store, text):
    from miner.store.local import run_query

    result = run_query(store, P + text)
    return [tuple(None if v is None else v.value for v in row) for row in result.rows]


def organisations(store):
    rows = select(
        store,
        """SELECT DISTINCT ?o ?type WHERE {
        ?o miner:organisationType/skos:prefLabel ?type . FILTER (lang(?type) = "fr") }""",
    )
    return {iri[len(DATA) :]: kind for iri, kind in rows}


def test_must_show_organisations_are_found_and_typed(store):
    found = organisations(store)
    assert {
        k: found.get(k)
        for k in [
            "organisation/kpmg",
            "organisation/service-public-de-wallonie",
            "organisation/awex",
            "cluster/infopole-cluster-tic",
            "cluster/twist",
            "organisation/ibm",
            "organisation/smals",
            "organisation/ulb-igeat",
            "organisation/cpdt",
        ]
    } == {
        "organisation/kpmg": "Consultant",
        "organisation/service-public-de-wallonie": "Organisme public",
        "organisation/awex": "Organisme public",
        "cluster/infopole-cluster-tic": "Cluster",
        "cluster/twist": "Cluster",
        "organisation/ibm": "Grande entreprise",
        "organisation/smals": "Grande entreprise",
        "organisation/ulb-igeat": "Centre de recherche",
        "organisation/cpdt": "Centre de recherche",
    }
    assert "Inconnu" not in found.values()


def test_one_iri_for_every_spelling_of_the_cluster(store):
    rows = select(
        store,
        """SELECT DISTINCT ?o WHERE { ?o miner:organisationType ?t ; skos:altLabel|skos:prefLabel|rdfs:label ?l .
        FILTER (CONTAINS(LCASE(STR(?l)), "infop")) }""",
    )
    assert rows == [(DATA + "cluster/infopole-cluster-tic",)]
    labels = {
        l
        for (l,) in select(
            store,
            f"""SELECT DISTINCT ?l WHERE {{
        <{DATA}cluster/infopole-cluster-tic> skos:altLabel ?l }}""",
        )
    }
    assert {"INFOPOLE cluster TIC", "Infopôle cluster TIC", "Infopôle Cluster TIC"} <= labels


def test_commissioner_variants_and_documents(store):
    spw = DATA + "organisation/service-public-de-wallonie"
    labels = {l for (l,) in select(store, f"SELECT DISTINCT ?l WHERE {{ <{spw}> skos:altLabel ?l }}")}
    assert {
        "SPW",
        "Direction des Réseaux d'Entreprises",
        "Service Public de Wallonie Economie Emploi Recherche, Direction des Réseaux d'Entreprises",
    } <= labels
    files = {f for (f,) in select(store, f"SELECT DISTINCT ?f WHERE {{ <{spw}> miner:mentionedIn/miner:fileName ?f }}")}
    assert files == {"evaluation-infopole-2025-synthese.pdf", "atlas-infopole-2011.pdf"}
    # the evaluation graph names the commissioner by its whole field: linked as the same organisation
    same = select(store, f"SELECT ?x WHERE {{ ?x <http://www.w3.org/2002/07/owl#sameAs> <{spw}> }}")
    assert same == [
        (DATA + "organisation/service-public-de-wallonie-economie-emploi-recherche-direction-des-reseaux-d",)
    ]


def test_member_counts_with_pages(store):
    rows = select(
        store,
        """SELECT DISTINCT ?cluster ?year ?n ?page WHERE {
        ?obs a miner:MemberCountObservation ; miner:cluster ?c ; miner:cycle ?y ; miner:memberCount ?n ;
             miner:page ?page .
        BIND (REPLACE(STR(?c), "^.*/", "") AS ?cluster) BIND (REPLACE(STR(?y), "^.*/", "") AS ?year) }
        ORDER BY ?cluster ?n""",
    )
    assert ("infopole-cluster-tic", "annee-2011", "149", "1") in rows
    assert ("infopole-cluster-tic", "triennat-7", "183", "3") in rows
    assert ("twist", "annee-2011", "89", "1") in rows


def test_luxembourg_has_zero_members_from_constat_4(store):
    rows = select(
        store,
        """SELECT ?n ?page ?source ?quote WHERE {
        ?obs a miner:ProvinceMemberCountObservation ; miner:refProvince <https://w3id.org/miner/provinces/BE34> ; miner:membersInProvince ?n ;
             miner:page ?page ; prov:wasQuotedFrom ?source ; miner:evidence/oa:hasSelector/oa:exact ?quote }""",
    )
    assert len(rows) == 1
    n, page, source, quote = rows[0]
    assert (n, page, source) == ("0", "3", DATA + "cluster/infopole-cluster-tic/triennat-7/constat/4")
    assert "province du Luxembourg" in quote and "aucun membre" in quote


def test_stated_relations(store):
    rows = select(
        store,
        """SELECT DISTINCT ?kind ?a ?b WHERE { ?r a miner:Partnership ; miner:relationKind ?kind ;
        miner:partner ?x , ?y . FILTER (STR(?x) < STR(?y))
        BIND (REPLACE(STR(?x), "^.*/", "") AS ?a) BIND (REPLACE(STR(?y), "^.*/", "") AS ?b) } ORDER BY ?kind""",
    )
    assert rows == [
        ("commande", "infopole-cluster-tic", "service-public-de-wallonie"),
        ("partenariat", "infopole-cluster-tic", "twist"),
        ("évaluation", "infopole-cluster-tic", "kpmg"),
    ]


# ---------------------------------------------------------------- resolution and types, by hand


def test_spellings_resolve_to_one_organisation():
    units = [
        TextUnit("L'Infopôle a rencontré Infopole et l'INFOPOLE cluster TIC.", 1),
        TextUnit("Le pôle GreenWin et Greenwin travaillent avec l'AWEX.", 2),
    ]
    index = resolve_mentions(find_mentions(units, "doc").mentions)
    assert sorted(index.organisations) == ["awex", "greenwin", "infopole cluster tic"]
    infopole = index.organisations["infopole cluster tic"]
    assert infopole.type == "cluster" and {"Infopôle", "Infopole", "INFOPOLE cluster TIC"} <= set(infopole.variants)
    assert index.organisations["greenwin"].type == "pôle de compétitivité"


def test_acronym_and_short_cluster_name_join_their_full_name():
    index = resolve_mentions(
        [
            Mention("Agence Fictive de Développement", "d"),
            Mention("AFD", "d"),
            Mention("CHANVRELIA cluster des éco-matériaux", "d", type="cluster"),
            Mention("CHANVRELIA", "d"),
        ],
        cluster="CHANVRELIA cluster des éco-matériaux",
    )
    assert sorted((o.name, o.type, o.variants) for o in index.organisations.values()) == [
        ("Agence Fictive de Développement", "organisme public", ["AFD"]),
        ("CHANVRELIA cluster des éco-matériaux", "cluster", ["CHANVRELIA"]),
    ]
    assert find_organisation(index, "afd").name == "Agence Fictive de Développement"


def test_untyped_organisations_are_unknown_with_a_warning():
    index = resolve_mentions(
        [Mention("Zorglub Vortex", "d"), Mention("Quux Holding Partners", "d"), Mention("Fibrex SRL", "d")]
    )
    assert index.unknown_count == 2
    assert index.warnings == [
        "2 organisation(s) could not be typed and are 'inconnu': Quux Holding Partners, Zorglub Vortex"
    ]


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Fibrex des Fagnes SRL", "entreprise"),
        ("Haute École fictive du Hainaut", "université ou école"),
        ("Centre de formation fictif Construform", "centre de formation"),
        ("Laboratoire fictif des fibres végétales", "centre de recherche"),
        ("Intercommunale fictive de l'Ardenne", "organisme public"),
        ("Union fictive des villes et communes", "association"),
        ("Cluster Habitat Durable", "cluster"),
        ("Fédération des entreprises", "fédération"),
        ("Atelier Méridien Conseil", "consultant"),
        ("PME", "PME"),
        ("grande entreprise", "grande entreprise"),
        ("Zorglub", "inconnu"),
    ],
)
def test_types_from_names(name, kind):
    assert classify_name(name) == kind


def test_fold_and_initials():
    assert fold_name("L’Infopôle  SRL") == fold_name("infopole") == "infopole"
    assert initials("Conférence Permanente du Développement Territorial") == "CPDT"


def test_type_concepts_and_cluster_iris():
    from miner.rdf.organisations import organisation_iri, type_concept
    from miner.rdf.vocab import MINER, Minter

    assert type_concept("PME") == MINER.SME
    assert type_concept("no such type") == type_concept("inconnu")
    minter = Minter()
    assert organisation_iri(minter, "twist", "cluster") == minter.cluster("twist")
    assert organisation_iri(minter, "ibm", "grande entreprise") == minter.organisation("ibm")


def test_organisations_found_in_workers_are_those_found_in_process(report, atlas):
    """The build finds each document's organisations in a forked worker (the step scales with
    --jobs); the index that comes back through JSON is the one found in process."""
    from miner.extract.organisations import organisations_of_evaluation, organisations_of_evaluations
    from miner.read.isolate import Limits

    inline = [organisations_of_evaluation(e) for e in (report, atlas)]
    assert organisations_of_evaluations([report, atlas], limits=Limits(jobs=2)) == [(i, None) for i in inline]
    assert inline[0].organisations and inline[0].relations
