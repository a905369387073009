"""py3langid's naive-Bayes language model, restricted to French, English, Dutch and German, in about 2 MB.

py3langid keeps its whole 97-language model resident, about 75 MB (its byte automaton as Python lists, the
full feature table beside the restricted one), which put ``miner classify`` over its 400 MB (issue 27).
``scripts/langid_model.py`` derives this file once from py3langid's model: the strings of its automaton's
states, each packed in one integer and stored sorted with the feature its state counts, and the four
languages' columns. The automaton stands, after each byte, at the longest suffix read so far that is a
state's string (the script checks it on every transition); a binary search over all the text's windows of
1 to 6 bytes finds the same suffixes, so the same features are counted and summed in the same order and the
scores are py3langid's own. Licence: py3langid's (BSD 3-Clause), in ``langid/LICENSE``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from miner.data import path

__all__ = ["LanguageModel", "language_model", "pack", "MODEL_FILE"]

MODEL_FILE = "langid/fr-en-nl-de.npz"
CHUNK = 1 << 16
"""Bytes read per pass: the windows' arrays take 8 bytes per byte and window size, so a long page costs a few MB."""


def pack(values: np.ndarray, size: int) -> np.ndarray:
    """Byte strings of ``size`` bytes (as big-endian integers) packed with their length: ``(1 << 8 * size) | value``,
    so strings of different lengths never share a key and the empty string, the start state, is 1."""
    return values | np.uint64(1 << (8 * size))


@dataclass(frozen=True, eq=False)
class LanguageModel:
    """The compact model: its states' packed strings (sorted), their features (-1: none), the features' weights
    per language (float16), the languages' priors, and the languages in the column order that breaks ties."""

    states: np.ndarray
    features: np.ndarray
    weights: np.ndarray
    priors: np.ndarray
    languages: tuple[str, ...]
    depth: int
    """The longest state string, in bytes."""

    @classmethod
    def load(cls, file: str = MODEL_FILE) -> LanguageModel:
        with np.load(path(*file.split("/")), allow_pickle=False) as data:
            states = data["states"]
            if states[0] != 1:
                raise ValueError(f"{file}: the start state (packed 1) must sort first")
            depth = (int(states[-1]).bit_length() - 1) // 8
            languages = tuple(str(language) for language in data["languages"])
            return cls(states, data["features"], data["weights"], data["priors"], languages, depth)

    def scores(self, text: str) -> np.ndarray:
        """py3langid's raw naive-Bayes scores of ``text``, one per language of :attr:`languages`: the log-priors plus
        the weights of its features, each times the log of one plus its count, in the order they first occur."""
        if text.isupper():
            text = text.lower()
        found = self.found(unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass"))
        if not found.size:  # py3langid's floor: every language alike, the first column wins
            return np.full(len(self.languages), np.finfo(np.float32).min, dtype=np.float32)
        ids, first, counts = np.unique(found, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")  # as np.unique sorts: no second sort kernel paged in
        weights = self.weights[ids[order].astype(np.intp)]
        return np.log1p(counts[order].astype(np.float32)) @ weights + self.priors

    def classify(self, text: str) -> str:
        """The language of the highest score (ties: the first column, as py3langid).

        >>> language_model().classify("Het cluster brengt de bedrijven van de sector samen.")
        'nl'
        """
        return self.languages[int(self.scores(text).argmax())]

    def found(self, data: bytes) -> np.ndarray:
        """The feature counted after each byte of ``data``, in order: the one of the state whose string is the
        longest suffix read so far, where that state counts one."""
        text = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
        out = np.empty(len(text), dtype=self.features.dtype)
        for start in range(0, len(text), CHUNK):
            stop = min(len(text), start + CHUNK)
            context = min(start, self.depth - 1)
            out[start:stop] = self.features[self._longest(text[start - context : stop], context)]
        return out[out >= 0]

    def _longest(self, window: np.ndarray, context: int) -> np.ndarray:
        """For each byte of ``window`` after its first ``context`` ones, the row in :attr:`states` of the longest
        string ending there (row 0, the empty string, when none): every window of 1 to :attr:`depth` bytes
        looked up in one search, a row per size."""
        keys = np.zeros((self.depth, len(window)), dtype=np.uint64)  # 0 packs no string: windows before the start
        value = window
        for size in range(1, self.depth + 1):
            if size > 1:  # the windows of ``size`` bytes, ending at window[size - 1:]
                value = (value[:-1] << np.uint64(8)) | window[size - 1 :]
            keys[size - 1, size - 1 :] = pack(value, size)
        rows = np.minimum(np.searchsorted(self.states, keys), len(self.states) - 1)
        hit = self.states[rows] == keys
        size = self.depth - 1 - np.argmax(hit[::-1], axis=0)  # the longest window found, or none at all
        ends = np.arange(len(window))
        return np.where(hit[size, ends], rows[size, ends], 0)[context:]


@lru_cache(maxsize=1)
def language_model() -> LanguageModel:
    """The shipped model, loaded once."""
    return LanguageModel.load()
