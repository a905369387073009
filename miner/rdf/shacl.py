"""SHACL validation of the graph against ontology/shapes.ttl, with one readable line per problem.

The data validated is the union of every graph in the store (facts, their documents and runs, the
ontology graph), as queries see it. pyshacl is imported only here, when validation is asked for.

>>> from rdflib import Graph
>>> validate_graph(Graph()).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Identifier

from miner import data
from miner.rdf.prefixes import short_name

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "SHAPES",
    "Violation",
    "ValidationReport",
    "validate_graph",
    "validate_store",
    "store_as_graph",
    "rdflib_term",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SHAPES = data.path("ontology", "shapes.ttl")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which node, which property, what is wrong, and the offending value."""

    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = short_name(self.focus) + (f" {short_name(self.path)}" if self.path else "")
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def text(self) -> str:
        """The report as `miner validate` prints it."""
        if self.conforms:
            return f"conforms: {self.triples} triples checked against {SHAPES.name}, no violation\n"
        lines = [f"does not conform: {len(self.violations)} violation(s) in {self.triples} triples"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines) + "\n"


def _term_text(term: Any) -> str:

    return str(term) if not isinstance(term, Literal) else repr(str(term))


def validate_graph(data: "rdflib.Graph", shapes: Path = SHAPES) -> ValidationReport:
    """Validate an rdflib graph; violations sorted by focus node, path and message."""
    import pyshacl

    shapes_graph = Graph().parse(shapes)
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True, advanced=False
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        violations.append(
            Violation(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(results.value(result, SH.focusNode)),
                path=str(path) if path is not None and not isinstance(path, type(result)) else None,
                message=str(message) if message else str(results.value(result, SH.sourceConstraintComponent)),
                value=_term_text(value) if value is not None else None,
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), violations, len(data))


def rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as rdflib's (an rdflib term is returned as it is).

    >>> rdflib_term(Literal("x"))
    rdflib.term.Literal('x')
    """
    if isinstance(term, Identifier):
        return term
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: the same literal; rdflib tells them apart
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def store_as_graph(store: Any) -> "rdflib.Graph":
    """The union of all graphs of a pyoxigraph store as one rdflib graph (duplicates merged)."""
    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph


def validate_store(store: Any, shapes: Path = SHAPES) -> ValidationReport:
    """Validate everything in a pyoxigraph store."""
    return validate_graph(store_as_graph(store), shapes)
