"""SHACL: the shared report's graph conforms; a broken graph gets readable messages; miner validate."""

from __future__ import annotations

import pytest
from conftest import ATLAS_PDF, EVAL_PDF
from evalfixture import load_shared
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from miner.cli.app import app
from miner.rdf.shacl import store_as_graph, validate_graph, validate_store
from miner.rdf.vocab import MINER, PROV, RDF, Minter
from miner.store.local import open_store, replace_graphs

runner = CliRunner()
BASE = "https://w3id.org/miner/data/cluster/infopole-cluster-tic/triennat-7/"


@pytest.fixture(scope="module")
def graph():
    return store_as_graph(load_shared(open_store(None)))


def test_shared_report_conforms(graph):
    report = validate_graph(graph)
    assert report.conforms, report.text()
    assert report.violations == []


def test_broken_graph_is_reported_readably(graph):
    broken = graph.__class__()
    for triple in graph:
        broken.add(triple)
    constat = URIRef(BASE + "constat/13")
    broken.remove((constat, MINER.page, None))
    broken.remove((constat, PROV.wasDerivedFrom, None))
    judgement = URIRef(BASE + "judgement/perennite")
    broken.set((judgement, MINER.judgement, URIRef("https://w3id.org/miner/judgements/excellent")))
    document = next(broken.subjects(RDF.type, MINER.SourceDocument))  # summaries copy its digest too
    broken.set((document, MINER.sha256, Literal("not-a-digest")))
    report = validate_graph(broken)
    assert not report.conforms
    lines = report.text().splitlines()
    assert lines[0].startswith("does not conform: 4 violation(s)")
    text = report.text()
    assert f"{BASE}constat/13 miner:page: a fact must carry exactly one page number" in text
    assert f"{BASE}constat/13 prov:wasDerivedFrom: a fact must name the source document" in text
    assert "miner:judgement: a judgement has exactly one level of the scale" in text
    assert "(value: https://w3id.org/miner/judgements/excellent)" in text
    assert "miner:sha256: a source document has exactly one sha256" in text and "(value: 'not-a-digest')" in text


def test_member_count_needs_a_count_or_a_growth():
    store = load_shared(open_store(None))
    extra = URIRef(BASE + "members/bogus")
    graph = str(Minter().graph("f" * 64))
    replace_graphs(
        store,
        {
            graph: [
                (extra, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), MINER.MemberCountObservation),
            ]
        },
    )
    text = validate_store(store).text()
    assert "members/bogus: a member count observation states either a count or a growth" in text


def test_cli_validate(tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(app, ["build", str(EVAL_PDF), "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["validate", "--store", str(store)])
    assert out.exit_code == 0 and out.output.startswith("conforms:")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/c> a <https://w3id.org/miner/ontology#Constat> .\n", encoding="utf-8")
    assert runner.invoke(app, ["build", str(bad), "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["validate", "--store", str(store)])
    assert out.exit_code == 1
    assert "https://example.org/c skos:notation: a constat has exactly one number" in out.output


def test_counts_read_from_an_atlas_conform(tmp_path):
    """A member count from a document that is no evaluation (the 2011 atlas) belongs to no
    evaluation; a constat without one is still reported."""
    store = tmp_path / "store"
    assert runner.invoke(app, ["build", str(EVAL_PDF), str(ATLAS_PDF), "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["validate", "--store", str(store)])
    assert out.exit_code == 0, out.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/c> a <https://w3id.org/miner/ontology#Constat> .\n", encoding="utf-8")
    assert runner.invoke(app, ["build", str(bad), "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["validate", "--store", str(store)])
    assert (
        "https://example.org/c dcterms:isPartOf: a finding, judgement or question must belong to an evaluation"
        in out.output
    )
