"""Evidence one click away, in headless Chromium: from a query result, "voir la page" opens the page
image of the report with the fact's box drawn where the graph says it is (checked on the pixels the
browser decoded); a resource page lists its incoming links under its own name; a document the store
does not hold is said so."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.parse
import urllib.request

import pytest
from browser import NEEDS_CHROMIUM, chromium
from conftest import ROOT

from miner.serve.evidence import parse_fragment
from miner.serve.values import MAX_VALUES
from miner.store.documents import REGISTER

PDF = ROOT / "corpora" / "pdf" / "evaluation-chanvrelia-2025.pdf"
CONSTAT = 24
PREFIXES = (
    "PREFIX miner: <https://w3id.org/miner/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    root = tmp_path_factory.mktemp("evidence")
    shutil.copy(PDF, root / PDF.name)
    folder = root / "graphs" / "store"
    ctx, _ = build([root / PDF.name], folder, skip=["organisations", "compare", "network"], reporter=Reporter("quiet"))
    assert not ctx.failures
    return folder


def serving(folder, documents=()):
    from miner.serve.endpoint import ServeSettings, make_server

    server = make_server(folder, ServeSettings(port=0, max_concurrent=1, documents=tuple(documents)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="module")
def endpoint(store):
    server, url = serving(store)
    yield url
    server.shutdown()
    server.server_close()


def ask(url: str, query: str) -> list[dict]:
    with urllib.request.urlopen(
        url + "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + query, "format": "json"})
    ) as answer:
        return json.loads(answer.read())["results"]["bindings"]


def stated(url: str) -> tuple[str, int, tuple[float, float, float, float]]:
    """The constat's IRI, page and box as the graph states them."""
    (row,) = ask(
        url,
        f"SELECT ?k ?frag WHERE {{ ?k a miner:Constat ; skos:notation {CONSTAT} ; miner:evidence ?e . "
        "?e oa:hasSelector ?s . ?s a oa:FragmentSelector ; rdf:value ?frag }",
    )
    page, box = parse_fragment(row["frag"]["value"])
    assert page and box
    return row["k"]["value"], page, box


@pytest.fixture(scope="module")
def browser():
    with chromium("--window-size=1400,1000") as driver:
        yield driver


def wait(driver, condition, seconds: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


PIXELS = """
const img = document.querySelector('img.page-image');
const canvas = document.createElement('canvas');
canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
const ctx = canvas.getContext('2d');
ctx.drawImage(img, 0, 0);
return [img.naturalWidth, Array.from(arguments[0]).map(([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data))];
"""


def red(rgba) -> bool:
    r, g, b, _ = rgba
    return r > 180 and g < 90 and b < 90


def needs_chromium(test):
    for mark in NEEDS_CHROMIUM:
        test = mark(test)
    return test


@needs_chromium
def test_see_the_page_from_a_query_result(browser, endpoint):
    import pdfplumber
    from selenium.webdriver.common.by import By

    fact, page, (x0, top, x1, bottom) = stated(endpoint)
    browser.get(endpoint + "/")
    wait(browser, lambda d: d.execute_script("return !!window.minerQueryPage"))
    browser.execute_script(
        "const tab = window.minerQueryPage.yasgui.getTab(); tab.setQuery(arguments[0]); tab.query().catch(() => null);",
        PREFIXES + f"SELECT ?constat WHERE {{ ?constat a miner:Constat ; skos:notation {CONSTAT} }}",
    )
    link = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".tabPanel.active a.see-page"))[0]
    assert link.text == "voir la page"
    sheet = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active a.resource-link")
    assert sheet.text == "fiche" and "/resource?iri=" in sheet.get_attribute("href")
    link.click()
    wait(
        browser,
        lambda d: d.execute_script(
            "const i = document.querySelector('img.page-image'); return !!i && i.complete && i.naturalWidth > 0"
        ),
    )
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)["fact"] == [fact]
    assert browser.title == f"constat {CONSTAT}"
    quote = browser.find_element(By.CSS_SELECTOR, ".quote blockquote").text
    assert (
        quote
        and quote.split()[0]
        in ask(endpoint, f"SELECT ?t WHERE {{ ?k skos:notation {CONSTAT} ; miner:text ?t }}")[0]["t"]["value"]
    )
    with pdfplumber.open(PDF) as pdf:
        width = float(pdf.pages[page - 1].width)
    natural = browser.execute_script("return document.querySelector('img.page-image').naturalWidth")
    scale = natural / width
    # the frame runs just outside the stated box: sample its four sides, and the middle of the box
    middle_y, middle_x = (top + bottom) / 2 * scale, (x0 + x1) / 2 * scale

    def side(points):
        return [[round(x), round(y)] for x, y in points]

    left = side((x0 * scale - d, middle_y) for d in range(8))
    right = side((x1 * scale + d, middle_y) for d in range(8))
    upper = side((middle_x, top * scale - d) for d in range(8))
    lower = side((middle_x, bottom * scale + d) for d in range(8))
    _, pixels = browser.execute_script(PIXELS, left + right + upper + lower + [[round(middle_x), round(middle_y)]])
    for n, name in enumerate(("left", "right", "top", "bottom")):
        assert any(red(p) for p in pixels[8 * n : 8 * n + 8]), (name, pixels[8 * n : 8 * n + 8])
    assert not red(pixels[-1])
    # and nowhere else: a frame at another place would leave a red pixel on another row of the page
    far = side([(middle_x, (bottom + 60) * scale), (middle_x, max(0, top - 60) * scale)])
    assert not any(red(p) for p in browser.execute_script(PIXELS, far)[1])


