"""`miner build` of an objective contract and its mid-term evaluation: both are recognised by their
KPI table (not their file names) and their indicators reach the store as the gold says."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT

from miner.pipeline.build import Kind, build
from miner.pipeline.progress import Reporter
from miner.store.local import open_store, query_df

SAMPLES = {
    "contrat-chanvrelia-2024.pdf": "contrat-chanvrelia-2024.indicators.json",
    "evaluation-mi-parcours-chanvrelia-2026.pdf": "evaluation-mi-parcours-chanvrelia-2026.indicators.json",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("kpis")
    (root / "in").mkdir()
    for index, name in enumerate(SAMPLES):  # renamed: the kind must come from the content
        shutil.copy(ROOT / "corpora/pdf" / name, root / "in" / f"document-{index}.pdf")
    store = root / "graphs" / "store"
    ctx, plan = build([root / "in"], store, skip=["organisations", "compare", "network"], reporter=Reporter("quiet"))
    return ctx, plan, store


def test_both_samples_are_tables_of_indicators(built):
    ctx, plan, _ = built
    assert not ctx.failures, ctx.failures
    assert [i.kind for i in plan.inputs] == [Kind.INDICATORS, Kind.INDICATORS]
    assert [s.name for s, _ in plan.steps].count("miner.indicators.v1") == 1


def test_the_store_holds_the_gold_observations(built):
    _, _, path = built
    store = open_store(path, read_only=True)
    df = query_df("contract_indicators", store)
    by_name = {r.indicator: r for r in df.itertuples()}
    for index, gold_name in enumerate(SAMPLES.values()):
        gold = json.loads((ROOT / "corpora/gold" / gold_name).read_text(encoding="utf-8"))
        assert set(by_name) == {o["indicator"] for o in gold["observations"]}
        for o in gold["observations"]:
            row = by_name[o["indicator"]]
            assert (row.cluster, row.period, row.unit) == (gold["cluster"], gold["period"], o["unit"])
            assert float(row.target) == pytest.approx(o["target"]) and not row.targetsDisagree
            assert f"document-{index}.pdf p.{o['page']}" in row.targetFrom.split("; ")
            if o["achieved"] is not None:
                assert float(row.achieved) == pytest.approx(o["achieved"])
                assert row.achievedFrom == f"document-{index}.pdf p.{o['page']}"


def test_a_second_build_reads_and_loads_nothing_again(built):
    _, _, store = built
    ctx, _ = build(
        [store.parent.parent / "in"], store, skip=["organisations", "compare", "network"], reporter=Reporter("quiet")
    )
    assert not ctx.failures and not ctx.graph
    assert ctx.cache.misses == 0  # neither the recognition nor the step read a KPI table again


def test_the_step_refuses_a_pdf_without_a_kpi_table_in_one_line(tmp_path):
    from miner.pipeline.runner import new_context
    from miner.pipeline.steps.indicators import IndicatorsParams, indicators_step

    report = ROOT / "corpora/pdf/activites-chanvrelia-2024.pdf"
    ctx = new_context([report], tmp_path / "store", tmp_path, root=tmp_path, reporter=Reporter("quiet"))
    indicators_step(ctx, IndicatorsParams())
    assert [(f.step, f.reason.count("\n")) for f in ctx.failures] == [("miner.indicators.v1", 0)]
    assert "no table of indicators" in ctx.failures[0].reason and not ctx.graph
