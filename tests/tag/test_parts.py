"""The parts the tagger is split into: each does its own job and the facade names the same objects."""

from __future__ import annotations

import numpy as np

from miner.tag import axes as ax
from miner.tag.base import evaluate_sets, labels_matrix, parse_axes
from miner.tag.features import fold_text
from miner.tag.modelfile import AxesModel, head_scores
from miner.tag.prediction import decide
from miner.tag.training import calibrate_thresholds, fold_indices


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
