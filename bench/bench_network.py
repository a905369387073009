"""Network page cost for 5,000 organisations and 50,000 links, against a bare baseline, same run.

Baseline: the same graph built with bare networkx and dumped as node-link JSON (what any page
needs at least). miner: ``compute_metrics`` (degree, sampled betweenness, eigenvector, Louvain)
then ``render_html`` (precomputed layout, escaped data, inlined vis-network); and the whole
``write_network`` (page, GraphML, GEXF, metrics CSV). Goal (issue 5): the page in 10 s or less,
and usable in a browser: physics off, positions precomputed (a sunflower of communities above
``spring_layout_max_nodes``), the same positions in the GEXF and GraphML files.

In headless Chromium (when installed; ``--no-browser`` skips it): the time from opening the page to
its first drawing, against a bare page that draws the same nodes and links at the same positions with
vis-network alone, opened in the same browser in turn.

    python bench/bench_network.py [--nodes 5000] [--edges 50000] [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY, goal  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = ["entreprise", "PME", "centre de recherche", "université ou école", "organisme public", "cluster"]
PROVINCES = ["Hainaut", "Liège", "Namur", "Luxembourg", "Brabant wallon", ""]


def synthetic(nodes: int, edges: int, seed: int = 1) -> tuple[list[dict], list[dict]]:
    """Organisations in 40 clusters: most links stay inside a cluster, as memberships do."""
    rng = random.Random(seed)
    groups = 40
    node_list = [
        {
            "id": f"https://example.org/org/{i}",
            "label": f"Organisation {i} <b>&</b>",
            "type": TYPES[i % len(TYPES)],
            "province": PROVINCES[i % len(PROVINCES)] or None,
            "documents": [f"doc-{i % 7}.pdf"],
        }
        for i in range(nodes)
    ]
    seen: set[tuple[int, int]] = set()
    edge_list = []
    while len(edge_list) < edges:
        a = rng.randrange(nodes)
        b = (
            rng.randrange(nodes)
            if rng.random() < 0.2
            else (a // (nodes // groups)) * (nodes // groups) + rng.randrange(nodes // groups)
        )
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        edge_list.append(
            {
                "fact": f"f{len(edge_list)}",
                "source": node_list[a]["id"],
                "target": node_list[b]["id"],
                "kind": rng.choice(["membre", "partenariat", "activité"]),
                "axes": {str(rng.randint(1, 6))},
                "evidence": f"doc-{a % 7}.pdf p. {a % 9 + 1}: texte",
            }
        )
    return node_list, edge_list


def bare(nodes: list[dict], edges: list[dict]) -> int:
    import networkx as nx

    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node["id"], label=node["label"], type=node["type"])
    for edge in edges:
        graph.add_edge(edge["source"], edge["target"], kind=edge["kind"])
    return len(json.dumps(nx.node_link_data(graph, edges="links")))


def page(nodes: list[dict], edges: list[dict]) -> int:
    from miner.network.network import build_network, compute_metrics, render_html

    graph = build_network(nodes, edges)
    compute_metrics(graph)
    return len(render_html(graph))


def everything(nodes: list[dict], edges: list[dict], folder: Path) -> int:
    from miner.network.network import build_network, write_network

    report = write_network(build_network(nodes, edges), folder / "network.html")
    return sum(p.stat().st_size for p in report.files)


def bare_page(graph) -> str:  # noqa: ANN001
    """The least a browser page needs: vis-network, the nodes at their positions, the links; no
    filters, tooltips, legend or slider."""
    from miner.network.page import json_for_script, vis_script  # the same script and escaping

    index = {node: i for i, node in enumerate(graph.nodes)}
    data = {
        "nodes": [
            {"id": index[k], "label": str(d.get("label")), "x": d["x"], "y": d["y"], "shape": "dot"}
            for k, d in graph.nodes(data=True)
        ],
        "edges": [{"id": i, "from": index[a], "to": index[b]} for i, (a, b) in enumerate(graph.edges)],
    }
    return (
        "<!doctype html><html><body><div id='network' style='width:100%;height:90vh'></div>"
        f"<script>{vis_script()}</script><script>var data = {json_for_script(data)};"
        "window.minerNetwork = {network: new vis.Network(document.getElementById('network'), "
        "{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, "
        "{physics: false, layout: {improvedLayout: false}, edges: {smooth: false}})};</script></body></html>"
    )


FIRST_DRAW = """var done = arguments[arguments.length - 1], network = window.minerNetwork.network;
network.once("afterDrawing", function () { done(performance.now()); }); network.redraw();"""
"""Milliseconds from navigation to a drawing done once the page's network exists (a redraw asked
for then: the first one may already be over)."""


def drawn(driver, page: Path) -> float:  # noqa: ANN001
    """Seconds from opening ``page`` to a finished drawing of its network."""
    driver.get(page.as_uri())
    while not driver.execute_script("return !!(window.minerNetwork && window.minerNetwork.network)"):
        time.sleep(0.05)
    return driver.execute_async_script(FIRST_DRAW) / 1000


def browser_times(
    nodes: list[dict], edges: list[dict], folder: Path, repeat: int
) -> tuple[list[float], list[float]] | None:
    """(bare, miner) seconds to the first drawing, alternated in one Chromium; None without one."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMEDRIVER, CHROMIUM, chromium  # the tests' headless set-up: no download, fresh profile

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return None
    from miner.network.network import build_network, write_network

    graph = build_network(nodes, edges)
    write_network(graph, folder / "page.html")
    (folder / "bare.html").write_text(bare_page(graph), encoding="utf-8")
    base, mine = [], []
    with chromium("--window-size=1400,1000", logs=()) as driver:
        driver.set_script_timeout(900)
        driver.set_page_load_timeout(900)
        for _ in range(repeat):
            base.append(drawn(driver, folder / "bare.html"))
            mine.append(drawn(driver, folder / "page.html"))
    return base, mine


