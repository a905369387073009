"""A regular expression made of many anchored alternatives, written again with the alternatives
that end the same way sharing one copy of that ending: the same strings match, and Python's
compiler has a fraction of the pattern to compile.

spaCy's French tokenizer pattern (``token_match``) is 266 alternatives such as
``^anti[-–][letters][letters-']*$``, where each ``[letters]`` is a Unicode class of about 3 KB, so
the pattern is 1.4 MB and takes about 2.5 s to compile at every load of the pipeline. Grouped by
their ending, the same alternatives make 84 (``^(?:anti|contre|…)[-–][letters][letters-']*$``):
125 KB, about 0.3 s. A match object may differ in which alternative it took, never in whether
the string matches, which is all spaCy's tokenizer asks of it.
"""

from __future__ import annotations

import re

__all__ = ["factor_alternatives", "top_level"]

CLASS_BODY = re.compile(r"(?:[^\]\\]|\\.)*\]", re.S)
"""The rest of a character class up to its closing ``]``, escapes taken whole."""

LONG_CLASS = 64
"""A character class this long (in characters of the pattern) starts the ending that alternatives
share: the Unicode letter classes are thousands of characters, the short ones (hyphens, ``[ée]``)
belong to an alternative's own lead."""


def top_level(pattern: str) -> tuple[list[int], list[int]]:
    """The positions of ``|`` outside any group or class, and of ``[`` opening a class outside any
    group, in ``pattern``: where its alternatives split and where its top-level classes start.

    >>> top_level(r"a|(b|c)[|(]|\\|x")
    ([1, 11], [7])
    """
    bars: list[int] = []
    classes: list[int] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            if depth == 0:
                classes.append(i)
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            bars.append(i)
        i += 1
    return bars, classes


def _class_end(pattern: str, start: int) -> int:
    """The position after the ``]`` closing the class opened at ``start`` (a ``]`` first in the
    class, or after ``^``, is a member; escapes are skipped)."""
    i = start + 1 + pattern.startswith("^", start + 1)
    i += pattern.startswith("]", i)
    body = CLASS_BODY.match(pattern, i)  # in C: the letter classes are thousands of characters
    return body.end() if body else len(pattern)


def _split(pattern: str, bars: list[int]) -> list[str]:
    edges = [-1, *bars, len(pattern)]
    return [pattern[a + 1 : b] for a, b in zip(edges, edges[1:])]


def _unwrapped(alternative: str) -> str | None:
    """``X`` for an alternative written ``(?:X)`` as one group, else None."""
    if not (alternative.startswith("(?:") and alternative.endswith(")")):
        return None
    inner = alternative[3:-1]
    depth = 0
    i = 0
    while i < len(inner):  # the wrapper must close only at the end: "(?:a)|(?:b)" is not one group
        char = inner[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(inner, i)
            continue
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return None
        i += 1
    return inner if depth == 0 else None


def factor_alternatives(pattern: str) -> str | None:
    """``pattern`` with its alternatives grouped by a shared ending (see the module docstring), or
    None when nothing is shared or the pattern is not a list of ``(?:…)`` alternatives after its
    inline flags. An alternative with an alternation or a group of its own before its ending is kept
    whole; a lead is only ever a sequence, so ``(?:lead1|lead2)ending`` matches what
    ``lead1 ending|lead2 ending`` matches.

    >>> letters = "[" + "a-z" * 30 + "]"
    >>> factored = factor_alternatives(f"(?i)(?:^anti-{letters}+$)|(?:^contre-{letters}+$)|(?:^x(y|z)$)")
    >>> factored == f"(?i)(?:(?:^anti-|^contre-){letters}+$)|(?:^x(y|z)$)"
    True
    """
    flags = ""
    if pattern.startswith("(?") and not pattern.startswith("(?:"):
        flags = pattern[: pattern.find(")") + 1]
    body = pattern[len(flags) :]
    bars, _ = top_level(body)
    wrapped = _split(body, bars)
    alternatives = [_unwrapped(a) for a in wrapped]
    if any(a is None for a in alternatives):
        return None
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        assert alternative is not None
        own_bars, classes = top_level(alternative)
        start = next((c for c in classes if _class_end(alternative, c) - c >= LONG_CLASS), 0)
        lead = alternative[:start]
        if own_bars or not start or "(" in lead or ")" in lead:
            groups.setdefault(alternative, []).append("")
            continue
        groups.setdefault(alternative[start:], []).append(lead)
    if len(groups) == len(alternatives):
        return None
    parts = [f"(?:{'|'.join(leads)}){ending}" if leads != [""] else ending for ending, leads in groups.items()]
    return flags + "|".join(f"(?:{part})" for part in parts)
