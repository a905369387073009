"""One tagger per concept scheme (issue 26): a generic multi-label head keyed by a scheme's concepts.

The 2007 axes keep their own tagger (:mod:`miner.tag.axes`: the conventions' rules settle what they
cover). Any other scheme with labelled rows, the 2024 missions first, gets this one: the same
feature pipeline as the axes (encoder embedding, mean word vectors, lexicon and actor counts, the
rules' verdicts as features, tf-idf lemmas; :func:`miner.tag.features.design_matrix`), one
logistic regression per concept, and per-concept thresholds calibrated on out-of-fold scores of
whole networks. The model file names its scheme and concepts, so a model cannot tag under another
scheme; the shipped ones are named by ``assets/models/DEFAULT-<scheme>``.

``classify --scheme both`` tags under the axes and the missions from one read of each text
(:func:`read_texts`) and flags rows whose two tags disagree with the crosswalk
(:func:`miner.data.schemes.disagreements`).

A user's scheme (a SKOS Turtle file, ``--scheme FILE``) is tagged the same way once a model for it
is trained from the user's labelled rows (:func:`retrain_scheme`, ``miner retrain``); its model goes
to the user's model folder under a ``DEFAULT-<scheme>`` pointer, where classify finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from miner.data.schemes import BUILTIN_SCHEMES, DEFAULT_SCHEME, Scheme, builtin_scheme, disagreements, load_scheme
from miner.errors import InputError, UsageError
from miner.nlp.embeddings import embed, model_id
from miner.tag.base import AxesSettings
from miner.tag.features import (
    TextFeatures,
    design_blocks,
    design_from_spec,
    design_matrix,
    design_spec,
    extract_features,
)
from miner.tag.modelfile import MODEL_DIR, head_scores, read_artefact, version_name, write_artefact
from miner.tag.prediction import UNCERTAINTY, decide
from miner.tag.training import calibrate_thresholds, fold_indices
from miner.userdata import user_model_dir

__all__ = [
    "BOTH",
    "CROSSWALK_COLUMN",
    "SCHEME_FAMILY",
    "ConceptPrediction",
    "SchemeModel",
    "SchemeTagging",
    "column_stem",
    "crosswalk_flags",
    "default_scheme_model_path",
    "fill_row",
    "fit_heads",
    "fit_scheme",
    "load_scheme_model",
    "parse_concepts",
    "predict_scheme",
    "read_texts",
    "scheme_columns",
    "scheme_names",
    "scheme_of",
    "schemes_for",
]

SCHEME_FAMILY = "miner.scheme.v1"
BOTH = "both"
"""``--scheme both``: the 2007 axes and the 2024 missions side by side."""
CROSSWALK_COLUMN = "crosswalk_disagreement"
BOTH_SCHEMES = (DEFAULT_SCHEME, "missions-2024")


@dataclass(frozen=True)
class SchemeTagging:
    """Hyper-parameters of a scheme's head (features are the axes model's blocks, :class:`AxesSettings`)."""

    C: float = field(
        default=1.0,
        metadata={
            "why": "inverse L2 strength per concept; 0.3, 1 and 3 within 0.01 micro-F1 on the missions' network folds, 1 the best micro (bench/missions_loco.py)"
        },
    )
    folds: int = field(
        default=5,
        metadata={"why": "folds of whole networks for the out-of-fold scores the thresholds are calibrated on"},
    )
    seed: int = field(default=13, metadata={"why": "fold shuffling seed, for reproducible thresholds"})
    min_threshold: float = field(
        default=0.15, metadata={"why": "floor of a calibrated threshold: below it one noisy fold decides"}
    )
    neighbours: int = field(default=2, metadata={"why": "nearest training examples quoted as evidence"})
    cue_words: int = field(
        default=3, metadata={"why": "lemmas quoted per concept as evidence: the ones adding most to its score"}
    )


TAGGING = SchemeTagging()


def scheme_of(ref: str | Path | Scheme) -> Scheme:
    """A shipped scheme by name, a user's scheme file (checked, cached while the file is unchanged),
    or the scheme given; an unknown name is a one-line UsageError listing the known ones.

    >>> scheme_of("missions-2024").name
    'missions-2024'
    """
    if isinstance(ref, Scheme):
        return ref
    if str(ref) in BUILTIN_SCHEMES:
        return builtin_scheme(str(ref))
    path = Path(ref)
    if path.suffix.lower() not in (".ttl", ".turtle") and not path.exists():
        raise UsageError(
            f"unknown scheme {str(ref)!r}; known schemes: {', '.join([*BUILTIN_SCHEMES, BOTH])}, or a SKOS Turtle file"
        )
    if not path.is_file():
        raise InputError(path, "no such scheme file")
    found = _user_scheme(str(path.resolve()), path.stat().st_mtime_ns)
    if found.name in (*BUILTIN_SCHEMES, BOTH):
        raise InputError(path, f"scheme name {found.name!r} is taken by a scheme miner ships; give it another")
    return found


@lru_cache(maxsize=8)
def _user_scheme(path: str, mtime: int) -> Scheme:
    return load_scheme(path)


def schemes_for(option: str | Path | None) -> list[Scheme]:
    """The schemes a ``--scheme`` value asks for: a shipped name, ``both`` or a user's file."""
    if option is None or str(option) == BOTH:
        return [builtin_scheme(n) for n in (BOTH_SCHEMES if option is not None else (DEFAULT_SCHEME,))]
    return [scheme_of(option)]


