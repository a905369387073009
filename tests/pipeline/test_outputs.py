"""Nothing overwritten: a second store built into a folder holding another store's pages and exports
is refused (exit 2, naming both and the way out) unless --force or another --out."""

from __future__ import annotations

from typer.testing import CliRunner

from miner.cli.app import app
from miner.pipeline.outputs import MARK, owner_of

runner = CliRunner()
TTL = "@prefix ex: <https://example.org/> .\nex:a ex:p ex:b .\n"


def build(tmp_path, store: str, *extra: str):
    source = tmp_path / "data.ttl"
    source.write_text(TTL, encoding="utf-8")
    return runner.invoke(app, ["build", str(source), "--store", str(tmp_path / "graphs" / store), "--quiet", *extra])


def test_a_build_into_another_stores_outputs_is_refused(tmp_path):
    first = build(tmp_path, "a")
    assert first.exit_code == 0, first.output
    graphs = tmp_path / "graphs"
    assert owner_of(graphs) == graphs / "a"
    pages = sorted(p.name for p in graphs.iterdir())
    again = build(tmp_path, "a")  # the same store: its own outputs, rebuilt
    assert again.exit_code == 0, again.output
    other = build(tmp_path, "b")
    assert other.exit_code == 2
    line = other.output.strip().splitlines()[-1]
    assert line.startswith("error: ") and str(graphs / "a") in line and "--force" in line and "--out" in line
    assert (
        not (graphs / "b").exists()
        and owner_of(graphs) == graphs / "a"
        and sorted(p.name for p in graphs.iterdir()) == pages
    )
    elsewhere = build(tmp_path, "b", "--out", str(graphs / "b-pages"))
    assert elsewhere.exit_code == 0 and owner_of(graphs / "b-pages") == graphs / "b"
    forced = build(tmp_path, "b", "--force")
    assert forced.exit_code == 0, forced.output
    assert (graphs / MARK).read_text(encoding="utf-8").strip() == str(graphs / "b")
