"""Text clean-up shared by the PDF and activity readers: ligatures, odd spaces, hyphenation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

__all__ = [
    "normalise_chars", "squash", "join_lines", "word_set", "strip_accents", "fold", "fold_words", "slugify",
    "FORCED_BREAK", "without_broken_pieces", "PAGE_NUMBER",
]  # fmt: skip

# A page number as printed in a running footer or header ("7", "Page 2 sur 9", "- 3 -").
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I)
# Put at a line end by a table reader where a narrow column may have cut a word without a hyphen.
FORCED_BREAK = "\u2060"

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
_TRANSLATE = {**{ord(k): v for k, v in _LIGATURES.items()}, **_SPACES, **_INVISIBLE}

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
_LOWER_START = re.compile(r"^([^\W\d_]+)")


def normalise_chars(text: str) -> str:
    """Replace ligatures and exotic spaces; drop zero-width characters. Soft hyphens are kept
    for :func:`join_lines`, which knows they only matter at a line end.

    >>> normalise_chars("e\\ufb03cace\\u00a0!")
    'efficace !'
    """
    return text.translate(_TRANSLATE)


def squash(text: str) -> str:
    """Collapse runs of white space to one space and strip.

    >>> squash("  a \\n  b ")
    'a b'
    """
    return " ".join(text.split())


def word_set(texts: Iterable[str]) -> set[str]:
    """The lower-cased words (hyphenated compounds kept whole) of a document, for de-hyphenation."""
    words: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(normalise_chars(text).replace("\u00ad", "")):
            words.add(match.group(0).casefold())
    return words


def join_lines(lines: Iterable[str], vocabulary: set[str] | None = None) -> str:
    """Join the lines of one paragraph or cell into one string, undoing line-end hyphenation.

    A soft hyphen (U+00AD) at a line end always joins. A hard hyphen joins when the document
    itself uses the joined word and not the hyphenated one ("dévelop-/pement"), or, when it uses
    neither, when the document's language (``vocabulary.language`` for a
    :class:`~miner.nlp.wordforms.DocumentWords`, else French) knows only the joined word; otherwise
    it is a real compound broken at its hyphen ("recherche-/développement", "sont-/ils") and the
    hyphen stays.

    >>> join_lines(["la recherche-", "développement et le dévelop-", "pement"], {"développement"})
    'la recherche-développement et le développement'
    """
    vocabulary = vocabulary or set()
    out = ""
    for raw in lines:
        line = squash(normalise_chars(raw))
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
            continue
        if out.endswith(FORCED_BREAK):
            out = out[:-1]
            out = out + line if _one_word(out, line, vocabulary) else f"{out} {line}"
            continue
        tail = _HYPHEN_END.search(out)
        head = _LOWER_START.match(line)
        if tail and head:
            left, right = tail.group(1), head.group(1)
            joined = (left + right).casefold()
            compound = f"{left}-{right}".casefold()
            out = (
                out[:-1] + line
                if right[0].islower() and _soft(left, right, joined, compound, vocabulary)
                else out + line
            )
            continue
        out = f"{out} {line}"
    return _rejoin_broken_words(out.replace("\u00ad", ""), vocabulary)


def _soft(left: str, right: str, joined: str, compound: str, vocabulary: set[str]) -> bool:
    """A line-end hyphen is soft when the document uses the joined word and not the compound;
    when it uses neither, the language's lexicon decides (:func:`miner.nlp.wordforms.hyphen_is_soft`)."""
    if joined in vocabulary or compound in vocabulary:
        return joined in vocabulary and compound not in vocabulary
    from miner.nlp.wordforms import hyphen_is_soft

    return hyphen_is_soft(left, right, _forms(vocabulary))


def _forms(vocabulary: set[str]) -> Collection[str]:
    """The lexicon of the vocabulary's language (French for a plain set of words)."""
    from miner.nlp.wordforms import word_forms

    return word_forms(getattr(vocabulary, "language", None))


