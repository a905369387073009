"""Every competency query (ontology/queries/*.rq) with its expected answer on the shared report."""

from __future__ import annotations

import hashlib

import pytest
from conftest import EVAL_PDF
from evalfixture import load_shared, shared_evaluation

from miner.store.local import open_store, query_df, run_query
from miner.store.query import saved_queries

CLUSTER, CYCLE = "INFOPOLE cluster TIC", "7e triennat"


@pytest.fixture(scope="module")
def store():
    return load_shared(open_store(None))


def answer(store, name, **bindings):
    return query_df(name, store, bindings=bindings or None)


def rows(df):
    return [tuple(r) for r in df.itertuples(index=False)]


def test_every_saved_query_states_its_question_in_french_and_english_and_has_a_test():
    names = {q.name for q in saved_queries()}
    assert len(names) >= 12
    for q in saved_queries():
        assert q.question_fr and q.question_en, q.name
    tested = {name[len("test_") :] for name in globals() if name.startswith("test_")}
    assert names <= tested, names - tested


def test_count_constats(store):
    assert rows(answer(store, "count_constats")) == [(CLUSTER, CYCLE, 29)]
    assert run_query(
        store, "PREFIX miner: <https://w3id.org/miner/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?c a miner:Constat }"
    ).values() == [(29,)]


def test_count_criteria(store):
    assert rows(answer(store, "count_criteria")) == [(CLUSTER, CYCLE, 18)]
    assert run_query(
        store, "PREFIX miner: <https://w3id.org/miner/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?c a miner:Criterion }"
    ).values() == [(18,)]


def test_partial_criteria(store):
    df = answer(store, "partial_criteria")
    assert [(r.question, r.theme, r.constat) for r in df.itertuples()] == [
        (3, "Amélioration des réalisations", 13),
        (5, "Pérennité", 28),
        (5, "Pérennité", 29),
    ]
    texts = {k.number: k.text for k in shared_evaluation().constats}
    assert list(df.text) == [texts[13], texts[28], texts[29]]


def test_question_constats(store):
    df = answer(store, "question_constats")
    assert list(df.constat) == list(range(1, 30))
    assert df.page.notna().all()
    only_five = answer(store, "question_constats", question=5)
    assert list(only_five.constat) == [27, 28, 29]
    pages = {k.number: k.pages[0] for k in shared_evaluation().constats}
    assert list(only_five.page) == [pages[27], pages[28], pages[29]]


def test_judgement_counts(store):
    df = answer(store, "judgement_counts")
    assert [(r.question, r.judgement, r.criteria) for r in df.itertuples()] == [
        (1, "Atteint", 3),
        (2, "Atteint", 6),
        (3, "Partiel", 1),
        (3, "Satisfaisant", 2),
        (3, "Atteint", 1),
        (4, "Atteint", 3),
        (5, "Partiel", 1),
        (5, "Satisfaisant", 1),
    ]


def test_judgement_changes(store):
    # One cycle in the shared report: nothing to compare.
    assert answer(store, "judgement_changes").empty


def test_judgement_changes_between_two_cycles():
    """An earlier cycle where Pérennité was Satisfaisant and Gouvernance Partiel: both changes show."""
    from miner.records import Judgement

    current = shared_evaluation()
    questions = []
    for q in current.questions:
        criteria = []
        for c in q.criteria:
            judgement = {"Pérennité": Judgement.SATISFAISANT, "Gouvernance": Judgement.PARTIEL}.get(
                c.theme, c.judgement
            )
            criteria.append(c.model_copy(update={"judgement": judgement}))
        questions.append(q.model_copy(update={"criteria": criteria}))
    earlier = current.model_copy(
        update={
            "questions": questions,
            "source": current.source.model_copy(update={"sha256": "e" * 64, "path": "earlier.pdf"}),
            "metadata": current.metadata.model_copy(update={"date": current.metadata.date.replace(year=2022)}),
        }
    )
    store = load_shared(open_store(None))
    load_shared(store, earlier, cycle="triennat-6")
    assert rows(answer(store, "count_constats")) == [(CLUSTER, "6e triennat", 29), (CLUSTER, CYCLE, 29)]
    assert rows(answer(store, "count_criteria")) == [(CLUSTER, "6e triennat", 18), (CLUSTER, CYCLE, 18)]
    df = answer(store, "judgement_changes")
    assert [
        (r.theme, r.before, r.judgementBefore, r.after, r.judgementAfter, r.direction) for r in df.itertuples()
    ] == [
        ("Gouvernance", "6e triennat", "Partiel", CYCLE, "Atteint", "up"),
        ("Pérennité", "6e triennat", "Satisfaisant", CYCLE, "Partiel", "down"),
    ]


