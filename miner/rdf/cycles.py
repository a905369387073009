"""Cycle details and stated quantities → triples of a document's named graph.

Called by :func:`miner.rdf.evaluation.build_evaluation_graph` on its builder, after the questions and
constats: the cycle's period (OWL-Time instants), where the cycle came from and what contradicts it
(``miner:cycleSource``, ``miner:cycleConflict``), every figure of :mod:`miner.extract.quantities` as a
``miner:QuantityObservation`` with its quote and page, and the member count of the previous cycle
derived from a stated count and change (``miner:derived true``). For a document without questions
(the 2011 atlas) only its stated member counts are kept, under the cluster the sentence names.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Literal, URIRef

from miner.extract.cycles import Cycle, cycle_inference_of_evaluation
from miner.extract.quantities import LocatedQuantity, derive_previous_count, quantities_of_evaluation
from miner.nlp.text import fold_words
from miner.rdf.vocab import DCTERMS, MINER, ORG, PROV, QB, RDF, RDFS, SKOS, TIME, XSD, slugify

__all__ = ["add_cycle_details", "add_quantities", "add_document_figures", "quantity_iri"]

_TITLE_YEAR = re.compile(r"\ben\s+((?:19|20)\d\d)\b")


def _hyphenated(text: str) -> str:
    """Accent- and case-free words joined by hyphens, not shortened (unlike a slug)."""
    return "-" + fold_words(text).replace(" ", "-") + "-"


def quantity_iri(cycle_iri: URIRef, key: str) -> URIRef:
    """Stated quantities hang below their cycle: ``<cycle>/quantity/<key>``."""
    return URIRef(f"{cycle_iri}/quantity/{key}")


def add_cycle_details(b: Any) -> None:
    """Period, source and conflicts of the evaluation's cycle."""
    found = b.found
    b.add(b.evaluation, MINER.cycleSource, found.source)
    for conflict in found.conflicts:
        b.add(b.evaluation, MINER.cycleConflict, conflict)
    for conflict in found.conflicts_fr:  # the French report's wording of the same conflicts
        b.add(b.evaluation, MINER.cycleConflict, Literal(conflict, lang="fr"))
    for which, day, prop in (("start", found.cycle.start, TIME.hasBeginning), ("end", found.cycle.end, TIME.hasEnd)):
        if day is None:
            continue
        instant = URIRef(f"{b.cycle_iri}/{which}")
        b.add(b.cycle_iri, prop, instant)
        b.add(instant, RDF.type, TIME.Instant)
        b.add(instant, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date))


def _add_quantity(
    b: Any, obs: URIRef, located: LocatedQuantity, cluster: URIRef, cycle_iri: URIRef, previous: URIRef | None
) -> None:
    q = located.statement
    b.add(obs, RDF.type, MINER.QuantityObservation)
    b.add(obs, RDF.type, QB.Observation)
    b.add(obs, MINER.cluster, cluster)
    b.add(obs, MINER.cycle, cycle_iri)
    b.add(obs, MINER.measure, q.measure)
    if q.what:
        b.add(obs, MINER.measureDetail, q.what)
    b.add(obs, MINER.value, Literal(f"{q.value:g}", datatype=XSD.decimal))
    b.add(obs, MINER.unit, q.unit)
    b.add(obs, MINER.status, q.status)
    if q.year:
        b.add(obs, MINER.referenceYear, Literal(q.year, datatype=XSD.integer))
    if q.baseline:
        b.add(obs, MINER.baseline, q.baseline)
        if q.baseline == "previous-cycle" and previous is not None:
            b.add(obs, MINER.baselineCycle, previous)


