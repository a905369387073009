"""Records → RDF: content IRIs, one named graph per document, provenance on every fact."""

from __future__ import annotations

import datetime as dt

import pytest
from evalfixture import GENERATED_AT, shared_evaluation
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from miner.errors import InputError, UsageError
from miner.extract.cycles import Cycle, cycle_of_evaluation, infer_cycle, parse_cycle
from miner.extract.quantities import find_member_statements
from miner.rdf.document import pdf_fragment
from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.vocab import MINER, OA, PROV, judgement_concept
from miner.records import Evaluation, Metadata, SourceInfo

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return shared_evaluation()


@pytest.fixture(scope="module")
def graph(evaluation):
    return build_evaluation_graph(evaluation, GraphSettings(base_iri=BASE, generated_at=GENERATED_AT))


def test_named_graph_per_document(graph, evaluation):
    assert str(graph.identifier) == f"{BASE}graph/{evaluation.source.sha256}"


def test_no_blank_nodes_and_every_iri_under_the_base_or_a_vocabulary(graph):
    for triple in graph:
        assert not any(isinstance(term, BNode) for term in triple)
    subjects = {str(s) for s in graph.subjects()}
    assert all(s.startswith(BASE) for s in subjects)


def test_same_input_same_graph(evaluation, graph):
    again = build_evaluation_graph(evaluation, GraphSettings(base_iri=BASE, generated_at=GENERATED_AT))
    assert set(again) == set(graph)


def test_counts_of_the_shared_report(graph):
    assert len(set(graph.subjects(RDF.type, MINER.Constat))) == 29
    assert len(set(graph.subjects(RDF.type, MINER.Criterion))) == 18
    assert len(set(graph.subjects(RDF.type, MINER.JudgementObservation))) == 18
    assert len(set(graph.subjects(RDF.type, MINER.EvaluationQuestion))) == 5


def test_constat_iris_and_provenance(graph, evaluation):
    constat = URIRef(f"{BASE}cluster/infopole-cluster-tic/triennat-7/constat/13")
    assert graph.value(constat, MINER.constatNumber) == Literal(13)
    assert graph.value(constat, PROV.wasDerivedFrom) == URIRef(f"{BASE}document/{evaluation.source.sha256}")
    run = graph.value(constat, PROV.wasGeneratedBy)
    assert graph.value(run, PROV.startedAtTime).toPython() == dt.datetime.fromisoformat(GENERATED_AT)
    assert graph.value(run, MINER.softwareVersion) == Literal("0.1.0")
    page = graph.value(constat, MINER.page)
    assert page == Literal(evaluation.constats[12].pages[0])
    evidence = graph.value(constat, MINER.evidence)
    selectors = set(graph.objects(evidence, OA.hasSelector))
    kinds = {graph.value(s, RDF.type) for s in selectors}
    assert kinds == {OA.TextQuoteSelector, OA.FragmentSelector}
    quote = next(s for s in selectors if graph.value(s, RDF.type) == OA.TextQuoteSelector)
    assert str(graph.value(quote, OA.exact)) == evaluation.constats[12].text
    fragment = next(s for s in selectors if graph.value(s, RDF.type) == OA.FragmentSelector)
    assert str(graph.value(fragment, RDF.value)).startswith(f"page={page}")


def test_every_constat_has_page_and_document(graph):
    for constat in graph.subjects(RDF.type, MINER.Constat):
        assert graph.value(constat, MINER.page) is not None
        assert (graph.value(constat, PROV.wasDerivedFrom), RDF.type, MINER.SourceDocument) in graph


def test_merged_cell_constat_justifies_six_judgements(graph):
    constat = URIRef(f"{BASE}cluster/infopole-cluster-tic/triennat-7/constat/9")
    assert len(set(graph.objects(constat, MINER.justifies))) == 6


