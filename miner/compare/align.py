"""Align two evaluations: questions, criteria and constats matched across cycles or clusters.

Criteria are matched first on their theme (same words once accents, case and punctuation are
folded: method ``theme``, score 1), then the ones left by the cosine similarity of their sentence
embeddings ("theme. criterion") above :attr:`AlignSettings.criterion_threshold` (method
``semantic``), one to one (Hungarian assignment). The threshold is calibrated on the labelled
pairs of ``miner/data/alignment/criterion-pairs.csv`` (:func:`calibrate_threshold`). Judgements of a
matched pair compare on the ordered scale: improved, same or declined, with the number of steps.

Constats are matched one to one on a blend of embedding and character n-gram similarity (the
multilingual wording of reports defeats either alone), with a bonus when both justify criteria
that were matched. A matched pair is *recurring*, or *resolved* when the earlier constat states a
weakness and the later one no longer does; the earlier ones left are *dropped* (no counterpart),
the later ones left are *new*.

torch and sentence-transformers load inside :func:`miner.nlp.embeddings.load_model`, on first use.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Sequence

import numpy as np

from miner import data
from miner.errors import UsageError
from miner.nlp.embeddings import embed
from miner.nlp.text import fold_words
from miner.settings import resolve_settings

__all__ = [
    "AlignSettings",
    "CriterionItem",
    "ConstatItem",
    "QuestionItem",
    "Match",
    "Delta",
    "Alignment",
    "align",
    "has_weakness",
    "calibrate_threshold",
    "read_pairs",
    "CALIBRATION_PAIRS",
]

CALIBRATION_PAIRS = data.path("alignment", "criterion-pairs.csv")


@dataclass(frozen=True)
class AlignSettings:
    """Thresholds of the alignment, each with the reason for its default."""

    criterion_threshold: float = 0.47
    """Cosine of all-MiniLM-L6-v2 embeddings from which two criteria left over by the theme match
    mean the same: the best F1 (0.69; precision 0.55, recall 0.94) on the 40 labelled pairs of
    miner/data/alignment/criterion-pairs.csv. Recall is favoured: pairs are then taken one to one."""
    criterion_question_bonus: float = 0.15
    """Added to the cosine, for the one-to-one choice only, when both criteria sit under questions
    that were matched: a criterion rarely moves to another question between cycles."""
    question_threshold: float = 0.75
    """Questions are long and share their opening ("Dans quelle mesure ..."), so only a high
    cosine says two questions ask the same."""
    constat_threshold: float = 0.45
    """Blended score above which two constats report the same finding; below it, a pair is more
    often two findings on the same theme than one finding reworded."""
    constat_embedding_weight: float = 0.3
    """Share of the embedding cosine in the constat score, the rest is character 3–5-gram TF-IDF
    cosine: the English-trained model reads French reworded findings poorly, shared words do not lie."""
    constat_criterion_bonus: float = 0.15
    """Added when the two constats justify criteria that were matched: a finding rarely changes
    criterion from one cycle to the next."""

    def __post_init__(self) -> None:
        for name in ("criterion_threshold", "question_threshold", "constat_threshold", "constat_embedding_weight"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"{name} must be between 0 and 1, not {value}")

    @classmethod
    def resolve(cls, value: "AlignSettings | dict[str, Any] | None") -> "AlignSettings":
        return resolve_settings(cls, value)


@dataclass(frozen=True)
class QuestionItem:
    number: int
    text: str


@dataclass(frozen=True)
class CriterionItem:
    """One judged criterion of an evaluation: local id, question, theme, text, judgement, page."""

    id: str
    question: int
    theme: str
    text: str
    judgement: str | None
    rank: int | None
    page: int | None = None
    constats: tuple[int, ...] = ()
    iri: str | None = None
    """The judgement observation in the graph (its evidence page is ``/evidence?fact=IRI``)."""


@dataclass(frozen=True)
class ConstatItem:
    number: int
    text: str
    page: int | None = None
    criteria: tuple[str, ...] = ()
    iri: str | None = None
    """The constat in the graph."""


@dataclass(frozen=True)
class Match:
    """``a`` and ``b`` are keys (question number, criterion id, constat number) of each side;
    ``score`` is the pair's similarity in [0, 1] (bonuses steer the one-to-one choice, never the score)."""

    a: Any
    b: Any
    score: float
    method: str


@dataclass(frozen=True)
class Delta:
    """The judgement change of a matched criterion pair: ``steps`` = rank(b) − rank(a)."""

    a: str
    b: str
    judgement_a: str | None
    judgement_b: str | None
    steps: int | None

    @property
    def direction(self) -> Literal["improved", "same", "declined", "unknown"]:
        if self.steps is None:
            return "unknown"
        return "improved" if self.steps > 0 else "declined" if self.steps < 0 else "same"


