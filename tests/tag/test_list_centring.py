"""Each row's vector is centred on the other rows of its list before the head and the second stage
read it (features.centred): a list tagged a batch at a time gets the same axes and scores as one
tagged whole, and models saved before the setting existed keep reading raw vectors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from miner.read.activities import read_table
from miner.tag import axes as ax
from miner.tag import schemes as sc
from miner.tag.classify import TaggingBatches, classify_table
from miner.tag.features import TextFeatures, centred, list_totals
from miner.tag.modelfile import AxesModel
from miner.tag.training import fit_parts

DIM = 8


def _feats(n: int) -> list[TextFeatures]:
    return [TextFeatures([], {a: [] for a in ax.AXES}, []) for _ in range(n)]


def _vectors(n: int, seed: int) -> np.ndarray:
    """Rows of lists that each share a direction (their sector) beside what the row does."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, DIM)).astype(np.float32) + 3 * rng.normal(size=(1, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    """A model of the embedding block alone on made-up vectors of eight lists: tagging reads no text."""
    n, settings = 48, ax.AxesSettings(blocks=("embedding",), folds=3, stack_neighbours=4)
    vectors = np.vstack([_vectors(6, seed) for seed in range(8)])
    groups = [f"cluster {i // 6}" for i in range(n)]
    y = np.zeros((n, 6), dtype=np.int8)
    y[:, 0] = vectors[:, 0] > 0
    y[:, 3] = vectors[:, 1] > 0
    y[~y.any(axis=1), 1] = 1
    vectors = centred(vectors, groups, settings.list_weight, settings.list_shrink)
    parts = fit_parts(_feats(n), vectors, y, groups, settings)
    examples = [
        {"id": f"T{i}", "description": "", "axes": ax.format_axes(np.flatnonzero(y[i]) + 1), "cluster": g}
        for i, g in enumerate(groups)
    ]
    model = AxesModel(version="t", settings=settings, examples=examples, example_vectors=vectors, **parts)
    return model.save(tmp_path_factory.mktemp("model"))


def test_a_row_moves_away_from_its_lists_other_rows_only():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(5, 4)).astype(np.float32)
    lists = ["a", "a", "a", "b", None]
    out = centred(v, lists, 1.0, 2.0)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert np.allclose(out[3], v[3] / np.linalg.norm(v[3]))  # alone in its list: as it was
    assert np.allclose(out[4], v[4] / np.linalg.norm(v[4]))  # no list known: as it was
    moved = v[0] - 1.0 * 2 / (2 + 2.0) * (v[1] + v[2]) / 2
    assert np.allclose(out[0], moved / np.linalg.norm(moved), atol=1e-5)
    # a batch of the list, with the whole list's totals, is centred as the whole list is
    assert np.allclose(centred(v[1:2], ["a"], 1.0, 2.0, list_totals(v, lists)), out[1:2], atol=1e-6)
    assert centred(v, lists, 0.0, 2.0) is not None and np.array_equal(centred(v, lists, 0.0, 2.0), v)


def test_a_list_tagged_in_batches_gets_the_axes_and_scores_of_the_whole_list(small_model, tmp_path, monkeypatch):
    model = AxesModel.load(small_model)
    assert model.settings.list_weight > 0
    texts = [f"activité {i}" for i in range(7)]
    vectors = dict(zip(texts, _vectors(7, 99)))
    monkeypatch.setattr(sc, "read_texts", lambda t, c, e: (_feats(len(t)), np.stack([vectors[x] for x in t])))
    path = tmp_path / "list.csv"
    path.write_text("id,description\n" + "".join(f"A{i},{t}\n" for i, t in enumerate(texts)), encoding="utf-8")
    whole = ax.predict(
        model, texts, clusters=["Cluster Bois"] * 7, vectors=np.stack(list(vectors.values())), feats=_feats(7)
    )
    result = classify_table(
        read_table(path), model_path=small_model, cluster="Cluster Bois", batches=TaggingBatches(min_rows=1, steps=3)
    )
    for row, expected in zip(result.rows, whole):
        assert row["predicted_axes"] == ax.format_axes(expected.axes)
        assert [row[f"score_{a}"] for a in ax.AXES] == expected.scores
    # the first batch centred on itself alone scores otherwise: the whole list matters
    first = np.stack([vectors[t] for t in texts[:3]])
    alone = ax.predict(model, texts[:3], clusters=["Cluster Bois"] * 3, vectors=first, feats=_feats(3))
    assert [p.scores for p in alone] != [p.scores for p in whole[:3]]


def test_models_saved_before_the_setting_read_raw_vectors(small_model, tmp_path):
    path = small_model
    data = dict(np.load(path, allow_pickle=False))
    header = json.loads(bytes(data["header"]).decode("utf-8"))
    del header["settings"]["list_weight"]  # as a model file of 2026-12-07 and before records it
    data["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    old = tmp_path / "old.npz"
    np.savez_compressed(old, **data)
    assert AxesModel.load(old).settings.list_weight == 0.0
    assert AxesModel.load(path).settings.list_weight == ax.AxesSettings().list_weight
