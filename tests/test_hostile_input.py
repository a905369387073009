"""Issue 13's bypasses, each as a regression test: every one of them got through before.

SERVICE reaching a local listener through three spellings, an invalid escape crashing the CLI and
dropping the endpoint's connection, an entity bomb behind a comment, a body with Content-Length -1,
a foreign Host, a stalled client, a 3000-deep query, a store-open race, a CR in a CSV cell, a
``{{SCRIPTS}}`` label, the members reader's traceback, OSC escapes on the terminal, 0600 files.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import hostile
import pytest
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError
from miner.serve.endpoint import ServeSettings, make_server
from miner.store.local import import_rdf_file, open_store, replace_graphs
from miner.store.pool import QueryPool
from miner.store.query import QueryError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent / "serve"))  # the local listener of the endpoint tests
from test_endpoint_safety import Listener  # noqa: E402


def bypasses(url: str) -> dict[str, str]:
    """The spellings of SERVICE that a text scan missed (issue 13), each aimed at ``url``."""
    service = f"SERVICE <{url}/sparql> {{ ?a ?b ?c }}"
    return {
        "after a dot": f"SELECT * WHERE {{ ?s ?p ?o .{service} }}",
        "comment ended by a bare CR": f"SELECT * WHERE {{ ?s ?p ?o # note\r{service} }}",
        "\\u0022 escape in a string": f'SELECT * WHERE {{ ?s ?p "\\u0022" . {service} }}',
        "\\u0027 escape in a string": f"SELECT * WHERE {{ ?s ?p '\\u0027' . {service} }}",
        "escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?a ?b ?c }} }}",
        "in a sub-select": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {service} }} }} }}",
        "in FILTER EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {service} }} }}",
        "variable endpoint": "SELECT * WHERE { BIND(<%s/sparql> AS ?u) SERVICE ?u { ?a ?b ?c } }" % url,
        "CRLF comment then SERVICE": f"SELECT * WHERE {{ # note\r\n{service} }}",
    }


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/g": [(f"https://e/s{i}", "https://e/p", str(i)) for i in range(50)]})
    store.flush()
    del store
    return folder


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


# ---------------------------------------------------------------- SPARQL screening


def test_service_bypasses_are_refused_and_reach_nothing(store_dir, listener):
    with QueryPool(store_dir, size=1) as pool:
        for name, text in bypasses(listener.url).items():
            with pytest.raises(QueryError):  # refused, or a syntax error once escapes are expanded
                pool.run(text, timeout=scaled(5))
            assert listener.connections == 0, name


def test_service_bypasses_at_the_endpoint_post(store_dir, listener):
    server, base = serving(store_dir)
    try:
        for name, text in bypasses(listener.url).items():
            status, body = call(
                f"{base}/sparql", data=text.encode("utf-8"), headers={"Content-Type": "application/sparql-query"}
            )
            assert status in (400, 403), (name, status, body)
        assert listener.connections == 0
    finally:
        stop(server)


def test_workers_have_no_route_out_even_for_an_unscreened_query(listener):
    """Defence in depth: Oxigraph itself asked for SERVICE, in a process isolated like a worker."""
    code = (
        f"from miner.store.pool import isolate_network\nguards = isolate_network()\nprint(guards)\n"
        f"import pyoxigraph as ox\n"
        f"try:\n    list(ox.Store().query('SELECT * WHERE {{ SERVICE <{listener.url}/s> {{ ?s ?p ?o }} }}'))\n"
        f"except Exception as exc:\n    print('refused', type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=scaled(60),
    )
    assert "refused" in done.stdout, done.stdout + done.stderr
    if sys.platform.startswith("linux"):
        assert "network namespace" in done.stdout or "socket filter" in done.stdout
    listener.close()
    assert listener.connections == 0


def test_pool_workers_report_their_guards(store_dir):
    with QueryPool(store_dir, size=1) as pool:
        guards = pool.network_guards()
    if sys.platform.startswith("linux"):
        assert guards, "no network guard took effect in the query workers"


def test_invalid_code_point_escape_is_one_line_and_400(store_dir):
    query = "SELECT * WHERE { ?s ?p '\\U00110000' }"
    result = CliRunner().invoke(app, ["query", query, "--store", str(store_dir)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "line 1, column 25" in result.output and len(result.output.strip().splitlines()) == 1
    server, base = serving(store_dir)
    try:
        status, body = call(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 400 and "not a Unicode code point" in body
    finally:
        stop(server)


def test_deep_nesting_is_400_not_500(store_dir):
    server, base = serving(store_dir)
    try:
        deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
        status, body = call(f"{base}/sparql", data=deep.encode(), headers={"Content-Type": "application/sparql-query"})
        assert status == 400 and "nested too deeply" in body
        status, _ = call(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 200
    finally:
        stop(server)


def test_a_killed_worker_answers_400_and_is_replaced(store_dir):
    # 50^6 rows: still running when the worker is killed a second in
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z . ?d ?p ?w . ?e ?p ?v . ?f ?p ?u }"
    server, base = serving(store_dir, max_concurrent=1, timeout=scaled(30))
    try:
        outcome = {}
        thread = threading.Thread(
            target=lambda: outcome.update(
                zip(("status", "body"), call(f"{base}/sparql?" + urllib.parse.urlencode({"query": cross})))
            )
        )
        thread.start()
        [worker] = server.pool._all
        deadline = time.monotonic() + scaled(30)
        while worker.guards is None and time.monotonic() < deadline:  # started, and given the query
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(worker.process.pid, signal.SIGKILL)
        thread.join(scaled(30))
        assert outcome["status"] == 400 and "stopped its worker" in outcome["body"], outcome
        status, _ = call(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 200
    finally:
        stop(server)


def test_store_open_race_is_retried(tmp_path):
    """A reader opening while RocksDB swaps its files (CURRENT briefly missing) waits, then answers."""
    folder = tmp_path / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/g": [("https://e/s", "https://e/p", "1")]})
    store.flush()
    del store
    with QueryPool(folder, size=1) as pool:
        current = folder / "CURRENT"
        current.rename(folder / "CURRENT.moved")
        threading.Timer(0.4, lambda: (folder / "CURRENT.moved").rename(current)).start()
        assert pool.run("SELECT ?o WHERE { GRAPH <https://e/g> { ?s ?p ?o } }").values() == [("1",)]


# ---------------------------------------------------------------- XML


@pytest.mark.parametrize("before", ["<!-- <rdf:RDF> -->\n", "<?pi <x> ?>\n", "\ufeff<!-- c -->\n"])
def test_entity_bomb_behind_a_comment_or_pi_is_refused(tmp_path, before):
    bomb = hostile.entity_bomb(tmp_path / "bomb.rdf", 7, before)
    with pytest.raises(InputError, match="DOCTYPE|DTD|entit"):  # refused for its DTD, before any expansion
        import_rdf_file(open_store(None), bomb, "https://example.org/graph/x")


def test_plain_rdf_xml_still_loads(tmp_path):
    path = tmp_path / "ok.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!-- a comment -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#" xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a"><e:p>x</e:p>'
        "</rdf:Description></rdf:RDF>",
        encoding="utf-8",
    )
    assert import_rdf_file(open_store(None), path, "https://example.org/graph/x").triples == 1


# ---------------------------------------------------------------- the endpoint


def serving(store, **settings):
    server = make_server(store, ServeSettings(port=0, **settings))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def stop(server):
    server.shutdown()
    server.server_close()


def call(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=scaled(30)) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def raw(base: str, head: bytes, body_chunks=(), read_timeout=scaled(10.0)):
    """Send a hand-made request; returns (status line, bytes of body sent before the server closed)."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=read_timeout)
    sent = 0
    try:
        sock.sendall(head)
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except OSError:  # the server closed: the body was refused
                break
            sent += len(chunk)
        try:
            answer = sock.recv(4096)
        except OSError:
            answer = b""
        return answer.split(b"\r\n", 1)[0].decode("latin-1"), sent
    finally:
        sock.close()


