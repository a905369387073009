"""Read-only SPARQL: refuse what could write or reach the network, name saved queries, format results.

Oxigraph (like rdflib) would run ``SERVICE`` and ``LOAD`` as outbound HTTP requests, so a query is
screened on its parse tree *before* it runs (:mod:`miner.store.screening`, re-exported here): updates and
SERVICE are refused wherever they occur, and FROM / FROM NAMED may only name graphs already in the
store. Syntax errors are reported with line and column.

Results are formatted here (SPARQL JSON, XML, CSV, TSV, a text table) rather than by Oxigraph so a
row cap can cut them.

>>> check_query("SELECT ?s WHERE { ?s ?p 'SERVICE' }").form
'SELECT'
>>> check_query("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
miner.store.query.QueryRefused: SERVICE is refused: ...
"""

from __future__ import annotations

import csv
import gc
import html
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from miner import data
from miner.errors import UsageError
from miner.rdf.prefixes import PREFIXES, short_name
from miner.store.screening import (
    CheckedQuery,
    QueryCrashed,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreBusy,
    check_query,
)


def xml_escape(text: str) -> str:
    """&, < and > escaped, as xml.sax.saxutils.escape does (which imports urllib.request and http.client)."""
    return html.escape(text, quote=False)


__all__ = [
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "QueryCrashed",
    "QuerySyntaxError",
    "StoreBusy",
    "CheckedQuery",
    "QueryResult",
    "SavedQuery",
    "QueryParam",
    "check_query",
    "cyclic_gc_paused",
    "tsv_rows",
    "saved_queries",
    "find_saved_query",
    "resolve_query_text",
    "RESULT_FORMATS",
    "format_result",
    "QUERIES_DIR",
    "PREFIXES",
]


QUERIES_DIR = data.QUERIES
"""The competency questions, one ``.rq`` file each."""


FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


# ---------------------------------------------------------------- saved queries


PARAM_TYPES = ("integer", "string", "iri", "cluster", "cycle", "criterion", "organisation", "year", "text")
"""Kinds of value a saved query's parameter takes: what ``--bind NAME=VALUE`` turns a value into
(the first three as given; the others matched to a value the store holds, :mod:`miner.store.params`)."""


@dataclass(frozen=True)
class QueryParam:
    """A variable of a saved query meant to be fixed before it runs (``--bind``, or a field of the
    query page), declared in the query's header as ``# PARAM: name type description``."""

    name: str
    type: str
    label: str


@dataclass(frozen=True)
class SavedQuery:
    """A competency question: file name (without .rq), its French and English statement, its text,
    and the parameters its header declares."""

    name: str
    question_fr: str
    question_en: str
    text: str
    path: Path
    params: tuple[QueryParam, ...] = ()


def _read_saved(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    fr = en = ""
    params: list[QueryParam] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("FR:"):
            fr = body[3:].strip()
        elif body.startswith("EN:"):
            en = body[3:].strip()
        elif body.startswith("PARAM:"):
            name, kind, *label = body[6:].split(None, 2)
            name = name.lstrip("?$")
            if kind not in PARAM_TYPES or not re.fullmatch(r"\w+", name) or not re.search(rf"[?$]{name}\b", text):
                raise QueryError(
                    f"{path}: line {number}: write '# PARAM: name {'|'.join(PARAM_TYPES)} description' "
                    "for a variable the query uses"
                )
            params.append(QueryParam(name, kind, label[0] if label else name))
    return SavedQuery(path.stem, fr, en, text, path, tuple(params))


def saved_queries(folder: Path | None = None) -> list[SavedQuery]:
    """Every ``.rq`` of ``ontology/queries``, by name."""
    folder = folder or QUERIES_DIR
    return [_read_saved(p) for p in sorted(folder.glob("*.rq"))]


def find_saved_query(name: str, folder: Path | None = None) -> SavedQuery:
    folder = folder or QUERIES_DIR
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in saved_queries(folder))
        raise QueryError(f"no saved query named {name!r}. Saved queries: {known}")
    return _read_saved(path)


def resolve_query_text(arg: str, folder: Path | None = None) -> str:
    """A query given on the command line: a ``.rq`` file, a saved query's name, or SPARQL text."""
    stripped = arg.strip()
    if stripped.endswith(".rq") and "\n" not in stripped and " " not in stripped:
        path = Path(stripped)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return path.read_text(encoding="utf-8")
    if re.fullmatch(r"[A-Za-z0-9_\-]+", stripped):
        return find_saved_query(stripped, folder).text
    return arg


