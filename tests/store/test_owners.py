"""Graph ownership: an RDF input creates graphs, never replaces one it does not own (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError
from miner.rdf.vocab import Minter
from miner.store.local import open_store
from miner.store.owners import OWNERS_GRAPH, graph_owners, owner_of_input
from miner.store.rdf_files import parse_rdf_file
from miner.store.write import import_rdf_file, load_ontology, replace_graphs

runner = CliRunner()
MINTER = Minter()
DOC_GRAPH = str(MINTER.graph("ab" * 32))
ONTOLOGY_GRAPH = str(MINTER.ontology_graph())
SKIP = "organisations,members,activities,compare,network"


def _count(store: ox.Store, graph: str) -> int:
    return len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def _trig(path: Path, graphs: dict[str, str]) -> Path:
    path.write_text(
        "".join(f"<{g}> {{ <https://example.org/s> <https://example.org/p> {o} . }}\n" for g, o in graphs.items()),
        encoding="utf-8",
    )
    return path


def _store_with_document(folder: Path) -> Path:
    store_dir = folder / "store"
    store = open_store(store_dir)
    replace_graphs(
        store, {DOC_GRAPH: [(f"https://example.org/c{i}", "https://example.org/p", str(i)) for i in range(20)]}
    )
    load_ontology(store, ONTOLOGY_GRAPH)
    store.flush()
    del store
    return store_dir


def test_trig_naming_a_document_graph_and_the_ontology_changes_neither(tmp_path):
    store_dir = _store_with_document(tmp_path)
    store = open_store(store_dir, read_only=True)
    before = (_count(store, DOC_GRAPH), _count(store, ONTOLOGY_GRAPH))
    del store
    assert before[0] == 20 and before[1] > 500
    hostile = _trig(
        tmp_path / "hostile.trig", {DOC_GRAPH: '"x"', ONTOLOGY_GRAPH: '"y"', "https://example.org/fresh": '"z"'}
    )
    done = runner.invoke(app, ["build", str(hostile), "--store", str(store_dir), "--skip", SKIP])
    assert done.exit_code == 1, done.output
    assert "nothing imported" in done.output and "miner's own namespace" in done.output
    assert f"{hostile}: {hostile}:" not in done.output  # the file named once
    assert ONTOLOGY_GRAPH in done.output and DOC_GRAPH in done.output
    store = open_store(store_dir, read_only=True)
    assert (_count(store, DOC_GRAPH), _count(store, ONTOLOGY_GRAPH)) == before
    assert _count(store, "https://example.org/fresh") == 0  # a refused file writes nothing at all
    owners = graph_owners(store)
    assert owners[DOC_GRAPH].kind == "document" and owners[ONTOLOGY_GRAPH].kind == "ontology"


def test_an_input_creates_graphs_and_replaces_only_its_own_when_asked(tmp_path):
    store = open_store(None)
    first = _trig(tmp_path / "first.trig", {"https://example.org/g1": '"1"'})
    report = import_rdf_file(store, first, "https://w3id.org/miner/data/graph/first")
    assert "https://example.org/g1" in report.graphs
    assert graph_owners(store)["https://example.org/g1"] == owner_of_input(first)

    other = _trig(tmp_path / "other.trig", {"https://example.org/g1": '"2"'})
    with pytest.raises(InputError, match="belongs to the import of file://.*first.trig"):
        import_rdf_file(store, other, "https://w3id.org/miner/data/graph/other")
    with pytest.raises(InputError, match="belongs to"):  # --replace-graph cannot take another's graph
        import_rdf_file(store, other, "https://w3id.org/miner/data/graph/other", replace=["https://example.org/g1"])

    _trig(first, {"https://example.org/g1": '"3"'})  # the same file, changed
    with pytest.raises(InputError, match="created by this file before; give --replace-graph"):
        import_rdf_file(store, first, "https://w3id.org/miner/data/graph/first2")
    import_rdf_file(store, first, "https://w3id.org/miner/data/graph/first2", replace=["https://example.org/g1"])
    values = {q.object.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode("https://example.org/g1"))}
    assert values == {"3"}


@pytest.mark.parametrize(
    "graph", [OWNERS_GRAPH, "https://w3id.org/miner/ontology#x", "https://w3id.org/miner/axes/", "urn:unowned"]
)
def test_registry_vocabularies_and_unowned_graphs_are_never_written(tmp_path, graph):
    store = open_store(None)
    store.add(
        ox.Quad(
            ox.NamedNode("https://e/s"), ox.NamedNode("https://e/p"), ox.Literal("old"), ox.NamedNode("urn:unowned")
        )
    )  # a graph from before owners were recorded
    path = _trig(tmp_path / "x.trig", {graph: '"new"'})
    with pytest.raises(InputError, match="nothing imported"):
        import_rdf_file(store, path, "https://w3id.org/miner/data/graph/x", replace=[graph])


@pytest.mark.parametrize(
    "suffix,text",
    [
        (".nq", '<https://e/s> <https://e/p> "x" <{g}> .\n'),
        (".jsonld", '{{"@graph": [{{"@id": "https://e/s", "https://e/p": "x"}}], "@id": "{g}"}}'),
    ],
)
def test_nquads_and_jsonld_named_graphs_are_checked_alike(tmp_path, suffix, text):
    store = open_store(None)
    load_ontology(store, ONTOLOGY_GRAPH)
    before = _count(store, ONTOLOGY_GRAPH)
    path = tmp_path / f"x{suffix}"
    path.write_text(text.format(g=ONTOLOGY_GRAPH), encoding="utf-8")
    assert ONTOLOGY_GRAPH in parse_rdf_file(path)  # the file does name the graph
    with pytest.raises(InputError, match="miner's own namespace"):
        import_rdf_file(store, path, "https://w3id.org/miner/data/graph/x", reserved=[str(MINTER.graph(""))])
    assert _count(store, ONTOLOGY_GRAPH) == before
