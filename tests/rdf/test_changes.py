"""Pairing criterion summaries into judgement changes: which pairs make a change, what it carries."""

from __future__ import annotations

from rdflib import Literal, URIRef, namespace

from miner.rdf.changes import judgement_change_triples
from miner.rdf.vocab import MINER, PROV, RDF
from miner.records.summaries import JudgedCriterion

GRAPH = "https://e/graph/changes/c"
LEVELS = {name: URIRef(f"https://w3id.org/miner/judgements/{name}") for name in ("partiel", "atteint")}


def judged(name: str, level: str, date: Literal | None, *, criterion: str = "k", cluster: str = "c", **more):
    return JudgedCriterion(
        URIRef(f"https://e/{name}"),
        (URIRef(f"https://e/cluster/{cluster}"),),
        (URIRef(f"https://e/criterion/{criterion}"),),
        (LEVELS[level],),
        (date,) if date is not None else (),
        (Literal(f"cycle of {more.get('cycle', name)}", lang="fr"),),
        more.get("labels", (Literal("C"),)),
        more.get("themes", (Literal(f"theme {criterion}"),)),
    )


def day(year: int, datatype=namespace.XSD.date) -> Literal:
    return Literal(f"{year}-06-30", datatype=datatype)


def changes(*summaries):
    """Each change's values (short names), its span's values folded in (not the kinds it names)."""
    triples = judgement_change_triples(summaries, GRAPH)

    def values(node) -> set[tuple[str, str]]:
        found = set()
        for s, p, o in triples:
            if s == node and p not in (RDF.type, MINER.changeKind):
                found |= values(o) if p == MINER.spans else {(p.rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1])}
        return found

    return {s: values(s) for s, p, o in triples if p == RDF.type and o == MINER.JudgementChange}


def test_a_later_other_judgement_of_one_criterion_is_a_change():
    [(iri, values)] = changes(judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022))).items()
    assert str(iri).startswith(GRAPH + "/change/")
    assert values == {
        (PROV.wasDerivedFrom.rsplit("#", 1)[-1], "a"),
        (PROV.wasDerivedFrom.rsplit("#", 1)[-1], "b"),
        ("judgementBefore", "partiel"),
        ("judgementAfter", "atteint"),
        ("dateBefore", "2019-06-30"),
        ("dateAfter", "2022-06-30"),
        ("criterion", "k"),
        ("cycleLabelBefore", "cycle of a"),
        ("cycleLabelAfter", "cycle of b"),
        ("clusterLabel", "C"),
        ("theme", "theme k"),
    }


def test_changes_between_the_same_two_evaluations_share_their_span():
    made = judgement_change_triples(
        [
            judged("a", "partiel", day(2019)),
            judged("b", "atteint", day(2022)),
            judged("a2", "atteint", day(2019), criterion="k2", cycle="a"),
            judged("b2", "partiel", day(2022), criterion="k2", cycle="b"),
        ],
        GRAPH,
    )
    spans = {o for s, p, o in made if p == MINER.spans}
    assert len([s for s, p, o in made if p == MINER.spans]) == 2 and len(spans) == 1
    assert len([s for s, p, o in made if p == RDF.type and o == MINER.EvaluationSpan]) == 1


def test_no_change_without_another_judgement_a_later_date_or_the_same_criterion_and_cluster():
    assert changes(judged("a", "partiel", day(2019)), judged("b", "partiel", day(2022))) == {}
    assert changes(judged("a", "partiel", day(2019)), judged("b", "atteint", day(2019))) == {}
    assert changes(judged("a", "partiel", day(2019)), judged("b", "atteint", None)) == {}
    assert changes(judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022), criterion="other")) == {}
    assert changes(judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022), cluster="other")) == {}
    # dates of two datatypes are not ordered (SPARQL's < raises a type error on them)
    assert changes(judged("a", "partiel", day(2019, namespace.XSD.string)), judged("b", "atteint", day(2022))) == {}


def test_the_later_summary_must_carry_a_label_and_a_theme():
    assert changes(judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022), themes=())) == {}
    assert changes(judged("a", "partiel", day(2019), labels=(), themes=()), judged("b", "atteint", day(2022)))


def test_iris_depend_on_what_is_paired_only():
    pair = (judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022)))
    assert set(changes(*pair)) == set(changes(*reversed(pair)))
    assert set(changes(*pair)) != set(changes(pair[0], judged("b", "atteint", day(2023))))


def kinds(triples) -> dict[tuple[str, str], tuple[str, str, str]]:
    """The kinds the spans name: (theme, before, after) in short names, by (span, kind IRI)."""
    values = {(s, p): str(o).rsplit("/", 1)[-1] for s, p, o in triples}
    return {
        (str(span), str(kind)): (
            values[(kind, MINER.kindTheme)],
            values[(kind, MINER.kindJudgementBefore)],
            values[(kind, MINER.kindJudgementAfter)],
        )
        for span, p, kind in triples
        if p == MINER.changeKind
    }


def test_a_span_names_the_kind_of_each_of_its_changes_once():
    """Two criteria of one theme going the same way between the same evaluations are one kind named
    once; a third of another theme, another kind; a kind's values are written once a graph."""
    made = judgement_change_triples(
        [
            judged("a", "partiel", day(2019)),
            judged("b", "atteint", day(2022)),
            judged("a2", "partiel", day(2019), criterion="k2", cycle="a", themes=(Literal("theme k"),)),
            judged("b2", "atteint", day(2022), criterion="k2", cycle="b", themes=(Literal("theme k"),)),
            judged("a3", "atteint", day(2019), criterion="k3", cycle="a"),
            judged("b3", "partiel", day(2022), criterion="k3", cycle="b"),
        ],
        GRAPH,
    )
    assert len([s for s, p, o in made if p == RDF.type and o == MINER.JudgementChange]) == 3
    assert sorted(kinds(made).values()) == [("theme k", "partiel", "atteint"), ("theme k3", "atteint", "partiel")]
    assert len(made) == len(set(made))
    assert len([s for s, p, o in made if p == RDF.type and o == MINER.ChangeKind]) == 2


def test_a_kind_is_one_iri_in_every_changes_graph():
    """A kind is named from its theme and judgements alone, beside the changes graphs: the same in two
    clusters' graphs, another for another theme or judgement."""
    pair = (judged("a", "partiel", day(2019)), judged("b", "atteint", day(2022)))
    [(_, here)] = list(kinds(judgement_change_triples(pair, GRAPH)))
    [(_, there)] = list(kinds(judgement_change_triples(pair, "https://e/graph/changes/other")))
    assert here == there and here.startswith("https://e/graph/changes/kind/")
    down = (judged("a", "atteint", day(2019)), judged("b", "partiel", day(2022)))
    [(_, other)] = list(kinds(judgement_change_triples(down, GRAPH)))
    assert other != here
