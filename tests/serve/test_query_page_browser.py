"""The endpoint's query page (YASGUI) in headless Chromium, as an analyst uses it: a saved query
run with a parameter from its form field, the second page of a long answer, an IRI clicked to
DESCRIBE it, a share link reopened in a fresh page, a syntax error shown at its line and column.
Everything is served by miner itself: no request leaves the machine, no CSP violation is logged."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from browser import NEEDS_CHROMIUM, chromium, requested
from timeouts import scaled

pytestmark = NEEDS_CHROMIUM

MINER = "https://w3id.org/miner/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CONSTATS_PER_QUESTION = {1: 7, 2: 73, 3: 11}
"""Question 2 has more constats than YASR's page of 50 rows, so its answer has a second page."""


SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"  # constat numbers, as miner writes them


def _evaluation_graph() -> list[tuple]:
    """The triples question_constats.rq and question_overview.rq read: one evaluation, three questions,
    with the summaries a build writes."""
    import pyoxigraph as ox

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

    e, c, y = "https://e/evaluation", "https://e/cluster", "https://e/cycle"
    triples = [
        (e, MINER + "evaluatedCluster", c),
        (e, MINER + "cycle", y),
        (c, RDFS + "label", "Cluster Démo"),
        (y, RDFS + "label", "7e triennat"),
        # the evaluation's summary, as a build writes it: question_constats reads the labels from it
        (f"{e}/summary", RDF_TYPE, MINER + "EvaluationSummary"),
        (f"{e}/summary", MINER + "summarises", e),
        (f"{e}/summary", MINER + "clusterLabel", "Cluster Démo"),
        (f"{e}/summary", MINER + "cycleLabel", "7e triennat"),
    ]
    number = 0
    for question, count in CONSTATS_PER_QUESTION.items():
        q = f"https://e/question/{question}"
        triples += [
            (q, MINER + "questionNumber", integer(question)),
            (q, DCTERMS + "isPartOf", e),
            (q, MINER + "text", f"Question {question}"),
            (q, MINER + "hasCriterion", f"{q}/criterion/1"),
        ]
        for _ in range(count):
            number += 1
            k = f"https://e/constat/{number}"
            triples += [
                (k, MINER + "question", q),
                (k, RDF_TYPE, MINER + "Constat"),
                (k, MINER + "constatNumber", integer(number)),
                (k, SKOS_NOTATION, integer(number)),
                (k, MINER + "text", f"Constat {number:03d}"),
                (k, MINER + "page", integer(1 + number // 10)),
            ]
            # the constat's summary, as a build writes it (miner.rdf.summary): question_constats reads it
            part = f"{k}/summary"
            triples += [
                (part, RDF_TYPE, MINER + "ConstatSummary"),
                (part, MINER + "summarises", k),
                (part, MINER + "summaryQuestionNumber", integer(question)),
                (part, MINER + "summaryNotation", integer(number)),
                (part, MINER + "summaryText", f"Constat {number:03d}"),
                (part, MINER + "summaryPage", integer(1 + number // 10)),
            ]
        # the question's summary, as a build writes it (miner.rdf.summary): question_overview reads it
        summary = f"{q}/summary"
        triples += [
            (summary, RDF_TYPE, MINER + "QuestionSummary"),
            (summary, MINER + "summarises", q),
            (summary, MINER + "clusterLabel", "Cluster Démo"),
            (summary, MINER + "cycleLabel", "7e triennat"),
            (summary, MINER + "questionNumber", integer(question)),
            (summary, MINER + "summaryText", f"Question {question}"),
            (summary, MINER + "criterionCount", integer(1)),
            (summary, MINER + "constatCount", integer(count)),
        ]
    return triples


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from miner.serve.endpoint import ServeSettings, make_server
    from miner.store.local import open_store, replace_graphs

    folder = tmp_path_factory.mktemp("query-page") / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/graph": _evaluation_graph()})
    del store
    server = make_server(folder, ServeSettings(port=0, max_concurrent=2))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    with chromium("--window-size=1400,1000") as driver:
        yield driver


def wait(driver, condition, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, scaled(seconds)).until(condition)


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return !!window.minerQueryPage"))


TABLE_JS = """
const panel = document.querySelector('.tabPanel.active');
const head = Array.from(panel.querySelectorAll('.yasr .dataTable thead th')).map(th => th.textContent.trim());
const skip = head[0] === '' ? 1 : 0;  // the row numbers, shown outside the simple view
const body = Array.from(panel.querySelectorAll('.yasr .dataTable tbody tr'))
  .map(tr => Array.from(tr.querySelectorAll('td')).slice(skip).map(td => td.textContent.trim()));
return [head.slice(skip), body];
"""


def table(driver) -> tuple[list[str], list[list[str]]]:
    """The active tab's result table as shown: its column names and the rows of the visible page
    (read in one script: the table is redrawn while a query runs)."""
    head, body = driver.execute_script(TABLE_JS)
    return head, [row for row in body if row != ["No data available in table"]]


def rows(driver) -> list[list[str]]:
    return table(driver)[1]


def column(driver, name: str) -> list[str]:
    head, body = table(driver)
    index = head.index(name)
    return [re.sub(r'^"(.*)"(?:\^\^\S+|@\S+)$', r"\1", row[index], flags=re.DOTALL) for row in body]


def leaving(driver) -> list[str]:
    """The requests since the last call that would leave the machine."""
    return [
        u
        for u in requested(driver)
        if urlsplit(u).scheme in ("http", "https", "ws", "wss")
        and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
    ]


def severe(driver) -> list[str]:
    return [
        e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and "/sparql" not in e["message"]
    ]  # a 400 answer to a bad query is logged as a failed fetch


def test_saved_query_with_a_parameter_paging_describe_and_share_link(browser, endpoint):
    from selenium.webdriver.common.by import By

    open_page(browser, endpoint)
    browser.execute_script("localStorage.clear()")
    open_page(browser, endpoint)
    # the saved query lists its parameter and gets a form field for it
    button = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, '#examples button[data-name="question_constats"]'))
    assert "?question" in button.text
    button.click()
    field = wait(browser, lambda d: d.find_element(By.ID, "param-question"))
    field.send_keys("2")
    browser.find_element(By.ID, "run-params").click()
    wait(browser, lambda d: len(rows(d)) == 50)
    assert set(column(browser, "question")) == {"2"}
    assert "VALUES ?question { 2 }" in browser.execute_script("return window.minerQueryPage.yasgui.getTab().getQuery()")
    first_page = column(browser, "constat")

    # page 2 of 73 rows: the 23 left, none of the first page's
    browser.execute_script(
        "document.querySelector('.tabPanel.active .dataTables_paginate .next, "
        ".tabPanel.active .dt-paging-button.next').click()"
    )
    wait(browser, lambda d: len(rows(d)) == CONSTATS_PER_QUESTION[2] - 50)
    assert set(column(browser, "question")) == {"2"}
    assert not set(column(browser, "constat")) & set(first_page)

    # sorting: a click on a column header orders the rows by it
    browser.execute_script(
        "Array.from(document.querySelectorAll('.tabPanel.active .dataTable thead th'))"
        ".find(th => th.textContent.trim() === 'text').click()"
    )
    wait(browser, lambda d: column(d, "text") == sorted(column(d, "text")))

    # an IRI of the results DESCRIBEs itself in a new tab, on this endpoint
    share = browser.execute_script("return window.minerQueryPage.yasgui.getTab().getShareableLink()")
    browser.execute_script(
        "const tab = window.minerQueryPage.yasgui.addTab(true);"
        f"tab.setQuery('SELECT ?k ?text WHERE {{ ?k a <{MINER}Constat> ; <{MINER}text> ?text }} ORDER BY ?text LIMIT 5');"
        "tab.query().catch(() => null);"
    )
    wait(browser, lambda d: len(rows(d)) == 5)
    tabs_before = browser.execute_script("return Object.keys(window.minerQueryPage.yasgui._tabs).length")
    browser.execute_script(
        "document.querySelector('.tabPanel.active a.iri[href^=\"https://e/\"]')"
        ".dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))"
    )
    link = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active a.iri[data-iri^='https://e/']")
    iri = link.get_attribute("data-iri")
    assert link.get_attribute("href").startswith(endpoint)
    link.click()
    wait(
        browser,
        lambda d: d.execute_script("return Object.keys(window.minerQueryPage.yasgui._tabs).length") == tabs_before + 1,
    )
    assert browser.execute_script("return window.minerQueryPage.yasgui.getTab().getQuery()") == f"DESCRIBE <{iri}>"
    wait(browser, lambda d: len(rows(d)) > 0)
    described = browser.execute_script("return document.querySelector('.tabPanel.active .yasr .dataTable').textContent")
    assert "Constat 001" in described and "miner:constatNumber" in described

    # the share link of the parameterised query reopens it, and runs it, in a fresh page
    assert share.startswith(endpoint) and "query=" in share
    browser.execute_script("localStorage.clear()")
    browser.get("about:blank")
    open_page(browser, share)
    wait(browser, lambda d: len(rows(d)) == 50)
    assert "VALUES ?question { 2 }" in browser.execute_script("return window.minerQueryPage.yasgui.getTab().getQuery()")
    assert set(column(browser, "question")) == {"2"}
    assert leaving(browser) == []
    assert severe(browser) == []


def test_share_link_cannot_point_the_page_at_another_endpoint(browser, endpoint):
    from urllib.parse import urlencode

    browser.execute_script("localStorage.clear()")
    link = endpoint + "#" + urlencode({"query": "ASK { ?s ?p ?o }", "endpoint": "http://example.org/sparql"})
    browser.get("about:blank")
    open_page(browser, link)
    assert browser.execute_script("return window.minerQueryPage.yasgui.getTab().getEndpoint()") == endpoint + "sparql"
    wait(browser, lambda d: d.execute_script("return !!window.minerQueryPage.yasgui.getTab().getYasr().results"))
    assert leaving(browser) == []


def test_syntax_error_at_its_line_and_column_in_plain_words(browser, endpoint):
    from selenium.webdriver.common.by import By

    browser.get("about:blank")
    open_page(browser, endpoint)
    browser.execute_script(
        "const tab = window.minerQueryPage.yasgui.getTab();"
        "tab.setQuery('SELECT ?s\\nWHERE { ?s ?p\\n}'); tab.query().catch(() => null);"
    )
    status = wait(
        browser,
        lambda d: (
            d.find_element(By.ID, "status").text.startswith("Erreur de syntaxe") and d.find_element(By.ID, "status")
        ),
    )
    assert "ligne 3" in status.text and "colonne" in status.text
    assert "[_]" not in status.text and "..=" not in status.text
    marked = browser.find_elements(By.CSS_SELECTOR, ".tabPanel.active .miner-syntax-error")
    assert marked


def test_aggregate_results_offer_a_chart(browser, endpoint):
    from selenium.webdriver.common.by import By

    browser.get("about:blank")
    open_page(browser, endpoint)
    browser.find_element(By.CSS_SELECTOR, '#examples button[data-name="question_overview"]').click()
    browser.find_element(By.ID, "run-params").click()
    wait(browser, lambda d: len(rows(d)) == len(CONSTATS_PER_QUESTION))
    browser.execute_script("document.querySelector('.tabPanel.active .select_chart').click()")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".tabPanel.active .miner-chart canvas"))
    bars = browser.execute_script(
        "const c = Chart.getChart(document.querySelector('.tabPanel.active .miner-chart canvas'));"
        "return c.data.datasets.map(d => [d.label, d.data]);"
    )
    assert ["constats", [7, 73, 11]] in bars
    assert severe(browser) == []


