"""Typed parameters of saved queries: the values present in the store, and a user's value matched to one.

A saved query declares a parameter in its header, ``# PARAM: name KIND description``; KIND says
what the value is: ``cluster``, ``cycle``, ``criterion``, ``organisation``, ``text`` (a name,
matched by its folded words), ``year`` or ``integer`` (a number), ``string`` or ``iri`` (taken as
given). The values present are those the query itself can answer for that variable (its own
column, run without the parameter), so the list offered and the value bound are the same terms,
with their datatype or language. A value that matches none is refused with the closest ones.

>>> import pyoxigraph as ox
>>> present = [ox.Literal("CHANVRELIA cluster des éco-matériaux"), ox.Literal("INFOPOLE cluster TIC")]
>>> match_value(QueryParam("cluster", "cluster", ""), "chanvrelia", present).value
'CHANVRELIA cluster des éco-matériaux'
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from miner.errors import MinerError, UsageError
from miner.nlp.text import fold
from miner.store.local import run_query
from miner.store.query import PARAM_TYPES, QueryParam, SavedQuery

__all__ = [
    "NAMED_KINDS",
    "NUMBER_KINDS",
    "NoSuchValue",
    "distinct_terms",
    "match_value",
    "resolve_bindings",
    "term_text",
    "values_present",
]

NAMED_KINDS = ("cluster", "cycle", "criterion", "organisation", "text")
"""Kinds whose value is a name: matched on folded words, a part of a name is enough when it is unique."""
NUMBER_KINDS = ("year", "integer")
assert set(NAMED_KINDS + NUMBER_KINDS) <= set(PARAM_TYPES)


class NoSuchValue(MinerError):
    """A parameter value that matches nothing in the store (exit 1: the query would answer nothing)."""

    exit_code = 1
    http_status = 400


def term_text(term: Any) -> str:
    """A term as a person reads it (the value of a literal, the IRI of a node)."""
    return term.value if term is not None else ""


def distinct_terms(result: Any, name: str) -> list[Any]:
    """The distinct terms of one column of a query's answer, sorted as text (none: no such column)."""
    if name not in result.variables:
        return []
    index = result.variables.index(name)
    seen: dict[str, Any] = {}
    for row in result.rows:
        if row[index] is not None:
            seen.setdefault(str(row[index]), row[index])
    return sorted(seen.values(), key=lambda t: (len(term_text(t)) if term_text(t).isdigit() else 0, term_text(t)))


def values_present(store: Any, saved: SavedQuery, param: QueryParam, *, max_rows: int | None = 10_000) -> list[Any]:
    """The distinct terms the query answers for ``param`` when run without it."""
    return distinct_terms(run_query(store, saved.text, max_rows=max_rows), param.name)


def match_value(param: QueryParam, raw: str, present: Sequence[Any]) -> Any:
    """The present term ``raw`` names; NoSuchValue with the closest ones when none or several do."""
    raw = raw.strip()
    by_text = {term_text(t): t for t in present}
    if raw in by_text:
        return by_text[raw]
    if param.type in NUMBER_KINDS:
        if not raw.lstrip("-").isdigit():
            raise UsageError(f"?{param.name} is a {param.type}: give a whole number, not {raw!r}")
        hits = [t for t in present if term_text(t).lstrip("-").isdigit() and int(term_text(t)) == int(raw)]
    elif param.type in NAMED_KINDS:
        wanted = fold(raw)
        hits = [t for t in present if fold(term_text(t)) == wanted] or [
            t for t in present if wanted and wanted in fold(term_text(t))
        ]
    else:
        return raw if param.type == "string" else ox.NamedNode(raw) if param.type == "iri" else raw
    if len(hits) == 1:
        return hits[0]
    if hits:
        names = ", ".join(term_text(t) for t in hits[:5])
        raise NoSuchValue(f"?{param.name} = {raw!r} matches several {param.type} values: {names}; give one of them")
    names = [term_text(t) for t in present]
    folded = {fold(n): n for n in names}
    close = list(dict.fromkeys(difflib.get_close_matches(fold(raw), list(folded), n=3, cutoff=0.0)))
    shown = ", ".join(folded[c] for c in close) if close else "none (the store answers nothing for it)"
    raise NoSuchValue(f"no {param.type} {raw!r} in the store for ?{param.name}; closest: {shown}")


def resolve_bindings(store: Any, saved: SavedQuery | None, bindings: dict[str, Any]) -> dict[str, Any]:
    """``--bind`` values of a saved query with typed parameters, each matched to a term the store holds."""
    if saved is None:
        return bindings
    typed = {p.name: p for p in saved.params if p.type in NAMED_KINDS + NUMBER_KINDS}
    out = dict(bindings)
    for name, value in bindings.items():
        if name in typed:
            out[name] = match_value(typed[name], str(value), values_present(store, saved, typed[name]))
    return out
