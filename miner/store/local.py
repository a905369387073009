"""The embedded store: Oxigraph on disk, one named graph per document, read-only queries.

Writing replaces whole named graphs in one transaction (a single SPARQL update that drops the graph
and inserts its new triples), so a document ingested twice leaves one copy and a crash leaves the
old graph or the new one. RDF files given to import are parsed completely before anything is
written: a malformed file changes nothing. Oxigraph allows one writing process at a time; readers
(`miner query`, `miner serve`) open the store read-only. Queries are checked by
:func:`miner.store.query.check_query` before they run, see the union of all graphs as their default graph,
and stop at a time limit and a row cap.

>>> store = open_store(None)
>>> replace_graphs(store, {"https://example.org/g": [("https://example.org/s", "https://example.org/p", "1")]})
1
>>> run_query(store, "SELECT ?o WHERE { ?s ?p ?o }").values()
[('1',)]
"""

from __future__ import annotations

import io
import json
import re
import threading
import xml.sax
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import defusedxml
import defusedxml.sax
import pyoxigraph as ox

from miner import data
from miner.errors import InputError, MinerError, UsageError
from miner.store.query import (
    PREFIXES,
    QueryError,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    check_query,
    resolve_query_text,
)

if TYPE_CHECKING:
    import pandas
    import rdflib

__all__ = [
    "DEFAULT_STORE",
    "QUERY_TIMEOUT",
    "MAX_ROWS",
    "ONTOLOGY_DIR",
    "EXPORT_FORMATS",
    "RDF_SUFFIXES",
    "open_store",
    "replace_graphs",
    "load_rdflib_graph",
    "load_ontology",
    "import_rdf_file",
    "export_store",
    "compact_jsonld",
    "jsonld_context",
    "run_query",
    "query_df",
    "named_graphs",
]

DEFAULT_STORE = Path("graphs/store")
QUERY_TIMEOUT = 30.0
"""Seconds a query may run: the competency queries take milliseconds, a runaway join does not."""
MAX_ROWS = 10_000
"""Rows returned at most: enough for any report, small enough for a browser table."""
ONTOLOGY_DIR = data.ONTOLOGY
ONTOLOGY_FILES = ("miner.ttl", "axes.ttl", "missions.ttl", "crosswalk.ttl", "judgements.ttl", "provinces.ttl")

RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
"""RDF files `miner build` imports as they are, by suffix."""

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nq": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}
"""Export formats: name → (Oxigraph format, keeps named graphs). Graph-less formats get the union;
JSON-LD is compacted with the published context (:func:`compact_jsonld`)."""


# ---------------------------------------------------------------- opening


def open_store(path: str | Path | None, *, read_only: bool = False) -> ox.Store:
    """The store at ``path`` (created if missing, unless read-only), or an in-memory one for None."""
    if path is None:
        return ox.Store()
    path = Path(path)
    if read_only:
        if not path.is_dir():
            raise UsageError(f"no store at {path}; build one first with `miner build INPUT... --store {path}`")
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            raise UsageError(f"{path}: cannot open the store read-only ({exc})") from None
    path.mkdir(parents=True, exist_ok=True)
    try:
        return ox.Store(str(path))
    except RuntimeError as exc:  # RocksDB reports damage (e.g. a folder deleted while open) this way
        raise UsageError(f"store {path} is damaged ({str(exc).splitlines()[0][:200]}); "
                         f"delete the folder and run `miner build` again") from None
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise UsageError(
                f"store {path} is open for writing by another process (Oxigraph allows one writer at a "
                "time); stop it (e.g. `miner serve` reads only, but another `miner build` writes) and retry"
            ) from None
        raise UsageError(f"{path}: cannot open the store ({exc})") from None


def named_graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


# ---------------------------------------------------------------- writing


def _ox_term(term: Any) -> Any:
    """An rdflib term, a pyoxigraph term or a plain string (IRI if it looks like one) as pyoxigraph."""
    if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return term
    kind = type(term).__name__
    if kind == "URIRef":
        return ox.NamedNode(str(term))
    if kind == "BNode":
        return ox.BlankNode(str(term))
    if kind == "Literal":
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str) and re.match(r"^[a-z][a-z0-9+.\-]*://", term):
        return ox.NamedNode(term)
    return ox.Literal(str(term))


