"""Long tagging and retraining move their bars often enough to give a time left: tagging per batch
of rows (smaller batches for longer lists), retraining per step (features, vectors, each fold, fit)."""

from __future__ import annotations

from contextlib import contextmanager

from conftest import DEV_CSV

from miner.read.activities import read_table
from miner.tag.base import AxesSettings
from miner.tag.classify import TaggingBatches, classify_table, train_file


def test_batch_size_follows_the_list_length_between_its_bounds():
    batches = TaggingBatches()
    assert batches.rows(10) == batches.min_rows  # a short list: one small batch
    assert batches.rows(batches.max_rows * batches.steps * 3) == batches.max_rows
    assert batches.rows(40 * batches.steps) == 40


def test_tagging_moves_the_bar_once_per_batch_of_rows(shared, monkeypatch):
    from miner.tag import axes as ax
    from miner.tag.prediction import AxisPrediction

    asked: list[int] = []

    def predict(model, texts, **_options):  # the batching is under test here, not the model
        asked.append(len(texts))
        return [AxisPrediction([1], [0.9] + [0.1] * 5, "") for _ in texts]

    monkeypatch.setattr(ax, "predict", predict)
    table = read_table(DEV_CSV)
    moves: list[int] = []
    result = classify_table(
        table, batches=TaggingBatches(min_rows=1, steps=4), advance=moves.append, cluster="Infopôle Cluster TIC"
    )
    assert len(table.rows) == 28 and moves == asked == [7, 7, 7, 7]  # four batches, the bar moved after each
    assert [row["predicted_axes"] for row in result.rows] == ["1"] * 28


def test_retraining_reports_each_step_to_its_bar(shared, tmp_path):
    seen: dict[str, object] = {"moves": []}

    @contextmanager
    def bar(total: int):
        seen["total"] = total
        yield seen["moves"].append  # type: ignore[union-attr]

    few = tmp_path / "few.csv"  # ten labelled rows: the steps are under test, not the model
    few.write_text("".join(DEV_CSV.read_text(encoding="utf-8").splitlines(keepends=True)[:11]), encoding="utf-8")
    path = train_file(few, out_dir=tmp_path, replace=True, progress=bar)
    assert path.is_file()
    assert seen["total"] == AxesSettings().folds + 3  # features, vectors, each fold, the final fit
    assert seen["moves"] == [1] * (AxesSettings().folds + 3)
