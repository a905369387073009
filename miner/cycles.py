"""Which funding cycle an evaluation covers: read from its text, or given by the user.

Clusters are recognised for periods of three years (*triennat*) and, since the 2024 reform, four
(*quadriennat*), numbered from the cluster's recognition. Reports say "au cours de son septième
triennat"; that ordinal is the cycle. When no report text names one, the cycle falls back to the
kind the metadata states and the evaluation year, which still compares by year.

>>> parse_cycle("triennat-7").label
'7e triennat'
>>> infer_cycle(["Au cours de son septième triennat, ...", "lors du prochain quadriennat"]).slug
'triennat-7'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from miner.errors import UsageError

__all__ = ["Cycle", "KINDS", "infer_cycle", "parse_cycle", "cycle_of_evaluation"]

KINDS = ("triennat", "quadriennat")
"""Cycle kinds the Walloon cluster decree knows."""

ORDINAL_WORDS = {
    "premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
    "dixième": 10, "onzième": 11, "douzième": 12,
}

NOT_THIS_CYCLE = ("prochain", "précédent", "nouveau", "futur", "dernier", "suivant")
"""Words before a cycle mention that point at another cycle than the one evaluated."""

_MENTION = re.compile(
    r"(?:(?P<before>\w+)\s+)?(?P<ordinal>" + "|".join(ORDINAL_WORDS) + r"|\d{1,2}\s*(?:e|è|ème|eme)\b)\s+"
    r"(?P<kind>triennat|quadriennat)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cycle:
    """A funding cycle: kind and ordinal when known, else the year of the evaluation."""

    kind: str
    ordinal: int | None = None
    year: int | None = None

    @property
    def slug(self) -> str:
        if self.ordinal is not None:
            return f"{self.kind}-{self.ordinal}"
        return f"{self.kind}-{self.year}" if self.year else self.kind

    @property
    def label(self) -> str:
        if self.ordinal is not None:
            return f"{self.ordinal}{'er' if self.ordinal == 1 else 'e'} {self.kind}"
        return f"{self.kind} {self.year}" if self.year else self.kind


def parse_cycle(text: str) -> Cycle:
    """Read a cycle given by the user: ``triennat-7``, ``quadriennat-1`` or ``annee-2025``.

    >>> parse_cycle("quadriennat-1")
    Cycle(kind='quadriennat', ordinal=1, year=None)
    """
    match = re.fullmatch(r"\s*(triennat|quadriennat|annee)-(\d{1,4})\s*", text, re.IGNORECASE)
    if not match:
        raise UsageError(
            f"cycle {text!r} not understood; write triennat-N, quadriennat-N or annee-YYYY (e.g. triennat-7)"
        )
    kind, number = match.group(1).lower(), int(match.group(2))
    if kind == "annee":
        return Cycle("annee", None, number)
    if number < 1:
        raise UsageError(f"cycle ordinal must be 1 or more, not {number}")
    return Cycle(kind, number)


def _ordinal(text: str) -> int:
    word = text.casefold()
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def infer_cycle(texts: Iterable[str], *, year: int | None = None, kind_hint: str | None = None) -> Cycle:
    """The cycle most texts name ("septième triennat"), ignoring mentions of other cycles.

    Without any mention: the kind from ``kind_hint`` ("évaluation triennale" → triennat) and
    ``year``.

    >>> infer_cycle([], year=2025, kind_hint="évaluation triennale")
    Cycle(kind='triennat', ordinal=None, year=2025)
    """
    votes: Counter[tuple[str, int]] = Counter()
    for text in texts:
        for match in _MENTION.finditer(text):
            before = (match.group("before") or "").casefold()
            if before.startswith(NOT_THIS_CYCLE):
                continue
            votes[(match.group("kind").lower(), _ordinal(match.group("ordinal")))] += 1
    if votes:
        (kind, ordinal), _ = votes.most_common(1)[0]
        return Cycle(kind, ordinal, year)
    hint = (kind_hint or "").casefold()
    kind = "quadriennat" if "quadrienn" in hint else "triennat" if "trienn" in hint else "annee"
    return Cycle(kind, None, year)


def cycle_of_evaluation(evaluation, override: str | Cycle | None = None) -> Cycle:  # noqa: ANN001
    """The cycle of an :class:`~miner.records.Evaluation`: ``override`` if given, else inferred from
    its constats, conclusions and metadata."""
    if isinstance(override, Cycle):
        return override
    if override:
        return parse_cycle(override)
    meta = evaluation.metadata
    texts = [c.text for c in evaluation.constats]
    texts += [q.introduction + "\n" + q.conclusion for q in evaluation.questions]
    texts += [meta.title or "", meta.kind or ""]
    year = meta.date.year if meta.date else None
    return infer_cycle(texts, year=year, kind_hint=" ".join(filter(None, [meta.kind, meta.title])))
