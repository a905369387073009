"""Typed quantity observations: stated counts, changes and targets with quote and page; derived counts."""

from __future__ import annotations

from rdflib import Literal, URIRef

from miner.extract.quantities import derive_previous_count, find_quantities, quantities_of_evaluation
from miner.rdf.vocab import MINER, OA, PROV, RDF


def by(located, measure, status):
    return [q for q in located if q.statement.measure == measure and q.statement.status == status]


def test_shared_report_figures_with_quote_and_page(report):
    located = quantities_of_evaluation(report)
    [count] = by(located, "members", "actual")
    assert (count.statement.value, count.statement.unit, count.page) == (183, "count", 3)
    assert "183 membres" in count.statement.quote
    [growth] = by(located, "member_growth", "change")
    assert (growth.statement.value, growth.statement.unit, growth.page, growth.source, growth.number) == (
        50.0,
        "percent",
        2,
        "constat",
        1,
    )
    assert growth.statement.baseline == "previous-cycle"
    assert "augmenté de 50%" in growth.statement.quote
    [target] = by(located, "revenue_share", "target")
    assert (target.statement.value, target.statement.unit, target.statement.what, target.page) == (
        40.0,
        "percent",
        "revenus non liés aux subsides",
        9,
    )
    assert "objectif d'atteindre 40%" in target.statement.quote


def test_derived_earlier_count(report):
    derived = derive_previous_count(quantities_of_evaluation(report))
    assert derived.value == 122  # 183 / 1.5
    assert derived.quantity.status == "derived" and derived.quantity.baseline == "previous-cycle"


def test_atlas_149_entities_page_1(atlas):
    located = quantities_of_evaluation(atlas)
    counts = {(q.statement.value, q.statement.subject, q.page) for q in by(located, "members", "actual")}
    assert (149, "Infopôle cluster TIC", 1) in counts
    assert (89, "TWIST", 1) in counts  # read, but about another cluster: never stored for Infopôle


def test_graph_holds_the_figures(report, atlas):
    from miner.rdf.evaluation import GraphSettings, build_evaluation_graph

    settings = GraphSettings(base_iri="https://example.org/", generated_at="2025-01-01T00:00:00+00:00")
    g = build_evaluation_graph(report, settings)
    growth = next(g.subjects(MINER.measure, Literal("member_growth")))
    assert g.value(growth, MINER.value) == Literal("50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))
    assert int(g.value(growth, MINER.page)) == 2
    assert g.value(growth, MINER.baselineCycle) == URIRef("https://example.org/cluster/infopole-cluster-tic/triennat-6")
    derived = [o for o in g.subjects(MINER.status, Literal("derived"))]
    assert len(derived) == 1 and g.value(derived[0], MINER.derived) == Literal(True)
    assert float(g.value(derived[0], MINER.value)) == 122
    assert g.value(derived[0], MINER.cycle) == URIRef("https://example.org/cluster/infopole-cluster-tic/triennat-6")
    assert len(list(g.objects(derived[0], PROV.wasDerivedFrom))) == 3  # the count, the change, the document
    target = next(g.subjects(MINER.status, Literal("target")))
    assert float(g.value(target, MINER.value)) == 40 and int(g.value(target, MINER.page)) == 9

    a = build_evaluation_graph(atlas, settings)
    [obs] = list(a.subjects(RDF.type, MINER.MemberCountObservation))
    assert int(a.value(obs, MINER.memberCount)) == 149 and int(a.value(obs, MINER.page)) == 1
    assert int(a.value(obs, MINER.referenceYear)) == 2011
    assert a.value(obs, MINER.cluster) == URIRef("https://example.org/cluster/infopole-cluster-tic")
    quote = a.value(a.value(obs, MINER.evidence), OA.hasSelector)
    assert quote is not None


def test_amounts_and_decreases():
    [amount] = [
        q for q in find_quantities("Le budget atteint 1,5 million d'euros en 2024.") if q.measure == "amount"
    ] or [None]
    assert amount is None or amount.value == 1_500_000
    [q] = find_quantities("Un budget de 250 000 € est prévu.")
    assert (q.measure, q.value, q.unit) == ("amount", 250000.0, "EUR")
    [d] = find_quantities("le nombre de membres a diminué de 12,5 % par rapport à 2020")
    assert (d.value, d.baseline) == (-12.5, "2020")
