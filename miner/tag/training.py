"""Training the axis model: one logistic regression per axis over the feature blocks, and per-axis
thresholds calibrated on out-of-fold scores (folds of whole clusters when the groups are given)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

import numpy as np

from miner.nlp.embeddings import embed, model_id
from miner.tag.base import AXES, AxesSettings, format_axes, labels_matrix
from miner.tag.features import TextFeatures, design_blocks, design_from_spec, design_spec, extract_features
from miner.tag.modelfile import (
    FAMILY,
    AxesModel,
    head_scores,
    neighbour_shares,
    stack_design,
    stack_scores,
    version_name,
)
from miner.tag.rules import SETTLES, verdict_key

__all__ = [
    "trusted_rules",
    "fit",
    "fit_arrays",
    "fit_parts",
    "fit_stack",
    "fold_indices",
    "out_of_fold_scores",
    "calibrate_thresholds",
    "head_masks",
]


def head_masks(settings: AxesSettings, feats, vectors, spec) -> list[np.ndarray]:
    """Column masks of the heads: one head over all blocks, or one per group in ``heads``."""
    blocks = design_blocks(
        feats[:1], vectors[:1], settings, spec["hand_mean"], spec["hand_scale"], spec["vocab"], spec["idf"]
    )
    widths = {name: block.shape[1] for name, block in blocks.items()}
    total = sum(widths.values())
    groups = settings.heads or (tuple(blocks),)
    masks = []
    for group in groups:
        mask = np.zeros(total, dtype=bool)
        start = 0
        for name, width in widths.items():
            if name in group:
                mask[start : start + width] = True
            start += width
        masks.append(mask)
    return masks


def fit_arrays(
    feats: Sequence[TextFeatures], vectors: np.ndarray, y: np.ndarray, settings: AxesSettings
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Fit one logistic regression per axis; returns (coef, intercept, feature definitions)."""
    from sklearn.linear_model import LogisticRegression

    spec = design_spec(feats, settings)
    design = design_from_spec(feats, vectors, settings, spec)
    masks = head_masks(settings, feats, vectors, spec)
    coef = np.zeros((len(masks), len(AXES), design.shape[1]), dtype=np.float32)
    intercept = np.zeros((len(masks), len(AXES)), dtype=np.float32)
    for h, mask in enumerate(masks):
        for k in range(len(AXES)):
            if y[:, k].min() == y[:, k].max():
                intercept[h, k] = 10.0 if y[0, k] else -10.0
                continue
            clf = LogisticRegression(C=settings.C, class_weight="balanced", max_iter=2000, solver=settings.solver)
            clf.fit(design[:, mask], y[:, k])
            coef[h, k, mask] = clf.coef_[0]
            intercept[h, k] = clf.intercept_[0]
    return coef, intercept, spec


def fold_indices(n: int, folds: int, seed: int, groups: Sequence[str] | None = None) -> list[np.ndarray]:
    """Shuffled folds; with ``groups``, all rows of a group fall in the same fold."""
    rng = np.random.default_rng(seed)
    if groups is None:
        order = rng.permutation(n)
        return [order[i::folds] for i in range(folds)]
    names = sorted(set(groups))
    rng.shuffle(names)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    return [np.asarray([j for j, g in enumerate(groups) if fold_of[g] == i], dtype=int) for i in range(folds)]


def out_of_fold_scores(
    feats,
    vectors,
    y,
    settings: AxesSettings,
    seed: int | None = None,
    groups: Sequence[str | None] | None = None,
    advance: Callable[[int], Any] | None = None,
) -> np.ndarray:
    """Raw per-axis probabilities of each training text from a model that did not see it, nor (with
    ``groups``, when there are at least ``settings.folds`` of them) any row of its cluster: the
    thresholds then suit a cluster the model never saw, as a user's list is; ``advance(1)`` after each
    fold, for a progress bar."""
    scores = np.zeros(y.shape, dtype=np.float32)
    named = None if groups is None else [g or f"row {i}" for i, g in enumerate(groups)]
    if named is not None and len(set(named)) < settings.folds:
        named = None
    for test in fold_indices(len(feats), settings.folds, settings.seed if seed is None else seed, named):
        train = np.setdiff1d(np.arange(len(feats)), test)
        sub = [feats[i] for i in train]
        coef, intercept, spec = fit_arrays(sub, vectors[train], y[train], settings)
        design = design_from_spec([feats[i] for i in test], vectors[test], settings, spec)
        scores[test] = head_scores(design, coef, intercept)
        if advance is not None:
            advance(1)
    return scores


def calibrate_thresholds(scores: np.ndarray, y: np.ndarray, floor: float, one: bool = False) -> np.ndarray:
    """Per axis, the threshold that maximises F1 on out-of-fold scores (ties → the middle one);
    with ``one``, a single threshold that maximises the micro-F1 of all axes together."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    thresholds = np.zeros(scores.shape[1], dtype=np.float32)
    if one:
        f1s = np.array([_f1(y.ravel().astype(bool), scores.ravel() >= t) for t in grid])
        best = np.flatnonzero(f1s >= f1s.max() - 1e-9)
        thresholds[:] = max(floor, float(grid[best[len(best) // 2]]))
        return thresholds
    for k in range(scores.shape[1]):
        f1s = np.array([_f1(y[:, k], scores[:, k] >= t) for t in grid])
        best = np.flatnonzero(f1s >= f1s.max() - 1e-9)
        thresholds[k] = max(floor, float(grid[best[len(best) // 2]]))
    return thresholds


def _f1(truth: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(truth & pred))
    denom = float(np.sum(truth) + np.sum(pred))
    return 2 * tp / denom if denom else 1.0


def trusted_rules(feats: Sequence[TextFeatures], y: np.ndarray, floor: float, min_count: int) -> list[str]:
    """The settling verdicts ("R8+4") that were right at least ``floor`` of the time on the training
    rows; a verdict that fired fewer than ``min_count`` times keeps its declared strength. The rules
    are the conventions, but how a rule's words fire on real text is an empirical matter."""
    counts: dict[str, list[int]] = {}
    for f, row in zip(feats, y):
        for v in f.verdicts:
            if v.strength >= SETTLES:
                key = verdict_key(v)
                hit = counts.setdefault(key, [0, 0])
                hit[0 if bool(row[v.axis - 1]) == v.add else 1] += 1
    return sorted(k for k, (ok, bad) in counts.items() if ok + bad < min_count or ok / (ok + bad) >= floor)


