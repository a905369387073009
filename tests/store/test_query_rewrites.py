"""Saved queries rewritten for speed answer what their plain form answers, row for row and in order.

The plain forms below are the meaning (each pattern once, joined inside one document's graph); the
saved texts reorder or split those joins so the on-disk store reads each property once instead of
looking it up per row (bench/bench_queries.py measures both). The store holds several clusters and
cycles, judgements shuffled, so a join that crossed documents or lost a row would show.
"""

from __future__ import annotations

import random

import pytest
from evalfixture import GENERATED_AT, evaluation_from_expected

from miner.records import Judgement
from miner.store.local import open_store, run_query, run_query_tsv
from miner.store.query import saved_queries

PREFIXES = """PREFIX miner: <https://w3id.org/miner/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX judgement: <https://w3id.org/miner/judgements/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

PLAIN = {
    "count_constats": """
SELECT ?cluster ?cycle (MAX(?n) AS ?constats)
WHERE {
  ?summary a miner:EvaluationSummary ; miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle ; miner:constatCount ?n .
  FILTER (?n > 0)
}
GROUP BY ?cluster ?cycle
ORDER BY ?cluster ?cycle""",
    "count_criteria": """
SELECT ?cluster ?cycle (MAX(?n) AS ?criteria)
WHERE {
  ?summary a miner:EvaluationSummary ; miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle ; miner:criterionCount ?n .
  FILTER (?n > 0)
}
GROUP BY ?cluster ?cycle
ORDER BY ?cluster ?cycle""",
    "evaluations": """
SELECT DISTINCT ?cluster ?cycle ?kind ?ordinal ?date ?evaluator ?file ?pages
WHERE {
  GRAPH ?g {
    ?evaluation a miner:Evaluation ; miner:evaluatedCluster ?c ; miner:cycle ?y ; prov:wasDerivedFrom ?document .
    ?c rdfs:label ?cluster .
    ?y rdfs:label ?cycle ; miner:cycleKind ?kind .
    OPTIONAL { ?evaluation dcterms:date ?date }
    OPTIONAL { ?evaluation prov:wasAttributedTo ?firm . ?firm skos:prefLabel ?evaluator }
    ?document miner:fileName ?file ; miner:pageCount ?pages .
  }
  OPTIONAL { GRAPH ?g { ?y miner:ordinal ?ordinal } }
}
ORDER BY ?cluster ?date""",
    "partial_criteria": """
SELECT DISTINCT ?cluster ?cycle ?question ?theme ?constat ?text
WHERE {
  GRAPH ?g {
    ?judgement miner:judgement judgement:partiel ; miner:cluster ?c ; miner:cycle ?y ;
               miner:criterion ?criterion ; miner:question ?q .
    ?k miner:justifies ?judgement ; skos:notation ?constat ; miner:text ?text .
    ?criterion miner:theme ?theme .
    ?q miner:questionNumber ?question .
    ?c rdfs:label ?cluster .
    ?y rdfs:label ?cycle .
  }
}
ORDER BY ?cluster ?cycle ?question ?constat ?theme""",
    "indicators": """
SELECT DISTINCT ?cluster ?cycle ?measure ?detail ?status ?value ?unit ?year ?page ?quote
WHERE {
  GRAPH ?g {
    ?obs a miner:QuantityObservation ; miner:measure ?measure ; miner:cluster/rdfs:label ?cluster ;
         miner:cycle/rdfs:label ?cycle ; miner:value ?value ; miner:unit ?unit ; miner:status ?status .
    FILTER (?measure NOT IN ("members", "member_growth"))
    OPTIONAL { ?obs miner:measureDetail ?detail }
    OPTIONAL { ?obs miner:referenceYear ?year }
    OPTIONAL { ?obs miner:page ?page }
    OPTIONAL { ?obs miner:evidence/oa:hasSelector/oa:exact ?quote }
  }
}
ORDER BY ?cluster ?cycle ?measure ?detail ?status ?page""",
    "judgement_counts": """
SELECT ?cluster ?cycle ?question ?judgement (MAX(?n) AS ?criteria)
WHERE {
  ?tally a miner:JudgementTally ; miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle ;
         miner:questionNumber ?question ; miner:judgement ?level ; miner:criterionCount ?n .
  ?level miner:rank ?rank ; skos:prefLabel ?judgement .
  FILTER (lang(?judgement) = "fr")
}
GROUP BY ?cluster ?cycle ?question ?judgement ?rank
ORDER BY ?cluster ?cycle ?question ?rank""",
    "question_overview": """
