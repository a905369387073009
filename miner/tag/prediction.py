"""Tagging activities with a trained axis model: scores rescaled so 0.5 is each axis's threshold,
the axes chosen, and one line of evidence per activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from miner.nlp.embeddings import embed
from miner.nlp.french import get_nlp, load_gazetteer
from miner.tag.base import AXES
from miner.tag.features import TextFeatures, extract_features
from miner.tag.modelfile import AxesModel
from miner.tag.rules import SETTLES, Verdict, settle, verdict_key

__all__ = [
    "Uncertainty",
    "UNCERTAINTY",
    "AxisPrediction",
    "apply_conventions",
    "decide",
    "explain",
    "predict",
    "warm_up",
]


def decide(scores: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale raw scores so each axis's threshold maps to 0.5, then assign the axes at or above
    0.5; an activity with none gets its best axis (every activity serves at least one axis)."""
    t = thresholds[None, :]
    scaled = np.where(
        scores >= t, 0.5 + 0.5 * (scores - t) / np.maximum(1 - t, 1e-6), 0.5 * scores / np.maximum(t, 1e-6)
    )
    chosen = scaled >= 0.5
    empty = ~chosen.any(axis=1)
    if empty.any():
        chosen[np.flatnonzero(empty), scaled[empty].argmax(axis=1)] = True
    return scaled, chosen


@dataclass(frozen=True)
class Uncertainty:
    """When a row is flagged for a human look."""

    margin: float = field(
        default=0.1,
        metadata={
            "why": "a rescaled score this close to 0.5 (its threshold) flips with one word; the review page lists such rows first"
        },
    )


UNCERTAINTY = Uncertainty()


@dataclass
class AxisPrediction:
    axes: list[int]
    scores: list[float]
    evidence: str
    neighbours: list[str] = field(default_factory=list)
    uncertain: bool = False
    """A score sits near its threshold on an axis no rule settles."""
    head_axes: list[int] = field(default_factory=list)
    """The learned head's axes before the rules settled theirs."""


def apply_conventions(
    feats: Sequence[TextFeatures],
    scaled: np.ndarray,
    chosen: np.ndarray,
    use_rules: bool = True,
    margin: float = UNCERTAINTY.margin,
    trusted: Sequence[str] | None = None,
) -> list[tuple[list[int], dict[int, list[Verdict]], bool]]:
    """Per row: the axes once the rules' settling verdicts are applied to the head's, the verdicts
    per axis, and whether the row is uncertain (a score near 0.5 on an axis no rule settles)."""
    out = []
    for row, f in enumerate(feats):
        head = [AXES[k] for k in np.argsort(-scaled[row]) if chosen[row, k]]
        if use_rules:
            axes, by_axis = settle(head, f.verdicts, trusted)
        else:
            axes, by_axis = sorted(head), {}
        settled = (
            {v.axis for v in f.verdicts if v.strength >= SETTLES and (trusted is None or verdict_key(v) in trusted)}
            if use_rules
            else set()
        )
        uncertain = any(abs(float(scaled[row, k]) - 0.5) < margin for k, axis in enumerate(AXES) if axis not in settled)
        out.append((axes, by_axis, uncertain))
    return out


def explain(
    feats: TextFeatures,
    axes: Sequence[int],
    neighbours: Sequence[dict[str, str]],
    types: dict[str, str],
    by_axis: dict[int, list[Verdict]] | None = None,
) -> str:
    """Evidence in one line: per assigned axis the rules that settled it and their words ("axe 6 :
    R2/R7, co-organisé avec la Chambre de commerce (chambre de commerce)"), else its cue terms and
    actors; the axes a rule removed; the nearest examples."""
    parts = []
    by_axis = by_axis or {}
    for axis in axes:
        ruled = [v for v in by_axis.get(axis, []) if v.add]
        if ruled:
            rules = "/".join(dict.fromkeys(v.rule for v in ruled))
            parts.append(f"axe {axis} : {rules}, {'; '.join(dict.fromkeys(v.words for v in ruled))}")
            continue
        cues = list(feats.hits[axis])
        if axis == 5:
            cues += [f"autre cluster: {m}" for m in feats.other_clusters]
        if axis == 6:
            by_name = {a.name or a.text: a for a in feats.actors}
            cues += [
                f"{name} ({types.get(by_name[name].type, by_name[name].type)})" if name in by_name else name
                for name in feats.synergy
            ]
        parts.append(f"axe {axis}: {', '.join(dict.fromkeys(cues)) or 'pas de terme, score du modèle'}")
    for axis, verdicts in sorted(by_axis.items()):
        removed = [v for v in verdicts if not v.add and v.strength >= SETTLES]
        if axis not in axes and removed:
            parts.append(f"pas d'axe {axis} : {'/'.join(dict.fromkeys(v.rule for v in removed))}, {removed[0].words}")
    near = "; ".join(f"{n['id']} [{n['axes']}]" for n in neighbours)
    parts.append(f"exemples proches: {near}")
    return " | ".join(parts)


def predict(
    model: AxesModel,
    texts: Sequence[str],
    *,
    clusters: Sequence[str | None] | None = None,
    vectors: np.ndarray | None = None,
    embedder: Any = None,
    feats: Sequence[TextFeatures] | None = None,
) -> list[AxisPrediction]:
    """Tag texts with axes, per-axis scores (0.5 = the axis's calibrated threshold) and evidence;
    ``vectors`` and ``feats`` when already read (``classify --scheme both`` reads a text once)."""

    if not texts:
        return []
    if vectors is None:
        # spaCy in a thread while the encoder runs: torch leaves gaps on the cores (and releases the
        # GIL), which the French pipeline fills: ~9 % less wall time than one after the other.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="miner-spacy") as pool:
            pending = pool.submit(extract_features, texts, clusters)
            vectors = embed(texts, model=embedder, spec=model.settings.encoder)
            feats = pending.result()
    elif feats is None:
        feats = extract_features(texts, clusters)
    scaled, chosen = decide(model.raw_scores(model.matrix(feats, vectors), vectors), model.thresholds)
    similarity = vectors @ model.example_vectors.T
    nearest = np.argsort(-similarity, axis=1)[:, : model.settings.neighbours]
    types = load_gazetteer()[0]
    out = []
    settled = apply_conventions(feats, scaled, chosen, model.settings.rules_decide, trusted=model.trusted_rules)
    for row, (f, (axes, by_axis, uncertain)) in enumerate(zip(feats, settled)):
        near = [model.examples[j] for j in nearest[row]]
        head = [AXES[k] for k in np.flatnonzero(chosen[row])]
        out.append(
            AxisPrediction(
                axes,
                [round(float(s), 4) for s in scaled[row]],
                explain(f, axes, near, types, by_axis),
                [n["id"] for n in near],
                uncertain,
                head,
            )
        )
    return out


def warm_up() -> None:
    """Load spaCy once (tests and benchmarks time the work, not the loading)."""
    get_nlp()
