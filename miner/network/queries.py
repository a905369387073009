"""The network read from the store by SPARQL, so it shows what the graph holds and nothing else: an
``org:Membership`` links a member to its cluster, a ``miner:ClusterActivity`` links the organisations
associated with it (``prov:wasAssociatedWith``), a ``miner:Partnership`` links the two organisations
a document says work together (or evaluated, or commissioned); cycles come with their ordinals
(``graph.graph["cycles"]``) for the network in time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from miner.extract.organisations import ORG_TYPES, fold_name
from miner.network.graph import build_network
from miner.rdf.prefixes import SPARQL_PROLOGUE
from miner.rdf.vocab import province_name, slugify
from miner.store.local import run_query

__all__ = ["network_from_store"]


NODES_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?org ?label ?concept ?area ?region ?file WHERE {
  ?org org:classification|miner:organisationType ?concept .  # the standard term, or its subproperty in earlier stores
  OPTIONAL { ?org skos:prefLabel|rdfs:label ?label }
  OPTIONAL { ?org dcterms:spatial ?area }
  OPTIONAL { ?org miner:region ?region }
  OPTIONAL { ?org miner:mentionedIn/miner:fileName ?file }
}"""
)

NAMES_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?org ?name WHERE {
  ?org org:classification|miner:organisationType ?concept ; skos:prefLabel|rdfs:label|skos:altLabel ?name .
}"""
)

CYCLE_LABELS_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?cycle ?label ?ordinal WHERE {
  { ?x org:memberDuring ?cycle } UNION { ?x miner:cycle ?cycle }
  ?cycle rdfs:label ?label .
  OPTIONAL { ?cycle miner:ordinal ?ordinal }
  FILTER (LANG(?label) = "fr" || LANG(?label) = "")
}"""
)

MEMBERSHIPS_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?m ?member ?cluster ?cycle ?file WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?cluster .
  OPTIONAL { ?m org:memberDuring ?cycle }
  OPTIONAL { ?m prov:wasDerivedFrom/miner:fileName ?file }
}"""
)

RELATIONS_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?r ?a ?b ?kind ?cluster ?cycle ?page ?quote ?file WHERE {
  ?r a miner:Partnership ; miner:partner ?a , ?b ; miner:relationKind ?kind .
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?r miner:cluster ?cluster }
  OPTIONAL { ?r miner:cycle ?cycle }
  OPTIONAL { ?r miner:page ?page }
  OPTIONAL { ?r miner:evidence/oa:hasSelector/oa:exact ?quote }
  OPTIONAL { ?r prov:wasDerivedFrom/miner:fileName ?file }
}"""
)

ACTIVITIES_QUERY = (
    SPARQL_PROLOGUE
    + """
SELECT DISTINCT ?act ?a ?b ?axis ?cluster ?cycle ?page ?file WHERE {
  ?act a miner:ClusterActivity ; prov:wasAssociatedWith ?a , ?b .
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?act miner:servesAxis ?axisConcept . BIND (REPLACE(STR(?axisConcept), "^.*/", "") AS ?axis) }
  OPTIONAL { ?act miner:cluster ?cluster }
  OPTIONAL { ?act miner:cycle ?cycle }
  OPTIONAL { ?act miner:page ?page }
  OPTIONAL { ?act prov:wasDerivedFrom/miner:fileName ?file }
}"""
)


def _rows(store: Any, text: str) -> list[dict[str, Any]]:

    result = run_query(store, text, max_rows=None, timeout=None)
    rows = []
    for row in result.rows:
        rows.append({var: (None if value is None else value.value) for var, value in zip(result.variables, row)})
    return rows


def _cycle_matches(cycle_iri: str | None, wanted: str | None) -> bool:
    """``wanted`` is a slug ("triennat-7") or an ordinal ("7"); cycle IRIs end with their slug."""
    if wanted is None:
        return True
    if not cycle_iri:
        return False
    slug = cycle_iri.rstrip("/").rsplit("/", 1)[-1]
    return slug == wanted or (wanted.isdigit() and slug.split("-")[-1] == wanted and not slug.startswith("annee"))


