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
