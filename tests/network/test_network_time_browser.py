"""The network page in time, in headless Chromium: the cycle slider shows each cycle's ties and what
appeared since the cycle before; the evaluating consultancy and the administration are a role kept
apart from partners; fit, reset and the PNG and SVG images of the view."""

from __future__ import annotations

import pytest
from browser import NEEDS_CHROMIUM, chromium
from timeouts import scaled

from miner.network.graph import ROLE_KINDS, build_network
from miner.network.metrics import compute_metrics
from miner.network.page import render_html

pytestmark = NEEDS_CHROMIUM


def graph():
    nodes = [
        {"id": "hub", "label": "Cluster Démo", "type": "cluster"},
        {"id": "a", "label": "Alpha", "type": "PME"},
        {"id": "b", "label": "Bêta <svg onload=alert(1)>", "type": "entreprise"},
        {"id": "u", "label": "Université", "type": "université ou école"},
        {"id": "k", "label": "Conseil & Co", "type": "consultant"},
        {"id": "w", "label": "SPW", "type": "organisme public"},
    ]
    edges = [
        {"fact": "m1", "source": "a", "target": "hub", "kind": "membre", "cycle": "6e triennat"},
        {"fact": "m2", "source": "a", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {"fact": "m3", "source": "b", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {"fact": "r1", "source": "u", "target": "a", "kind": "partenariat", "cycle": "6e triennat"},
        {"fact": "e1", "source": "k", "target": "hub", "kind": "évaluation", "cycle": "7e triennat"},
        {"fact": "c1", "source": "w", "target": "hub", "kind": "commande", "cycle": "7e triennat"},
    ]
    g = build_network(nodes, edges)
    g.graph["cycles"] = {"6e triennat": 6, "7e triennat": 7}
    compute_metrics(g)
    return g


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path_factory.mktemp("net-time") / "network.html"
    path.write_text(render_html(graph(), title="Réseau"), encoding="utf-8")
    with chromium("--window-size=1200,900", logs=("browser",)) as driver:
        driver.get(path.as_uri())
        WebDriverWait(driver, scaled(20)).until(lambda d: d.execute_script("return !!window.minerNetwork"))
        yield driver


def shown(driver):
    return sorted(driver.execute_script("return window.minerNetwork.view.get().map(n => n.label)"))


def slide(driver, k):
    driver.execute_script(
        "const s = document.getElementById('cycle'); s.value = arguments[0];s.dispatchEvent(new Event('input'));",
        str(k),
    )


def test_roles_apart_from_partners(page):
    g = graph()
    assert g.nodes["k"]["role"] == ROLE_KINDS["évaluation"] and g.nodes["w"]["role"] == ROLE_KINDS["commande"]
    assert g.nodes["hub"]["degree"] == 2  # the two members; the roles are not partnerships
    assert "Conseil & Co" not in shown(page) and "SPW" not in shown(page)
    page.find_element("id", "roles").click()
    assert {"Conseil & Co", "SPW"} <= set(shown(page))
    dashed = page.execute_script("return window.minerNetwork.edgeView.get().filter(e => e.dashes).length")
    assert dashed == 2
    page.find_element("id", "roles").click()


def test_cycle_slider_shows_each_cycle_and_what_appeared(page):
    slide(page, 1)
    assert page.find_element("id", "cycle-name").text == "6e triennat"
    assert shown(page) == ["Alpha", "Cluster Démo", "Université"]
    slide(page, 2)
    assert page.find_element("id", "cycle-name").text == "7e triennat"
    assert shown(page) == ["Alpha", "Bêta <svg onload=alert(1)>", "Cluster Démo"]
    change = page.find_element("id", "cycle-change").text
    assert change == "1 lien apparu, 1 lien terminé depuis le 6e triennat"
    green = page.execute_script(
        "return window.minerNetwork.edges.get().filter(e => e.color.color === '#2ca02c').length"
    )
    assert green == 1
    page.find_element("id", "reset").click()
    assert page.find_element("id", "cycle-name").text == "tous"
    assert len(shown(page)) == 4


def test_fit_and_images(page):
    page.find_element("id", "fit").click()
    png = page.execute_script("return window.minerNetwork.pngUrl()")
    assert png.startswith("data:image/png;base64,") and len(png) > 1000
    svg = page.execute_script("return window.minerNetwork.svgText()")
    assert svg.startswith("<svg") and svg.count("<circle") == 4 and "Bêta &lt;svg onload=alert(1)&gt;" in svg
    assert page.execute_script("return window.__alerted === undefined")
    assert [e for e in page.get_log("browser") if e["level"] == "SEVERE"] == []
