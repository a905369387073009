"""Links between activities and the constats (findings) of evaluations they bear on.

A pair (activity, constat) is scored by a small logistic model over three similarities, each cheap
once the texts are embedded and lemmatised:

- ``cosine``: cosine of the sentence embeddings;
- ``lemmas``: overlap of content-word lemmas (weighted by rarity among the constats);
- ``axes``: agreement of the two texts' decree-axis scores (:mod:`miner.tag.axes`), so a webinar of
  good practice with a French cluster (axis 5) meets the finding on knowledge sharing.

The weights and the link threshold were fitted on ``corpora/activities/constat_links.csv`` (80
labelled pairs written for the project; see ``bench/links_cv.py``) and live in ``LinkSettings``.
Each constat also gets its decree axes and a polarity (positive, negative or mixed) from cue words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from miner.nlp.embeddings import embed
from miner.nlp.french import analyse
from miner.nlp.text import strip_accents
from miner.records import Constat
from miner.tag import axes as ax
from miner.tag.axes import AXES, load_model

__all__ = ["LinkSettings", "ConstatProfile", "Link", "pair_features", "link", "profile_constats", "polarity"]


class LinkSettings(BaseModel):
    """Weights of the link score and its threshold (fitted by bench/links_cv.py)."""

    model_config = ConfigDict(extra="forbid")
    top_k: int = Field(3, description="links kept per activity at most")
    weights: tuple[float, float, float] = Field((3.14, 7.57, 2.76), description="cosine, lemmas, axes")
    bias: float = Field(-2.75, description="intercept of the logistic link score")
    threshold: float = Field(0.53, description="F1-best on leave-one-constat-out scores (F1 0.84)")


GENERIC_LEMMAS = frozenset(
    "cluster membre entreprise activité le la de du organiser organisation faire être avoir un une "
    "estimer majorité part partie".split()
)
"""Lemmas every constat and activity share; they say nothing about which finding is meant."""

NEGATIVE_CUES = (
    "seule",
    "seul",
    "minoritaire",
    "faible",
    "peu ",
    "pas ",
    "aucun",
    "aucune",
    "insuffisant",
    "manque",
    "ne sont pas",
    "n'est pas",
    "n'a pas",
    "incertitude",
    "difficult",
    "limité",
    "absence",
    "non atteint",
    "baisse",
    "diminu",
    "recul",
    "pas du tout",
    "insatisf",
    "modeste",
    "rare",
    "trop ",
    "ponctuel",
    "exclusivement",
    "peu nombreu",
    "mal ",
    "faiblement",
    "reste limit",
    "fragile",
)
POSITIVE_CUES = (
    "majorité",
    "majoritairement",
    "satisfait",
    "positif",
    "positive",
    "amélior",
    "augment",
    "adéquat",
    "adéquation",
    "équilibr",
    "représentati",
    "point fort",
    "clairement",
    "favorise",
    "renforce",
    "progress",
    "développe",
    "maîtrise",
    "solde cumulé positif",
    "meilleur",
    "appréci",
    "réussi",
)
CONTRAST_CUES = ("sauf", "hormis", "néanmoins", "à l'exception", "toutefois", "cependant", "mais ", "pourraient")


def polarity(text: str) -> str:
    """positive, negative or mixed, from cue words; a plain statement of fact counts as positive.

    >>> polarity("Seule une part minoritaire des membres se sent satisfaite des actions.")
    'negative'
    >>> polarity("Les membres sont satisfaits, hormis pour le partage de connaissances.")
    'mixed'
    """
    low = " " + " ".join(text.casefold().split()) + " "
    negative = sum(cue in low for cue in NEGATIVE_CUES)
    positive = sum(cue in low for cue in POSITIVE_CUES)
    contrast = any(cue in low for cue in CONTRAST_CUES)
    if negative and ("seule" in low or "seul " in low or positive == 0):
        return "mixed" if contrast and positive > 1 else "negative"
    if contrast:
        return "mixed"
    return "positive"


@dataclass
class ConstatProfile:
    """A constat with what linking needs: axes, axis scores, polarity, lemmas, embedding."""

    constat: Constat
    axes: list[int]
    scores: list[float]
    polarity: str
    lemmas: set[str] = field(default_factory=set)
    vector: Any = None
    key: str = ""


@dataclass
class Link:
    activity: int
    constat: str
    number: int
    score: float
    cosine: float
    evidence: str


def _content(lemmas: Sequence[str], pos: Sequence[str]) -> set[str]:

    keep = {"NOUN", "VERB", "ADJ", "PROPN"}
    return {strip_accents(l).casefold() for l, p in zip(lemmas, pos) if p in keep and len(l) > 2} - GENERIC_LEMMAS


def _texts_profile(texts: Sequence[str], model: Any, embedder: Any) -> tuple[list[set[str]], np.ndarray, np.ndarray]:
    """Content lemmas, embeddings and raw-decided axis scores for texts."""

    analyses = analyse(texts, full=False)
    # the axis model's own encoder: its heads read vectors of that encoder only
    vectors = embed(texts, model=embedder, spec=model.settings.encoder)
    feats = ax.extract_features(texts)
    scaled, _ = ax.decide(model.raw_scores(model.matrix(feats, vectors), vectors), model.thresholds)
    return [_content(a.lemmas, a.pos) for a in analyses], vectors, scaled


def profile_constats(constats: Sequence[Constat], *, model: Any = None, embedder: Any = None) -> list[ConstatProfile]:
    """Axes (score ≥ 0.5, possibly none), polarity, lemmas and embedding of each constat."""

    model = model or load_model()
    lemmas, vectors, scaled = _texts_profile([c.text for c in constats], model, embedder)
    out = []
    for i, constat in enumerate(constats):
        axes = [AXES[k] for k in np.flatnonzero(scaled[i] >= 0.5)]
        key = f"{constat.provenance.document[:12]}#{constat.number}" if constat.provenance else str(constat.number)
        out.append(
            ConstatProfile(
                constat,
                axes,
                [round(float(s), 4) for s in scaled[i]],
                polarity(constat.text),
                lemmas[i],
                vectors[i],
                key,
            )
        )
    return out


def _idf(profiles: Sequence[set[str]]) -> dict[str, float]:
    df = Counter(l for p in profiles for l in p)
    n = len(profiles)
    return {l: math.log((1 + n) / (1 + d)) + 1 for l, d in df.items()}


def pair_features(
    act_lemmas: set[str],
    act_vector: np.ndarray,
    act_scores: Sequence[float],
    profile: ConstatProfile,
    idf: dict[str, float],
) -> tuple[float, float, float]:
    """(cosine, lemma overlap, axis agreement) of one activity and one constat, each in [0, 1]."""
    cosine = float(np.dot(act_vector, profile.vector))
    shared = act_lemmas & profile.lemmas
    total = sum(idf.get(l, 1.0) for l in profile.lemmas) or 1.0
    overlap = sum(idf.get(l, 1.0) for l in shared) / total
    a = np.asarray(act_scores, dtype=np.float32)
    c = np.asarray(profile.scores, dtype=np.float32)
    agreement = float(np.max(np.minimum(a, c)))
    return cosine, overlap, agreement


def score_pair(features: tuple[float, float, float], settings: LinkSettings) -> float:
    z = settings.bias + sum(w * f for w, f in zip(settings.weights, features))
    return 1 / (1 + math.exp(-z))


def link(
    activities: Sequence[str],
    constats: Sequence[Constat] | Sequence[ConstatProfile],
    *,
    settings: LinkSettings | None = None,
    model: Any = None,
    embedder: Any = None,
) -> list[list[Link]]:
    """For each activity text, its top-k constats whose link score reaches the threshold."""

    settings = settings or LinkSettings()
    model = model or load_model()
    if not constats or not activities:
        return [[] for _ in activities]
    profiles = (
        list(constats)
        if isinstance(constats[0], ConstatProfile)
        else profile_constats(constats, model=model, embedder=embedder)
    )
    idf = _idf([p.lemmas for p in profiles])
    lemmas, vectors, scaled = _texts_profile(activities, model, embedder)
    out = []
    for i in range(len(activities)):
        scored = []
        for p in profiles:
            feats = pair_features(lemmas[i], vectors[i], scaled[i], p, idf)
            score = score_pair(feats, settings)
            if score >= settings.threshold:
                shared = ", ".join(sorted(lemmas[i] & p.lemmas)[:5])
                evidence = f"cos={feats[0]:.2f} lemmes={feats[1]:.2f} ({shared}) axes={feats[2]:.2f}"
                scored.append(Link(i, p.key, p.constat.number, round(score, 4), round(feats[0], 4), evidence))
        scored.sort(key=lambda l: -l.score)
        out.append(scored[: settings.top_k])
    return out


_WORD = re.compile(r"\w+")
