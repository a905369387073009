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
class QuickLimits(Limits):
    """The declared limits with seconds, not minutes, for a document that would take minutes."""

    timeout: float = setting(scaled(2), "A test waits seconds, not the declared two minutes.")


@dataclass(frozen=True)
class SmallLimits(Limits):
    """The declared limits with a memory cap far below a decompression bomb's expansion."""

    max_memory_mb: int = setting(60, "A bomb passes this after a fraction of its expansion.")
    timeout: float = setting(scaled(20), "Time enough for a loaded machine to reach the cap.")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """A document that takes minutes to read and a decompression bomb (made once: compressing takes time)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {"hangs": hostile.long_text(folder / "hangs.pdf", 1900), "greedy": hostile.bomb(folder / "greedy.pdf", 250)}


EXPECTED = {
    "hangs": (QuickLimits, f"timed out after {QuickLimits().timeout:g} s"),
    "greedy": (SmallLimits, "too large"),
}


def arguments(command: str, path, tmp_path) -> list[str]:
    return {
        "organisations": ["organisations", str(path)],
        "cycles": ["cycles", str(path)],
        "compare": ["compare", str(path), str(path), "--out", str(tmp_path / "c.html")],
        "explain": ["extract", str(path), "--explain", "--out", str(tmp_path / "png")],
    }[command]


@pytest.mark.parametrize("kind", ["hangs", "greedy"])
@pytest.mark.parametrize("command", ["organisations", "cycles", "compare", "explain"])
def test_a_hostile_document_is_stopped_and_named(documents, monkeypatch, tmp_path, command, kind):
    limits, reason = EXPECTED[kind]
    monkeypatch.setattr("miner.read.isolate.Limits", limits)  # the declared limits, as every reader takes them
    monkeypatch.setattr("miner.pipeline.steps.documents.Limits", limits)  # and the extract step, which
    # `organisations` and `cycles` run through the runner
    result = CliRunner().invoke(app, arguments(command, documents[kind], tmp_path))
    assert result.exit_code == 1
    assert f"error: {documents[kind]}: {reason}" in result.output, result.output
