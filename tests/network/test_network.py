"""The partnership network: from the store, metrics, GraphML/GEXF, the offline page, empty graphs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

from miner.network.network import build_network, compute_metrics, network_from_store, render_html, write_network

ROOT = Path(__file__).resolve().parents[2]
CHANVRELIA = ROOT / "corpora" / "members" / "membres-chanvrelia-2025.csv"
CLUSTER = "CHANVRELIA cluster des éco-matériaux"


def script_tags(page: str) -> list[str | None]:
    """The type of each <script> element, as a browser's tokenizer sees them (content is opaque)."""
    from html.parser import HTMLParser

    found: list[str | None] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN202
            if tag == "script":
                found.append(dict(attrs).get("type"))

    Parser().feed(page)
    return found


def star_and_triangle() -> nx.Graph:
    nodes = [
        {"id": n, "label": n.upper(), "type": t}
        for n, t in [
            ("hub", "cluster"),
            ("a", "PME"),
            ("b", "PME"),
            ("c", "entreprise"),
            ("x", "fédération"),
            ("y", "association"),
            ("z", "consultant"),
        ]
    ]
    edges = [{"fact": f"m{n}", "source": n, "target": "hub", "kind": "membre"} for n in "abc"]
    edges += [
        {"fact": "r1", "source": "x", "target": "y", "kind": "partenariat", "evidence": "doc p. 2: quote"},
        {"fact": "r2", "source": "y", "target": "z", "kind": "partenariat"},
        {"fact": "r3", "source": "z", "target": "x", "kind": "partenariat"},
        {"fact": "r3", "source": "x", "target": "z", "kind": "partenariat"},  # the same fact twice
        {"fact": "r4", "source": "x", "target": "z", "kind": "évaluation"},
    ]
    return build_network(nodes, edges)


def test_build_network_weights_and_kinds():
    g = star_and_triangle()
    assert (g.number_of_nodes(), g.number_of_edges()) == (7, 6)
    assert g.edges["x", "z"]["weight"] == 2 and g.edges["x", "z"]["kinds"] == ["partenariat", "évaluation"]
    assert g.edges["x", "y"]["evidence"] == ["doc p. 2: quote"]


def test_metrics():
    g = star_and_triangle()
    rows = {r["id"]: r for r in compute_metrics(g)}
    assert rows["hub"]["degree"] == 3 and rows["a"]["degree"] == 1
    assert rows["hub"]["betweenness"] == pytest.approx(3 / 15)  # 3 pairs of leaves through the hub, of C(6,2)
    assert rows["a"]["betweenness"] == 0
    assert rows["x"]["weighted_degree"] == 3
    assert rows["hub"]["eigenvector"] > rows["a"]["eigenvector"] > 0
    communities = {r["community"] for r in rows.values()}
    assert len(communities) == 2
    assert rows["a"]["community"] == rows["hub"]["community"] != rows["x"]["community"]


def test_files_are_readable_by_networkx(tmp_path):
    report = write_network(star_and_triangle(), tmp_path / "net.html")
    assert [p.name for p in report.files] == ["net.html", "net.graphml", "net.gexf", "net-metrics.csv"]
    for reader, name in ((nx.read_graphml, "net.graphml"), (nx.read_gexf, "net.gexf")):
        g = reader(tmp_path / name)
        assert (g.number_of_nodes(), g.number_of_edges()) == (7, 6)
        assert g.nodes["hub"]["type"] == "cluster" and int(g.nodes["hub"]["degree"]) == 3
        assert float(g.edges["x", "z"]["weight"]) == 2
    rows = list(csv.DictReader((tmp_path / "net-metrics.csv").open(encoding="utf-8")))
    assert rows[0]["id"] == "hub" and set(rows[0]) >= {"degree", "betweenness", "eigenvector", "community"}


def test_page_is_offline_and_has_a_csp():
    page = render_html(star_and_triangle())
    quote = "&#(?:x27|39);"  # the apostrophe as html.escape or Jinja2's autoescape writes it
    assert re.search(
        f'<meta http-equiv="Content-Security-Policy" content="default-src {quote}none{quote}; '
        f"script-src ({quote}sha256-[A-Za-z0-9+/=]+{quote} ?){{2}}",
        page,
    )
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert "<link" not in page and "bootstrap" not in page.lower() and "cdn" not in page.lower()
    assert script_tags(page) == ["application/json", None, None]  # the data, vis-network, the page's own


def test_hostile_labels_never_reach_the_markup():
    g = build_network(
        [
            {"id": "a", "label": "<script>alert(1)</script>", "type": "PME"},
            {"id": "b", "label": '"><img src=x onerror=alert(1)>', "type": "PME"},
        ],
        [{"source": "a", "target": "b", "kind": "</script><script>alert(2)</script>"}],
    )
    page = render_html(g, title="<script>alert(3)</script>")
    assert "alert(1)</script>" not in page and "<img" not in page and "alert(2)</script>" not in page
    assert "<title>&lt;script&gt;alert(3)&lt;/script&gt;</title>" in page


