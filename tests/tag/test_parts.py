"""The parts the tagger is split into: each does its own job and the facade names the same objects."""

from __future__ import annotations

import numpy as np

from miner.tag import axes as ax
from miner.tag.base import evaluate_sets, labels_matrix, parse_axes
from miner.tag.features import fold_text
from miner.tag.modelfile import AxesModel, head_scores, neighbour_shares
from miner.tag.prediction import decide
from miner.tag.training import calibrate_thresholds, fit_stack, fold_indices


def test_the_facade_names_the_parts():
    assert ax.parse_axes is parse_axes and ax.AxesModel is AxesModel and ax.decide is decide


def test_labels_round_trip_through_the_matrix():
    y = labels_matrix([[1, 4], [6]])
    assert y.tolist() == [[1, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1]]
    assert evaluate_sets([[1, 4], [6]], [[1, 4], [6]])["micro_f1"] == 1.0


def test_folds_keep_groups_whole():
    groups = ["a", "a", "b", "c", "c", "d"]
    folds = fold_indices(len(groups), 2, 1, groups)
    for fold in folds:
        names = {groups[i] for i in fold}
        assert all(groups[i] in names for i in range(len(groups)) if groups[i] in names)
    assert sorted(np.concatenate(folds).tolist()) == list(range(6))


def test_thresholds_and_decisions():
    scores = np.array([[0.9, 0.1], [0.2, 0.3], [0.8, 0.7]], dtype=np.float32)
    y = np.array([[1, 0], [0, 0], [1, 1]])
    t = calibrate_thresholds(scores, y, floor=0.15)
    scaled, chosen = decide(scores, t)
    assert chosen[0, 0] and not chosen[0, 1] and chosen[2].all()
    assert chosen[1].any()  # every activity serves at least one axis
    design = np.zeros((1, 3), dtype=np.float32)
    assert head_scores(design, np.zeros((1, 2, 3)), np.zeros((1, 2))).tolist() == [[0.5, 0.5]]


def test_folded_text_has_no_accents_or_case():
    assert fold_text("Pôle MecaTech") == "pole mecatech"


def test_neighbour_shares_leave_out_the_rows_own_cluster():
    vectors = np.array([[1, 0], [1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32)
    labels = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.int8)
    shares = neighbour_shares(vectors[:1], vectors, labels, 1)
    assert shares.tolist() == [[1.0, 0.0]]  # its twin
    same = np.array([[True, True, False, False]])
    shares = neighbour_shares(vectors[:1], vectors, labels, 1, exclude=same)
    assert shares.tolist() == [[0.0, 1.0]]  # its own cluster left out, the next nearest decides


def test_second_stage_learns_from_the_neighbours_and_is_kept_in_the_model_file(tmp_path):
    rng = np.random.default_rng(0)
    n = 60
    y = np.zeros((n, 6), dtype=np.int8)
    y[: n // 2, 2] = 1  # axis 3 on the first half, which the head cannot see but the neighbours can
    y[:, 0] = 1
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    vectors[:, 0] += np.where(y[:, 2] == 1, 4.0, -4.0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    oof = np.full((n, 6), 0.5, dtype=np.float32)
    groups = [f"cluster {i % 12}" for i in range(n)]
    settings = ax.AxesSettings(folds=3)
    coef, intercept, scores = fit_stack(oof, vectors, y, groups, settings)
    assert coef.shape == (6, 12) and scores.shape == (n, 6)
    assert coef[2, 6 + 2] > 0  # axis 3's own share among the neighbours raises axis 3
    assert np.mean((scores[:, 2] >= 0.5) == (y[:, 2] == 1)) > 0.9  # and decides it for rows never fitted on
    model = AxesModel(
        version="t",
        settings=settings,
        coef=np.zeros((1, 6, 3), np.float32),
        intercept=np.zeros((1, 6), np.float32),
        thresholds=np.full(6, 0.5, np.float32),
        hand_mean=np.zeros(0),
        hand_scale=np.ones(0),
        vocab=[],
        idf=np.zeros(0, np.float32),
        examples=[
            {"id": f"T{i}", "description": "", "axes": "1;3" if y[i, 2] else "1", "cluster": groups[i]}
            for i in range(n)
        ],
        example_vectors=vectors,
        stack_coef=coef,
        stack_intercept=intercept,
    )
    back = AxesModel.load(model.save(tmp_path))
    assert np.allclose(back.stack_coef, coef) and np.allclose(back.stack_intercept, intercept)
    design = np.zeros((2, 3), dtype=np.float32)
    with_stage = back.raw_scores(design, vectors[[0, n - 1]])
    assert with_stage[0, 2] > 0.5 > with_stage[1, 2]
    assert back.raw_scores(design).tolist() == [[0.5] * 6] * 2  # without vectors: the head's scores
    back.stack_coef = back.stack_intercept = None
    assert AxesModel.load(back.save(tmp_path / "plain.npz")).stack_coef is None  # models trained without it still load
