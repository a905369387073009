"""The SPARQL endpoint: protocol, content negotiation, read-only refusals, limits, and the query page
driven in a real headless Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from evalfixture import shared_store_folder
from timeouts import scaled

from miner.serve.endpoint import CSP, ServeSettings, make_server, negotiate

ASSETS = Path(__file__).resolve().parents[2] / "miner" / "data" / "assets"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return shared_store_folder(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def endpoint(store_dir):
    server = make_server(store_dir, ServeSettings(port=0, timeout=scaled(5), max_rows=50, max_request_bytes=4096))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def call(url, *, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=scaled(10)) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def get(base, query, accept=None, **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return call(f"{base}/sparql?{qs}", headers={"Accept": accept} if accept else {})


PARTIAL = (Path(__file__).resolve().parents[2] / "ontology" / "queries" / "partial_criteria.rq").read_text(
    encoding="utf-8"
)


def test_get_json_results(endpoint):
    status, headers, body = get(endpoint, PARTIAL, "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    data = json.loads(body)
    assert [b["constat"]["value"] for b in data["results"]["bindings"]] == ["13", "28", "29"]


def test_post_form_and_direct_body(endpoint):
    form = urllib.parse.urlencode({"query": PARTIAL}).encode()
    status, headers, body = call(
        f"{endpoint}/sparql",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["cluster", "cycle", "question", "theme", "constat", "text"]
    assert [r[3] for r in rows[1:]] == ["Amélioration des réalisations", "Pérennité", "Pérennité"]
    status, headers, body = call(
        f"{endpoint}/sparql",
        data=PARTIAL.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert status == 200 and body.startswith("?cluster\t?cycle")


def test_xml_results_and_ask(endpoint):
    status, headers, body = get(endpoint, "ASK { ?s ?p ?o }", "application/sparql-results+xml")
    assert status == 200 and "<boolean>true</boolean>" in body


@pytest.mark.parametrize(
    "accept, media, marker",
    [
        ("text/turtle", "text/turtle", "@prefix"),
        ("application/ld+json", "application/ld+json", "@id"),
        ("application/n-triples", "application/n-triples", "<https://w3id.org/miner/data/"),
    ],
)
def test_construct_negotiation(endpoint, accept, media, marker):
    query = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a <https://w3id.org/miner/ontology#Cycle> ; ?p ?o }"
    status, headers, body = get(endpoint, query, accept)
    assert status == 200 and headers["Content-Type"] == media and marker in body


def test_forced_format_for_downloads(endpoint):
    status, headers, body = get(endpoint, PARTIAL, format="csv")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    status, _, body = get(endpoint, PARTIAL, format="yaml")
    assert status == 400 and "unknown format" in body


@pytest.mark.parametrize(
    "query",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://e/a> <http://e/p> 1 }",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR ALL",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
    ],
)
def test_read_only_refusals(endpoint, query):
    status, _, body = get(endpoint, query)
    assert status == 403 and "refused" in body or "never fetched" in body


def test_update_forms_refused(endpoint):
    status, _, body = call(
        f"{endpoint}/sparql", data=b"update=DROP+ALL", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 403 and "read-only" in body
    status, _, body = call(
        f"{endpoint}/sparql", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert status == 403


def test_syntax_error_is_400_with_position(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE {\n ?s ?p }")
    assert status == 400 and "line 2, column 9" in body  # Oxigraph's words, asked in an isolated worker


def test_limits(endpoint):
    status, _, _ = call(
        f"{endpoint}/sparql",
        data=b"query=" + b"x" * 5000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413
    status, headers, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert status == 200 and headers["X-Miner-Truncated"] == "true"
    assert len(body.strip().splitlines()) == 51
    status, _, _ = get(endpoint, "")
    assert status == 400
    status, _, _ = call(f"{endpoint}/nothing")
    assert status == 404


def test_page_and_assets_are_local_with_csp(endpoint):
    status, headers, body = call(f"{endpoint}/")
    assert status == 200 and headers["Content-Security-Policy"] == CSP
    assert 'http-equiv="Content-Security-Policy"' in body
    for name in ("page.html", "sparql.html", "sparql.js", "sparql.css"):
        text = (ASSETS / name).read_text(encoding="utf-8")
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:|//)""", text), name  # no remote asset
        assert 'fetch("http' not in text and "cdn" not in text.lower()
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "document.write" not in text
    assert call(f"{endpoint}/assets/sparql.js")[0] == 200
    status, _, body = call(f"{endpoint}/queries")
    assert status == 200 and len(json.loads(body)) >= 12
    params = {q["name"]: q["params"] for q in json.loads(body)}
    assert params["question_constats"] == [
        {"name": "question", "type": "integer", "label": params["question_constats"][0]["label"]}
    ]
    assert params["count_constats"] == []