SELECT ?cluster ?cycle ?question ?text (MAX(?c) AS ?criteria) (MAX(?k) AS ?constats)
WHERE {
  ?summary a miner:QuestionSummary ; miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle ;
           miner:questionNumber ?question ; miner:summaryText ?text ; miner:criterionCount ?c ; miner:constatCount ?k .
  FILTER (?c > 0)
}
GROUP BY ?cluster ?cycle ?question ?text
ORDER BY ?cluster ?cycle ?question""",
    "member_timeline": """
SELECT ?clusterKey (SAMPLE(?name) AS ?cluster) ?cycle ?ordinal ?year ?measure ?detail ?status ?value ?baseline ?page ?file
WHERE {
  GRAPH ?g {
    ?obs a miner:QuantityObservation ;
         miner:measure ?measure ;
         miner:cluster ?c ;
         miner:cycle ?y ;
         miner:value ?value ;
         miner:status ?status ;
         prov:wasDerivedFrom ?document .
    FILTER (?measure IN ("members", "member_growth"))
    ?document a miner:SourceDocument ; miner:fileName ?file .
    ?y rdfs:label ?cycle .
    OPTIONAL { ?y miner:ordinal ?ordinal }
    OPTIONAL { ?obs miner:referenceYear ?stated }
    OPTIONAL { ?obs miner:measureDetail ?detail }
    OPTIONAL { ?obs miner:baseline ?baseline }
    OPTIONAL { ?obs miner:page ?page }
    OPTIONAL { ?c rdfs:label ?label }
    OPTIONAL { ?c skos:altLabel ?alt }
    BIND (COALESCE(?label, ?alt) AS ?name)
    BIND (REPLACE(STR(?c), "^.*/", "") AS ?clusterKey)
  }
  # A cycle's end may be stated only by the document of that cycle, not by the one citing it.
  OPTIONAL { ?y time:hasEnd/time:inXSDDate ?end }
  BIND (COALESCE(?stated, YEAR(?end)) AS ?year)
}
GROUP BY ?clusterKey ?cycle ?ordinal ?year ?measure ?detail ?status ?value ?baseline ?page ?file
ORDER BY ?clusterKey ?year ?ordinal ?measure ?status ?page ?detail ?value ?baseline ?file ?cycle""",
}


FORMER = {  # the saved texts before the per-document values were joined on the graph: one read per row (the
    # summaries' own properties as they are now named: miner:summaryNotation, summaryPage, ...)
    "shared_constats": """
SELECT ?cluster ?cycle ?constat (MAX(?n) AS ?criteria) (MAX(?list) AS ?ids)
WHERE {
  { SELECT ?summary ?n WHERE { ?summary miner:criterionCount ?n } }
  FILTER (?n > 1)
  { SELECT ?summary WHERE { ?summary a miner:ConstatSummary } }
  { SELECT ?summary ?constat WHERE { ?summary miner:summaryNotation ?constat } }
  { SELECT ?summary ?list WHERE { ?summary miner:criterionIds ?list } }
  { SELECT ?summary ?cluster WHERE { ?summary miner:clusterLabel ?cluster } }
  { SELECT ?summary ?cycle WHERE { ?summary miner:cycleLabel ?cycle } }
}
GROUP BY ?cluster ?cycle ?constat
ORDER BY ?cluster ?cycle ?constat""",
    "criteria_below_target": """
SELECT DISTINCT ?cluster ?cycle ?criterion ?theme ?judgement
WHERE {
  { SELECT ?level ?rank ?judgement WHERE {
    judgement:atteint miner:rank ?top .
    ?level miner:rank ?rank ;
           skos:prefLabel ?judgement .
    FILTER (?rank < ?top && lang(?judgement) = "fr") } }
  { SELECT ?summary ?level WHERE { ?summary miner:summaryJudgement ?level } }
  { SELECT ?summary WHERE { ?summary a miner:CriterionSummary } }
  { SELECT ?summary ?criterion WHERE { ?summary miner:summaryNotation ?criterion } }
  { SELECT ?summary ?theme WHERE { ?summary miner:summaryTheme ?theme } }
  { SELECT ?summary ?cluster WHERE { ?summary miner:clusterLabel ?cluster } }
  { SELECT ?summary ?cycle WHERE { ?summary miner:cycleLabel ?cycle } }
}
ORDER BY ?cluster ?cycle ?rank ?criterion""",
    "constat_provenance": """
