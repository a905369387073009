"""Judgement changes across cycles: one ``miner:JudgementChange`` per criterion judged at another
level in a later evaluation of the same cluster, derived from two criterion summaries.

Listing the changed judgements over a whole store pairs every two criterion summaries of one cluster
and criterion, then sorts the pairs: at a million quads that was the slowest saved query (1.2 s).
The pairing is a fact of two documents, so no document's graph can hold it; the store derives it
into one graph per cluster (:meth:`miner.rdf.vocab.Minter.changes_graph`, named by each evaluation
summary's ``miner:changesGraph``) whenever a graph of that cluster is written or dropped
(:mod:`miner.store.derived`), and the saved query ``judgement_changes`` reads one resource per row.

A change is what the query defined before: the same cluster and criterion, an earlier evaluation
date, another judgement. It carries both judgements, the later summary's theme, ``prov:wasDerivedFrom``
its two summaries and ``miner:spans`` a ``miner:EvaluationSpan``: the later summary's cluster label,
both cycle labels and both dates, shared by every change between the same two evaluations (a
listing reads four values a row and a few thousand spans, not eight values a row: at a million
quads each value read for 21,000 rows is ~50 ms). Dates compare as SPARQL's ``<``
compares two literals of one datatype; literals of different datatypes are not ordered (no change).

A listing still paired four values of each change by hash (span, theme and both judgements: three
joins of 23,000 rows at a million quads, over half its time). A span therefore also names, with
``miner:changeKind``, each ``miner:ChangeKind`` its changes are of: a theme judged at one level, then
at another. A kind's IRI is made from those three values alone, beside the changes graphs
(:func:`change_kind`), so every changes graph names one kind by one IRI and the kinds of the whole
store are a few hundred; each graph repeats the values of the kinds it names (it stays whole when
it alone is rewritten). A listing then reads one triple a row and joins a few thousand spans and a
few hundred kinds.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import Literal, URIRef

from miner.rdf.shacl import rdflib_term
from miner.rdf.vocab import MINER, PROV, RDF
from miner.records import JudgedCriterion

__all__ = ["change_kind", "judgement_change_triples"]


def _date_key(term: Any) -> tuple[Any, Any] | None:
    """A literal as (datatype, value) for ordering it against another of its datatype (None: not a
    literal, or a language-tagged one, which SPARQL's ``<`` does not order)."""
    literal = rdflib_term(term)
    if not isinstance(literal, Literal) or literal.language:
        return None
    return literal.datatype, literal.toPython()


def _earlier(first: tuple[Any, Any] | None, second: tuple[Any, Any] | None) -> bool:
    """``first < second`` as SPARQL orders two literals of one datatype (dates: by value), on
    :func:`_date_key`'s keys."""
    if first is None or second is None or first[0] != second[0]:
        return False
    try:
        return bool(first[1] < second[1])
    except TypeError:  # a value its datatype does not parse (kept as the literal): not ordered
        return False


def _digest(terms: Iterable[Any]) -> str:
    """A short digest of terms as N-Triples writes them (language and datatype included)."""
    key = "\n".join(t.n3() if hasattr(t, "n3") else str(t) for t in terms)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def change_kind(graph: str, theme: Any, before: Any, after: Any) -> URIRef:
    """The ``miner:ChangeKind`` of ``theme`` judged ``before`` then ``after``: one IRI for the store,
    beside the changes graphs (under the parent of ``graph``, a changes graph), from those values alone.

    >>> kind = change_kind("https://e/graph/changes/c", "Gouvernance", "https://e/partiel", "https://e/atteint")
    >>> str(kind).startswith("https://e/graph/changes/kind/")
    True
    """
    return URIRef(f"{graph.rsplit('/', 1)[0]}/kind/{_digest((theme, before, after))}")


def _kinds(
    triples: list, written: set[Any], graph: str, span: URIRef, themes: Iterable[Any], before: Any, after: Any
) -> None:
    """Link ``span`` to the kind of each of ``themes`` judged ``before`` then ``after`` once, and write
    a kind's values the first time ``graph`` names it (into ``triples``; ``written``: kinds and links
    already there)."""
    for theme in themes:
        kind = change_kind(graph, theme, before, after)
        if kind not in written:
            written.add(kind)
            triples += [
                (kind, RDF.type, MINER.ChangeKind),
                (kind, MINER.kindTheme, theme),
                (kind, MINER.kindJudgementBefore, before),
                (kind, MINER.kindJudgementAfter, after),
            ]
        if (span, kind) not in written:
            written.add((span, kind))
            triples.append((span, MINER.changeKind, kind))


def _span(
    triples: list, spans: set[URIRef], graph: str, old: JudgedCriterion, new: JudgedCriterion, before: Any, after: Any
) -> URIRef:
    """The ``miner:EvaluationSpan`` of a change: the cluster label, cycle labels and dates of its two
    evaluations, shared by every change between them (written once, into ``triples``)."""
    values = [(MINER.clusterLabel, v) for v in new.cluster_labels]
    values += [(MINER.cycleLabelBefore, v) for v in old.cycle_labels]
    values += [(MINER.cycleLabelAfter, v) for v in new.cycle_labels]
    values += [(MINER.dateBefore, before), (MINER.dateAfter, after)]
    span = URIRef(f"{graph}/span/{_digest(term for pair in values for term in pair)}")
    if span not in spans:
        spans.add(span)
        triples.append((span, RDF.type, MINER.EvaluationSpan))
        triples += [(span, prop, value) for prop, value in values]
    return span


def judgement_change_triples(judged: Iterable[JudgedCriterion], graph: str) -> list[tuple[Any, Any, Any]]:
    """The triples of every change between the summaries ``judged`` (one cluster's), minted under
    ``graph`` (the cluster's changes graph) from what they pair, so a re-derivation gives the same IRIs.

    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> def judged(name, level, year):
    ...     return JudgedCriterion(URIRef(f"https://e/{name}"), (URIRef("https://e/c"),), (URIRef("https://e/k"),),
    ...         (URIRef(f"https://e/{level}"),), (Literal(f"{year}-01-01", datatype=XSD.date),), (Literal(name),),
    ...         (Literal("C"),), (Literal("Gouvernance"),))
    >>> triples = judgement_change_triples([judged("a", "partiel", 2019), judged("b", "atteint", 2022)], "https://e/g")
    >>> sorted(str(o) for s, p, o in triples if p == MINER.judgementBefore or p == MINER.judgementAfter)
    ['https://e/atteint', 'https://e/partiel']
    """
    judged = list(judged)
    groups: dict[tuple[Any, Any], list[JudgedCriterion]] = defaultdict(list)
    for summary in judged:
        for cluster in summary.clusters:
            for criterion in summary.criteria:
                groups[(cluster, criterion)].append(summary)
    changes: dict[tuple[Any, ...], set[Any]] = defaultdict(set)  # (earlier, later, judgements, dates) -> criteria
    keys = {date: _date_key(date) for summary in judged for date in summary.dates}
    for (_, criterion), summaries in groups.items():
        for old in summaries:
            for new in summaries:
                if not new.cluster_labels or not new.themes:  # a listed change shows the later ones
                    continue
                for before in old.judgements:
                    for after in new.judgements:
                        if before == after:
                            continue
                        for date_before in old.dates:
                            for date_after in new.dates:
                                if _earlier(keys[date_before], keys[date_after]):
                                    changes[(old, new, before, after, date_before, date_after)].add(criterion)
    triples: list[tuple[Any, Any, Any]] = []
    spans: set[URIRef] = set()
    kinds: set[Any] = set()
    for (old, new, before, after, date_before, date_after), criteria in changes.items():
        change = URIRef(f"{graph}/change/{_digest((old.summary, new.summary, before, after, date_before, date_after))}")
        span = _span(triples, spans, graph, old, new, date_before, date_after)
        triples += [
            (change, RDF.type, MINER.JudgementChange),
            (change, PROV.wasDerivedFrom, old.summary),
            (change, PROV.wasDerivedFrom, new.summary),
            (change, MINER.judgementBefore, before),
            (change, MINER.judgementAfter, after),
            (change, MINER.spans, span),
        ]
        triples += [(change, MINER.criterion, criterion) for criterion in criteria]
        triples += [(change, MINER.theme, theme) for theme in new.themes]
        _kinds(triples, kinds, graph, span, new.themes, before, after)
    return triples
