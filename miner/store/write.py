"""Writing the store: whole named graphs replaced in one transaction, each with its owner.

Writing replaces whole named graphs in one transaction (a single SPARQL update that drops the
graph, inserts its new triples and records its owner, :mod:`miner.store.owners`), so a document
ingested twice leaves one copy and a crash leaves the old graph or the new one. The same update
rewrites what the store derives from several graphs (a cluster's judgement changes across cycles,
:mod:`miner.store.derived`), so those follow every write. RDF files are
parsed whole first (:mod:`miner.store.rdf_files`): a malformed file changes nothing, and one
naming a graph it may not write writes nothing.

>>> store = ox.Store()
>>> replace_graphs(store, {"https://example.org/g": [("https://example.org/s", "https://example.org/p", "1")]})
1
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import pyoxigraph as ox

from miner import data
from miner.errors import InputError, MinerError
from miner.store.owners import DOCUMENT, ONTOLOGY, Owner, check_import, forget_owners, graph_owners, ownership_update
from miner.store.rdf_files import parse_rdf_file

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "ONTOLOGY_DIR",
    "ONTOLOGY_FILES",
    "ox_term",
    "replace_graphs",
    "replace_graph_lines",
    "drop_spent_logs",
    "triple_lines",
    "load_rdflib_graph",
    "load_ontology",
    "load_scheme_file",
    "ImportReport",
    "import_rdf_file",
]

ONTOLOGY_DIR = data.ONTOLOGY
ONTOLOGY_FILES = ("miner.ttl", "axes.ttl", "missions.ttl", "crosswalk.ttl", "judgements.ttl", "provinces.ttl")


def ox_term(term: Any) -> Any:
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


def triple_lines(triples: Iterable[tuple[Any, Any, Any]]) -> list[str]:
    """Triples (rdflib's or strings) as N-Triples lines, what :func:`replace_graph_lines` writes: a
    document's worker sends its graph to the parent so."""
    return [f"{ox_term(s)} {ox_term(p)} {ox_term(o)} ." for s, p, o in triples]


def replace_graphs(store: ox.Store, graphs: dict[str, Iterable[tuple[Any, Any, Any]]], owner: Owner = DOCUMENT) -> int:
    """Replace each named graph by its triples and record ``owner`` as theirs
    (:mod:`miner.store.owners`), all in one transaction; returns triples written."""
    return replace_graph_lines(store, {graph: triple_lines(triples) for graph, triples in graphs.items()}, owner)


def replace_graph_lines(store: ox.Store, graphs: dict[str, list[str]], owner: Owner = DOCUMENT) -> int:
    """:func:`replace_graphs` with each graph's triples as N-Triples lines (:func:`triple_lines`)."""
    parts: list[str] = []
    count = 0
    for graph, lines in graphs.items():
        name = ox.NamedNode(str(graph))
        count += len(lines)
        parts.append(f"DROP SILENT GRAPH {name}")
        if lines:
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }")
    parts += ownership_update([str(g) for g, lines in graphs.items() if lines], owner) + forget_owners(
        [str(g) for g, lines in graphs.items() if not lines]
    )
    from miner.store.derived import derived_updates  # it writes its graphs' lines with this module's

    try:
        parts += derived_updates(store, {str(graph): lines for graph, lines in graphs.items()})
        if parts:
            store.update(" ;\n".join(parts))
    except OSError as exc:
        raise MinerError(f"cannot write to the store ({exc}); nothing was changed") from None
    return count


def drop_spent_logs(folder: str | Path) -> bool:
    """Open the closed store at ``folder`` for writing and close it again, so that it keeps its
    tables only; False when another process holds its writer (that writer's next close does it).

    Oxigraph's RocksDB keeps the write-ahead log files a flush made obsolete, for reuse, and deletes
    them only when a writer opens the store: every build left its last ones behind (1.2 GB beside
    374 MB of tables after writing 1.2 M quads; neither a flush, a second flush, an ``optimize()``
    nor a read-only open removes them, measured with pyoxigraph 0.5). The open and close take about
    0.1 s at 1 M quads."""
    try:
        store = ox.Store(str(folder))
    except (OSError, RuntimeError):  # the lock: another writer has it (its close leaves the logs to the next open)
        return False
    del store
    return True


def load_rdflib_graph(store: ox.Store, graph: "rdflib.Graph") -> int:
    """Replace the named graph ``graph.identifier`` by ``graph``'s triples."""
    return replace_graphs(store, {str(graph.identifier): list(graph)})


def load_ontology(store: ox.Store, graph_iri: str, folder: Path = ONTOLOGY_DIR) -> int:
    """Replace the ontology graph by ontology/miner.ttl and its schemes (axes, judgements, provinces)."""
    triples: list[Any] = []
    for name in ONTOLOGY_FILES:
        triples.extend(parse_rdf_file(folder / name, allow_graphs=False)[None])
    return replace_graphs(store, {graph_iri: triples}, ONTOLOGY)


def load_scheme_file(store: ox.Store, graph_iri: str, path: str | Path) -> int:
    """A user's concept scheme file (checked by :mod:`miner.data.schemes` first) into its own graph
    beside the ontology's, owned as ontology from that file: the same file replaces it on the next
    build, another file of the same scheme name is refused (one line), no RDF input can write it."""
    path = Path(path)
    owner = Owner("ontology", path.resolve().as_uri())
    recorded = graph_owners(store).get(graph_iri)
    if recorded is not None and recorded != owner:
        raise InputError(
            path,
            f"<{graph_iri}> belongs to {recorded.describe()}; rename this scheme (dcterms:identifier) or use that file",
        )
    return replace_graphs(store, {graph_iri: parse_rdf_file(path, allow_graphs=False)[None]}, owner)


@dataclass
class ImportReport:
    path: Path
    graphs: list[str]
    triples: int


def import_rdf_file(
    store: ox.Store, path: str | Path, default_graph: str, *, reserved: Iterable[str] = (), replace: Iterable[str] = ()
) -> ImportReport:
    """Load an RDF file: its default-graph triples into ``default_graph`` (the file's own named
    graph, named by its content), its named graphs as they are. Parsed whole first; a file naming
    a graph it may not write (another's, miner's, or its own earlier one without ``replace``) writes
    nothing (:func:`miner.store.owners.check_import`)."""
    path = Path(path)
    parsed = parse_rdf_file(path)
    graphs = {
        default_graph if name is None else name: triples
        for name, triples in parsed.items()
        if name is not None or triples
    }
    owner = check_import(store, path, graphs, own_graph=default_graph, reserved=reserved, replace=replace)
    count = replace_graphs(store, graphs, owner)
    return ImportReport(path, sorted(graphs), count)
