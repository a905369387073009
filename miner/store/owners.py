"""Who owns each named graph of the store, and what an RDF input may write.

A probe found that a TriG file naming graphs already in the store replaced them (the ontology fell
from 953 triples to 1). So every write records its graphs' owner in the store itself, in the graph
:data:`OWNERS_GRAPH`, within the same transaction as the data: ``ontology`` (miner's ontology and
vocabularies), ``document`` (a graph miner built from a report or list) or ``import`` (a user's
RDF file, with the file it came from). An RDF input may create graphs; it may replace a graph only
if that same file created it before and the user says so (``--replace-graph``). Graph names in
miner's own namespaces (the ontology and vocabularies, the registry, the document graphs under
``<base>graph/``) are never written by input. A refused file writes nothing and gets one line that
names each refused graph and its owner.

>>> owner_of_input("/tmp/x.trig").describe()
'the import of file:///tmp/x.trig'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from miner.errors import InputError

__all__ = [
    "OWNERS_GRAPH",
    "OWNER",
    "INPUT",
    "VOCABULARY_SPACES",
    "Owner",
    "ONTOLOGY",
    "DOCUMENT",
    "DERIVED",
    "owner_of_input",
    "forget_owners",
    "graph_owners",
    "ownership_update",
    "check_import",
]

OWNERS_GRAPH = "https://w3id.org/miner/store/owners"
"""The named graph that records each graph's owner (one fixed name, whatever the base IRI)."""
OWNER = "https://w3id.org/miner/store#owner"
"""Property: a graph's owner kind ("ontology", "document" or "import")."""
INPUT = "https://w3id.org/miner/store#input"
"""Property: the file an imported graph came from (a file: IRI)."""
VOCABULARY_SPACES = (
    "https://w3id.org/miner/ontology",
    "https://w3id.org/miner/axes/",
    "https://w3id.org/miner/judgements/",
    "https://w3id.org/miner/provinces/",
    "https://w3id.org/miner/store",
)
"""Namespaces of miner's ontology, vocabularies and registry: no input names a graph in them."""


@dataclass(frozen=True)
class Owner:
    """The owner of a graph: its kind, and for an import the input (a file IRI) that created it."""

    kind: str
    input: str | None = None

    def describe(self) -> str:
        if self.kind == "import":
            return f"the import of {self.input}"
        if self.kind == "ontology" and self.input:
            return f"the concept scheme of {self.input}"
        return {
            "ontology": "miner's ontology",
            "document": "a document's graph built by miner",
            "derived": "a graph miner derives from several documents' graphs",
        }.get(self.kind, self.kind)


ONTOLOGY = Owner("ontology")
DOCUMENT = Owner("document")
DERIVED = Owner("derived")
"""The owner of a graph the store rewrites from other graphs (:mod:`miner.store.derived`)."""


def owner_of_input(path: str | Path) -> Owner:
    """The owner recorded for what an RDF file creates: the file, by its absolute path."""
    return Owner("import", Path(path).resolve().as_uri())


def graph_owners(store: ox.Store) -> dict[str, Owner]:
    """Every recorded owner, by graph name."""
    registry = ox.NamedNode(OWNERS_GRAPH)
    kinds: dict[str, str] = {}
    inputs: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, None, None, registry):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        if quad.predicate.value == OWNER:
            kinds[quad.subject.value] = quad.object.value
        elif quad.predicate.value == INPUT:
            inputs[quad.subject.value] = quad.object.value
    return {graph: Owner(kind, inputs.get(graph)) for graph, kind in kinds.items()}


def ownership_update(graphs: Iterable[str], owner: Owner) -> list[str]:
    """SPARQL update operations that record ``owner`` for ``graphs`` (run in the writer's transaction)."""
    registry = ox.NamedNode(OWNERS_GRAPH)
    graphs = list(graphs)
    parts, lines = forget_owners(graphs), []
    for graph in graphs:
        name = ox.NamedNode(graph)
        lines.append(f"{name} <{OWNER}> {ox.Literal(owner.kind)} .")
        if owner.input:
            lines.append(f"{name} <{INPUT}> {ox.Literal(owner.input)} .")
    if lines:
        parts.append(f"INSERT DATA {{ GRAPH {registry} {{\n" + "\n".join(lines) + "\n} }")
    return parts


def forget_owners(graphs: Iterable[str]) -> list[str]:
    """SPARQL update operations that delete the owner recorded for ``graphs`` (a graph dropped)."""
    registry = ox.NamedNode(OWNERS_GRAPH)
    return [f"DELETE WHERE {{ GRAPH {registry} {{ {ox.NamedNode(graph)} ?p ?o }} }}" for graph in graphs]


def check_import(
    store: ox.Store,
    path: Path,
    graphs: Iterable[str],
    *,
    own_graph: str,
    reserved: Iterable[str] = (),
    replace: Iterable[str] = (),
) -> Owner:
    """Refuse (InputError, one line) an RDF file naming a graph it may not write; else its owner.

    ``own_graph`` is the file's own graph (its default-graph triples, named by its content: always
    its own); ``reserved`` are further namespaces of miner (``<base>graph/``); ``replace`` the
    graphs the user allows this file to replace (``--replace-graph``), which it must have created.
    """
    owner = owner_of_input(path)
    owners = graph_owners(store)
    spaces = (*VOCABULARY_SPACES, *reserved)
    allowed = set(replace)
    refused = []
    for graph in sorted(set(graphs) - {own_graph}):
        if graph.startswith(spaces):
            refused.append(
                f"<{graph}> is in miner's own namespace (ontology, vocabularies, document graphs), "
                "never written by input"
            )
            continue
        try:
            exists = store.contains_named_graph(ox.NamedNode(graph))
        except ValueError:
            refused.append(f"<{graph}> is not a valid graph name")
            continue
        if not exists:
            continue
        recorded = owners.get(graph)
        if recorded == owner:
            if graph not in allowed:
                refused.append(f"<{graph}> was created by this file before; give --replace-graph {graph} to replace it")
        elif recorded is None:
            refused.append(f"<{graph}> already exists (no owner recorded) and is not this file's")
        else:
            refused.append(f"<{graph}> belongs to {recorded.describe()}")
    if refused:
        raise InputError(path, "nothing imported: " + "; ".join(refused))
    return owner