SELECT DISTINCT ?file ?constat ?page ?sha256 ?version ?extractedAt
WHERE {
  { SELECT ?summary WHERE { ?summary a miner:ConstatSummary } }
  { SELECT ?summary ?constat WHERE { ?summary miner:summaryNotation ?constat } }
  { SELECT ?summary ?page WHERE { ?summary miner:summaryPage ?page } }
  { SELECT ?summary ?file WHERE { ?summary miner:fileName ?file } }
  { SELECT ?summary ?sha256 WHERE { ?summary miner:sha256 ?sha256 } }
  { SELECT ?summary ?version WHERE { ?summary miner:softwareVersion ?version } }
  { SELECT ?summary ?extractedAt WHERE { ?summary prov:startedAtTime ?extractedAt } }
}
ORDER BY ?file ?constat""",
    "judgements_by_cycle": """
SELECT DISTINCT ?cluster ?cycle ?date ?id ?theme ?judgement ?rank ?page ?file
WHERE {
  { SELECT ?summary WHERE { ?summary a miner:CriterionSummary } }
  { SELECT ?summary ?cluster WHERE { ?summary miner:clusterLabel ?cluster } }
  { SELECT ?summary ?cycle WHERE { ?summary miner:cycleLabel ?cycle } }
  { SELECT ?summary ?theme WHERE { ?summary miner:summaryTheme ?theme } }
  { SELECT ?summary ?level WHERE { ?summary miner:summaryJudgement ?level } }
  { SELECT ?summary ?file WHERE { ?summary miner:fileName ?file } }
  { SELECT ?summary ?id WHERE { ?summary miner:summaryNotation ?id } }
  OPTIONAL { SELECT ?summary ?date WHERE { ?summary dcterms:date ?date } }
  OPTIONAL { SELECT ?summary ?page WHERE { ?summary miner:summaryPage ?page } }
  { SELECT ?level ?judgement ?rank WHERE { ?level skos:prefLabel ?judgement ; miner:rank ?rank . FILTER (lang(?judgement) = "fr") } }
}
ORDER BY ?cluster ?date ?id""",
    "question_constats": """
SELECT DISTINCT ?cluster ?cycle ?question ?constat ?text ?page
WHERE {
  { SELECT ?summary WHERE { ?summary a miner:ConstatSummary } }
  { SELECT ?summary ?question WHERE { ?summary miner:summaryQuestionNumber ?question } }
  { SELECT ?summary ?constat WHERE { ?summary miner:summaryNotation ?constat } }
  { SELECT ?summary ?text WHERE { ?summary miner:summaryText ?text } }
  { SELECT ?summary ?cluster WHERE { ?summary miner:clusterLabel ?cluster } }
  { SELECT ?summary ?cycle WHERE { ?summary miner:cycleLabel ?cycle } }
  OPTIONAL { SELECT ?summary ?page WHERE { ?summary miner:summaryPage ?page } }
}
ORDER BY ?cluster ?cycle ?question ?constat""",
}


@pytest.fixture(scope="module")
def store():
    """The shared report as three clusters over two cycles, each with its own shuffled judgements; a
    cluster is named differently by its two documents (its IRI is the same), so a label joined
    across documents doubles rows."""
    from miner.store.load import load_evaluations
    from miner.store.local import load_ontology

    base = evaluation_from_expected()  # the shared report as its gold file says: no PDF read here
    rng = random.Random(7)
    evaluations = []
    for index in range(6):
        cluster, cycle = divmod(index, 2)
        questions = [
            q.model_copy(
                update={
                    "criteria": [c.model_copy(update={"judgement": rng.choice(list(Judgement))}) for c in q.criteria],
                    "conclusion": f"Le cluster rassemble {rng.randint(20, 400)} membres. {q.conclusion}"
                    if q.number == 1
                    else q.conclusion,
                }
            )
            for q in base.questions
        ]
        source = base.source.model_copy(update={"sha256": f"{index:064x}", "path": f"eval-{cluster}-{cycle}.pdf"})
        metadata = base.metadata.model_copy(
            update={
                "cluster": f"Cluster {cluster}" if cycle == 0 else f"CLUSTER {cluster}",  # one IRI, two labels
                "date": base.metadata.date.replace(year=2010 + 3 * cycle) if base.metadata.date else None,
            }
        )
        evaluations.append(base.model_copy(update={"questions": questions, "source": source, "metadata": metadata}))
    store = open_store(None)
    load_evaluations(store, evaluations, generated_at=GENERATED_AT)
    load_ontology(store, "https://w3id.org/miner/data/graph/ontology")
    return store


FORMER_COPIES = """
INSERT { GRAPH ?g { ?s miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle ; miner:fileName ?file } }
WHERE { GRAPH ?g {
  VALUES ?kind { miner:ConstatSummary miner:CriterionSummary }
  ?s a ?kind .
  ?e a miner:EvaluationSummary ; miner:summarises ?evaluation ; miner:clusterLabel ?cluster ; miner:cycleLabel ?cycle .
  ?evaluation prov:wasDerivedFrom ?document . ?document a miner:SourceDocument ; miner:fileName ?file } } ;
