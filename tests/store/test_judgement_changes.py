"""Judgement changes derived by the store on every write answer what pairing the summaries at query
time answered, row for row and in order, and follow every write: a graph added, replaced or dropped.

``REFERENCE`` is the saved query as it was before the changes were derived (it pairs every two
criterion summaries of one cluster and criterion at query time, commit a645a50; the summaries' judgement
and theme read under their own properties, miner:summaryJudgement and summaryTheme): the meaning the
derived changes must keep. The store holds three clusters: one over two cycles with a judgement going up, one down,
one unchanged and a criterion judged in the later cycle only; one over three cycles with seeded
judgements and its two labels (one IRI, the later label shown); one whose two evaluations share a
date (not ordered: no change).
"""

from __future__ import annotations

import datetime as dt
import random

import pyoxigraph as ox
import pytest
from evalfixture import GENERATED_AT, evaluation_from_expected

from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.vocab import MINER, Minter
from miner.records import Judgement
from miner.store.derived import judged_criteria
from miner.store.local import load_ontology, open_store, run_query_tsv
from miner.store.owners import graph_owners
from miner.store.query import find_saved_query
from miner.store.write import replace_graph_lines, triple_lines

REFERENCE = """PREFIX miner: <https://w3id.org/miner/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>

SELECT DISTINCT ?cluster ?theme ?before ?judgementBefore ?after ?judgementAfter ?direction
WHERE {
  { SELECT ?c ?criterion ?levelNew ?dateNew ?after ?cluster ?theme WHERE {
    { SELECT ?new WHERE { ?new a miner:CriterionSummary } }
    { SELECT ?new ?c WHERE { ?new miner:cluster ?c } }
    { SELECT ?new ?criterion WHERE { ?new miner:criterion ?criterion } }
    { SELECT ?new ?levelNew WHERE { ?new miner:summaryJudgement ?levelNew } }
    { SELECT ?new ?dateNew WHERE { ?new dcterms:date ?dateNew } }
    { SELECT ?new ?after WHERE { ?new miner:cycleLabel ?after } }
    { SELECT ?new ?cluster WHERE { ?new miner:clusterLabel ?cluster } }
    { SELECT ?new ?theme WHERE { ?new miner:summaryTheme ?theme } }
  } }
  { SELECT ?c ?criterion ?levelOld ?dateOld ?before WHERE {
    { SELECT ?old WHERE { ?old a miner:CriterionSummary } }
    { SELECT ?old ?c WHERE { ?old miner:cluster ?c } }
    { SELECT ?old ?criterion WHERE { ?old miner:criterion ?criterion } }
    { SELECT ?old ?levelOld WHERE { ?old miner:summaryJudgement ?levelOld } }
    { SELECT ?old ?dateOld WHERE { ?old dcterms:date ?dateOld } }
    { SELECT ?old ?before WHERE { ?old miner:cycleLabel ?before } }
  } }
  FILTER (?dateOld < ?dateNew && ?levelOld != ?levelNew)
  { SELECT ?levelOld ?rankOld ?judgementBefore WHERE {
    ?levelOld miner:rank ?rankOld ; skos:prefLabel ?judgementBefore . FILTER (lang(?judgementBefore) = "fr") } }
  { SELECT ?levelNew ?rankNew ?judgementAfter WHERE {
    ?levelNew miner:rank ?rankNew ; skos:prefLabel ?judgementAfter . FILTER (lang(?judgementAfter) = "fr") } }
  BIND (IF(?rankNew > ?rankOld, "up", "down") AS ?direction)
}
ORDER BY ?cluster ?theme ?dateOld ?dateNew"""

SAVED = find_saved_query("judgement_changes").text
MINTER = Minter()
UP, DOWN, SAME, LATE = "Gouvernance", "Pérennité", "Représentativité", "Communication"
"""The themes of the first cluster's criteria: up, down, unchanged, judged in the later cycle only."""


def evaluation(base, index: int, cluster: str, year: int, judgements) -> object:
    """``base`` as another document of ``cluster`` dated ``year``, each criterion judged by ``judgements``
    (a criterion it gives None is left out)."""
    questions = []
    for q in base.questions:
        criteria = [c.model_copy(update={"judgement": judgements(c)}) for c in q.criteria]
        questions.append(q.model_copy(update={"criteria": [c for c in criteria if c.judgement is not None]}))
    return base.model_copy(
        update={
            "questions": questions,
            "source": base.source.model_copy(update={"sha256": f"{index:064x}", "path": f"eval-{index}.pdf"}),
            "metadata": base.metadata.model_copy(update={"cluster": cluster, "date": dt.date(year, 6, 30)}),
        }
    )


