"""The partnership network: organisations linked by membership, co-participation and stated relations.

Built from the store by SPARQL (:func:`network_from_store`), so it shows what the graph holds and
nothing else: an ``org:Membership`` links a member to its cluster, a ``miner:ClusterActivity``
links the organisations associated with it (``prov:wasAssociatedWith``), a ``miner:Partnership``
links the two organisations a document says work together (or evaluated, or commissioned). An
edge's weight is the number of such facts; it keeps their kinds, cycles, axes and sources.

Metrics (:func:`compute_metrics`): degree, weighted degree, betweenness (sampled on big graphs),
eigenvector centrality and Louvain communities, written as CSV. One layout
(:func:`miner.network.export.compute_layout`) is drawn by the page and carried by the files: GEXF
1.3 with ``viz:`` colour, size and position, and GraphML (Gephi) with the same attributes; and an
HTML page that works offline: vis-network's JavaScript (shipped inside pyvis) is inlined, no
CDN and no Bootstrap, a Content-Security-Policy allows only the page's own scripts, and every
label is data (JSON in a non-executable script element, shown with ``textContent``), never markup.

networkx and pandas are imported inside the functions that need them.

>>> g = build_network([{"id": "a", "label": "A", "type": "cluster"}, {"id": "b", "label": "B", "type": "PME"}],
...                   [{"source": "b", "target": "a", "kind": "membre"}])
>>> g.number_of_nodes(), g.number_of_edges(), g.edges["a", "b"]["weight"]
(2, 1, 1)
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from miner import data
from miner.atomic import write_text_atomic
from miner.data.render import render_template, trusted
from miner.errors import UsageError
from miner.extract.organisations import ORG_TYPES, fold_name
from miner.network import export
from miner.network.export import compute_layout, node_size
from miner.rdf.prefixes import SPARQL_PROLOGUE
from miner.rdf.vocab import province_name, slugify
from miner.read.spreadsheet import write_csv
from miner.store.local import open_store, run_query

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ROLE_KINDS",
    "TYPE_COLOURS",
    "NetworkReport",
    "NetworkSettings",
    "build_network",
    "compute_metrics",
    "network_from_store",
    "render_html",
    "write_graph_files",
    "write_metrics_csv",
    "write_network",
]

ASSETS = data.ASSETS

TYPE_COLOURS: dict[str, str] = {
    "cluster": "#d62728",
    "pôle de compétitivité": "#9467bd",
    "fédération": "#8c564b",
    "organisme public": "#1f77b4",
    "centre de recherche": "#2ca02c",
    "université ou école": "#17becf",
    "centre de formation": "#bcbd22",
    "association": "#e377c2",
    "consultant": "#7f7f7f",
    "entreprise": "#ff7f0e",
    "PME": "#ffbb78",
    "grande entreprise": "#aec7e8",
    "inconnu": "#c7c7c7",
}
"""Node colour per organisation type (Tableau 10 and its light shades, readable on white)."""

ROLE_KINDS = {"évaluation": "évaluateur", "commande": "administration (commanditaire)"}
"""Ties that are a role in the evaluation, not a partnership: the consultancy that evaluates the
cluster and the administration that commissions the evaluation. They stay in the graph (and the
files, as ``role``) but apart from partners: out of the metrics, hidden on the page until asked."""


class NetworkSettings(BaseModel):
    """Thresholds of the network stage, each with why it has that value."""

    model_config = ConfigDict(extra="forbid")
    spring_layout_max_nodes: int = Field(
        500, ge=0, description="up to this many nodes the layout is force-directed (networkx's Fruchterman-Reingold, "
                               "under a second at 500 nodes, 7 s at 800 where it switches to sparse matrices); "
                               "above, communities on a sunflower in linear time")
    betweenness_exact_max: int = Field(
        1000, ge=0, description="exact betweenness costs O(nodes x edges); above this many nodes it is "
                                "estimated from a sample of source nodes")
    betweenness_samples: int = Field(50, ge=1, description="source nodes sampled for estimated betweenness")
    seed: int = Field(0, description="seed of Louvain and the betweenness sample: same graph, same output")

    @classmethod
    def resolve(cls, value: NetworkSettings | dict | None) -> NetworkSettings:
        if value is None:
            return cls()
        return cls.model_validate(value) if isinstance(value, dict) else value


# ---------------------------------------------------------------- from the store


NODES_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?org ?label ?concept ?area ?region ?file WHERE {
  ?org org:classification|miner:organisationType ?concept .  # the standard term, or its subproperty in earlier stores
  OPTIONAL { ?org skos:prefLabel|rdfs:label ?label }
  OPTIONAL { ?org dcterms:spatial ?area }
  OPTIONAL { ?org miner:region ?region }
  OPTIONAL { ?org miner:mentionedIn/miner:fileName ?file }
}"""

