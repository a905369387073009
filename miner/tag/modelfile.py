"""The axis model as a file: plain arrays in an ``.npz`` plus a JSON header (no pickles, so it
loads with any scikit-learn version), the shipped model's pointer, and the scoring of a design."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from miner import data
from miner.atomic import write_bytes_atomic
from miner.errors import InputError, UsageError
from miner.tag.base import AxesSettings
from miner.tag.features import TextFeatures, design_matrix

__all__ = [
    "FAMILY",
    "MODEL_DIR",
    "AxesModel",
    "head_scores",
    "neighbour_shares",
    "stack_design",
    "stack_scores",
    "default_model_path",
    "load_model",
    "CODE_ROOTS",
    "code_files",
    "code_digest",
    "version_name",
]

FAMILY = "miner.axes.v3"
"""v2: format counts, own-cluster masking and axis-6 role features (issue 15); v1 models no longer fit."""

MODEL_DIR = data.path("assets", "models")
DEFAULT_POINTER = MODEL_DIR / "DEFAULT"

CODE_ROOTS = ("miner.tag.features", "miner.tag.prediction", "miner.tag.training", "miner.tag.schemes")
"""Where the code starts that reads rows into features and rule verdicts, fits a model on them and
turns its scores into axes: with every miner module these import and the package data they name,
it is part of a model's identity (:func:`code_digest`)."""


def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    return Path(origin) if origin and origin.endswith(".py") else None


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """miner modules a module's source imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "miner"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package upwards
                package = module.split(".")[: len(module.split(".")) - node.level + is_package]
                base = ".".join(package + ([base] if base else []))
            if base.split(".")[0] != "miner":
                continue
            modules = {f"{base}.{a.name}" for a in node.names if _module_file(f"{base}.{a.name}")}
            found |= modules if len(modules) == len(node.names) else modules | {base}
    return found


def _named_data(tree: ast.AST) -> set[Path]:
    """Package data files a module names as ``data.path("assets", "x.yaml")`` (literal parts)."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "path"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "data"
            and node.args
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
        ):
            target = data.path(*(a.value for a in node.args))
            if target.is_file():  # a folder (the models' own) is not code
                found.add(target)
    return found


def code_files(roots: Sequence[str] = CODE_ROOTS) -> list[Path]:
    """The source files of ``roots`` and of every miner module they import, at any depth, and the
    package data files those name, sorted: read from the sources, nothing is imported.

    >>> names = {p.name for p in code_files()}
    >>> {"rules.py", "facts.py", "features.py", "axes_lexicon.yaml"} <= names, "DEFAULT" in names
    (True, False)
    """
    seen: set[str] = set()
    files: set[Path] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(name)
        if path is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        files.add(path)
        files |= _named_data(tree)
        todo += sorted(_imported(tree, name, path.name == "__init__.py") - seen)
    return sorted(files)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 of the code and data that made a model (:func:`code_files`, by their path inside the
    package and their bytes): recorded in a model's recipe, so a retrain on changed rule code gets
    a new version name even on the same rows and settings."""
    root = Path(data.__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in code_files():
        inside = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else path.name
        digest.update(f"{inside}\n{len(path.read_bytes())}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    trusted_rules: list[str] | None = None
    """Rule verdicts ("R8+4", "R0-5") precise enough on the training rows to settle an axis; None:
    every settling verdict does (:func:`miner.tag.training.trusted_rules`)."""
    stack_coef: np.ndarray | None = None
    """Second stage (axes × 12): each axis re-decided from the six head scores and the six axis
    shares of the nearest training rows, so one axis's evidence counts for another (2 with 4, 3
    with 1); None in models trained without it (the head's scores are then final)."""
    stack_intercept: np.ndarray | None = None

    def matrix(self, feats: Sequence[TextFeatures], vectors: np.ndarray) -> np.ndarray:
        return design_matrix(feats, vectors, self.settings, self.hand_mean, self.hand_scale, self.vocab, self.idf)

    def raw_scores(self, design: np.ndarray, vectors: np.ndarray | None = None) -> np.ndarray:
        """Per-axis probabilities, the ones the thresholds were calibrated on: the head's, then the
        second stage's when the model has one (it needs the texts' ``vectors``)."""
        scores = head_scores(design, self.coef, self.intercept)
        if self.stack_coef is None or vectors is None:
            return scores
        labels = np.zeros((len(self.examples), len(self.thresholds)), dtype=np.int8)
        for row, example in enumerate(self.examples):
            for axis in (int(a) for a in example["axes"].split(";") if a):
                labels[row, axis - 1] = 1
        shares = neighbour_shares(
            np.asarray(vectors, dtype=np.float32), self.example_vectors, labels, self.settings.stack_neighbours
        )
        return stack_scores(
            stack_design(scores, shares, self.settings.stack_share_weight), self.stack_coef, self.stack_intercept
        )

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
            "trusted_rules": self.trusted_rules,
        }

        extra = (
            {} if self.stack_coef is None else {"stack_coef": self.stack_coef, "stack_intercept": self.stack_intercept}
        )
        write_artefact(path, header, self, extra)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "AxesModel":
        path = Path(path)
        header, data = read_artefact(path, FAMILY, "an axis model")
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
            trusted_rules=header.get("trusted_rules"),
            stack_coef=data["stack_coef"] if "stack_coef" in data.files else None,
            stack_intercept=data["stack_intercept"] if "stack_intercept" in data.files else None,
        )


