"""Hostile and broken activity lists (CSV, XLSX), generated here, read through the isolated workers.

Each case ends in a table or one clear error; a million-row file is refused as too large, odd
encodings are read with a warning, formulas stay text and are neutralised when written back.
MINER_HOSTILE_CASES raises the count for long runs.
"""

from __future__ import annotations

import csv
import io
import os
import time

import hostile
import openpyxl
import pytest
from timeouts import scaled

from miner.errors import InputError
from miner.read.activities import read_table, read_tables, safe_cell
from miner.read.isolate import Limits

KNOWN = (
    "too large",
    "timed out",
    "malformed CSV",
    "empty file",
    "cannot read as XLSX",
    "sheet ",
    "corrupt",
    "worker died",
)
LIMITS = Limits(timeout=scaled(60), max_memory_mb=600, jobs=2)
"""60 s a file: the lying XLSX bomb streams 100,000 rows before it is refused (about 6 s idle, four
times that on a loaded 2-core machine); a hang would still be caught, the default is 120 s."""


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-tables")
    count = max(200, int(os.environ.get("MINER_HOSTILE_CASES", "0")) // 2)
    paths = {}
    for name, data in hostile.table_cases(count):
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    big = folder / "sixty-megabytes.csv"
    with big.open("wb") as handle:
        handle.write(b"id,description\n")
        handle.truncate(60 * 1024 * 1024)
    paths[big.name] = big
    return paths


@pytest.mark.long  # over 15 s on an idle machine: make test-long
def test_hostile_tables_batch(cases):
    names = list(cases)
    start = time.monotonic()
    results = read_tables([cases[n] for n in names], limits=LIMITS)
    elapsed = time.monotonic() - start
    assert len(results) == len(names) >= 200
    by_name = hostile.batch_outcomes(names, results, KNOWN)
    errors = {n: e for n, (t, e) in by_name.items() if e}
    assert not any(e.startswith(("timed out", "worker died")) for e in errors.values()), errors
    assert errors["million-rows.csv"] == "too large: more than 100000 rows; split the list"
    assert errors["million-rows.xlsx"] == "too large: more than 100000 rows; split the list"
    assert errors["sixty-megabytes.csv"].startswith("too large: 60 MB (limit 50 MB)")
    assert errors["empty.csv"] == "empty file: no header row"
    assert errors["huge-field.csv"].startswith("malformed CSV, line 2: field larger than field limit")
    assert errors["not-a-zip.xlsx"].startswith("cannot read as XLSX")
    for name in ("utf8.csv", "utf8-bom.csv", "utf16.csv", "cp1252.csv", "valid.xlsx"):
        table, _ = by_name[name]
        assert table.columns[:2] == ["id", "date"], name
        assert any("Atelier" in cell for row in table.rows for cell in row), name
    assert by_name["utf8.csv"][0].rows == by_name["cp1252.csv"][0].rows == by_name["utf16.csv"][0].rows
    assert by_name["utf8.csv"][0].warnings == []
    assert by_name["cp1252.csv"][0].warnings == [
        "not UTF-8: read as cp1252 (Windows Western European); check accented letters"
    ]
    assert by_name["latin1-undefined-in-cp1252.csv"][0].warnings[0].startswith("not UTF-8 nor cp1252")
    assert len(by_name["wide-row.csv"][0].columns) == 500
    print(
        f"\nhostile activity lists: {len(names)} cases, {len(errors)} clear errors, 0 crashes, 0 hangs, {elapsed:.0f} s"
    )


def test_formulas_are_never_evaluated_and_written_back_as_text(cases, tmp_path):
    table = read_table(cases["formulas.xlsx"])
    descriptions = [row[1] for row in table.rows]
    # openpyxl saved the "=..." cells as formulas without a cached value: read back empty, never computed
    assert descriptions == ["" if f.startswith("=") else f for f in hostile.FORMULAS]
    assert {row[2] for row in table.rows} == {""}
    assert [row[1] for row in read_table(cases["formulas.csv"]).rows] == hostile.FORMULAS
    assert all(safe_cell(f).startswith("'") for f in hostile.FORMULAS)

    from miner.tag.classify import Classified, write_output

    rows = [{"description": f, "axes": "", "score_1": -0.5} for f in hostile.FORMULAS]
    result = Classified(["description", "axes", "score_1"], rows, [], "test")
    write_output(result, tmp_path / "out.csv")
    written = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert [r["description"] for r in written] == ["'" + f for f in hostile.FORMULAS]
    assert {r["score axe 1"] for r in written} == {"-0.5"}
    write_output(result, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells == ["'" + f for f in hostile.FORMULAS]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula cell at all


def test_worst_case_memory_is_bounded(cases):
    from miner.read.activities import _read_worker
    from miner.read.isolate import run_isolated

    worst = ["million-rows.csv", "million-rows.xlsx", "wide-row.csv", "huge-field.csv"]
    outcomes = list(run_isolated(_read_worker(None, None), [str(cases[n]) for n in worst], LIMITS))
    peak = max(outcomes, key=lambda o: o.peak_mb or 0)
    assert all(o.peak_mb is not None and o.peak_mb < LIMITS.max_memory_mb for o in outcomes)
    print(
        f"\nworst activity list: {os.path.basename(peak.key)}, peak {peak.peak_mb:.0f} MB above the "
        f"worker's start, {peak.seconds:.1f} s"
    )


def test_read_table_raises_one_input_error(cases):
    with pytest.raises(InputError, match="too large"):
        read_table(cases["million-rows.csv"])


def test_a_sheet_claiming_more_rows_than_the_cap_is_refused_before_its_rows_are_read(tmp_path):
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(hostile.xlsx_bytes([["id", "description"], ["1", "x"]]))) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:B250000"/>')
                assert b"B250000" in data
            dst.writestr(info, data)
    path = tmp_path / "claims-many.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(InputError, match=r"too large: the sheet says it holds 250000 rows \(more than 100000\)"):
        read_table(path)
