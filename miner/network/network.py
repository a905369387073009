"""`miner network`: the partnership network of the store written as an offline page, GEXF 1.3 (with
a spell per cycle for Gephi's timeline), GraphML and a metrics CSV.

The work is split by reason: the graph and its settings (:mod:`miner.network.graph`), the SPARQL
that reads it (:mod:`miner.network.queries`), the metrics (:mod:`miner.network.metrics`), the page
(:mod:`miner.network.page`) and the files (:mod:`miner.network.export`); this module ties them
together and keeps their public names importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from miner.atomic import write_text_atomic
from miner.errors import UsageError
from miner.network import export
from miner.network.export import compute_layout
from miner.store.local import open_store

if TYPE_CHECKING:
    import networkx as nx

from miner.network.graph import ROLE_KINDS, TYPE_COLOURS, NetworkSettings, build_network
from miner.network.metrics import METRIC_COLUMNS, compute_metrics, write_metrics_csv
from miner.network.page import render_html
from miner.network.queries import network_from_store

__all__ = [
    "METRIC_COLUMNS",
    "ROLE_KINDS",
    "TYPE_COLOURS",
    "NetworkReport",
    "NetworkSettings",
    "build_network",
    "compute_metrics",
    "network",
    "network_from_store",
    "render_html",
    "write_graph_files",
    "write_metrics_csv",
    "write_network",
]


def write_graph_files(graph: nx.Graph, stem: str | Path, *, title: str = "") -> list[Path]:
    """``<stem>.graphml`` and ``<stem>.gexf`` (GEXF 1.3 with the page's colours, sizes and positions)."""
    if any("x" not in data for _, data in graph.nodes(data=True)):
        compute_layout(graph, spring_max_nodes=NetworkSettings().spring_layout_max_nodes)
    return export.write_graph_files(graph, stem, TYPE_COLOURS, title=title)


@dataclass
class NetworkReport:
    """What `miner network` wrote and the size of the network."""

    nodes: int
    edges: int
    files: list[Path] = field(default_factory=list)
    unknown_types: int = 0


def write_network(
    graph: nx.Graph,
    out: str | Path,
    *,
    title: str = "Réseau des partenariats",
    settings: NetworkSettings | dict | None = None,
    excel: bool = False,
) -> NetworkReport:
    """Metrics, then ``out`` (HTML), ``<stem>.graphml``, ``<stem>.gexf`` and ``<stem>-metrics.csv``
    (``excel``: for a French-locale Excel)."""

    out = Path(out)
    settings = NetworkSettings.resolve(settings)
    rows = compute_metrics(graph, settings)
    compute_layout(graph, spring_max_nodes=settings.spring_layout_max_nodes, seed=settings.seed)
    write_text_atomic(out, render_html(graph, title=title, settings=settings))
    stem = out.with_suffix("")
    files = [
        out,
        *write_graph_files(graph, stem, title=title),
        write_metrics_csv(rows, f"{stem}-metrics.csv", excel=excel),
    ]
    unknown = sum(1 for _, d in graph.nodes(data=True) if d.get("type") == "inconnu")
    return NetworkReport(graph.number_of_nodes(), graph.number_of_edges(), files, unknown)


def network(
    store_path: str | Path | None,
    out: str | Path,
    *,
    cluster: str | None = None,
    cycle: str | None = None,
    axis: int | None = None,
    store: Any = None,
    settings: NetworkSettings | dict | None = None,
    excel: bool = False,
) -> NetworkReport:
    """`miner network`: read the store, build the network (filtered), write the page and files."""

    if axis is not None and not 1 <= axis <= 6:
        raise UsageError(f"decree axes are numbered 1 to 6, not {axis}")
    handle = store if store is not None else open_store(store_path, read_only=True)
    graph = network_from_store(handle, cluster=cluster, cycle=cycle, axis=axis)
    bits = [b for b in (cluster, f"cycle {cycle}" if cycle else None, f"axe {axis}" if axis else None) if b]
    title = "Réseau des partenariats" + (f" — {', '.join(bits)}" if bits else "")
    return write_network(graph, out, title=title, settings=settings, excel=excel)