def meta_csp(page: str) -> str | None:
    """The policy of a page's CSP meta element, as the browser reads it (character references decoded)."""
    found: list[str] = []

    class Meta(HTMLParser):
        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
                found.append(values.get("content") or "")

    Meta().feed(page)
    return found[0] if found else None


def test_vendored_editor_is_served_with_its_record_and_the_same_csp(endpoint):
    from miner.store.query import PREFIXES

    for path, media in (
        ("/assets/vendor/yasgui.min.js", "text/javascript"),
        ("/assets/vendor/yasgui.min.css", "text/css"),
        ("/assets/vendor/chart.umd.min.js", "text/javascript"),
    ):
        status, headers, body = call(endpoint + path)
        assert status == 200 and headers["Content-Type"].startswith(media) and len(body) > 10_000, path
    record = (ASSETS / "vendor" / "VENDORED.txt").read_text(encoding="utf-8")
    assert "@zazuko/yasgui 4.6.2" in record and "chart.js 4.6.1" in record and record.count("licence: MIT") == 2
    assert (ASSETS / "vendor" / "LICENSE-yasgui.txt").read_text(encoding="utf-8").startswith("MIT License")
    # the page's own CSP equals the header's, so neither loosens the other
    _, _, page = call(f"{endpoint}/")  # as served: the template rendered on miner's base page
    meta = meta_csp(page)
    assert meta == CSP.replace("; frame-ancestors 'none'", "")
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    status, _, body = call(f"{endpoint}/prefixes")
    assert status == 200 and json.loads(body) == PREFIXES


def test_negotiate_defaults():
    assert negotiate("", "SELECT", None) == ("json", "application/sparql-results+json")
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT", None)[0] == "xml"
    assert negotiate("*/*", "CONSTRUCT", None)[0] == "turtle"


def test_default_bind_is_loopback():
    assert ServeSettings().host == "127.0.0.1"


# ---------------------------------------------------------------- the page in a real browser


def chromium_paths():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = Path("/usr/bin/chromedriver")
    return browser, driver if driver.exists() else None


@pytest.mark.browser
@pytest.mark.slow
def test_page_runs_an_example_in_headless_chromium(endpoint, tmp_path):
    browser, driver_path = chromium_paths()
    if not browser or not driver_path:
        pytest.skip("chromium and chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path and browser binary: selenium-manager never runs, nothing is downloaded.
    driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    try:
        driver.get(endpoint + "/")
        wait = WebDriverWait(driver, scaled(20))
        example = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, 'button.example[data-name="partial_criteria"]'))
        )
        example.click()
        driver.find_element(By.ID, "run-params").click()  # the query's parameters are offered first; empty: all
        table = ".tabPanel.active .yasr .dataTable"

        def cells(d):  # read in one script: the table is redrawn while a query runs
            return d.execute_script(
                f"return Array.from(document.querySelectorAll('{table} tbody tr'))"
                ".map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))"
            )

        wait.until(lambda d: len(cells(d)) == 3)
        headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, f"{table} thead th")]
        assert headers == ["cluster", "cycle", "question", "theme", "constat", "text"]
        # the simple view: plain values, no row numbers
        assert [(r[3], r[4]) for r in cells(driver)] == [
            ("Amélioration des réalisations", "13"),
            ("Pérennité", "28"),
            ("Pérennité", "29"),
        ]
        # A query typed by hand and run with Ctrl+Enter, with markup in a literal: shown as text, not parsed as HTML.
        driver.execute_script(
            "window.minerQueryPage.yasgui.getTab().setQuery(arguments[0])",
            "SELECT ?x WHERE { BIND(\"<b id='injected'>x</b>\" AS ?x) }",
        )
        from selenium.webdriver.common.keys import Keys

        editor = driver.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror textarea")
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: len(cells(d)) == 1)
        assert cells(driver)[0][0] == "<b id='injected'>x</b>"
        assert driver.find_elements(By.ID, "injected") == []
        # A refused query shows the endpoint's message.
        driver.execute_script("window.minerQueryPage.yasgui.getTab().setQuery('CLEAR ALL')")
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: "refused" in d.find_element(By.ID, "status").text)
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "/sparql" not in e["message"]]
        assert severe == []
    finally:
        driver.quit()