def scheme_names(option: str | Path | None) -> list[str]:
    """The names of :func:`schemes_for`.

    >>> scheme_names(None), scheme_names("both")
    (['axes-2007'], ['axes-2007', 'missions-2024'])
    """
    return [s.name for s in schemes_for(option)]


def _stem(name: str) -> str:
    return name.split("-")[0]


def column_stem(ref: str | Scheme) -> str:
    """The word a scheme's columns are named with: ``missions`` for a shipped scheme, the whole
    short name for a user's (``strategie_2025``), never ``axes`` or ``missions`` (taken).

    >>> column_stem("missions-2024")
    'missions'
    """
    name = ref.name if isinstance(ref, Scheme) else str(ref)
    if name in BUILTIN_SCHEMES:
        return _stem(name)
    stem = "".join(c if c.isalnum() else "_" for c in name).strip("_") or "scheme"
    return f"{stem}_user" if stem in ("axes", "missions") else stem


def scheme_columns(ref: str | Scheme) -> list[str]:
    """The output columns of a non-axes scheme, named after it so they never meet an input column's name.

    >>> scheme_columns("missions-2024")
    ['predicted_missions', 'missions_score_1', 'missions_score_2', 'missions_score_3', 'missions_score_4', 'missions_evidence', 'missions_uncertain']
    """
    stem = column_stem(scheme_of(ref))
    notations = [c.notation for c in scheme_of(ref).concepts]
    return [f"predicted_{stem}", *(f"{stem}_score_{n}" for n in notations), f"{stem}_evidence", f"{stem}_uncertain"]


def parse_concepts(value: Any, scheme: Scheme) -> list[int]:
    """A cell such as "1;3" as 1-based concept positions of ``scheme`` (UsageError on a stranger).

    >>> parse_concepts("3;1", builtin_scheme("missions-2024"))
    [1, 3]
    """
    out = []
    for part in str(value or "").replace(",", ";").split(";"):
        if part.strip():
            out.append(scheme.concepts.index(scheme.concept(part.strip())) + 1)
    return sorted(set(out))


@dataclass
class ConceptPrediction:
    """Tags of one activity under one scheme; ``axes`` holds the 1-based positions of the concepts
    chosen (the name :func:`miner.rdf.activities.activities_graph` reads for every scheme)."""

    axes: list[int]
    scores: list[float]
    evidence: str
    neighbours: list[str] = field(default_factory=list)
    uncertain: bool = False


