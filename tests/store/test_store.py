"""The store: replace-by-document loading, imports that fail cleanly, exports, read-only queries, CLI."""

from __future__ import annotations

import json

import pytest
import rdflib
from conftest import EVAL_PDF
from evalfixture import load_shared, shared_evaluation
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError, UsageError
from miner.rdf.vocab import Minter
from miner.store.local import (
    export_store,
    import_rdf_file,
    named_graphs,
    open_store,
    query_df,
    replace_graphs,
    run_query,
)
from miner.store.query import QueryError, QueryRefused, QueryTimeout, check_query, resolve_query_text

runner = CliRunner()
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/miner/store/owners>) }"
"""Data triples: the owners of the graphs (miner.store.owners) are not counted."""


def count(store) -> int:
    return run_query(store, COUNT).values()[0][0]


def test_reloading_a_document_replaces_its_graph_and_leaves_the_rest():
    store = open_store(None)
    replace_graphs(store, {"https://example.org/other": [("https://example.org/a", "https://example.org/p", "kept")]})
    load_shared(store)
    first = count(store)
    graphs = named_graphs(store)
    load_shared(store)
    assert count(store) == first
    assert named_graphs(store) == graphs
    assert run_query(store, "SELECT ?o { GRAPH <https://example.org/other> { ?s ?p ?o } }").values() == [("kept",)]


def test_persistent_store_reopens_read_only(tmp_path):
    store = open_store(tmp_path / "store")
    load_shared(store)
    expected = count(store)
    del store
    reader = open_store(tmp_path / "store", read_only=True)
    assert count(reader) == expected


def test_missing_store_for_reading_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="miner build"):
        open_store(tmp_path / "nothing", read_only=True)


def test_malformed_rdf_names_file_and_line_and_changes_nothing(tmp_path):
    store = load_shared(open_store(None))
    before = count(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix e: <http://e/> .\ne:a e:p e:b .\ne:a e:p "unterminated\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_rdf_file(store, bad, "https://example.org/graph/bad")
    assert "bad.ttl" in str(info.value) and "line 3" in str(info.value)
    assert count(store) == before


def test_rdf_import_replaces_the_files_graph(tmp_path):
    store = open_store(None)
    good = tmp_path / "extra.ttl"
    good.write_text("<http://e/a> <http://e/p> <http://e/b> , <http://e/c> .\n", encoding="utf-8")
    import_rdf_file(store, good, "https://example.org/graph/extra")
    import_rdf_file(store, good, "https://example.org/graph/extra")
    assert count(store) == 2


@pytest.mark.parametrize(
    "name, text",
    [
        ("remote.jsonld", '{"@context": "http://example.org/context.jsonld", "@id": "http://e/a", "name": "x"}'),
        (
            "entity.rdf",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "http://example.org/x">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            '<rdf:Description rdf:about="http://e/a"><e:p>&x;</e:p></rdf:Description></rdf:RDF>',
        ),
    ],
)
def test_parsing_never_dereferences_remote_urls(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    store = open_store(None)
    with pytest.raises(InputError, match=name):
        import_rdf_file(store, path, "https://example.org/graph/x")
    assert count(store) == 0


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nq", "jsonld"])
def test_export_formats_parse_back(fmt):
    store = load_shared(open_store(None))
    data = export_store(store, fmt)
    rdflib_format = {"turtle": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=rdflib_format)
    triples = sum(1 for _ in dataset.quads((None, None, None, None)))
    assert triples >= count(store) - 5  # union formats merge the few triples repeated across graphs


def test_unknown_export_format():
    with pytest.raises(UsageError, match="turtle"):
        export_store(open_store(None), "yaml")


# ---------------------------------------------------------------- query safety


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://e/a> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://e/g>",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service<http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_writes_and_remote_calls_are_refused(text):
    with pytest.raises(QueryRefused):
        run_query(open_store(None), text)


def test_keywords_inside_strings_iris_comments_variables_are_fine():
    checked = check_query(
        '# DELETE this comment\nSELECT ?service ?load WHERE { ?service <http://e/LOAD> "SERVICE" '
        "OPTIONAL { ?service <http://e/p> ?load } }"
    )
    assert checked.form == "SELECT"


def test_from_must_name_a_graph_of_the_store():
    store = load_shared(open_store(None))
    with pytest.raises(QueryRefused, match="never fetched"):
        run_query(store, "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }")
    graph = str(Minter().graph(shared_evaluation().source.sha256))
    rows = run_query(store, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}").values()
    assert rows[0][0] > 1000


def test_syntax_error_gives_line_and_column():
    """In process, the screening parser's position (the unfinished triple); through the query
    workers (CLI, endpoint), Oxigraph's, asked in a process without network."""
    with pytest.raises(QueryError, match=r"line 2, column 2"):
        run_query(open_store(None), "SELECT * WHERE {\n ?s ?p }")


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    """Syntax errors in Oxigraph's words come from an isolated query worker (the screening parser
    refuses the text first; Oxigraph is asked only where it cannot reach the network)."""
    from miner.store.pool import QueryPool

    folder = tmp_path_factory.mktemp("words") / "store"
    store = open_store(folder)
    store.flush()
    del store
    with QueryPool(folder, size=1) as workers:
        yield workers


@pytest.mark.parametrize(
    "query, words",
    [
        # Oxigraph lists character classes as Rust ranges and "[_]" for any character: said in words
        ("SELECT ?x WHERE { ?x a ?y } GROUP BY", 'expected one of "$", "(", ":", "<", "?", a letter'),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT x", "expected one of HAVING, OFFSET, OPTIONAL, VALUES, a digit"),
        ("SELECT ?x WHERE { ?x <http://a b> ?y }", "(before '?y'): expected a valid IRI"),
        ("SELECT * WHERE { ?s ?p 1.2.3 }", "something else was expected here"),
    ],
)
def test_syntax_error_in_plain_words(query, words, pool):
    with pytest.raises(QueryError) as caught:
        pool.run(query)
    message = str(caught.value)
    assert words in message
    assert "[_]" not in message and "..=" not in message and "\\u{" not in message


def test_timeout_and_row_cap():
    store = open_store(None)
    # 24 million join rows: seconds of work, so a 0.05 s limit stops it and the abandoned thread ends soon.
    replace_graphs(
        store, {"https://example.org/g": [(f"https://e/{i}", "https://e/p", str(i % 3)) for i in range(600)]}
    )
    with pytest.raises(QueryTimeout):
        run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?x . ?c ?p ?x }", timeout=scaled(0.05))
    result = run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=10)
    assert len(result.rows) == 10 and result.truncated


