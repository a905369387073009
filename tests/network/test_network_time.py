"""The network in time: GEXF 1.3 in dynamic mode, a spell per cycle on every dated node and edge
(Gephi's timeline), valid against the 1.3 schema (dynamics included), and read back by networkx."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from miner.network.export import cycle_spells
from miner.network.graph import build_network
from miner.network.network import write_network
from miner.network.queries import network_from_store

SCHEMA = Path(__file__).resolve().parent / "gexf-1.3"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


def grown() -> nx.Graph:
    """A cluster with one member in both cycles, one joining in the second, and a relation of the first only."""
    nodes = [
        {"id": "hub", "label": "Cluster Démo", "type": "cluster"},
        {"id": "a", "label": "Alpha", "type": "PME"},
        {"id": "b", "label": "Bêta", "type": "entreprise"},
        {"id": "u", "label": "Université", "type": "université ou école"},
        {"id": "x", "label": "Sans date", "type": "PME"},
    ]
    edges = [
        {"fact": "m1", "source": "a", "target": "hub", "kind": "membre", "cycle": "6e triennat"},
        {"fact": "m2", "source": "a", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {"fact": "m3", "source": "b", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {"fact": "r1", "source": "u", "target": "a", "kind": "partenariat", "cycle": "6e triennat"},
        {"fact": "r2", "source": "x", "target": "u", "kind": "partenariat"},
    ]
    graph = build_network(nodes, edges)
    graph.graph["cycles"] = {"6e triennat": 6, "7e triennat": 7}
    return graph


def test_spells_per_cycle():
    nodes, edges = cycle_spells(grown())
    assert nodes["a"] == [(6, 6), (7, 7)] and nodes["b"] == [(7, 7)] and nodes["hub"] == [(6, 6), (7, 7)]
    assert "x" not in nodes and "u" not in nodes  # an undated tie: shown at every time
    spells = {frozenset(pair): value for pair, value in edges.items()}
    assert spells[frozenset(("a", "hub"))] == [(6, 6), (7, 7)] and spells[frozenset(("b", "hub"))] == [(7, 7)]


def test_gexf_is_dynamic_valid_and_read_back(tmp_path):
    import xmlschema
    from lxml import etree

    out = tmp_path / "net.html"
    write_network(grown(), out, title="Réseau dans le temps")
    gexf = out.with_suffix(".gexf")
    xmlschema.XMLSchema(str(SCHEMA / "gexf.xsd")).validate(str(gexf))
    document = etree.parse(str(gexf))
    root = document.getroot()
    location = root.attrib.pop(XSI)  # RELAX NG knows no xsi: attribute
    assert etree.RelaxNG(etree.parse(str(SCHEMA / "gexf.rng"))).validate(document), location
    graph_element = root.find("{http://gexf.net/1.3}graph")
    assert graph_element.get("mode") == "dynamic" and graph_element.get("timeformat") == "integer"
    read = nx.read_gexf(gexf, version="1.3")
    label = {data["label"]: node for node, data in read.nodes(data=True)}
    assert read.nodes[label["Bêta"]]["spells"] == [(7, 7)]
    assert read.nodes[label["Alpha"]]["spells"] == [(6, 6), (7, 7)]
    assert "spells" not in read.nodes[label["Sans date"]]
    assert read.edges[label["Université"], label["Alpha"]]["spells"] == [(6, 6)]


def test_the_store_gives_the_cycles_their_ordinals():
    import pyoxigraph as ox

    from miner.store.local import open_store, replace_graphs

    org, rdfs, miner = (
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "https://w3id.org/miner/ontology#",
    )
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    triples = []
    for n, member in ((6, "a"), (7, "a"), (7, "b")):
        m, y = f"https://e/m/{n}{member}", f"https://e/cycle/{n}"
        triples += [
            (m, rdf_type, org + "Membership"),
            (m, org + "member", f"https://e/{member}"),
            (m, org + "organization", "https://e/hub"),
            (m, org + "memberDuring", y),
            (y, rdfs + "label", ox.Literal(f"{n}e triennat", language="fr")),
            (y, miner + "ordinal", ox.Literal(str(n), datatype=integer)),
        ]
    store = open_store(None)
    replace_graphs(store, {"https://e/g": triples})
    graph = network_from_store(store)
    assert graph.graph["cycles"] == {"6e triennat": 6, "7e triennat": 7}
    nodes, _ = cycle_spells(graph)
    assert nodes["https://e/b"] == [(7, 7)] and nodes["https://e/a"] == [(6, 6), (7, 7)]


def test_metrics_csv_for_excel(tmp_path):
    import csv

    write_network(grown(), tmp_path / "net.html", excel=True)
    text = (tmp_path / "net-metrics.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeffid;label;type;")
    rows = list(csv.DictReader(text.lstrip("\ufeff").splitlines(), delimiter=";"))
    assert any("," in r["betweenness"] or r["betweenness"] == "0" for r in rows)
    assert all("." not in r["eigenvector"] for r in rows)
