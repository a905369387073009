"""The network's offline page: vis-network's JavaScript (shipped inside pyvis) inlined, no CDN, a
Content-Security-Policy that allows only the page's own scripts, and every label as data (JSON in a
non-executable script element, shown with ``textContent``), never markup. The layout is the one
the files carry (:func:`miner.network.export.compute_layout`); the page adds the cycle slider, the
filters, the role ties kept apart, fit, reset and PNG/SVG images (``network.js``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import networkx as nx

from miner.data import ASSETS
from miner.data.render import render_template, trusted
from miner.errors import UsageError
from miner.network.export import compute_layout, node_size
from miner.network.graph import TYPE_COLOURS, NetworkSettings

__all__ = ["json_for_script", "render_html", "vis_script"]


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
        nodes.append(
            {
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
                "x": data["x"],
                "y": data["y"],
                **({"role": data["role"]} if data.get("role") else {}),  # only when set: big pages stay lean
            }
        )
    edges = []
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        edges.append(
            {
                "id": i,
                "from": index[a],
                "to": index[b],
                "value": data.get("weight", 1),
                "title": _tooltip_edge(data),
                "axes": data.get("axes") or [],
                "kinds": data.get("kinds") or [],
                **({"role": data["role"]} if data.get("role") else {}),
                **({"cycles": data["cycles"]} if data.get("cycles") else {}),
                "hubs": [index[h] for h in data.get("hubs") or () if h in index],
            }
        )
    present = sorted({n["group"] for n in nodes}, key=list(TYPE_COLOURS).index)
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "legend": [
            {"type": t, "color": TYPE_COLOURS[t], "count": sum(n["group"] == t for n in nodes)} for t in present
        ],
        "provinces": sorted({n["province"] for n in nodes if n["province"]}),
        "axes": sorted({a for n in nodes for a in n["axes"]}, key=int),
        "cycles": [
            label
            for label, _ in sorted((graph.graph.get("cycles") or {}).items(), key=lambda kv: kv[1])
            if any(label in e.get("cycles", ()) for e in edges)
        ],
    }


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">``: no character can close the element
    or open a comment, whatever the labels hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def vis_script() -> str:
    """vis-network's standalone build as pyvis ships it (no network access needed); the package's
    folder is found, not imported (its import, ~0.06 s of CPU, was on the serial end of every build)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("the pyvis package is not installed; it ships vis-network.min.js")
    base = Path(next(iter(spec.submodule_search_locations)))
    for candidate in sorted(base.glob("templates/lib/vis-*/vis-network.min.js"), reverse=True) + sorted(
        base.glob("lib/vis-*/vis-network.min.js"), reverse=True
    ):
        return candidate.read_text(encoding="utf-8").replace("</script", "<\\/script")
    raise UsageError("vis-network.min.js not found inside the pyvis package; reinstall pyvis")


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(
    graph: nx.Graph, *, title: str = "Réseau des partenariats", settings: NetworkSettings | dict | None = None
) -> str:
    """The offline page of a network (metrics should be computed first: the page shows them)."""
    settings = NetworkSettings.resolve(settings)
    style = (ASSETS / "network.css").read_text(encoding="utf-8")
    app = (ASSETS / "network.js").read_text(encoding="utf-8")
    data = _page_data(graph, title, settings)
    vis = vis_script() if graph.number_of_nodes() else ""
    scripts = [s for s in (vis, app) if s]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_sha256_source(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; connect-src 'none'"
    )
    empty = (
        ""
        if graph.number_of_nodes()
        else (
            "Aucune organisation à afficher : le graphe est vide (chargez des "
            "documents ou des listes de membres, ou relâchez les filtres)."
        )
    )
    # values are escaped unless miner's own (trusted); the head is miner's base page (page.html)
    return render_template(
        "network.html",
        csp=csp,
        title=title,
        style=trusted(style),
        data=trusted(json_for_script(data)),
        empty=empty,
        scripts=trusted("".join(f"<script>{s}</script>\n" for s in scripts)),
    )
