"""The network's files for Gephi: GEXF 1.3 valid against its schema (tests/data/gexf-1.3), with the
page's colours, sizes and positions as ``viz:`` elements networkx reads back, words rather than IRIs
in the attributes, and GraphML with the same attributes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from miner.network.export import hex_rgb
from miner.network.network import TYPE_COLOURS, build_network, network_from_store, write_network

SCHEMA = Path(__file__).resolve().parent / "gexf-1.3"
M = "https://w3id.org/miner/ontology#"
D = "https://w3id.org/miner/data/"


def sample() -> nx.Graph:
    nodes = [
        {"id": "hub", "label": "Cluster Démo", "type": "cluster", "names": ["Démo", "CLUSTER DEMO asbl"]},
        {"id": "a", "label": "Alpha", "type": "PME", "province": "Namur"},
        {"id": "b", "label": "Bêta & Fils <b>", "type": "entreprise", "province": "Liège"},
        {"id": "u", "label": "Université", "type": "université ou école"},
    ]
    edges = [
        {"fact": "m1", "source": "a", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {"fact": "m2", "source": "b", "target": "hub", "kind": "membre", "cycle": "7e triennat"},
        {
            "fact": "r1",
            "source": "u",
            "target": "b",
            "kind": "partenariat",
            "cycle": "6e triennat",
            "evidence": "rapport.pdf p. 4: « en partenariat »",
        },
        {"fact": "r2", "source": "b", "target": "u", "kind": "évaluation", "cycle": "7e triennat"},
    ]
    return build_network(nodes, edges)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("net") / "net.html"
    graph = sample()
    write_network(graph, out, title="Réseau démo")
    page = out.read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="network-data">(.*?)</script>', page, re.S).group(1)
    )
    return graph, out.with_suffix(".gexf"), out.with_suffix(".graphml"), data


def test_gexf_is_valid_gexf_1_3(written):
    import xmlschema
    from lxml import etree

    _, gexf, _, _ = written
    xmlschema.XMLSchema(str(SCHEMA / "gexf.xsd")).validate(str(gexf))
    grammar = etree.RelaxNG(etree.parse(str(SCHEMA / "gexf.rng")))
    document = etree.parse(str(gexf))
    root = document.getroot()
    location = root.attrib.pop("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert grammar.validate(document), grammar.error_log  # xsi: hints are for XSD validators, RELAX NG has none
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", location)
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    assert "name" not in root.find("{http://gexf.net/1.3}graph").attrib
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").startswith("http://gexf.net/1.3 ")
    assert root.findtext("{http://gexf.net/1.3}meta/{http://gexf.net/1.3}description") == "Réseau démo"


def test_networkx_reads_the_viz_attributes_of_the_page_layout(written):
    _, gexf, _, data = written
    read = nx.read_gexf(gexf, version="1.3")
    page = {n["iri"]: n for n in data["nodes"]}
    assert set(read.nodes) == set(page)
    for node, attrs in read.nodes(data=True):
        viz = attrs["viz"]
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == hex_rgb(TYPE_COLOURS[attrs["type"]])
        assert viz["size"] == pytest.approx(page[node]["size"])
        assert (viz["position"]["x"], viz["position"]["y"]) == pytest.approx((page[node]["x"], page[node]["y"]))
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])  # a real layout, not every node at the origin
    assert page["hub"]["size"] > page["u"]["size"]  # sized by degree


def test_attributes_are_words_and_graphml_has_the_same(written):
    _, gexf, graphml, _ = written
    g = nx.read_gexf(gexf, version="1.3")
    tie = g.edges["b", "u"]
    assert tie["kinds"] == "partenariat | évaluation" and tie["label"] == "partenariat, évaluation"
    assert tie["cycles"] == "6e triennat | 7e triennat" and float(tie["weight"]) == 2
    assert "Démo" in g.nodes["hub"]["names"].split(" | ") and g.nodes["b"]["label"] == "Bêta & Fils <b>"
    ml = nx.read_graphml(graphml)
    for node in ml:
        assert {"r", "g", "b", "size", "x", "y"} <= set(ml.nodes[node])
        assert (ml.nodes[node]["r"], ml.nodes[node]["g"], ml.nodes[node]["b"]) == hex_rgb(
            TYPE_COLOURS[ml.nodes[node]["type"]]
        )
        assert set(g.nodes[node]) - {"viz"} <= set(ml.nodes[node])
        assert float(ml.nodes[node]["x"]) == pytest.approx(g.nodes[node]["viz"]["position"]["x"])
    assert ml.edges["b", "u"]["kinds"] == tie["kinds"] and ml.edges["b", "u"]["cycles"] == tie["cycles"]


def test_from_the_store_cycles_are_labels_and_every_name_is_kept():
    from miner.store.local import open_store, replace_graphs

    store = open_store(None)
    skos, rdfs, org = (
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/ns/org#",
    )
    import pyoxigraph as ox

    def fr(text):
        return ox.Literal(text, language="fr")

    cluster, member, cycle = D + "cluster/infopole", D + "organisation/bce-0123456749", D + "cycle/triennat-7"
    replace_graphs(
        store,
        {
            D + "graph/t": [
                (cluster, M + "organisationType", M + "BusinessCluster"),
                (cluster, skos + "prefLabel", fr("INFOPOLE cluster TIC")),
                (cluster, skos + "altLabel", fr("Infopôle")),
                (cluster, skos + "altLabel", fr("INFOPOLE")),
                (member, M + "organisationType", M + "SME"),
                (member, skos + "prefLabel", fr("Alpha SA")),
                (cycle, rdfs + "label", fr("7e triennat")),
                (D + "m1", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", org + "Membership"),
                (D + "m1", org + "member", member),
                (D + "m1", org + "organization", cluster),
                (D + "m1", org + "memberDuring", cycle),
            ]
        },
    )
    graph = network_from_store(store)
    assert graph.edges[cluster, member]["cycles"] == ["7e triennat"]
    assert graph.edges[cluster, member]["hubs"] == [cluster]
    assert set(graph.nodes[cluster]["names"]) == {"INFOPOLE cluster TIC", "Infopôle", "INFOPOLE"}
    assert graph.nodes[cluster]["type"] == "cluster"
