"""Settings declared one way: hand-written classes whose fields carry a default and a reason,
one registry that lists them all, and the declared default the value that is used."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pickle
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from miner.errors import UsageError
from miner.read.isolate import Limits
from miner.read.ocr import OcrOptions, OcrSettings
from miner.read.pdf import LayoutSettings
from miner.read.scan_image import ImageSettings
from miner.read.tables import TableSettings
from miner.read.unruled import UnruledSettings
from miner.settings import (
    check_fields,
    checked_overrides,
    declared,
    described,
    section_of,
    setting,
    settings_class,
    settings_classes,
)
from miner.store.pool import PoolSettings


def test_every_registered_class_gives_every_field_a_default_and_a_reason():
    for section, cls in settings_classes().items():
        fields = described(cls)
        assert fields, section
        assert all(f.why.strip() for f in fields), (
            f"[{section}] without a reason: {[f.name for f in fields if not f.why]}"
        )
        assert cls.__doc__ and cls.__doc__.strip(), f"[{section}] {cls.__name__} says nothing of what it is for"
        if dataclasses.is_dataclass(cls):  # frozen, hashable, found again by pickle (settings cross into workers)
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(cls(), fields[0].name, None)
            assert pickle.loads(pickle.dumps(cls())) == cls() and hash(cls()) == hash(cls())


def _declared_classes() -> set[str]:
    """``module:Class`` of every frozen dataclass in miner whose fields carry a reason (a ``why``)."""
    found = set()
    for path in sorted((ROOT / "miner").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "why" not in source:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                cls = getattr(importlib.import_module(module), node.name)
                if dataclasses.is_dataclass(cls) and any("why" in f.metadata for f in dataclasses.fields(cls)):
                    found.add(f"{cls.__module__}:{cls.__name__}")
    return found


def test_the_registry_holds_every_declared_class_whatever_is_imported():
    covered = {f"{base.__module__}:{base.__name__}" for cls in settings_classes().values() for base in cls.__mro__}
    assert _declared_classes() <= covered, "add the class to miner.settings.SETTINGS_CLASSES"
    assert settings_class("pool") is PoolSettings and section_of(TableSettings) == "tables"
    with pytest.raises(UsageError, match="no settings section 'layuot'. Known sections: layout, tables"):
        settings_class("layuot")


def test_nested_sections_are_fields_holding_their_class():
    layout = {f.name: f for f in described(LayoutSettings)}
    assert layout["tables"].section == "tables" and layout["unruled"].section == "unruled"
    assert {f.name: f.section for f in described(OcrSettings)}["image"] == "image"
    assert isinstance(LayoutSettings().tables, TableSettings) and isinstance(LayoutSettings().unruled, UnruledSettings)


def test_one_band_for_running_headers():
    """margin_band is one setting, the layout's; the table stitcher is given it."""
    assert "margin_band" in {f.name for f in described(LayoutSettings)}
    assert "margin_band" not in {f.name for f in described(TableSettings)}


def test_values_are_checked_where_they_are_given():
    assert TableSettings(column_tolerance=9).column_tolerance == 9.0
    assert isinstance(TableSettings(column_tolerance=9).column_tolerance, float)
    assert TableSettings(finder=[["vertical_strategy", "text"]]).finder == (("vertical_strategy", "text"),)
    with pytest.raises(TypeError, match="LayoutSettings.max_pages: expected int, got 2.5"):
        LayoutSettings(max_pages=2.5)
    with pytest.raises(TypeError, match="expected float, got True"):
        LayoutSettings(margin_band=True)
    with pytest.raises(TypeError, match="expected TableSettings"):
        LayoutSettings(tables=UnruledSettings())


def test_a_hand_written_class_gets_the_checks_from_one_helper():
    @dataclasses.dataclass(frozen=True)
    class Demo:
        """A demo stage."""

        ratio: float = setting(0.5, "Half.")

        def __post_init__(self) -> None:
            check_fields(self)

    assert Demo(ratio=1).ratio == 1.0 and described(Demo)[0].why == "Half."
    with pytest.raises(TypeError, match="Demo.ratio: expected float, got 'wide'"):
        Demo(ratio="wide")


def test_runtime_options_stay_in_a_base_class_with_its_checks():
    options = [f.name for f in dataclasses.fields(OcrOptions)]
    assert (
        options == ["mode", "language", "jobs", "text"]
        and [f.name for f in dataclasses.fields(OcrSettings)][:4] == options
    )
    assert OcrSettings.resolve("never") == OcrSettings(mode="never")
    assert isinstance(OcrSettings().image, ImageSettings) and OcrSettings(page_timeout=1).page_timeout == 1.0
    with pytest.raises(ValueError, match="need 0 < min_dpi <= max_dpi"):
        OcrSettings(min_dpi=500)
    with pytest.raises(TypeError, match="OcrSettings.max_pixels: expected int"):
        OcrSettings(max_pixels=1e7)
    with pytest.raises(ValueError, match="choose auto, always or never"):
        OcrSettings(mode="sometimes")


