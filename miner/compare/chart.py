"""The members chart of the compare report as numbers: points, lines, ticks, in SVG viewBox units.

One line per cluster through its stated member counts; miner's estimates (a count computed back
from a stated growth) are hollow, larger points, so a statement drawn over an estimate of the same
value still shows. The SVG itself is a macro of the report's template (``compare-macros.html``).

>>> chart = members_chart_of([{"cluster": "C", "key": "c", "year": 2021, "value": 77.0, "derived": False,
...                            "file": "a.pdf", "page": 2, "detail": None, "confirmed": True}], lambda f, p: f"{f}#page={p}")
>>> [(p.year, p.value, p.href) for s in chart.series for p in s.points], [label for _, label in chart.ticks]
([(2021, '77', 'a.pdf#page=2')], ['0', '20', '40', '60', '80', '100'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from miner.compare.tables import nice_ticks, timeline_facts, whole_number

if TYPE_CHECKING:  # the comparison module renders through the report: types only, no import cycle
    from miner.compare.comparison import Comparison

__all__ = ["ChartPoint", "ChartSeries", "MembersChart", "members_chart", "members_chart_of"]

SERIES_COLOURS = ("#1f5fbf", "#c2410c", "#6d28d9", "#0f766e")
"""One colour per cluster, distinct from the judgement scale of the heat-map."""
HEADROOM = 1.08
"""The top tick covers the highest count plus 8 %: room for that point's label above it."""
CYCLE_YEARS = 3
"""A triennat: an estimate for the previous cycle without a stated start sits three years before its report."""
LEGEND_SPACING = 260
"""viewBox units between two clusters' names above the plot: a cluster's full name fits."""


@dataclass
class ChartPoint:
    """A member count on the chart, linked to the page that states it (or the report it was computed from)."""

    href: str
    x: float
    y: float
    radius: int
    fill: str
    year: int
    value: str
    derived: bool
    confirmed: bool
    """A statement that miner's own estimate from the later report agrees with."""
    title: str


@dataclass
class ChartSeries:
    name: str
    colour: str
    line: list[tuple[float, float]]
    """Through the stated counts (through the estimates when a cluster has no statement)."""
    legend_x: float
    points: list[ChartPoint]


VIEWBOX = (720, 280)
"""Width and height: wide and low, a handful of years whose counts read against the grid lines."""
MARGINS = (56, 20, 20, 40)
"""Left (tick labels up to five digits), right, top (the clusters' names), bottom (the years)."""


@dataclass
class MembersChart:
    """An SVG line chart of member counts by year, in viewBox units (the page scales it to its width)."""

    ticks: list[tuple[float, str]] = field(default_factory=list)
    """(y, label) of each horizontal grid line."""
    years: list[tuple[float, int]] = field(default_factory=list)
    """(x, year) of each labelled year."""
    series: list[ChartSeries] = field(default_factory=list)
    size: tuple[int, int] = VIEWBOX
    margins: tuple[int, int, int, int] = MARGINS

    @property
    def plot(self) -> tuple[int, int, int, int]:
        """The plot area's left, right, top and bottom edges."""
        left, right, top, bottom = self.margins
        return left, self.size[0] - right, top, self.size[1] - bottom


def timeline_points(comparison: Comparison) -> list[dict[str, Any]]:
    """Member counts to plot (cluster, key, year, value, derived, file, page, detail, confirmed), one per
    fact; an estimate without a year takes its cycle's start."""
    views = {v.file: v for v in (comparison.a, comparison.b)}
    points = []
    for fact in timeline_facts(comparison.timeline):
        row = fact.row
        if row["measure"] != "members":
            continue
        year = whole_number(row.get("year"))
        if year is None and row["status"] == "derived":
            view = views.get(row["file"])
            if view is not None:
                year = view.start.year if view.start else (view.date.year - CYCLE_YEARS if view.date else None)
        if year is None:
            continue
        points.append(
            {
                "cluster": row["cluster"],
                "key": row["clusterKey"],
                "year": year,
                "value": float(row["value"]),
                "derived": row["status"] == "derived",
                "file": row["file"],
                "page": row.get("page"),
                "detail": row.get("detail"),
                "confirmed": row["status"] != "derived" and bool(fact.confirmed_by),
            }
        )
    unique: dict[tuple, dict[str, Any]] = {}
    for p in points:
        unique.setdefault((p["key"], p["year"], p["value"], p["derived"], p["file"]), p)
    return sorted(unique.values(), key=lambda p: (p["key"], p["year"], not p["derived"]))  # estimates under statements


def members_chart(comparison: Comparison, href: Callable[[str | None, Any], str]) -> MembersChart | None:
    """The chart of a comparison's member counts (None when the graph states none); ``href(file,
    page)`` links a point to its source."""
    points = timeline_points(comparison)
    return members_chart_of(points, href) if points else None


def members_chart_of(points: list[dict[str, Any]], href: Callable[[str | None, Any], str]) -> MembersChart:
    chart = MembersChart()
    left, right, top, bottom = chart.plot
    years = [p["year"] for p in points]
    y0, y1 = min(years) - 1, max(years) + 1
    ticks = nice_ticks(max(p["value"] for p in points) * HEADROOM)

    def x(year: float) -> float:
        return left + (year - y0) / (y1 - y0) * (right - left)

    def y(value: float) -> float:
        return top + (1 - value / ticks[-1]) * (bottom - top)

    chart.ticks = [(y(value), f"{value:g}") for value in ticks]
    chart.years = [(x(year), year) for year in range(y0 + 1, y1) if year % 2 == 0 or y1 - y0 < 10]
    for index, key in enumerate(dict.fromkeys(p["key"] for p in points)):
        series = [p for p in points if p["key"] == key]
        line = [p for p in series if not p["derived"]] or series
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        shown = []
        for p in series:
            page = whole_number(p["page"])
            title = (
                f"{p['cluster']} {p['year']} : {p['value']:.0f} ({'estimé' if p['derived'] else p['detail'] or 'membres'}) — "
                f"{p['file']}"
                + (f", p. {page}" if page else "")
                + (" ; confirmé par le calcul" if p["confirmed"] else "")
            )
            shown.append(
                ChartPoint(
                    href(p["file"], page),
                    x(p["year"]),
                    y(p["value"]),
                    8 if p["derived"] else 5,
                    "#fff" if p["derived"] else colour,
                    p["year"],
                    f"{p['value']:.0f}",
                    p["derived"],
                    p["confirmed"],
                    title,
                )
            )
        chart.series.append(
            ChartSeries(
                series[0]["cluster"],
                colour,
                [(x(p["year"]), y(p["value"])) for p in line],
                left + 8 + index * LEGEND_SPACING,
                shown,
            )
        )
    return chart
