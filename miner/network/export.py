"""The network's layout and its files for Gephi: GEXF 1.3 with ``viz:`` colour, size and position,
and GraphML with the same attributes.

One layout serves everything: :func:`compute_layout` places the nodes once (Fruchterman–Reingold
from networkx on graphs a browser can draw, a linear-time sunflower of communities above that) and
stores ``x``/``y`` on the nodes; the HTML page draws those positions and the files carry them, so
Gephi opens the graph the page shows, coloured by organisation type and sized by degree.

GEXF comes from networkx's writer at version 1.3 (``viz`` namespace ``http://gexf.net/1.3/viz``,
which Gephi and networkx read), with two of its slips mended on its XML tree: the empty
``name`` attribute of ``<graph>`` (not in the 1.3 grammar) and the misspelt XML-Schema-instance
namespace of ``xsi:schemaLocation``. Edge and node attributes are words: kinds of tie, cycle labels,
axes, names; lists are joined with `` | ``.


>>> hex_rgb("#1f77b4")
(31, 119, 180)
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx

from miner import __version__
from miner.atomic import write_bytes_atomic

__all__ = ["compute_layout", "cycle_spells", "hex_rgb", "node_size", "write_gexf", "write_graph_files", "write_graphml"]

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
LIST_SEPARATOR = " | "

NODE_SIZE_MIN, NODE_SIZE_RANGE = 8.0, 28.0
"""Node size in page pixels: 8 for an isolated organisation up to 36 for the best connected, by the
square root of degree so a hub of 200 members does not hide its neighbours."""

SPRING_SPACING = 60.0
"""Page pixels per unit of Fruchterman–Reingold's [-1, 1] square, times sqrt(nodes of the component):
two to three node diameters between neighbours whatever the component's size."""

SPRING_ITERATIONS = 60
"""Fruchterman–Reingold steps: positions move by under a pixel after about fifty on these graphs."""


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three 0-255 integers."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def node_size(degree: int, max_degree: int) -> float:
    """The size the page draws a node at (and Gephi's ``viz:size``)."""
    return round(NODE_SIZE_MIN + NODE_SIZE_RANGE * math.sqrt(degree / (max_degree or 1)), 1)


def _sunflower(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """A layout in linear time for big graphs: communities on a sunflower spiral, each community's
    members on its own small sunflower, most connected at its centre."""
    golden = math.pi * (3 - math.sqrt(5))
    groups: dict[int, list[Any]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        groups[data.get("community", 0)].append(node)
    ordered = sorted(groups.values(), key=len, reverse=True)
    positions: dict[Any, tuple[float, float]] = {}
    spacing = 18.0
    placed_radius = 0.0
    angle = 0.0
    for index, members in enumerate(ordered):
        radius = spacing * math.sqrt(len(members))
        if index == 0:
            cx, cy = 0.0, 0.0
            placed_radius = radius
        else:
            angle += golden * 2
            distance = placed_radius + radius * 1.2
            cx, cy = distance * math.cos(angle), distance * math.sin(angle)
            placed_radius = max(placed_radius, distance * 0.6 + radius)
        members.sort(key=lambda n: -graph.degree(n))
        for rank, node in enumerate(members):
            r = spacing * math.sqrt(rank)
            positions[node] = (cx + r * math.cos(rank * golden), cy + r * math.sin(rank * golden))
    return positions


def _pack(groups: list[dict[Any, tuple[float, float]]], margin: float) -> dict[Any, tuple[float, float]]:
    """Groups of positions (each centred on 0, 0) placed side by side on a golden-angle spiral,
    biggest first, so no group overlaps another."""
    golden = math.pi * (3 - math.sqrt(5))
    placed: list[tuple[float, float, float]] = []
    positions: dict[Any, tuple[float, float]] = {}
    step = 0  # never restarts: groups come biggest first, so a later one never fits further in
    for group in groups:
        radius = max((math.hypot(x, y) for x, y in group.values()), default=0.0) + margin
        if not placed:
            cx = cy = 0.0
        else:
            while True:  # walk out along the spiral until the group's circle is clear of the others
                distance = radius + placed[0][2] + margin * math.sqrt(step)
                cx, cy = distance * math.cos(step * golden), distance * math.sin(step * golden)
                if all(math.hypot(cx - px, cy - py) >= radius + pr for px, py, pr in placed):
                    break
                step += 1
        placed.append((cx, cy, radius))
        positions.update({node: (cx + x, cy + y) for node, (x, y) in group.items()})
    return positions


def compute_layout(graph: nx.Graph, *, spring_max_nodes: int, seed: int = 0) -> None:
    """Set ``x`` and ``y`` (page pixels) on every node: each connected component force-directed on
    its own (laid out together, repulsion would squeeze each one to a dot) and the components packed
    side by side, up to ``spring_max_nodes`` nodes; the sunflower of communities above (metrics
    first: it groups by community)."""
    n = graph.number_of_nodes()
    if n == 0:
        return
    if n <= spring_max_nodes:
        groups = []
        for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c)))):
            if len(component) == 1:
                groups.append({next(iter(component)): (0.0, 0.0)})
                continue
            raw = nx.spring_layout(graph.subgraph(component), weight="weight", seed=seed, iterations=SPRING_ITERATIONS)
            scale = SPRING_SPACING * math.sqrt(len(component))
            groups.append({node: (float(p[0]) * scale, float(p[1]) * scale) for node, p in raw.items()})
        positions = _pack(groups, margin=SPRING_SPACING / 2)
    else:
        positions = _sunflower(graph)
    for node, (x, y) in positions.items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = round(x, 1), round(y, 1)


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return str(value)
    return value


