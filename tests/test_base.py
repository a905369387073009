"""Base modules: atomic writes."""

from __future__ import annotations

from miner.atomic import write_bytes_atomic, write_text_atomic


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    write_text_atomic(target, "première version\n")
    write_text_atomic(target, "seconde\n")
    assert target.read_text(encoding="utf-8") == "seconde\n"
    write_bytes_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_settings_resolve_nested_mappings_and_refuse_unknown_keys():
    import pytest

    from miner.read.pdf import LayoutSettings
    from miner.settings import resolve_settings

    resolved = resolve_settings(LayoutSettings, {"tables": {"column_tolerance": 9.0}})
    assert resolved.tables.column_tolerance == 9.0 and resolved.margin_band == LayoutSettings().margin_band
    assert resolve_settings(LayoutSettings, resolved) is resolved
    with pytest.raises(TypeError):
        resolve_settings(LayoutSettings, {"no_such_setting": 1})
