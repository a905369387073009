"""Figures a report states in words, as typed observations: what is measured, value, unit, period or
baseline, target or actual, with the quote they come from.

"183 membres" is an actual member count; "le nombre de membres a augmenté de 50 % par rapport à la
fin du triennat précédent" a change against the previous cycle; "objectif d'atteindre 40 % de
revenus non liés aux subsides" a target; "149 entités constituent le cluster « Infopôle cluster
TIC »" (the 2011 atlas) a member count whose subject the sentence names. From a count and a stated
change, :func:`derive_previous_count` estimates the count at the end of the previous cycle, marked
as derived.

Pattern-based on purpose: reports state these figures in a handful of fixed phrasings, and a wrong
number in the graph is worse than a missing one, so anything that does not match exactly is left
out (a bare "89 entités" could count anything; a figure about another named cluster is skipped).

>>> [s.value for s in find_member_statements("Le cluster rassemble 183 membres, dont 40 PME.")]
[183]
>>> find_member_statements("le nombre de membres a augmenté de 50% par rapport au cycle précédent")[0].value
50.0
>>> [s.value for s in find_member_statements("Actuellement, 149 entités constituent le cluster.")]
[149]
>>> q = find_quantities("avec un objectif d'atteindre 40% de revenus non liés aux subsides")[0]
>>> (q.measure, q.value, q.unit, q.status, q.what)
('revenue_share', 40.0, 'percent', 'target', 'revenus non liés aux subsides')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

__all__ = [
    "MEASURES",
    "Quantity",
    "LocatedQuantity",
    "MemberStatement",
    "find_quantities",
    "find_member_statements",
    "quantities_of_evaluation",
    "member_statements_of_evaluation",
    "derive_previous_count",
]

MEASURES = {
    "members": "nombre de membres",
    "member_growth": "évolution du nombre de membres",
    "revenue_share": "part des revenus",
    "amount": "montant",
}
"""What a quantity measures (key → French label); ``Quantity.what`` says more (which revenues)."""

Status = Literal["actual", "target", "change", "derived"]

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d{1,6}"
_DECIMAL = r"\d{1,3}(?:[,.]\d+)?"
_PERCENT = r"\s*(?:%|pour\s*cent)"


def _wording(*parts: str) -> re.Pattern[str]:
    """A case-insensitive pattern of French wording, written in parts so each reads on its line."""
    return re.compile("".join(parts), re.IGNORECASE)


_COUNT = _wording(rf"(?<![\d,.%])(?P<value>{_NUMBER})\s+(?:(?:entreprises|organisations|organismes)\s+)?membres\b")
_ENTITIES_BEFORE_VERB = _wording(
    rf"(?<![\d,.%])(?P<value>{_NUMBER})\s+entit[ée]s\s+(?:constituent|composent|forment)\s+le\s+cluster",
    r"(?:\s+[«\"“]\s*(?P<subject>[^»\"”]{2,80}?)\s*[»\"”])?",
)
_VERB_BEFORE_ENTITIES = _wording(
    r"(?:\bcluster\s+(?P<subject>[A-ZÉ][\w\-]+)\s*,?\s+qui\s+)?\b(?:regroupe|rassemble|r[ée]unit|compte)\s+",
    rf"(?P<value>{_NUMBER})\s+entit[ée]s\b",
)
"""Atlas wording: "149 entités constituent le cluster « X »", "le cluster TWIST, qui regroupe 89
entités"; a bare "N entités" is not a member count, so a verb of composition must go with it."""
_GROWTH = _wording(
    r"nombre\s+de\s+membres\b[^.;]{0,80}?\b(?P<verb>augment|progress|cr[uû]|diminu|baiss|recul)\w*",
    rf"\s+de\s+(?P<value>{_DECIMAL}){_PERCENT}(?P<rest>[^.;]{{0,100}})",
)
_REVENUES = r"revenus?\s+(?:propres|non\s+li[ée]s\s+aux\s+subsides|priv[ée]s|hors\s+subsides?)"
_TARGET = _wording(
    rf"objectif\s+(?:d['’]atteindre\s+|de\s+)(?P<value>{_DECIMAL}){_PERCENT}\s+(?:de\s+)?(?P<what>{_REVENUES})"
)
_ACTUAL_SHARE = _wording(
    rf"(?P<what>{_REVENUES})(?:\s+du\s+cluster)?(?:\s+\([^)]{{0,60}}\))?\s+",
    r"(?:atteign\w*|repr[ée]sent\w*|s['’][ée]l[eè]v\w*)",
    rf"\s+(?:à\s+)?(?P<value>{_DECIMAL}){_PERCENT}",
)
_AMOUNT = re.compile(
    rf"(?<![\d,.])(?P<value>{_NUMBER}(?:,\d+)?)\s*(?P<scale>millions?\s+d['’]euros|k€|K€|€|euros|EUR)",
)
_YEAR = _wording(
    r"\b(?:en|fin|depuis)\s+(?:(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|",
    r"octobre|novembre|décembre)\s+)?(?P<year>(?:19|20)\d\d)\b",
)
_DOWN = ("diminu", "baiss", "recul")
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?](?!\d)|$)")