def replace_graphs(store: ox.Store, graphs: dict[str, Iterable[tuple[Any, Any, Any]]]) -> int:
    """Replace each named graph by its triples, all in one transaction; returns triples written."""
    parts: list[str] = []
    count = 0
    for graph, triples in graphs.items():
        name = ox.NamedNode(str(graph))
        lines = []
        for s, p, o in triples:
            lines.append(f"{_ox_term(s)} {_ox_term(p)} {_ox_term(o)} .")
        count += len(lines)
        parts.append(f"DROP SILENT GRAPH {name}")
        if lines:
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }")
    if parts:
        try:
            store.update(" ;\n".join(parts))
        except OSError as exc:
            raise MinerError(f"cannot write to the store ({exc}); nothing was changed") from None
    return count


def load_rdflib_graph(store: ox.Store, graph: "rdflib.Graph") -> int:
    """Replace the named graph ``graph.identifier`` by ``graph``'s triples."""
    return replace_graphs(store, {str(graph.identifier): list(graph)})


def load_ontology(store: ox.Store, graph_iri: str, folder: Path = ONTOLOGY_DIR) -> int:
    """Replace the ontology graph by ontology/miner.ttl and its schemes (axes, missions, their crosswalk,
    judgements, provinces)."""
    triples: list[Any] = []
    for name in ONTOLOGY_FILES:
        triples.extend(_parse_file(folder / name, allow_graphs=False)[None])
    return replace_graphs(store, {graph_iri: triples})