ARRAYS = ("coef", "intercept", "thresholds", "hand_mean", "hand_scale", "idf", "example_vectors")
"""The arrays of a tagging model file beside its JSON header (the axes' and every scheme's)."""
COMPACT = {"coef": np.float32, "intercept": np.float32, "thresholds": np.float32, "example_vectors": np.float16}
"""Arrays stored at a lower precision: the weights need no more, the quoted examples' vectors less."""


def write_artefact(path: Path, header: dict[str, Any], model: Any, extra: dict[str, np.ndarray] | None = None) -> None:
    """One .npz: the JSON header and the model's arrays (:data:`ARRAYS`, then any ``extra``), written
    whole and then renamed, so an interrupted save leaves no half model."""
    arrays = {name: getattr(model, name) for name in ARRAYS} | dict(extra or {})
    arrays = {name: a.astype(COMPACT[name]) if name in COMPACT else a for name, a in arrays.items()}
    with io.BytesIO() as handle:
        np.savez_compressed(
            handle,
            header=np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            **arrays,
        )
        write_bytes_atomic(path, handle.getvalue())


def read_artefact(path: Path, family: str, what: str) -> tuple[dict[str, Any], Any]:
    """The header and arrays of a model file of ``family``; anything else is an InputError."""
    try:
        data = np.load(path, allow_pickle=False)
        header = json.loads(bytes(data["header"]).decode("utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(path, f"not {what} artefact ({exc})") from None
    if header.get("family") != family:
        raise InputError(path, f"model family {header.get('family')!r}, expected {family}")
    return header, data


def head_scores(design: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Mean over heads of each head's per-axis logistic probability."""
    z = np.einsum("nd,hkd->hnk", design, coef) + intercept[:, None, :]
    return (1 / (1 + np.exp(-z))).mean(axis=0)


def neighbour_shares(
    vectors: np.ndarray, example_vectors: np.ndarray, labels: np.ndarray, k: int, exclude: np.ndarray | None = None
) -> np.ndarray:
    """Per text, each axis's share among its ``k`` nearest examples (cosine, weights cubed so the
    closest count most); ``exclude`` marks pairs not to count (in training: the same cluster, so
    the shares are those a never-seen cluster gets)."""
    similarity = np.asarray(vectors, dtype=np.float32) @ np.asarray(example_vectors, dtype=np.float32).T
    if exclude is not None:
        similarity = np.where(exclude, -np.inf, similarity)
    k = min(k, similarity.shape[1])
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    weights = np.maximum(np.take_along_axis(similarity, nearest, axis=1), 0) ** 3
    shares = (weights[:, :, None] * labels[nearest]).sum(axis=1)
    return (shares / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)).astype(np.float32)


def stack_design(scores: np.ndarray, shares: np.ndarray, share_weight: float) -> np.ndarray:
    """The second stage's inputs: the head's scores as log-odds, and the neighbours' axis shares."""
    clipped = np.clip(scores, 1e-4, 1 - 1e-4)
    return np.hstack([np.log(clipped / (1 - clipped)), shares * share_weight]).astype(np.float32)


def stack_scores(design: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """The second stage's per-axis probabilities."""
    return 1 / (1 + np.exp(-(design @ coef.T + intercept[None, :])))


def default_model_path() -> Path:
    """The shipped model named in ``assets/models/DEFAULT``."""
    if not DEFAULT_POINTER.is_file():
        raise UsageError(f"no default axis model in {MODEL_DIR}; build it with `make model`")
    return MODEL_DIR / DEFAULT_POINTER.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> AxesModel:
    """Load an axis model artefact (default: the shipped one); cached per process."""
    return AxesModel.load(path or default_model_path())


def version_name(recipe: Sequence[Any], rows: Iterable[str], when: datetime) -> tuple[str, dict[str, str]]:
    """A trained model's version, ``YYYYMMDD-<8 hex>``, and what its header records of it: the
    sha256 the name is cut from, over the recipe (settings, encoder, family), the code that made the
    model (:func:`code_digest`) and the training rows (one line each); and the code's own digest. A
    retrain on other rows, settings or rule code gets another name; the same on the same, the same.

    >>> from datetime import datetime
    >>> name, recorded = version_name(["settings"], ["row\t1"], datetime(2026, 12, 7))
    >>> name.startswith("20261207-"), sorted(recorded)
    (True, ['code_sha256', 'training_sha256'])
    """
    code = code_digest()
    text = json.dumps([*recipe, code]) + "\n" + "\n".join(rows)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{when:%Y%m%d}-{digest[:8]}", {"training_sha256": digest, "code_sha256": code}
