"""The review page in headless Chromium: upload a list, correct two axes with one click each,
download the corrected XLSX, retrain, pick the new model; all under the page's CSP, nothing fetched
from another host, and the new model usable by ``miner classify --model``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser import NEEDS_CHROMIUM, chromium, requested
from reviewfixture import build_small_model, review_server, upload_tiny_list
from timeouts import scaled

from miner.serve.progress import TASKS_FR

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    with chromium(
        prefs={"download.default_directory": str(downloads), "download.prompt_for_download": False}
    ) as driver:
        yield driver


@pytest.fixture
def page(tmp_path):
    from miner.serve.review import ReviewSettings

    model = build_small_model(tmp_path / "base")
    settings = ReviewSettings(folder=tmp_path / "session", model_dir=tmp_path / "mine", model=model, port=0)
    with review_server(settings) as url:
        yield url, settings


def pressed(driver, row: int) -> list[int]:
    return [
        int(b.get_attribute("data-axis"))
        for b in driver.find_elements("css selector", f'tr[data-row="{row}"] button.axis[aria-pressed="true"]')
    ]


def test_upload_correct_download_retrain(browser, page, tmp_path, downloads):
    import openpyxl
    from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from miner.tag.axes import AxesModel

    url, settings = page
    requested(browser)
    wait, listing = upload_tiny_list(browser, url, tmp_path)
    assert browser.execute_script("return window.__xss === undefined")
    assert "<script>" in browser.find_element(By.CSS_SELECTOR, 'tr[data-row="3"] td.text').text  # shown as text

    before = {row: pressed(browser, row) for row in (0, 1)}
    clicks = {0: 4 if 4 not in before[0] else 3, 1: before[1][0]}  # add an axis on row 1, remove one on row 2
    for row, axis in clicks.items():
        browser.find_element(By.CSS_SELECTOR, f'tr[data-row="{row}"] button.axis[data-axis="{axis}"]').click()
        wait.until(lambda d, r=row, a=axis: pressed(d, r) == sorted(set(before[r]) ^ {a}))
    expected = {row: sorted(set(before[row]) ^ {axis}) for row, axis in clicks.items()}
    assert browser.find_element(By.ID, "count").text == "2"

    browser.find_element(By.ID, "download").click()
    wait.until(lambda d: list(downloads.glob("*.xlsx")) and not list(downloads.glob("*.crdownload")))
    [xlsx] = downloads.glob("*.xlsx")
    assert xlsx.name == "activites-revu.xlsx"
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    for row, axes in expected.items():
        assert rows[row]["axes"] == ";".join(map(str, axes))
        assert rows[row]["model_axes"] == ";".join(map(str, before[row]))

    # tagging told its progress as server-sent events, in French (kept across the reload that followed)
    events = browser.execute_script("return window.minerReview.events")
    tagging = [e for e in events if e["task"] == "tagging"]
    # four rows can be tagged before the page's event stream sends its first state: then only "done"
    # arrives (the running states are required of the longer retraining below)
    assert tagging and tagging[-1]["state"] == "done", events
    assert TASKS_FR["tagging"][0] == "Étiquetage" and tagging[-1]["message"].startswith("Étiquetage terminé : 4 lignes")
    assert all(
        e["message"].startswith("Étiquetage : ") and "restantes" in e["message"] or "durée inconnue" in e["message"]
        for e in tagging
        if e["state"] == "running"
    )

    browser.find_element(By.ID, "retrain").click()
    # the page stays when training ends and offers the new model: read it in one script call
    wait = WebDriverWait(browser, scaled(240), ignored_exceptions=(StaleElementReferenceException, JavascriptException))
    state = (
        "return [document.getElementById('status').dataset.state, document.getElementById('model').options.length,"
        " document.getElementById('model-path').textContent, document.getElementById('switch-model').hidden]"
    )
    wait.until(lambda d: d.execute_script(state)[0] == "failed" or not d.execute_script(state)[3])
    assert browser.execute_script(state)[0] == "done", browser.find_element(By.ID, "status").text
    [trained] = settings.model_dir.glob("axes-*.npz")
    retraining = [e for e in browser.execute_script("return window.minerReview.events") if e["task"] == "retraining"]
    assert [e for e in retraining if e["state"] == "running" and e["message"].startswith("Réentraînement : ")], (
        retraining
    )
    assert retraining[-1]["state"] == "done" and trained.name in retraining[-1]["message"]
    assert trained.name in browser.find_element(By.ID, "switch-model").text
    browser.find_element(By.ID, "switch-model").click()  # switch to the model just trained: the list is tagged again
    wait.until(lambda d: d.execute_script(state)[2] == str(trained))
    assert browser.execute_script(state)[1] == 2
    examples = {e["description"]: e["axes"] for e in AxesModel.load(trained).examples}
    texts = [r["description"] for r in rows]
    for row, axes in expected.items():
        assert examples[texts[row]] == ";".join(map(str, axes))
    Select(browser.find_element(By.ID, "model")).select_by_value(trained.name)
    wait.until(lambda d: d.execute_script(state)[2] == str(trained))
    assert pressed(browser, 0) == expected[0]  # the corrections stay when the model changes

    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe  # no CSP violation, no script error
    leaving = [
        u
        for u in requested(browser)
        if urlsplit(u).hostname not in ("127.0.0.1", "localhost")
        and urlsplit(u).scheme not in ("data", "about", "blob")
    ]
    assert leaving == []

    from typer.testing import CliRunner

    from miner.cli.app import app

    result = CliRunner().invoke(app, ["classify", str(listing), "--model", str(trained)])
    assert result.exit_code == 0, result.output
    assert "exemples proches: activites-1 [" in result.output  # the evaluator's corrected row, id from the list name