def _one_word(left_text: str, right_text: str, vocabulary: set[str]) -> bool:
    """Whether a word cut by a narrow column is one word: the document uses the joined word (or its
    plural/singular), or neither piece is a word of it ("Représentativit" / "é"; the caller has
    checked that they did not fit on one line together). A cut leaving a word on each side
    ("technologi" / "que") is mended when the document uses the joined word elsewhere, or when the
    document's language knows the joined word and not the first piece.

    >>> _one_word("la Représentativit", "é des", {"que"}), _one_word("technologique", "et", {"et"})
    (True, False)
    >>> _one_word("Développement", "stratégique", {"développement", "stratégique"})
    False
    """
    left = _LAST_WORD.search(left_text)
    right = _LOWER_START.match(right_text)
    if left is None or right is None or right_text[right.end() : right.end() + 1] in ("'", "’"):
        return False  # "d'animation" is a whole word (an elision), never the end of another
    joined = (left.group(1) + right.group(1)).casefold()
    forms = {joined, joined + "s", joined[:-1] if joined.endswith("s") else joined}
    if forms & vocabulary:
        return True
    lexicon = _forms(vocabulary)
    pieces = (left.group(1).casefold(), right.group(1).casefold())
    if pieces[0] in lexicon and pieces[1] in lexicon and not any(form in lexicon for form in forms):
        return False  # two words of the language that make none together ("Partenariats" / "académiques")
    if any(form in lexicon for form in forms) and pieces[0] not in lexicon:
        return True  # the language knows the whole word and not its first piece ("Representativenes" / "s")
    return pieces[0] not in vocabulary and pieces[1] not in vocabulary


def without_broken_pieces(text: str) -> str:
    r"""A cell's text without the two pieces around each candidate cut, for building the
    vocabulary that decides about them.

    >>> without_broken_pieces("la Représentativit\u2060\né des membres")
    'la   des membres'
    """
    return re.sub(r"[^\W\d_]*\u2060\s*[^\W\d_]*", " ", text) if FORCED_BREAK in text else text


_LAST_WORD = re.compile(r"([^\W\d_]+)$")
_BROKEN = re.compile(r"([^\W\d_]+)- ([^\W\d_]+)")


def _rejoin_broken_words(text: str, vocabulary: set[str]) -> str:
    """Mend "Info- pôle": a hyphenation left mid-line by an earlier re-layout of the text, when
    the document uses the joined word elsewhere.

    >>> _rejoin_broken_words("l'Info- pôle et Nord- Sud", {"infopôle"})
    "l'Infopôle et Nord- Sud"
    """

    def mend(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if right[0].islower() and (left + right).casefold() in vocabulary:
            return left + right
        return match.group(0)

    return _BROKEN.sub(mend, text)


def strip_accents(text: str) -> str:
    """Drop diacritics, keep the letters.

    >>> strip_accents("pôle Écoconstruction")
    'pole Ecoconstruction'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """The matching key of a phrase: accents dropped, case folded, spaces collapsed.

    >>> fold("  Pôle  MecaTech ")
    'pole mecatech'
    """
    return " ".join(strip_accents(text).casefold().split())


def fold_words(text: str) -> str:
    """Accent-, case- and punctuation-free words, for matching themes and titles.

    >>> fold_words("Équipe d'animation ") == fold_words("Equipe d’animation")
    True
    """
    return " ".join(re.findall(r"[a-z0-9]+", fold(re.sub(r"[^\w\s]", " ", text))))


SLUG_MAX = 80
"""Longest slug kept: theme names fit, whole sentences do not make unreadable IRIs."""

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; accents folded, punctuation dropped (IRIs, file names).

    >>> slugify("Partage de connaissances et des bonnes pratiques entre clusters")
    'partage-de-connaissances-et-des-bonnes-pratiques-entre-clusters'
    >>> slugify("  Pérennité ")
    'perennite'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", folded.casefold()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug or "x"