NAMES_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?org ?name WHERE {
  ?org org:classification|miner:organisationType ?concept ; skos:prefLabel|rdfs:label|skos:altLabel ?name .
}"""

CYCLE_LABELS_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?cycle ?label ?ordinal WHERE {
  { ?x org:memberDuring ?cycle } UNION { ?x miner:cycle ?cycle }
  ?cycle rdfs:label ?label .
  OPTIONAL { ?cycle miner:ordinal ?ordinal }
  FILTER (LANG(?label) = "fr" || LANG(?label) = "")
}"""

MEMBERSHIPS_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?m ?member ?cluster ?cycle ?file WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?cluster .
  OPTIONAL { ?m org:memberDuring ?cycle }
  OPTIONAL { ?m prov:wasDerivedFrom/miner:fileName ?file }
}"""

RELATIONS_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?r ?a ?b ?kind ?cluster ?cycle ?page ?quote ?file WHERE {
  ?r a miner:Partnership ; miner:partner ?a , ?b ; miner:relationKind ?kind .
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?r miner:cluster ?cluster }
  OPTIONAL { ?r miner:cycle ?cycle }
  OPTIONAL { ?r miner:page ?page }
  OPTIONAL { ?r miner:evidence/oa:hasSelector/oa:exact ?quote }
  OPTIONAL { ?r prov:wasDerivedFrom/miner:fileName ?file }
}"""

ACTIVITIES_QUERY = SPARQL_PROLOGUE + """
SELECT DISTINCT ?act ?a ?b ?axis ?cluster ?cycle ?page ?file WHERE {
  ?act a miner:ClusterActivity ; prov:wasAssociatedWith ?a , ?b .
  FILTER (STR(?a) < STR(?b))
  OPTIONAL { ?act miner:servesAxis ?axisConcept . BIND (REPLACE(STR(?axisConcept), "^.*/", "") AS ?axis) }
  OPTIONAL { ?act miner:cluster ?cluster }
  OPTIONAL { ?act miner:cycle ?cycle }
  OPTIONAL { ?act miner:page ?page }
  OPTIONAL { ?act prov:wasDerivedFrom/miner:fileName ?file }
}"""


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


def network_from_store(store: Any, *, cluster: str | None = None, cycle: str | None = None,
                       axis: int | None = None) -> nx.Graph:
    """The network the store holds, optionally only the facts about one cluster (name or IRI), one
    cycle (slug or ordinal) or one decree axis (activities serving it)."""

    types: dict[str, list[str]] = defaultdict(list)
    nodes: dict[str, dict[str, Any]] = {}
    for row in _rows(store, NODES_QUERY):
        node = nodes.setdefault(row["org"], {"id": row["org"], "label": None, "type": None, "province": None,
                                             "region": None, "documents": set()})
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
                edges.append({"fact": row["m"], "source": row["member"], "target": row["cluster"], "kind": "membre",
                              "cycle": cycle_label(row["cycle"]), "evidence": f"{row['file'] or '?'}: liste des membres"})
        for row in _rows(store, RELATIONS_QUERY):
            if cluster_ok(row["cluster"], row["a"], row["b"]) and _cycle_matches(row["cycle"], cycle):
                page = f" p. {row['page']}" if row["page"] else ""
                edges.append({"fact": row["r"], "source": row["a"], "target": row["b"], "kind": row["kind"],
                              "cycle": cycle_label(row["cycle"]),
                              "evidence": f"{row['file'] or '?'}{page}: {row['quote'] or ''}".strip()})
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
        edges.append({"fact": row["act"], "source": row["a"], "target": row["b"], "kind": "activité",
                      "cycle": cycle_label(row["cycle"]),
                      "activity": row["act"], "axes": {row["axis"]} if row["axis"] else set(),
                      "evidence": f"{row['file'] or '?'}{page}: activité {row['act'].rsplit('/', 1)[-1]}"})
    for edge in edges:
        edge["source"], edge["target"] = same.get(edge["source"], edge["source"]), same.get(edge["target"], edge["target"])
    for alias, target in same.items():
        merged = nodes.pop(alias)
        nodes[target]["documents"] = sorted(set(nodes[target]["documents"]) | set(merged["documents"]))
        nodes[target]["names"] = set(nodes[target].get("names") or ()) | set(merged.get("names") or ()) | {merged["label"]}
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