INSERT { GRAPH ?g { ?s miner:sha256 ?sha256 ; miner:softwareVersion ?version ; prov:startedAtTime ?at } }
WHERE { GRAPH ?g {
  ?s a miner:ConstatSummary .
  ?e a miner:EvaluationSummary ; miner:summarises ?evaluation .
  ?evaluation prov:wasDerivedFrom ?document ; prov:wasGeneratedBy ?run .
  ?document a miner:SourceDocument ; miner:sha256 ?sha256 .
  ?run a miner:ExtractionRun ; miner:softwareVersion ?version ; prov:startedAtTime ?at } }"""
"""The copies of their document's values the row summaries carried when the FORMER texts were saved
(constat summaries: cluster and cycle labels, file, digest, run; criterion summaries: the file; they
still carry their labels), put back in a copy of the store: the former texts read them there."""


@pytest.fixture(scope="module")
def former_store(store):
    """``store`` as the summaries were written before their copies of the document's values went."""
    import pyoxigraph as ox

    former = ox.Store()
    former.extend(store)
    before = len(former)
    former.update(PREFIXES + FORMER_COPIES)
    assert len(former) > before
    return former


def tsv(store, text: str) -> list[bytes]:
    return run_query_tsv(store, text, max_rows=None).tsv.splitlines()[1:]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_rewritten_query_answers_its_plain_form(store, name):
    saved = {q.name: q.text for q in saved_queries()}[name]
    plain = tsv(store, PREFIXES + PLAIN[name])
    assert len(plain) >= 6  # every document answers
    assert tsv(store, saved) == plain


@pytest.mark.parametrize(
    ("name", "bound"),
    [
        ("constat_provenance", ()),
        ("criteria_below_target", ()),
        ("criteria_below_target", ("cluster", "cycle")),
        ("judgements_by_cycle", ()),
        ("judgements_by_cycle", ("cluster",)),
        ("judgements_by_cycle", ("cycle", "theme")),
        ("question_constats", ()),
        ("question_constats", ("question",)),
        ("shared_constats", ()),
    ],
)
def test_values_of_the_document_joined_on_its_graph_answer_as_read_per_row(store, former_store, name, bound):
    """The document's values (cluster and cycle labels, date, file, digest, run) read once from its
    evaluation summary's graph give the rows that reading them on every summary gave (on the store
    as the summaries were written with their copies); with the query's parameters bound too (to the
    values of one row of the whole answer)."""
    saved = {q.name: q.text for q in saved_queries()}[name]
    whole = run_query(former_store, PREFIXES + FORMER[name], timeout=None, max_rows=None)
    row = whole.rows[len(whole.rows) // 2]
    bindings = {v: row[whole.variables.index(v)] for v in bound}
    former = run_query_tsv(former_store, PREFIXES + FORMER[name], max_rows=None, bindings=bindings)
    former = former.tsv.splitlines()[1:]
    assert len(former) >= (6 if not bound else 1)
    assert run_query_tsv(store, saved, max_rows=None, bindings=bindings).tsv.splitlines()[1:] == former


@pytest.mark.parametrize(
    ("name", "bound"),
    [
        ("judgements_by_cycle", ("cluster",)),
        ("judgements_by_cycle", ("theme",)),
        ("partial_criteria", ("cluster",)),
        ("partial_criteria", ("cycle",)),
        ("partial_criteria", ("cluster", "cycle")),
        ("judgement_counts", ("question",)),
        ("criteria_below_target", ("cluster",)),
        ("criteria_below_target", ("cycle",)),
        ("question_overview", ("question",)),
    ],
)
def test_a_query_sorted_on_label_ranks_answers_its_reference_with_parameters(store, former_store, name, bound):
    """A query sorted on each label's rank among its kind (an integer the query counts) gives the
    reference form's rows in its order when a parameter fixes the label the rank is counted for too
    (a former text read on the store with the copies it read)."""
    saved = {q.name: q.text for q in saved_queries()}[name]
    reference = PREFIXES + {**PLAIN, **FORMER}[name]
    on = former_store if name in FORMER else store
    whole = run_query(on, reference, timeout=None, max_rows=None)
    row = whole.rows[len(whole.rows) // 2]
    bindings = {v: row[whole.variables.index(v)] for v in bound}
    expected = run_query_tsv(on, reference, max_rows=None, bindings=bindings).tsv.splitlines()[1:]
    assert len(expected) >= 1
    assert run_query_tsv(store, saved, max_rows=None, bindings=bindings).tsv.splitlines()[1:] == expected