def test_member_counts(store):
    page = shared_evaluation().questions[0].pages[-1]
    assert rows(answer(store, "member_counts")) == [(CLUSTER, CYCLE, 183, 50.0, page)]


def test_organisations_by_type_province(store):
    # Member organisations come with the member lists (a later issue); the report names no member.
    assert answer(store, "organisations_by_type_province").empty


def test_activities_by_axis(store):
    # All six axes are listed; no activity is classified from the evaluation report itself.
    df = answer(store, "activities_by_axis")
    assert list(df.axis) == ["1", "2", "3", "4", "5", "6"]
    assert list(df.activities) == [0] * 6


def test_constat_provenance(store):
    df = answer(store, "constat_provenance")
    assert list(df.constat) == list(range(1, 30))
    assert set(df.file) == {EVAL_PDF.name}
    assert set(df.sha256) == {hashlib.sha256(EVAL_PDF.read_bytes()).hexdigest()}
    pages = {k.number: k.pages[0] for k in shared_evaluation().constats}
    assert dict(zip(df.constat, df.page)) == pages
    assert set(df.version) == {"0.1.0"}


def test_facts_without_provenance(store):
    assert answer(store, "facts_without_provenance").empty


def test_criteria_below_target(store):
    df = answer(store, "criteria_below_target")
    assert [(r.criterion, r.theme, r.judgement) for r in df.itertuples()] == [
        ("3.3", "Amélioration des réalisations", "Partiel"),
        ("5.2", "Pérennité", "Partiel"),
        ("3.1", "Résultats des réalisations", "Satisfaisant"),
        ("3.2", "Impacts des réalisations", "Satisfaisant"),
        ("5.1", "Stratégie financière", "Satisfaisant"),
    ]


def test_shared_constats(store):
    df = answer(store, "shared_constats")
    assert [(r.constat, r.criteria) for r in df.itertuples()] == [(9, 6)]
    assert sorted(df.ids[0].split()) == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]


def test_question_overview(store):
    df = answer(store, "question_overview")
    assert [(r.question, r.criteria, r.constats) for r in df.itertuples()] == [
        (1, 3, 8),
        (2, 6, 1),
        (3, 4, 13),
        (4, 3, 4),
        (5, 2, 3),
    ]


def test_evaluations(store):
    pages = shared_evaluation().source.pages
    assert rows(answer(store, "evaluations")) == [
        (CLUSTER, CYCLE, "triennat", 7, "2025-10-10", "KPMG", EVAL_PDF.name, pages)
    ]


# ---------------------------------------------------------------- cycles and quantities (issue 6)


@pytest.fixture(scope="module")
def two_cycles_store(shared):
    """The sample corpus's two CHANVRELIA cycles, the shared report and the 2011 atlas."""
    from conftest import ATLAS_PDF, ROOT

    from miner.extract.evaluation import extract_evaluation
    from miner.store.load import load_evaluations
    from miner.store.local import load_ontology

    store = open_store(None)
    paths = [
        EVAL_PDF,
        ATLAS_PDF,
        ROOT / "corpora/pdf/evaluation-chanvrelia-2021.pdf",
        ROOT / "corpora/pdf/evaluation-chanvrelia-2025.pdf",
    ]
    load_evaluations(store, [extract_evaluation(p) for p in paths])
    load_ontology(store, "https://w3id.org/miner/data/graph/ontology")
    return store