def build_network(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> nx.Graph:
    """An undirected weighted graph: parallel facts between two organisations become one edge whose
    ``weight`` counts them and whose ``kinds``, ``cycles``, ``axes`` and ``evidence`` list them."""

    graph = nx.Graph()
    for node in nodes:
        attrs = {k: v for k, v in node.items() if k != "id"}
        attrs.setdefault("label", node["id"])
        attrs.setdefault("type", "inconnu")
        attrs.setdefault("documents", [])
        attrs["names"] = sorted(set(attrs.get("names") or ()) | {attrs["label"]})
        graph.add_node(node["id"], **attrs)
    for edge in edges:
        a, b = edge["source"], edge["target"]
        if a == b:
            continue
        for end in (a, b):
            if end not in graph:
                label = end.rstrip("/").rsplit("/", 1)[-1]
                graph.add_node(end, label=label, type="inconnu", documents=[], names=[label])
        if graph.has_edge(a, b):
            data = graph.edges[a, b]
        else:
            graph.add_edge(a, b, weight=0, kinds=[], cycles=[], axes=[], evidence=[], hubs=[], facts=set())
            data = graph.edges[a, b]
        fact = edge.get("fact") or (edge.get("kind"), edge.get("evidence"))
        if fact not in data["facts"]:  # the same fact read twice (a triple in two graphs) counts once
            data["facts"].add(fact)
            data["weight"] += 1
        for name, value in (("kinds", edge.get("kind")), ("cycles", edge.get("cycle")), ("evidence", edge.get("evidence"))):
            if value and value not in data[name]:
                data[name].append(value)
        if edge.get("kind") == "membre" and b not in data["hubs"]:
            data["hubs"].append(b)  # a member hangs from its cluster: the page keeps the hub with it
        for value in sorted(edge.get("axes") or ()):
            if value not in data["axes"]:
                data["axes"].append(value)
    for _, _, data in graph.edges(data=True):
        del data["facts"]
        roles = [ROLE_KINDS[k] for k in data["kinds"] if k in ROLE_KINDS]
        data["role"] = roles[0] if roles and len(roles) == len(data["kinds"]) else ""
    for node, data in graph.nodes(data=True):
        axes = sorted({a for _, _, e in graph.edges(node, data=True) for a in e["axes"]}, key=int)
        data["axes"] = axes
        ties = [e for _, _, e in graph.edges(node, data=True)]
        roles = {e["role"] for e in ties}
        # an organisation tied only by a role (the consultancy, the administration) has that role
        data["role"] = next(iter(roles)) if ties and len(roles) == 1 and "" not in roles and \
            data.get("type") != "cluster" else ""
    return graph


# ---------------------------------------------------------------- metrics and files


def _partnerships(graph: nx.Graph) -> nx.Graph:
    """The graph without its role ties (see ROLE_KINDS): what the metrics measure."""
    if not any(data.get("role") for _, _, data in graph.edges(data=True)):
        return graph
    kept = graph.copy()
    kept.remove_edges_from([(a, b) for a, b, data in graph.edges(data=True) if data.get("role")])
    return kept


def compute_metrics(graph: nx.Graph, settings: NetworkSettings | dict | None = None) -> list[dict[str, Any]]:
    """Per organisation: degree, weighted degree, betweenness, eigenvector centrality, community.
    The values are also set as node attributes (the files and the page show them)."""

    settings = NetworkSettings.resolve(settings)
    n = graph.number_of_nodes()
    if n == 0:
        return []
    full, graph = graph, _partnerships(graph)
    if n > settings.betweenness_exact_max:
        betweenness = nx.betweenness_centrality(graph, k=min(settings.betweenness_samples, n), seed=settings.seed)
    else:
        betweenness = nx.betweenness_centrality(graph)
    eigenvector = _eigenvector(graph)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=settings.seed)
    community_of = {}
    for number, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        for member in members:
            community_of[member] = number
    rows = []
    for node, data in full.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = graph.degree(node, weight="weight")
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["eigenvector"] = round(eigenvector.get(node, 0.0), 6)
        data["community"] = community_of.get(node, -1)
        rows.append({"id": node, "label": data.get("label"), "type": data.get("type"),
                     "province": data.get("province") or "", "degree": data["degree"],
                     "weighted_degree": data["weighted_degree"], "betweenness": data["betweenness"],
                     "eigenvector": data["eigenvector"], "community": data["community"]})
    rows.sort(key=lambda r: (-r["degree"], r["label"] or ""))
    return rows


