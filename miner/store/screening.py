"""Screening of read-only SPARQL on the parsed query, before Oxigraph sees it.

Oxigraph (like rdflib) runs ``SERVICE`` and ``LOAD`` as outbound HTTP requests, so a query from
outside is parsed by a second, independent SPARQL 1.1 parser (rdflib's grammar) and its parse tree
is walked: a ``SERVICE`` pattern anywhere (sub-selects, EXISTS, OPTIONAL, UNION), any update
(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) and a FROM / FROM NAMED outside the
store's graphs are refused. What the screening parser cannot parse is refused with its line and
column, so no text reaches Oxigraph that was not screened.

Two parsers may still read one text differently. Two lexical steps the spec puts before the
grammar are therefore done once, here, and Oxigraph runs the result (``CheckedQuery.text``):

- ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes are expanded by the spec's rule (4 or 8 digits, code points
  up to U+10FFFF, no surrogates); an expansion that spells another escape is refused, so the
  text Oxigraph expands again is the text that was screened;
- line ends (CR LF, a bare CR) become LF: the spec ends a comment at CR, rdflib's grammar only
  at LF, and a ``SERVICE`` after ``# comment<CR>`` would be a comment for one and a pattern for
  the other. (A raw CR inside a long string literal becomes LF; nothing else changes.)

The workers that run the query have no route to the network either (:mod:`miner.store.pool`),
so a form both parsers would still disagree on reaches nothing.

>>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE' }").form
'SELECT'
>>> check_query("SELECT * { ?s ?p ?o . SERVICE <http://x/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
miner.store.query.QueryRefused: SERVICE is refused: ...
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from miner.errors import MinerError, UsageError

__all__ = [
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryCrashed",
    "StoreBusy",
    "CheckedQuery",
    "check_query",
    "SCREEN_STACK_BYTES",
    "SCREEN_RECURSION_LIMIT",
]


class QueryError(UsageError):
    """A query that cannot run: syntax error (with line and column) or unknown saved query."""


class QueryRefused(QueryError):
    """A query refused because it would write to the store or reach the network."""

    http_status = 403


class QuerySyntaxError(QueryError):
    """A query the screening parser cannot read; ``text`` is what it read (escapes expanded), so an
    isolated worker can ask Oxigraph's parser for its own, plainer words about the same text."""

    def __init__(self, message: str, text: str = ""):
        super().__init__(message)
        self.text = text


class QueryCrashed(QueryError):
    """A query whose worker died while running it (nesting or size past what Oxigraph survives)."""


class QueryTimeout(MinerError):
    """A query that ran past its time limit, or found every worker busy (worth retrying)."""

    http_status = 503


class StoreBusy(MinerError):
    """The store could not be opened read-only (a writer was mid-way) even after the retries."""

    http_status = 503


SCREEN_RECURSION_LIMIT = 8000
"""Python frames the screening parser may use: rdflib's grammar takes about 25 per nested group,
so about 300 levels parse (hand-written queries nest under 10; Oxigraph itself dies near 3,000)
and deeper queries are refused as too deeply nested instead of crashing anything."""
SCREEN_STACK_BYTES = 256 * 1024 * 1024
"""C stack of the screening thread: room for SCREEN_RECURSION_LIMIT frames with a wide margin
(virtual memory, only touched by deep queries)."""

UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "INSERT/DELETE",
}
FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ANY_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")  # what rdflib's or Oxigraph's own pass would still expand
_LINE_ENDS = re.compile(r"\r\n?")


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the screening: the text to run (escapes expanded, line ends LF), its
    form, and the graphs its FROM / FROM NAMED clauses name (full IRIs)."""

    text: str
    form: str
    from_graphs: tuple[str, ...] = ()


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def canonical_text(text: str) -> str:
    """The query text both parsers read: escapes expanded once, line ends as LF.

    >>> canonical_text("SELECT * { ?s ?p '\\\\u00e9' }\\r\\n# c\\rLIMIT 1")
    "SELECT * { ?s ?p 'é' }\\n# c\\nLIMIT 1"
    """
    text = _LINE_ENDS.sub("\n", text)

    def expand(match: re.Match[str]) -> str:
        point = int(match.group(1) or match.group(2), 16)
        if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
            raise QueryError(
                f"SPARQL syntax error at {_position(text, match.start())}: {match.group()} is not a Unicode code point"
            )
        return chr(point)

    expanded = _ESCAPE.sub(expand, text)
    again = _ANY_ESCAPE.search(expanded)
    if again:
        raise QueryError(
            f"SPARQL syntax error at {_position(expanded, again.start())}: an escape "
            f"that spells another escape ({again.group()}) is refused; write the character"
        )
    if "\x00" in expanded:
        raise QueryError(f"SPARQL syntax error at {_position(expanded, expanded.index(chr(0)))}: NUL character")
    return expanded


_parse_lock = threading.Lock()


def _parse(text: str) -> tuple[str, Any]:
    """("query" | "update", parse tree), parsed in a thread with a known, large stack."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["tree"] = ("query", parser.Query.parse_string(text, parse_all=True))
        except ParseBaseException as exc:
            try:
                outcome["tree"] = ("update", parser.UpdateUnit.parse_string(text, parse_all=True)[0])
            except ParseBaseException:
                outcome["error"] = exc
            except RecursionError:
                outcome["error"] = RecursionError()
        except RecursionError:
            outcome["error"] = RecursionError()
        except (ValueError, TypeError) as exc:  # a token the grammar matched but rdflib could not build
            outcome["error"] = exc

    # One parse at a time: pyparsing's grammar objects keep state while they parse (two threads
    # parsing at once made a valid ASK fail), and the stack size applies to threads started here.
    with _parse_lock:
        if sys.getrecursionlimit() < SCREEN_RECURSION_LIMIT:
            sys.setrecursionlimit(SCREEN_RECURSION_LIMIT)
        previous = threading.stack_size(SCREEN_STACK_BYTES)
        try:
            thread = threading.Thread(target=work, name="miner-screen", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
        thread.join()
    error = outcome.get("error")
    if isinstance(error, RecursionError):
        raise QueryError("query nested too deeply for the endpoint (about 300 levels of { } or ( ) at most)")
    if error is not None and hasattr(error, "lineno"):
        near = error.line[error.col - 1 : error.col + 29].strip()
        what = str(error.msg).strip()
        what = "" if what.removeprefix("Expected ") in FORMS else f"{what} "  # a grammar rule's name says nothing
        raise QuerySyntaxError(
            f"SPARQL syntax error at line {error.lineno}, column {error.col}: {what}"
            + (f"near {near!r}" if near else "at the end of the query"),
            text,
        )
    if error is not None:
        raise QueryError(f"SPARQL syntax error: {error}")
    return outcome["tree"]


def _nodes(node: Any):  # noqa: ANN202 - generator of rdflib CompValues
    """Every CompValue of an rdflib parse tree, depth first, without recursion (trees may be deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _field(node: Any, key: str) -> Any:
    """A field of a CompValue, or None (its own ``get`` returns the key itself when it is missing)."""
    return node[key] if key in node else None


def _iri(term: Any, prefixes: dict[str, str], base: str) -> str:
    name = getattr(term, "name", None)
    if name == "pname":
        prefix = _field(term, "prefix") or ""
        if prefix not in prefixes:
            raise QueryError(f"SPARQL syntax error: prefix {prefix}: is not declared")
        return prefixes[prefix] + (_field(term, "localname") or "")
    return urljoin(base, str(term)) if base else str(term)


@functools.lru_cache(maxsize=512)
def check_query(text: str) -> CheckedQuery:
    """Screen a query: refuse updates and SERVICE, return the text to run, its form and FROM graphs.

    Whether the FROM graphs are in the store is checked where the store is (``run_query``).
    Cached by text: the endpoint and the pool screen every query, and repeated ones are common.
    """
    canonical = canonical_text(text)
    kind, tree = _parse(canonical)
    if kind == "update":
        operations = [getattr(op, "name", "") for op in _field(tree, "request") or []]
        first = UPDATE_NAMES.get(operations[0], "update") if operations else "update"
        raise QueryRefused(
            f"{first} is refused: this endpoint is read-only (updates, LOAD, CLEAR, DROP are "
            "not run); use `miner build` to change the store"
        )
    prefixes: dict[str, str] = {}
    base = ""
    form = ""
    graphs: list[str] = []
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: this endpoint is read-only and never calls other services")
    for part in tree:  # prologue first, then the query: prefixes are known before FROM is read
        for node in _nodes(part):
            if node.name == "PrefixDecl":
                prefixes[_field(node, "prefix") or ""] = str(node["iri"])
            elif node.name == "Base":
                base = urljoin(base, str(node["iri"]))
            elif node.name in FORMS and not form:
                form = FORMS[node.name]
            elif node.name == "DatasetClause":
                target = _field(node, "default")
                graphs.append(_iri(target if target is not None else _field(node, "named"), prefixes, base))
    return CheckedQuery(canonical, form, tuple(graphs))