def timed(fn, *args) -> tuple[float, int]:  # noqa: ANN001
    start = time.perf_counter()
    size = fn(*args)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help=TINY)
    parser.add_argument("--no-browser", action="store_true", help="Skip the Chromium measure of the first drawing.")
    args = parser.parse_args()
    if args.tiny:
        args.nodes, args.edges, args.repeat = 60, 300, 1
    nodes, edges = synthetic(args.nodes, args.edges)
    import networkx  # noqa: F401  (imported once, outside the timings)

    from miner.network import network  # noqa: F401

    base, mine, full = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            base.append(timed(bare, nodes, edges))
            mine.append(timed(page, nodes, edges))
            full.append(timed(everything, nodes, edges, Path(tmp)))
    b = statistics.median(t for t, _ in base)
    m = statistics.median(t for t, _ in mine)
    f = statistics.median(t for t, _ in full)
    print(f"{args.nodes} organisations, {args.edges} links, median of {args.repeat}")
    print(f"  baseline (networkx + node-link JSON): {b:.2f} s, {base[0][1] / 1e6:.1f} MB")
    print(f"  miner page (metrics + HTML):          {m:.2f} s, {mine[0][1] / 1e6:.1f} MB  ratio {m / b:.1f}x")
    print(f"  miner files (page, GraphML, GEXF, CSV): {f:.2f} s, {full[0][1] / 1e6:.1f} MB  ratio {f / b:.1f}x")
    goal("network page of the organisations", m, "<=", 10, " s")
    if args.no_browser:
        return
    with tempfile.TemporaryDirectory() as tmp:
        drawing = browser_times(nodes, edges, Path(tmp), args.repeat)
    if drawing is None:
        print("  (no chromium and chromedriver: the first drawing is not measured)")
        return
    bd, md = statistics.median(drawing[0]), statistics.median(drawing[1])
    print(
        f"  Chromium, opened to first drawing: bare vis-network page {bd:.2f} s, miner's page {md:.2f} s  "
        f"ratio {md / bd:.2f}x"
    )
    goal("network page drawn, against bare vis-network", md / bd, "<=", 1.5)


if __name__ == "__main__":
    main()
