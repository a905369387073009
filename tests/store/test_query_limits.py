"""`miner query`'s limits cover all of a query's work: parsing and screening run in the worker,
under the time limit, and the text is capped before anything reads it (issue 24)."""

from __future__ import annotations

import os
import time

import pytest
from typer.testing import CliRunner

from miner.cli.app import app
from miner.store.local import open_store, replace_graphs
from miner.store.messages import explain_syntax_error
from miner.store.pool import QueryTextLimit

runner = CliRunner()
SCALE = float(os.environ.get("MINER_TEST_TIMEOUT_SCALE", "1") or 1)
"""How much slower this machine is than an idle one (the suite's shared factor, 1 by default)."""


@pytest.fixture
def store(tmp_path):
    folder = tmp_path / "store"
    handle = open_store(folder)
    replace_graphs(handle, {"https://example.org/g": [("https://example.org/s", "https://example.org/p", "1")]})
    del handle
    return folder


def _values_query(size: int) -> str:
    """A SELECT over a VALUES block of distinct IRIs, ``size`` bytes or a little more."""
    items, total, index = [], 0, 0
    while total < size:
        item = f"<https://example.org/item/{index:09d}>"
        items.append(item)
        total += len(item) + 1
        index += 1
    return "SELECT ?x WHERE { VALUES ?x { " + " ".join(items) + " } }"


def test_a_six_megabyte_query_stops_at_its_limit(store, tmp_path):
    path = tmp_path / "big.rq"
    path.write_text(_values_query(6 * 2**20), encoding="utf-8")
    limit = 2.0
    started = time.monotonic()
    done = runner.invoke(
        app, ["query", str(path), "--store", str(store), "--timeout", str(limit), "--max-query-bytes", str(8 * 2**20)]
    )
    elapsed = time.monotonic() - started
    assert done.exit_code != 0 and "time limit of 2 s" in done.output, done.output
    # the limit counts from the command's call and covers the worker's start, parsing and screening
    assert elapsed < limit + 1.0 * SCALE, f"stopped after {elapsed:.1f} s for a {limit:g} s limit"


def test_query_text_over_the_cap_is_refused_before_it_is_read(store):
    text = _values_query(QueryTextLimit().max_query_bytes + 10)
    done = runner.invoke(app, ["query", text, "--store", str(store)])
    assert done.exit_code == 2 and "over the cap of 1048576 bytes" in done.output and "--max-query-bytes" in done.output
    small = runner.invoke(app, ["query", _values_query(300), "--store", str(store), "--max-query-bytes", "200"])
    assert small.exit_code == 2 and "over the cap of 200 bytes" in small.output
    ok = runner.invoke(app, ["query", _values_query(300), "--store", str(store), "--format", "csv"])
    assert ok.exit_code == 0 and "https://example.org/item/000000000" in ok.output


def test_syntax_errors_are_still_told_in_oxigraphs_words(store):
    """The worker screens the query now, and asks its own Oxigraph (no network there) for words."""
    done = runner.invoke(app, ["query", "SELECT * WHERE { ?s ?p }", "--store", str(store)])
    assert done.exit_code == 2
    assert done.output.strip() == "error: " + explain_syntax_error("SELECT * WHERE { ?s ?p }")