@dataclass
class Alignment:
    questions: list[Match] = field(default_factory=list)
    criteria: list[Match] = field(default_factory=list)
    unmatched_a: list[str] = field(default_factory=list)
    unmatched_b: list[str] = field(default_factory=list)
    deltas: list[Delta] = field(default_factory=list)
    recurring: list[Match] = field(default_factory=list)
    resolved: list[Match] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)

    @property
    def nothing_alignable(self) -> bool:
        return not self.criteria

    def counts(self) -> dict[str, int]:
        directions = [d.direction for d in self.deltas]
        return {
            "matched": len(self.criteria),
            "by_theme": sum(m.method == "theme" for m in self.criteria),
            "by_similarity": sum(m.method == "semantic" for m in self.criteria),
            "improved": directions.count("improved"),
            "same": directions.count("same"),
            "declined": directions.count("declined"),
            "only_a": len(self.unmatched_a),
            "only_b": len(self.unmatched_b),
            "recurring": len(self.recurring),
            "resolved": len(self.resolved),
            "dropped": len(self.dropped),
            "new": len(self.new),
        }


_WEAKNESS = re.compile(
    r"\bne\b[^.;]{0,40}?\b(?:pas|aucun|aucune|plus|jamais)\b|\bn['’]\w+\s+(?:pas|aucun|jamais)\b|\baucune?\b|"
    r"\bpeu\b|\bfaibles?\b|\bmoins\s+(?:de\s+la\s+moitié|bien)\b|\bse\s+limitent\b|\bsous[- ]représenté|"
    r"\bmanque\b|\binsuffisan|\babsence\b|\bpas\s+encore\b|\bminoritaire|\bincertitude",
    re.IGNORECASE,
)
"""Words by which evaluators state a weakness ("ne compte aucun membre", "peu représentées")."""


def has_weakness(text: str) -> bool:
    """Whether a constat states a weakness.

    >>> has_weakness("La province du Brabant wallon ne compte aucun membre du cluster.")
    True
    >>> has_weakness("Les cinq provinces wallonnes sont désormais représentées.")
    False
    """
    return bool(_WEAKNESS.search(text))


Embed = Callable[[Sequence[str]], Any]


def _default_embed(texts: Sequence[str]) -> Any:

    return embed(texts)


def _unit(value: float) -> float:
    """A similarity shown to users: cosines can fall a hair outside [0, 1] by rounding, or below 0."""
    return round(min(1.0, max(0.0, float(value))), 3)


