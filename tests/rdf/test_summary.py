"""The summaries written at build time say what the document's graph holds, and conform."""

from __future__ import annotations

from collections import Counter

from evalfixture import shared_evaluation
from rdflib import Literal

from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.shacl import validate_graph
from miner.rdf.summary import add_summaries
from miner.rdf.vocab import MINER, PROV, RDF, SKOS, judgement_concept


def test_summary_counts_are_those_of_the_record():
    evaluation = shared_evaluation()
    g = build_evaluation_graph(evaluation, GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    (summary,) = g.subjects(RDF.type, MINER.EvaluationSummary)
    assert add_summaries.__module__ == "miner.rdf.summary"
    assert g.value(summary, MINER.constatCount) == Literal(len(evaluation.constats))
    criteria = sum(len(q.criteria) for q in evaluation.questions)
    assert g.value(summary, MINER.criterionCount) == Literal(criteria)
    assert str(g.value(summary, MINER.clusterLabel)) == evaluation.metadata.cluster
    parts = {int(g.value(p, MINER.questionNumber)): p for p in g.objects(summary, MINER.hasQuestionSummary)}
    assert sorted(parts) == [q.number for q in evaluation.questions]
    for question in evaluation.questions:
        part = parts[question.number]
        assert int(g.value(part, MINER.criterionCount)) == len(question.criteria)
        assert int(g.value(part, MINER.constatCount)) == sum(k.question == question.number for k in evaluation.constats)
        tallies = {
            g.value(t, MINER.judgement): int(g.value(t, MINER.criterionCount))
            for t in g.objects(part, MINER.hasJudgementTally)
        }
        expected = Counter(judgement_concept(c.judgement.value) for c in question.criteria if c.judgement)
        assert tallies == dict(expected)


def test_summaries_conform_to_their_shapes_and_a_wrong_count_is_reported():
    g = build_evaluation_graph(shared_evaluation(), GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    assert validate_graph(g).conforms
    (summary,) = g.subjects(RDF.type, MINER.EvaluationSummary)
    g.set((summary, MINER.constatCount, Literal("many")))
    report = validate_graph(g)
    assert not report.conforms and "constat count" in report.text()


def test_criterion_and_constat_summaries_carry_what_listing_queries_show():
    evaluation = shared_evaluation()
    g = build_evaluation_graph(evaluation, GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    criteria = {str(g.value(s, MINER.summaryNotation)): s for s in g.subjects(RDF.type, MINER.CriterionSummary)}
    assert sorted(criteria) == sorted(c.id for q in evaluation.questions for c in q.criteria)
    for question in evaluation.questions:
        for criterion in question.criteria:
            part = criteria[criterion.id]
            assert str(g.value(part, MINER.summaryTheme)) == criterion.theme
            level = judgement_concept(criterion.judgement.value) if criterion.judgement else None
            assert g.value(part, MINER.summaryJudgement) == level
            for fact_property in (SKOS.notation, MINER.judgement, MINER.page, MINER.theme):
                assert (part, fact_property, None) not in g  # a query for the facts' values finds no summary
            assert (part, MINER.cycle, None) not in g  # never taken for an observation
    constats = {int(g.value(s, MINER.summaryNotation)): s for s in g.subjects(RDF.type, MINER.ConstatSummary)}
    assert sorted(constats) == sorted(k.number for k in evaluation.constats)
    for constat in evaluation.constats:
        part = constats[constat.number]
        assert str(g.value(part, MINER.summaryText)) == constat.text
        assert g.value(part, MINER.text) is None  # a query for texts finds the constat, not its summary
        known = [i for i in constat.criteria if i in criteria]
        if len(known) > 0:
            assert int(g.value(part, MINER.criterionCount)) == len(set(known))
            ids = str(g.value(part, MINER.criterionIds)).split()
            assert sorted(ids) == sorted(set(known))
            assert ids == sorted(ids, key=lambda i: [int(p) for p in i.split(".")])  # reading order: 2.2 before 2.10
        else:
            assert g.value(part, MINER.criterionCount) is None


def test_a_criterion_summary_with_a_cycle_is_refused_by_its_shape():
    g = build_evaluation_graph(shared_evaluation(), GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    part = next(g.subjects(RDF.type, MINER.CriterionSummary))
    g.add((part, MINER.cycle, next(g.objects(None, MINER.cycle))))
    report = validate_graph(g)
    assert not report.conforms and "names no cycle IRI" in report.text()


def test_a_summary_under_a_facts_property_is_refused_by_its_shape():
    g = build_evaluation_graph(shared_evaluation(), GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    part = next(g.subjects(RDF.type, MINER.ConstatSummary))
    g.add((part, SKOS.notation, g.value(part, MINER.summaryNotation)))
    report = validate_graph(g)
    assert not report.conforms and "summaries' own properties" in report.text()


def test_row_summaries_carry_no_copy_of_their_documents_values():
    """The listings read the document's values once from the evaluation summary of the graph: a constat
    summary carries none of them, a criterion summary no file (its labels and date: pairing cycles
    reads them); the shapes refuse a copy put back."""
    g = build_evaluation_graph(shared_evaluation(), GraphSettings(generated_at="2025-01-01T00:00:00+00:00"))
    copies = (
        MINER.clusterLabel,
        MINER.cycleLabel,
        MINER.fileName,
        MINER.sha256,
        MINER.softwareVersion,
        PROV.startedAtTime,
    )
    for part in g.subjects(RDF.type, MINER.ConstatSummary):
        assert not [p for p in copies if (part, p, None) in g]
    for part in g.subjects(RDF.type, MINER.CriterionSummary):
        assert (part, MINER.fileName, None) not in g
        assert (part, MINER.clusterLabel, None) in g and (part, MINER.cycleLabel, None) in g
    (summary,) = g.subjects(RDF.type, MINER.EvaluationSummary)
    assert (summary, MINER.clusterLabel, None) in g and (summary, MINER.cycleLabel, None) in g
    constat = next(g.subjects(RDF.type, MINER.ConstatSummary))
    g.add((constat, MINER.sha256, Literal("0" * 64)))
    report = validate_graph(g)
    assert not report.conforms and "no copy of its document's values" in report.text()
