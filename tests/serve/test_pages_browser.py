"""Pages others open, in headless Chromium with hostile labels from documents: the compare report,
the network page and the endpoint's query page. Nothing runs, nothing is fetched from another host
(Chromium's own network log is read), and each page carries a Content-Security-Policy."""

from __future__ import annotations

import dataclasses
import re
import threading
from urllib.parse import urlsplit

import pytest
from browser import NEEDS_CHROMIUM, chromium, requested
from conftest import ROOT
from timeouts import scaled

pytestmark = NEEDS_CHROMIUM

IMG = '"><img src=x onerror="window.__xss=\'img\'"> href'
SCRIPT = "</script><script>window.__xss='script'</script>"
REMOTE = '<img src="http://example.org/pixel.png"><link rel=stylesheet href="https://example.org/x.css">'
LABELS = [IMG, SCRIPT, REMOTE]
REMOTE_IN_HTML = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I)


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def leaving(urls: list[str]) -> list[str]:
    # chrome:// are the browser's own built-in resources, never fetched from a network
    return [
        u
        for u in urls
        if urlsplit(u).scheme not in ("file", "data", "about", "blob", "chrome")
        and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
    ]


def assert_nothing_ran(driver):
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return window.__xss === undefined")
    images = driver.execute_script("return Array.from(document.images).map(i => i.getAttribute('src'))")
    assert "x" not in images and "http://example.org/pixel.png" not in images
    assert driver.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') !== null"
        " || performance.getEntriesByType('navigation').length > 0"
    )


def test_compare_report_with_hostile_labels(browser, tmp_path):
    from miner.compare.comparison import compare_refs, write_comparison

    pdf = ROOT / "corpora" / "pdf"
    comparison = compare_refs(pdf / "evaluation-chanvrelia-2021.pdf", pdf / "evaluation-chanvrelia-2025.pdf")
    a = dataclasses.replace(
        comparison.a,
        cluster=IMG,
        cycle=SCRIPT,
        file="javascript:alert(1).pdf",
        constats=[dataclasses.replace(c, text=REMOTE + c.text) for c in comparison.a.constats],
    )
    b = dataclasses.replace(comparison.b, cluster=IMG, cycle=REMOTE)
    hostile = dataclasses.replace(comparison, a=a, b=b, notes=[*comparison.notes, SCRIPT])
    path = write_comparison(hostile, tmp_path / "compare.html")
    page = path.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page
    assert not REMOTE_IN_HTML.search(page), REMOTE_IN_HTML.search(page)
    assert "<script" not in page.lower()
    assert 'href="javascript:' not in page
    requested(browser)
    browser.get(path.as_uri())
    assert_nothing_ran(browser)
    assert IMG in browser.find_element("tag name", "h1").text
    assert leaving(requested(browser)) == []


def test_network_page_with_hostile_labels(browser, tmp_path):
    from miner.network.network import build_network, compute_metrics, write_network

    nodes = [
        {"id": "c", "label": IMG, "type": "cluster", "documents": [SCRIPT]},
        {"id": "x", "label": SCRIPT, "type": "entreprise", "province": REMOTE},
        {"id": "y", "label": REMOTE, "type": "inconnu"},
    ]
    edges = [
        {"fact": "m1", "source": "x", "target": "c", "kind": "membre", "evidence": IMG},
        {"fact": "m2", "source": "y", "target": "c", "kind": "membre", "evidence": REMOTE},
    ]
    graph = build_network(nodes, edges)
    compute_metrics(graph)
    path = tmp_path / "network.html"
    write_network(graph, path, title=SCRIPT)
    page = path.read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page
    assert not REMOTE_IN_HTML.search(page)
    requested(browser)
    browser.get(path.as_uri())
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, scaled(20)).until(lambda d: d.execute_script("return !!window.minerNetwork"))
    assert_nothing_ran(browser)
    labels = browser.execute_script("return window.minerNetwork.nodes.get().map(n => n.label)")
    assert set(labels) == {IMG, SCRIPT, REMOTE}
    assert leaving(requested(browser)) == []


def test_query_page_with_hostile_labels(browser, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    from miner.serve.endpoint import ServeSettings, make_server
    from miner.store.local import open_store, replace_graphs

    folder = tmp_path / "store"
    store = open_store(folder)
    replace_graphs(
        store,
        {
            "https://e/g": [
                (f"https://e/o{i}", "http://www.w3.org/2000/01/rdf-schema#label", label)
                for i, label in enumerate(LABELS)
            ]
        },
    )
    del store
    server = make_server(folder, ServeSettings(port=0, max_concurrent=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    try:
        requested(browser)
        browser.get(f"http://{host}:{port}/")
        WebDriverWait(browser, scaled(20)).until(lambda d: d.execute_script("return !!window.minerQueryPage"))
        browser.execute_script(
            "const tab = window.minerQueryPage.yasgui.getTab(); tab.setQuery(arguments[0]); tab.query().catch(() => null);",
            "SELECT ?label WHERE { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?o",
        )
        read = (
            "return Array.from(document.querySelectorAll('.tabPanel.active .yasr .dataTable tbody tr'))"
            ".map(tr => tr.querySelector('td').textContent)"
        )  # the simple view: no row-number column
        WebDriverWait(browser, scaled(20)).until(lambda d: len(d.execute_script(read)) == 3)
        assert browser.execute_script(read) == LABELS
        assert_nothing_ran(browser)
        urls = requested(browser)
        assert any("/sparql" in u for u in urls)
        assert leaving(urls) == []
    finally:
        server.shutdown()
        server.server_close()
