"""The encoder ahead of the rest: a list's vectors computed on their own thread, batch after batch,
while the caller's thread parses, applies the rules and the heads (issue 27).

In ``miner classify`` the encoder is two thirds of the CPU and the French pipeline, the rules'
facts, the own-cluster pass and the heads the rest. Run in turn within each batch, the heads and
the own-cluster pass left the encoder's cores idle; here the encoder never waits for them (it needs
neither the own cluster nor the features), and the caller never waits for the encoder while a
batch is ready. Vectors are those :func:`miner.nlp.embeddings.embed` gives the same batch, bit for
bit: only when each batch is encoded changes.

Ahead, the encoder takes several of the caller's batches at once, about
:data:`~miner.nlp.embeddings.BATCH_SIZE` texts: its threads wait for each other at the end of
every call, for half a piece on average, so the caller's short batches (16 rows in a list of 500)
left a core idle at every one of them. The first batch comes alone, so the tagging starts at once,
and so does the last, so what is left to tag once the encoder is done is one batch, not a call's.

With ``ahead=0`` nothing runs beside the caller: each batch is encoded on its thread when asked
for, after the own-cluster pass and between the parses, as classify ran before issue 27. With one
encoder thread that keeps classify on one core (a user leaving the other free) and is the
configuration issue 27's time goal was set against (``bench/bench_classify.py``).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Sequence

import numpy as np

from miner.nlp.embeddings import BATCH_SIZE, embed

__all__ = ["EncoderAhead"]


class EncoderAhead:
    """The vectors of ``texts`` in batches of ``size``, encoded on a thread by ``embedder`` (None: the
    encoder of ``spec``) at most ``ahead`` batches ahead of the caller (0: no thread, each batch
    encoded by :meth:`next` itself); :meth:`next` returns them in order. A context manager: leaving
    it early stops the thread after its current batch (waited for, unless an exception is leaving it).

    >>> from unittest.mock import Mock
    >>> fake = Mock(encode_batch=lambda part: np.array([[float(len(t))] for t in part]))
    >>> with EncoderAhead(["a", "bb", "ccc"], 2, embedder=fake) as ahead:
    ...     [ahead.next().ravel().tolist() for _ in range(2)]
    [[1.0, 2.0], [3.0]]
    >>> with EncoderAhead(["a", "bb", "ccc"], 2, embedder=fake, ahead=0) as inline:
    ...     [inline.next().ravel().tolist() for _ in range(2)]
    [[1.0, 2.0], [3.0]]
    """

    def __init__(
        self,
        texts: Sequence[str],
        size: int,
        *,
        spec: str | None = None,
        embedder: Any = None,
        ahead: int = 32,
    ) -> None:
        self._texts = texts
        self._size = max(1, size)
        self._spec = spec
        self._embedder = embedder
        self._ready: queue.Queue[Any] = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = (
            threading.Thread(target=self._run, name="miner-encoder-ahead", daemon=True) if ahead > 0 else None
        )
        self._taken = 0
        """With no thread: where the batch :meth:`next` encodes next starts."""

    def __enter__(self) -> EncoderAhead:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self._stop.set()
        if (
            kind is not None or self._thread is None
        ):  # an error or Ctrl-C: not held up for the batch in the engine (a daemon; it stops after)
            return
        while self._thread.is_alive():  # a full queue must not keep the thread from seeing the stop
            try:
                self._ready.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def _batch(self, start: int, size: int) -> np.ndarray:
        part = list(self._texts[start : start + size])
        return embed(part, model=self._embedder, spec=self._spec, batch_size=max(1, len(part)))

    def _run(self) -> None:
        chunk = self._size * max(1, round(BATCH_SIZE / self._size))  # whole batches of the caller's
        last = (len(self._texts) - 1) // self._size * self._size  # where the caller's last batch starts
        try:
            start = 0
            while start < len(self._texts):
                if self._stop.is_set():
                    return
                # the first and the last batch alone: the caller waits for the first, and tags
                # whatever the last call brought once the encoder is done, on one core
                count = self._size if start in (0, last) else min(chunk, last - start)
                vectors = self._batch(start, count)
                for at in range(0, len(vectors), self._size):
                    self._put(vectors[at : at + self._size])
                start += len(vectors)
        except BaseException as exc:  # handed to the caller's thread, raised there by next()
            self._put(exc)

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def next(self) -> np.ndarray:
        """The next batch's vectors (waits for them); an error of the encoder is raised here."""
        if self._thread is None:
            if self._taken >= len(self._texts):
                raise RuntimeError("no more batches: every batch of the list was already taken")
            vectors = self._batch(self._taken, self._size)
            self._taken += self._size
            return vectors
        while True:
            try:
                item = self._ready.get(timeout=0.5)
                break
            except queue.Empty:
                if not self._thread.is_alive() and self._ready.empty():
                    raise RuntimeError("no more batches: every batch of the list was already taken") from None
        if isinstance(item, BaseException):
            raise item
        return item
