"""The network page in real headless Chromium: offline, the vis DataSets hold the network, hostile
labels are text. Skipped when chromium or chromedriver is not installed."""

from __future__ import annotations

import pytest
from browser import NEEDS_CHROMIUM, chromium
from timeouts import scaled

from miner.network.network import build_network, compute_metrics, render_html

pytestmark = NEEDS_CHROMIUM

SCRIPT_LABEL = "<script>window.__xss = 'script'; alert(1)</script>"
IMG_LABEL = '"><img src=x onerror="window.__xss=\'img\'; alert(2)">'


@pytest.fixture(scope="module")
def browser():
    # a dead proxy for everything but loopback, and DevTools' offline mode: nothing can leave the machine
    with chromium("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>", logs=("browser",)) as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
        )
        yield driver


def open_page(browser, tmp_path, page: str, name: str = "network.html"):
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    WebDriverWait(browser, scaled(20)).until(lambda d: d.execute_script("return !!window.minerNetwork"))
    return path


def sample_graph():
    nodes = [
        {"id": "c", "label": "Cluster Démo", "type": "cluster", "documents": ["a.pdf"]},
        {"id": "x1", "label": SCRIPT_LABEL, "type": "entreprise", "province": "Liège", "documents": [SCRIPT_LABEL]},
        {"id": "x2", "label": IMG_LABEL, "type": "inconnu", "province": IMG_LABEL},
        {"id": "p", "label": "Pôle Démo", "type": "pôle de compétitivité"},
    ]
    edges = [
        {"fact": "m1", "source": "x1", "target": "c", "kind": "membre", "evidence": IMG_LABEL},
        {"fact": "m2", "source": "x2", "target": "c", "kind": "membre", "evidence": "liste.csv"},
        {"fact": "r1", "source": "p", "target": "c", "kind": "partenariat", "evidence": "a.pdf p. 2: <b>x</b>"},
        {"fact": "r2", "source": "p", "target": "x1", "kind": "activité", "axes": {"6"}, "evidence": "act"},
    ]
    graph = build_network(nodes, edges)
    compute_metrics(graph)
    return graph


