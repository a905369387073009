"""The comparison report in headless Chromium: it renders offline and its heat-map shows the judgements."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = next((Path(p) for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)

pytestmark = pytest.mark.skipif(
    not CHROMEDRIVER.exists() or CHROMIUM is None, reason="needs Debian chromium and chromium-driver"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from miner.compare.comparison import compare_refs, write_comparison

    pdf = ROOT / "corpora" / "pdf"
    comparison = compare_refs(pdf / "evaluation-chanvrelia-2021.pdf", pdf / "evaluation-chanvrelia-2025.pdf")
    return write_comparison(comparison, tmp_path_factory.mktemp("report") / "compare.html")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    # an explicit driver path: selenium-manager is never asked to download anything
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def test_heatmap_cells_show_the_judgements(report, browser):
    from selenium.webdriver.common.by import By

    text = (ROOT / "corpora/sources/EXPECTED-CHANGES.md").read_text(encoding="utf-8")
    expected = yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))["judgements"]
    browser.get(report.resolve().as_uri())
    assert browser.title.startswith("CHANVRELIA cluster des éco-matériaux : 6e triennat → 7e triennat")
    cells = browser.find_elements(By.CSS_SELECTOR, "#heatmap td.cell[data-id]")
    seen = {}
    for cell in cells:
        side, cid = cell.get_attribute("data-side"), cell.get_attribute("data-id")
        seen[(side, cid)] = (cell.get_attribute("data-judgement"), cell.text.strip())
    for cid, (before, after) in expected.items():
        if before is not None:
            assert seen[("a", cid)] == (before, before), cid
        assert seen[("b", cid)] == (after, after), cid
    assert len(seen) == 16 + 17
    # the rendered colour follows the rank
    atteint = browser.find_element(By.CSS_SELECTOR, '#heatmap td.cell[data-side="b"][data-id="1.1"]')
    assert atteint.value_of_css_property("background-color") == "rgba(26, 152, 80, 1)"
    deltas = {
        row.get_attribute("data-b"): row.find_element(By.CSS_SELECTOR, "td.delta").get_attribute("data-steps")
        for row in browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")
    }
    assert deltas["1.2"] == "2" and deltas["4.1"] == "-1" and deltas["4.3"] is None


def test_chart_and_links(report, browser):
    from selenium.webdriver.common.by import By

    browser.get(report.resolve().as_uri())
    points = browser.find_elements(By.CSS_SELECTOR, "#members-chart circle.point")
    values = sorted(
        (p.get_attribute("data-value"), p.get_attribute("data-derived"), p.get_attribute("data-confirmed"))
        for p in points
    )
    # 77 is stated in 2021 and computed from 2025 (96 / 1.25): one point, the statement, confirmed; 70 is only computed
    assert values == [("70", "true", "false"), ("77", "false", "true"), ("96", "false", "false")]
    ticks = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#members-chart text.tick")]
    assert ticks == ["0", "25", "50", "75", "100", "125"]  # round steps, not 28, 55, 83
    assert points[0].is_displayed()
    link = browser.find_element(By.CSS_SELECTOR, '#heatmap td.cell[data-side="a"][data-id="1.1"] a')
    assert link.get_attribute("href").endswith("evaluation-chanvrelia-2021.pdf#page=2")
    assert browser.find_elements(By.CSS_SELECTOR, ".banner.fictitious")
    browser.save_screenshot(str(report.with_suffix(".png")))