@needs_chromium
def test_a_resource_page_lists_incoming_links(browser, endpoint):
    from selenium.webdriver.common.by import By

    fact, _, _ = stated(endpoint)
    (criterion,) = {r["c"]["value"] for r in ask(endpoint, f"SELECT ?c WHERE {{ <{fact}> miner:justifies ?c }}")}
    browser.get(endpoint + "/resource?" + urllib.parse.urlencode({"iri": criterion}))
    incoming = browser.find_elements(By.CSS_SELECTOR, "#incoming tr")
    texts = [row.text for row in incoming]
    assert any(f"constat {CONSTAT}" in text and "justifie" in text for text in texts), texts
    assert len(texts) == len(set(texts))  # each triple once
    outgoing = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#outgoing tr")]
    assert len(outgoing) == len(set(outgoing))
    assert browser.title and not browser.title.startswith("http")
    assert browser.title == browser.find_element(By.TAG_NAME, "h1").text
    see = browser.find_element(By.CSS_SELECTOR, "a.see-page")  # a criterion has its page too
    assert see.get_attribute("href").startswith(endpoint + "/evidence?")


def test_a_document_not_held_is_said_so(store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    (copy / REGISTER).unlink()  # the register names no file: the store holds the graph only
    server, url = serving(copy)
    try:
        fact, page, _ = stated(url)
        with urllib.request.urlopen(url + "/evidence?" + urllib.parse.urlencode({"fact": fact})) as answer:
            body = answer.read().decode("utf-8")
        assert "ne détient pas le document evaluation-chanvrelia-2025.pdf" in body and "<img" not in body
        with urllib.request.urlopen(
            url + "/evidence?" + urllib.parse.urlencode({"fact": fact, "lang": "en"})
        ) as answer:
            assert "does not hold the document" in answer.read().decode("utf-8")
        sha = ask(url, "SELECT ?s WHERE { ?d miner:sha256 ?s }")[0]["s"]["value"]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + f"/evidence/image?doc={sha}&page={page}")
        assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
    # the same store with --documents naming the folder the PDF is in: found by its digest
    server, url = serving(copy, documents=[store.parent.parent])
    try:
        fact, page, _ = stated(url)
        with urllib.request.urlopen(url + "/evidence?" + urllib.parse.urlencode({"fact": fact})) as answer:
            assert 'class="page-image"' in answer.read().decode("utf-8")
        with urllib.request.urlopen(url + f"/evidence/image?doc={sha}&page={page}") as answer:
            assert answer.headers["Content-Type"] == "image/png" and answer.read(8) == b"\x89PNG\r\n\x1a\n"
    finally:
        server.shutdown()
        server.server_close()


@needs_chromium
def test_a_typed_parameter_offers_the_values_present(browser, endpoint):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(endpoint + "/")
    browser.execute_script("localStorage.clear()")  # a fresh page: no tab kept from the tests before
    browser.get(endpoint + "/")
    wait(browser, lambda d: d.execute_script("return !!window.minerQueryPage"))
    browser.find_element(By.CSS_SELECTOR, '#examples button[data-name="judgements_by_cycle"]').click()
    select = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "select#param-cluster"))[0]
    options = [o.text for o in Select(select).options]
    assert len(options) <= MAX_VALUES + 1
    assert options == ["(toutes les valeurs)", "CHANVRELIA cluster des éco-matériaux"]
    Select(wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "select#param-cycle"))[0]).select_by_visible_text(
        "7e triennat"
    )
    browser.find_element(By.ID, "run-params").click()
    query = browser.execute_script("return window.minerQueryPage.yasgui.getTab().getQuery()")
    assert 'VALUES ?cycle { "7e triennat"@fr }' in query or 'VALUES ?cycle { "7e triennat" }' in query
    cells = (
        "return Array.from(document.querySelectorAll('.tabPanel.active .yasr .dataTable tbody tr'))"
        ".filter(tr => tr.querySelectorAll('td').length > 1).map(tr => tr.querySelectorAll('td')[1].textContent)"
    )
    wait(browser, lambda d: len(d.execute_script(cells)) > 5)
    assert {c.split('"')[1] if c.startswith('"') else c for c in browser.execute_script(cells)} == {"7e triennat"}


@needs_chromium
def test_the_query_page_in_english_on_request(browser, endpoint):
    from selenium.webdriver.common.by import By

    from miner.store.query import saved_queries

    browser.get(endpoint + "/?lang=en")
    wait(browser, lambda d: d.execute_script("return !!window.minerQueryPage"))
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert browser.find_element(By.CSS_SELECTOR, "#saved-section h2").text == "Saved queries"
    button = browser.find_element(By.CSS_SELECTOR, '#examples button[data-name="judgement_changes"]')
    english = {q.name: q.question_en for q in saved_queries()}["judgement_changes"]
    assert button.text.startswith(english)
    browser.get(endpoint + "/")
    wait(browser, lambda d: d.execute_script("return !!window.minerQueryPage"))
    assert browser.find_element(By.CSS_SELECTOR, "#saved-section h2").text == "Requêtes enregistrées"