def cycle_spells(
    graph: nx.Graph,
) -> tuple[dict[Any, list[tuple[int, int]]], dict[tuple[Any, Any], list[tuple[int, int]]]]:
    """Spells per cycle for Gephi's timeline: an edge lives in each cycle its facts are dated by
    (the cycle's ordinal, ``graph.graph["cycles"]``: label → ordinal), a node in each cycle of its
    edges. An edge with a fact of no known cycle, and a node with such an edge, get no spell: they
    are shown at every time rather than hidden."""
    order = graph.graph.get("cycles") or {}
    edges: dict[tuple[Any, Any], list[tuple[int, int]]] = {}
    undated: set[Any] = set()
    for a, b, data in graph.edges(data=True):
        cycles = data.get("cycles") or []
        ordinals = sorted({order[c] for c in cycles if c in order})
        if ordinals and len(ordinals) == len(set(cycles)):
            edges[(a, b)] = [(o, o) for o in ordinals]
        else:
            undated.update((a, b))
    seen: dict[Any, set[int]] = defaultdict(set)
    for (a, b), spells in edges.items():
        for o, _ in spells:
            seen[a].add(o)
            seen[b].add(o)
    nodes = {node: [(o, o) for o in sorted(ordinals)] for node, ordinals in seen.items() if node not in undated}
    return nodes, edges


def _flat(graph: nx.Graph, colours: dict[str, str], *, viz: bool) -> nx.Graph:
    """A copy whose attributes are strings or numbers (GraphML and GEXF take no lists or None), with
    the page's colour, size and position: as ``viz`` for GEXF, as r/g/b/size/x/y attributes (which
    Gephi's GraphML importer reads) otherwise."""
    flat = nx.Graph()
    node_spells, edge_spells = cycle_spells(graph) if viz else ({}, {})
    max_degree = max((d for _, d in graph.degree()), default=0)
    for node, data in graph.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None and k not in ("x", "y")}
        r, g, b = hex_rgb(colours.get(data.get("type", "inconnu"), colours["inconnu"]))
        size = node_size(graph.degree(node), max_degree)
        position = {"x": float(data.get("x", 0.0)), "y": float(data.get("y", 0.0)), "z": 0.0}
        if viz:
            attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": size, "position": position}
        else:
            attrs.update(r=r, g=g, b=b, size=size, x=position["x"], y=position["y"])
        if node in node_spells:
            attrs["spells"] = node_spells[node]
        flat.add_node(node, **attrs)
    for a, b_, data in graph.edges(data=True):
        attrs = {k: _scalar(v) for k, v in data.items() if v is not None and k != "hubs"}
        if data.get("kinds"):
            attrs["label"] = ", ".join(data["kinds"])
        if (a, b_) in edge_spells:
            attrs["spells"] = edge_spells[(a, b_)]
        flat.add_edge(a, b_, **attrs)
    return flat


def gexf_bytes(graph: nx.Graph, colours: dict[str, str], *, title: str = "", creator: str = "miner") -> bytes:
    """The graph as GEXF 1.3 (see the module docstring for what is mended after networkx).

    networkx's writer builds its tree with prefixed names as plain strings ("viz:color",
    "xmlns:xsi"), so the tree is mended in place before it is serialised once, not re-parsed."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(version="1.3", prettyprint=False)
    writer.add_graph(_flat(graph, colours, viz=True))
    root = writer.xml
    root.set("xmlns:xsi", XSI_NS)
    graph_element = root.find("graph")
    if graph_element is not None:
        graph_element.attrib.pop("name", None)
        if graph_element.get("timeformat") == "long":  # cycle ordinals: GEXF 1.3's time formats say "integer"
            graph_element.set("timeformat", "integer")
    meta = root.find("meta")
    if meta is not None:
        creator_element = meta.find("creator")
        if creator_element is not None:
            creator_element.text = creator
        if title:
            ElementTree.SubElement(meta, "description").text = title
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def write_gexf(graph: nx.Graph, path: str | Path, colours: dict[str, str], *, title: str = "") -> Path:
    write_bytes_atomic(Path(path), gexf_bytes(graph, colours, title=title, creator=f"miner {__version__}"))
    return Path(path)


def write_graphml(graph: nx.Graph, path: str | Path, colours: dict[str, str]) -> Path:
    buffer = io.BytesIO()
    nx.write_graphml(_flat(graph, colours, viz=False), buffer)
    write_bytes_atomic(Path(path), buffer.getvalue())
    return Path(path)


def write_graph_files(graph: nx.Graph, stem: str | Path, colours: dict[str, str], *, title: str = "") -> list[Path]:
    """``<stem>.graphml`` and ``<stem>.gexf``, both readable by networkx and Gephi."""
    return [write_graphml(graph, f"{stem}.graphml", colours), write_gexf(graph, f"{stem}.gexf", colours, title=title)]
