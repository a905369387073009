"""A store a build wrote keeps its tables, not the write-ahead logs its writes left
(:func:`miner.store.write.drop_spent_logs`)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from miner.store.local import open_store, replace_graphs
from miner.store.write import drop_spent_logs


def log_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.log"))


def written(folder: Path) -> None:
    """A few graphs written and flushed by a writer that is then closed, as a build leaves a store."""
    store = open_store(folder)
    for graph in range(3):
        triples = [(f"https://example.org/s{i}", "https://example.org/p", f"value {graph}-{i}") for i in range(500)]
        replace_graphs(store, {f"https://example.org/g{graph}": triples})
    store.flush()
    del store


def test_the_spent_logs_are_dropped_and_the_quads_kept(tmp_path):
    folder = tmp_path / "store"
    written(folder)
    assert log_bytes(folder) > 0  # what Oxigraph leaves after a flush and a close
    assert drop_spent_logs(folder)
    assert log_bytes(folder) == 0
    assert len(open_store(folder, read_only=True)) == 1500 + 3  # each graph's owner too


def test_a_store_another_writer_holds_is_left_as_it_is(tmp_path):
    folder = tmp_path / "store"
    written(folder)
    holder = ox.Store(str(folder))  # another writer: RocksDB's lock refuses a second one
    assert not drop_spent_logs(folder)
    assert len(holder) == 1503
    del holder


def test_a_build_leaves_no_spent_logs(tmp_path):
    """The run's writer is closed at its end (``finish_run``) and the logs its writes left go with it."""
    from miner.pipeline.runner import finish_run, new_context

    ctx = new_context([], tmp_path / "store", tmp_path / "out", root=tmp_path)
    store = ctx.open_store()
    replace_graphs(
        store,
        {"https://example.org/g": [(f"https://example.org/s{i}", "https://example.org/p", "x") for i in range(2000)]},
    )
    store.flush()
    del store
    finish_run(ctx)
    assert log_bytes(tmp_path / "store") == 0
    assert len(open_store(tmp_path / "store", read_only=True)) == 2001
