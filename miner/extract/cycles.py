"""Which funding cycle an evaluation covers: read from its text, or given by the user.

Clusters are recognised for periods of three years (*triennat*) and, since the 2024 reform, four
(*quadriennat*), numbered from the cluster's recognition. Reports say "au cours de son septième
triennat"; that ordinal is the cycle. The period analysed ("de janvier 2023 à juin 2025") gives its
start and end, the report date its year. A cycle given by the user (pipeline file, ``--cycle``)
wins, but where the text says otherwise the disagreement is kept as a *conflict*, never dropped.
When nothing names the ordinal, the cycle falls back to the kind the metadata states and the
evaluation year (``triennat-2025``), which still sorts by year; commands that need the ordinal
(``miner compare``) ask for it and name the flag that gives it.

>>> parse_cycle("triennat-7").label
'7e triennat'
>>> infer_cycle(["Au cours de son septième triennat, ...", "lors du prochain quadriennat"]).slug
'triennat-7'
>>> found = infer_cycle_details([("Une analyse des activités de janvier 2023 à juin 2025", 5)])
>>> (str(found.cycle.start), str(found.cycle.end))
('2023-01-01', '2025-06-30')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter, OrderedDict
from dataclasses import replace
from typing import Iterable

from miner.errors import UsageError
from miner.records.cycles import Cycle, CycleEvidence, CycleInference

__all__ = [
    "Cycle",
    "CycleEvidence",
    "CycleInference",
    "KINDS",
    "MONTHS",
    "infer_cycle",
    "infer_cycle_details",
    "parse_cycle",
    "cycle_of_evaluation",
    "cycle_inference_of_evaluation",
    "located_texts",
    "require_ordinal",
]

KINDS = ("triennat", "quadriennat")
"""Cycle kinds the Walloon cluster decree knows."""

KIND_YEARS = {"triennat": 3, "quadriennat": 4}
"""Nominal length of each kind, in years; a stated period longer than this plus one is a conflict."""

ORDINAL_WORDS = {
    "premier": 1,
    "première": 1,
    "deuxième": 2,
    "second": 2,
    "seconde": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
    "onzième": 11,
    "douzième": 12,
}

NOT_THIS_CYCLE = ("prochain", "précédent", "nouveau", "futur", "dernier", "suivant")
"""Words before a cycle mention that point at another cycle than the one evaluated."""

MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}

_MENTION = re.compile(
    r"(?:(?P<before>\w+)\s+)?(?P<ordinal>" + "|".join(ORDINAL_WORDS) + r"|\d{1,2}\s*(?:e|è|ème|eme)\b)\s+"
    r"(?P<kind>triennat|quadriennat)",
    re.IGNORECASE,
)
_NEXT = re.compile(r"\b(?:prochain|nouveau|futur|suivant)\s+(?P<kind>triennat|quadriennat)\b", re.IGNORECASE)
_MONTH = "|".join(MONTHS)
_PERIOD = re.compile(
    rf"\b(?:de|du|entre)\s+(?P<m1>{_MONTH})\s+(?P<y1>(?:19|20)\d\d)\s+(?:à|au|et)\s+(?P<m2>{_MONTH})\s+(?P<y2>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def parse_cycle(text: str) -> Cycle:
    """Read a cycle given by the user: ``triennat-7``, ``quadriennat-1`` or ``annee-2025``.

    >>> parse_cycle("quadriennat-1")
    Cycle(kind='quadriennat', ordinal=1, year=None, start=None, end=None)
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


