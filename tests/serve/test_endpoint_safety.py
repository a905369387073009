"""The query paths from outside (CLI, endpoint) never write, never reach the network, stop runaway
queries at their limit while answering others, and hold a bounded loopback load."""

from __future__ import annotations

import json
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hostile
import pytest
from evalfixture import shared_store_folder
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError
from miner.serve.endpoint import ServeSettings, make_server
from miner.store.local import import_rdf_file, open_store, replace_graphs
from miner.store.pool import QueryPool
from miner.store.query import QueryRefused, QueryTimeout

PARTIAL = (Path(__file__).resolve().parents[2] / "ontology" / "queries" / "partial_criteria.rq").read_text(
    encoding="utf-8"
)
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?x . ?c ?p ?x }"


class Listener:
    """A local TCP listener that counts the connections it receives (it must receive none)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(scaled(0.2))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        time.sleep(0.3)  # a late connection attempt would still be counted
        self.stopped.set()
        self.thread.join(scaled(2))
        self.sock.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return shared_store_folder(tmp_path_factory.mktemp("safety") / "store")


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()
    assert listening.connections == 0, "something reached the network"


def hostile_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <http://e/g>",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url}/> SELECT * FROM r:data.ttl WHERE {{ ?s ?p ?o }}",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "INSERT DATA { <http://e/a> <http://e/p> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <http://e/g>",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    ]


def test_pool_refuses_and_nothing_leaves(store_dir, listener):
    with QueryPool(store_dir, size=1) as pool:
        before = pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values()
        for text in hostile_queries(listener.url):
            with pytest.raises(QueryRefused, match="refused|never fetched"):
                pool.run(text)
        assert pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values() == before


def test_cli_refuses_with_a_message(store_dir, listener):
    runner = CliRunner()
    for text in hostile_queries(listener.url)[:6]:
        result = runner.invoke(app, ["query", text, "--store", str(store_dir)])
        assert result.exit_code == 2, (text, result.output)
        assert "refused" in result.output or "never fetched" in result.output


def test_rdf_files_that_would_fetch_are_refused(tmp_path, listener):
    files = {
        "context.jsonld": json.dumps({"@context": f"{listener.url}/context.jsonld", "@id": "http://e/a", "name": "x"}),
        "import.jsonld": json.dumps({"@context": [{"@import": f"{listener.url}/c.jsonld"}], "@id": "http://e/a"}),
        "system-entity.rdf": (
            f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{listener.url}/x">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            '<rdf:Description rdf:about="http://e/a"><e:p>&x;</e:p></rdf:Description></rdf:RDF>'
        ),
        "external-dtd.rdf": (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{listener.url}/rdf.dtd">\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
        ),
    }
    store = open_store(None)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=name):
            import_rdf_file(store, tmp_path / name, "https://example.org/graph/x")
    assert len(store) == 0


def test_entity_expansion_is_refused_fast(tmp_path):
    bomb = hostile.entity_bomb(tmp_path / "laughs.rdf", 9)
    assert bomb.stat().st_size < 1000
    with pytest.raises(InputError, match="DOCTYPE"):  # refused for its DTD, before any expansion
        import_rdf_file(open_store(None), bomb, "https://example.org/graph/x")


# ---------------------------------------------------------------- the endpoint


def call(url, data=None, headers=None, timeout=scaled(30)):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def get(base, query, **params):
    return call(
        f"{base}/sparql?" + urllib.parse.urlencode({"query": query, **params}),
        headers={"Accept": "application/sparql-results+json"},
    )


def serving(store, **settings):
    server = make_server(store, ServeSettings(port=0, **settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def test_endpoint_refuses_and_nothing_leaves(store_dir, listener):
    server, base = serving(store_dir)
    try:
        assert server.server_address[0] == "127.0.0.1"
        for text in hostile_queries(listener.url):
            status, body = get(base, text)
            assert status == 403 and ("refused" in body or "never fetched" in body), (text, status, body)
        status, body = get(base, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": listener.url + "/g"})
        assert status == 400
    finally:
        server.shutdown()
        server.server_close()


def test_cross_product_is_stopped_while_other_queries_are_answered(tmp_path):
    folder = tmp_path / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/g": [(f"https://e/{i}", "https://e/p", str(i % 3)) for i in range(3000)]})
    del store
    server, base = serving(folder, timeout=scaled(2), max_concurrent=2)
    try:
        outcome = {}

        def runaway():
            outcome["status"], outcome["body"] = get(base, CROSS)

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        answered = []
        while thread.is_alive():  # answered while the runaway query runs
            status, body = get(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://e/g> { ?s ?p ?o } }")
            answered.append(status)
        thread.join()
        assert outcome["status"] == 503 and f"time limit of {scaled(2):g} s" in outcome["body"]
        assert len(answered) >= 5 and set(answered) == {200}
        assert server.pool.killed == 1
        status, body = get(
            base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://e/g> { ?s ?p ?o } }"
        )  # the worker was replaced
        assert status == 200 and '"3000"' in body
        with QueryPool(folder, size=1) as pool, pytest.raises(QueryTimeout):
            pool.run(CROSS, timeout=scaled(0.5))
    finally:
        server.shutdown()
        server.server_close()


def test_loopback_load(store_dir):
    """1,000 requests from 20 threads on 127.0.0.1: 0 errors; prints p95."""
    server, base = serving(store_dir, max_concurrent=2)
    queries = [
        PARTIAL,
        "ASK { ?s ?p ?o }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT ?c WHERE { ?c a <https://w3id.org/miner/ontology#Constat> } LIMIT 20",
    ]

    def one(i):
        start = time.monotonic()
        status, _ = get(base, queries[i % len(queries)])
        return status, time.monotonic() - start

    try:
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as executor:
            results = list(executor.map(one, range(1000)))
        elapsed = time.monotonic() - start
    finally:
        server.shutdown()
        server.server_close()
    errors = [status for status, _ in results if status != 200]
    latencies = sorted(seconds for _, seconds in results)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(
        f"\nload test: 1000 requests, 20 concurrent, {len(errors)} errors, p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {1000 / elapsed:.0f} req/s"
    )
    assert errors == []
