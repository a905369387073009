"""`miner settings`: the declared settings with their defaults and reasons."""

from __future__ import annotations

from typer.testing import CliRunner

from miner.cli.app import app
from miner.cli.settings import settings_tables
from miner.settings import declarations

runner = CliRunner()


def test_one_section_lists_each_setting_with_its_default_and_reason():
    result = runner.invoke(app, ["settings", "pool"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == declarations()["pool"].about
    for item in declarations()["pool"].settings:
        assert any(item.name in line and repr(item.default) in line and item.why in line for line in lines), item.name


def test_every_section_and_nested_ones_shown_as_references():
    result = runner.invoke(app, ["settings"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert [t.columns[0].header for t in settings_tables()] == list(declarations())
    assert all(section.about in result.stdout for section in declarations().values())
    assert "[tables]" in result.stdout and "[unruled]" in result.stdout  # not read as Rich markup


def test_an_unknown_section_is_one_line_and_exit_2():
    result = runner.invoke(app, ["settings", "layuot"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: no settings section 'layuot'. Known sections: "
                                     + ", ".join(declarations()))