def _eigenvector(graph: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality per connected component (it is undefined across components), scaled
    by the component's share of the nodes so a hub of a big component outranks one of a pair."""

    values = {node: 0.0 for node in graph}
    n = graph.number_of_nodes()
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        sub = graph.subgraph(component)
        share = len(component) / n
        try:
            if len(component) > 2:
                scores = nx.eigenvector_centrality_numpy(sub, weight="weight")
            else:
                scores = {node: math.sqrt(0.5) for node in component}
        except (nx.NetworkXException, ArithmeticError, RuntimeError):
            try:
                scores = nx.eigenvector_centrality(sub, weight="weight", max_iter=1000, tol=1e-4)
            except nx.PowerIterationFailedConvergence:
                continue
        for node, score in scores.items():
            values[node] = abs(score) * share
    return values


METRIC_COLUMNS = ("id", "label", "type", "province", "degree", "weighted_degree", "betweenness", "eigenvector",
                  "community")


def write_metrics_csv(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """The metrics table as CSV (UTF-8, one row per organisation, most connected first)."""
    write_text_atomic(path, write_csv(list(METRIC_COLUMNS), rows))  # labels come from documents
    return Path(path)


def write_graph_files(graph: nx.Graph, stem: str | Path, *, title: str = "") -> list[Path]:
    """``<stem>.graphml`` and ``<stem>.gexf`` (GEXF 1.3 with the page's colours, sizes and positions)."""
    if any("x" not in data for _, data in graph.nodes(data=True)):
        compute_layout(graph, spring_max_nodes=NetworkSettings().spring_layout_max_nodes)
    return export.write_graph_files(graph, stem, TYPE_COLOURS, title=title)


# ---------------------------------------------------------------- page



def _tooltip_node(data: dict[str, Any]) -> str:
    lines = [str(data.get("label")), f"type : {data.get('type')}"]
    if data.get("province") or data.get("region"):
        lines.append(f"province : {data.get('province') or '—'} ({data.get('region') or '?'})")
    if "degree" in data:
        lines.append(f"degré : {data['degree']}  ·  communauté : {data.get('community')}")
    if data.get("axes"):
        lines.append("axes : " + ", ".join(data["axes"]))
    docs = data.get("documents") or []
    if docs:
        lines.append("cité dans : " + "; ".join(docs[:5]) + (" …" if len(docs) > 5 else ""))
    return "\n".join(lines)


def _tooltip_edge(data: dict[str, Any]) -> str:
    lines = [f"{', '.join(data.get('kinds') or [])} (poids {data.get('weight')})"]
    for evidence in (data.get("evidence") or [])[:4]:
        lines.append(evidence if len(evidence) <= 160 else evidence[:157] + "…")
    if len(data.get("evidence") or []) > 4:
        lines.append(f"… et {len(data['evidence']) - 4} autres sources")
    return "\n".join(lines)


def _page_data(graph: nx.Graph, title: str, settings: NetworkSettings) -> dict[str, Any]:
    """What the page's script reads: nodes at the precomputed layout, their every name, each edge's
    kinds and the hubs its members hang from (the filters keep those)."""
    if any("x" not in data for _, data in graph.nodes(data=True)):
        compute_layout(graph, spring_max_nodes=settings.spring_layout_max_nodes, seed=settings.seed)
    max_degree = max((d for _, d in graph.degree()), default=0)
    index = {node: i for i, node in enumerate(graph.nodes)}
    nodes = []
    for node, data in graph.nodes(data=True):
        nodes.append({
            "id": index[node],
            "iri": node,
            "label": str(data.get("label")),
            "names": sorted({str(n) for n in data.get("names") or ()} | {str(data.get("label"))}),
            "group": data.get("type", "inconnu"),
            "color": TYPE_COLOURS.get(data.get("type", "inconnu"), TYPE_COLOURS["inconnu"]),
            "size": node_size(graph.degree(node), max_degree),
            "title": _tooltip_node(data),
            "province": data.get("province") or "",
            "axes": data.get("axes") or [],
            "role": data.get("role") or "",
            "x": data["x"],
            "y": data["y"],
        })
    edges = []
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        edges.append({"id": i, "from": index[a], "to": index[b], "value": data.get("weight", 1),
                      "title": _tooltip_edge(data), "axes": data.get("axes") or [], "kinds": data.get("kinds") or [],
                      "role": data.get("role") or "", "cycles": data.get("cycles") or [],
                      "hubs": [index[h] for h in data.get("hubs") or () if h in index]})
    present = sorted({n["group"] for n in nodes}, key=list(TYPE_COLOURS).index)
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "legend": [{"type": t, "color": TYPE_COLOURS[t], "count": sum(n["group"] == t for n in nodes)} for t in present],
        "provinces": sorted({n["province"] for n in nodes if n["province"]}),
        "axes": sorted({a for n in nodes for a in n["axes"]}, key=int),
        "cycles": [label for label, _ in sorted((graph.graph.get("cycles") or {}).items(), key=lambda kv: kv[1])
                   if any(label in e["cycles"] for e in edges)],
    }


def _json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">``: no character can close the element
    or open a comment, whatever the labels hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_js() -> str:
    """vis-network's standalone build as pyvis ships it (no network access needed)."""
    import pyvis

    base = Path(pyvis.__file__).parent
    for candidate in sorted(base.glob("templates/lib/vis-*/vis-network.min.js"), reverse=True) + \
            sorted(base.glob("lib/vis-*/vis-network.min.js"), reverse=True):
        return candidate.read_text(encoding="utf-8").replace("</script", "<\\/script")
    raise UsageError("vis-network.min.js not found inside the pyvis package; reinstall pyvis")


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: nx.Graph, *, title: str = "Réseau des partenariats",
                settings: NetworkSettings | dict | None = None) -> str:
    """The offline page of a network (metrics should be computed first: the page shows them)."""
    settings = NetworkSettings.resolve(settings)
    style = (ASSETS / "network.css").read_text(encoding="utf-8")
    app = (ASSETS / "network.js").read_text(encoding="utf-8")
    data = _page_data(graph, title, settings)
    vis = _vis_js() if graph.number_of_nodes() else ""
    scripts = [s for s in (vis, app) if s]
    csp = ("default-src 'none'; script-src " + " ".join(_sha256_source(s) for s in scripts) +
           "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; connect-src 'none'")
    empty = "" if graph.number_of_nodes() else ("Aucune organisation à afficher : le graphe est vide (chargez des "
                                                 "documents ou des listes de membres, ou relâchez les filtres).")
    # values are escaped unless miner's own (trusted); the head is miner's base page (page.html)
    return render_template("network.html", csp=csp, title=title, style=trusted(style),
                           data=trusted(_json_for_script(data)), empty=empty,
                           scripts=trusted("".join(f"<script>{s}</script>\n" for s in scripts)))


