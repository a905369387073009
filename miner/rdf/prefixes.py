"""The namespace prefixes of miner's graphs, as plain strings, and short names from them.

One table for every writer and reader: Turtle output, query tables, SHACL messages, the query
page. Plain strings (no rdflib) so `miner query` starts fast; ``miner.rdf.vocab``'s namespaces are
checked against it at import.
"""

from __future__ import annotations

import re

__all__ = ["PREFIXES", "SPARQL_PROLOGUE", "short_name"]

PREFIXES = {
    "miner": "https://w3id.org/miner/ontology#",
    "axis": "https://w3id.org/miner/axes/",
    "mission": "https://w3id.org/miner/missions/",
    "judgement": "https://w3id.org/miner/judgements/",
    "province": "https://w3id.org/miner/provinces/",
    "org": "http://www.w3.org/ns/org#",
    "rov": "http://www.w3.org/ns/regorg#",
    "adms": "http://www.w3.org/ns/adms#",
    "locn": "http://www.w3.org/ns/locn#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "qb": "http://purl.org/linked-data/cube#",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
"""Prefix -> namespace IRI, in the order short names are tried."""

SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())
"""Every prefix of the table as SPARQL PREFIX lines, for miner's own queries (declared once here,
not in each query module)."""


def short_name(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``prefix:local`` when a known namespace matches, else the IRI."""
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and re.fullmatch(r"[\w\-.]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