def documents() -> list:
    base = evaluation_from_expected()
    themes = {c.theme for q in base.questions for c in q.criteria}
    assert {UP, DOWN, SAME, LATE} <= themes  # the shared report's criteria
    first = {UP: Judgement.PARTIEL, DOWN: Judgement.ATTEINT, SAME: Judgement.SATISFAISANT, LATE: None}
    second = {UP: Judgement.ATTEINT, DOWN: Judgement.PARTIEL, SAME: Judgement.SATISFAISANT, LATE: Judgement.PARTIEL}
    rng = random.Random(11)
    docs = [
        evaluation(base, 1, "Cluster Alpha", 2019, lambda c: first.get(c.theme, c.judgement)),
        evaluation(base, 2, "Cluster Alpha", 2022, lambda c: second.get(c.theme, c.judgement)),
    ]
    for cycle in range(3):  # seeded judgements; the later documents name the cluster in capitals
        docs.append(
            evaluation(
                base,
                3 + cycle,
                "Cluster Beta" if cycle == 0 else "CLUSTER BETA",
                2013 + 3 * cycle,
                lambda c: rng.choice(list(Judgement)),
            )
        )
    docs += [
        evaluation(base, 6 + n, "Cluster Gamma", 2020, lambda c, n=n: list(Judgement)[(n + len(c.theme)) % 4])
        for n in range(2)
    ]
    return docs


def graph_lines(doc) -> tuple[str, list[str]]:
    """A document's named graph as miner builds it: its name and N-Triples lines."""
    graph = build_evaluation_graph(doc, GraphSettings(generated_at=GENERATED_AT))
    return str(graph.identifier), triple_lines(graph)


def write(store: ox.Store, graphs: list[tuple[str, list[str]]]) -> None:
    """Each graph written as every writer of the store writes it (one update each)."""
    for name, lines in graphs:
        replace_graph_lines(store, {name: lines})


@pytest.fixture(scope="module")
def built() -> list[tuple[str, list[str]]]:
    return [graph_lines(doc) for doc in documents()]


@pytest.fixture
def store(built):
    store = open_store(None)
    load_ontology(store, str(MINTER.ontology_graph()))
    write(store, built)
    return store


def lines(store: ox.Store, text: str, **bindings) -> list[bytes]:
    return run_query_tsv(store, text, max_rows=None, bindings=bindings or None).tsv.splitlines()[1:]


def rows(store: ox.Store, text: str = SAVED) -> list[tuple[str, ...]]:
    return [tuple(cell.value for cell in row) for row in run_query_tsv(store, text, max_rows=None).unpack().rows]


def test_the_derived_changes_answer_the_reference_row_for_row(store):
    derived = lines(store, SAVED)
    assert len(derived) > 20
    assert derived == lines(store, REFERENCE)
    alpha = [r[1:] for r in rows(store) if r[0] == "Cluster Alpha"]
    assert alpha == [
        (UP, "7e triennat", "Partiel", "7e triennat", "Atteint", "up"),
        (DOWN, "7e triennat", "Atteint", "7e triennat", "Partiel", "down"),
    ]  # by theme
    assert {r[0] for r in rows(store)} == {"Cluster Alpha", "CLUSTER BETA"}  # Gamma's dates are equal


def test_the_parameters_filter_as_before(store):
    for bindings in (
        {"cluster": ox.Literal("CLUSTER BETA")},
        {"theme": ox.Literal(UP)},
        {"cluster": ox.Literal("Cluster Alpha"), "theme": ox.Literal(DOWN)},
    ):
        answer = lines(store, SAVED, **bindings)
        assert answer and answer == lines(store, REFERENCE, **bindings)


def test_a_replaced_graph_rewrites_its_clusters_changes_only(store):
    beta = [r for r in rows(store) if r[0] == "CLUSTER BETA"]
    first, later = documents()[:2]
    write(store, [graph_lines(later.model_copy(update={"questions": first.questions}))])  # Alpha's second = its first
    assert [r for r in rows(store) if r[0] == "Cluster Alpha"] == []
    assert [r for r in rows(store) if r[0] == "CLUSTER BETA"] == beta
    assert lines(store, SAVED) == lines(store, REFERENCE)


def test_a_dropped_graph_drops_its_changes_and_its_empty_graph(store, built):
    changes = str(MINTER.changes_graph("Cluster Alpha"))
    assert store.contains_named_graph(ox.NamedNode(changes))
    assert graph_owners(store)[changes].kind == "derived"
    assert len(judged_criteria(store, changes)) == 18 + 17  # Alpha's two evaluations (one lacks a criterion)
    replace_graph_lines(store, {str(MINTER.graph(f"{2:064x}")): []})
    assert len(judged_criteria(store, changes)) == 17
    assert [r for r in rows(store) if r[0] == "Cluster Alpha"] == []
    assert not store.contains_named_graph(ox.NamedNode(changes))
    assert changes not in graph_owners(store)
    assert lines(store, SAVED) == lines(store, REFERENCE)
    write(store, built[1:2])  # added again
    assert [r[0] for r in rows(store)].count("Cluster Alpha") == 2


