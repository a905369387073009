"""Belgian geography: postal code → province and region, and what reports say about provinces.

The table is the official allocation of Belgian postal codes by range (bpost): the first digits of
a code tell its province. A code outside every range, or not four digits, is *unknown*: it is
reported, never guessed. Brussels-Capital has no province; its codes map to the region only.

Reports also state how members spread over provinces in words ("la province du Luxembourg ne
répertorie aucun membre", "répartis entre le Hainaut (27), Liège (22)"); :func:`find_province_statements`
reads those, pattern by pattern, because a wrong count in the graph is worse than a missing one.

>>> province_of("6700").province
'Luxembourg'
>>> province_of("1000").region
'Bruxelles-Capitale'
>>> province_of("0999") is None
True
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from miner import data
from miner.errors import InputError
from miner.nlp.text import fold

__all__ = [
    "POSTAL_RANGES",
    "PROVINCES",
    "REGIONS",
    "WALLOON_PROVINCES",
    "PostalArea",
    "ProvinceStatement",
    "find_province",
    "find_province_statements",
    "normalise_postal_code",
    "province_of",
    "province_statements_of_evaluation",
]

BRUSSELS = "Bruxelles-Capitale"
WALLONIA = "Wallonie"
FLANDERS = "Flandre"
REGIONS = (WALLONIA, BRUSSELS, FLANDERS)


@dataclass(frozen=True)
class PostalArea:
    """Where a postal code lies: ``province`` (None for Brussels-Capital) and ``region``."""

    code: str
    province: str | None
    region: str


def _postal_ranges() -> tuple[tuple[int, int, str | None, str], ...]:
    """The ranges of the package's table (data, not code: a reallocation is an edit of a CSV row)."""
    path = data.path("assets", "postal-codes.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ranges = tuple((int(r["first"]), int(r["last"]), r["province"] or None, r["region"]) for r in rows)
    if any(region not in REGIONS for *_, region in ranges):
        raise InputError(path, "names a region that is not one of " + ", ".join(REGIONS))
    return ranges


POSTAL_RANGES = _postal_ranges()
"""(first, last, province, region), inclusive, in order: bpost's allocation of postal codes."""

WALLOON_PROVINCES = ("Brabant wallon", "Hainaut", "Liège", "Luxembourg", "Namur")
PROVINCES = WALLOON_PROVINCES + ("Anvers", "Brabant flamand", "Flandre-Occidentale", "Flandre-Orientale", "Limbourg")

_CODE = re.compile(r"^(?:B-?\s*)?(\d{4})$", re.IGNORECASE)


def normalise_postal_code(text: object) -> str | None:
    """Four digits from a cell ("B-6700", " 6700 ", 6700.0 from a spreadsheet), else None.

    >>> normalise_postal_code("B-6700"), normalise_postal_code(6700.0), normalise_postal_code("67000")
    ('6700', '6700', None)
    """
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    match = _CODE.match(str(text).strip())
    return match.group(1) if match else None


def province_of(code: object) -> PostalArea | None:
    """The province and region of a Belgian postal code; None when the code is unknown."""
    normal = normalise_postal_code(code)
    if normal is None:
        return None
    value = int(normal)
    for first, last, province, region in POSTAL_RANGES:
        if first <= value <= last:
            return PostalArea(normal, province, region)
    return None


# ---------------------------------------------------------------- statements in reports


_PROVINCE_NAMES = {
    "brabant wallon": "Brabant wallon",
    "hainaut": "Hainaut",
    "liege": "Liège",
    "luxembourg": "Luxembourg",
    "namur": "Namur",
}
"""Walloon provinces as reports name them (folded), the ones cluster reports count members in."""

_PROVINCE = r"(?P<province>brabant\s+wallon|hainaut|liege|luxembourg|namur)"
_ZERO_AFTER = re.compile(
    r"province\s+(?:du|de\s+la|de|d')\s*" + _PROVINCE + r"\b[^.;]{0,60}?\b(?:aucun|aucune|pas\s+de|sans)\s+"
    r"(?:membre|adh[ée]rent|adh[ée]sion|entreprise)",
)
_ZERO_BEFORE = re.compile(
    r"\b(?:aucun|aucune|pas\s+de|sans)\s+(?:membre|adh[ée]rent|adh[ée]sion|entreprise)s?\b[^.;]{0,60}?"
    r"(?:province\s+(?:du|de\s+la|de|d')\s*|\b(?:du|de|en|dans\s+le)\s+)" + _PROVINCE + r"\b",
)
_COUNTED = re.compile(r"\b(?:le\s+|la\s+|en\s+)?" + _PROVINCE + r"\s*\(\s*(?P<value>\d{1,5})\s*\)")
_COUNTED_BEFORE = re.compile(
    r"(?<![\d,.%])(?P<value>\d{1,5})\s+(?:membres?\s+)?(?:dans\s+le|dans\s+la\s+province\s+(?:de|du)|"
    r"en\s+province\s+(?:de|du)|en)\s+" + _PROVINCE + r"\b"
)
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]|$)")


