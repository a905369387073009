"""One definition of a changed judgement: `miner compare` counts the changes the saved query
``judgement_changes`` answers, on the store the demo builds from the two CHANVRELIA reports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from miner.cli.app import app

PDF = ROOT / "corpora" / "pdf"
CLUSTER = "chanvrelia-cluster-des-eco-materiaux"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from miner.pipeline.build import build
    from miner.pipeline.progress import Reporter

    folder = tmp_path_factory.mktemp("changed") / "store"
    ctx, _ = build(
        [PDF / "evaluation-chanvrelia-2021.pdf", PDF / "evaluation-chanvrelia-2025.pdf"],
        folder,
        skip=["organisations", "compare", "network"],
        reporter=Reporter("quiet"),
    )
    assert not ctx.failures
    return folder


def words(texts):
    """A cheap stand-in for the sentence encoder: normalised bags of hashed words (the count under
    test comes from the saved query, not from the alignment's similarity)."""
    import numpy as np

    vectors = np.zeros((len(texts), 512))
    for i, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            vectors[i, hash(word) % 512] += 1
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_compare_counts_what_the_saved_query_answers(store, tmp_path):
    from miner.compare.comparison import compare_refs, write_comparison

    query = runner.invoke(app, ["query", "judgement_changes", "--store", str(store), "--format", "csv"])
    assert query.exit_code == 0, query.output
    rows = [
        r
        for r in csv.DictReader(io.StringIO(query.stdout))
        if (r["before"], r["after"]) == ("6e triennat", "7e triennat")
    ]
    assert rows  # the two cycles differ on several criteria
    comparison = compare_refs(f"{CLUSTER}@triennat-7", f"{CLUSTER}@triennat-6", store=store, embed=words)
    counts = comparison.changed_counts()
    assert counts["changed"] == len(rows)
    assert (counts["up"], counts["down"]) == (
        sum(r["direction"] == "up" for r in rows),
        sum(r["direction"] == "down" for r in rows),
    )
    out = write_comparison(comparison, tmp_path / "compare.html")
    card = re.search(r'data-key="changed"><b>(\d+)</b>', out.read_text(encoding="utf-8"))
    assert card and int(card.group(1)) == len(rows)
