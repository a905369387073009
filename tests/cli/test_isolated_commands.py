"""One door for untrusted PDFs: `organisations`, `cycles`, `compare` and `extract --explain` read
them through the isolated reader with its declared limits, as `extract` and `build` do: a document
that hangs or eats memory is stopped and named, and this process never parses it."""

from __future__ import annotations

from dataclasses import dataclass

import hostile
import pytest
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.read.isolate import Limits
from miner.settings import setting


@dataclass(frozen=True)
class TightLimits(Limits):
    """The declared limits made tight for a test: seconds, not minutes, and 300 MB."""

    timeout: float = setting(scaled(2), "A test waits seconds, not the declared two minutes.")
    max_memory_mb: int = setting(150, "Below the bomb's expansion, far below the declared cap.")
    jobs: int = setting(2, "The hanging and the greedy document at once.")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """A document that takes minutes to read and a decompression bomb (made once: compressing takes time)."""
    folder = tmp_path_factory.mktemp("hostile")
    return hostile.long_text(folder / "hangs.pdf", 1900), hostile.bomb(folder / "greedy.pdf", 250)


@pytest.fixture
def hostile_pdfs(documents, monkeypatch):
    """Those documents, with the declared limits tight."""
    monkeypatch.setattr("miner.read.isolate.Limits", TightLimits)
    return documents


def assert_stopped_and_named(output: str, hangs, greedy=None) -> None:
    assert f"{hangs}: timed out after {TightLimits().timeout:g} s" in output, output
    if greedy is not None:
        assert f"{greedy}: too large" in output, output


@pytest.mark.parametrize("command", ["organisations", "cycles"])
def test_a_batch_command_stops_and_names_each_hostile_document(hostile_pdfs, command):
    hangs, greedy = hostile_pdfs
    result = CliRunner().invoke(app, [command, str(hangs), str(greedy)])
    assert result.exit_code == 1
    assert_stopped_and_named(result.output, hangs, greedy)


def test_compare_stops_and_names_a_hanging_document(hostile_pdfs, tmp_path):
    hangs, _greedy = hostile_pdfs
    result = CliRunner().invoke(app, ["compare", str(hangs), str(hangs), "--out", str(tmp_path / "c.html")])
    assert result.exit_code == 1
    assert_stopped_and_named(result.output, hangs)


def test_explain_stops_and_names_a_greedy_document(hostile_pdfs, tmp_path):
    _hangs, greedy = hostile_pdfs
    result = CliRunner().invoke(app, ["extract", str(greedy), "--explain", "--out", str(tmp_path / "png")])
    assert result.exit_code == 1
    assert f"error: {greedy}: too large" in result.output, result.output
