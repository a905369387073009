"""The comparison report and the cluster report link each judgement and constat to its evidence page
on ``miner serve`` ("voir la page", ``/evidence?fact=IRI``) when given ``--endpoint``, and say that
their links open the PDF files when not. The links are read from the parsed HTML and each fact IRI
is checked against the graph: it is that judgement's or constat's own, and its evidence is on the
page the report states."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import NEEDS_CHROMIUM, chromium
from conftest import ROOT
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app

PDF = ROOT / "corpora" / "pdf"
ENDPOINT = "http://127.0.0.1:7878"
CLUSTER = "chanvrelia-cluster-des-eco-materiaux"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    root = tmp_path_factory.mktemp("evidence-links")
    for name in ("evaluation-chanvrelia-2021.pdf", "evaluation-chanvrelia-2025.pdf"):
        shutil.copy(PDF / name, root / name)
    folder = root / "graphs" / "store"
    ctx, _ = build(
        [root],
        folder,
        skip=["organisations", "members", "compare", "network", "activities"],
        reporter=Reporter("quiet"),
    )
    assert not ctx.failures, ctx.failures
    return folder


class Anchors(HTMLParser):
    """Every link of a page: (attributes, text, the ``data-*`` of the enclosing row and cell)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.context: dict[str, str] = {}
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("tr", "td", "li"):
            self.context = ({} if tag == "tr" else self.context) | {
                f"{tag}:{k}": v for k, v in attrs.items() if k.startswith("data-")
            }
        if tag == "a":
            self._open = {"attrs": attrs, "text": "", "context": dict(self.context)}

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def anchors(page: str) -> list[dict]:
    parser = Anchors()
    parser.feed(page)
    return parser.links


def evidence_page(store, fact: str) -> int | None:
    """The page of the fact's evidence in the graph (its RFC 3778 fragment)."""
    from miner.store.local import open_store, run_query

    handle = open_store(store, read_only=True)
    rows = run_query(
        handle,
        f"""SELECT ?frag WHERE {{ <{fact}> <https://w3id.org/miner/ontology#evidence> ?ev .
        ?ev <http://www.w3.org/ns/oa#hasSelector> ?s . ?s a <http://www.w3.org/ns/oa#FragmentSelector> ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?frag }}""",
    ).rows
    found = {int(m.group(1)) for (frag,) in rows if (m := re.match(r"page=(\d+)", frag.value))}
    assert len(found) <= 1, found
    return found.pop() if found else None