@dataclass
class SchemeModel:
    """A trained head for one scheme: weights per concept, thresholds, feature definitions, examples."""

    scheme: str
    concepts: list[str]
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
        return design_matrix(feats, vectors, self.settings, self.hand_mean, self.hand_scale, self.vocab, self.idf)

    def save(self, path: str | Path) -> Path:
        """Write ``<dir>/<scheme>-<version>.npz`` (or the given .npz path), whole then renamed."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path / f"{self.scheme}-{self.version}.npz"
        header = {
            "family": SCHEME_FAMILY,
            "scheme": self.scheme,
            "concepts": self.concepts,
            "version": self.version,
            "settings": self.settings.model_dump(mode="json"),
            "vocab": self.vocab,
            "examples": self.examples,
            "meta": self.meta,
        }
        write_artefact(path, header, self)
        return path

    @classmethod
    def load(cls, path: str | Path, scheme: str | None = None) -> SchemeModel:
        """Read a model file; with ``scheme``, refuse one trained for another scheme."""
        path = Path(path)
        header, data = read_artefact(path, SCHEME_FAMILY, "a scheme model")
        if scheme is not None and header["scheme"] != scheme:
            raise InputError(path, f"a model of scheme {header['scheme']}, not {scheme}")
        return cls(
            header["scheme"],
            header["concepts"],
            header["version"],
            AxesSettings.model_validate(header["settings"]),
            data["coef"],
            data["intercept"],
            data["thresholds"],
            data["hand_mean"],
            data["hand_scale"],
            header["vocab"],
            data["idf"],
            header["examples"],
            data["example_vectors"].astype(np.float32),
            header["meta"],
        )


def default_scheme_model_path(ref: str | Scheme, model_dir: Path | None = None) -> Path:
    """A scheme's default model: the shipped one (``assets/models/DEFAULT-<scheme>``), or for a
    user's scheme the one ``miner retrain`` last wrote (``DEFAULT-<scheme>`` in the user model folder)."""
    s = scheme_of(ref)
    folder = MODEL_DIR if s.name in BUILTIN_SCHEMES else (model_dir or user_model_dir())
    pointer = folder / f"DEFAULT-{s.name}"
    if not pointer.is_file():
        where = "" if s.name in BUILTIN_SCHEMES else f"{s.path} "
        raise UsageError(
            f"no model for scheme {s.name} in {folder}; train one with "
            f"`miner retrain --scheme {where or s.name + ' '}--labels LABELLED.csv` "
            f'(a description column and a {column_stem(s)} column of notations such as "{s.concepts[0].notation}")'
        )
    return folder / pointer.read_text(encoding="utf-8").strip()


def load_scheme_model(ref: str | Scheme, path: str | Path | None = None) -> SchemeModel:
    """A scheme's model (default: :func:`default_scheme_model_path`), checked against the scheme's
    concepts; cached per process while the file is unchanged."""
    s = scheme_of(ref)
    path = Path(path) if path else default_scheme_model_path(s)
    if not path.is_file():
        raise InputError(path, "no such model file")
    model = _load_model(str(path), path.stat().st_mtime_ns, s.name)
    notations = [c.notation for c in s.concepts]
    if model.concepts != notations:
        raise InputError(path, f"a model of concepts {model.concepts}, the scheme {s.name} has {notations}; retrain it")
    return model


@lru_cache(maxsize=8)
def _load_model(path: str, mtime: int, name: str) -> SchemeModel:
    return SchemeModel.load(path, scheme=name)