def test_judgement_is_a_cube_observation(graph):
    obs = URIRef(f"{BASE}cluster/infopole-cluster-tic/triennat-7/judgement/perennite")
    assert graph.value(obs, MINER.judgement) == judgement_concept("Partiel")
    assert graph.value(obs, MINER.criterion) == URIRef(f"{BASE}criterion/perennite")
    assert graph.value(obs, MINER.cycle) == URIRef(f"{BASE}cluster/infopole-cluster-tic/triennat-7")
    assert graph.value(obs, MINER.cluster) == URIRef(f"{BASE}cluster/infopole-cluster-tic")


def test_stated_member_count_with_page(graph, evaluation):
    counts = [(o, graph.value(o, MINER.memberCount)) for o in graph.subjects(MINER.memberCount, None)]
    assert [int(v) for _, v in counts] == [183]
    assert int(graph.value(counts[0][0], MINER.page)) == evaluation.questions[0].pages[-1]
    growth = [float(v) for v in graph.objects(None, MINER.memberGrowth)]
    assert growth == [50.0]


def test_cycle_inferred_and_overridable(evaluation):
    assert cycle_of_evaluation(evaluation) == Cycle("triennat", 7, 2025)
    g = build_evaluation_graph(
        evaluation, GraphSettings(base_iri=BASE, cycle="quadriennat-1", generated_at=GENERATED_AT)
    )
    cycles = set(g.subjects(RDF.type, MINER.Cycle))
    assert cycles == {URIRef(f"{BASE}cluster/infopole-cluster-tic/quadriennat-1")}


def test_cycle_inference_and_parsing():
    assert infer_cycle(["lors du prochain quadriennat", "pendant son 3e triennat"]) == Cycle("triennat", 3)
    assert infer_cycle(["rien"], year=2019).slug == "annee-2019"
    with pytest.raises(UsageError):
        parse_cycle("seventh")


def test_member_statements():
    assert [s.value for s in find_member_statements("Le cluster compte 1 250 membres.")] == [1250]
    assert find_member_statements("le nombre de membres a diminué de 12,5 %")[0].value == -12.5
    assert find_member_statements("50% des membres sont des PME") == []


def test_pdf_fragment():
    assert pdf_fragment(2) == "page=2"


def test_report_without_cluster_name_is_refused(evaluation):
    broken = evaluation.model_copy(update={"metadata": Metadata()})
    with pytest.raises(InputError, match="cluster"):
        build_evaluation_graph(broken)


def test_plain_document_keeps_only_its_source():
    doc = Evaluation(source=SourceInfo(path="atlas.pdf", sha256="0" * 64, pages=2), metadata=Metadata())
    g = build_evaluation_graph(doc, GraphSettings(base_iri=BASE, generated_at=GENERATED_AT))
    assert set(g.subjects(RDF.type, MINER.SourceDocument)) == {URIRef(f"{BASE}document/{'0' * 64}")}
    assert not set(g.subjects(RDF.type, MINER.Evaluation))


def test_quantities_hang_below_their_cycle():
    from rdflib import URIRef

    from miner.rdf.cycles import quantity_iri

    cycle = URIRef("https://w3id.org/miner/id/cluster/x/triennat-7")
    assert quantity_iri(cycle, "budget") == URIRef(f"{cycle}/quantity/budget")


def test_texts_carry_the_language_of_the_report(evaluation):
    """miner:text keeps each text in the report's language, like the labels: a French report's
    texts are @fr, the same records read from an English report are @en."""
    french = build_evaluation_graph(evaluation, GraphSettings(base_iri=BASE, generated_at=GENERATED_AT))
    texts = list(french.objects(None, MINER.text))
    assert texts and {t.language for t in texts} == {"fr"}
    english = evaluation.model_copy(update={"metadata": evaluation.metadata.model_copy(update={"language": "en"})})
    graph = build_evaluation_graph(english, GraphSettings(base_iri=BASE, generated_at=GENERATED_AT))
    assert {t.language for t in graph.objects(None, MINER.text)} == {"en"}
