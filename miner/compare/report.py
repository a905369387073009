"""The comparison report: one self-contained offline HTML page (inline CSS and SVG, no script, no
remote resource) or Markdown.

Sections: the two evaluations (cycle, period, document, flags), a summary, the judgement heat-map
(criterion × evaluation, with the change and how the criteria were matched), members over time
(an SVG chart and the figures with their source), members by province and by type when the graph
has them, stated indicators, recurring / resolved / dropped / new constats, and what did not align.
Every figure links to its document and page (``file.pdf#page=N``, relative to the report).

The heat-map cells carry ``data-judgement`` and ``data-rank`` so a browser test reads the values.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from miner.compare.tables import Fact, indicator_facts, nice_ticks, province_facts, timeline_facts, type_facts
from miner.data.render import markdown_href, markdown_text

if TYPE_CHECKING:  # the comparison module renders through this one: types only, no import cycle
    from miner.compare.comparison import Comparison, EvaluationView

__all__ = ["render_html", "render_markdown", "JUDGEMENT_COLOURS"]

JUDGEMENT_COLOURS = {0: "#d7301f", 1: "#fc8d59", 2: "#91cf60", 3: "#1a9850"}
"""Non atteint → Atteint, a diverging red–green scale that stays readable in grey print."""

DIRECTION_FR = {"improved": "amélioré", "same": "inchangé", "declined": "en recul", "unknown": "?"}
METHOD_FR = {"theme": "thème identique", "semantic": "similarité sémantique"}

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.2rem;margin-top:2em;border-bottom:2px solid #dde1e7;padding-bottom:.2em}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:10px 14px;border-radius:6px;margin:10px 0}
.banner.empty{background:#fde2e1;border-color:#e39a96}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{background:#fff;border-radius:8px;padding:10px 16px;box-shadow:0 1px 2px #0002;min-width:110px}
.card b{display:block;font-size:1.6rem}
table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0;font-size:.92rem}
th,td{border:1px solid #dde1e7;padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:#eef1f5}
td.cell{text-align:center;font-weight:600;color:#fff;width:120px}
td.cell a{color:inherit;text-decoration:none}td.cell.none{background:#f0f0f0;color:#888;font-weight:400}
td.delta{text-align:center;white-space:nowrap}.up{color:#1a7f37}.down{color:#b42318}.same{color:#667}
.muted{color:#667;font-size:.85rem}.legend span{display:inline-block;padding:2px 8px;margin-right:4px;color:#fff;border-radius:3px}
svg text{font-size:11px;fill:#334}
a{color:#1f5fbf}
"""


CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")
"""The report has no script at all: none may run, nothing is fetched; only its inline style applies."""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


class _Links:
    """Hrefs to documents and pages, relative to the report's folder when the file is known."""

    def __init__(self, comparison: Comparison, base: Path):
        self.paths: dict[str, str] = {}
        for view in (comparison.a, comparison.b):
            if view.path:
                try:
                    self.paths[view.file] = os.path.relpath(Path(view.path).resolve(), base)
                except ValueError:
                    self.paths[view.file] = Path(view.path).resolve().as_uri()

    def href(self, file: str | None, page: Any) -> str:
        target = self.paths.get(file or "", file or "")
        if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", target) and not target.startswith("file:"):
            target = "./" + target  # a file named "javascript:..." stays a relative path
        page = _int(page)
        return f"{target}#page={page}" if page else target

    def a(self, file: str | None, page: Any, text: str | None = None) -> str:
        page = _int(page)
        label = text if text is not None else (f"{file}, p. {page}" if page else str(file))
        return f'<a href="{_e(self.href(file, page))}">{_e(label)}</a>'


def column_label(view: EvaluationView, comparison: Comparison) -> str:
    """A heat-map column: the cycle when one cluster is compared with itself, else the cluster."""
    year = f" ({view.date.year})" if view.date else ""
    return f"{view.cycle}{year}" if comparison.same_cluster else f"{view.cluster} — {view.cycle}"


