"""Per-evaluation summaries, written at build time in the document's own graph.

Counting questions ("how many constats per evaluation", "how many criteria get each judgement per
question") asked over the whole store join and count every fact of every evaluation; on a million
quads that is most of their time, and it grows faster than the data. The builder knows the answer
for its document, so it writes it once: a ``miner:EvaluationSummary`` (cluster and cycle labels,
criteria judged, constats), a ``miner:QuestionSummary`` per question and a ``miner:JudgementTally``
per judgement given under a question. The saved queries read these, one resource per row.

Listing questions (every judgement with its cluster, cycle, date and file; every constat with its
question, page and provenance) return a row per fact, and each row joined five to ten resources
(observation, cluster, cycle, criterion, document, run) at one index lookup each. A
``miner:CriterionSummary`` per judgement observation and a ``miner:ConstatSummary`` per constat
carry the fact's own values, so a row is one resource; the document's values (cluster and cycle
labels, date, file, digest, run) are read once per document from the evaluation summary of the same
graph, joined on the graph, and are not copied onto each row's summary (a criterion summary keeps its
cluster and cycle labels and date: pairing cycles reads them, :mod:`miner.store.derived`). A
criterion summary names its cluster and criterion (to pair cycles) but never a cycle or question
IRI, so queries that find observations by their properties alone (``?o miner:judgement ?l ;
miner:cycle ?y``) do not take it for one. Their own values (id or number, page, theme, judgement,
question number) are under properties only these summaries carry (``miner:summaryNotation``, ``summaryPage``, ``summaryTheme``, ``summaryJudgement``,
``summaryQuestionNumber``, subproperties of the facts' ones): a listing reads each in one pass over
the summaries, not over every fact's values too (2 to 4 times as many at a million quads).

Counts are read from the document's graph as built (distinct IRIs, as the queries counted them),
so a summary never says something its graph does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef

from miner.rdf.vocab import DCTERMS, MINER, RDF, RDFS, SKOS, XSD

__all__ = ["add_summaries"]


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _labels(g: Graph, subject: URIRef) -> list[Any]:
    return sorted(g.objects(subject, RDFS.label))


def add_summaries(builder: Any) -> None:
    """Write the summaries of the evaluation ``builder`` (an evaluation graph's builder) has built."""
    g, m, evaluation = builder.g, builder.m, builder.evaluation
    sha = builder.info.sha256
    labels = [(MINER.clusterLabel, label) for label in _labels(g, builder.cluster)]
    labels += [(MINER.cycleLabel, label) for label in _labels(g, builder.cycle_iri)]
    constats = {k for k in g.subjects(RDF.type, MINER.Constat) if (k, DCTERMS.isPartOf, evaluation) in g}
    judged = {
        o
        for o in g.subjects(RDF.type, MINER.JudgementObservation)
        if (o, MINER.cluster, builder.cluster) in g and (o, MINER.cycle, builder.cycle_iri) in g
    }
    summary = m.summary(sha)
    builder.add(summary, RDF.type, MINER.EvaluationSummary)
    builder.add(summary, MINER.summarises, evaluation)
    for prop, label in labels:
        builder.add(summary, prop, label)
    builder.add(summary, MINER.criterionCount, _count(len(judged)))
    builder.add(summary, MINER.constatCount, _count(len(constats)))
    # where the store keeps this cluster's judgement changes across cycles (miner.rdf.changes)
    builder.add(summary, MINER.changesGraph, m.changes_graph(builder.cluster_name))
    _criterion_summaries(builder, judged, labels)
    _constat_summaries(builder, constats)

    for question in sorted(g.objects(evaluation, MINER.hasQuestion)):
        number = g.value(question, MINER.questionNumber)
        if number is None:
            continue
        part = _summary_of(builder, "question", str(number), MINER.QuestionSummary, question, labels)
        builder.add(summary, MINER.hasQuestionSummary, part)
        builder.add(part, MINER.questionNumber, number)
        for text in g.objects(question, MINER.text):
            builder.add(part, MINER.summaryText, text)
        criteria = set(g.objects(question, MINER.hasCriterion))
        of_question = {
            k
            for k in g.subjects(MINER.question, question)
            if (k, RDF.type, MINER.Constat) in g and g.value(k, SKOS.notation) is not None
        }
        builder.add(part, MINER.criterionCount, _count(len(criteria)))
        builder.add(part, MINER.constatCount, _count(len(of_question)))
        levels = Counter(g.value(o, MINER.judgement) for o in judged if (o, MINER.question, question) in g)
        for level, count in sorted((lv, n) for lv, n in levels.items() if lv is not None):
            tally = m.summary(sha, "question", str(number), str(level).rsplit("/", 1)[-1])
            builder.add(part, MINER.hasJudgementTally, tally)
            builder.add(tally, RDF.type, MINER.JudgementTally)
            builder.add(tally, MINER.questionNumber, number)
            builder.add(tally, MINER.judgement, level)
            builder.add(tally, MINER.criterionCount, _count(count))
            for prop, label in labels:
                builder.add(tally, prop, label)


def _copy(builder: Any, target: URIRef, source: Any, props: list[tuple[URIRef, URIRef]]) -> None:
    """Copy onto ``target`` every value ``source`` has in the graph, for each (from, to) property."""
    for prop, to in props:
        for value in sorted(builder.g.objects(source, prop)):
            builder.add(target, to, value)


def _summary_of(
    builder: Any, kind: str, key: str, cls: URIRef, subject: URIRef, labels: Iterable[tuple[URIRef, Any]] = ()
) -> URIRef:
    """A new summary of ``subject``: its IRI, class, what it summarises and the cluster and cycle
    labels (``labels``) the queries reading it without a join need."""
    part = builder.m.summary(builder.info.sha256, kind, key)
    builder.add(part, RDF.type, cls)
    builder.add(part, MINER.summarises, subject)
    for prop, label in labels:
        builder.add(part, prop, label)
    return part


def _criterion_summaries(builder: Any, judged: set[URIRef], labels: list[tuple[URIRef, Any]]) -> None:
    """One ``miner:CriterionSummary`` per judgement observation: what listing judgements shows, and
    the labels and date pairing cycles reads (:mod:`miner.store.derived`); no file name (the listing
    reads the document's)."""
    g = builder.g
    dates = sorted(g.objects(builder.evaluation, DCTERMS.date))
    for obs in sorted(judged):
        part = _summary_of(builder, "criterion", str(obs).rsplit("/", 1)[-1], MINER.CriterionSummary, obs, labels)
        _copy(
            builder,
            part,
            obs,
            [
                (MINER.cluster, MINER.cluster),
                (MINER.criterion, MINER.criterion),
                (SKOS.notation, MINER.summaryNotation),
                (MINER.judgement, MINER.summaryJudgement),
                (MINER.page, MINER.summaryPage),
            ],
        )
        for criterion in sorted(g.objects(obs, MINER.criterion)):
            _copy(builder, part, criterion, [(MINER.theme, MINER.summaryTheme)])
        for value in dates:
            builder.add(part, DCTERMS.date, value)


def _constat_summaries(builder: Any, constats: set[URIRef]) -> None:
    """One ``miner:ConstatSummary`` per constat: its number, question, text, page and the criteria it
    justifies (their count, and their ids in order). The document's values (cluster and cycle labels,
    file, digest, extraction run) are not copied: the listings read them once per document, from the
    evaluation summary of the constat summary's graph (about 75,000 quads fewer at a million)."""
    g, evaluation = builder.g, builder.evaluation
    for k in sorted(constats):
        part = _summary_of(builder, "constat", str(k).rsplit("/", 1)[-1], MINER.ConstatSummary, k)
        _copy(
            builder,
            part,
            k,
            [(SKOS.notation, MINER.summaryNotation), (MINER.text, MINER.summaryText), (MINER.page, MINER.summaryPage)],
        )
        for question in sorted(g.objects(k, MINER.question)):
            if (question, DCTERMS.isPartOf, evaluation) in g:
                _copy(builder, part, question, [(MINER.questionNumber, MINER.summaryQuestionNumber)])
        ids = sorted(
            {str(i) for obs in g.objects(k, MINER.justifies) for i in g.objects(obs, SKOS.notation)}, key=_id_order
        )
        justified = {obs for obs in g.objects(k, MINER.justifies) if g.value(obs, SKOS.notation) is not None}
        if justified:
            builder.add(part, MINER.criterionCount, _count(len(justified)))
            builder.add(part, MINER.criterionIds, Literal(" ".join(ids)))


def _id_order(identifier: str) -> tuple[Any, ...]:
    """Criterion ids ("2.10") in reading order: numerically part by part, text parts after."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in identifier.split("."))
