"""Indicators of the sample contract and mid-term evaluation in the graph: Data Cube observations
with cluster, period, target, achieved, unit, and their page as evidence; the graph conforms."""

from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib import Graph, Literal
from rdflib.namespace import QB, RDF

from miner.extract.indicators import extract_indicators
from miner.rdf.indicators import indicators_graph
from miner.rdf.shacl import validate_graph
from miner.rdf.vocab import MINER, OA

GENERATED_AT = "2026-12-06T00:00:00+00:00"


@pytest.fixture(scope="module")
def midterm():
    return extract_indicators(ROOT / "corpora/pdf/evaluation-mi-parcours-chanvrelia-2026.pdf")


def test_each_indicator_is_an_observation_with_its_values_and_page(midterm):
    g = indicators_graph(midterm, generated_at=GENERATED_AT)
    observations = sorted(g.subjects(RDF.type, MINER.IndicatorObservation))
    assert len(observations) == len(midterm.indicators) == 11
    (obs,) = [
        o
        for o in observations
        if g.value(o, MINER.indicator) == Literal("Part des revenus propres dans les recettes du cluster")
    ]
    assert (obs, RDF.type, QB.Observation) in g
    assert g.value(obs, MINER.targetValue).toPython() == 40 and g.value(obs, MINER.achievedValue).toPython() == 34
    assert str(g.value(obs, MINER.unit)) == "percent" and str(g.value(obs, MINER.period)) == "2024-2028"
    assert g.value(obs, MINER.page).toPython() == 2
    assert (
        str(g.value(g.value(obs, MINER.cluster), next(iter({p for p in g.predicates() if str(p).endswith("#label")}))))
        == "CHANVRELIA cluster des éco-matériaux"
    )
    evidence = g.value(obs, MINER.evidence)
    quotes = {str(g.value(s, OA.exact)) for s in g.objects(evidence, OA.hasSelector) if g.value(s, OA.exact)}
    assert quotes == {"Part des revenus propres dans les recettes du cluster | 34 % | 40 % | 85 %"}
    doc = g.value(obs, next(p for p in g.predicates() if str(p).endswith("wasDerivedFrom")))
    assert g.value(doc, MINER.fictitious) == Literal(True)


def test_the_graph_conforms_to_the_shapes(midterm):
    g = indicators_graph(midterm, generated_at=GENERATED_AT)
    for name in ("miner.ttl",):
        g.parse(ROOT / "ontology" / name)
    report = validate_graph(g)
    assert report.conforms, report.text()
    broken = Graph()
    for t in g:
        broken.add(t)
    obs = next(broken.subjects(RDF.type, MINER.IndicatorObservation))
    broken.add((obs, MINER.targetValue, Literal(99.0)))
    assert "an indicator has at most one target value (xsd:decimal)" in validate_graph(broken).text()