def _sentence(text: str, start: int, end: int, width: int = 160) -> str:
    """The sentence around a match, cut at word boundaries when longer than ``width`` characters."""
    left = text.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    right = text.find(". ", end)
    right = len(text) if right < 0 else right + 1
    if right - left > width:
        left = max(left, text.rfind(" ", 0, max(left, start - width // 2)) + 1)
        cut = text.find(" ", min(right, end + width // 2))
        right = min(right, cut if cut >= 0 else right)
    return " ".join(text[left:right].split())


def _period(match: re.Match[str]) -> tuple[dt.date, dt.date]:
    y1, m1 = int(match.group("y1")), MONTHS[match.group("m1").casefold()]
    y2, m2 = int(match.group("y2")), MONTHS[match.group("m2").casefold()]
    return dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])


def infer_cycle_details(
    texts: Iterable[tuple[str, int | None]],
    *,
    date: dt.date | None = None,
    kind_hint: str | None = None,
    override: str | Cycle | None = None,
) -> CycleInference:
    """The cycle that ``texts`` (text, page) name, with its evidence and conflicts.

    Mentions of another cycle ("prochain quadriennat", "triennat précédent") do not vote. The
    most named ordinal wins; any other ordinal named for *this* cycle is a conflict, as is a
    report dated before the end of the period it analyses, or an override the text contradicts.

    >>> r = infer_cycle_details([("au cours de son septième triennat", 2), ("son sixième triennat", 4)])
    >>> r.cycle.slug, r.conflicts[0]
    ('triennat-7', 'the text names more than one cycle: 7e triennat (p. 2), 6e triennat (p. 4)')
    >>> r = infer_cycle_details([("au cours de son septième triennat", 2)], override="triennat-6")
    >>> r.source, r.cycle.slug, r.conflicts[0]
    ('pipeline', 'triennat-6', 'cycle given as 6e triennat but the text says 7e triennat (p. 2)')
    """
    votes: Counter[tuple[str, int]] = Counter()
    first_page: dict[tuple[str, int], int | None] = {}
    evidence: list[CycleEvidence] = []
    periods: list[tuple[tuple[dt.date, dt.date], CycleEvidence]] = []
    conflicts: list[str] = []
    conflicts_fr: list[str] = []

    def conflict(english: str, french: str) -> None:
        conflicts.append(english)
        conflicts_fr.append(french)

    for text, page in texts:
        if not text:
            continue
        for match in _MENTION.finditer(text):
            before = (match.group("before") or "").casefold()
            if before.startswith(NOT_THIS_CYCLE):
                continue
            key = (match.group("kind").lower(), _ordinal(match.group("ordinal")))
            votes[key] += 1
            if key not in first_page:
                first_page[key] = page
                evidence.append(CycleEvidence("ordinal", Cycle(*key).label, _sentence(text, *match.span()), page))
        for match in _NEXT.finditer(text):
            evidence.append(CycleEvidence("next", match.group("kind").lower(), _sentence(text, *match.span()), page))
        for match in _PERIOD.finditer(text):
            try:
                span = _period(match)
            except (KeyError, ValueError):
                continue
            item = CycleEvidence("period", f"{span[0]}/{span[1]}", _sentence(text, *match.span()), page)
            periods.append((span, item))
    evidence.extend(item for _, item in periods[:1])
    start = end = None
    if periods:
        (start, end), _ = periods[0]
        others = sorted({span for span, _ in periods[1:] if span != (start, end)})
        if others:
            more = "".join(f", {a}/{b}" for a, b in others)
            conflict(
                f"the text states more than one period: {start}/{end} (p. {periods[0][1].page}){more}",
                f"le texte énonce plus d'une période : {start}/{end} (p. {periods[0][1].page}){more}",
            )
        if date and date < end:
            conflict(
                f"the report is dated {date}, before the end of the period it analyses ({end})",
                f"le rapport est daté du {date}, avant la fin de la période qu'il analyse ({end})",
            )
    if date:
        evidence.append(CycleEvidence("date", date.isoformat(), date.isoformat()))
    year = date.year if date else None
    hint = (kind_hint or "").casefold()
    hinted = "quadriennat" if "quadrienn" in hint else "triennat" if "trienn" in hint else None
    named: Cycle | None = None
    if votes:
        ranked = votes.most_common()
        (kind, ordinal), _ = ranked[0]
        named = Cycle(kind, ordinal, year, start, end)
        if len(ranked) > 1:
            named_all = ", ".join(f"{Cycle(k, o).label} (p. {first_page[(k, o)]})" for (k, o), _ in ranked)
            conflict(
                f"the text names more than one cycle: {named_all}", f"le texte nomme plus d'un cycle : {named_all}"
            )
        if hinted and hinted != kind:
            conflict(
                f"the title says '{kind_hint}' but the text names a {kind}",
                f"le titre dit « {kind_hint} » mais le texte nomme un {kind}",
            )
    if start and end and named is not None:
        years = (end - start).days / 365.25
        if years > KIND_YEARS.get(named.kind, 4) + 1:
            conflict(
                f"the period {start}/{end} is longer than a {named.kind}",
                f"la période {start}/{end} est plus longue qu'un {named.kind}",
            )
    if override is not None:
        given = override if isinstance(override, Cycle) else parse_cycle(override)
        given = replace(given, year=given.year or year, start=given.start or start, end=given.end or end)
        if named is not None and named.slug != given.slug:
            page = first_page[(named.kind, named.ordinal)]  # type: ignore[index]
            conflict(
                f"cycle given as {given.label} but the text says {named.label} (p. {page})",
                f"cycle donné : {given.label}, mais le texte dit {named.label} (p. {page})",
            )
        evidence.insert(0, CycleEvidence("pipeline", given.slug, given.slug))
        return CycleInference(given, "pipeline", evidence, conflicts, conflicts_fr)
    if named is not None:
        return CycleInference(named, "text", evidence, conflicts, conflicts_fr)
    kind = hinted or "annee"
    return CycleInference(Cycle(kind, None, year, start, end), "date", evidence, conflicts, conflicts_fr)


def infer_cycle(texts: Iterable[str], *, year: int | None = None, kind_hint: str | None = None) -> Cycle:
    """The cycle most texts name ("septième triennat"), ignoring mentions of other cycles.

    Without any mention: the kind from ``kind_hint`` ("évaluation triennale" → triennat) and
    ``year``.

    >>> infer_cycle([], year=2025, kind_hint="évaluation triennale")
    Cycle(kind='triennat', ordinal=None, year=2025, start=None, end=None)
    """
    found = infer_cycle_details(((t, None) for t in texts), kind_hint=kind_hint)
    return replace(found.cycle, year=year)


def located_texts(evaluation) -> list[tuple[str, int | None]]:  # noqa: ANN001
    """Every text of an Evaluation with its page: constats, questions, phases, metadata, and the
    paragraphs of a document without questions (tables are left out: their cells are the constats)."""
    meta = evaluation.metadata
    out: list[tuple[str, int | None]] = [(meta.title or "", 1), (meta.kind or "", 1)]
    for constat in evaluation.constats:
        page = (constat.provenance.page if constat.provenance else None) or (constat.pages or [None])[0]
        out.append((constat.text, page))
    for question in evaluation.questions:
        pages = question.pages or [None]
        out.append((question.introduction, pages[0]))
        out.append((question.conclusion, pages[-1]))
    for phase in evaluation.phases:
        out.append((phase.text, phase.provenance.page if phase.provenance else None))
    if not evaluation.questions:
        out += [(b.text, b.page) for b in evaluation.blocks if b.kind != "table"]
    return out


_INFERRED: "OrderedDict[int, tuple[object, dict[str, CycleInference]]]" = OrderedDict()
"""Each evaluation's inference by override, made once: the graph, its organisations, the build's
grouping, `miner cycles` and `miner compare` all read the same one. Keyed by the record's identity
(records are not hashable) and holding the record, so an identity is never reused; the latest
``_REMEMBERED`` evaluations are kept."""
_REMEMBERED = 256


def cycle_inference_of_evaluation(evaluation, override: str | Cycle | None = None) -> CycleInference:  # noqa: ANN001
    """The cycle of an :class:`~miner.records.Evaluation` with its evidence and conflicts: the one
    place it is inferred, once per evaluation (and override), whoever asks."""
    key = repr(override) if isinstance(override, Cycle) else str(override or "")
    _held, known = _INFERRED.setdefault(id(evaluation), (evaluation, {}))
    _INFERRED.move_to_end(id(evaluation))
    while len(_INFERRED) > _REMEMBERED:
        _INFERRED.popitem(last=False)
    if key not in known:
        meta = evaluation.metadata
        known[key] = infer_cycle_details(
            located_texts(evaluation),
            date=meta.date,
            kind_hint=" ".join(filter(None, [meta.kind, meta.title])) or None,
            override=override or None,
        )
    return known[key]


def cycle_of_evaluation(evaluation, override: str | Cycle | None = None) -> Cycle:  # noqa: ANN001
    """The cycle of an :class:`~miner.records.Evaluation`: ``override`` if given, else inferred from
    its constats, conclusions and metadata."""
    return cycle_inference_of_evaluation(evaluation, override).cycle


def require_ordinal(found: CycleInference, name: str, flag: str) -> Cycle:
    """The cycle, or a UsageError that asks for it and names the flag that gives it.

    >>> require_ordinal(infer_cycle_details([("rien", 1)]), "a.pdf", "--cycle-a")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    miner.errors.UsageError: cannot tell which cycle a.pdf covers: ... give it with --cycle-a triennat-N ...
    """
    if found.has_ordinal:
        return found.cycle
    year = f" (dated {found.cycle.year})" if found.cycle.year else ""
    raise UsageError(
        f"cannot tell which cycle {name} covers: its text names no 'Nth triennat' or 'quadriennat'{year}; "
        f"give it with {flag} triennat-N (or quadriennat-N)"
    )
