"""Removing a document leaves the store a build without it would have made.

Two evaluations of one cluster in two cycles (the shared report's structure, judged differently in
2022 and 2025), each with its organisations graph, beside the ontology and a user's RDF import. The
removal of the later one must leave exactly the quads of a store built from the earlier one alone
(the run and provenance included: each document's run is its own, minted from its digest and dated
by the build, so nothing of the build itself differs), the judgement changes between the two
cycles gone, the import kept.
"""

from __future__ import annotations

import datetime as dt
import time

import pyoxigraph as ox
import pytest
from evalfixture import GENERATED_AT, evaluation_from_expected, shared_evaluation, shared_store_folder
from timeouts import scaled

from miner.errors import InputError
from miner.rdf.vocab import Minter
from miner.records import Judgement, Organisation, OrganisationIndex
from miner.store.documents import read_register, record_documents
from miner.store.load import load_evaluations, load_organisations
from miner.store.local import import_rdf_file, load_ontology, open_store
from miner.store.owners import graph_owners
from miner.store.pool import PoolSettings, QueryPool
from miner.store.query import find_saved_query
from miner.store.remove import find_documents, plan_removal, remove_documents

MINTER = Minter()
EARLY, LATE = "1" * 64, "2" * 64
"""The digests of the two documents; they share no start, so a digest's first characters name one."""
USER_TTL = """@prefix ex: <https://example.org/mine/> .
ex:note ex:says "a user's own note" .
"""
USER_TRIG = """@prefix ex: <https://example.org/mine/> .
ex:labels { ex:a ex:label "corrected by hand" . }
"""


def document(sha: str, year: int, shift: int):
    """The shared report's record as another document of its cluster dated ``year``: each criterion's
    judgement moved ``shift`` steps along the scale (so the two cycles' judgements differ)."""
    base = evaluation_from_expected()
    scale = list(Judgement)
    questions = []
    for q in base.questions:
        criteria = [
            c.model_copy(update={"judgement": scale[(scale.index(c.judgement) + shift) % 4]}) for c in q.criteria
        ]
        questions.append(q.model_copy(update={"criteria": criteria}))
    return base.model_copy(
        update={
            "questions": questions,
            "source": base.source.model_copy(update={"sha256": sha, "path": f"evaluation-{year}.pdf"}),
            "metadata": base.metadata.model_copy(update={"date": dt.date(year, 6, 30)}),
        }
    )


def organisations(sha: str) -> OrganisationIndex:
    """A small index of what the document names, as the organisations step would give it."""
    found = Organisation(key="uliege", name="Université de Liège", type="university", documents={sha: [2]})
    return OrganisationIndex(organisations={"uliege": found})