def network_from_store(
    store: Any, *, cluster: str | None = None, cycle: str | None = None, axis: int | None = None
) -> nx.Graph:
    """The network the store holds, optionally only the facts about one cluster (name or IRI), one
    cycle (slug or ordinal) or one decree axis (activities serving it)."""

    types: dict[str, list[str]] = defaultdict(list)
    nodes: dict[str, dict[str, Any]] = {}
    for row in _rows(store, NODES_QUERY):
        node = nodes.setdefault(
            row["org"],
            {"id": row["org"], "label": None, "type": None, "province": None, "region": None, "documents": set()},
        )
        if row["label"] and (node["label"] is None or row["label"] < node["label"]):
            node["label"] = row["label"]
        types[row["org"]].append(_type_key(row["concept"]))
        node["province"] = node["province"] or province_name(row["area"])
        node["region"] = node["region"] or row["region"]
        if row["file"]:
            node["documents"].add(row["file"])
    for iri, node in nodes.items():
        known = [t for t in types[iri] if t != "inconnu"]
        node["type"] = known[0] if known else "inconnu"
        node["label"] = node["label"] or iri.rstrip("/").rsplit("/", 1)[-1]
        node["documents"] = sorted(node["documents"])
    for row in _rows(store, NAMES_QUERY):
        if row["org"] in nodes and row["name"]:
            nodes[row["org"]].setdefault("names", set()).add(row["name"])
    cycle_labels: dict[str, str] = {}
    ordinals: dict[str, int] = {}
    for row in _rows(store, CYCLE_LABELS_QUERY):
        cycle_labels[row["cycle"]] = min(cycle_labels.get(row["cycle"], row["label"]), row["label"])
        if row.get("ordinal") is not None:
            ordinals[row["cycle"]] = int(row["ordinal"])

    def cycle_label(iri: str | None) -> str | None:
        return cycle_labels.get(iri, iri.rstrip("/").rsplit("/", 1)[-1]) if iri else None

    same = _same_organisations(nodes)

    def cluster_ok(*iris: str | None) -> bool:
        if cluster is None:
            return True
        wanted = cluster if "://" in cluster else None
        for iri in iris:
            if iri and (iri == wanted or iri.rstrip("/").rsplit("/", 1)[-1] == slugify(cluster)):
                return True
        return False

    edges: list[dict[str, Any]] = []
    if axis is None:
        for row in _rows(store, MEMBERSHIPS_QUERY):
            if cluster_ok(row["cluster"]) and _cycle_matches(row["cycle"], cycle):
                edges.append(
                    {
                        "fact": row["m"],
                        "source": row["member"],
                        "target": row["cluster"],
                        "kind": "membre",
                        "cycle": cycle_label(row["cycle"]),
                        "evidence": f"{row['file'] or '?'}: liste des membres",
                    }
                )
        for row in _rows(store, RELATIONS_QUERY):
            if cluster_ok(row["cluster"], row["a"], row["b"]) and _cycle_matches(row["cycle"], cycle):
                page = f" p. {row['page']}" if row["page"] else ""
                edges.append(
                    {
                        "fact": row["r"],
                        "source": row["a"],
                        "target": row["b"],
                        "kind": row["kind"],
                        "cycle": cycle_label(row["cycle"]),
                        "evidence": f"{row['file'] or '?'}{page}: {row['quote'] or ''}".strip(),
                    }
                )
    seen_activity: set[tuple[str, str, str]] = set()
    for row in _rows(store, ACTIVITIES_QUERY):
        if not (cluster_ok(row["cluster"]) and _cycle_matches(row["cycle"], cycle)):
            continue
        if axis is not None and row["axis"] != str(axis):
            continue
        key = (row["act"], row["a"], row["b"])
        if key in seen_activity:  # one row per axis: the edge counts the activity once
            for edge in edges:
                if edge.get("activity") == row["act"] and edge["source"] == row["a"] and row["axis"]:
                    edge["axes"].add(row["axis"])
            continue
        seen_activity.add(key)
        page = f" p. {row['page']}" if row["page"] else ""
        edges.append(
            {
                "fact": row["act"],
                "source": row["a"],
                "target": row["b"],
                "kind": "activité",
                "cycle": cycle_label(row["cycle"]),
                "activity": row["act"],
                "axes": {row["axis"]} if row["axis"] else set(),
                "evidence": f"{row['file'] or '?'}{page}: activité {row['act'].rsplit('/', 1)[-1]}",
            }
        )
    for edge in edges:
        edge["source"], edge["target"] = (
            same.get(edge["source"], edge["source"]),
            same.get(edge["target"], edge["target"]),
        )
    for alias, target in same.items():
        merged = nodes.pop(alias)
        nodes[target]["documents"] = sorted(set(nodes[target]["documents"]) | set(merged["documents"]))
        nodes[target]["names"] = (
            set(nodes[target].get("names") or ()) | set(merged.get("names") or ()) | {merged["label"]}
        )
    filtered = cluster is not None or cycle is not None or axis is not None
    if filtered:
        kept = {e["source"] for e in edges} | {e["target"] for e in edges}
        node_list = [n for iri, n in nodes.items() if iri in kept]
    else:
        node_list = list(nodes.values())
    graph = build_network(node_list, edges)
    graph.graph["cycles"] = {cycle_labels[iri]: n for iri, n in ordinals.items() if iri in cycle_labels}
    return graph


def _same_organisations(nodes: dict[str, dict[str, Any]]) -> dict[str, str]:
    """IRIs of one organisation minted apart (a member by its BCE number, the same name as an activity
    partner): nodes whose labels fold alike join the one with the most facts (a BCE IRI first)."""

    groups: dict[str, list[str]] = defaultdict(list)
    for iri, node in nodes.items():
        groups[fold_name(node["label"])].append(iri)
    same: dict[str, str] = {}
    for iris in groups.values():
        numbered = [i for i in iris if "/bce-" in i]
        if len(iris) < 2 or len(numbered) > 1:  # two enterprise numbers are two organisations
            continue
        target = max(iris, key=lambda i: ("/bce-" in i, nodes[i]["type"] != "inconnu", len(nodes[i]["documents"]), i))
        same.update({i: target for i in iris if i != target})
    return same


def _type_key(concept: str) -> str:
    """A type concept's IRI (miner:HigherEducation) → miner's type name ("université ou école")."""

    local = concept.rsplit("#", 1)[-1]
    for kind, name in ORG_TYPES.items():
        if name == local:
            return kind
    return "inconnu"
