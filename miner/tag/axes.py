"""Decree-axis tagging, one import away: the names of the parts the tagger is split into.

The six axes are the missions the Walloon decree gives a cluster (see ``assets/axes_lexicon.yaml``).
An activity gets a score per axis from one logistic regression per axis over feature blocks
(sentence embedding, cue terms, actors and their roles, lemmas), then the conventions' rules
(:mod:`miner.tag.rules`) settle what they cover. The parts change for different reasons:

- :mod:`miner.tag.base`: the axes, their text form, the hyper-parameters and the metrics;
- :mod:`miner.tag.features`: what is read from a text (the design matrix);
- :mod:`miner.tag.modelfile`: the ``.npz`` artefact and the shipped model's pointer;
- :mod:`miner.tag.training`: fitting and threshold calibration;
- :mod:`miner.tag.prediction`: scores, chosen axes, evidence.
"""

from __future__ import annotations

from miner.tag.base import AXES, AxesSettings, evaluate_sets, format_axes, labels_matrix, parse_axes
from miner.tag.features import (
    LEXICON_PATH,
    TextFeatures,
    design_from_spec,
    design_matrix,
    extract_features,
    load_formats,
    load_lexicon,
)
from miner.tag.modelfile import FAMILY, MODEL_DIR, AxesModel, default_model_path, head_scores, load_model
from miner.tag.prediction import AxisPrediction, decide, explain, predict, warm_up
from miner.tag.training import calibrate_thresholds, fit, fit_arrays, fold_indices, out_of_fold_scores

__all__ = [
    "AXES",
    "FAMILY",
    "LEXICON_PATH",
    "MODEL_DIR",
    "AxesSettings",
    "TextFeatures",
    "AxesModel",
    "AxisPrediction",
    "parse_axes",
    "format_axes",
    "labels_matrix",
    "evaluate_sets",
    "load_lexicon",
    "load_formats",
    "extract_features",
    "design_matrix",
    "design_from_spec",
    "fit",
    "fit_arrays",
    "fold_indices",
    "out_of_fold_scores",
    "calibrate_thresholds",
    "head_scores",
    "decide",
    "explain",
    "predict",
    "default_model_path",
    "load_model",
    "warm_up",
]