def test_an_import_may_not_write_a_changes_graph(store, tmp_path):
    from miner.errors import InputError
    from miner.store.local import import_rdf_file

    changes = MINTER.changes_graph("Cluster Alpha")
    trig = tmp_path / "changes.trig"
    trig.write_text(f"<{changes}> {{ <https://e/s> <https://e/p> <https://e/o> . }}\n", encoding="utf-8")
    with pytest.raises(InputError, match="miner's own namespace"):
        import_rdf_file(store, trig, "https://e/own", reserved=[str(MINTER.graph(""))])


def test_a_build_and_a_rebuild_write_the_changes(tmp_path):
    """`miner build` on two evaluations of one cluster (their graphs written during extraction or by
    the graph step), then again, incrementally, with a third evaluation of the cluster added."""
    from miner.pipeline.build import SKIPPABLE, build

    first, later = documents()[:2]
    folder, store_path = tmp_path / "in", tmp_path / "store"
    folder.mkdir()
    for doc in (first, later):
        (folder / f"{doc.source.sha256[-1]}.json").write_text(doc.model_dump_json(), encoding="utf-8")
    ctx, _ = build([folder], store_path, skip=list(SKIPPABLE))
    assert not ctx.failures
    ctx.release_store()
    store = open_store(store_path, read_only=True)
    assert [r[1] for r in rows(store)] == [UP, DOWN]
    assert lines(store, SAVED) == lines(store, REFERENCE)
    del store
    rejudged = later.model_copy(  # a third cycle judged as the first
        update={
            "questions": first.questions,
            "source": later.source.model_copy(update={"sha256": "f" * 64}),
            "metadata": later.metadata.model_copy(update={"date": dt.date(2025, 6, 30)}),
        }
    )
    (folder / "f.json").write_text(rejudged.model_dump_json(), encoding="utf-8")
    ctx, _ = build([folder], store_path, skip=list(SKIPPABLE))
    assert not ctx.failures
    ctx.release_store()
    store = open_store(store_path, read_only=True)
    assert lines(store, SAVED) == lines(store, REFERENCE)
    assert [(r[1], r[-1]) for r in rows(store)] == [(UP, "up"), (UP, "down"), (DOWN, "down"), (DOWN, "up")]


def test_the_changes_conform_to_their_shape(built):
    """SHACL (shapes.ttl) checks each change, its span and the kinds the span names: two summaries
    derived from, one judgement on each side, the labels and one date on each side, a kind's theme;
    a span missing its later date and a kind missing its theme are reported."""
    from miner.rdf.shacl import validate_store

    store = open_store(None)
    load_ontology(store, str(MINTER.ontology_graph()))
    write(store, built[:2])
    changes = str(MINTER.changes_graph("Cluster Alpha"))

    kinds = changes.rsplit("/", 1)[0] + "/kind/"

    def about_changes() -> list[str]:
        return [v.message for v in validate_store(store).violations if v.focus.startswith((changes, kinds))]

    assert about_changes() == []
    assert len(list(store.quads_for_pattern(None, ox.NamedNode(str(MINER.changeKind)), None, ox.NamedNode(changes))))
    [quad] = list(store.quads_for_pattern(None, ox.NamedNode(str(MINER.dateAfter)), None, ox.NamedNode(changes)))[:1]
    store.remove(quad)
    [quad] = list(store.quads_for_pattern(None, ox.NamedNode(str(MINER.kindTheme)), None, ox.NamedNode(changes)))[:1]
    store.remove(quad)
    assert sorted(about_changes()) == [
        "a kind of judgement change has exactly one theme",
        "an evaluation span has exactly one later date (xsd:date)",
    ]


def test_a_graph_named_as_changes_graph_by_an_import_is_left_alone(store, tmp_path):
    """An RDF file's graph naming another file's graph as a changes graph does not make miner
    rewrite or take that graph: only graphs of no other owner are derived."""
    from miner.store.local import import_rdf_file

    other = tmp_path / "other.trig"
    other.write_text("<https://e/other> { <https://e/s> <https://e/p> <https://e/o> . }\n", encoding="utf-8")
    import_rdf_file(store, other, "https://e/own-other")
    hostile = tmp_path / "hostile.trig"
    hostile.write_text(
        f"<https://e/hostile> {{ <https://e/x> <{MINER.changesGraph}> <https://e/other> . }}\n", encoding="utf-8"
    )
    import_rdf_file(store, hostile, "https://e/own-hostile")
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("https://e/other")))) == 1
    assert graph_owners(store)["https://e/other"].kind == "import"
