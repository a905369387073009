"""The partnership network as a graph: organisation types and their colours, the ties that are roles
rather than partnerships, the stage's settings, and the graph built from nodes and facts.

An edge's weight is the number of facts between two organisations; it keeps their kinds, cycles,
axes and sources. The queries that read those facts from the store are :mod:`miner.network.queries`,
the metrics :mod:`miner.network.metrics`, the page :mod:`miner.network.page`, the files for Gephi
:mod:`miner.network.export`.

>>> g = build_network([{"id": "a", "label": "A", "type": "cluster"}, {"id": "b", "label": "B", "type": "PME"}],
...                   [{"source": "b", "target": "a", "kind": "membre"}])
>>> g.number_of_nodes(), g.number_of_edges(), g.edges["a", "b"]["weight"]
(2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ROLE_KINDS", "TYPE_COLOURS", "NetworkSettings", "build_network"]


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
        500,
        ge=0,
        description="up to this many nodes the layout is force-directed (networkx's Fruchterman-Reingold, "
        "under a second at 500 nodes, 7 s at 800 where it switches to sparse matrices); "
        "above, communities on a sunflower in linear time",
    )
    betweenness_exact_max: int = Field(
        1000,
        ge=0,
        description="exact betweenness costs O(nodes x edges); above this many nodes it is "
        "estimated from a sample of source nodes",
    )
    betweenness_samples: int = Field(50, ge=1, description="source nodes sampled for estimated betweenness")
    dense_max_nodes: int = Field(
        400,
        ge=0,
        description="up to this many nodes the metrics work on a dense numpy matrix (1.3 MB at 400), "
        "which needs no scipy: importing scipy.sparse costs about 0.8 s, more than the metrics of a "
        "network this small; above, scipy's sparse matrices",
    )
    seed: int = Field(0, description="seed of Louvain and the betweenness sample: same graph, same output")

    @classmethod
    def resolve(cls, value: NetworkSettings | dict | None) -> NetworkSettings:
        if value is None:
            return cls()
        return cls.model_validate(value) if isinstance(value, dict) else value


def _edge_order(edge: dict[str, Any]) -> tuple:
    """A total order of the facts, whatever order the store gave them in."""
    return (
        *(str(edge.get(name) or "") for name in ("kind", "cycle", "source", "target", "evidence", "fact")),
        sorted(map(str, edge.get("axes") or ())),
    )


def build_network(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> nx.Graph:
    """An undirected weighted graph: parallel facts between two organisations become one edge whose
    ``weight`` counts them and whose ``kinds``, ``cycles``, ``axes`` and ``evidence`` list them."""

    graph = nx.Graph()
    # the same facts in any order give the same graph: the store answers in an order of its own,
    # and the layout, Louvain and each edge's lists follow the order nodes and edges come in
    for node in sorted(nodes, key=lambda node: str(node["id"])):
        attrs = {k: v for k, v in node.items() if k != "id"}
        attrs.setdefault("label", node["id"])
        attrs.setdefault("type", "inconnu")
        attrs.setdefault("documents", [])
        attrs["names"] = sorted(set(attrs.get("names") or ()) | {attrs["label"]})
        graph.add_node(node["id"], **attrs)
    ties: dict[tuple[str, str], dict[str, Any]] = {}  # (first end seen, other end) → the edge's attributes
    for edge in sorted(edges, key=_edge_order):
        a, b = edge["source"], edge["target"]
        if a == b:
            continue
        for end in (a, b):
            if end not in graph:
                label = end.rstrip("/").rsplit("/", 1)[-1]
                graph.add_node(end, label=label, type="inconnu", documents=[], names=[label])
        data = ties.get((a, b)) or ties.get((b, a))
        if data is None:
            graph.add_edge(a, b, weight=0, kinds=[], cycles=[], axes=[], evidence=[], hubs=[], facts=set())
            data = ties[(a, b)] = graph[a][b]  # the edge's own attribute dict, found again in O(1)
        fact = edge.get("fact") or (edge.get("kind"), edge.get("evidence"))
        if fact not in data["facts"]:  # the same fact read twice (a triple in two graphs) counts once
            data["facts"].add(fact)
            data["weight"] += 1
        for name, value in (
            ("kinds", edge.get("kind")),
            ("cycles", edge.get("cycle")),
            ("evidence", edge.get("evidence")),
        ):
            if value and value not in data[name]:
                data[name].append(value)
        if edge.get("kind") == "membre" and b not in data["hubs"]:
            data["hubs"].append(b)  # a member hangs from its cluster: the page keeps the hub with it
        for value in sorted(edge.get("axes") or ()):
            if value not in data["axes"]:
                data["axes"].append(value)
    node_axes: dict[str, set[str]] = {node: set() for node in graph}
    node_roles: dict[str, set[str]] = {node: set() for node in graph}
    for (a, b), data in ties.items():  # one pass over the ties for the edges' roles and the nodes' axes and roles
        del data["facts"]
        roles = [ROLE_KINDS[k] for k in data["kinds"] if k in ROLE_KINDS]
        if roles and len(roles) == len(data["kinds"]):  # set only when there is one: files stay lean
            data["role"] = roles[0]
        for end in (a, b):
            node_axes[end].update(data["axes"])
            node_roles[end].add(data.get("role", ""))
    for node, data in graph.nodes(data=True):
        data["axes"] = sorted(node_axes[node], key=int)
        roles = node_roles[node]
        # an organisation tied only by a role (the consultancy, the administration) has that role
        if len(roles) == 1 and "" not in roles and data.get("type") != "cluster":
            data["role"] = next(iter(roles))
    return graph
