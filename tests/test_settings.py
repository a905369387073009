"""Declared settings: miner/data/settings.toml checked strictly, and the classes made from it."""

from __future__ import annotations

import dataclasses
import pickle
import tomllib

import pytest

from miner import data
from miner.errors import InputError, UsageError
from miner.read.ocr import OcrOptions, OcrSettings
from miner.read.pdf import LayoutSettings
from miner.read.scan_image import ImageSettings
from miner.read.tables import TableSettings
from miner.read.unruled import UnruledSettings
from miner.settings import SETTINGS_FILE, check_declarations, checked_overrides, declarations, declared_settings
from miner.store.pool import PoolSettings
from timeouts import scaled

DECLARED = {"layout": LayoutSettings, "tables": TableSettings, "unruled": UnruledSettings, "ocr": OcrSettings,
            "image": ImageSettings, "pool": PoolSettings}


def test_every_section_is_a_class_of_its_module_with_every_setting_and_reason():
    assert set(declarations()) == set(DECLARED)
    for section, cls in DECLARED.items():
        declared = declarations()[section].settings
        fields = [f for f in dataclasses.fields(cls) if f.name not in {o.name for o in dataclasses.fields(OcrOptions)}]
        assert [f.name for f in fields] == [d.name for d in declared]
        assert all(f.metadata["why"] == d.why and d.why for f, d in zip(fields, declared))
        assert cls.__module__ == {"layout": "miner.read.pdf", "tables": "miner.read.tables", "unruled": "miner.read.unruled",
                                  "ocr": "miner.read.ocr", "image": "miner.read.scan_image", "pool": "miner.store.pool"}[section]
        assert all(f"- {d.name} = " in cls.__doc__ for d in declared)
        # frozen, hashable, and found again by pickle (settings cross into worker processes)
        with pytest.raises(dataclasses.FrozenInstanceError):
            cls().__setattr__(fields[0].name, None)
        assert pickle.loads(pickle.dumps(cls())) == cls() and hash(cls()) == hash(cls())


def test_types_come_from_the_defaults():
    assert dataclasses.fields(TableSettings)[0].type is float and TableSettings().continue_slack == 90.0
    assert {f.name: f.type for f in dataclasses.fields(ImageSettings)}["erase_rules"] is bool
    assert {f.name: f.type for f in dataclasses.fields(PoolSettings)}["size"] is int
    assert TableSettings().finder == (("vertical_strategy", "lines"), ("horizontal_strategy", "lines"))
    assert isinstance(LayoutSettings().tables, TableSettings) and isinstance(LayoutSettings().unruled, UnruledSettings)
    # an int is taken for a float, a list for a tuple; anything else is refused where it is given
    assert TableSettings(column_tolerance=9).column_tolerance == 9.0
    assert isinstance(TableSettings(column_tolerance=9).column_tolerance, float)
    assert TableSettings(finder=[["vertical_strategy", "text"]]).finder == (("vertical_strategy", "text"),)
    with pytest.raises(TypeError, match="LayoutSettings.max_pages: expected int, got 2.5"):
        LayoutSettings(max_pages=2.5)
    with pytest.raises(TypeError, match="expected float, got True"):
        LayoutSettings(margin_band=True)
    with pytest.raises(TypeError, match="expected TableSettings"):
        LayoutSettings(tables=UnruledSettings())


def test_runtime_options_stay_in_a_base_class_with_its_checks():
    options = [f.name for f in dataclasses.fields(OcrOptions)]
    assert options == ["mode", "language", "jobs", "text"] and [f.name for f in dataclasses.fields(OcrSettings)][:4] == options
    assert issubclass(OcrSettings, OcrOptions) and "why" not in dataclasses.fields(OcrSettings)[0].metadata
    assert OcrSettings.resolve("never") == OcrSettings(mode="never")  # the base's resolve is kept
    assert isinstance(OcrSettings().image, ImageSettings) and OcrSettings(page_timeout=1).page_timeout == 1.0
    with pytest.raises(ValueError, match="need 0 < min_dpi <= max_dpi"):  # the base's checks run too
        OcrSettings(min_dpi=500)
    with pytest.raises(TypeError, match="OcrSettings.max_pixels: expected int"):
        OcrSettings(max_pixels=1e7)
    assert "Runtime options first (mode, language, jobs, text: ``OcrOptions``)" in OcrSettings.__doc__


def test_resolve_and_replace_work_on_declared_classes():
    resolved = LayoutSettings.resolve({"heading_size_ratio": 1.3, "unruled": {"min_gutter": 2}})
    assert resolved.heading_size_ratio == 1.3 and resolved.unruled.min_gutter == 2.0
    assert resolved.margin_band == LayoutSettings().margin_band
    assert dataclasses.replace(resolved, heading_size_ratio=1.15) == LayoutSettings.resolve({"unruled": {"min_gutter": 2.0}})
    assert PoolSettings.resolve(None) == PoolSettings()


def test_the_package_file_is_the_one_read():
    raw = tomllib.loads(data.path(*SETTINGS_FILE).read_text(encoding="utf-8"))
    assert check_declarations(raw) == declarations()
    assert declarations() is declarations()  # read once


