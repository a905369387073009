"""A small axis model and a tiny activity list for the review page's tests.

The small model learns from 40 rows of ``corpora/activities/train.csv`` with 3 calibration folds:
retraining on top of it takes seconds, where the shipped model's 641 rows take a minute or more.
"""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from timeouts import scaled

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "corpora" / "activities" / "train.csv"
SMALL_ROWS = 40
"""Training rows of the small model: every axis occurs among the first 40."""

TINY_LIST = (
    "id,description,cluster\n"
    "A1,Organisation d'un atelier de formation à la cybersécurité pour les PME membres,Infopôle Cluster TIC\n"
    'A2,"Mission commune avec le cluster français Hydreos au salon de l\'eau à Lyon",Cluster H2O\n'
    "A3,Montage d'un projet de recherche avec l'UCLouvain et le pôle GreenWin,Cluster TWEED\n"
    'A4,=HYPERLINK("http://example.org";"<script>alert(1)</script>"),Cluster TWEED\n'
)


def build_small_model(folder: Path) -> Path:
    from miner.tag import axes as ax

    with TRAIN.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:SMALL_ROWS]
    model = ax.fit(
        [r["description"] for r in rows],
        [ax.parse_axes(r["axes"]) for r in rows],
        ids=[r["id"] for r in rows],
        clusters=[r["cluster"] for r in rows],
        settings=ax.AxesSettings(folds=3),
        source="tests/reviewfixture.py",
    )
    return model.save(folder)


MISSIONS = "missions-2024"


def build_small_scheme_model(folder: Path, scheme: str = MISSIONS) -> Path:
    """A missions model of the first 40 real rows (their adjudicated missions), 3 calibration folds:
    the review page retrains on top of it in seconds."""
    from dataclasses import replace

    from miner.tag import schemes as sc

    real = ROOT / "corpora" / "activities"
    with (real / "real.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:SMALL_ROWS]
    with (real / "real-missions.csv").open(encoding="utf-8", newline="") as handle:
        missions = {r["id"]: r["missions"] for r in csv.DictReader(handle)}
    texts = [" ".join(r["description"].split()) for r in rows]
    clusters = [r.get("cluster") or "" for r in rows]
    labels = [sc.parse_concepts(missions[r["id"]], sc.scheme_of(scheme)) for r in rows]
    feats, vectors = sc.read_texts(texts, clusters, sc.AxesSettings().encoder)
    model = sc.fit_scheme(
        scheme,
        texts,
        labels,
        feats=feats,
        vectors=vectors,
        groups=clusters,
        ids=[r["id"] for r in rows],
        tagging=replace(sc.TAGGING, folds=3),
        source="tests/reviewfixture.py",
    )
    folder.mkdir(parents=True, exist_ok=True)
    return model.save(folder)


@contextmanager
def review_server(settings) -> Iterator[str]:
    """The review page of ``settings`` served on a free loopback port in a thread; yields its URL."""
    from miner.serve.review import server

    instance = server(settings)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    port = instance.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        instance.should_exit = True
        thread.join(scaled(10))


def upload_tiny_list(browser, url: str, folder: Path):
    """Open the review page in ``browser``, upload :data:`TINY_LIST` and wait for its four rows;
    returns the wait, for the test's next steps, and the uploaded file."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    listing = folder / "activites.csv"
    listing.write_text(TINY_LIST, encoding="utf-8")
    browser.get_log("browser")
    browser.get(url)
    browser.find_element(By.ID, "file").send_keys(str(listing))
    browser.find_element(By.ID, "upload").click()
    wait = WebDriverWait(browser, scaled(60), ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")) == 4)
    return wait, listing