def build(store: ox.Store, tmp_path, *docs: tuple[str, int, int, str]) -> ox.Store:
    """The documents (digest, year, shift, cycle) with their organisations, the ontology, the user's imports."""
    for sha, year, shift, cycle in docs:
        evaluation = document(sha, year, shift)
        load_evaluations(store, [evaluation], cycle=cycle, generated_at=GENERATED_AT)
        load_organisations(store, [evaluation], cycle=cycle, generated_at=GENERATED_AT, indexes=[organisations(sha)])
    load_ontology(store, str(MINTER.ontology_graph()))
    for name, text in (("notes.ttl", USER_TTL), ("labels.trig", USER_TRIG)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_rdf_file(store, path, f"https://example.org/mine/import/{name}", reserved=[str(MINTER.graph(""))])
    return store


BOTH = ((EARLY, 2022, 0, "triennat-6"), (LATE, 2025, 1, "triennat-7"))


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The folder of the user's imports (their owner names the file) and the earlier document built alone."""
    folder = tmp_path_factory.mktemp("imports")
    return folder, quads(build(ox.Store(), folder, BOTH[0]))


def quads(store: ox.Store) -> set[ox.Quad]:
    """The store's quads, blank nodes renamed canonically (RDFC-1.0, by pyoxigraph): the ontology's
    lists get new blank nodes each time it is loaded."""
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def changes(store: ox.Store) -> list:
    """The rows of the saved judgement_changes query (the changes the store derived across cycles)."""
    return list(store.query(find_saved_query("judgement_changes").text, use_default_graph_as_union=True))


def test_removing_a_document_leaves_what_a_build_without_it_makes(alone):
    folder, built_alone = alone
    store = build(ox.Store(), folder, *BOTH)
    assert changes(store)  # the two cycles' judgements differ: changes derived
    (removed,) = remove_documents(store, [LATE[:8]])
    assert removed.sha256 == LATE and removed.file_name == "evaluation-2025.pdf"
    assert [g for g, _ in removed.graphs] == [str(MINTER.graph(LATE)), str(MINTER.organisations_graph(LATE))]
    assert removed.derived and all(n > 0 for _, n in removed.graphs)
    assert quads(store) == built_alone  # owners registry and ontology included
    assert not changes(store)  # no change between cycles is left
    assert "corrected by hand" in {q.object.value for q in store}  # the user's import is kept


def test_removing_the_earlier_cycle_keeps_the_later_as_built_alone(tmp_path):
    store = build(ox.Store(), tmp_path, *BOTH)
    remove_documents(store, [str(MINTER.document(EARLY))])  # named by its IRI
    assert quads(store) == quads(build(ox.Store(), tmp_path, BOTH[1]))


def test_dry_run_lists_what_would_go_and_changes_nothing(tmp_path):
    store = build(ox.Store(), tmp_path, *BOTH)
    before = set(store)
    (planned,) = plan_removal(store, [str(MINTER.graph(LATE))])
    assert planned.dry_run and set(store) == before
    (done,) = remove_documents(store, [LATE])
    assert (planned.graphs, planned.derived) == (done.graphs, done.derived)


def test_an_unknown_or_ambiguous_name_is_one_line_and_the_store_untouched(tmp_path):
    store = build(ox.Store(), tmp_path, *BOTH)
    before = set(store)
    with pytest.raises(InputError, match=r"^draft-2024\.pdf: no such document in the store; nothing removed$"):
        remove_documents(store, [LATE, "draft-2024.pdf"])  # the known one is not removed either
    path = tmp_path / "notes.ttl"
    with pytest.raises(InputError, match="no such document in the store \\(digest [0-9a-f]{12}\\)"):
        remove_documents(store, [str(path)])  # an imported file is no built document
    ambiguous = build(ox.Store(), tmp_path, (EARLY, 2022, 0, "triennat-6"), ("1" * 63 + "2", 2025, 1, "triennat-7"))
    with pytest.raises(InputError, match="names 2 documents"):
        remove_documents(ambiguous, ["11111111"])
    assert set(store) == before


def test_a_document_that_came_with_an_import_is_not_removed(tmp_path):
    store = build(ox.Store(), tmp_path, BOTH[0])
    trig = tmp_path / "other-store.trig"  # a user's export of another store's document, imported
    doc = "https://example.org/other/document/" + "3" * 64
    trig.write_text(
        f'<{doc}> a <https://w3id.org/miner/ontology#SourceDocument> ; <https://w3id.org/miner/ontology#sha256> "{"3" * 64}" .\n',
        encoding="utf-8",
    )
    import_rdf_file(store, trig, "https://example.org/mine/import/other", reserved=[str(MINTER.graph(""))])
    before = set(store)
    with pytest.raises(InputError, match="not a document miner built here \\(it came with the import of file:"):
        remove_documents(store, ["3" * 64])
    assert set(store) == before and "3" * 64 in find_documents(store)


def test_a_graph_under_the_document_name_of_another_owner_is_kept(tmp_path):
    store = build(ox.Store(), tmp_path, *BOTH)
    stray = ox.NamedNode(f"{MINTER.graph(LATE)}/notes")  # no owner recorded: not miner's to drop
    store.add(
        ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("x"), stray)
    )
    (removed,) = remove_documents(store, [LATE])
    assert [(k.graph, k.owner) for k in removed.kept] == [(stray.value, "no recorded owner")]
    assert store.contains_named_graph(stray) and stray.value not in graph_owners(store)


def test_the_register_forgets_the_document_on_disk(tmp_path):
    folder = tmp_path / "store"
    store = build(open_store(folder), tmp_path, *BOTH)
    source = tmp_path / "evaluation-2025.pdf"
    source.write_bytes(b"%PDF-1.4 stand-in")  # its bytes have another digest than the one built
    record_documents(folder, {EARLY: tmp_path / "evaluation-2022.pdf", LATE: source})
    (removed,) = plan_removal(store, [str(source)], folder)  # edited since: what was built from it
    assert removed.sha256 == LATE
    source.unlink()  # a file moved away is still found by the path the register recorded
    (removed,) = remove_documents(store, [str(source)], folder)
    assert removed.sha256 == LATE and set(read_register(folder)) == {EARLY}
    assert not store.contains_named_graph(ox.NamedNode(str(MINTER.graph(LATE))))


def test_the_endpoint_copy_follows_the_removal(tmp_path):
    """A query worker answering from its in-memory copy answers without the document once it is
    removed: the write changes the store's files, and a copy is used only for the files it was made of."""
    folder = shared_store_folder(tmp_path / "store")
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    with QueryPool(folder, PoolSettings(size=1, memory_mb=256)) as pool:
        for _ in range(int(scaled(20) / 0.1)):  # polled: the copy loads in the worker's background
            if pool.run(graphs).source == "memory":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the worker never answered from its in-memory copy")
        before = pool.run(graphs).values()[0][0]
        store = open_store(folder)
        (removed,) = remove_documents(store, [shared_evaluation().source.sha256], folder)
        del store
        assert pool.run(graphs, timeout=scaled(10)).values()[0][0] == before - len(removed.graphs)


def test_a_store_of_another_base_iri(tmp_path):
    """Graphs are found by the base of the document's own IRI, whatever base the store was built with."""
    store = ox.Store()
    load_evaluations(store, [document(LATE, 2025, 1)], base_iri="https://example.org/kb", generated_at=GENERATED_AT)
    (removed,) = remove_documents(store, ["evaluation-2025.pdf"])  # its file name as the graph gives it
    assert [g for g, _ in removed.graphs] == [f"https://example.org/kb/graph/{LATE}"] and len(store) == 0