@dataclass(frozen=True)
class Quantity:
    """One stated figure.

    ``measure`` is a key of :data:`MEASURES`; ``what`` names the thing more precisely when the
    text does ("revenus propres", "entités"); ``unit`` is count, percent or EUR; ``status`` is
    actual, target, change (against ``baseline``) or derived; ``year`` the reference year the
    sentence gives; ``subject`` the cluster the sentence names, if it names one."""

    measure: str
    value: float
    unit: Literal["count", "percent", "EUR"]
    status: Status
    quote: str
    what: str | None = None
    year: int | None = None
    baseline: str | None = None
    subject: str | None = None
    offset: int = 0

    @property
    def kind(self) -> str:
        """count, growth (the older names of member counts and changes) or the measure itself."""
        return {"members": "count", "member_growth": "growth"}.get(self.measure, self.measure)


MemberStatement = Quantity
"""Older name: member counts and growth rates are quantities of measure members / member_growth."""


def _sentence_around(text: str, start: int, end: int) -> str:
    for match in _SENTENCE.finditer(text):
        if match.start() <= start and end <= match.end():
            return " ".join(match.group().split())
    return " ".join(text[start:end].split())


def _year(sentence: str) -> int | None:
    years = [int(m.group("year")) for m in _YEAR.finditer(sentence)]
    return years[-1] if years else None


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _baseline(rest: str) -> str | None:
    match = re.search(r"par\s+rapport\s+(?:à|au)\s+(?P<what>[^,;.]{3,80})", rest, re.IGNORECASE)
    if not match:
        return None
    what = " ".join(match.group("what").split())
    if re.search(r"pr[ée]c[ée]dent", what, re.IGNORECASE):
        return "previous-cycle"
    return what


def find_quantities(text: str) -> list[Quantity]:
    """Counts, percentages and amounts stated in ``text``, in reading order.

    >>> [(q.measure, q.value, q.status, q.baseline) for q in find_quantities(
    ...     "le nombre de membres a augmenté de 50% par rapport à la fin du triennat précédent")]
    [('member_growth', 50.0, 'change', 'previous-cycle')]
    >>> [(q.value, q.year, q.what) for q in find_quantities(
    ...     "Les revenus propres du cluster (cotisations et services) atteignent 18 % de ses ressources en 2020.")]
    [(18.0, 2020, 'revenus propres')]
    """
    found: list[Quantity] = []

    def add(match: re.Match[str], **fields) -> None:  # noqa: ANN003
        sentence = _sentence_around(text, *match.span())
        found.append(Quantity(quote=sentence, year=fields.pop("year", _year(sentence)), offset=match.start(), **fields))

    for match in _COUNT.finditer(text):
        add(match, measure="members", value=_int(match.group("value")), unit="count", status="actual", what="membres")
    for pattern in (_ENTITIES_BEFORE_VERB, _VERB_BEFORE_ENTITIES):
        for match in pattern.finditer(text):
            subject = (match.group("subject") or "").strip() or None
            add(
                match,
                measure="members",
                value=_int(match.group("value")),
                unit="count",
                status="actual",
                what="entités",
                subject=subject,
            )
    for match in _GROWTH.finditer(text):
        value = float(match.group("value").replace(",", "."))
        if match.group("verb").casefold().startswith(_DOWN):
            value = -value
        add(
            match,
            measure="member_growth",
            value=value,
            unit="percent",
            status="change",
            baseline=_baseline(match.group("rest")),
            what="membres",
            year=None,
        )
    for match in _TARGET.finditer(text):
        add(
            match,
            measure="revenue_share",
            value=float(match.group("value").replace(",", ".")),
            unit="percent",
            status="target",
            year=None,
            what=" ".join(match.group("what").split()).lower(),
        )
    for match in _ACTUAL_SHARE.finditer(text):
        add(
            match,
            measure="revenue_share",
            value=float(match.group("value").replace(",", ".")),
            unit="percent",
            status="actual",
            what=" ".join(match.group("what").split()).lower(),
        )
    for match in _AMOUNT.finditer(text):
        scale = match.group("scale").casefold()
        value = float(re.sub(r"[ \u00a0\u202f.]", "", match.group("value")).replace(",", "."))
        value *= 1_000_000 if scale.startswith("million") else 1000 if scale == "k€" else 1
        add(match, measure="amount", value=value, unit="EUR", status="actual")
    return sorted(found, key=lambda q: q.offset)


