"""Word boundaries for PDFs whose producer wrote no space characters (pdfTeX, some DTP exports).

Such a PDF places each word by its position only: pdfplumber's default test (a gap wider than
3 pt starts a word) glues the words of a tightly justified line ("Lacompositionducluster"). The
gaps themselves are clear (measured on pdfTeX pages in Times and Charter): between the letters
of a word, kerning leaves under 0.03 font size; between words, even a justified line shrunk to
its limit leaves more than 0.12 font size. So on a page without space characters a word starts
where the gap exceeds a share of the font size (pdfplumber's ``x_tolerance_ratio``); a page that
has its spaces keeps pdfplumber's default, which its spaces already decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["WordSettings", "text_options", "stretched_gaps"]


@dataclass(frozen=True)
class WordSettings:
    """When a page counts as having no spaces, and the gap that then starts a new word."""

    gap_ratio: float = field(
        default=0.08,
        metadata={
            "why": "kerning inside a word stays under 0.03 font size, a justified word space over 0.12 (pdfTeX pages measured)"
        },
    )
    spaceless_share: float = field(
        default=0.02,
        metadata={"why": "running text has a space for every 5 to 8 letters; under 1 for 50, the producer wrote none"},
    )
    min_letters: int = field(
        default=40,
        metadata={"why": "a page with a few letters (a figure's labels) says nothing about its producer's spaces"},
    )
    justified_gaps: int = field(
        default=3,
        metadata={
            "why": "a justifier spreads a line's slack evenly: three equal gaps in a row are one stretched line, "
            "while cells or columns of different widths leave gaps of different widths"
        },
    )
    same_gap: float = field(
        default=0.5,
        metadata={
            "why": "producers round positions to a tenth of a point or so; a bold label beside roman text moves a gap by 0.3 pt"
        },
    )


def text_options(chars: list[dict[str, Any]], settings: WordSettings | None = None) -> dict[str, Any]:
    """pdfplumber text keywords for these characters: word gaps relative to the font size when
    they hold no spaces, nothing (pdfplumber's defaults) otherwise.

    >>> glued = [{"text": c} for c in "Lacompositionducluster" * 3]
    >>> text_options(glued)
    {'x_tolerance_ratio': 0.08}
    >>> text_options([{"text": c} for c in "La composition du cluster " * 3])
    {}
    """
    settings = settings or WordSettings()
    letters = sum(1 for c in chars if c["text"].isalpha())
    spaces = sum(1 for c in chars if c["text"].isspace())
    if letters < settings.min_letters or spaces > settings.spaceless_share * letters:
        return {}
    return {"x_tolerance_ratio": settings.gap_ratio}


def stretched_gaps(words: list[dict[str, Any]], settings: WordSettings | None = None) -> set[int]:
    """Indices ``i`` of the gaps (between ``words[i]`` and ``words[i + 1]``, one baseline sorted
    left to right) that belong to a justified line stretched wide (a narrow column with long
    words): runs of at least ``justified_gaps`` equal gaps. Such gaps are word spaces, however wide.

    >>> words = [{"x0": x, "x1": x + 30} for x in (0, 50, 100, 150, 400)]
    >>> sorted(stretched_gaps(words))
    [0, 1, 2]
    """
    settings = settings or WordSettings()
    gaps = [b["x0"] - a["x1"] for a, b in zip(words, words[1:])]
    out: set[int] = set()
    start = 0
    for index in range(1, len(gaps) + 1):
        if index < len(gaps) and abs(gaps[index] - gaps[index - 1]) <= settings.same_gap:
            continue
        if index - start >= settings.justified_gaps:
            out.update(range(start, index))
        start = index
    return out
