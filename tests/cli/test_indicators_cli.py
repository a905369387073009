"""`miner indicators`: the KPI table of each document, target beside achieved; a document without
one is one error line and the batch goes on; --store loads the observations."""

from __future__ import annotations

from conftest import ROOT
from typer.testing import CliRunner

from miner.cli.app import app
from miner.cli.indicators import indicator_lines
from miner.extract.indicators import extract_indicators

MIDTERM = ROOT / "corpora/pdf/evaluation-mi-parcours-chanvrelia-2026.pdf"
NO_KPI = ROOT / "corpora/pdf/evaluation-chanvrelia-2025.pdf"


def test_the_outline_groups_indicators_by_objective():
    lines = indicator_lines(extract_indicators(MIDTERM))
    assert lines[0] == (
        "evaluation-mi-parcours-chanvrelia-2026.pdf: évaluation à mi-parcours of CHANVRELIA cluster "
        "des éco-matériaux, period 2024-2028  [FICTITIOUS DOCUMENT]"
    )
    assert (
        "    Financements obtenus par les projets accompagnés: achieved 640 000 € / target 1 500 000 €  (p. 1)" in lines
    )
    assert sum(1 for line in lines if line.startswith("  Objectif ")) == 4 and lines[-1] == "11 indicators"


def test_a_batch_goes_on_after_a_document_without_kpi_table_and_loads_the_store(tmp_path):
    from miner.store.local import open_store, query_df

    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["indicators", str(NO_KPI), str(MIDTERM), "--store", str(store)])
    assert result.exit_code == 1
    assert f"error: {NO_KPI}: no table of indicators" in result.output
    assert "11 indicators" in result.output
    df = query_df("contract_indicators", open_store(store, read_only=True))
    assert len(df) == 11 and set(df.achievedFrom) == {f"{MIDTERM.name} p.1", f"{MIDTERM.name} p.2"}
