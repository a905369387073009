"""The review page for every scheme (issue 26): the missions shown beside the axes, corrected in one
click, kept per scheme with the list, retrained into a new missions model offered on the page and
usable by ``classify --scheme missions-2024 --model``; in headless Chromium and on the session."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser import NEEDS_CHROMIUM, chromium, requested
from reviewfixture import (
    MISSIONS,
    TINY_LIST,
    build_small_model,
    build_small_scheme_model,
    review_server,
    upload_tiny_list,
)
from timeouts import scaled

from miner.errors import UsageError
from miner.serve.review_session import ReviewSession


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """Small base models of the axes and the missions (retraining on top takes seconds)."""
    folder = tmp_path_factory.mktemp("bases")
    return build_small_model(folder), build_small_scheme_model(folder)


def test_session_keeps_each_schemes_corrections_and_refuses_a_concept_it_lacks(bases, tmp_path):
    axes, missions = bases
    opened = dict(model_dir=tmp_path / "mine", base_model=axes, base_models={MISSIONS: missions})
    session = ReviewSession.open(tmp_path / "s", **opened)
    session.upload("activites.csv", TINY_LIST.encode())
    with pytest.raises(UsageError, match="scheme missions-2024 is not shown"):
        session.toggle(0, 1, MISSIONS)  # the axes alone until the evaluator chooses
    session.choose_scheme("both")
    assert session.schemes() == ["axes-2007", MISSIONS]
    model_missions = session.rows()[1]["others"][MISSIONS]["chosen"]
    assert model_missions and set(model_missions) <= {1, 2, 3, 4}
    fixed = session.toggle(1, 4 if 4 not in model_missions else 1, MISSIONS)
    axis = session.toggle(0, 6)
    with pytest.raises(UsageError, match="missions-2024 has concepts 1 to 4, not 5"):
        session.toggle(0, 5, MISSIONS)
    with pytest.raises(UsageError, match="unknown scheme 'missions-2031'"):
        session.choose_scheme("missions-2031")
    assert [r["index"] for r in session.corrected_rows(MISSIONS)] == [1]
    again = ReviewSession.open(tmp_path / "s", **opened)  # a restart loses nothing
    assert again.rows()[1]["others"][MISSIONS]["final"] == fixed
    assert again.rows()[0]["final"] == axis
    again.choose_scheme(MISSIONS)  # the axes' corrections stay with the list while hidden
    assert again.rows()[1]["others"][MISSIONS]["final"] == fixed and not again.rows()[0]["axes"]
    assert "missions,cluster" in again.training_csv(MISSIONS).read_text(encoding="utf-8").splitlines()[0]


@pytest.fixture
def page(tmp_path, bases):
    from miner.serve.review import ReviewSettings

    axes, missions = bases
    settings = ReviewSettings(
        folder=tmp_path / "session", model_dir=tmp_path / "mine", model=axes, scheme_models={MISSIONS: missions}, port=0
    )
    with review_server(settings) as url:
        yield url, settings


def pressed(driver, row: int) -> list[int]:
    return [
        int(b.get_attribute("data-axis"))
        for b in driver.find_elements(
            "css selector", f'tr[data-row="{row}"] button.concept[data-scheme="{MISSIONS}"][aria-pressed="true"]'
        )
    ]


def in_chromium(test):
    for mark in NEEDS_CHROMIUM:
        test = mark(test)
    return test


@in_chromium
def test_missions_corrected_and_retrained_in_the_browser(page, tmp_path):
    from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from miner.tag.schemes import SchemeModel

    url, settings = page
    with chromium() as browser:
        requested(browser)
        wait, listing = upload_tiny_list(browser, url, tmp_path)
        assert not browser.find_elements(By.CSS_SELECTOR, "button.concept")  # the axes alone at first

        Select(browser.find_element(By.ID, "scheme")).select_by_value("both")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, 'tr[data-row="0"] button.concept')) == 4)
        assert len(browser.find_elements(By.CSS_SELECTOR, 'tr[data-row="0"] button.axis')) == 6  # both column sets
        before = pressed(browser, 0)
        mission = 2 if 2 not in before else 4
        browser.find_element(By.CSS_SELECTOR, f'tr[data-row="0"] button.concept[data-axis="{mission}"]').click()
        wait.until(lambda d: pressed(d, 0) == sorted(set(before) ^ {mission}))
        count = f'span.count[data-scheme="{MISSIONS}"]'
        assert browser.find_element(By.CSS_SELECTOR, count).text == "1"
        assert browser.find_element(By.ID, "count").text == "0"  # the axes' own count is apart

        browser.find_element(By.CSS_SELECTOR, f'button.retrain[data-scheme="{MISSIONS}"]').click()
        wait = WebDriverWait(
            browser, scaled(240), ignored_exceptions=(StaleElementReferenceException, JavascriptException)
        )
        state = (
            "return [document.getElementById('status').dataset.state,"
            " document.getElementById('switch-model').hidden,"
            f" document.querySelector('code.scheme-model-path[data-scheme=\"{MISSIONS}\"]').textContent]"
        )
        wait.until(lambda d: d.execute_script(state)[0] == "failed" or not d.execute_script(state)[1])
        assert browser.execute_script(state)[0] == "done", browser.find_element(By.ID, "status").text
        [trained] = settings.model_dir.glob(f"{MISSIONS}-*.npz")
        assert not list(settings.model_dir.glob("axes-*.npz"))  # the axes model was not retrained
        events = [e for e in browser.execute_script("return window.minerReview.events") if e["task"] == "retraining"]
        assert [e for e in events if e["state"] == "running"] and events[-1]["state"] == "done", events
        assert trained.name in browser.find_element(By.ID, "switch-model").text
        browser.find_element(By.ID, "switch-model").click()
        wait.until(lambda d: d.execute_script(state)[2] == str(trained))
        assert pressed(browser, 0) == sorted(set(before) ^ {mission})  # the correction stays on the new model
        learnt = SchemeModel.load(trained).examples
        examples = {e["description"]: e["concepts"] for e in learnt}
        text = browser.find_element(By.CSS_SELECTOR, 'tr[data-row="0"] td.text').text
        assert examples[text] == ";".join(map(str, sorted(set(before) ^ {mission})))

        severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe  # no CSP violation, no script error
        leaving = [
            u
            for u in requested(browser)
            if urlsplit(u).hostname not in ("127.0.0.1", "localhost")
            and urlsplit(u).scheme not in ("data", "about", "blob", "chrome", "chrome-untrusted")
        ]  # the browser's own pages
        assert leaving == []

    from typer.testing import CliRunner

    from miner.cli.app import app

    result = CliRunner().invoke(app, ["classify", str(listing), "--scheme", MISSIONS, "--model", str(trained)])
    assert result.exit_code == 0, result.output
    assert "activites-1" in {e["id"] for e in learnt}  # the corrected row, id from the list's name
    assert "missions_predites" in result.output.splitlines()[0]