def test_page_loads_offline_with_its_nodes_and_edges(browser, tmp_path):
    graph = sample_graph()
    open_page(browser, tmp_path, render_html(graph, title=SCRIPT_LABEL))
    counts = browser.execute_script("return [window.minerNetwork.nodes.length, window.minerNetwork.edges.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()] == [4, 4]
    # nothing was fetched: the page's only resource is itself
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []  # no CSP violation, no script error


def test_hostile_labels_are_text_and_run_nothing(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    open_page(browser, tmp_path, render_html(sample_graph(), title=IMG_LABEL))
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.title") == IMG_LABEL
    assert browser.find_element("id", "title").text == IMG_LABEL
    labels = browser.execute_script("return window.minerNetwork.nodes.get().map(n => n.label)")
    assert SCRIPT_LABEL in labels and IMG_LABEL in labels
    options = browser.execute_script("return Array.from(document.querySelectorAll('#names option')).map(o => o.value)")
    assert SCRIPT_LABEL in options
    provinces = browser.execute_script(
        "return Array.from(document.querySelectorAll('#province option')).map(o => o.text)"
    )
    assert IMG_LABEL in provinces
    # the page's scripts are exactly the two inlined ones (vis-network and the page's own)
    assert browser.execute_script("return document.scripts.length") == 3


def test_search_and_type_filter(browser, tmp_path):
    open_page(browser, tmp_path, render_html(sample_graph()))
    search = browser.find_element("id", "search")
    search.send_keys("Pôle Démo\n")
    browser.execute_script("document.getElementById('search').dispatchEvent(new Event('change'))")
    assert browser.execute_script("return window.minerNetwork.network.getSelectedNodes().length") == 1
    browser.execute_script("var b = document.querySelector('#legend input[data-type=\"entreprise\"]'); b.click();")
    assert browser.execute_script("return window.minerNetwork.view.length") == 3


def test_empty_graph_page_says_so(browser, tmp_path):
    import networkx as nx

    open_page(browser, tmp_path, render_html(nx.Graph()))
    assert browser.execute_script("return window.minerNetwork.empty") is True
    assert "vide" in browser.find_element("id", "empty").text


def hub_graph():
    """A cluster with members in two provinces, and a pair of organisations outside it."""
    nodes = [
        {"id": "hub", "label": "INFOPOLE cluster TIC", "type": "cluster", "names": ["Infopôle", "INFOPOLE"]},
        {"id": "n1", "label": "Namur Un", "type": "PME", "province": "Namur"},
        {"id": "n2", "label": "Namur Deux", "type": "entreprise", "province": "Namur"},
        {"id": "l1", "label": "Liège Un", "type": "PME", "province": "Liège"},
        {"id": "p", "label": "Pôle", "type": "pôle de compétitivité", "province": "Liège"},
        {"id": "q", "label": "Partenaire", "type": "consultant", "province": "Liège"},
    ]
    edges = [
        {"fact": f"m{i}", "source": m, "target": "hub", "kind": "membre"} for i, m in enumerate(["n1", "n2", "l1"])
    ]
    edges += [
        {"fact": "r1", "source": "p", "target": "q", "kind": "partenariat"},
        {"fact": "r2", "source": "n1", "target": "n2", "kind": "activité", "axes": {"3"}},
    ]
    graph = build_network(nodes, edges)
    compute_metrics(graph)
    return graph


def visible(browser) -> set[str]:
    return set(browser.execute_script("return window.minerNetwork.view.get().map(n => n.label)"))


def test_legend_boxes_sit_on_the_line_of_their_type(browser, tmp_path):
    open_page(browser, tmp_path, render_html(hub_graph()))
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#legend .legend-item')).map(row => {"
        "  const box = row.querySelector('input').getBoundingClientRect();"
        "  const text = row.querySelector('span:last-child').getBoundingClientRect();"
        "  return [box.width, box.top, box.bottom, text.top, text.bottom, row.getBoundingClientRect().width]; })"
    )
    assert rows
    for box_width, box_top, box_bottom, text_top, text_bottom, row_width in rows:
        assert box_width < row_width / 4  # a box, not a full-width block
        assert box_top < text_bottom and text_top < box_bottom  # on the same line as its words


def test_search_finds_every_name_of_an_organisation(browser, tmp_path):
    open_page(browser, tmp_path, render_html(hub_graph()))
    options = browser.execute_script("return Array.from(document.querySelectorAll('#names option')).map(o => o.value)")
    assert {"Infopôle", "INFOPOLE", "INFOPOLE cluster TIC"} <= set(options)
    for query in ("Infopôle", "infopole", "INFOPÔLE"):
        browser.execute_script(
            "const s = document.getElementById('search'); s.value = arguments[0];s.dispatchEvent(new Event('change'))",
            query,
        )
        selected = browser.execute_script("return window.minerNetwork.network.getSelectedNodes()")
        labels = browser.execute_script(
            "return window.minerNetwork.nodes.get(arguments[0]).map(n => n.label)", selected
        )
        assert labels == ["INFOPOLE cluster TIC"], query
        assert "INFOPOLE cluster TIC" in browser.find_element("id", "search-result").text


def test_filters_keep_the_hubs_and_the_counts_follow(browser, tmp_path):
    open_page(browser, tmp_path, render_html(hub_graph()))
    summary = browser.find_element("id", "summary")
    assert summary.text == "6 organisations, 5 liens"
    browser.execute_script(
        "const p = document.getElementById('province'); p.value = 'Namur';p.dispatchEvent(new Event('change'))"
    )
    # the Namur members and the cluster they belong to (which has no province of its own)
    assert visible(browser) == {"Namur Un", "Namur Deux", "INFOPOLE cluster TIC"}
    assert browser.execute_script("return window.minerNetwork.edgeView.length") == 3
    assert summary.text == "3 organisations sur 6, 3 liens sur 5"
    counts = browser.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('.legend-count'))"
        ".map(c => [c.dataset.type, c.textContent]))"
    )
    assert counts["PME"] == "(1 / 2)" and counts["cluster"] == "(1)" and counts["consultant"] == "(0 / 1)"
    # unticking a type hides it, hub or not
    browser.execute_script("document.querySelector('#legend input[data-type=\"cluster\"]').click()")
    assert visible(browser) == {"Namur Un", "Namur Deux"}
    assert summary.text == "2 organisations sur 6, 1 lien sur 5"
    browser.execute_script(
        "document.querySelector('#legend input[data-type=\"cluster\"]').click();"
        "const p = document.getElementById('province'); p.value = '';"
        "p.dispatchEvent(new Event('change'))"
    )
    assert summary.text == "6 organisations, 5 liens"
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
