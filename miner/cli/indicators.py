"""What `miner indicators` prints: each contract's or evaluation's KPI table, target beside achieved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from miner.errors import MinerError
from miner.extract.indicators import extract_indicators
from miner.records import IndicatorTable

__all__ = ["indicator_lines", "indicators_report"]


def _value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}".replace(",", " ") if value == int(value) else f"{value:g}"
    return text + {"percent": " %", "EUR": " €", "count": ""}.get(unit or "count", f" {unit}")


def indicator_lines(table: IndicatorTable) -> list[str]:
    """The outline of one document's indicators, grouped by objective."""
    flag = "  [FICTITIOUS DOCUMENT]" if table.fictitious else ""
    lines = [
        (
            f"{Path(table.source.path).name}: {table.kind or 'document'} of {table.cluster or '?'}, "
            f"period {table.period or '?'}{flag}"
        )
    ]
    objective: str | None = None
    for row in table.indicators:
        if row.objective != objective:
            objective = row.objective
            lines.append(f"  {objective or '(no objective)'}")
        lines.append(
            f"    {row.indicator}: achieved {_value(row.achieved, row.unit)} / target {_value(row.target, row.unit)}"
            f"  (p. {row.page})"
        )
    lines.append(f"{len(table.indicators)} indicators")
    return lines


def indicators_report(
    paths: list[Path],
    *,
    store_path: Path | None = None,
    echo: Callable[[str], Any] = print,
    error: Callable[[str], Any] = print,
) -> int:
    """Print each file's indicators (and load them into a store); returns the number of failures."""
    store = None
    if store_path is not None:
        from miner.store.local import open_store

        store = open_store(store_path)
    failed = 0
    for path in paths:
        try:
            table = extract_indicators(path)
        except MinerError as exc:
            error(f"error: {exc}")
            failed += 1
            continue
        for line in indicator_lines(table):
            echo(line)
        if store is not None:
            from miner.rdf.indicators import indicators_graph
            from miner.store.local import load_rdflib_graph

            load_rdflib_graph(store, indicators_graph(table))
    return failed
