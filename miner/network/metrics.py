"""Metrics of the partnership network, on its partnerships only (role ties left out): degree, weighted
degree, betweenness (sampled on big graphs), eigenvector centrality and Louvain communities, set on
the nodes (the page and files show them) and written as CSV. Betweenness and eigenvector work on
one matrix of the graph: networkx's Python loops made most of a big page's time. A big graph's
matrix is scipy's sparse one; a small graph's (``NetworkSettings.dense_max_nodes``) a dense numpy
array, the same products, so a build of a few documents does not import scipy for them.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from miner.atomic import write_text_atomic
from miner.network.graph import NetworkSettings
from miner.read.spreadsheet import write_csv

__all__ = ["METRIC_COLUMNS", "betweenness_values", "compute_metrics", "write_metrics_csv"]


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
    order = list(graph)
    adjacency = (
        nx.to_numpy_array(graph, nodelist=order, weight="weight")
        if n <= settings.dense_max_nodes
        else nx.to_scipy_sparse_array(graph, nodelist=order, weight="weight", format="csr")
    )
    sources = None
    if n > settings.betweenness_exact_max:  # networkx's sample for the same seed: the same estimate as its k
        sources = [
            order.index(s) for s in random.Random(settings.seed).sample(order, min(settings.betweenness_samples, n))
        ]
    betweenness = dict(zip(order, betweenness_values(adjacency, sources).tolist()))
    eigenvector = _eigenvector(graph, order, adjacency)
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
        rows.append(
            {
                "id": node,
                "label": data.get("label"),
                "type": data.get("type"),
                "province": data.get("province") or "",
                "degree": data["degree"],
                "weighted_degree": data["weighted_degree"],
                "betweenness": data["betweenness"],
                "eigenvector": data["eigenvector"],
                "community": data["community"],
            }
        )
    rows.sort(key=lambda r: (-r["degree"], r["label"] or ""))
    return rows


def betweenness_values(adjacency: Any, sources: list[int] | None = None, chunk: int = 256) -> np.ndarray:
    """Normalised shortest-path betweenness of each node of an undirected graph (its symmetric
    adjacency, scipy sparse or a dense numpy array; weights ignored, as networkx's unweighted
    betweenness does), from all sources
    or from the sampled ``sources`` (then rescaled as networkx's ``k``-sample estimate is).

    Brandes' algorithm with the breadth-first searches of many sources done at once as sparse
    matrix products (scipy, in C): networkx's loops in Python took most of a 5,000-organisation
    page's time. The values equal networkx's ``betweenness_centrality``.

    >>> import networkx as nx
    >>> star = nx.to_scipy_sparse_array(nx.star_graph(3), format="csr")
    >>> betweenness_values(star).round(3).tolist()
    [1.0, 0.0, 0.0, 0.0]
    >>> betweenness_values(nx.to_numpy_array(nx.star_graph(3))).round(3).tolist()
    [1.0, 0.0, 0.0, 0.0]
    """
    n = adjacency.shape[0]
    if isinstance(adjacency, np.ndarray):
        a = (adjacency != 0).astype(np.float64)  # hops, not weights
    else:
        import scipy.sparse as sparse

        a = sparse.csr_array(
            (np.ones_like(adjacency.data, dtype=np.float64), adjacency.indices, adjacency.indptr), shape=adjacency.shape
        )
    chosen = np.arange(n) if sources is None else np.asarray(sources, dtype=int)
    total = np.zeros(n)
    for start in range(0, len(chosen), chunk):
        batch = chosen[start : start + chunk]
        columns = np.arange(len(batch))
        sigma = np.zeros((n, len(batch)))  # shortest paths from each source (a column) to each node
        depth = np.full((n, len(batch)), -1, dtype=np.int32)
        sigma[batch, columns] = 1.0
        depth[batch, columns] = 0
        frontier, level = sigma.copy(), 0
        while True:
            reached = a @ frontier
            reached[depth >= 0] = 0.0
            if not reached.any():
                break
            level += 1
            depth[reached > 0] = level
            sigma += reached
            frontier = reached
        delta = np.zeros_like(sigma)  # each node's dependency on each source, from the deepest level up
        for d in range(level - 1, 0, -1):
            ahead = np.where(depth == d + 1, (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
            delta += np.where(depth == d, sigma * (a @ ahead), 0.0)
        total += delta.sum(axis=1)
    return total * _scale(n, None if sources is None else chosen)


def _scale(n: int, sampled: np.ndarray | None) -> np.ndarray | float:
    """networkx's normalisation of betweenness over ordered pairs (``_rescale``, endpoints left out):
    a sampled source cannot count itself, so it is scaled over one source fewer."""
    pairs = n - 1
    if pairs < 2:
        return 1.0
    if sampled is None:
        return 1.0 / (pairs * (pairs - 1))
    k = len(sampled)
    scale = np.full(n, 1.0 / (k * (pairs - 1)))
    scale[sampled] = 1.0 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    return scale


def _components(graph: nx.Graph, order: list[Any], adjacency: Any) -> list[np.ndarray]:
    """The connected components as arrays of positions in ``order``: scipy's on a sparse matrix,
    networkx's (a small graph) on a dense one."""
    if isinstance(adjacency, np.ndarray):
        position = {node: i for i, node in enumerate(order)}
        return [np.sort([position[node] for node in nodes]) for nodes in nx.connected_components(graph)]
    import scipy.sparse.csgraph as csgraph

    count, labels = csgraph.connected_components(adjacency, directed=False)
    return [np.flatnonzero(labels == component) for component in range(count)]


def _leading_vector(sub: Any) -> np.ndarray:
    """The eigenvector of the largest eigenvalue of a symmetric matrix: numpy's ``eigh`` on a dense
    one, scipy's ``eigsh`` on a sparse one (raises ArithmeticError or ValueError when it fails)."""
    if isinstance(sub, np.ndarray):  # numpy's LinAlgError is a ValueError
        return np.linalg.eigh(sub)[1][:, -1]  # eigenvalues ascending: the last is the largest
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

    try:
        return eigsh(sub, k=1, which="LA")[1][:, 0]
    except (ArpackError, ArpackNoConvergence) as exc:
        raise ArithmeticError(str(exc)) from None


def _eigenvector(graph: nx.Graph, order: list[Any], adjacency: Any) -> dict[Any, float]:
    """Eigenvector centrality per connected component (it is undefined across components), scaled
    by the component's share of the nodes so a hub of a big component outranks one of a pair. The
    leading eigenvector of each component's weighted adjacency (symmetric) comes from the matrix
    built once for every metric (:func:`_leading_vector`)."""
    values = {node: 0.0 for node in order}
    n = len(order)
    for members in _components(graph, order, adjacency):
        if len(members) < 2:
            continue
        share = len(members) / n
        if len(members) == 2:
            scores = np.full(2, math.sqrt(0.5))
        else:
            sub = adjacency[members][:, members].astype(np.float64)
            try:
                scores = _leading_vector(sub)
            except (ArithmeticError, ValueError):
                try:
                    found = nx.eigenvector_centrality(
                        graph.subgraph(order[i] for i in members), weight="weight", max_iter=1000, tol=1e-4
                    )
                except nx.PowerIterationFailedConvergence:
                    continue
                scores = np.asarray([found[order[i]] for i in members])
            scores = scores / (np.sign(scores.sum()) * np.linalg.norm(scores))
        for i, score in zip(members, scores.tolist()):
            values[order[i]] = abs(score) * share
    return values


METRIC_COLUMNS = (
    "id",
    "label",
    "type",
    "province",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "community",
)


def write_metrics_csv(rows: list[dict[str, Any]], path: str | Path, *, excel: bool = False) -> Path:
    """The metrics table as CSV (UTF-8, one row per organisation, most connected first); ``excel``:
    ``;``-separated with decimal commas, as a French-locale Excel opens it."""
    write_text_atomic(path, write_csv(list(METRIC_COLUMNS), rows, excel=excel))  # labels come from documents
    return Path(path)