def test_saved_query_names_and_files(tmp_path):
    assert "miner:constatCount" in resolve_query_text("count_constats")  # read from the evaluation summaries
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert resolve_query_text(str(path)) == "ASK {}"
    with pytest.raises(QueryError, match="partial_criteria"):
        resolve_query_text("no_such_query")


def test_query_df_returns_python_values():
    df = query_df("count_constats", load_shared(open_store(None)))
    assert list(df.columns) == ["cluster", "cycle", "constats"]
    assert df.constats[0] == 29


# ---------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = tmp_path_factory.mktemp("cli") / "store"
    result = runner.invoke(app, ["build", str(EVAL_PDF), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_cli_build_twice_adds_nothing(built):
    before = runner.invoke(app, ["query", COUNT, "--store", str(built), "--format", "csv"]).output
    assert runner.invoke(app, ["build", str(EVAL_PDF), "--store", str(built)]).exit_code == 0
    assert runner.invoke(app, ["query", COUNT, "--store", str(built), "--format", "csv"]).output == before


def test_cli_query_formats(built):
    out = runner.invoke(app, ["query", "partial_criteria", "--store", str(built), "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    themes = [b["theme"]["value"] for b in data["results"]["bindings"]]
    assert themes == ["Amélioration des réalisations", "Pérennité", "Pérennité"]
    csv_out = runner.invoke(app, ["query", "count_criteria", "--store", str(built), "--format", "csv"]).output
    assert csv_out.splitlines()[1].endswith(",18")
    tsv = runner.invoke(
        app, ["query", "question_constats", "--bind", "question=5", "--store", str(built), "--format", "tsv"]
    ).output
    assert len(tsv.splitlines()) == 4
    table = runner.invoke(app, ["query", "member_counts", "--store", str(built)]).output
    assert "183" in table


def test_cli_bad_queries_exit_2(built):
    out = runner.invoke(app, ["query", "SELECT * WHERE {\n ?s ?p }", "--store", str(built)])
    assert out.exit_code == 2 and "line 2, column 9" in out.output
    out = runner.invoke(app, ["query", "DROP ALL", "--store", str(built)])
    assert out.exit_code == 2 and "read-only" in out.output
    out = runner.invoke(app, ["query", "count_constats", "--store", str(built), "--format", "yaml"])
    assert out.exit_code == 2 and "unknown format" in out.output


def test_cli_export_atomic_file(built, tmp_path):
    out = tmp_path / "kg.ttl"
    assert runner.invoke(app, ["export", "--store", str(built), "--format", "turtle", "--out", str(out)]).exit_code == 0
    g = rdflib.Graph().parse(out)
    assert len(g) > 1000
    bad = runner.invoke(app, ["export", "--store", str(built), "--format", "yaml"])
    assert bad.exit_code == 2


def test_cli_build_malformed_rdf_reports_and_keeps_store(built, tmp_path):
    before = runner.invoke(app, ["query", COUNT, "--store", str(built), "--format", "csv"]).output
    bad = tmp_path / "broken.nt"
    bad.write_text("<http://e/a> <http://e/p> .\n", encoding="utf-8")
    out = runner.invoke(app, ["build", str(bad), "--store", str(built)])
    assert out.exit_code == 1 and "broken.nt" in out.output and "line 1" in out.output
    assert runner.invoke(app, ["query", COUNT, "--store", str(built), "--format", "csv"]).output == before


def test_pipeline_steps_load_and_query(tmp_path, capsys):
    from miner.pipeline.context import RunContext
    from miner.pipeline.progress import Reporter
    from miner.pipeline.registry import get_step

    lines: list[str] = []
    ctx = RunContext(
        inputs=[], store=tmp_path / "store", out=tmp_path, root=tmp_path, reporter=Reporter("human", echo=lines.append)
    )
    ctx.evaluations = [shared_evaluation()]
    graph = get_step("miner.graph.v1")
    graph.func(ctx, graph.check_params({}))
    query = get_step("miner.query.v1")
    query.func(ctx, query.check_params({"queries": ["count_constats", "partial_criteria"]}))
    text = "\n".join(lines)
    assert "INFOPOLE cluster TIC  7e triennat  29" in text
    assert "Pérennité" in text and not ctx.failures