def _assign(scores: Any, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs maximising the total score, keeping those at or above ``threshold``."""
    from scipy.optimize import linear_sum_assignment

    if scores.size == 0:
        return []
    rows, cols = linear_sum_assignment(-np.asarray(scores))
    return [(int(r), int(c), float(scores[r, c])) for r, c in zip(rows, cols) if scores[r, c] >= threshold]


def _criterion_text(c: CriterionItem) -> str:
    return f"{c.theme}. {c.text}"


def align(
    questions: tuple[Sequence[QuestionItem], Sequence[QuestionItem]],
    criteria: tuple[Sequence[CriterionItem], Sequence[CriterionItem]],
    constats: tuple[Sequence[ConstatItem], Sequence[ConstatItem]],
    settings: AlignSettings | dict | None = None,
    *,
    embed: Embed | None = None,
) -> Alignment:
    """Match questions, criteria and constats of evaluation A (earlier) with evaluation B."""

    settings = AlignSettings.resolve(settings)
    embed = embed or _default_embed
    out = Alignment()
    qa, qb = questions
    ca, cb = criteria
    ka, kb = constats

    # questions: same text, then similar text
    left_q = list(qa)
    used_b: set[int] = set()
    for q in qa:
        twin = next((p for p in qb if p.number not in used_b and fold_words(p.text) == fold_words(q.text)), None)
        if twin is not None:
            out.questions.append(Match(q.number, twin.number, 1.0, "text"))
            used_b.add(twin.number)
            left_q.remove(q)
    right_q = [p for p in qb if p.number not in used_b]
    if left_q and right_q:
        scores = embed([q.text for q in left_q]) @ embed([p.text for p in right_q]).T
        for i, j, s in _assign(scores, settings.question_threshold):
            out.questions.append(Match(left_q[i].number, right_q[j].number, _unit(s), "semantic"))
    out.questions.sort(key=lambda m: m.a)

    # criteria: theme first, then semantic similarity
    by_theme_b: dict[str, list[CriterionItem]] = {}
    for c in cb:
        by_theme_b.setdefault(fold_words(c.theme), []).append(c)
    matched_b: set[str] = set()
    left_c: list[CriterionItem] = []
    for c in ca:
        twins = [t for t in by_theme_b.get(fold_words(c.theme), []) if t.id not in matched_b]
        if twins:
            twin = next((t for t in twins if t.question == c.question), twins[0])
            out.criteria.append(Match(c.id, twin.id, 1.0, "theme"))
            matched_b.add(twin.id)
        else:
            left_c.append(c)
    right_c = [c for c in cb if c.id not in matched_b]
    if left_c and right_c:
        cosine = np.asarray(
            embed([_criterion_text(c) for c in left_c]) @ embed([_criterion_text(c) for c in right_c]).T
        )
        same_question = {(m.a, m.b) for m in out.questions}
        boosted = cosine.copy()
        for i, c in enumerate(left_c):
            for j, d in enumerate(right_c):
                if (c.question, d.question) in same_question:
                    boosted[i, j] += settings.criterion_question_bonus
        for i, j, _ in _assign(boosted, 0.0):
            if cosine[i, j] >= settings.criterion_threshold:
                out.criteria.append(Match(left_c[i].id, right_c[j].id, _unit(cosine[i, j]), "semantic"))
                matched_b.add(right_c[j].id)
    matched_a = {m.a for m in out.criteria}
    out.unmatched_a = [c.id for c in ca if c.id not in matched_a]
    out.unmatched_b = [c.id for c in cb if c.id not in matched_b]
    order = {c.id: i for i, c in enumerate(cb)}
    out.criteria.sort(key=lambda m: order[m.b])
    index_a = {c.id: c for c in ca}
    index_b = {c.id: c for c in cb}
    for m in out.criteria:
        a, b = index_a[m.a], index_b[m.b]
        steps = b.rank - a.rank if a.rank is not None and b.rank is not None else None
        out.deltas.append(Delta(a.id, b.id, a.judgement, b.judgement, steps))

    # constats: blended similarity, bonus for matched criteria, one to one
    if ka and kb:
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts_a, texts_b = [k.text for k in ka], [k.text for k in kb]
        semantic = embed(texts_a) @ embed(texts_b).T
        vectors = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode", lowercase=True
        ).fit(texts_a + texts_b)
        lexical = (vectors.transform(texts_a) @ vectors.transform(texts_b).T).toarray()
        w = settings.constat_embedding_weight
        similarity = w * np.asarray(semantic) + (1 - w) * lexical
        scores = similarity.copy()
        pairs = {(m.a, m.b) for m in out.criteria}
        for i, k in enumerate(ka):
            for j, l in enumerate(kb):
                if any((x, y) in pairs for x in k.criteria for y in l.criteria):
                    scores[i, j] += settings.constat_criterion_bonus
        taken_a: set[int] = set()
        taken_b: set[int] = set()
        for i, j, _ in _assign(scores, settings.constat_threshold):
            a, b = ka[i], kb[j]
            method = "resolved" if has_weakness(a.text) and not has_weakness(b.text) else "recurring"
            match = Match(a.number, b.number, _unit(similarity[i, j]), method)
            (out.resolved if method == "resolved" else out.recurring).append(match)
            taken_a.add(a.number)
            taken_b.add(b.number)
        out.recurring.sort(key=lambda m: m.a)
        out.resolved.sort(key=lambda m: m.a)
        out.dropped = [k.number for k in ka if k.number not in taken_a]
        out.new = [k.number for k in kb if k.number not in taken_b]
    else:
        out.dropped = [k.number for k in ka]
        out.new = [k.number for k in kb]
    return out


# ---------------------------------------------------------------- calibration


def read_pairs(path: Path = CALIBRATION_PAIRS) -> list[tuple[str, str, bool]]:
    """Labelled criterion pairs: columns ``a``, ``b`` (theme. criterion) and ``same`` (1 or 0)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return [(row["a"], row["b"], row["same"].strip() == "1") for row in csv.DictReader(handle)]
    except (OSError, KeyError) as exc:
        raise UsageError(f"{path}: cannot read calibration pairs ({exc})") from None


@dataclass(frozen=True)
class Calibration:
    """The best threshold on labelled pairs and how it does there."""

    threshold: float
    low: float
    high: float
    precision: float
    recall: float
    f1: float
    pairs: int
    positives: int


def calibrate_threshold(pairs: Sequence[tuple[str, str, bool]], *, embed: Embed | None = None) -> Calibration:
    """The cosine threshold that best separates same-meaning from different criteria (best F1; the
    midpoint of the interval of thresholds that reach it)."""

    embed = embed or _default_embed
    va, vb = embed([a for a, _, _ in pairs]), embed([b for _, b, _ in pairs])
    scores = np.sum(np.asarray(va) * np.asarray(vb), axis=1)
    labels = np.array([same for _, _, same in pairs])
    best: tuple[float, float, float, list[float]] = (-1.0, 0.0, 0.0, [])
    candidates = np.round(np.arange(0.20, 0.95, 0.01), 2)
    for t in candidates:
        predicted = scores >= t
        tp = int(np.sum(predicted & labels))
        precision = tp / max(int(np.sum(predicted)), 1)
        recall = tp / max(int(np.sum(labels)), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0] + 1e-9:
            best = (f1, precision, recall, [float(t)])
        elif abs(f1 - best[0]) <= 1e-9:
            best[3].append(float(t))
    f1, precision, recall, ts = best
    low, high = min(ts), max(ts)
    return Calibration(
        round((low + high) / 2, 2),
        low,
        high,
        round(precision, 3),
        round(recall, 3),
        round(f1, 3),
        len(pairs),
        int(labels.sum()),
    )
