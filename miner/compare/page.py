"""What the comparison report shows, as typed records: the page and the Markdown are laid out from them.

Sections: the two evaluations (cycle, period, document, flags), a summary, the judgement heat-map
(criterion × evaluation, with the change and how the criteria were matched), members over time
(an SVG chart and the figures with their source), members by province and by type when the graph
has them, stated indicators, recurring / resolved / dropped / new constats, and what did not align.
Every figure links to its document and page (``file.pdf#page=N``, relative to the report).

One row per fact (:mod:`miner.compare.tables`), A beside B, labels in French, figures and
judgements linked to their page: :func:`report_page` decides all of it and writes no markup, so
:mod:`miner.compare.report` only lays the records out (HTML through templates, or Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from miner.compare.chart import MembersChart, members_chart
from miner.compare.contracts import ContractRow, contract_rows
from miner.compare.tables import Fact, indicator_facts, province_facts, timeline_facts, type_facts, whole_number
from miner.errors import UsageError
from miner.records import Judgement

if TYPE_CHECKING:  # the comparison module renders through this one: types only, no import cycle
    from miner.compare.align import CriterionItem
    from miner.compare.comparison import Comparison, EvaluationView

__all__ = [
    "EVIDENCE_TEXT",
    "JUDGEMENT_COLOURS",
    "Change",
    "Column",
    "Figure",
    "HeatmapRow",
    "IndicatorRow",
    "JudgementCell",
    "Link",
    "MemberRow",
    "ReportPage",
    "Sources",
    "check_endpoint",
    "evidence_href",
    "links_note",
    "report_page",
    "title_of",
]

JUDGEMENT_COLOURS = {0: "#d7301f", 1: "#fc8d59", 2: "#91cf60", 3: "#1a9850"}
"""Non atteint → Atteint, a diverging red–green scale that stays readable in grey print."""

DIRECTION_FR = {"improved": "amélioré", "same": "inchangé", "declined": "en recul", "unknown": "?"}
METHOD_FR = {"theme": "thème identique", "semantic": "similarité sémantique"}
STATUS_FR = {"actual": "constaté", "target": "objectif", "change": "évolution", "derived": "estimé (calculé)"}
CYCLE_SOURCE_FR = {"text": "dans le texte", "pipeline": "donné", "date": "année seulement"}

EVIDENCE_TEXT = "voir la page"
"""The text of a link to a fact's evidence page (the page image, its box and its quote)."""


@dataclass(frozen=True)
class Link:
    """A link to a document, at a page when one is known; ``href`` is relative to the report."""

    href: str
    text: str
    fact: str | None = None
    """The fact's IRI when ``href`` is its evidence page on a ``miner serve``."""


def evidence_href(endpoint: str, fact: str) -> str:
    """The evidence page of ``fact`` on the ``miner serve`` at ``endpoint``.

    >>> evidence_href("http://h:7878/", "https://e/k/1")
    'http://h:7878/evidence?fact=https%3A%2F%2Fe%2Fk%2F1'
    """
    return endpoint.rstrip("/") + "/evidence?" + urlencode({"fact": fact})


def check_endpoint(endpoint: str | None) -> None:
    """Refuse an endpoint that is not an http(s) address (a ``javascript:`` one would become every link)."""
    if endpoint and (_scheme(endpoint) not in ("http", "https") or not urlsplit(endpoint).netloc):
        raise UsageError(
            f"--endpoint {endpoint!r}: give the http(s) address of a miner serve, e.g. http://127.0.0.1:7878"
        )


def links_note(endpoint: str | None) -> str:
    """One sentence saying where the page links of a report lead, so a reader knows what to expect."""
    if endpoint:
        return (
            f"« {EVIDENCE_TEXT} » ouvre, sur le serveur miner {endpoint.rstrip('/')}, l'image de la page "
            "avec le cadre du fait et sa citation."
        )
    return (
        "Les pages renvoient au fichier PDF sur cette machine (adresse file:) ; pour ouvrir l'image de la page "
        "avec le cadre de chaque fait, produisez le rapport avec --endpoint URL d'un miner serve."
    )


def _scheme(target: str) -> str:
    try:
        return urlsplit(target).scheme
    except ValueError:  # not a URL at all (an unclosed "[" after "//"): kept as a relative path
        return "?"


