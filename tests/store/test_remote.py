"""Pushing to and querying a real Oxigraph server started here on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EVAL_PDF
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import MinerError
from miner.store.local import open_store, run_query
from miner.store.remote import Remote, push_store, remote_query

OXIGRAPH = shutil.which("oxigraph") or str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "oxigraph")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/miner/store/owners>) }"
"""Data triples: the graphs' owners name local files and are never pushed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server (pip package 'oxigraph') is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=scaled(1)).read()
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(scaled(10))


@pytest.fixture(scope="module")
def local(tmp_path_factory, shared):
    folder = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(app, ["build", str(EVAL_PDF), "--store", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def count(result) -> int:
    return int(result.rows[0][0].value)


def test_push_then_same_triple_count(server, local):
    store = open_store(local, read_only=True)
    pushed = push_store(store, Remote(server + "/query"), echo=lambda _: None)
    assert pushed.pushed and not pushed.not_pushed
    local_count = count(run_query(store, COUNT))
    assert count(remote_query(Remote(server + "/query"), COUNT)) == local_count
    # a second push replaces each graph: still the same count
    push_store(store, Remote(server + "/query"), echo=lambda _: None)
    assert count(remote_query(Remote(server + "/query"), COUNT)) == local_count
    del store


def test_query_endpoint_from_cli(server, local):
    CliRunner().invoke(app, ["push", "--endpoint", server + "/query", "--store", str(local)])
    result = CliRunner().invoke(app, ["query", "count_constats", "--endpoint", server + "/query", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "29" in result.stdout


def test_remote_refuses_updates_before_sending(server):
    with pytest.raises(MinerError):
        remote_query(Remote(server + "/query"), "INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_unreachable_endpoint_reports_what_was_not_pushed(local):
    store = open_store(local, read_only=True)
    port = free_port()
    remote = Remote(f"http://127.0.0.1:{port}/query", retries=1, backoff=0.01, timeout=scaled(2))
    with pytest.raises(MinerError) as info:
        push_store(store, remote, echo=lambda _: None)
    message = str(info.value)
    assert "unreachable after 2 attempts" in message and "Not pushed:" in message
    assert "Pushed before the failure: none" in message
