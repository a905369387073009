"""Per-evaluation summaries, written at build time in the document's own graph.

Counting questions ("how many constats per evaluation", "how many criteria get each judgement per
question") asked over the whole store join and count every fact of every evaluation; on a million
quads that is most of their time, and it grows faster than the data. The builder knows the answer
for its document, so it writes it once: a ``miner:EvaluationSummary`` (cluster and cycle labels,
criteria judged, constats), a ``miner:QuestionSummary`` per question and a ``miner:JudgementTally``
per judgement given under a question. The saved queries read these, one resource per row.

Counts are read from the document's graph as built (distinct IRIs, as the queries counted them),
so a summary never says something its graph does not.
"""

from __future__ import annotations

from collections import Counter
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
    judged = {o for o in g.subjects(RDF.type, MINER.JudgementObservation)
              if (o, MINER.cluster, builder.cluster) in g and (o, MINER.cycle, builder.cycle_iri) in g}
    summary = m.summary(sha)
    builder.add(summary, RDF.type, MINER.EvaluationSummary)
    builder.add(summary, MINER.summarises, evaluation)
    for prop, label in labels:
        builder.add(summary, prop, label)
    builder.add(summary, MINER.criterionCount, _count(len(judged)))
    builder.add(summary, MINER.constatCount, _count(len(constats)))

    for question in sorted(g.objects(evaluation, MINER.hasQuestion)):
        number = g.value(question, MINER.questionNumber)
        if number is None:
            continue
        part = m.summary(sha, "question", str(number))
        builder.add(summary, MINER.hasQuestionSummary, part)
        builder.add(part, RDF.type, MINER.QuestionSummary)
        builder.add(part, MINER.summarises, question)
        builder.add(part, MINER.questionNumber, number)
        for text in g.objects(question, MINER.text):
            builder.add(part, MINER.text, text)
        for prop, label in labels:
            builder.add(part, prop, label)
        criteria = set(g.objects(question, MINER.hasCriterion))
        of_question = {k for k in g.subjects(MINER.question, question)
                       if (k, RDF.type, MINER.Constat) in g and g.value(k, SKOS.notation) is not None}
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