@contextmanager
def serving(tmp_path, triples):
    """A query page over a store holding ``triples`` in one graph, on a free loopback port."""
    from miner.serve.endpoint import ServeSettings, make_server
    from miner.store.local import open_store, replace_graphs

    folder = tmp_path / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/g": triples})
    del store
    server = make_server(folder, ServeSettings(port=0, max_concurrent=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_an_iri_that_is_script_runs_nothing(browser, tmp_path):
    """An IRI is data from a document: one spelt javascript:… is shown, never run, when clicked."""
    import pyoxigraph as ox

    triples = [
        ("https://e/s", "https://e/p", ox.NamedNode("javascript:window.__xss=1")),
        ("https://e/s", "https://e/p", "https://e/fine"),
    ]
    with serving(tmp_path, triples) as url:
        open_page(browser, url)
        browser.execute_script(
            "const tab = window.minerQueryPage.yasgui.getTab();"
            "tab.setQuery('SELECT ?o WHERE { <https://e/s> <https://e/p> ?o } ORDER BY ?o');"
            "tab.query().catch(() => null);"
        )
        wait(browser, lambda d: len(rows(d)) == 2)
        links = browser.execute_script(
            "return Array.from(document.querySelectorAll('.tabPanel.active a.iri')).map(a => a.getAttribute('href'))"
        )
        shown = browser.execute_script("return document.querySelector('.tabPanel.active .dataTable tbody').textContent")
        assert "javascript:window.__xss=1" in shown  # shown as text
        assert not any(h and h.lower().startswith("javascript:") for h in links)
        browser.execute_script(
            "Array.from(document.querySelectorAll('.tabPanel.active .dataTable tbody a'))"
            ".filter(a => a.textContent.includes('javascript')).forEach(a => a.click())"
        )
        assert browser.execute_script("return window.__xss === undefined")
        assert browser.execute_script("return Object.keys(window.minerQueryPage.yasgui._tabs).length") == 1


LITERAL = "{{SCRIPTS}} ${x} <b>bold</b> {{ x }}"
"""A literal a document may hold: template syntax and HTML, to be shown as they are."""


def test_literals_are_shown_verbatim_in_the_result_table(browser, tmp_path):
    """YASR used to fill ``{{name}}`` in a literal with the row's ``?name`` (issue 24): the cell
    must show the literal's characters, no other value of the row, and no markup."""
    triples = [
        ("https://e/s", "https://e/text", LITERAL),
        ("https://e/s", "https://e/scripts", "REPLACED"),
        ("https://e/s", "https://e/x", "ALSO-REPLACED"),
    ]
    with serving(tmp_path, triples) as url:
        open_page(browser, url)
        browser.execute_script(
            "const tab = window.minerQueryPage.yasgui.getTab();"
            "tab.setQuery('SELECT ?text ?SCRIPTS ?x WHERE { <https://e/s> <https://e/text> ?text ; "
            "<https://e/scripts> ?SCRIPTS ; <https://e/x> ?x }'); tab.query().catch(() => null);"
        )
        wait(browser, lambda d: len(rows(d)) == 1)
        assert column(browser, "text") == [LITERAL]
        assert column(browser, "SCRIPTS") == ["REPLACED"]
        bold = browser.execute_script("return document.querySelectorAll('.tabPanel.active .dataTable tbody b').length")
        assert bold == 0
        assert severe(browser) == []
