"""Metrics of the partnership network, on its partnerships only (role ties left out): degree, weighted
degree, betweenness (sampled on big graphs), eigenvector centrality and Louvain communities, set on
the nodes (the page and files show them) and written as CSV.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx

from miner.atomic import write_text_atomic
from miner.network.graph import NetworkSettings
from miner.read.spreadsheet import write_csv

__all__ = ["METRIC_COLUMNS", "compute_metrics", "write_metrics_csv"]



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


def write_metrics_csv(rows: list[dict[str, Any]], path: str | Path, *, excel: bool = False) -> Path:
    """The metrics table as CSV (UTF-8, one row per organisation, most connected first); ``excel``:
    ``;``-separated with decimal commas, as a French-locale Excel opens it."""
    write_text_atomic(path, write_csv(list(METRIC_COLUMNS), rows, excel=excel))  # labels come from documents
    return Path(path)