def _stack_arrays(design: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((y.shape[1], design.shape[1]), dtype=np.float32)
    intercept = np.zeros(y.shape[1], dtype=np.float32)
    for k in range(y.shape[1]):
        if y[:, k].min() == y[:, k].max():
            intercept[k] = 10.0 if y[0, k] else -10.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear").fit(design, y[:, k])
        coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


def fit_stack(
    oof: np.ndarray, vectors: np.ndarray, y: np.ndarray, groups: Sequence[str | None] | None, settings: AxesSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The second stage over the head's out-of-fold scores and the neighbours' axis shares (a row's
    own cluster left out of its neighbours), and its own out-of-fold scores, for the thresholds."""
    named = (
        [g or f"row {i}" for i, g in enumerate(groups)] if groups is not None else [f"row {i}" for i in range(len(y))]
    )
    same = np.asarray(named)[:, None] == np.asarray(named)[None, :]
    shares = neighbour_shares(vectors, vectors, y, settings.stack_neighbours, exclude=same)
    design = stack_design(oof, shares, settings.stack_share_weight)
    scores = np.zeros(y.shape, dtype=np.float32)
    folds = fold_indices(
        len(y), settings.folds, settings.seed + 1, named if len(set(named)) >= settings.folds else None
    )
    for test in folds:
        train = np.setdiff1d(np.arange(len(y)), test)
        scores[test] = stack_scores(design[test], *_stack_arrays(design[train], y[train], settings.stack_C))
    coef, intercept = _stack_arrays(design, y, settings.stack_C)
    return coef, intercept, scores


def fit_parts(
    feats: Sequence[TextFeatures],
    vectors: np.ndarray,
    y: np.ndarray,
    groups: Sequence[str | None] | None,
    settings: AxesSettings,
    advance: Callable[[int], Any] | None = None,
) -> dict[str, Any]:
    """Everything a model learns from its rows: the head, the second stage, the thresholds (on
    out-of-fold scores, folds of whole clusters) and the trusted rules."""
    oof = out_of_fold_scores(feats, vectors, y, settings, groups=groups, advance=advance)
    coef, intercept, spec = fit_arrays(feats, vectors, y, settings)
    parts: dict[str, Any] = {"coef": coef, "intercept": intercept, **spec}
    if settings.stack:
        parts["stack_coef"], parts["stack_intercept"], oof = fit_stack(oof, vectors, y, groups, settings)
    parts["thresholds"] = calibrate_thresholds(oof, y, settings.min_threshold, settings.one_threshold)
    parts["trusted_rules"] = trusted_rules(feats, y, settings.rule_trust, settings.rule_min_count)
    return parts


def fit(
    texts: Sequence[str],
    labels: Sequence[Sequence[int]],
    *,
    ids: Sequence[str] | None = None,
    clusters: Sequence[str | None] | None = None,
    settings: AxesSettings | None = None,
    vectors: np.ndarray | None = None,
    embedder: Any = None,
    source: str = "",
    progress: Callable[[int], Any] | None = None,
) -> AxesModel:
    """Train the classifier and calibrate its per-axis thresholds on out-of-fold scores.
    ``progress(steps)``: a context manager yielding ``advance`` (the CLI's bar with the time left),
    moved after the features, the vectors, each fold and the final fit."""

    settings = settings or AxesSettings()
    y = labels_matrix(labels)
    with progress(settings.folds + 3) if progress else nullcontext(None) as advance:
        step = advance or (lambda n=1: None)
        feats = extract_features(texts, clusters)
        step(1)
        vectors = embed(texts, model=embedder, spec=settings.encoder) if vectors is None else vectors
        step(1)
        parts = fit_parts(feats, vectors, y, clusters, settings, advance=step)
        step(1)
    ids = list(ids) if ids is not None else [f"T{i + 1:04d}" for i in range(len(texts))]
    now = datetime.now(timezone.utc)
    version, recorded = version_name(
        [settings.model_dump(mode="json"), model_id(settings.encoder), FAMILY],
        (f"{t}\t{format_axes(a)}" for t, a in zip(texts, labels)),
        now,
    )
    return AxesModel(
        version=version,
        settings=settings,
        examples=[
            {"id": i, "description": t, "axes": format_axes(a), "cluster": c or ""}
            for i, t, a, c in zip(ids, texts, labels, clusters or [None] * len(texts))
        ],
        example_vectors=vectors,
        meta={
            "created": now.isoformat(timespec="seconds"),
            "embedding_model": model_id(settings.encoder),
            "training_examples": len(texts),
            **recorded,
            "source": source,
        },
        **parts,
    )