def read_texts(
    texts: Sequence[str], clusters: Sequence[str | None] | None, encoder: str
) -> tuple[list[TextFeatures], np.ndarray]:
    """Features and embeddings of ``texts``, once for every scheme tagging them; spaCy runs in a
    thread while the encoder holds the cores (as :func:`miner.tag.prediction.predict` does)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="miner-spacy") as pool:
        pending = pool.submit(extract_features, list(texts), clusters)
        vectors = embed(list(texts), spec=encoder)
        return pending.result(), vectors


def fit_heads(design: np.ndarray, y: np.ndarray, tagging: SchemeTagging, solver: str) -> tuple[np.ndarray, np.ndarray]:
    """One balanced logistic regression per concept column of ``y``: coef (1, k, d), intercept (1, k)."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((1, y.shape[1], design.shape[1]), dtype=np.float32)
    intercept = np.zeros((1, y.shape[1]), dtype=np.float32)
    for k in range(y.shape[1]):
        if y[:, k].min() == y[:, k].max():  # a concept always or never present: a constant head
            intercept[0, k] = 10.0 if y[0, k] else -10.0
            continue
        clf = LogisticRegression(C=tagging.C, class_weight="balanced", max_iter=2000, solver=solver)
        clf.fit(design, y[:, k])
        coef[0, k] = clf.coef_[0]
        intercept[0, k] = clf.intercept_[0]
    return coef, intercept


def _fit_arrays(feats, vectors, y, settings, tagging):
    spec = design_spec(feats, settings)
    design = design_from_spec(feats, vectors, settings, spec)
    coef, intercept = fit_heads(design, y, tagging, settings.solver)
    return coef, intercept, spec


def _oof(feats, vectors, y, groups, settings, tagging) -> np.ndarray:
    scores = np.zeros(y.shape, dtype=np.float32)
    for test in fold_indices(len(feats), tagging.folds, tagging.seed, groups):
        if not len(test):
            continue
        train = np.setdiff1d(np.arange(len(feats)), test)
        coef, intercept, spec = _fit_arrays([feats[i] for i in train], vectors[train], y[train], settings, tagging)
        design = design_from_spec([feats[i] for i in test], vectors[test], settings, spec)
        scores[test] = head_scores(design, coef, intercept)
    return scores


def fit_scheme(
    name: str | Scheme,
    texts: Sequence[str],
    labels: Sequence[Sequence[int]],
    *,
    feats: Sequence[TextFeatures],
    vectors: np.ndarray,
    groups: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    settings: AxesSettings | None = None,
    tagging: SchemeTagging = TAGGING,
    source: str = "",
) -> SchemeModel:
    """Train a scheme's head on labelled rows (``labels``: 1-based concept positions per row) and
    calibrate its thresholds on out-of-fold scores, folds of whole ``groups`` (networks) if given."""
    concepts = [c.notation for c in scheme_of(name).concepts]
    name = scheme_of(name).name
    settings = settings or AxesSettings()
    y = np.zeros((len(texts), len(concepts)), dtype=np.int8)
    for row, positions in enumerate(labels):
        for p in positions:
            y[row, p - 1] = 1
    oof = _oof(feats, vectors, y, list(groups) if groups is not None else None, settings, tagging)
    thresholds = calibrate_thresholds(oof, y, tagging.min_threshold)
    coef, intercept, spec = _fit_arrays(feats, vectors, y, settings, tagging)
    ids = list(ids) if ids is not None else [f"T{i + 1:04d}" for i in range(len(texts))]
    cells = [";".join(concepts[p - 1] for p in sorted(positions)) for positions in labels]
    places = list(groups) if groups is not None else [""] * len(texts)
    now = datetime.now(UTC)
    version, recorded = version_name(
        [name, settings.model_dump(mode="json"), tagging.C, model_id(settings.encoder), SCHEME_FAMILY],
        (f"{t}\t{c}" for t, c in zip(texts, cells)),
        now,
    )
    return SchemeModel(
        name,
        concepts,
        version,
        settings,
        coef,
        intercept,
        thresholds,
        spec["hand_mean"],
        spec["hand_scale"],
        spec["vocab"],
        spec["idf"],
        [{"id": i, "description": t, "concepts": c, "cluster": g} for i, t, c, g in zip(ids, texts, cells, places)],
        np.asarray(vectors, dtype=np.float32),
        {
            "created": now.isoformat(timespec="seconds"),
            "embedding_model": model_id(settings.encoder),
            "training_examples": len(texts),
            **recorded,
            "source": source,
        },
    )


