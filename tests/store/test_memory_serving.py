"""Query workers allowed the memory answer from an in-memory copy of the store, with the very answers
the disk gives; a store over the cap stays on disk."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from evalfixture import shared_store_folder
from timeouts import scaled

from miner.store.local import open_store, run_query
from miner.store.memory import MemoryCopy
from miner.store.pool import PoolSettings, QueryPool
from miner.store.query import saved_queries

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return shared_store_folder(tmp_path_factory.mktemp("memory") / "store")


def _until_memory(pool: QueryPool) -> None:
    for _ in range(int(scaled(20) / 0.1)):  # polled: the copy loads in the worker's background
        if pool.run(PROBE).source == "memory":
            return
        time.sleep(0.1)
    pytest.fail("the worker never answered from its in-memory copy")


def test_every_saved_query_answers_from_memory_as_from_disk(folder):
    disk = open_store(folder, read_only=True)
    expected = {q.name: run_query(disk, q.text, max_rows=None) for q in saved_queries()}
    with QueryPool(folder, PoolSettings(size=1, memory_mb=256)) as pool:
        _until_memory(pool)
        for saved in saved_queries():
            result = pool.run(saved.text, max_rows=None, timeout=scaled(10))
            assert result.source == "memory", saved.name
            assert result.variables == expected[saved.name].variables, saved.name
            assert result.values() == expected[saved.name].values(), saved.name
    assert any(expected[q].rows for q in expected)  # the store answers something


def test_a_store_over_the_cap_is_read_from_disk(folder):
    disk = open_store(folder, read_only=True)
    copy = MemoryCopy(memory_mb=1, bytes_per_quad=10_000)  # 10 kB a quad: a few hundred quads fit
    copy.load(disk, "one")
    assert copy.wait(scaled(20))
    assert copy.store_for("one") is None
    assert "over the 1 MB allowed" in copy.skipped
    with QueryPool(folder, PoolSettings(size=1)) as pool:  # the default: never copied
        assert pool.run(PROBE).source == "disk"


def test_a_copy_answers_only_for_the_snapshot_it_was_made_from(folder):
    disk = open_store(folder, read_only=True)
    copy = MemoryCopy(memory_mb=256, bytes_per_quad=600)
    copy.load(disk, "before")
    assert copy.wait(scaled(20))
    assert len(copy.store_for("before")) == len(disk)
    copy.load(disk, "after")  # the store's files changed: the old copy is dropped at once
    assert copy.store_for("before") is None
    assert copy.wait(scaled(20))
    assert copy.store_for("after") is not None


def test_the_endpoint_serves_a_small_store_from_memory_by_default(folder):
    """`miner serve` allows a share of the machine's memory by default (`--memory-mb 0` turns it off), so a
    store that fits is copied."""
    from miner.serve.endpoint import ServeSettings, make_server

    assert ServeSettings().memory_mb is None
    server = make_server(folder, ServeSettings(port=0, max_concurrent=1))
    try:
        _until_memory(server.pool)
    finally:
        server.server_close()


def test_a_copy_keeps_blank_nodes_as_the_disk_names_them(tmp_path):
    """A query naming a blank node (the ontology's OWL restrictions are some) answers alike from both."""
    disk = open_store(tmp_path / "store")
    disk.bulk_load(
        b"_:r <https://e/p> _:r <https://e/g> .\n<https://e/s> <https://e/p> _:r <https://e/g> .\n",
        format=ox.RdfFormat.N_QUADS,
    )
    copy = MemoryCopy(memory_mb=16, bytes_per_quad=600, batch=1)
    copy.load(disk, "one")
    assert copy.wait(scaled(20))
    assert set(copy.store_for("one")) == set(disk)
