"""Exporting the store: every graph in TriG, N-Quads or compacted JSON-LD, or their union.

The graphs' owners (:data:`miner.store.owners.OWNERS_GRAPH`) stay out: they name local files and
only mean something in the store that holds them.

>>> sorted(EXPORT_FORMATS)
['jsonld', 'nq', 'nt', 'trig', 'turtle']
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import pyoxigraph as ox

from miner import data
from miner.errors import UsageError
from miner.rdf.prefixes import PREFIXES
from miner.store.owners import OWNERS_GRAPH

__all__ = ["EXPORT_FORMATS", "export_store", "jsonld_context", "compact_jsonld"]

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nq": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}
"""Export formats: name → (Oxigraph format, keeps named graphs). Graph-less formats get the union;
JSON-LD is compacted with the published context (:func:`compact_jsonld`)."""


def export_store(store: ox.Store, fmt: str) -> bytes:
    """The whole store in ``fmt``; graph-less formats (turtle, nt) get the union of all graphs.
    The graphs' owners (:data:`miner.store.owners.OWNERS_GRAPH`) stay out: they name local files
    and only mean something in this store."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
    rdf_format, keeps_graphs = EXPORT_FORMATS[fmt]
    registry = ox.NamedNode(OWNERS_GRAPH)
    quads = (q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != registry)
    if rdf_format == ox.RdfFormat.JSON_LD:
        return compact_jsonld(quads)
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if keeps_graphs:
        data = (
            ox.serialize(quads, format=rdf_format, prefixes=prefixes)
            if prefixes
            else ox.serialize(quads, format=rdf_format)
        )
    else:
        triples = store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s ?p ?o }} UNION "
            f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {registry}) }} }}"
        )
        data = (
            ox.serialize(triples, format=rdf_format, prefixes=prefixes)
            if prefixes
            else ox.serialize(triples, format=rdf_format)
        )
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