def compare_page(store, out, *extra):
    result = runner.invoke(
        app,
        ["compare", f"{CLUSTER}@triennat-6", f"{CLUSTER}@triennat-7", "--store", str(store), "--out", str(out), *extra],
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_compare_links_every_judgement_and_constat_to_its_evidence(store, tmp_path):
    page = compare_page(store, tmp_path / "compare.html", "--endpoint", ENDPOINT + "/")
    links = anchors(page)
    evidence = [a for a in links if a["attrs"].get("class") == "evidence"]
    assert evidence and all(a["text"] == "voir la page" for a in evidence)
    for a in evidence:
        href = urlsplit(a["attrs"]["href"])
        assert f"{href.scheme}://{href.netloc}{href.path}" == ENDPOINT + "/evidence"
        assert parse_qs(href.query) == {"fact": [a["attrs"]["data-fact"]]}
    judged = [a for a in evidence if "td:data-judgement" in a["context"]]
    cells = re.findall(r'<td class="cell" [^>]*data-judgement="[^"]+"', page)
    assert len(judged) == len(cells) > 10  # every judged cell of the heat-map
    for a in judged:  # the judgement observation of that criterion and cycle, its evidence on the page the cell links
        fact, side = a["attrs"]["data-fact"], a["context"]["td:data-side"]
        assert "/judgement/" in fact and ("triennat-6" if side == "a" else "triennat-7") in fact, fact
        sibling = next(b for b in links if b["context"] == a["context"] and b is not a)
        assert sibling["attrs"]["href"].endswith(f"#page={evidence_page(store, fact)}"), (fact, sibling)
    constats = [a for a in evidence if "td:data-judgement" not in a["context"]]
    numbers = re.findall(r'<tr data-status="(?:resolved|recurring)" data-a="(\d+)" data-b="(\d+)"', page)
    assert len(constats) >= 2 * len(numbers) > 0
    for a in constats:
        fact = a["attrs"]["data-fact"]
        assert re.search(r"/constat/\d+$", fact), fact
        assert evidence_page(store, fact) is not None
    for n_a, n_b in numbers:  # a pair's two constats are that row's numbers, in A's and B's cycle
        row = [
            a["attrs"]["data-fact"]
            for a in constats
            if a["context"].get("tr:data-a") == n_a and a["context"].get("tr:data-b") == n_b
        ]
        assert any(f.endswith(f"triennat-6/constat/{n_a}") for f in row), row
        assert any(f.endswith(f"triennat-7/constat/{n_b}") for f in row), row
    note = re.search(r'<p class="muted" id="links-note">(.*?)</p>', page, re.DOTALL).group(1)
    assert ENDPOINT in note and "file:" not in note


def test_without_an_endpoint_the_pdf_pages_and_a_note_saying_so(store, tmp_path):
    page = compare_page(store, tmp_path / "compare.html")
    assert 'class="evidence"' not in page and "/evidence?" not in page
    note = re.search(r'<p class="muted" id="links-note">(.*?)</p>', page, re.DOTALL).group(1)
    assert "file:" in note and "--endpoint" in note
    assert re.search(r'href="file:///[^"]+evaluation-chanvrelia-2025\.pdf#page=\d+"', page)


def test_markdown_and_cluster_report_carry_the_same_links(store, tmp_path):
    md = compare_page(store, tmp_path / "compare.md", "--endpoint", ENDPOINT)
    assert re.search(r"\(\[voir la page\]\(<?http://127\.0\.0\.1:7878/evidence\?fact=[^)>]+judgement[^)>]+>?\)\)", md)
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", "chanvrelia", "--store", str(store), "--out", str(out), "--endpoint", ENDPOINT]
    )
    assert result.exit_code == 0, result.output
    linked = [a for a in anchors(out.read_text(encoding="utf-8")) if a["attrs"].get("class") == "evidence"]
    assert linked and all("voir la page" in a["text"] for a in linked)
    facts = {a["attrs"]["data-fact"] for a in linked}
    assert any("/judgement/" in f for f in facts) and any("/constat/" in f for f in facts)
    assert all(evidence_page(store, f) is not None for f in facts if "/constat/" in f)


def test_an_endpoint_that_is_not_http_is_refused(store, tmp_path):
    result = runner.invoke(
        app,
        [
            "compare",
            f"{CLUSTER}@triennat-6",
            f"{CLUSTER}@triennat-7",
            "--store",
            str(store),
            "--out",
            str(tmp_path / "x.html"),
            "--endpoint",
            "javascript:alert(1)//",
        ],
    )
    assert result.exit_code != 0 and "http(s) address" in result.output
    assert not (tmp_path / "x.html").exists()


def needs_chromium(test):
    for mark in NEEDS_CHROMIUM:
        test = mark(test)
    return test


@needs_chromium
def test_voir_la_page_opens_the_evidence_page_in_chromium(store, tmp_path):
    """The report opened in Chromium: a constat's "voir la page" leads to that fact's page image on a
    live ``miner serve`` of the same store."""
    import threading

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from miner.serve.endpoint import ServeSettings, make_server

    server = make_server(store, ServeSettings(port=0, max_concurrent=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    try:
        report = tmp_path / "compare.html"
        compare_page(store, report, "--endpoint", f"http://{host}:{port}")
        with chromium("--window-size=1400,1000") as browser:
            browser.get(report.as_uri())
            link = browser.find_element(By.CSS_SELECTOR, "#constats a.evidence")
            fact = link.get_attribute("data-fact")
            link.click()
            WebDriverWait(browser, scaled(30)).until(
                lambda d: d.execute_script(
                    "const i = document.querySelector('img.page-image'); return !!i && i.complete && i.naturalWidth > 0"
                )
            )
            assert parse_qs(urlsplit(browser.current_url).query)["fact"] == [fact]
    finally:
        server.shutdown()
        server.server_close()