class _Links:
    """Hrefs to documents and pages: absolute ``file:`` addresses when the file is known, so a report
    mailed or moved (or printed to PDF) keeps them; the bare file name otherwise."""

    def __init__(self, comparison: Comparison, base: Path, endpoint: str | None = None):
        self.endpoint = endpoint
        self.paths: dict[str, str] = {}
        for view in (comparison.a, comparison.b):
            if view.path:
                self.paths[view.file] = Path(view.path).resolve().as_uri()

    def href(self, file: str | None, page: Any) -> str:
        target = self.paths.get(file or "", file or "")
        if _scheme(target) not in ("", "file") or target.startswith(("//", "\\")):
            # a file named "javascript:..." stays a relative path; "//host/x" or "\\host\x" would
            # be another machine (on Windows an SMB request when clicked)
            target = "./" + target
        page = whole_number(page)
        return f"{target}#page={page}" if page else target

    def link(self, file: str | None, page: Any, text: str | None = None) -> Link:
        page = whole_number(page)
        label = text if text is not None else (f"{file}, p. {page}" if page else str(file))
        return Link(self.href(file, page), label)

    def evidence(self, fact: str | None) -> Link | None:
        """ "voir la page" on the endpoint's evidence page (None without an endpoint or a fact IRI:
        the fact's own link then opens the PDF at its page)."""
        if not self.endpoint or not fact:
            return None
        return Link(evidence_href(self.endpoint, fact), EVIDENCE_TEXT, fact)


@dataclass
class Sources:
    """Where a fact is stated, and the documents from which miner computed the same value."""

    stated: list[Link]
    computed: list[Link]

    @property
    def computed_label(self) -> str:
        return "confirmé par le calcul depuis " if self.stated else "calculé depuis "


def _sources(fact: Fact, links: _Links) -> Sources:
    return Sources(
        [links.link(file, page) for file, page in fact.sources],
        [links.link(file, None, file) for file in fact.confirmed_by],
    )


@dataclass
class Column:
    """One evaluation as the report shows it beside the other."""

    side: str
    """``a`` or ``b``."""
    cluster: str
    cycle: str
    heading: str
    """Its heat-map column: the cycle when one cluster is compared with itself, else the cluster."""
    period: str
    date: str
    file: str
    document: Link
    fictitious: bool
    cycle_source: str
    conflicts: list[str]


def _column(view: EvaluationView, side: str, comparison: Comparison, links: _Links) -> Column:
    year = f" ({view.date.year})" if view.date else ""
    heading = f"{view.cycle}{year}" if comparison.same_cluster else f"{view.cluster} — {view.cycle}"
    return Column(
        side,
        view.cluster,
        view.cycle,
        heading,
        f"{view.start} → {view.end}" if view.start and view.end else "—",
        str(view.date or "—"),
        view.file,
        links.link(view.file, None, view.file),
        view.fictitious,
        CYCLE_SOURCE_FR.get(view.source or "", view.source or "—"),
        list(view.conflicts_fr or view.conflicts),
    )


@dataclass
class JudgementCell:
    """A heat-map cell: one criterion's judgement, linked to its page."""

    criterion_id: str
    judgement: str | None
    rank: int | None
    colour: str
    link: Link
    """Text: the judgement, or ``?`` when the document gives none."""
    place: str
    evidence: Link | None = None
    """"voir la page" on ``miner serve`` (with an endpoint)."""


@dataclass
class Change:
    """A matched pair's judgement change in rank steps (None: one side has no judgement)."""

    steps: int | None
    direction: str

    @property
    def label(self) -> str:
        return DIRECTION_FR[self.direction]

    @property
    def css(self) -> str:
        return "up" if (self.steps or 0) > 0 else "down" if (self.steps or 0) < 0 else "same"

    @property
    def arrow(self) -> str:
        return "=" if not self.steps else f"{'▲' if self.steps > 0 else '▼'} {self.steps:+d}"


@dataclass
class HeatmapRow:
    """One criterion: matched pairs in B's order, then A-only, then B-only."""

    question: int
    theme: str
    earlier_theme: str | None
    """A's theme when the matched criteria are named differently."""
    text: str
    a: JudgementCell | None
    b: JudgementCell | None
    change: Change | None
    method: str | None
    score: float | None


def _judgement(criterion: CriterionItem | None, view: EvaluationView, links: _Links) -> JudgementCell | None:
    if criterion is None:
        return None
    return JudgementCell(
        criterion.id,
        criterion.judgement,
        criterion.rank,
        JUDGEMENT_COLOURS.get(criterion.rank, "#999"),
        links.link(view.file, criterion.page, criterion.judgement or "?"),
        links.link(view.file, criterion.page).text,
        links.evidence(criterion.iri),
    )