@dataclass
class NetworkReport:
    """What `miner network` wrote and the size of the network."""

    nodes: int
    edges: int
    files: list[Path] = field(default_factory=list)
    unknown_types: int = 0


def write_network(graph: nx.Graph, out: str | Path, *, title: str = "Réseau des partenariats",
                  settings: NetworkSettings | dict | None = None) -> NetworkReport:
    """Metrics, then ``out`` (HTML), ``<stem>.graphml``, ``<stem>.gexf`` and ``<stem>-metrics.csv``."""

    out = Path(out)
    settings = NetworkSettings.resolve(settings)
    rows = compute_metrics(graph, settings)
    compute_layout(graph, spring_max_nodes=settings.spring_layout_max_nodes, seed=settings.seed)
    write_text_atomic(out, render_html(graph, title=title, settings=settings))
    stem = out.with_suffix("")
    files = [out, *write_graph_files(graph, stem, title=title), write_metrics_csv(rows, f"{stem}-metrics.csv")]
    unknown = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "inconnu")
    return NetworkReport(graph.number_of_nodes(), graph.number_of_edges(), files, unknown)


def network(store_path: str | Path | None, out: str | Path, *, cluster: str | None = None, cycle: str | None = None,
            axis: int | None = None, store: Any = None, settings: NetworkSettings | dict | None = None) -> NetworkReport:
    """`miner network`: read the store, build the network (filtered), write the page and files."""

    if axis is not None and not 1 <= axis <= 6:
        raise UsageError(f"decree axes are numbered 1 to 6, not {axis}")
    handle = store if store is not None else open_store(store_path, read_only=True)
    graph = network_from_store(handle, cluster=cluster, cycle=cycle, axis=axis)
    bits = [b for b in (cluster, f"cycle {cycle}" if cycle else None, f"axe {axis}" if axis else None) if b]
    title = "Réseau des partenariats" + (f" — {', '.join(bits)}" if bits else "")
    return write_network(graph, out, title=title, settings=settings)