def find_member_statements(text: str) -> list[Quantity]:
    """Member counts and growth rates stated in ``text``, in reading order (``kind``: count, growth)."""
    return [q for q in find_quantities(text) if q.measure in ("members", "member_growth")]


@dataclass(frozen=True)
class LocatedQuantity:
    """A quantity and where it was read: ``source`` is constat, question (its conclusion) or block
    (a paragraph of a document without questions), with its number and the page."""

    statement: Quantity
    source: Literal["constat", "question", "block"]
    number: int
    page: int | None
    index: int = 1

    @property
    def kind(self) -> str:
        return self.statement.kind

    @property
    def key(self) -> str:
        """Stable local name: kind, source, number and rank in that source ("count-question-1-1")."""
        return f"{self.kind}-{self.source}-{self.number}-{self.index}"


def quantities_of_evaluation(evaluation, *, members_only: bool = False) -> list[LocatedQuantity]:  # noqa: ANN001
    """Quantities from an Evaluation's constats and question conclusions with their pages; for a
    document without questions (an atlas, a brochure), from its paragraphs and boxes.

    A conclusion closes its question, so its page is the question's last page when the extractor
    gave no finer provenance.
    """
    find = find_member_statements if members_only else find_quantities
    located: list[LocatedQuantity] = []
    for constat in evaluation.constats:
        page = (constat.provenance.page if constat.provenance else None) or (constat.pages or [None])[0]
        for index, statement in enumerate(find(constat.text), 1):
            located.append(LocatedQuantity(statement, "constat", constat.number, page, index))
    for question in evaluation.questions:
        page = (question.pages or [None])[-1]
        for index, statement in enumerate(find(question.conclusion), 1):
            located.append(LocatedQuantity(statement, "question", question.number, page, index))
    if not evaluation.questions:
        for number, block in enumerate(evaluation.blocks, 1):
            if block.kind in ("paragraph", "list_item", "box", "caption"):
                for index, statement in enumerate(find(block.text), 1):
                    located.append(LocatedQuantity(statement, "block", number, block.page, index))
    return located


def member_statements_of_evaluation(evaluation) -> list[LocatedQuantity]:  # noqa: ANN001
    """Member counts and growth rates of an Evaluation (constats and conclusions), with pages."""
    return [q for q in quantities_of_evaluation(evaluation, members_only=True) if q.source != "block"]


@dataclass(frozen=True)
class DerivedCount:
    """An estimate of the member count at the end of the previous cycle: count / (1 + growth)."""

    value: int
    count: LocatedQuantity
    growth: LocatedQuantity

    @property
    def quantity(self) -> Quantity:
        return Quantity(
            "members",
            self.value,
            "count",
            "derived",
            quote=f"{self.count.statement.quote} {self.growth.statement.quote}",
            what="membres",
            baseline="previous-cycle",
        )


def derive_previous_count(located: list[LocatedQuantity]) -> DerivedCount | None:
    """The earlier count implied by a stated count and a stated change against the previous cycle.

    The count is the member count stated most often (the first on a tie).

    >>> from miner.extract.quantities import LocatedQuantity as L
    >>> c = L(find_quantities("Le cluster rassemble 183 membres.")[0], "question", 1, 3)
    >>> g = L(find_quantities("le nombre de membres a augmenté de 50% par rapport à la fin du triennat précédent")[0], "constat", 1, 2)
    >>> derive_previous_count([c, g]).value
    122
    """
    counts = [
        q
        for q in located
        if q.statement.measure == "members" and q.statement.what == "membres" and q.statement.subject is None
    ]
    growths = [
        q for q in located if q.statement.measure == "member_growth" and q.statement.baseline == "previous-cycle"
    ]
    if not counts or not growths:
        return None
    values = [int(q.statement.value) for q in counts]
    best = max(values, key=lambda v: (values.count(v), -values.index(v)))
    count = counts[values.index(best)]
    growth = growths[0]
    factor = 1 + growth.statement.value / 100
    if factor <= 0:
        return None
    return DerivedCount(round(best / factor), count, growth)


def with_subject(quantity: Quantity, subject: str | None) -> Quantity:
    return replace(quantity, subject=subject)
