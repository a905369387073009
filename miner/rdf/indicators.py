"""An objective contract's or evaluation's KPI table → ``qb:Observation``s with their provenance.

One observation per indicator and document (``miner:IndicatorObservation``, in the document's
``qb:DataSet`` of structure ``miner:indicatorStructure``): cluster, period, indicator, objective,
unit, target and achieved values, and the page and row it was read from (Web Annotation evidence,
as every fact of miner). A contract and its mid-term evaluation thus give two observations of the
same indicator, each saying which document states which value; queries join them by cluster,
period and indicator.
"""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import QB, RDF, RDFS, XSD

from miner.rdf.document import DocumentGraph, DocumentInfo
from miner.rdf.vocab import MINER, Minter
from miner.records import IndicatorTable

__all__ = ["indicators_graph"]


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.4f}".rstrip("0").rstrip("."), datatype=XSD.decimal)


def indicators_graph(
    table: IndicatorTable,
    *,
    minter: Minter | None = None,
    default_cluster: str = "unknown",
    generated_at: dt.datetime | str | None = None,
) -> Graph:
    """The named graph of one document's indicators."""
    m = minter or Minter()
    src = table.source
    b = DocumentGraph(
        m.graph(src.sha256),
        DocumentInfo(src.sha256, src.path, src.pages, src.title, table.fictitious, src.ocr),
        m,
        run=m.run(src.sha256),
        generated_at=generated_at,
    )
    g = b.g
    cluster_name = table.cluster or default_cluster
    cluster = m.cluster(cluster_name)
    g.add((cluster, RDFS.label, Literal(cluster_name)))
    dataset = URIRef(f"{m.document(src.sha256)}/indicators")
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, QB.structure, MINER.indicatorStructure))
    if table.kind:
        g.add((dataset, RDFS.label, Literal(f"{table.kind} {table.period or ''}".strip(), lang="fr")))
    for row in table.indicators:
        obs = m.indicator(src.sha256, row.objective, row.indicator)
        g.add((obs, RDF.type, MINER.IndicatorObservation))
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, dataset))
        g.add((obs, MINER.cluster, cluster))
        g.add((obs, MINER.indicator, Literal(row.indicator)))
        if table.period:
            g.add((obs, MINER.period, Literal(table.period)))
        if row.objective:
            g.add((obs, MINER.objective, Literal(row.objective)))
        if row.unit:
            g.add((obs, MINER.unit, Literal(row.unit)))
        for prop, value in ((MINER.targetValue, row.target), (MINER.achievedValue, row.achieved)):
            if value is not None:
                g.add((obs, prop, _decimal(value)))
        b.provenance(obs, evidence=m.evidence(obs), page=row.page, bbox=row.bbox, quote=row.quote)
    return g
