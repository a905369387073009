"""The embedded store: Oxigraph on disk, one named graph per document, read-only queries.

This module opens the store and runs queries; each other reason to change has its module, whose
names it also offers to callers: writing graphs with their owners (:mod:`miner.store.write`,
:mod:`miner.store.owners`), reading RDF files safely (:mod:`miner.store.rdf_files`), exports
(:mod:`miner.store.export`), SPARQL error messages (:mod:`miner.store.messages`). Oxigraph allows
one writing process at a time; readers (`miner query`, `miner serve`) open the store read-only. Queries are checked by
:func:`miner.store.query.check_query` before they run, see the union of all graphs as their default graph,
and stop at a time limit and a row cap.

>>> store = open_store(None)
>>> replace_graphs(store, {"https://example.org/g": [("https://example.org/s", "https://example.org/p", "1")]})
1
>>> run_query(store, "SELECT ?o WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }").values()
[('1',)]
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from miner.errors import MinerError, UsageError
from miner.store.export import EXPORT_FORMATS, compact_jsonld, export_store, jsonld_context
from miner.store.messages import explain_syntax_error, syntax_message
from miner.store.query import QueryError, QueryRefused, QueryResult, QueryTimeout, check_query, resolve_query_text
from miner.store.rdf_files import RDF_SUFFIXES, check_xml
from miner.store.write import (
    ONTOLOGY_DIR,
    ImportReport,
    import_rdf_file,
    load_ontology,
    load_rdflib_graph,
    load_scheme_file,
    ox_term,
    replace_graphs,
)

if TYPE_CHECKING:
    import pandas

__all__ = [
    "DEFAULT_STORE",
    "QUERY_TIMEOUT",
    "MAX_ROWS",
    "ONTOLOGY_DIR",
    "EXPORT_FORMATS",
    "RDF_SUFFIXES",
    "ImportReport",
    "open_store",
    "replace_graphs",
    "load_rdflib_graph",
    "load_ontology",
    "load_scheme_file",
    "import_rdf_file",
    "check_xml",
    "export_store",
    "compact_jsonld",
    "jsonld_context",
    "explain_syntax_error",
    "run_query",
    "run_query_tsv",
    "query_df",
    "named_graphs",
]

DEFAULT_STORE = Path("graphs/store")
QUERY_TIMEOUT = 30.0
"""Seconds a query may run: the competency queries take milliseconds, a runaway join does not."""
MAX_ROWS = 10_000
"""Rows returned at most: enough for any report, small enough for a browser table."""

_ox_term = ox_term
"""The old private name, for bench/bench_queries.py (which converts terms for both stores alike)."""


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
        raise UsageError(
            f"store {path} is damaged ({str(exc).splitlines()[0][:200]}); delete the folder and run `miner build` again"
        ) from None
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise UsageError(
                f"store {path} is open for writing by another process (Oxigraph allows one writer at a "
                "time); stop it (e.g. `miner serve` reads only, but another `miner build` writes) and retry"
            ) from None
        raise UsageError(f"{path}: cannot open the store ({exc})") from None


def named_graphs(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


# ---------------------------------------------------------------- queries


def _prepared(store: ox.Store, text: str, bindings: dict[str, Any] | None) -> tuple[Any, dict[Any, Any]]:
    """The screened query and its substitutions, after refusing FROM graphs the store does not hold."""
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
    substitutions = {
        ox.Variable(k): ox_term(v)
        if not isinstance(v, (int, float))
        else ox.Literal(
            str(v),
            datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#" + ("integer" if isinstance(v, int) else "double")
            ),
        )
        for k, v in (bindings or {}).items()
    }
    return checked, substitutions


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
    checked, substitutions = _prepared(store, text, bindings)
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
            outcome["error"] = QueryError(syntax_message(exc, text))
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


class _Full(Exception):
    """More rows than the cap: stops Oxigraph's serialiser."""


class _RowSink:
    """Where Oxigraph writes a SELECT's SPARQL TSV: the header line, then a line per row (TSV escapes
    line breaks inside terms), stopped once a row past ``cap`` has been written."""

    def __init__(self, cap: int | None):
        self.cap, self.lines, self.parts = cap, 0, []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.lines += data.count(b"\n")
        if self.over():
            raise _Full
        return len(data)

    def flush(self) -> None:
        """Oxigraph flushes its writer at the end; the parts are already in memory."""

    def over(self) -> bool:
        return self.cap is not None and self.lines > self.cap + 1

    def text(self) -> bytes:
        """The header and the rows under the cap."""
        data = b"".join(self.parts)
        if not self.over():
            return data
        end = -1
        for _ in range(self.cap + 1):
            end = data.index(b"\n", end + 1)
        return data[: end + 1]


def run_query_tsv(
    store: ox.Store, text: str, *, max_rows: int | None = MAX_ROWS, bindings: dict[str, Any] | None = None
) -> QueryResult:
    """:func:`run_query` without a time limit, a SELECT's rows left as SPARQL TSV in ``result.tsv``:
    Oxigraph serialises them itself, so a query worker hands a large answer over without building a
    Python term per cell and pickling it (22,000 rows: 0.5 s of the worker's CPU saved at 1 M quads).
    ASK, CONSTRUCT and DESCRIBE answer as :func:`run_query` does."""
    checked, substitutions = _prepared(store, text, bindings)
    if checked.form != "SELECT":
        return run_query(store, text, timeout=None, max_rows=max_rows, bindings=bindings)
    try:
        raw = store.query(checked.text, use_default_graph_as_union=True, substitutions=substitutions or None)
        result = QueryResult("SELECT", [v.value for v in raw.variables])
        sink = _RowSink(max_rows)
        try:
            raw.serialize(sink, format=ox.QueryResultsFormat.TSV)
        except Exception:  # noqa: BLE001 - the sink's own stop, or a failure re-raised below
            if not sink.over():
                raise
    except SyntaxError as exc:
        raise QueryError(syntax_message(exc, text)) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise MinerError(f"query failed: {exc}") from None
    result.tsv, result.truncated = sink.text(), sink.over()
    return result


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
