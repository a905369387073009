"""What `miner members`, `miner organisations` and `miner cycles` print, from their report functions."""

from __future__ import annotations

from conftest import INFOPOLE, ROOT

from miner.cli.cycles import cycles_report
from miner.cli.organisations import format_counts, members_report

MEMBERS = ROOT / "corpora" / "members" / "membres-chanvrelia-2025.csv"


def test_format_counts_aligns_keys_and_counts():
    assert (
        format_counts("par type:", {"PME": 12, "université": 3}) == "par type:\n  PME           12\n  université     3"
    )


def test_members_report_counts_and_a_missing_file(tmp_path):
    lines: list[str] = []
    failed = members_report([MEMBERS, tmp_path / "absent.csv"], echo=lines.append)
    assert failed == 1
    assert any(line.startswith("error: ") and "absent.csv" in line for line in lines)
    assert any("members; BCE numbers:" in line for line in lines)
    assert any("by province" in line for line in lines)


def test_cycles_report_of_the_shared_report(shared):
    lines: list[str] = []
    assert cycles_report([INFOPOLE / "evaluation-infopole-2025-synthese.pdf"], echo=lines.append) == 0
    assert "INFOPOLE" in lines[0] and "triennat" in lines[0].casefold()
