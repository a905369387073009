"""Shared fixtures. ../shared (the team's reference corpora) is expected beside the checkout, as in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MINER_SHARED", ROOT.parent / "shared"))
INFOPOLE = SHARED / "corpora" / "infopole"
EVAL_PDF = INFOPOLE / "evaluation-infopole-2025-synthese.pdf"
EVAL_EXPECTED = INFOPOLE / "evaluation-infopole-2025-synthese.expected.json"
ATLAS_PDF = INFOPOLE / "atlas-infopole-2011.pdf"
DEV_CSV = SHARED / "corpora" / "activities" / "dev.csv"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``long`` (over 15 s on an idle machine) run only with MINER_LONG=1 (make test-long)."""
    if os.environ.get("MINER_LONG"):
        return
    skip = pytest.mark.skip(reason="long: make test-long (MINER_LONG=1) runs it")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared not found at {SHARED} (set MINER_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def report(shared):
    """The shared evaluation report, extracted once for the session (tests read it, never change it)."""
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(EVAL_PDF)


@pytest.fixture(scope="session")
def atlas(shared):
    """The shared atlas sheet on the cluster's members, extracted once for the session."""
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(ATLAS_PDF)
