"""`miner export --format jsonld`: compacted with the published context, and read back whole."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from evalfixture import load_shared
from typer.testing import CliRunner

from miner import data
from miner.cli.app import app
from miner.rdf.prefixes import PREFIXES
from miner.store.export import export_store, jsonld_context
from miner.store.local import open_store
from miner.store.owners import OWNERS_GRAPH


def quads(source) -> tuple[set[str], int]:
    """The quads without blank nodes (written exactly), and how many there are in all (blank
    nodes get new labels on the way)."""
    every = list(source)
    named = {
        str(q) for q in every if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }
    return named, len(every)


@pytest.fixture(scope="module")
def store():
    return load_shared(open_store(None))


def test_context_file_holds_the_prefixes_and_terms_in_known_namespaces():
    context = json.loads(data.CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert {k: v for k, v in context.items() if isinstance(v, str)} == PREFIXES
    for term, definition in context.items():
        if isinstance(definition, dict):
            prefix, _, local = definition["@id"].partition(":")
            assert prefix in PREFIXES and local, term


def test_export_is_compacted_with_the_context(store):
    document = json.loads(export_store(store, "jsonld"))
    assert document["@context"] == jsonld_context()
    graphs = document["@graph"]
    assert graphs and all("@graph" in g for g in graphs if "@id" in g and "@graph" in g)
    keys = {key for g in graphs for node in g.get("@graph", [g]) for key in node}
    assert not [k for k in keys if k.startswith("http")], "properties left as full IRIs"
    assert {"notation", "page", "wasDerivedFrom", "miner:text"} & keys >= {"notation", "page", "wasDerivedFrom"}


def test_export_reads_back_to_the_same_quads(store, tmp_path):
    exported = export_store(store, "jsonld")
    back = ox.parse(exported, format=ox.RdfFormat.JSON_LD)
    data = [
        q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != ox.NamedNode(OWNERS_GRAPH)
    ]  # the owners name local files: not exported
    assert quads(back) == quads(data)
    # and through the CLI into another store, with nothing fetched
    path = tmp_path / "kg.jsonld"
    path.write_bytes(exported)
    other = open_store(None)
    other.load(path=str(path), format=ox.RdfFormat.JSON_LD)
    assert len(other) == len(data)


def test_cli_export_jsonld(tmp_path, store):
    folder = tmp_path / "store"
    disk = open_store(folder)
    disk.extend(store.quads_for_pattern(None, None, None, None))
    disk.flush()
    del disk
    out = tmp_path / "kg.jsonld"
    result = CliRunner().invoke(app, ["export", "--store", str(folder), "--format", "jsonld", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["@context"]["skos"] == PREFIXES["skos"]
