"""The genre's words, one declared lexicon per language (``miner/data/lexicons/<lang>.yaml``).

Evaluation reports of Walloon clusters are written in French, but also in English, Dutch and
German (the German-speaking Community). They name the same parts: the evaluation question, the
criterion, its theme, the judgement on a four-level scale, the numbered finding, a legend. Every
reader that needs those words takes them from here, so a language is one file, never a branch in
the code; the judgement levels are keyed by the scale's French values, which the SKOS scheme of
the graph (``ontology/judgements.ttl``) uses whatever the report's language.

>>> lexicon("en").scale["Non atteint"][0]
'Not achieved'
>>> detect_language("The cluster brings together the companies of the rail supply chain and its members.")
'en'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache

import yaml

from miner.data import path

__all__ = ["Lexicon", "lexicon", "lexicons", "LANGUAGES", "detect_language", "fold", "all_words"]

LANGUAGES = ("fr", "en", "nl", "de")
"""The languages with a lexicon, French first: it wins a tie (most reports are French)."""

ROLES = ("theme", "criterion", "judgement", "justification", "recommendation")
LEVELS = ("Atteint", "Satisfaisant", "Partiel", "Non atteint")


@dataclass(frozen=True)
class Lexicon:
    """One language's words of the genre (see ``lexicons/fr.yaml`` for what each key holds)."""

    language: str
    name: str
    tesseract: str
    """Tesseract's language data for scans in this language."""
    function_words: tuple[str, ...]
    """Short words every text of the language uses: they tell the language of a document."""
    question: tuple[str, ...]
    """Heading words that open an evaluation question ("Question d'évaluation 2 :")."""
    finding: tuple[str, ...]
    """Label words of a numbered finding ("Constat 3 :")."""
    criterion: tuple[str, ...]
    """Label words of a criterion ("Critère 1.2")."""
    see: tuple[str, ...]
    """Phrases that refer to a finding by its number ("Voir constat 9")."""
    common: tuple[str, ...]
    """Phrases that say a finding serves several criteria ("commun aux critères 2.1 à 2.6")."""
    legend: tuple[str, ...]
    """Words that title a legend (a key from symbols, marks or colours to the scale)."""
    caption: tuple[str, ...]
    """Words that open a table or figure caption ("Tableau 2 –")."""
    annex: tuple[str, ...]
    """Words that title an annex."""
    roles: dict[str, tuple[str, ...]]
    """Column titles by role: theme, criterion, judgement, justification, recommendation."""
    scale: dict[str, tuple[str, ...]]
    """Wordings of each judgement level, keyed by the scale's French value."""


def fold(text: str) -> str:
    """Case, accents and everything but letters folded away: the key a wording is matched on.

    >>> fold("Niveau d'atteinte"), fold("Non-Atteint.")
    ('niveaudatteinte', 'nonatteint')
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalpha())


def _words(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _load(language: str) -> Lexicon:
    file = path("lexicons", f"{language}.yaml")
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    names = {f.name for f in fields(Lexicon)}
    unknown = set(raw) - names
    missing = names - set(raw)
    if unknown or missing:
        raise ValueError(f"{file}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    if raw["language"] != language:
        raise ValueError(f"{file}: says language {raw['language']!r}")
    values: dict[str, object] = {}
    for name in names:
        value = raw[name]
        if name in ("language", "name", "tesseract"):
            values[name] = str(value)
        elif name == "roles":
            if set(value) - set(ROLES):
                raise ValueError(f"{file}: unknown roles {sorted(set(value) - set(ROLES))}; known: {', '.join(ROLES)}")
            values[name] = {role: _words(words, f"{file}: roles.{role}") for role, words in value.items()}
        elif name == "scale":
            if set(value) != set(LEVELS):
                raise ValueError(f"{file}: the scale needs exactly the levels {', '.join(LEVELS)}")
            values[name] = {level: _words(value[level], f"{file}: scale.{level}") for level in LEVELS}
        else:
            values[name] = _words(value, f"{file}: {name}")
    return Lexicon(**values)  # type: ignore[arg-type]


@lru_cache(maxsize=None)
def lexicon(language: str) -> Lexicon:
    """The lexicon of one language; an unknown language names the known ones.

    >>> lexicon("nl").finding
    ('Vaststelling', 'Bevinding')
    """
    if language not in LANGUAGES:
        raise KeyError(f"no lexicon for language {language!r}; known: {', '.join(LANGUAGES)}")
    return _load(language)


def lexicons() -> list[Lexicon]:
    """Every language's lexicon, French first."""
    return [lexicon(language) for language in LANGUAGES]


def all_words(key: str) -> tuple[str, ...]:
    """One key's wordings in every language, without repeats (``"question"``, ``"finding"``…).

    >>> "Vaststelling" in all_words("finding") and "Constat" in all_words("finding")
    True
    """
    out: dict[str, None] = {}
    for lex in lexicons():
        for word in getattr(lex, key):
            out.setdefault(word, None)
    return tuple(out)


_TOKENS = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 4
"""Below this many words a language guess is noise ("Salon Batibouw")."""


def detect_language(text: str) -> str | None:
    """The language of a text among :data:`LANGUAGES`, or None when it has fewer than :data:`MIN_WORDS` words or
    no function word of any of them (a name, a title, an OCR layer of garbage).

    The one detector of the project (a report's pages, an activity row, an OCR layer, a row's purpose marks):
    py3langid's character n-gram model restricted to our languages (:mod:`miner.data.langid`, its four columns in
    package data: no download, about 2 MB resident), because function words alone call short rows wrongly
    ("Netwerkevent voor leden in Gent" has one Dutch and one English function word). The function words still
    decide whether the text is language at all, and French when the model's guess uses none of its own.

    >>> detect_language("Der Cluster bringt die Unternehmen der Region zusammen und ist aktiv.")
    'de'
    >>> detect_language("Netwerkevent voor leden in Gent"), detect_language("Atelier de veille pour les membres")
    ('nl', 'fr')
    >>> detect_language("Salon Batibouw") is None
    True
    """
    words = [w.casefold() for w in _TOKENS.findall(text)]
    used = {lex.language for lex in lexicons() if any(w in _function_set(lex.language) for w in words)}
    if len(words) < MIN_WORDS or not used:
        return None
    # numpy and the model on first use: the extraction workers that import this module for its words need neither
    from miner.data.langid import language_model

    language = language_model().classify(text)
    # a French row of English loanwords ("Workshop design thinking pour les PME") has English n-grams and only
    # French grammar: a guess none of whose function words the text uses yields to French's
    return "fr" if language not in used and "fr" in used else language


@lru_cache(maxsize=None)
def _function_set(language: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in lexicon(language).function_words)