def test_a_declaration_without_a_default_or_a_reason_is_refused_with_every_problem_named():
    bad = {
        "outer": {"about": "Outer.", "inner": {"section": "missing", "why": "A nested section."},
                  "gap": {"default": 2.0}, "both": {"default": 1, "section": "outer", "why": "x"},
                  "neither": {"why": "x"}, "extra": {"default": 1, "why": "x", "unit": "pt"},
                  "table": {"default": {"a": 1}, "why": "x"}, "flat": 3},
        "noabout": {"ok": {"default": 1, "why": "fine"}},
        "loop": {"about": "Loops.", "self": {"section": "loop", "why": "x"}},
    }
    with pytest.raises(InputError) as caught:
        check_declarations(bad, "demo.toml")
    message = str(caught.value)
    assert message.startswith("demo.toml: ")
    for problem in ("[outer] inner: unknown section 'missing'", "[outer] gap: no why",
                    "[outer] both: give a default or a section, not both", "[outer] neither: give a default or a section, not neither",
                    "[outer] extra: unknown key unit", "[outer] table: a default is a bool, integer, float, string or array",
                    "[outer] flat: write { default = ..., why = \"...\" }", "[noabout] has no about", "[loop] contains itself"):
        assert problem in message


def test_a_good_declaration_makes_a_class(monkeypatch):
    sections = check_declarations({
        "demo_inner": {"about": "Inner demo.", "width": {"default": 3, "why": "Three is enough."}},
        "demo": {"about": "Demo.", "ratio": {"default": 90.0, "why": "A float written with its point."},
                 "inner": {"section": "demo_inner", "why": "Grouped."}},
    })
    monkeypatch.setattr("miner.settings.declarations", lambda: sections)
    inner = declared_settings("DemoInner", "demo_inner")
    with pytest.raises(TypeError, match=r"\[demo\] inner holds \[demo_inner\]: pass its declared class"):
        declared_settings("Demo", "demo")
    outer = declared_settings("Demo", "demo", nested={"demo_inner": inner})
    assert outer.__module__ == __name__ and outer.__qualname__ == "Demo"
    assert outer() == outer(ratio=90.0, inner=inner(width=3)) and outer().ratio == 90.0
    assert dataclasses.fields(outer)[1].metadata == {"why": "Grouped.", "section": "demo_inner"}
    assert outer.__doc__.splitlines()[0] == "Demo." and "- ratio = 90.0: A float written with its point." in outer.__doc__
    class Wider(outer):  # a subclass of a declared class checks its values once, as its base does
        pass

    assert Wider(ratio=2).ratio == 2.0
    with pytest.raises(TypeError, match="ratio: expected float"):
        Wider(ratio="wide")
    with pytest.raises(UsageError, match="no settings section 'nowhere'. Known sections: demo_inner, demo"):
        declared_settings("Nowhere", "nowhere")


def test_overrides_are_checked_and_normalised():
    assert checked_overrides(LayoutSettings, {"min_gutter": 8, "tables": {"column_tolerance": 9}}, "layout") == \
        {"min_gutter": 8.0, "tables": {"column_tolerance": 9.0}}
    with pytest.raises(UsageError, match="layout: no setting 'gutter'"):
        checked_overrides(LayoutSettings, {"gutter": 8}, "layout")
    with pytest.raises(UsageError, match=r"layout.tables: no setting 'tolerance'"):
        checked_overrides(LayoutSettings, {"tables": {"tolerance": 8}}, "layout")
    with pytest.raises(UsageError, match="layout.min_gutter: expected float, got 'wide'"):
        checked_overrides(LayoutSettings, {"min_gutter": "wide"}, "layout")
    with pytest.raises(UsageError, match=r"layout.tables: a mapping of its settings \(miner settings tables\)"):
        checked_overrides(LayoutSettings, {"tables": 3}, "layout")


def test_the_type_checkers_stub_is_the_declared_classes():
    """miner/settings_types.pyi gives mypy and editors the fields of the classes made at run time; it
    is generated from those classes and must not drift from settings.toml."""
    import importlib.util
    from pathlib import Path

    from miner.settings import STUB_FILE, stub_source

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("settings_stub", root / "scripts" / "settings_stub.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    stub = (root / "miner" / STUB_FILE).read_text(encoding="utf-8")
    assert {cls.__settings_section__ for cls in script.DECLARED} == set(declarations()), "a section has no stub"
    assert stub == stub_source(script.DECLARED), "out of date: run python scripts/settings_stub.py"
    for cls in script.DECLARED:
        line = next(line for line in stub.splitlines() if line.startswith(f"class {cls.__name__}"))
        declared = [f.name for f in dataclasses.fields(cls) if "why" in f.metadata]
        assert [part.split(":")[0].strip() for part in line.split(": ", 1)[1].split("; ")][:len(declared)] == declared


def test_a_type_checker_sees_the_declared_fields(tmp_path):
    """Through the stub, mypy knows each declared field's type and refuses a wrong one or a misspelt
    name, as it would for a hand-written dataclass."""
    import subprocess
    import sys
    from pathlib import Path

    probe = tmp_path / "probe.py"
    probe.write_text(
        "from miner.read.pdf import LayoutSettings\n"
        "from miner.store.pool import PoolSettings\n"
        "reveal_type(LayoutSettings().tables.column_tolerance)\n"
        "reveal_type(LayoutSettings.resolve(None).max_pages)\n"
        "reveal_type(PoolSettings().open_backoff)\n"
        "LayoutSettings(min_gutter='wide')\n"
        "LayoutSettings().min_gutte\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
                           "--cache-dir", str(tmp_path / "cache"), str(probe)],
                          capture_output=True, text=True, timeout=scaled(300), cwd=Path(__file__).resolve().parents[1])
    out = done.stdout
    assert ':3: note: Revealed type is "float"' in out, out
    assert ':4: note: Revealed type is "int"' in out and ':5: note: Revealed type is "float"' in out
    assert ':6: error: Argument "min_gutter" to "LayoutSettings" has incompatible type "str"; expected "float"' in out
    assert ':7: error: "LayoutSettings" has no attribute "min_gutte"' in out
    assert "Found 2 errors in 1 file" in out
