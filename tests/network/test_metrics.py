"""The network's betweenness and eigenvector centrality on scipy's sparse matrices, and on a small
graph's dense numpy matrix, give networkx's values: exact, sampled (the same sources for the same
seed), and per connected component; a small network's metrics import no scipy."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

from miner.network.graph import NetworkSettings
from miner.network.metrics import betweenness_values, compute_metrics


def _graph() -> nx.Graph:
    """Two components of uneven size, a path hanging off one, weights that vary, string ids."""
    graph = nx.disjoint_union(nx.gnm_random_graph(70, 210, seed=4), nx.path_graph(6))
    graph.add_edge(3, 75)
    for a, b in graph.edges:
        graph.edges[a, b]["weight"] = 1 + (a + b) % 3
    return nx.relabel_nodes(graph, {i: f"https://example.org/org/{i}" for i in graph})


DENSE, SPARSE = NetworkSettings(dense_max_nodes=1000), NetworkSettings(dense_max_nodes=0)


@pytest.mark.parametrize("settings", [DENSE, SPARSE], ids=["dense", "sparse"])
def test_betweenness_equals_networkx_exact_and_sampled(settings):
    graph = _graph()
    order = list(graph)
    adjacency = (
        nx.to_numpy_array(graph, nodelist=order, weight="weight")
        if settings is DENSE
        else nx.to_scipy_sparse_array(graph, nodelist=order, weight="weight", format="csr")
    )
    exact = nx.betweenness_centrality(graph)
    assert betweenness_values(adjacency).tolist() == pytest.approx([exact[v] for v in order], abs=1e-12)
    sampling = settings.model_copy(update={"betweenness_exact_max": 10, "betweenness_samples": 15, "seed": 3})
    mine = compute_metrics(graph.copy(), sampling)
    sampled = nx.betweenness_centrality(graph, k=15, seed=3)  # networkx's own estimate from 15 sources
    assert {r["id"]: r["betweenness"] for r in mine} == {v: round(b, 6) for v, b in sampled.items()}
    assert len({r["betweenness"] for r in mine}) > 10  # not all zeros: the sample did reach the graph


@pytest.mark.parametrize("settings", [DENSE, SPARSE], ids=["dense", "sparse"])
def test_eigenvector_equals_networkx_per_component(settings):
    graph = _graph()
    rows = {r["id"]: r for r in compute_metrics(graph.copy(), settings)}
    for component in nx.connected_components(graph):
        share = len(component) / graph.number_of_nodes()
        expected = nx.eigenvector_centrality_numpy(graph.subgraph(component), weight="weight")
        for node, value in expected.items():
            assert rows[node]["eigenvector"] == pytest.approx(abs(value) * share, abs=2e-6)


def test_dense_and_sparse_metrics_agree_and_a_small_network_imports_no_scipy():
    """Both matrices give the same rounded metrics; a small network (the default settings) is
    measured without importing scipy, whose import costs more than the metrics of a few documents."""
    graph = _graph()
    assert compute_metrics(graph.copy(), DENSE) == compute_metrics(graph.copy(), SPARSE)
    code = (
        "import sys, networkx as nx; from miner.network.metrics import compute_metrics; "
        "rows = compute_metrics(nx.karate_club_graph()); print(len(rows), 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["34", "False"]