def title_of(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    if comparison.same_cluster:
        return f"{a.cluster} : {a.cycle} → {b.cycle}"
    return f"{a.cluster} / {b.cluster} — {a.cycle}" + ("" if a.cycle == b.cycle else f" / {b.cycle}")


def heatmap_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per criterion: matched pairs in B's order, then A-only, then B-only."""
    al, a, b = comparison.alignment, comparison.a, comparison.b
    rows: list[dict[str, Any]] = []
    for match, delta in zip(al.criteria, al.deltas):
        ca, cb = a.criterion(match.a), b.criterion(match.b)
        rows.append({"a": ca, "b": cb, "match": match, "delta": delta})
    rows += [{"a": a.criterion(i), "b": None, "match": None, "delta": None} for i in al.unmatched_a]
    rows += [{"a": None, "b": b.criterion(i), "match": None, "delta": None} for i in al.unmatched_b]
    return rows


def _cell(criterion: Any, side: str, view: EvaluationView, links: _Links) -> str:
    if criterion is None:
        return f'<td class="cell none" data-side="{side}" data-judgement="" data-rank="">—</td>'
    if criterion.judgement is None:
        return f'<td class="cell none" data-side="{side}" data-id="{_e(criterion.id)}" data-judgement="" data-rank="">?</td>'
    colour = JUDGEMENT_COLOURS.get(criterion.rank, "#999")
    return (f'<td class="cell" style="background:{colour}" data-side="{side}" data-id="{_e(criterion.id)}" '
            f'data-judgement="{_e(criterion.judgement)}" data-rank="{criterion.rank}" '
            f'title="{_e(view.file)}, p. {criterion.page}">{links.a(view.file, criterion.page, criterion.judgement)}</td>')


def _delta(delta: Any) -> str:
    if delta is None:
        return '<td class="delta muted">—</td>'
    steps = delta.steps
    if steps is None:
        return '<td class="delta muted">?</td>'
    css, arrow = ("up", "▲") if steps > 0 else ("down", "▼") if steps < 0 else ("same", "=")
    text = f"{arrow} {steps:+d}" if steps else "="
    return (f'<td class="delta {css}" data-direction="{delta.direction}" data-steps="{steps}">{text} '
            f'<span class="muted">{DIRECTION_FR[delta.direction]}</span></td>')


def _timeline_points(comparison: Comparison) -> list[dict[str, Any]]:
    """Member counts to plot: (cluster, x year, value, derived, file, page, label)."""
    views = {v.file: v for v in (comparison.a, comparison.b)}
    points = []
    for fact in timeline_facts(comparison.timeline):
        row = fact.row
        if row["measure"] != "members":
            continue
        year = _int(row.get("year"))
        if year is None and row["status"] == "derived":
            view = views.get(row["file"])
            if view is not None:
                year = (view.start.year if view.start else (view.date.year - 3 if view.date else None))
        if year is None:
            continue
        points.append({"cluster": row["cluster"], "key": row["clusterKey"], "year": year, "value": float(row["value"]),
                       "derived": row["status"] == "derived", "file": row["file"], "page": row.get("page"),
                       "cycle": row["cycle"], "detail": row.get("detail"),
                       "confirmed": row["status"] != "derived" and bool(fact.confirmed_by)})
    unique: dict[tuple, dict[str, Any]] = {}
    for p in points:
        unique.setdefault((p["key"], p["year"], p["value"], p["derived"], p["file"]), p)
    return sorted(unique.values(), key=lambda p: (p["key"], p["year"], not p["derived"]))  # estimates under statements


SERIES_COLOURS = ("#1f5fbf", "#c2410c", "#6d28d9", "#0f766e")


def members_svg(comparison: Comparison, links: _Links) -> str:
    """An inline SVG line chart of member counts by year, one line per cluster; derived points hollow."""
    points = _timeline_points(comparison)
    if not points:
        return '<p class="muted">Aucun nombre de membres énoncé dans le graphe pour ces clusters.</p>'
    width, height, left, right, top, bottom = 720, 280, 56, 20, 20, 40
    years = [p["year"] for p in points]
    y0, y1 = min(years) - 1, max(years) + 1
    ticks = nice_ticks(max(p["value"] for p in points) * 1.08)  # a little headroom for the point labels
    vmax = ticks[-1]
    x = lambda year: left + (year - y0) / (y1 - y0) * (width - left - right)  # noqa: E731
    y = lambda value: top + (1 - value / vmax) * (height - top - bottom)  # noqa: E731
    parts = [f'<svg id="members-chart" role="img" aria-label="Nombre de membres par année" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg">']
    for value in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e3e6eb"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>')
    for year in range(y0 + 1, y1):
        if year % 2 == 0 or y1 - y0 < 10:
            parts.append(f'<text x="{x(year):.1f}" y="{height - bottom + 16}" text-anchor="middle">{year}</text>')
    keys = list(dict.fromkeys(p["key"] for p in points))
    for index, key in enumerate(keys):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        series = [p for p in points if p["key"] == key]
        line = [p for p in series if not p["derived"]] or series
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(p['year']):.1f},{y(p['value']):.1f}" for i, p in enumerate(line))
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in series:
            fill = "#fff" if p["derived"] else colour
            label = (f"{p['cluster']} {p['year']} : {p['value']:.0f} ({'estimé' if p['derived'] else p['detail'] or 'membres'}) — "
                     f"{p['file']}" + (f", p. {_int(p['page'])}" if _int(p["page"]) else "")
                     + (" ; confirmé par le calcul" if p["confirmed"] else ""))
            parts.append(f'<a href="{_e(links.href(p["file"], p["page"]))}"><circle class="point" cx="{x(p["year"]):.1f}" '
                         f'cy="{y(p["value"]):.1f}" r="{8 if p["derived"] else 5}" fill="{fill}" stroke="{colour}" stroke-width="2" '
                         f'data-year="{p["year"]}" data-value="{p["value"]:.0f}" data-derived="{str(p["derived"]).lower()}" '
                         f'data-confirmed="{str(p["confirmed"]).lower()}">'
                         f'<title>{_e(label)}</title></circle></a>')
            parts.append(f'<text x="{x(p["year"]) + 7:.1f}" y="{y(p["value"]) - 7:.1f}">{p["value"]:.0f}</text>')
        parts.append(f'<text x="{left + 8 + index * 260}" y="{top - 4}" style="fill:{colour}">● {_e(series[0]["cluster"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fr_status(row: dict[str, Any]) -> str:
    return {"actual": "constaté", "target": "objectif", "change": "évolution", "derived": "estimé (calculé)"}.get(
        row["status"], row["status"])


def _sources(fact: Fact, links: _Links) -> str:
    """Every place stating a fact, and the documents from which miner computed the same value."""
    parts = [links.a(file, page) for file, page in fact.sources]
    if fact.confirmed_by:
        label = "confirmé par le calcul depuis " if fact.sources else "calculé depuis "
        parts.append(label + ", ".join(links.a(f, None, f) for f in fact.confirmed_by))
    return "<br>".join(parts) or "—"


def _evaluations_table(comparison: Comparison, links: _Links) -> str:
    """A and B side by side, one line per property."""
    a, b = comparison.a, comparison.b

    def period(view: EvaluationView) -> str:
        return f"{view.start} → {view.end}" if view.start and view.end else "—"

    def source(view: EvaluationView) -> str:
        return _e({"text": "dans le texte", "pipeline": "donné", "date": "année seulement"}.get(view.source or "", view.source or "—"))

    def document(view: EvaluationView) -> str:
        return links.a(view.file, None, view.file) + (" <b>(fictif)</b>" if view.fictitious else "")

    lines = [("Cluster", lambda v: _e(v.cluster)), ("Cycle", lambda v: _e(v.cycle)), ("Période analysée", lambda v: _e(period(v))),
             ("Date du rapport", lambda v: _e(v.date or "—")), ("Document", document), ("Cycle lu", source)]
    out = ['<h2>Évaluations comparées</h2><table id="evaluations"><thead><tr><th></th><th data-col="a">A</th>'
           '<th data-col="b">B</th></tr></thead><tbody>']
    for label, cell in lines:
        out.append(f"<tr><th>{label}</th><td>{cell(a)}</td><td>{cell(b)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _indicators_table(comparison: Comparison, links: _Links) -> str:
    """One line per measure and status, A's figures beside B's (each with its year, page and quote)."""
    a, b = comparison.a, comparison.b
    side_of = {(a.cluster, a.cycle): "a", (b.cluster, b.cycle): "b"}
    files = {"a": a.file, "b": b.file}
    lines: dict[tuple, dict[str, list[str]]] = {}
    others: list[str] = []
    for fact in indicator_facts(comparison.indicators):
        row = fact.row
        unit = {"percent": " %", "EUR": " €"}.get(row["unit"], "")
        year = _int(row.get("year"))
        quotes = " ".join(f"« {_e(q)} »" for q in fact.quotes)
        pages = ", ".join(links.a(files.get(side_of.get((row["cluster"], row["cycle"]), ""), file), page,
                                  f"p. {page}") for file, page in fact.sources if page)
        cell = (f'<b>{row["value"]:g}{unit}</b>' + (f" ({year})" if year else "")
                + (f' <span class="muted">{quotes} {pages}</span>' if quotes or pages else ""))
        side = side_of.get((row["cluster"], row["cycle"]))
        if side is None:
            others.append(f"{_e(row['cluster'])}, {_e(row['cycle'])} : {_e(row.get('detail') or row['measure'])} "
                          f"{_e(_fr_status(row))} {cell}")
            continue
        key = (row.get("detail") or row["measure"], _fr_status(row))
        lines.setdefault(key, {"a": [], "b": []})[side].append(cell)
    out = [f'<table id="indicators"><thead><tr><th>Mesure</th><th>Statut</th><th data-col="a">A — {_e(a.cycle)}</th>'
           f'<th data-col="b">B — {_e(b.cycle)}</th></tr></thead><tbody>']
    for (measure, status), cells in lines.items():
        out.append(f"<tr><td>{_e(measure)}</td><td>{_e(status)}</td><td>{'<br>'.join(cells['a']) or '—'}</td>"
                   f"<td>{'<br>'.join(cells['b']) or '—'}</td></tr>")
    out.append("</tbody></table>")
    if others:
        out.append('<ul class="muted">' + "".join(f"<li>{o}</li>" for o in others) + "</ul>")
    return "".join(out)


def render_html(comparison: Comparison, base: Path | None = None) -> str:
    """The whole report as one HTML page."""
    base = base or Path.cwd()
    links = _Links(comparison, base)
    a, b, al = comparison.a, comparison.b, comparison.alignment
    counts = al.counts()
    out: list[str] = [
        "<!doctype html>", '<html lang="fr"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title_of(comparison))}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title_of(comparison))}</h1>",
        '<p class="muted">Comparaison produite par miner à partir du graphe ; chaque chiffre renvoie à son document et à sa page.</p>',
    ]
    for view, side in ((a, "A"), (b, "B")):
        if view.fictitious:
            out.append(f'<div class="banner fictitious" data-side="{side.lower()}"><b>Document fictif</b> — '
                       f'{_e(view.file)} indique en première page qu\'il n\'est pas réel : ses faits et jugements sont inventés.</div>')
    if al.nothing_alignable:
        out.append('<div class="banner empty" id="nothing-alignable"><b>Rien d\'alignable</b> — aucun critère de l\'une '
                   "des évaluations ne correspond à un critère de l'autre : elles ne suivent pas le même référentiel, "
                   "leurs jugements ne peuvent pas être comparés.</div>")
    if comparison.swapped:
        out.append('<div class="banner swapped">Les deux évaluations ont été données de la plus récente à la plus '
                   "ancienne : A est ici le cycle antérieur.</div>")
    for view, side in ((a, "A"), (b, "B")):
        for conflict in view.conflicts_fr or view.conflicts:
            out.append(f'<div class="banner conflict" data-side="{side.lower()}"><b>Conflit sur le cycle de {side}</b> — '
                       f"{_e(conflict)}</div>")

    out.append(_evaluations_table(comparison, links))

    out.append('<div class="cards" id="summary">')
    for key, label in (("matched", "critères appariés"), ("improved", "améliorés"), ("same", "inchangés"),
                       ("declined", "en recul"), ("only_a", "seulement en A"), ("only_b", "seulement en B"),
                       ("recurring", "constats récurrents"), ("resolved", "constats résolus"), ("new", "nouveaux constats")):
        out.append(f'<div class="card" data-key="{key}"><b>{counts[key]}</b>{label}</div>')
    out.append("</div>")

    out.append("<h2>Jugements par critère</h2>")
    out.append('<p class="legend">' + "".join(
        f'<span style="background:{JUDGEMENT_COLOURS[r]}">{j}</span>'
        for r, j in enumerate(("Non atteint", "Partiel", "Satisfaisant", "Atteint"))) + "</p>")
    out.append(f'<table id="heatmap"><thead><tr><th>Q.</th><th>Critère</th><th data-col="a">{_e(column_label(a, comparison))}</th>'
               f'<th data-col="b">{_e(column_label(b, comparison))}</th><th>Évolution</th><th>Appariement</th></tr></thead><tbody>')
    for row in heatmap_rows(comparison):
        ca, cb, match = row["a"], row["b"], row["match"]
        main = cb or ca
        name = _e(main.theme)
        if ca is not None and cb is not None and ca.theme != cb.theme:
            name = f"{_e(cb.theme)}<br><span class=\"muted\">{_e(a.cycle if comparison.same_cluster else a.cluster)} : {_e(ca.theme)}</span>"
        how = (f'{METHOD_FR.get(match.method, match.method)} <span class="muted">{match.score:.2f}</span>' if match
               else '<span class="muted">seulement en ' + ("A" if cb is None else "B") + "</span>")
        out.append(f'<tr data-a="{_e(ca.id if ca else "")}" data-b="{_e(cb.id if cb else "")}"><td>{main.question}</td>'
                   f'<th title="{_e(main.text)}">{name}</th>{_cell(ca, "a", a, links)}{_cell(cb, "b", b, links)}'
                   f'{_delta(row["delta"])}<td>{how}</td></tr>')
    out.append("</tbody></table>")

    out.append("<h2>Membres dans le temps</h2>")
    out.append(members_svg(comparison, links))
    out.append('<p class="muted">Points pleins : nombres énoncés ; points creux : estimations calculées par miner '
               "(nombre énoncé ÷ (1 + évolution énoncée par rapport au cycle précédent)).</p>")
    if comparison.timeline:
        out.append('<table id="members"><thead><tr><th>Cluster</th><th>Cycle</th><th>Année</th><th>Mesure</th><th>Valeur</th>'
                   "<th>Statut</th><th>Sources</th></tr></thead><tbody>")
        for fact in timeline_facts(comparison.timeline):
            row = fact.row
            unit = " %" if row["measure"] == "member_growth" else ""
            value = f"{row['value']:+g}{unit}" if row["measure"] == "member_growth" else f"{row['value']:g}"
            measure = ("évolution du nombre de membres" + (" (vs fin du cycle précédent)" if row.get("baseline") == "previous-cycle" else "")
                       if row["measure"] == "member_growth" else row.get("detail") or "membres")
            out.append(f'<tr data-status="{_e(row["status"])}"><td>{_e(row["cluster"])}</td><td>{_e(row["cycle"])}</td>'
                       f'<td>{_e(_int(row.get("year")) or "")}</td><td>{_e(measure)}</td><td>{_e(value)}</td>'
                       f"<td>{_e(_fr_status(row))}</td><td>{_sources(fact, links)}</td></tr>")
        out.append("</tbody></table>")
    out.append("<h3>Membres par province</h3>")
    if comparison.provinces:
        out.append('<table id="provinces"><thead><tr><th>Cluster</th><th>Cycle</th><th>Province</th><th>Membres</th><th>Source</th></tr></thead><tbody>')
        names = {v.cluster_key: v.cluster for v in (a, b)}
        for fact in province_facts(comparison.provinces):
            row = fact.row
            out.append(f"<tr><td>{_e(names.get(row['clusterKey'], row['clusterKey']))}</td><td>{_e(row['cycle'])}</td>"
                       f"<td>{_e(row['province'])}</td><td>{_e(_int(row['members']))}</td><td>{_sources(fact, links)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">Le graphe ne contient pas de nombre de membres par province pour ces clusters '
                   "(listes de membres non chargées).</p>")
    if comparison.types:
        out.append("<h3>Membres par type</h3><table id=\"types\"><thead><tr><th>Cluster</th><th>Cycle</th><th>Type</th>"
                   "<th>Province</th><th>Organisations</th></tr></thead><tbody>")
        for fact in type_facts(comparison.types):
            row = fact.row
            out.append(f"<tr><td>{_e(row['cluster'])}</td><td>{_e(row['cycle'])}</td><td>{_e(row['type'])}</td>"
                       f"<td>{_e(row.get('province') or '')}</td><td>{_e(_int(row['organisations']))}</td></tr>")
        out.append("</tbody></table>")

    out.append("<h2>Indicateurs énoncés</h2>")
    if comparison.indicators:
        out.append(_indicators_table(comparison, links))
    else:
        out.append('<p class="muted">Aucun indicateur chiffré énoncé.</p>')

    out.append("<h2>Constats d'un cycle à l'autre</h2>")
    if al.recurring or al.resolved:
        out.append('<table id="constats"><thead><tr><th>Statut</th><th>A</th><th>B</th><th>Score</th></tr></thead><tbody>')
        for status, matches in (("résolu", al.resolved), ("récurrent", al.recurring)):
            for m in matches:
                ka, kb = a.constat(m.a), b.constat(m.b)
                out.append(f'<tr data-status="{"resolved" if status == "résolu" else "recurring"}" data-a="{m.a}" data-b="{m.b}">'
                           f"<td>{status}</td><td>{links.a(a.file, ka.page, f'Constat {m.a}')} : {_e(ka.text)}</td>"
                           f"<td>{links.a(b.file, kb.page, f'Constat {m.b}')} : {_e(kb.text)}</td><td>{m.score:.2f}</td></tr>")
        out.append("</tbody></table>")
    for title, numbers, view, key in (("Nouveaux constats (seulement en B)", al.new, b, "new"),
                                      ("Constats sans suite (seulement en A)", al.dropped, a, "dropped")):
        out.append(f"<h3>{title}</h3>")
        if numbers:
            out.append(f'<ul id="constats-{key}">' + "".join(
                f'<li data-n="{n}">{links.a(view.file, view.constat(n).page, f"Constat {n}")} : {_e(view.constat(n).text)}</li>'
                for n in numbers) + "</ul>")
        else:
            out.append('<p class="muted">Aucun.</p>')

    out.append("<h2>Ce qui ne s'aligne pas</h2>")
    for side, ids, view in (("A", al.unmatched_a, a), ("B", al.unmatched_b, b)):
        items = "".join(f"<li>{_e(i)} {_e(view.criterion(i).theme)} — {_e(view.criterion(i).text)}</li>" for i in ids)
        out.append(f"<p>Critères seulement en {side} ({_e(view.file)}) : {len(ids)}</p>" + (f"<ul>{items}</ul>" if items else ""))
    if al.questions:
        out.append('<table id="questions"><thead><tr><th>Question A</th><th>Question B</th><th>Appariement</th></tr></thead><tbody>')
        qa = {q.number: q.text for q in a.questions}
        qb = {q.number: q.text for q in b.questions}
        for m in al.questions:
            out.append(f"<tr><td>{m.a}. {_e(qa[m.a])}</td><td>{m.b}. {_e(qb[m.b])}</td><td>{_e(m.method)} {m.score:.2f}</td></tr>")
        out.append("</tbody></table>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def render_markdown(comparison: Comparison, base: Path | None = None) -> str:
    """The same content as Markdown tables (no chart; the member figures are listed).

    Every value from the graph goes through :func:`miner.data.render.markdown_text` (HTML escaped,
    the punctuation that opens Markdown escaped, one line) and every link target through
    ``markdown_href``: Markdown renderers pass raw HTML through, so a label could otherwise carry a
    script or a link.
    """
    m = markdown_text

    base = base or Path.cwd()
    links = _Links(comparison, base)
    a, b, al = comparison.a, comparison.b, comparison.alignment

    def link(file: str | None, page: Any, text: str | None = None) -> str:
        page_ = _int(page)
        label = text or (f"{file}, p. {page_}" if page_ else str(file))
        return f"[{m(label)}]({markdown_href(links.href(file, page_))})"

    lines = [f"# {m(title_of(comparison))}", ""]
    for view in (a, b):
        if view.fictitious:
            lines.append(f"> **Document fictif** — {m(view.file)} indique en première page qu'il n'est pas réel.")
    if al.nothing_alignable:
        lines.append("> **Rien d'alignable** — aucun critère commun : les deux évaluations ne suivent pas le même référentiel.")
    if comparison.swapped:
        lines.append("> Les deux évaluations ont été données de la plus récente à la plus ancienne : A est ici le cycle antérieur.")
    period = {v.file: f"{v.start} → {v.end}" if v.start else "—" for v in (a, b)}
    lines += ["", "| | A | B |", "|---|---|---|"]
    for label, value in (("Cluster", lambda v: m(v.cluster)), ("Cycle", lambda v: m(v.cycle)),
                         ("Période", lambda v: m(period[v.file])), ("Date", lambda v: m(v.date or "—")),
                         ("Document", lambda v: link(v.file, None, v.file))):
        lines.append(f"| {label} | {value(a)} | {value(b)} |")
    for view, side in ((a, "A"), (b, "B")):
        lines += [f"- conflit sur le cycle de {side} : {m(c)}" for c in view.conflicts_fr or view.conflicts]
    counts = al.counts()
    lines += ["", f"{counts['matched']} critères appariés ({counts['by_theme']} par thème, {counts['by_similarity']} par similarité) : "
              f"{counts['improved']} améliorés, {counts['same']} inchangés, {counts['declined']} en recul ; "
              f"{counts['only_a']} seulement en A, {counts['only_b']} seulement en B.", "",
              "## Jugements par critère", "",
              f"| Q. | Critère | {m(column_label(a, comparison))} | {m(column_label(b, comparison))} "
              "| Évolution | Appariement |",
              "|---|---|---|---|---|---|"]
    for row in heatmap_rows(comparison):
        ca, cb, match, delta = row["a"], row["b"], row["match"], row["delta"]
        main = cb or ca
        name = main.theme if not (ca and cb and ca.theme != cb.theme) else f"{cb.theme} (A : {ca.theme})"
        ja = link(a.file, ca.page, ca.judgement or "?") if ca else "—"
        jb = link(b.file, cb.page, cb.judgement or "?") if cb else "—"
        step = "—" if delta is None or delta.steps is None else (f"{delta.steps:+d} {DIRECTION_FR[delta.direction]}" if delta.steps else "=")
        how = f"{METHOD_FR.get(match.method, match.method)} {match.score:.2f}" if match else "non apparié"
        lines.append(f"| {m(main.question)} | {m(name)} | {ja} | {jb} | {m(step)} | {m(how)} |")
    lines += ["", "## Membres dans le temps", "", "| Cluster | Cycle | Année | Mesure | Valeur | Statut | Source |", "|---|---|---|---|---|---|---|"]
    for fact in timeline_facts(comparison.timeline):
        row = fact.row
        value = f"{row['value']:+g} %" if row["measure"] == "member_growth" else f"{row['value']:g}"
        source = "<br>".join([link(f, pg) for f, pg in fact.sources]
                             + ([("confirmé par le calcul depuis " if fact.sources else "calculé depuis ")
                                 + m(", ".join(fact.confirmed_by))]
                                if fact.confirmed_by else []))
        lines.append(f"| {m(row['cluster'])} | {m(row['cycle'])} | {_int(row.get('year')) or ''} "
                     f"| {m(row.get('detail') or row['measure'])} | {m(value)} | {m(_fr_status(row))} | {source} |")
    if comparison.provinces:
        lines += ["", "### Membres par province", "", "| Cluster | Cycle | Province | Membres |", "|---|---|---|---|"]
        names = {v.cluster_key: v.cluster for v in (a, b)}
        lines += [f"| {m(names.get(f.row['clusterKey'], f.row['clusterKey']))} | {m(f.row['cycle'])} "
                  f"| {m(f.row['province'])} | {_int(f.row['members'])} |" for f in province_facts(comparison.provinces)]
    if comparison.indicators:
        lines += ["", "## Indicateurs énoncés", "", "| Cluster | Cycle | Mesure | Statut | Valeur | Page |", "|---|---|---|---|---|---|"]
        lines += [f"| {m(f.row['cluster'])} | {m(f.row['cycle'])} | {m(f.row.get('detail') or f.row['measure'])} "
                  f"| {m(_fr_status(f.row))} "
                  f"| {f.row['value']:g} | {', '.join(str(pg) for _, pg in f.sources if pg)} |"
                  for f in indicator_facts(comparison.indicators)]
    lines += ["", "## Constats", "", "| Statut | A | B | Score |", "|---|---|---|---|"]
    for status, matches in (("résolu", al.resolved), ("récurrent", al.recurring)):
        lines += [f"| {status} | {m.a} | {m.b} | {m.score:.2f} |" for m in matches]
    lines += ["", f"Nouveaux (B) : {', '.join(map(str, al.new)) or 'aucun'}. Sans suite (A) : {', '.join(map(str, al.dropped)) or 'aucun'}."]
    return "\n".join(lines) + "\n"
