"""`miner settings`: every field of every settings class with its default and reason."""

from __future__ import annotations

from typer.testing import CliRunner

from miner.cli.app import app
from miner.cli.settings import settings_tables
from miner.settings import SETTINGS_CLASSES, described, settings_class, settings_classes

runner = CliRunner()


def test_one_section_lists_each_setting_with_its_default_and_reason():
    result = runner.invoke(app, ["settings", "pool"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip().startswith(settings_class("pool").__doc__.split(":")[0])
    for item in described(settings_class("pool")):
        assert any(item.name in line and repr(item.default) in line and item.why in line for line in lines), item.name


def test_every_field_of_every_class_is_listed_and_nested_ones_as_references():
    result = runner.invoke(app, ["settings"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    tables = settings_tables()
    assert [t.columns[0].header for t in tables] == list(SETTINGS_CLASSES)
    for table, cls in zip(tables, settings_classes().values()):
        assert table.row_count == len(described(cls)), cls
        assert all(f"{item.name} " in result.stdout for item in described(cls))
    assert "[tables]" in result.stdout and "[unruled]" in result.stdout  # not read as Rich markup


def test_an_unknown_section_is_one_line_and_exit_2():
    result = runner.invoke(app, ["settings", "layuot"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: no settings section 'layuot'. Known sections: " + ", ".join(SETTINGS_CLASSES)
    )
