"""A query worker hands a SELECT's rows over as SPARQL TSV written by Oxigraph: the parent gets the
same terms, in the same order, cut at the same row cap, as from the rows themselves."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from miner.store.local import open_store, run_query, run_query_tsv
from miner.store.pool import query_store
from miner.store.query import QueryResult, find_saved_query, format_result, tsv_rows

G = ox.NamedNode("https://example.org/g")
P = ox.NamedNode("https://example.org/p")
XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.Literal('a line\nanother\tafter a tab, "quoted", \\ and é'),
    ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("1e0", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("Partiel", language="fr"),
    ox.NamedNode("https://example.org/o"),
    ox.BlankNode("b7"),
]
QUERY = (
    "SELECT ?s ?o ?unbound WHERE { ?s <https://example.org/p> ?o OPTIONAL { ?s <https://none> ?unbound } } ORDER BY ?o"
)


@pytest.fixture
def store():
    handle = ox.Store()
    for index, term in enumerate(TERMS):
        handle.add(ox.Quad(ox.NamedNode(f"https://example.org/s{index}"), P, term, G))
    return handle


@pytest.mark.parametrize("cap", [None, 0, 1, len(TERMS) - 1, len(TERMS), len(TERMS) + 1])
def test_rows_from_tsv_are_the_query_rows_cut_at_the_same_cap(store, cap):
    expected = run_query(store, QUERY, max_rows=cap)
    packed = run_query_tsv(store, QUERY, max_rows=cap)
    assert packed.tsv and not packed.rows  # nothing built per cell before the hand-over
    got = packed.unpack()
    assert got.variables == expected.variables == ["s", "o", "unbound"]
    assert got.rows == expected.rows and got.truncated == expected.truncated
    assert len(got.rows) == (len(TERMS) if cap is None else min(cap, len(TERMS)))


def test_an_empty_answer_keeps_its_columns(store):
    got = run_query_tsv(store, "SELECT ?x ?y WHERE { ?x ?y 'nothing' }").unpack()
    assert (got.variables, got.rows, got.truncated) == (["x", "y"], [], False)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?o ?s WHERE { ?s ?p ?o . ?t ?q ?u } ORDER BY ?s ?t",  # each term on many rows
        "SELECT ?unbound WHERE { ?s ?p ?o OPTIONAL { ?s <https://none> ?unbound } }",  # one column, none bound
        "SELECT ?a ?b WHERE { ?s ?p ?o }",  # two columns, none bound: each line a lone tab
        "SELECT ?o (IF(isLiteral(?o), ?o, ?unbound) AS ?maybe) WHERE { ?s ?p ?o }",  # some cells unbound
        "SELECT * WHERE { }",  # no variable: one empty row
    ],
)
def test_rows_parsed_once_per_distinct_cell_are_oxigraphs_rows(store, query):
    """Each distinct cell of the TSV parsed once gives, row for row, the terms Oxigraph's own parse gives."""
    data = run_query_tsv(store, query, max_rows=None).tsv
    whole = [tuple(s) for s in ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)]
    assert tsv_rows(data) == whole
    assert whole  # every form answers rows


def test_a_text_table_shows_a_repeated_term_as_it_shows_it_once(store):
    """A text table writes each distinct term once and repeats it: every line reads as the table of
    its row alone."""
    answer = run_query_tsv(store, "SELECT ?o ?s WHERE { ?s ?p ?o . ?t ?q ?u } ORDER BY ?s ?t", max_rows=None).unpack()
    lines = format_result(answer, "table").splitlines()[2:-1]
    assert len(lines) == len(TERMS) ** 2
    for row, line in zip(answer.rows, lines):
        alone = QueryResult("SELECT", answer.variables, [row])
        assert line.split() == format_result(alone, "table").splitlines()[2].split()


def test_ask_and_construct_answer_as_before(store):
    assert run_query_tsv(store, "ASK { ?s ?p ?o }").boolean is True
    assert len(run_query_tsv(store, "CONSTRUCT WHERE { ?s ?p ?o }").triples) == len(TERMS)


def test_a_worker_answers_a_saved_query_as_the_store_does(tmp_path):
    from miner.store.write import replace_graphs

    folder = tmp_path / "store"
    disk = open_store(folder)
    replace_graphs(disk, {G.value: [(f"https://example.org/s{i}", P.value, str(i)) for i in range(30)]})
    del disk
    text = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    answer = query_store(folder, text, max_rows=20)
    direct = run_query(open_store(folder, read_only=True), text, max_rows=20)
    assert answer.rows == direct.rows and answer.truncated and len(answer.rows) == 20
    saved = find_saved_query("count_constats").text
    assert query_store(folder, saved).variables == ["cluster", "cycle", "constats"]


def test_a_worker_imports_the_parents_miner_not_one_in_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    disk = open_store(folder)
    from miner.store.write import replace_graphs

    replace_graphs(disk, {G.value: [("https://example.org/s", P.value, "1")]})
    del disk
    elsewhere = tmp_path / "work"
    (elsewhere / "miner").mkdir(parents=True)
    (elsewhere / "miner" / "__init__.py").write_text("raise SystemExit('the working directory was imported')\n")
    monkeypatch.chdir(elsewhere)
    assert query_store(folder, f"SELECT ?o WHERE {{ GRAPH <{G.value}> {{ ?s ?p ?o }} }}").values() == [("1",)]


@pytest.mark.parametrize("cap", [None, 2])
def test_json_written_from_the_workers_tsv_is_the_json_of_the_rows(store, cap):
    """The endpoint formats a worker's rows without unpacking them (Oxigraph writes the JSON): the
    same document as from the terms, escapes, numbers as written, language tags, blank nodes,
    unbound values and the row cap included."""
    import json

    from miner.store.query import format_result

    packed = run_query_tsv(store, QUERY, max_rows=cap)
    direct = format_result(packed, "json")
    assert packed.tsv  # formatted as it came, not unpacked first
    assert json.loads(direct) == json.loads(format_result(run_query(store, QUERY, max_rows=cap), "json"))
    assert direct.endswith("}\n") and not direct.endswith("\n\n")
    assert format_result(packed, "csv") == format_result(run_query(store, QUERY, max_rows=cap), "csv")


@pytest.mark.parametrize("enabled", [True, False])
def test_rows_are_built_with_the_cycle_collector_held_off_and_its_state_given_back(store, enabled):
    """unpack and values pause Python's cycle collector (its passes over the rows made so far grew
    faster than the rows) and leave it as they found it, also when building fails."""
    import gc

    from miner.store.query import cyclic_gc_paused

    expected = run_query(store, QUERY).rows
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        result = run_query_tsv(store, QUERY, max_rows=None)
        assert result.unpack().rows == expected
        assert gc.isenabled() is enabled
        assert [len(row) for row in result.values()] == [3] * len(TERMS)
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), cyclic_gc_paused():
            assert not gc.isenabled()
            raise ZeroDivisionError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
