"""The axis model as a file: plain arrays in an ``.npz`` plus a JSON header (no pickles, so it
loads with any scikit-learn version), the shipped model's pointer, and the scoring of a design."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from miner import data
from miner.atomic import write_bytes_atomic
from miner.errors import InputError, UsageError
from miner.tag.base import AxesSettings
from miner.tag.features import TextFeatures, design_matrix

__all__ = ["FAMILY", "MODEL_DIR", "AxesModel", "head_scores", "default_model_path", "load_model"]

FAMILY = "miner.axes.v3"
"""v2: format counts, own-cluster masking and axis-6 role features (issue 15); v1 models no longer fit."""

MODEL_DIR = data.path("assets", "models")
DEFAULT_POINTER = MODEL_DIR / "DEFAULT"


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

    def matrix(self, feats: Sequence[TextFeatures], vectors: np.ndarray) -> np.ndarray:
        return design_matrix(feats, vectors, self.settings, self.hand_mean, self.hand_scale, self.vocab, self.idf)

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
            "trusted_rules": self.trusted_rules,
        }


        write_artefact(path, header, self)
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
        )


ARRAYS = ("coef", "intercept", "thresholds", "hand_mean", "hand_scale", "idf", "example_vectors")
"""The arrays of a tagging model file beside its JSON header (the axes' and every scheme's)."""
COMPACT = {"coef": np.float32, "intercept": np.float32, "thresholds": np.float32, "example_vectors": np.float16}
"""Arrays stored at a lower precision: the weights need no more, the quoted examples' vectors less."""


def write_artefact(path: Path, header: dict[str, Any], model: Any) -> None:
    """One .npz: the JSON header and the model's arrays, written whole and then renamed, so an
    interrupted save leaves no half model."""
    arrays = {name: getattr(model, name) for name in ARRAYS}
    arrays = {name: a.astype(COMPACT[name]) if name in COMPACT else a for name, a in arrays.items()}
    with io.BytesIO() as handle:
        np.savez_compressed(handle, header=np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"),
                                                         dtype=np.uint8), **arrays)
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


def default_model_path() -> Path:
    """The shipped model named in ``assets/models/DEFAULT``."""
    if not DEFAULT_POINTER.is_file():
        raise UsageError(f"no default axis model in {MODEL_DIR}; build it with `make model`")
    return MODEL_DIR / DEFAULT_POINTER.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> AxesModel:
    """Load an axis model artefact (default: the shipped one); cached per process."""
    return AxesModel.load(path or default_model_path())


