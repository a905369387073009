"""Work that cannot count its steps (retraining) still shows it is alive: start and end events."""

from __future__ import annotations

import json

from miner.pipeline.progress import Reporter


def test_working_reports_start_and_end(capsys):
    with Reporter("json").working("retraining the axis model"):
        pass
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in events] == ["start", "end"]
    assert events[0]["stage"] == "retraining the axis model" and events[1]["seconds"] >= 0


def test_the_parts_of_one_file_are_events_with_the_time_left(capsys):
    """OCR'd pages reach a script as progress events under their stage, each with the time left
    once a pace is known."""
    reporter = Reporter("json")
    with reporter.track("extract", 2) as advance:
        for done in (1, 2, 3):
            reporter.detail("reports/scan.pdf", done, 3)
        advance()
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    pages = [e for e in events if e["event"] == "progress"]
    assert [(e["stage"], e["item"], e["done"], e["total"], e["unit"]) for e in pages] == [
        ("extract", "reports/scan.pdf", n, 3, "pages") for n in (1, 2, 3)
    ]
    assert pages[0]["seconds_left"] is None  # one page says nothing of the pace
    assert pages[1]["seconds_left"] >= 0 and pages[2]["seconds_left"] == 0


def test_bars_and_spinners_at_a_terminal(monkeypatch):
    """Rich is imported only there (a build's start at no terminal, or quiet, imports none of it)."""
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    reporter = Reporter("human", echo=lambda *a: None)
    with reporter.track("extract", 2) as advance:
        reporter.info("a line above the bar")
        reporter.detail("reports/scan.pdf", 1, 2)
        advance()
        advance()
    with reporter.working("retraining the axis model"):
        pass
    assert "rich.progress" in sys.modules
