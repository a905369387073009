"""Column titles of tables, by role: which words name a theme, criterion, judgement or justification.

The unruled-table reader recognises a header row by these words and the structure reader gives
columns their roles with them, so both live in this one table (a new wording is one line here).

>>> header_role("Critère d'évaluation"), header_role("Appréciation"), header_role("Principaux constats")
('criterion', 'judgement', 'justification')
"""

from __future__ import annotations

from itertools import accumulate

from miner.data.lexicon import fold, lexicons

__all__ = ["ROLE_WORDS", "header_role", "starts_with_role", "fold"]

# Words that name a column's role, in every language of the lexicons (miner/data/lexicons), folded
# accent-free and without spaces (titles are folded the same way, so "Jugeme nt" broken by a narrow
# column still reads "jugement"). A title takes the role of the word found earliest in it:
# "Critère d'évaluation" is a criterion, "Niveau d'atteinte du critère" a judgement.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    role: tuple(dict.fromkeys(fold(word) for lex in lexicons() for word in lex.roles.get(role, ())))
    for role in ("theme", "criterion", "judgement", "justification", "recommendation")
}


def header_role(title: str) -> str | None:
    """The role a column title names, or None.

    >>> header_role("Critères de jugement"), header_role("Jugeme nt"), header_role("Principaux constats")
    ('criterion', 'judgement', 'justification')
    """
    pieces = [w for w in (fold(w) for w in title.split()) if w]
    key = "".join(pieces)
    if not key or len(key) > 60:  # a sentence is not a column title
        return None
    ends = list(accumulate(len(w) for w in pieces))
    best: tuple[int, str] | None = None
    for role, words in ROLE_WORDS.items():
        for word in words:
            at = key.find(word)
            if len(word) <= SHORT_ROLE_WORD and word not in pieces:
                continue  # a short word ("as", "axe") names a role as a word of its own, not inside one
            if at >= 0 and not _joins_whole_words(at, at + len(word), ends):
                continue
            if at >= 0 and (best is None or at < best[0]):
                best = (at, role)
    return best[1] if best else None


BROKEN_TAIL = 2
"""A role word read across a space ("Jugeme nt", a word broken by a narrow column) ends at most
this many letters before the end of the title's word (a plural's "s")."""


def _joins_whole_words(start: int, stop: int, ends: list[int]) -> bool:
    """Whether a match from ``start`` to ``stop`` in the folded title (its words end at ``ends``)
    stays in one word, or joins pieces of a broken word: it opens a word and closes one. "The
    members" holds "theme" only across a space, ending inside "members": two words, not a role.

    >>> _joins_whole_words(0, 8, [6, 8]), _joins_whole_words(0, 5, [3, 10]), _joins_whole_words(2, 7, [9])
    (True, False, True)
    """
    first = next(i for i, end in enumerate(ends) if start < end)
    last = next(i for i, end in enumerate(ends) if stop <= end)
    if first == last:
        return True
    opens = start == (ends[first - 1] if first else 0)
    return opens and ends[last] - stop <= BROKEN_TAIL


SHORT_ROLE_WORD = 3
"""Role words this short are looked for as whole words ("Repräsentativität" holds "as")."""


def starts_with_role(label: str, role: str) -> bool:
    """Whether a label opens with a word naming ``role`` ("Jugement", "Appréciation globale").

    >>> starts_with_role("Appréciation", "judgement"), starts_with_role("Le jugement", "judgement")
    (True, False)
    """
    key = fold(label)
    return any(key.startswith(word) for word in ROLE_WORDS[role])