def test_evaluation_cycles(two_cycles_store):
    df = answer(two_cycles_store, "evaluation_cycles")
    assert [
        (r.cluster, r.cycle, r.ordinal, str(r.start), str(r.end), r.source, r.fictitious) for r in df.itertuples()
    ] == [
        ("CHANVRELIA cluster des éco-matériaux", "6e triennat", 6, "2019-01-01", "2021-06-30", "text", True),
        ("CHANVRELIA cluster des éco-matériaux", "7e triennat", 7, "2022-07-01", "2025-06-30", "text", True),
        (CLUSTER, CYCLE, 7, "2023-01-01", "2025-06-30", "text", False),
    ]
    assert list(df.conflicts.fillna("")) == ["", "", ""]


def test_judgements_by_cycle(two_cycles_store):
    df = answer(two_cycles_store, "judgements_by_cycle")
    chanvrelia = df[df.cluster.str.startswith("CHANVRELIA")]
    pairs = {(r.cycle, r.id): r.judgement for r in chanvrelia.itertuples()}
    assert pairs[("6e triennat", "4.1")] == "Atteint" and pairs[("7e triennat", "4.1")] == "Satisfaisant"
    assert ("6e triennat", "4.3") not in pairs and pairs[("7e triennat", "4.3")] == "Atteint"
    assert len(df[df.cluster == CLUSTER]) == 18 and df.page.notna().all()


def test_member_timeline(two_cycles_store):
    df = answer(two_cycles_store, "member_timeline")
    infopole = df[df.clusterKey == "infopole-cluster-tic"]
    got = [
        (
            r.cycle,
            r.year if r.year == r.year else None,
            r.measure,
            r.status,
            r.value,
            r.page if r.page == r.page else None,
            r.file,
        )
        for r in infopole.itertuples()
    ]
    assert ("année 2011", 2011, "members", "actual", 149.0, 1, "atlas-infopole-2011.pdf") in got
    assert (CYCLE, 2025, "members", "actual", 183.0, 3, EVAL_PDF.name) in got
    assert (CYCLE, 2025, "member_growth", "change", 50.0, 2, EVAL_PDF.name) in got
    assert ("6e triennat", None, "members", "derived", 122.0, None, EVAL_PDF.name) in got


def test_indicators(two_cycles_store):
    df = answer(two_cycles_store, "indicators")
    rows_ = {(r.cluster, r.cycle, r.detail, r.status, r.value) for r in df.itertuples()}
    assert (CLUSTER, CYCLE, "revenus non liés aux subsides", "target", 40.0) in rows_
    chanvrelia = "CHANVRELIA cluster des éco-matériaux"
    assert {(c, y, s, v) for c, y, d, s, v in rows_ if c == chanvrelia} == {
        (chanvrelia, "6e triennat", "actual", 18.0),
        (chanvrelia, "6e triennat", "target", 25.0),
        (chanvrelia, "7e triennat", "actual", 27.0),
        (chanvrelia, "7e triennat", "target", 35.0),
    }


def test_saved_query_parameters_are_read_from_the_header(tmp_path):
    from miner.store.query import QueryError, QueryParam, saved_queries

    (tmp_path / "good.rq").write_text(
        "# FR: q\n# EN: q\n# PARAM: ?cluster string Nom du cluster\n"
        "SELECT ?cluster WHERE { ?c <http://e/label> ?cluster }\n",
        encoding="utf-8",
    )
    (saved,) = saved_queries(tmp_path)
    assert saved.params == (QueryParam("cluster", "string", "Nom du cluster"),)
    (tmp_path / "bad.rq").write_text("# PARAM: nowhere integer x\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad.rq: line 1: write '# PARAM: name integer\|string\|iri"):
        saved_queries(tmp_path)
    shipped = {q.name: [p.name for p in q.params] for q in saved_queries()}
    assert shipped["question_constats"] == ["question"] and shipped["count_constats"] == []


# ---------------------------------------------------------------- both decrees: missions and crosswalk (issue 26)