def _heatmap(comparison: Comparison, links: _Links) -> list[HeatmapRow]:
    al, a, b = comparison.alignment, comparison.a, comparison.b
    pairs: list[tuple[Any, Any, Any, Any]] = [
        (a.criterion(m.a), b.criterion(m.b), m, d) for m, d in zip(al.criteria, al.deltas)
    ]
    pairs += [(a.criterion(i), None, None, None) for i in al.unmatched_a]
    pairs += [(None, b.criterion(i), None, None) for i in al.unmatched_b]
    rows = []
    for ca, cb, match, delta in pairs:
        main = cb or ca
        rows.append(
            HeatmapRow(
                main.question,
                main.theme,
                ca.theme if ca is not None and cb is not None and ca.theme != cb.theme else None,
                main.text,
                _judgement(ca, a, links),
                _judgement(cb, b, links),
                Change(delta.steps, delta.direction) if delta is not None else None,
                METHOD_FR.get(match.method, match.method) if match else None,
                match.score if match else None,
            )
        )
    return rows


@dataclass
class MemberRow:
    """A member count or growth, once, with every place stating it."""

    status: str
    cluster: str
    cycle: str
    year: int | None
    measure: str
    value: str
    status_fr: str
    sources: Sources


def _members(comparison: Comparison, links: _Links) -> list[MemberRow]:
    rows = []
    for fact in timeline_facts(comparison.timeline):
        row = fact.row
        growth = row["measure"] == "member_growth"
        measure = (
            "évolution du nombre de membres"
            + (" (vs fin du cycle précédent)" if row.get("baseline") == "previous-cycle" else "")
            if growth
            else row.get("detail") or "membres"
        )
        rows.append(
            MemberRow(
                row["status"],
                row["cluster"],
                row["cycle"],
                whole_number(row.get("year")),
                measure,
                f"{row['value']:+g} %" if growth else f"{row['value']:g}",
                STATUS_FR.get(row["status"], row["status"]),
                _sources(fact, links),
            )
        )
    return rows


@dataclass
class ProvinceRow:
    cluster: str
    cycle: str
    province: str
    members: int | None
    sources: Sources


@dataclass
class TypeRow:
    cluster: str
    cycle: str
    type: str
    province: str
    organisations: int | None


@dataclass
class Figure:
    """A stated indicator value, with its year, quotes and pages."""

    value: str
    year: int | None
    quotes: list[str]
    pages: list[Link]


@dataclass
class IndicatorRow:
    """One measure and status, A's figures beside B's."""

    measure: str
    status: str
    a: list[Figure]
    b: list[Figure]


@dataclass
class OtherIndicator:
    """A figure of neither compared evaluation (another cycle of the cluster held by the graph)."""

    cluster: str
    cycle: str
    measure: str
    status: str
    figure: Figure


def _indicators(comparison: Comparison, links: _Links) -> tuple[list[IndicatorRow], list[OtherIndicator]]:
    a, b = comparison.a, comparison.b
    side_of = {(a.cluster, a.cycle): "a", (b.cluster, b.cycle): "b"}
    files = {"a": a.file, "b": b.file}
    lines: dict[tuple[str, str], IndicatorRow] = {}
    others = []
    for fact in indicator_facts(comparison.indicators):
        row = fact.row
        side = side_of.get((row["cluster"], row["cycle"]))
        unit = {"percent": " %", "EUR": " €"}.get(row["unit"], "")
        pages = [links.link(files.get(side or "", file), page, f"p. {page}") for file, page in fact.sources if page]
        figure = Figure(f"{row['value']:g}{unit}", whole_number(row.get("year")), list(fact.quotes), pages)
        measure, status = row.get("detail") or row["measure"], STATUS_FR.get(row["status"], row["status"])
        if side is None:
            others.append(OtherIndicator(row["cluster"], row["cycle"], measure, status, figure))
        else:
            getattr(lines.setdefault((measure, status), IndicatorRow(measure, status, [], [])), side).append(figure)
    return list(lines.values()), others


@dataclass
class ConstatRef:
    """A constat, linked to its page."""

    number: int
    link: Link
    text: str
    evidence: Link | None = None
    """"voir la page" on ``miner serve`` (with an endpoint)."""


@dataclass
class ConstatPair:
    status: str
    """``resolved`` or ``recurring``."""
    status_fr: str
    a: ConstatRef
    b: ConstatRef
    score: float


