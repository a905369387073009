"""Closing rules for a table cut by a page break, and none between boxes side by side."""

from __future__ import annotations

from types import SimpleNamespace

from miner.read.tables import closing_edges


def _v(x: float, top: float, bottom: float) -> dict:
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom}


def _h(x0: float, x1: float, y: float) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y}


def _box(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    return [_v(x0, top, bottom), _v(x1, top, bottom), _h(x0, x1, top), _h(x0, x1, bottom)]


def test_a_table_open_at_the_page_foot_is_closed() -> None:
    # three columns, a header rule and a row rule, the last row's rules running to the foot
    edges = [
        _h(50, 350, 100),
        _h(50, 350, 120),
        *(_v(x, 100, 120) for x in (50, 150, 350)),
        *(_v(x, 120, 780) for x in (50, 150, 350)),
    ]
    closing = closing_edges(SimpleNamespace(edges=edges))
    assert [(e["top"], e["x0"], e["x1"]) for e in closing] == [(780, 50, 350)]


def test_two_framed_tags_at_one_height_are_not_closed_into_a_table() -> None:
    """Two judgement tags, one per page column, at one height: each is a closed box, and the white
    between them is no cell a closing rule could bound."""
    edges = [*_box(250, 234.8, 285.6, 245.0), *_box(490, 234.8, 545.3, 245.0)]
    assert closing_edges(SimpleNamespace(edges=edges)) == []