@pytest.fixture(scope="module")
def tagged_store():
    """The demo store (shared report and ontology) with six activities tagged under the 2007 axes
    and one under the 2024 missions, as two taggers would load them."""
    from types import SimpleNamespace

    from miner.data.schemes import builtin_scheme
    from miner.rdf.activities import activities_graph
    from miner.records import Activity
    from miner.store.local import load_rdflib_graph

    def classified(rows, size):
        return SimpleNamespace(
            activities=[Activity(id=key, description=f"Activité {key}", cluster=CLUSTER) for key, _ in rows],
            predictions=[
                SimpleNamespace(
                    scores=[0.9 if n in chosen else 0.1 for n in range(1, size + 1)], axes=chosen, evidence=""
                )
                for _, chosen in rows
            ],
            links=[[] for _ in rows],
            model_version="test",
        )

    store = load_shared(open_store(None))
    axes = [("a1", {1}), ("a2", {2, 6}), ("a3", {4}), ("a4", {3}), ("a5", {5}), ("a6", {1, 4})]
    load_rdflib_graph(store, activities_graph(classified(axes, 6), "1" * 64, path="axes.csv"))
    load_rdflib_graph(
        store,
        activities_graph(
            classified([("m1", {4})], 4), "2" * 64, path="missions.csv", scheme=builtin_scheme("missions-2024")
        ),
    )
    return store


def test_activities_by_mission(store, tagged_store):
    assert [(r.mission, r.activities) for r in answer(store, "activities_by_mission").itertuples()] == [
        ("1", 0),
        ("2", 0),
        ("3", 0),
        ("4", 0),
    ]
    # Mission 2 gathers axes 2, 3, 5 and 6 (a2, a4, a5); mission 4 only a related match (axes 2 and 3),
    # which is not counted: only the activity tagged under the missions serves it.
    assert rows(answer(tagged_store, "activities_by_mission")) == [
        ("1", "Cartographier et structurer l'écosystème", 0, 2, 2),
        ("2", "Connecter les membres et renforcer les partenariats", 0, 3, 3),
        ("3", "Rendre visibles le cluster et ses membres", 0, 2, 2),
        ("4", "Soutenir l'innovation des entreprises dans les transitions", 1, 0, 1),
    ]


def test_crosswalk_counts(tagged_store):
    assert rows(answer(tagged_store, "crosswalk_counts")) == [
        ("1", "1", "close", 2),
        ("1", "2", "related", 2),
        ("2", "2", "close", 1),
        ("2", "4", "related", 1),
        ("3", "2", "broad", 1),
        ("3", "4", "related", 1),
        ("4", "3", "close", 2),
        ("5", "2", "broad", 1),
        ("6", "2", "broad", 1),
    ]


def test_contract_indicators():
    """The sample contract states targets, its mid-term evaluation targets and achieved values:
    one row per indicator joins them, naming the document and page of each value."""
    from conftest import ROOT

    from miner.extract.indicators import extract_indicators
    from miner.rdf.indicators import indicators_graph
    from miner.store.local import load_ontology, load_rdflib_graph

    store = open_store(None)
    load_ontology(store, "https://w3id.org/miner/data/graph/ontology")
    for name in ("contrat-chanvrelia-2024.pdf", "evaluation-mi-parcours-chanvrelia-2026.pdf"):
        load_rdflib_graph(store, indicators_graph(extract_indicators(ROOT / "corpora/pdf" / name)))
    df = answer(store, "contract_indicators")
    assert (
        len(df) == 11
        and set(df.cluster) == {"CHANVRELIA cluster des éco-matériaux"}
        and set(df.period) == {"2024-2028"}
    )
    by_name = {r.indicator: r for r in df.itertuples()}
    funds = by_name["Financements obtenus par les projets accompagnés"]
    assert (funds.unit, funds.target, funds.achieved, funds.targetsDisagree) == ("EUR", 1500000.0, 640000.0, False)
    share = by_name["Part des revenus propres dans les recettes du cluster"]
    assert set(share.targetFrom.split("; ")) == {
        "contrat-chanvrelia-2024.pdf p.1",
        "evaluation-mi-parcours-chanvrelia-2026.pdf p.2",
    }
    assert share.achievedFrom == "evaluation-mi-parcours-chanvrelia-2026.pdf p.2"
    assert [(r.indicator, r.achieved) for r in df.itertuples() if r.achieved < r.target / 2] == [
        ("Financements obtenus par les projets accompagnés", 640000.0),
        ("Projets collaboratifs lancés entre membres", 4.0),
    ]