@dataclass
class Unaligned:
    """The criteria of one side that match none of the other's."""

    side: str
    file: str
    criteria: list[CriterionItem]


@dataclass
class QuestionPair:
    a: int
    a_text: str
    b: int
    b_text: str
    method: str
    score: float


@dataclass
class ReportPage:
    """Everything the report shows, as text and numbers; the templates only lay it out."""

    title: str
    a: Column
    b: Column
    earlier: str
    """How the heat-map names A beside a renamed criterion: its cycle, or its cluster."""
    nothing_alignable: bool
    swapped: bool
    counts: dict[str, int]
    legend: list[tuple[str, str]]
    heatmap: list[HeatmapRow]
    chart: MembersChart | None
    """Member counts by year (None: the graph states none for these clusters)."""
    members: list[MemberRow]
    provinces: list[ProvinceRow]
    types: list[TypeRow]
    indicators: list[IndicatorRow]
    other_indicators: list[OtherIndicator]
    constats: list[ConstatPair]
    new: list[ConstatRef]
    dropped: list[ConstatRef]
    unaligned: list[Unaligned]
    questions: list[QuestionPair]
    links_note: str = ""
    """Where the page links lead: the PDF files, or the evidence pages of an endpoint."""
    contracts: list[ContractRow] = field(default_factory=list)
    """The objective contracts' indicators, achieved against target in each cycle (:mod:`miner.compare.contracts`)."""


def title_of(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    if comparison.same_cluster:
        return f"{a.cluster} : {a.cycle} → {b.cycle}"
    return f"{a.cluster} / {b.cluster} — {a.cycle}" + ("" if a.cycle == b.cycle else f" / {b.cycle}")


def report_page(comparison: Comparison, base: Path | None = None, endpoint: str | None = None) -> ReportPage:
    """What the report shows, with links relative to ``base`` (the report's folder); with ``endpoint``
    (a ``miner serve``) each judgement and constat also links to its evidence page there."""
    check_endpoint(endpoint)
    links = _Links(comparison, base or Path.cwd(), endpoint)
    a, b, al = comparison.a, comparison.b, comparison.alignment
    names = {v.cluster_key: v.cluster for v in (a, b)}

    def constat(view: EvaluationView, number: int) -> ConstatRef:
        item = view.constat(number)
        return ConstatRef(
            number, links.link(view.file, item.page, f"Constat {number}"), item.text, links.evidence(item.iri)
        )

    indicators, other_indicators = _indicators(comparison, links)
    qa, qb = {q.number: q.text for q in a.questions}, {q.number: q.text for q in b.questions}
    return ReportPage(
        title=title_of(comparison),
        a=_column(a, "a", comparison, links),
        b=_column(b, "b", comparison, links),
        earlier=a.cycle if comparison.same_cluster else a.cluster,
        nothing_alignable=al.nothing_alignable,
        swapped=comparison.swapped,
        counts=al.counts() | comparison.changed_counts(),
        legend=[(JUDGEMENT_COLOURS[level.rank], level.value) for level in Judgement],
        heatmap=_heatmap(comparison, links),
        chart=members_chart(comparison, links.href),
        members=_members(comparison, links),
        provinces=[
            ProvinceRow(
                names.get(f.row["clusterKey"], f.row["clusterKey"]),
                f.row["cycle"],
                f.row["province"],
                whole_number(f.row["members"]),
                _sources(f, links),
            )
            for f in province_facts(comparison.provinces)
        ],
        types=[
            TypeRow(
                f.row["cluster"],
                f.row["cycle"],
                f.row["type"],
                f.row.get("province") or "",
                whole_number(f.row["organisations"]),
            )
            for f in type_facts(comparison.types)
        ],
        indicators=indicators,
        other_indicators=other_indicators,
        constats=[
            ConstatPair(status, status_fr, constat(a, m.a), constat(b, m.b), m.score)
            for status, status_fr, matches in (
                ("resolved", "résolu", al.resolved),
                ("recurring", "récurrent", al.recurring),
            )
            for m in matches
        ],
        new=[constat(b, n) for n in al.new],
        dropped=[constat(a, n) for n in al.dropped],
        unaligned=[
            Unaligned(side, view.file, [view.criterion(i) for i in ids])
            for side, ids, view in (("A", al.unmatched_a, a), ("B", al.unmatched_b, b))
        ],
        questions=[QuestionPair(m.a, qa[m.a], m.b, qb[m.b], m.method, m.score) for m in al.questions],
        links_note=links_note(endpoint),
        contracts=contract_rows(comparison, links.link),
    )