def add_quantities(b: Any) -> None:
    """Every stated figure of an evaluation, and the derived count of the previous cycle."""
    c, y = b.cluster_name, b.cycle.slug
    previous_cycle = b.cycle.previous()
    previous = b.m.cycle(c, previous_cycle.slug) if previous_cycle else None
    located = quantities_of_evaluation(b.ev)
    iris: dict[str, URIRef] = {}
    for item in located:
        if item.statement.subject and slugify(item.statement.subject) != slugify(c):
            continue  # a figure about another cluster
        member = item.statement.measure in ("members", "member_growth") and item.source != "block"
        obs = b.m.member_count(c, y, item.key) if member else quantity_iri(b.cycle_iri, item.key)
        iris[item.key] = obs
        _add_quantity(b, obs, item, b.cluster, b.cycle_iri, previous)
        if not member:
            source = b.m.constat(c, y, item.number) if item.source == "constat" else b.m.question(c, y, item.number)
            b.add(obs, PROV.wasQuotedFrom, source)
            b.fact(obs, None, [item.page] if item.page else [], item.statement.quote)
    derived = derive_previous_count(located)
    if derived is None or previous_cycle is None or previous is None:
        return
    b.declare_cycle(b.cluster, previous_cycle, previous)
    obs = quantity_iri(b.cycle_iri, "derived-previous-members")
    b.add(obs, RDF.type, MINER.QuantityObservation)
    b.add(obs, RDF.type, QB.Observation)
    b.add(obs, MINER.cluster, b.cluster)
    b.add(obs, MINER.cycle, previous)
    b.add(obs, MINER.measure, "members")
    b.add(obs, MINER.measureDetail, "membres")
    b.add(obs, MINER.value, Literal(derived.value, datatype=XSD.decimal))
    b.add(obs, MINER.unit, "count")
    b.add(obs, MINER.status, "derived")
    b.add(obs, MINER.derived, Literal(True))
    b.add(obs, MINER.baseline, "previous-cycle")
    b.add(
        obs,
        RDFS.comment,
        Literal(
            f"{derived.count.statement.value:g} / (1 {'+' if derived.growth.statement.value >= 0 else '−'} "
            f"{abs(derived.growth.statement.value):g} %) ≈ {derived.value}",
            lang="fr",
        ),
    )
    for part in (derived.count, derived.growth):
        b.add(obs, PROV.wasDerivedFrom, iris[part.key])
    b.fact(obs, None, [], None)


def add_document_figures(b: Any) -> None:
    """Member counts stated by a document that is not an evaluation (an atlas, a brochure).

    The cluster is the one the sentence names ("149 entités constituent le cluster « X »"), kept
    only when the document's title or first heading names it too; the period is the year of the
    title ("... en 2011"), else the year of the sentence.
    """
    ev = b.ev
    headings = " ".join(
        [ev.metadata.title or "", ev.source.title or ""] + [bl.text for bl in ev.blocks[:3] if bl.kind == "heading"]
    )
    title_words = _hyphenated(headings)
    match = _TITLE_YEAR.search(headings)
    title_year = int(match.group(1)) if match else None
    # the text's own cycle: the one the graph was given when no --cycle replaced it
    ordinal = b.found.cycle if not b.settings.cycle else cycle_inference_of_evaluation(ev).cycle
    for item in quantities_of_evaluation(ev):
        q = item.statement
        if q.measure != "members" or not q.subject or _hyphenated(q.subject) not in title_words:
            continue
        year = title_year or q.year
        cycle = ordinal if ordinal.ordinal is not None else Cycle("annee", None, year)
        cluster = b.m.cluster(q.subject)
        b.add(cluster, RDF.type, ORG.OrganizationalCollaboration)
        b.add(cluster, SKOS.altLabel, Literal(q.subject, lang="fr"))
        cycle_iri = b.m.cycle(q.subject, cycle.slug)
        b.declare_cycle(cluster, cycle, cycle_iri)
        obs = b.m.member_count(q.subject, cycle.slug, item.key)
        b.add(obs, RDF.type, MINER.MemberCountObservation)
        b.add(obs, MINER.memberCount, Literal(int(q.value), datatype=XSD.integer))
        _add_quantity(b, obs, item, cluster, cycle_iri, None)
        if year and not q.year:
            b.add(obs, MINER.referenceYear, Literal(year, datatype=XSD.integer))
        b.add(b.doc, MINER.cluster, cluster)
        b.fact(obs, None, [item.page] if item.page else [], q.quote)
        b.g.remove((obs, DCTERMS.isPartOf, b.evaluation))  # a plain document has no evaluation