# ---------------------------------------------------------------- results


@dataclass
class QueryResult:
    """Rows of pyoxigraph terms (None for unbound), a boolean for ASK, triples for CONSTRUCT."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    truncated: bool = False
    source: str = ""
    """Which copy of the store a pool worker read: "memory" or "disk" ("" outside the pool)."""
    tsv: bytes = b""
    """A SELECT's rows as SPARQL TSV, as a query worker hands them over (:func:`miner.store.local.run_query_tsv`);
    :meth:`unpack` turns them into ``rows``."""

    def unpack(self) -> "QueryResult":
        """Rows parsed from ``tsv`` by Oxigraph, the same terms as the query's (none left to parse: as is)."""
        if self.tsv:
            with cyclic_gc_paused():
                self.rows = tsv_rows(self.tsv)
            self.tsv = b""
        return self

    def values(self) -> list[tuple[Any, ...]]:
        """Rows as Python values: IRIs and strings as str, numbers as int/float, None when unbound."""
        with cyclic_gc_paused():
            return [tuple(python_value(term) for term in row) for row in self.rows]

    def to_dataframe(self):  # noqa: ANN201 - pandas imported lazily
        import pandas as pd

        return pd.DataFrame(self.values(), columns=self.variables)


def tsv_rows(data: bytes) -> list[tuple[Any, ...]]:
    """The rows of a SELECT's SPARQL TSV as pyoxigraph terms (None where unbound), each distinct cell
    parsed once by Oxigraph: a listing repeats its labels, cycles and judgements on thousands of rows
    (judgement_changes at 1 M quads: 150,000 cells, ~3,000 distinct), and making a term per cell was
    most of the hand-over. TSV escapes tabs and line breaks inside terms, so a line is a row and a
    tab ends a cell; an answer with no variable, or a line that does not split into one cell per
    variable, is parsed whole. The cells are split out of the whole text at once and the rows cut
    from their terms in one pass (judgement_changes' 23,418 rows at 1 M quads: 43 ms instead of 51 line by line),
    as bytes: only the distinct cells are decoded, where splitting the decoded text made a string of
    every cell, scanning each for its widest character (judgement_changes' 4 MB, mostly two long labels
    a row: 38 -> 32 ms and 53 -> 37 in two interleaved runs)."""
    import pyoxigraph as ox

    head, _, body = data.partition(b"\n")
    width = head.count(b"\t") + 1 if head else 0
    lines = body.split(b"\n")
    tabs = set(map(bytes.count, lines[:-1], repeat(b"\t", len(lines) - 1)))  # each line's tabs
    if not width or lines[-1] or tabs - {width - 1}:
        return [tuple(s) for s in ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)]
    cells = body[:-1].replace(b"\t", b"\n").split(b"\n") if body else []
    distinct = set(cells)
    distinct.discard(b"")
    if not distinct:  # no row, or none bound: Oxigraph would read the lone cell of an empty list as a row
        return [(None,) * width for _ in range(len(cells) // width)]
    listed = list(distinct)
    parsed = ox.parse_query_results(b"?t\n" + b"\n".join(listed) + b"\n", format=ox.QueryResultsFormat.TSV)
    terms = dict(zip(listed, (s[0] for s in parsed), strict=True))
    terms[b""] = None
    each = map(terms.__getitem__, cells)
    return list(zip(*[each] * width))  # the same iterator ``width`` times: one row of ``width`` cells a tuple


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector held off while a large answer's rows are built: rows are tuples of
    terms, never cycles, but each collection pass walks every tuple made so far, so building 12,500
    rows cost 56 ms instead of 27 and grew faster than the rows (1 M quads; 1,250 rows: 2.7 vs 2.4)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "Literal":
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if kind == "BlankNode":
        return "_:" + term.value
    return term.value


def _term_json(term: Any) -> dict[str, str]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    if kind == "Literal":
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(result: QueryResult) -> str:
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [
        {var: _term_json(term) for var, term in zip(result.variables, row) if term is not None} for row in result.rows
    ]
    return (
        json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"
    )


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    out.append("<head>" + "".join(f'<variable name="{xml_escape(v)}"/>' for v in result.variables) + "</head>")
    if result.form == "ASK":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for var, term in zip(result.variables, row):
                if term is None:
                    continue
                info = _term_json(term)
                value = xml_escape(info["value"])
                if info["type"] == "uri":
                    inner = f"<uri>{value}</uri>"
                elif info["type"] == "bnode":
                    inner = f"<bnode>{value}</bnode>"
                elif "xml:lang" in info:
                    inner = f'<literal xml:lang="{xml_escape(info["xml:lang"])}">{value}</literal>'
                elif "datatype" in info:
                    inner = f'<literal datatype="{xml_escape(info["datatype"])}">{value}</literal>'
                else:
                    inner = f"<literal>{value}</literal>"
                out.append(f'<binding name="{xml_escape(var)}">{inner}</binding>')
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv(result: QueryResult, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if term is None else python_value(term) for term in row])
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    """SPARQL TSV: terms in Turtle/N-Triples syntax, header with ``?`` names."""
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        cells = []
        for term in row:
            cell = "" if term is None else str(term)
            cells.append(cell.replace("\t", "\\t").replace("\n", "\\n"))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


TABLE_CELL_MAX = 70
"""Widest cell of a text table: long constats are cut so a row stays on one terminal line."""


def _table_cell(term: Any) -> str:
    """A term as a text table shows it: an IRI by its short name, a literal by its value, on one line, cut."""
    value = short_name(term.value) if type(term).__name__ == "NamedNode" else str(python_value(term))
    value = " ".join(value.split())
    return value[: TABLE_CELL_MAX - 1] + "…" if len(value) > TABLE_CELL_MAX else value


def _table(result: QueryResult) -> str:
    if result.form == "ASK":
        return "yes\n" if result.boolean else "no\n"
    header = list(result.variables)
    shown: dict[Any, str] = {None: ""}  # a listing repeats its labels on thousands of rows: each shown once
    body = []
    for row in result.rows:
        cells = []
        for term in row:
            cell = shown.get(term)
            if cell is None:
                cell = shown[term] = _table_cell(term)
            cells.append(cell)
        body.append(cells)
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    footer = f"({len(body)} row{'s' if len(body) != 1 else ''}{', cut at the row cap' if result.truncated else ''})"
    return "\n".join(lines + [footer]) + "\n"


RESULT_FORMATS = {
    "table": ("text/plain; charset=utf-8", _table),
    "json": ("application/sparql-results+json", _json),
    "xml": ("application/sparql-results+xml", _xml),
    "csv": ("text/csv; charset=utf-8", _csv),
    "tsv": ("text/tab-separated-values; charset=utf-8", _tsv),
}
"""Formats of SELECT/ASK results: name → (media type, formatter)."""

GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
}
"""Formats of CONSTRUCT/DESCRIBE results: name → media type."""


