"""The memory a user allows for serving from memory: its default from the machine, how many copies it
holds, the endpoint saying its choice once, and the pool lending a worker that holds a copy first."""

from __future__ import annotations

import time

import pytest
from evalfixture import shared_store_folder
from timeouts import scaled

from miner.serve.endpoint import ServeSettings, make_server
from miner.store.local import open_store
from miner.store.pool import PoolSettings, QueryPool
from miner.store.serving import ServingPlan, ServingSettings, allowed_mb, available_mb, plan_serving

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return shared_store_folder(tmp_path_factory.mktemp("serving") / "store")


def meminfo(tmp_path, available_kb: int):
    path = tmp_path / "meminfo"
    path.write_text(f"MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   {available_kb} kB\n")
    return path


def test_the_default_allowance_is_a_share_of_the_memory_available_capped(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    small, large = meminfo(tmp_path / "a", 4 * 1024 * 1024), meminfo(tmp_path / "b", 64 * 1024 * 1024)
    settings = ServingSettings(memory_share=0.5, memory_cap_mb=8192)
    assert available_mb(small) == 4096
    assert allowed_mb(None, settings, meminfo=small) == 2048
    assert allowed_mb(None, settings, meminfo=large) == 8192  # capped
    assert allowed_mb(None, settings, meminfo=tmp_path / "none") == settings.fallback_mb
    assert allowed_mb(300, settings, meminfo=small) == 300  # the user's word wins
    assert allowed_mb(0, settings, meminfo=large) == 0


def test_a_plan_copies_the_store_into_as_many_workers_as_the_allowance_holds():
    million = dict(quads=1_000_000, bytes_per_quad=450, workers=4)
    assert [ServingPlan(allowed_mb=mb, **million).copies for mb in (0, 429, 430, 900, 1800, 99_999)] == [
        0,
        0,
        1,
        2,
        4,
        4,
    ]
    assert ServingPlan(allowed_mb=900, **million).describe().startswith("serving from memory: 2 of 4 query workers")
    assert ServingPlan(allowed_mb=256, **million).describe().startswith("serving from disk")
    assert "(--memory-mb 0)" in ServingPlan(allowed_mb=0, **million).describe()


def test_a_plan_counts_the_store_it_serves(folder):
    plan = plan_serving(folder, workers=2, allowed=64, bytes_per_quad=450)
    assert plan.quads == len(open_store(folder, read_only=True)) > 1000
    assert plan.copies == 2


def test_a_worker_holding_a_copy_is_lent_first(folder):
    """One copy in two workers: queries asked one at a time all go to the worker that holds it."""
    with QueryPool(folder, PoolSettings(size=2, memory_mb=64), copies=1) as pool:
        for _ in range(int(scaled(20) / 0.1)):  # the copy loads in the worker's background
            if pool.run(PROBE).source == "memory":
                break
            time.sleep(0.1)
        assert [pool.run(PROBE).source for _ in range(6)] == ["memory"] * 6


@pytest.mark.parametrize(("memory_mb", "source"), [(None, "memory"), (0, "disk"), (1, "disk")])
def test_the_endpoint_says_once_where_it_answers_from(folder, memory_mb, source, caplog):
    with caplog.at_level("INFO", logger="miner.serve.endpoint"):
        server = make_server(folder, ServeSettings(port=0, max_concurrent=2, memory_mb=memory_mb))
    try:
        said = [r.getMessage() for r in caplog.records if r.name == "miner.serve.endpoint"]
        assert len(said) == 1 and said[0] == server.serving.describe()
        assert said[0].startswith(f"serving from {source}")
        assert server.pool.copies == (2 if source == "memory" else 0)
    finally:
        server.server_close()