def _lemma_columns(model: SchemeModel, feats: Sequence[TextFeatures], vectors: np.ndarray) -> slice | None:
    blocks = design_blocks(
        feats[:1], vectors[:1], model.settings, model.hand_mean, model.hand_scale, model.vocab, model.idf
    )
    start = 0
    for block, values in blocks.items():
        if block == "lemmas":
            return slice(start, start + values.shape[1])
        start += values.shape[1]
    return None


def predict_scheme(
    model: SchemeModel, feats: Sequence[TextFeatures], vectors: np.ndarray, tagging: SchemeTagging = TAGGING
) -> list[ConceptPrediction]:
    """Scores (0.5 = each concept's threshold), the concepts chosen (at least one) and one line of
    evidence per text: per concept chosen, the lemmas adding most to its score; the nearest examples."""
    if not len(feats):
        return []
    design = model.matrix(feats, vectors)
    scaled, chosen = decide(head_scores(design, model.coef, model.intercept), model.thresholds)
    nearest = np.argsort(-(vectors @ model.example_vectors.T), axis=1)[:, : tagging.neighbours]
    lemmas = _lemma_columns(model, feats, vectors)
    word = _stem(model.scheme).removesuffix("s") if model.scheme in BUILTIN_SCHEMES else "concept"
    out = []
    for row in range(len(feats)):
        picked = [k for k in np.argsort(-scaled[row]) if chosen[row, k]]
        parts = []
        for k in picked:
            words = []
            if lemmas is not None:
                gain = design[row, lemmas] * model.coef[0, k, lemmas]
                words = [model.vocab[j] for j in np.argsort(-gain)[: tagging.cue_words] if gain[j] > 0]
            parts.append(f"{word} {model.concepts[k]}: {', '.join(words) or 'score du modèle'}")
        near = [model.examples[j] for j in nearest[row]]
        parts.append("exemples proches: " + "; ".join(f"{n['id']} [{n['concepts']}]" for n in near))
        scores = [round(float(s), 4) for s in scaled[row]]
        out.append(
            ConceptPrediction(
                sorted(int(k) + 1 for k in picked),
                scores,
                " | ".join(parts),
                [n["id"] for n in near],
                any(abs(s - 0.5) < UNCERTAINTY.margin for s in scores),
            )
        )
    return out


def fill_row(row: dict[str, Any], name: str | Scheme, prediction: ConceptPrediction) -> None:
    """Write one prediction into a row's columns of scheme ``name`` (:func:`scheme_columns`)."""
    concepts = scheme_of(name).concepts
    predicted, *rest = scheme_columns(name)
    scores, evidence, uncertain = rest[: len(concepts)], rest[-2], rest[-1]
    row[predicted] = ";".join(concepts[p - 1].notation for p in prediction.axes)
    for column, score in zip(scores, prediction.scores):
        row[column] = score
    row[evidence] = prediction.evidence
    row[uncertain] = "oui" if prediction.uncertain else ""


def crosswalk_flags(axes: Sequence[int], missions: Sequence[int]) -> str:
    """Why a row's axes and missions disagree with the crosswalk ("" when they agree).

    >>> crosswalk_flags([4], [3]), crosswalk_flags([4], [1, 3])
    ('', 'mission 1 is reached by none of the axes tagged')
    """
    source, target = (builtin_scheme(n).concepts for n in BOTH_SCHEMES)
    return "; ".join(disagreements({source[a - 1].iri for a in axes}, {target[m - 1].iri for m in missions}))