def _parse_file(path: Path, *, allow_graphs: bool = True) -> dict[str | None, list[Any]]:
    """Every triple of an RDF file by graph (None for its default graph); errors name file and line.

    Nothing remote is fetched and nothing expands: RDF/XML is first parsed by defusedxml, which
    refuses a DTD or entity wherever it is, and JSON-LD naming a remote ``@context`` is refused
    before Oxigraph sees it (Oxigraph's own parsers have no document loader either).
    """
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"not an RDF file miner knows (suffixes: {', '.join(RDF_SUFFIXES)})")
    _refuse_fetching(path, fmt)
    graphs: dict[str | None, list[Any]] = {None: []}
    try:
        for quad in ox.parse(path=str(path), format=fmt, without_named_graphs=not allow_graphs):
            name = None if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name.value)
            graphs.setdefault(name, []).append((quad.subject, quad.predicate, quad.object))
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        where = f"line {line}" + (f", column {column}" if column else "") + ": " if line else ""
        raise InputError(path, f"{where}malformed {path.suffix[1:].upper()}: {exc.msg or exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    return graphs


def _remote_contexts(node: Any) -> list[str]:
    """IRIs of the contexts a JSON-LD document would fetch (string contexts and ``@import``)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found.append(item)
                    elif isinstance(item, dict):
                        if isinstance(item.get("@import"), str):
                            found.append(item["@import"])
                        found += _remote_contexts(item)
            else:
                found += _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            found += _remote_contexts(item)
    return found


def check_xml(path: Path, data: bytes) -> None:
    """Parse XML once with defusedxml, which refuses any DTD, entity declaration or external
    reference by construction, wherever it stands (after comments, processing instructions, a BOM).

    Streaming (SAX), so a large but harmless file costs no tree in memory; Oxigraph parses it
    afterwards only if this pass found nothing to refuse.
    """
    try:
        defusedxml.sax.parse(io.BytesIO(data), xml.sax.handler.ContentHandler(),
                             forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(path, f"{type(exc).__name__}: DOCTYPE, ENTITY and external references are refused "
                               "(entity expansion, fetching); remove the DOCTYPE") from None
    except xml.sax.SAXParseException as exc:
        raise InputError(path, f"line {exc.getLineNumber()}, column {exc.getColumnNumber() + 1}: "
                               f"malformed XML: {exc.getMessage()}") from None


def _refuse_fetching(path: Path, fmt: Any) -> None:
    """Refuse what would make a parser fetch or expand: DOCTYPE/ENTITY in RDF/XML, remote JSON-LD contexts.

    A few hundred bytes of nested entities keep an XML parser busy for minutes, and SYSTEM entities
    or a remote ``@context`` are network requests; miner's RDF has no use for either.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(path, data)
    elif fmt == ox.RdfFormat.JSON_LD:
        import json

        try:
            remote = _remote_contexts(json.loads(data))
        except (ValueError, RecursionError) as exc:
            raise InputError(path, f"malformed JSONLD: {exc}") from None
        if remote:
            raise InputError(path, f"remote JSON-LD context {remote[0]!r} is refused (never fetched); "
                                   "inline the context in the file")


@dataclass
class ImportReport:
    path: Path
    graphs: list[str]
    triples: int


def import_rdf_file(store: ox.Store, path: str | Path, default_graph: str) -> ImportReport:
    """Load an RDF file: its default-graph triples into ``default_graph`` (the file's own named
    graph), its named graphs as they are; every graph it touches is replaced. Parsed whole first."""
    path = Path(path)
    parsed = _parse_file(path)
    graphs = {default_graph if name is None else name: triples for name, triples in parsed.items()
              if name is not None or triples}
    count = replace_graphs(store, graphs)
    return ImportReport(path, sorted(graphs), count)


# ---------------------------------------------------------------- reading


def export_store(store: ox.Store, fmt: str) -> bytes:
    """The whole store in ``fmt``; graph-less formats (turtle, nt) get the union of all graphs."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    rdf_format, keeps_graphs = EXPORT_FORMATS[fmt]
    if rdf_format == ox.RdfFormat.JSON_LD:
        return compact_jsonld(store.quads_for_pattern(None, None, None, None))
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if keeps_graphs:
        data = store.dump(format=rdf_format, prefixes=prefixes) if prefixes else store.dump(format=rdf_format)
    else:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        data = ox.serialize(triples, format=rdf_format, prefixes=prefixes) if prefixes else \
            ox.serialize(triples, format=rdf_format)
    return data or b""


def jsonld_context() -> dict[str, Any]:
    """The published context (``miner/data/context.jsonld``), as the object under its ``@context``."""
    return json.loads(data.CONTEXT.read_text(encoding="utf-8"))["@context"]


def compact_jsonld(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as compacted JSON-LD: named graphs kept, IRIs and properties shortened by the
    published context, which the document carries inline so it reads back with nothing fetched.
    rdflib's serializer compacts (Oxigraph writes expanded JSON-LD only); literals keep their
    lexical form (``normalize=False``: "…T12:00:00Z" stays as the store has it)."""
    from rdflib import BNode, Dataset, Literal, URIRef

    def term(node: Any) -> Any:
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if node.language:
            return Literal(node.value, lang=node.language, normalize=False)
        return Literal(node.value, datatype=URIRef(node.datatype.value), normalize=False)

    dataset = Dataset()
    for quad in quads:
        graph = quad.graph_name
        target = dataset.default_graph if isinstance(graph, ox.DefaultGraph) else dataset.graph(term(graph))
        target.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return dataset.serialize(format="json-ld", context=jsonld_context(), auto_compact=True).encode("utf-8")


_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _expected_items(text: str) -> list[str]:
    """Oxigraph's list of what the parser expected, split at top-level commas (quoted tokens and
    bracketed character classes may hold commas)."""
    items, current, quote, depth, escaped = [], [], "", 0, False
    for char in text:
        if quote:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == "[":
            depth += 1
            current.append(char)
        elif char == "]":
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [i for i in items if i]


def _plain_expected(item: str) -> str | None:
    """One expected item in words: character classes named, "any character" dropped."""
    if item == "[_]":
        return None
    if item.startswith("["):
        if "'0'..='9'" in item.replace(" ", "") and "'a'" not in item:
            return "a digit"
        return "a letter"
    if item == "IRI parsing failed":
        return "a valid IRI (no space, <, >, \" or { } inside < >)"
    return item


def explain_syntax_error(text: str) -> str | None:
    """Oxigraph's own words about a query the screening parser could not read, or None when
    Oxigraph reads it. Oxigraph would run a query it can parse, so this runs it on an empty store
    and only where the process has no network (an isolated query worker): the caller checks."""
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        return _syntax_message(exc, text)
    except (OSError, RuntimeError, ValueError):
        return None
    return None


def _syntax_message(exc: SyntaxError, text: str = "") -> str:
    """Oxigraph's parse error in plain words: line, column, what stands there, what could."""
    match = _SYNTAX.match(str(exc))
    if not match:
        return f"SPARQL syntax error: {exc}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3).strip()
    lines = text.splitlines()
    rest = lines[line - 1][column - 1:] if 0 < line <= len(lines) else ""
    rest = rest.strip() or " ".join(lines[line:]).strip() if lines else rest
    found = f"before {rest.split()[0][:20]!r}" if rest.strip() else "at the end of the query"
    if detail.startswith("expected"):
        body = detail[len("expected"):].strip()
        body = body[len("one of"):].strip() if body.startswith("one of") else body
        words = list(dict.fromkeys(w for w in map(_plain_expected, _expected_items(body)) if w))
        detail = ("expected " + (words[0] if len(words) == 1 else "one of " + ", ".join(words))) if words \
            else "something else was expected here"
    return f"SPARQL syntax error at line {line}, column {column} ({found}): {detail}"


def run_query(
    store: ox.Store,
    text: str,
    *,
    timeout: float | None = QUERY_TIMEOUT,
    max_rows: int | None = MAX_ROWS,
    bindings: dict[str, Any] | None = None,
) -> QueryResult:
    """Run a read-only query over the union of all graphs; at most ``max_rows`` rows.

    ``bindings`` fixes variables before the query runs (``{"question": 3}``), as SEP-0007
    substitutions. A query running past ``timeout`` seconds raises QueryTimeout, but its thread is
    left to finish in the background (Oxigraph cannot cancel it): this is for miner's own queries.
    Queries from outside (`miner query`, `miner serve`) go through :class:`miner.store.pool.QueryPool`,
    whose workers are killed at the limit.
    """
    checked = check_query(text)
    for graph in checked.from_graphs:
        try:
            known = store.contains_named_graph(ox.NamedNode(graph))
        except ValueError:
            known = False
        if not known:
            raise QueryRefused(
                f"FROM <{graph}> names no graph of the store; remote data are never fetched "
                "(list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} })"
            )
    substitutions = {ox.Variable(k): _ox_term(v) if not isinstance(v, (int, float)) else
                     ox.Literal(str(v), datatype=ox.NamedNode(
                         "http://www.w3.org/2001/XMLSchema#" + ("integer" if isinstance(v, int) else "double")))
                     for k, v in (bindings or {}).items()}
    outcome: dict[str, Any] = {}
    cancelled = threading.Event()

    def work() -> None:
        try:
            raw = store.query(checked.text, use_default_graph_as_union=True, substitutions=substitutions or None)
            if isinstance(raw, ox.QueryBoolean):
                outcome["result"] = QueryResult("ASK", boolean=bool(raw))
                return
            if isinstance(raw, ox.QuerySolutions):
                variables = [v.value for v in raw.variables]
                result = QueryResult("SELECT", variables)
                rows = (tuple(solution[i] for i in range(len(variables))) for solution in raw)
                into = result.rows
            else:
                result = QueryResult(checked.form if checked.form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT")
                rows, into = iter(raw), result.triples
            for row in rows:
                if cancelled.is_set():
                    return
                if max_rows is not None and len(into) >= max_rows:
                    result.truncated = True
                    break
                into.append(row)
            outcome["result"] = result
        except SyntaxError as exc:
            outcome["error"] = QueryError(_syntax_message(exc, text))
        except (OSError, ValueError, RuntimeError) as exc:
            outcome["error"] = MinerError(f"query failed: {exc}")

    if timeout is None:
        work()
    else:
        worker = threading.Thread(target=work, name="miner-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            cancelled.set()
            raise QueryTimeout(f"query ran past its time limit of {timeout:g} s and was abandoned")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def query_df(
    text: str,
    store: str | Path | ox.Store = DEFAULT_STORE,
    *,
    bindings: dict[str, Any] | None = None,
    timeout: float | None = QUERY_TIMEOUT,
    max_rows: int | None = None,
) -> "pandas.DataFrame":
    """A SELECT query's answer as a pandas DataFrame of plain Python values.

    ``text`` may be SPARQL, a saved query's name (``"partial_criteria"``) or a ``.rq`` path.
    """

    handle = store if isinstance(store, ox.Store) else open_store(store, read_only=True)
    result = run_query(handle, resolve_query_text(text), bindings=bindings, timeout=timeout, max_rows=max_rows)
    if result.form != "SELECT":
        raise UsageError(f"query_df needs a SELECT query, not {result.form}")
    return result.to_dataframe()
