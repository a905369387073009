"""The comparison report: one self-contained offline HTML page (inline CSS and SVG, no script, no
remote resource) or Markdown, both laid out from :func:`miner.compare.page.report_page`.

The page is the Jinja2 template ``compare.html`` on miner's base page; its tables, heat-map cells,
members chart (SVG) and source links are macros of ``compare-macros.html``. Templates rather
than strings built here: autoescape makes every label from a document text wherever it lands (a
cell, an attribute, the chart), with no escaping call to forget, and the layout reads as the page
it is. The heat-map cells carry ``data-judgement`` and ``data-rank`` so a browser test reads the
values.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from miner.compare.page import Figure, Link, Sources, report_page, title_of
from miner.data.render import ASSETS, markdown_href, markdown_text, render_template, trusted

if TYPE_CHECKING:  # the comparison module renders through this one: types only, no import cycle
    from miner.compare.comparison import Comparison

__all__ = ["CSP", "render_html", "render_markdown", "title_of"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
"""The report has no script at all: none may run, nothing is fetched; only its inline style applies."""


def render_html(comparison: Comparison, base: Path | None = None, endpoint: str | None = None) -> str:
    """The whole report as one HTML page: ``compare.html`` filled with :func:`report_page`."""
    style = (ASSETS / "compare.css").read_text(encoding="utf-8")
    return render_template("compare.html", csp=CSP, style=trusted(style), page=report_page(comparison, base, endpoint))


def render_markdown(comparison: Comparison, base: Path | None = None, endpoint: str | None = None) -> str:
    """The same content as Markdown tables (no chart; the member figures are listed).

    Every value from the graph goes through :func:`miner.data.render.markdown_text` (HTML escaped,
    the punctuation that opens Markdown escaped, one line) and every link target through
    ``markdown_href``: Markdown renderers pass raw HTML through, so a label could otherwise carry a
    script or a link.
    """
    m = markdown_text
    page = report_page(comparison, base, endpoint)
    a, b, counts = page.a, page.b, page.counts

    def link(item: Link) -> str:
        return f"[{m(item.text)}]({markdown_href(item.href)})"

    def fact(item: Link, evidence: Link | None) -> str:
        return link(item) + (f" ({link(evidence)})" if evidence else "")

    def sources(item: Sources) -> str:
        computed = [item.computed_label + m(", ".join(c.text for c in item.computed))] if item.computed else []
        return "<br>".join([link(s) for s in item.stated] + computed)

    def figures(items: list[Figure]) -> str:
        return (
            "<br>".join(
                m(f.value + (f" ({f.year})" if f.year else "")) + "".join(" " + link(p) for p in f.pages) for f in items
            )
            or "—"
        )

    lines = [f"# {m(page.title)}", "", m(page.links_note), ""]
    lines += [
        f"> **Document fictif** — {m(v.file)} indique en première page qu'il n'est pas réel."
        for v in (a, b)
        if v.fictitious
    ]
    if page.nothing_alignable:
        lines.append(
            "> **Rien d'alignable** — aucun critère commun : les deux évaluations ne suivent pas le même référentiel."
        )
    if page.swapped:
        lines.append(
            "> Les deux évaluations ont été données de la plus récente à la plus ancienne : A est ici le cycle antérieur."
        )
    lines += ["", "| | A | B |", "|---|---|---|"]
    for label, key in (("Cluster", "cluster"), ("Cycle", "cycle"), ("Période", "period"), ("Date", "date")):
        lines.append(f"| {label} | {m(getattr(a, key))} | {m(getattr(b, key))} |")
    lines.append(f"| Document | {link(a.document)} | {link(b.document)} |")
    lines += [f"- conflit sur le cycle de {v.side.upper()} : {m(c)}" for v in (a, b) for c in v.conflicts]
    lines += [
        "",
        (
            f"{counts['matched']} critères appariés ({counts['by_theme']} par thème, {counts['by_similarity']} par similarité) : "
            f"{counts['improved']} améliorés, {counts['same']} inchangés, {counts['declined']} en recul ; "
            f"{counts['only_a']} seulement en A, {counts['only_b']} seulement en B. "
            f"Jugements changés pour un même critère : {counts['changed']}."
        ),
        "",
        "## Jugements par critère",
        "",
        f"| Q. | Critère | {m(a.heading)} | {m(b.heading)} | Évolution | Appariement |",
        "|---|---|---|---|---|---|",
    ]
    for row in page.heatmap:
        name = row.theme + (f" (A : {row.earlier_theme})" if row.earlier_theme is not None else "")
        ja, jb = (fact(j.link, j.evidence) if j else "—" for j in (row.a, row.b))
        change = row.change
        step = (
            "—"
            if change is None or change.steps is None
            else (f"{change.steps:+d} {change.label}" if change.steps else "=")
        )
        how = f"{row.method} {row.score:.2f}" if row.method else "non apparié"
        lines.append(f"| {m(row.question)} | {m(name)} | {ja} | {jb} | {m(step)} | {m(how)} |")
    lines += [
        "",
        "## Membres dans le temps",
        "",
        "| Cluster | Cycle | Année | Mesure | Valeur | Statut | Source |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {m(r.cluster)} | {m(r.cycle)} | {r.year or ''} | {m(r.measure)} | {m(r.value)} | {m(r.status_fr)} "
        f"| {sources(r.sources)} |"
        for r in page.members
    ]
    if page.provinces:
        lines += [
            "",
            "### Membres par province",
            "",
            "| Cluster | Cycle | Province | Membres | Source |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {m(r.cluster)} | {m(r.cycle)} | {m(r.province)} | {r.members} | {sources(r.sources)} |"
            for r in page.provinces
        ]
    if page.indicators or page.other_indicators:
        lines += [
            "",
            "## Indicateurs énoncés",
            "",
            f"| Mesure | Statut | A — {m(a.cycle)} | B — {m(b.cycle)} |",
            "|---|---|---|---|",
        ]
        lines += [f"| {m(r.measure)} | {m(r.status)} | {figures(r.a)} | {figures(r.b)} |" for r in page.indicators]
        lines += [
            f"- {m(o.cluster)}, {m(o.cycle)} : {m(o.measure)} {m(o.status)} {figures([o.figure])}"
            for o in page.other_indicators
        ]
    if page.contracts:
        lines += [
            "",
            "## Contrat d'objectifs : atteint et cible",
            "",
            f"| Indicateur | A — {m(a.cycle)} : cible | atteint | B — {m(b.cycle)} : cible | atteint | Évolution |",
            "|---|---|---|---|---|---|",
        ]
        for r in page.contracts:
            cells = []
            for values in (r.a, r.b):
                cells += (
                    ["—", "—"]
                    if values is None
                    else [
                        f"{m(r.shown(values.target))} {' '.join(link(p) for p in values.target_from)}",
                        f"{m(r.shown(values.achieved))} {' '.join(link(p) for p in values.achieved_from)}",
                    ]
                )
            change = "—" if r.change is None else f"{r.change:+g}"
            lines.append(f"| {m(r.indicator)} | {' | '.join(cells)} | {change} |")
    lines += ["", "## Constats", "", "| Statut | A | B | Score |", "|---|---|---|---|"]
    lines += [
        f"| {p.status_fr} | {fact(p.a.link, p.a.evidence)} | {fact(p.b.link, p.b.evidence)} | {p.score:.2f} |"
        for p in page.constats
    ]
    lines += [
        "",
        (
            f"Nouveaux (B) : {', '.join(str(c.number) for c in page.new) or 'aucun'}. "
            f"Sans suite (A) : {', '.join(str(c.number) for c in page.dropped) or 'aucun'}."
        ),
    ]
    return "\n".join(lines) + "\n"