def format_result(result: QueryResult, fmt: str) -> str:
    """Serialise a result; CONSTRUCT results take a graph format, the others a results format."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        import pyoxigraph

        formats = {
            "turtle": pyoxigraph.RdfFormat.TURTLE,
            "nt": pyoxigraph.RdfFormat.N_TRIPLES,
            "jsonld": pyoxigraph.RdfFormat.JSON_LD,
            "xml": pyoxigraph.RdfFormat.RDF_XML,
            "table": pyoxigraph.RdfFormat.TURTLE,
        }
        if fmt not in formats:
            raise UsageError(
                f"unknown format {fmt!r} for a {result.form} query; choose one of: "
                + ", ".join(f for f in formats if f != "table")
            )
        kwargs = {"prefixes": PREFIXES} if formats[fmt] == pyoxigraph.RdfFormat.TURTLE else {}
        data = pyoxigraph.serialize(result.triples, format=formats[fmt], **kwargs)
        return data.decode("utf-8") if data else ""
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(RESULT_FORMATS)}")
    if result.tsv and fmt == "json":  # rows still as a worker's TSV: Oxigraph writes the JSON (5x less CPU)
        import pyoxigraph

        out = io.BytesIO()
        pyoxigraph.parse_query_results(result.tsv, format=pyoxigraph.QueryResultsFormat.TSV).serialize(
            out, format=pyoxigraph.QueryResultsFormat.JSON
        )
        return out.getvalue().decode("utf-8") + "\n"
    return RESULT_FORMATS[fmt][1](result.unpack())