def test_empty_graph_gives_a_page_that_says_so(tmp_path):
    report = write_network(nx.Graph(), tmp_path / "empty.html")
    page = (tmp_path / "empty.html").read_text(encoding="utf-8")
    assert report.nodes == 0 and "le graphe est vide" in page
    assert nx.read_graphml(tmp_path / "empty.graphml").number_of_nodes() == 0


def test_big_graph_gets_a_precomputed_layout():
    g = nx.gnm_random_graph(60, 120, seed=1)
    nx.relabel_nodes(g, {n: f"n{n}" for n in g}, copy=False)
    for node in g:
        g.nodes[node].update(label=node, type="PME", documents=[])
    for _, _, data in g.edges(data=True):
        data.update(weight=1, kinds=["membre"], cycles=[], axes=[], evidence=[])
    compute_metrics(g)
    page = render_html(g, settings={"spring_layout_max_nodes": 10})
    assert '"x":' in page and '"y":' in page


@pytest.mark.parametrize("spring_max_nodes", [100, 10])
def test_the_same_facts_in_any_order_give_the_same_files(tmp_path, spring_max_nodes):
    """The store answers in an order of its own: positions, communities and each edge's lists must
    not follow it (two builds of one corpus gave two layouts)."""
    import random

    rng = random.Random(7)
    nodes = [{"id": f"urn:o{i}", "label": f"O{i}", "type": "PME"} for i in range(30)]
    edges = [
        {
            "source": f"urn:o{a}",
            "target": f"urn:o{b}",
            "kind": rng.choice(["membre", "partenaire", "coorganisateur"]),
            "cycle": rng.choice(["triennat-6", "triennat-7"]),
            "evidence": f"page {rng.randint(1, 5)}",
        }
        for a, b in (rng.sample(range(30), 2) for _ in range(70))
    ]
    written = []
    for seed in (1, 2):
        shuffled = random.Random(seed)
        these_nodes, these_edges = nodes[:], edges[:]
        shuffled.shuffle(these_nodes)
        shuffled.shuffle(these_edges)
        out = tmp_path / f"order{seed}" / "net.html"
        out.parent.mkdir()
        write_network(
            build_network(these_nodes, these_edges), out, settings={"spring_layout_max_nodes": spring_max_nodes}
        )
        written.append([(out.parent / name).read_text(encoding="utf-8") for name in ("net.graphml", "net-metrics.csv")])
    assert written[0] == written[1]


@pytest.fixture(scope="module")
def store():
    from miner.extract.members import read_member_list
    from miner.store.load import load_member_list
    from miner.store.local import open_store, replace_graphs

    handle = open_store(None)
    load_member_list(handle, read_member_list(CHANVRELIA), CLUSTER, "triennat-7", generated_at="2025-01-01T00:00:00")
    m, p, o = "https://w3id.org/miner/ontology#", "http://www.w3.org/ns/prov#", "https://w3id.org/miner/data/"
    act = o + "cluster/chanvrelia-cluster-des-eco-materiaux/activity/a1"
    replace_graphs(
        handle,
        {
            o + "graph/test": [
                (o + "organisation/greenwin", m + "organisationType", m + "CompetitivenessPole"),
                (act, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", m + "ClusterActivity"),
                (act, p + "wasAssociatedWith", o + "organisation/greenwin"),
                (act, p + "wasAssociatedWith", o + "cluster/chanvrelia-cluster-des-eco-materiaux"),
                (act, m + "servesAxis", "https://w3id.org/miner/axes/6"),
            ]
        },
    )
    return handle


def test_network_from_store_and_filters(store):
    g = network_from_store(store)
    cluster = "https://w3id.org/miner/data/cluster/chanvrelia-cluster-des-eco-materiaux"
    assert g.nodes[cluster]["type"] == "cluster" and g.degree(cluster) == 97
    assert g.edges[cluster, "https://w3id.org/miner/data/organisation/greenwin"]["axes"] == ["6"]
    assert g.number_of_nodes() == 98
    assert network_from_store(store, cluster=CLUSTER, cycle="7").number_of_edges() == 96
    assert network_from_store(store, cycle="triennat-6").number_of_nodes() == 0
    axis6 = network_from_store(store, axis=6)
    assert (axis6.number_of_nodes(), axis6.number_of_edges()) == (2, 1)
    provinces = {d.get("province") for _, d in g.nodes(data=True)}
    assert {"Luxembourg", "Brabant wallon"} <= provinces


def test_network_command(tmp_path):
    from typer.testing import CliRunner

    from miner.cli.app import app

    store = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["members", str(CHANVRELIA), "--store", str(store), "--cluster", CLUSTER, "--cycle", "triennat-7"]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "net.html"
    result = CliRunner().invoke(app, ["network", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("97 organisations, 96 links")
    result = CliRunner().invoke(app, ["network", "--store", str(store), "--out", str(out), "--axis", "9"])
    assert result.exit_code == 2 and "1 to 6" in result.output


def test_the_page_carries_vis_network_without_importing_pyvis():
    """pyvis only ships the script: its import (~0.06 s of CPU) was on the serial end of every build."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom miner.network.page import vis_script\n"
        "print('vis' in vis_script()[:2000].lower(), 'pyvis' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert done.stdout.split() == ["True", "False"]