def test_resolve_and_replace_work_on_declared_classes():
    resolved = LayoutSettings.resolve({"heading_size_ratio": 1.3, "unruled": {"min_gutter": 2}})
    assert resolved.heading_size_ratio == 1.3 and resolved.unruled.min_gutter == 2.0
    assert resolved.margin_band == LayoutSettings().margin_band
    assert dataclasses.replace(resolved, heading_size_ratio=1.15) == LayoutSettings.resolve(
        {"unruled": {"min_gutter": 2.0}}
    )
    assert PoolSettings.resolve(None) == PoolSettings()


def test_none_means_the_declared_default():
    assert declared(Limits, timeout=None, max_memory_mb=None, jobs=None) == Limits()
    assert declared(OcrSettings, mode="never", page_timeout=None) == OcrSettings(mode="never")


def test_the_limits_are_written_once():
    """120 s and 2048 MB live in Limits: the CLI and the extract step default to None (the declared value)."""
    from miner.pipeline.steps.documents import ExtractParams

    params = ExtractParams()
    assert params.timeout is None and params.max_memory_mb is None and params.page_timeout is None
    for path in ("miner/cli/app.py", "miner/pipeline/steps/documents.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "120.0" not in text and "2048" not in text and "60.0" not in text, path


def test_overrides_are_checked_and_normalised():
    assert checked_overrides(LayoutSettings, {"min_gutter": 8, "tables": {"column_tolerance": 9}}, "layout") == {
        "min_gutter": 8.0,
        "tables": {"column_tolerance": 9.0},
    }
    with pytest.raises(UsageError, match="layout: no setting 'gutter'"):
        checked_overrides(LayoutSettings, {"gutter": 8}, "layout")
    with pytest.raises(UsageError, match=r"layout.tables: no setting 'tolerance'"):
        checked_overrides(LayoutSettings, {"tables": {"tolerance": 8}}, "layout")
    with pytest.raises(UsageError, match="layout.min_gutter: expected float, got 'wide'"):
        checked_overrides(LayoutSettings, {"min_gutter": "wide"}, "layout")
    with pytest.raises(UsageError, match=r"layout.tables: a mapping of its settings \(miner settings tables\)"):
        checked_overrides(LayoutSettings, {"tables": 3}, "layout")


# ---------------------------------------------------------------------------------------------
# The declared default is the value used


@dataclasses.dataclass(frozen=True)
class QuickOcr(OcrSettings):
    """OCR settings whose declared page time limit is far too short for any page."""

    page_timeout: float = setting(0.001, "Shorter than any page takes: every page stops early.")


def small_scan(path: Path) -> Path:
    """A one-page scan: lines of text as pixels, no text layer (a small page, so OCR is quick)."""
    import io

    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1200, 600), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=40)
    for row in range(3):
        draw.text((40, 40 + 100 * row), f"Constat {row + 1} : le cluster a tenu ses rencontres", fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    page = canvas.Canvas(str(path), pagesize=(300, 150))
    page.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, width=300, height=150)
    page.save()
    return path


def test_a_changed_page_timeout_default_changes_what_extract_does(monkeypatch, tmp_path):
    """`miner extract` on a scan: with the declared page_timeout changed, every OCR'd page stops at
    it and says so; neither the CLI nor the worker passes a value of its own."""
    from miner.cli.app import app

    scan = small_scan(tmp_path / "scan.pdf")
    normal = CliRunner().invoke(app, ["extract", str(scan), "--format", "text", "--jobs", "1"])
    monkeypatch.setattr("miner.read.ocr.OcrSettings", QuickOcr)
    quick = CliRunner().invoke(app, ["extract", str(scan), "--format", "text", "--jobs", "1"])
    assert "OCR found no text" not in normal.output, normal.output  # read in the declared 60 s
    assert quick.exit_code == 1 and "no text layer, and OCR found no text in its images" in quick.stderr, quick.output


def test_the_extract_step_reads_the_same_declared_default(monkeypatch, tmp_path):
    from miner.pipeline.runner import new_context
    from miner.pipeline.steps import documents

    seen = {}
    monkeypatch.setattr(documents, "OcrSettings", QuickOcr)
    # the reader is imported when a file is to be read: one file, nothing cached
    monkeypatch.setattr("miner.extract.evaluation.extract_batch", lambda todo, **kw: seen.update(kw) or [])
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 not read: the reader is replaced")
    ctx = new_context([tmp_path / "a.pdf"], tmp_path / "store", tmp_path / "out", root=tmp_path, force=True)
    documents.extract_step(ctx, documents.ExtractParams())
    assert seen["ocr"].page_timeout == 0.001 and seen["limits"] == Limits()


def test_no_settings_file_or_generated_stub_is_left():
    for gone in ("miner/data/settings.toml", "miner/settings_types.pyi", "scripts/settings_stub.py"):
        assert not (ROOT / gone).exists(), gone
    assert not hasattr(importlib.import_module("miner.settings"), "declared_settings")
    assert Path(ROOT / "miner" / "settings.py").read_text(encoding="utf-8").count("make_dataclass") == 0
