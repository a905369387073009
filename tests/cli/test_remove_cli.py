"""`miner remove`: what it prints, its dry run, its exit codes, on a store folder built on disk."""

from __future__ import annotations

import pyoxigraph as ox
from conftest import ROOT
from evalfixture import GENERATED_AT, evaluation_from_expected
from typer.testing import CliRunner

from miner.cli.app import app
from miner.cli.remove import removal_lines
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.records.removal import KeptGraph, RemovedDocument
from miner.store.documents import read_register, record_documents
from miner.store.load import load_evaluations
from miner.store.local import open_store

runner = CliRunner()
SHA = "4" * 64


def store_folder(tmp_path):
    """A store folder holding one evaluation (recorded in the register as built from a file), released."""
    folder = tmp_path / "store"
    evaluation = evaluation_from_expected()
    evaluation = evaluation.model_copy(update={"source": evaluation.source.model_copy(update={"sha256": SHA})})
    store = open_store(folder)
    load_evaluations(store, [evaluation], generated_at=GENERATED_AT)
    store.flush()
    del store
    record_documents(folder, {SHA: tmp_path / "evaluation.pdf"})
    return folder


def test_dry_run_then_remove(tmp_path):
    folder = store_folder(tmp_path)
    graph = str(Minter().graph(SHA))
    dry = runner.invoke(app, ["remove", SHA[:10], "--store", str(folder), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("would remove evaluation-infopole-2025-synthese.pdf (444444444444): 1 graph(s), ")
    assert f"  - {graph} (" in dry.stdout and "  recomputed " in dry.stdout
    assert SHA in read_register(folder)
    done = runner.invoke(app, ["remove", SHA[:10], "--store", str(folder)])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1:] == dry.stdout.splitlines()[1:]
    assert done.stdout.startswith("removed ")
    assert not ox.Store.read_only(str(folder)).contains_named_graph(ox.NamedNode(graph))
    assert read_register(folder) == {}


def test_unknown_document_and_missing_store(tmp_path):
    folder = store_folder(tmp_path)
    result = runner.invoke(app, ["remove", "draft.pdf", "--store", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == "error: draft.pdf: no such document in the store; nothing removed\n"
    assert ox.Store.read_only(str(folder)).contains_named_graph(ox.NamedNode(str(Minter().graph(SHA))))
    missing = runner.invoke(app, ["remove", SHA, "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no store at" in missing.stderr
    assert not (tmp_path / "none").exists()


def test_removal_lines_name_what_stays():
    kept = KeptGraph("https://e/graph/ab/notes", "the import of file:///tmp/n.ttl")
    lines = removal_lines([RemovedDocument("ab" * 32, None, (), kept=(kept,), derived=("https://e/graph/changes/x",))])
    assert lines == [
        "removed a document (abababababab): 0 graph(s), 0 triples",
        "  kept https://e/graph/ab/notes: it belongs to the import of file:///tmp/n.ttl",
        "  recomputed https://e/graph/changes/x (derived across documents)",
    ]


def test_a_removed_list_is_built_again(tmp_path):
    """The build remembers what it did; a list taken out of the store is not taken as done."""
    members = ROOT / "corpora" / "members" / "membres-chanvrelia-2025.csv"
    folder = tmp_path / "store"
    build = ["build", str(members), "--store", str(folder), "--out", str(tmp_path / "out"), "--skip", "network,compare"]
    build += ["--cluster", "CHANVRELIA cluster des éco-matériaux", "--cycle", "triennat-7", "--quiet"]
    graph = ox.NamedNode(str(Minter().organisations_graph(sha256_file(members))))

    def held() -> bool:
        return ox.Store.read_only(str(folder)).contains_named_graph(graph)

    assert runner.invoke(app, build).exit_code == 0 and held()
    removed = runner.invoke(app, ["remove", str(members), "--store", str(folder)])
    assert removed.exit_code == 0 and not held(), removed.output
    assert runner.invoke(app, build).exit_code == 0 and held()