def test_negative_content_length_is_refused_early(store_dir):
    server, base = serving(store_dir)
    try:
        head = (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -1\r\n\r\n"
        )
        chunk = b"#" * (1 << 20)
        status, sent = raw(base, head, (chunk for _ in range(300)))  # up to 300 MB
        assert status.split()[1] in ("400", "413"), status
        assert sent < 50 * (1 << 20), f"{sent} bytes accepted before the refusal"
    finally:
        stop(server)


def test_chunked_body_over_the_cap_is_413(store_dir):
    server, base = serving(store_dir)
    try:
        head = (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"#" * 60_000
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        status, sent = raw(base, head, (chunk for _ in range(5000)))  # 300 MB
        assert status.split()[1] == "413", status
        assert sent < 50 * (1 << 20)
    finally:
        stop(server)


def test_foreign_host_is_refused_and_allow_host_admits_it(store_dir):
    server, base = serving(store_dir, allow_hosts=("miner.intranet",))
    try:
        ask = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        for host, expected in (
            ("rebind.attacker.example", "400"),
            ("localhost", "200"),
            ("127.0.0.1", "200"),
            ("miner.intranet", "200"),
        ):
            status, _ = raw(base, f"GET {ask} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            assert status.split()[1] == expected, (host, status)
    finally:
        stop(server)


def test_slow_client_is_disconnected(store_dir):
    server, base = serving(store_dir, client_timeout=scaled(1.0))
    try:
        host, port = base.removeprefix("http://").split(":")
        sock = socket.create_connection((host, int(port)), timeout=scaled(10))
        sock.sendall(b"GET /sparql?query=ASK HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        assert sock.recv(100) == b""  # closed by the server (before the socket's own time limit)
        sock.close()
    finally:
        stop(server)


def test_cors_off_by_default_and_on_for_named_origins(store_dir):
    url = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    for settings, expected in (({}, False), ({"cors": ("https://intranet.example",)}, True)):
        server, base = serving(store_dir, **settings)
        try:
            request = urllib.request.Request(base + url, headers={"Origin": "https://intranet.example"})
            with urllib.request.urlopen(request, timeout=scaled(10)) as response:
                assert (response.headers.get("Access-Control-Allow-Origin") == "https://intranet.example") is expected
        finally:
            stop(server)


def test_sparqlwrapper_formats(store_dir):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    server, base = serving(store_dir)
    try:
        for fmt, check in (
            (SPARQLWrapper.JSON, lambda r: len(r["results"]["bindings"]) == 3),
            (SPARQLWrapper.XML, lambda r: len(r.getElementsByTagName("result")) == 3),
            (SPARQLWrapper.CSV, lambda r: len(r.decode().strip().splitlines()) == 4),
            (SPARQLWrapper.TSV, lambda r: len(r.decode().strip().splitlines()) == 4),
        ):
            client = SPARQLWrapper.SPARQLWrapper(base + "/sparql")
            client.setQuery("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 3")
            client.setReturnFormat(fmt)
            assert check(client.query().convert()), fmt
        for fmt in (
            SPARQLWrapper.TURTLE,
            SPARQLWrapper.N3,
            SPARQLWrapper.JSONLD,
            SPARQLWrapper.RDFXML,
            SPARQLWrapper.XML,
        ):
            client = SPARQLWrapper.SPARQLWrapper(base + "/sparql")
            client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2")
            client.setReturnFormat(fmt)
            graph = client.query().convert()  # an rdflib Graph, or Turtle bytes for turtle and n3
            if isinstance(graph, bytes):
                import rdflib

                graph = rdflib.Graph().parse(data=graph, format="turtle")
            assert len(graph) == 2, fmt
    finally:
        stop(server)


# ---------------------------------------------------------------- outputs


def test_a_bare_cr_in_a_cell_stays_one_cell(tmp_path):
    from miner.network.network import write_metrics_csv

    label = "Pôle\r=cmd|' /C calc'!A0"
    path = write_metrics_csv([{"id": "a", "label": label, "type": "PME", "degree": 1}], tmp_path / "m.csv")
    with path.open(newline="", encoding="utf-8") as handle:  # as a spreadsheet splits rows: at CR or LF
        rows = list(csv.reader(handle))
    assert len(rows) == 2 and rows[1][1] == label
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_scripts_placeholder_in_labels_renders_as_text():
    from miner.network.network import build_network, render_html

    graph = build_network(
        [
            {"id": "a", "label": "{{SCRIPTS}}", "type": "PME"},
            {"id": "b", "label": "{{CSP}} </script><b>", "type": "PME"},
        ],
        [{"fact": "f", "source": "a", "target": "b", "kind": "partenariat"}],
    )
    page = render_html(graph, title="{{SCRIPTS}} <i>t</i>")
    plain = render_html(
        build_network(
            [{"id": "a", "label": "A", "type": "PME"}, {"id": "b", "label": "B", "type": "PME"}],
            [{"fact": "f", "source": "a", "target": "b", "kind": "partenariat"}],
        )
    )
    assert page.count("<script") == plain.count("<script") and page.count("</script") == plain.count("</script")
    assert "<title>{{SCRIPTS}} &lt;i&gt;t&lt;/i&gt;</title>" in page
    assert '"label":"{{SCRIPTS}}"' in page and "\\u003c/script\\u003e" in page


def test_files_are_written_0644_under_umask(tmp_path):
    from miner.atomic import write_text_atomic

    previous = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "page.html", "x")
        os.umask(0o027)
        write_text_atomic(tmp_path / "private.csv", "x")
    finally:
        os.umask(previous)
    assert (tmp_path / "page.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.csv").stat().st_mode & 0o777 == 0o640


def test_markdown_values_cannot_carry_html_or_links():
    from miner.data.render import markdown_text

    text = markdown_text("<script>alert(1)</script> [x](javascript:alert(1)) | cell")
    assert "<" not in text and "\\[x\\]" in text and "\\|" in text


# ---------------------------------------------------------------- member lists


def members(*args):
    return CliRunner().invoke(app, ["members", *map(str, args)])


def test_members_cp1252_undefined_byte_is_read_with_a_warning(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(b"Nom;Code postal\nSoci\x81t\xe9 Wallonne SA;5000\n")
    result = members(path)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "latin-1" in result.output and "1 members" in result.output


def test_members_duplicate_header_is_one_clear_line(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("Nom;Type;Nom\nACME;PME;Acme SA\n", encoding="utf-8")
    result = members(path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2 columns are named 'nom' (columns 1, 3)" in result.output


def test_members_merged_title_row_is_skipped(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Liste des membres 2023"
    sheet.merge_cells("A1:C1")
    sheet.append(["Nom", "Type", "Code postal"])
    sheet.append(["Centre de recherche Alpha", "centre de recherche", 4000])
    sheet.append(["Beta SPRL", "PME", 5000])
    path = tmp_path / "members.xlsx"
    book.save(path)
    from miner.extract.members import read_member_list

    result = read_member_list(path)
    assert [m.name for m in result.members] == ["Centre de recherche Alpha", "Beta SPRL"]
    assert any("title above the table" in p for p in result.problems)


def test_members_cr_only_csv_and_xlsx_named_csv(tmp_path):
    from miner.extract.members import read_member_list

    cr = tmp_path / "cr.csv"
    cr.write_bytes(b"Nom;Code postal\rAlpha SA;4000\rBeta SPRL;5000\r")
    assert [m.name for m in read_member_list(cr).members] == ["Alpha SA", "Beta SPRL"]
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Nom", "Code postal"])
    book.active.append(["Gamma SA", 1300])
    disguised = tmp_path / "really-a-workbook.csv"
    book.save(disguised)
    result = read_member_list(disguised)
    assert [m.name for m in result.members] == ["Gamma SA"]
    assert any("content is XLSX" in p for p in result.problems)


def test_osc_escapes_in_names_never_reach_the_terminal(tmp_path):
    path = tmp_path / "members.csv"
    # Unknown postal codes: the names are printed in the problem lines.
    path.write_text("Nom,Code postal\n\x1b]0;owned\x07Evil\x1b[2J SA,99999\n\x9b31mRed SA,99998\n", encoding="utf-8")
    result = members(path)
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x9b" not in result.output
    assert "2 members" in result.output and "Evil" in result.output and "Red SA" in result.output


def test_members_row_cap_applies(tmp_path, monkeypatch):
    import miner.read.spreadsheet as spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 10)
    path = tmp_path / "long.csv"
    path.write_text("Nom\n" + "".join(f"Membre {i}\n" for i in range(20)), encoding="utf-8")
    from miner.extract.members import read_member_list

    with pytest.raises(InputError, match="too large: more than 10 rows"):
        read_member_list(path)


def test_screening_is_safe_under_concurrency():
    """pyparsing's grammar keeps state while it parses: first parses from many threads at once
    (the endpoint's thread pool) once failed a valid ASK; they are serialised."""
    from concurrent.futures import ThreadPoolExecutor

    from miner.store.query import check_query

    texts = [f"ASK {{ ?s <http://e/p{i}> ?o FILTER(?o > {i}) }}" for i in range(40)]  # new to the cache
    with ThreadPoolExecutor(max_workers=8) as executor:
        forms = list(executor.map(lambda text: check_query(text).form, texts))
    assert forms == ["ASK"] * len(texts)