@dataclass(frozen=True)
class ProvinceStatement:
    """A number of members a text states for one province (0 for "aucun membre")."""

    province: str
    count: int
    quote: str


def _sentence(text: str, start: int) -> str:
    for match in _SENTENCE.finditer(text):
        if match.start() <= start < max(match.end(), match.start() + 1):
            return " ".join(match.group().split())
    return " ".join(text.split())


def find_province_statements(text: str) -> list[ProvinceStatement]:
    """Member counts per Walloon province stated in ``text``, one per province, in reading order.

    >>> find_province_statements("la province du Luxembourg ne répertorie aucun membre à ce jour.")[0].count
    0
    >>> [(s.province, s.count) for s in find_province_statements("répartis entre le Hainaut (27), Liège (22)")]
    [('Hainaut', 27), ('Liège', 22)]
    >>> [(s.province, s.count) for s in find_province_statements("30 dans le Hainaut, 12 en province de Luxembourg")]
    [('Hainaut', 30), ('Luxembourg', 12)]
    """
    folded = fold(text)
    if len(folded) != len(text):  # folding changed offsets (rare ligatures): quote from the folded text
        text = folded
    found: dict[str, tuple[int, ProvinceStatement]] = {}
    for pattern in (_ZERO_AFTER, _ZERO_BEFORE, _COUNTED, _COUNTED_BEFORE):
        for match in pattern.finditer(folded):
            province = _PROVINCE_NAMES[" ".join(match.group("province").split())]
            count = int(match.group("value")) if "value" in match.groupdict() and match.group("value") else 0
            if province not in found:
                found[province] = (match.start(), ProvinceStatement(province, count, _sentence(text, match.start())))
    return [statement for _, statement in sorted(found.values(), key=lambda item: item[0])]


@dataclass(frozen=True)
class LocatedProvinceStatement:
    """A province statement and where it was read (a constat or a question's conclusion)."""

    statement: ProvinceStatement
    source: Literal["constat", "question"]
    number: int
    page: int | None


def province_statements_of_evaluation(evaluation) -> list[LocatedProvinceStatement]:
    """Province statements from an Evaluation's constats first, then its question conclusions.

    A province stated by a constat is not repeated from a conclusion: the constat is the finding,
    the conclusion restates it.
    """
    located: list[LocatedProvinceStatement] = []
    seen: set[str] = set()
    for constat in evaluation.constats:
        page = (constat.provenance.page if constat.provenance else None) or (constat.pages or [None])[0]
        for statement in find_province_statements(constat.text):
            if statement.province not in seen:
                seen.add(statement.province)
                located.append(LocatedProvinceStatement(statement, "constat", constat.number, page))
    for question in evaluation.questions:
        page = (question.pages or [None])[-1]
        for statement in find_province_statements(question.conclusion):
            if statement.province not in seen:
                seen.add(statement.province)
                located.append(LocatedProvinceStatement(statement, "question", question.number, page))
    return located


def find_province(names: Iterable[str]) -> str | None:
    """The Walloon province a free-text place names, if exactly one ("Province de Liège" → Liège)."""
    hits = {value for name in names for key, value in _PROVINCE_NAMES.items() if key in fold(name)}
    return hits.pop() if len(hits) == 1 else None
