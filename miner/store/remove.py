"""Taking one document out of a store, as if it had never been built.

An analyst who built the wrong file (a draft, a duplicate, another cluster's report) had to rebuild
the whole store. A document is known in the store by its ``miner:SourceDocument`` (its digest and
file name) and owns the graphs miner named after it, ``<base>graph/<sha256>`` and those under it
(``…/organisations``), each recorded as a document's graph (:mod:`miner.store.owners`). Those are
dropped through the build's own write path (:func:`miner.store.write.replace_graph_lines` with no
lines), so one SPARQL update, one transaction, drops them, forgets their owners and recomputes what
the store derives across documents (a cluster's judgement changes, :mod:`miner.store.derived`): a
crash leaves the old store or the new one. A graph under the document's name that another owner
holds (a user's import) is kept and named; a document whose facts only came with an import is not
removed. The store's register of source files (:mod:`miner.store.documents`) forgets the digest, so
the document's pages are no longer shown as held; a later build of the same file finds its graph
missing and builds it again.

>>> from miner.store.write import replace_graphs
>>> store = ox.Store()
>>> doc, graph = "https://e/document/" + "ab" * 32, "https://e/graph/" + "ab" * 32
>>> replace_graphs(store, {graph: [(doc, str(MINER.sha256), "ab" * 32), (doc, str(RDF.type), str(MINER.SourceDocument))]})
2
>>> [r.graphs for r in remove_documents(store, ["abababab"])], len(store)
([(('https://e/graph/abababababababababababababababababababababababababababababababab', 2),)], 0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from miner.errors import InputError, UsageError
from miner.rdf.vocab import MINER, RDF, Minter
from miner.read.files import sha256_file
from miner.records import KeptGraph, RemovedDocument
from miner.store.documents import forget_documents, read_register
from miner.store.owners import DERIVED, DOCUMENT, graph_owners
from miner.store.write import replace_graph_lines

__all__ = ["find_documents", "plan_removal", "remove_documents"]

DOCUMENTS = f"""SELECT ?g ?d ?sha ?name WHERE {{
  GRAPH ?g {{ ?d <{RDF.type}> <{MINER.SourceDocument}> ; <{MINER.sha256}> ?sha . OPTIONAL {{ ?d <{MINER.fileName}> ?name }} }}
}}"""
"""Every source document the store declares, in each graph that declares it."""

DIGEST = re.compile(r"[0-9a-fA-F]{8,64}")
"""A digest or its start (8 hex characters at least, as short digests are usually given)."""


@dataclass
class StoredDocument:
    """A source document as the store knows it: its IRIs, names, and the graphs that declare it."""

    sha256: str
    iris: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    declared_in: set[str] = field(default_factory=set)

    def own_graphs(self, graphs: Iterable[str]) -> list[str]:
        """Of ``graphs``, those named after this document by the Minter of the base its IRI has:
        ``<base>graph/<sha256>`` and the graphs under it."""
        names = set()
        suffix = f"document/{self.sha256}"
        for iri in self.iris:
            try:
                if iri.endswith(suffix):
                    names.add(str(Minter(iri[: -len(suffix)]).graph(self.sha256)))
            except ValueError:  # an imported IRI with no base miner could have minted
                continue
        return sorted(g for g in graphs if any(g == n or g.startswith(n + "/") for n in names))


def find_documents(store: ox.Store) -> dict[str, StoredDocument]:
    """Every source document the store declares, by digest."""
    found: dict[str, StoredDocument] = {}
    for row in store.query(DOCUMENTS):
        sha = row["sha"].value.lower()
        doc = found.setdefault(sha, StoredDocument(sha))
        doc.iris.add(row["d"].value)
        doc.declared_in.add(row["g"].value)
        if row["name"] is not None:
            doc.names.add(row["name"].value)
    return found


def _matches(ref: str, documents: dict[str, StoredDocument], folder: Path | None) -> set[str]:
    """The digests ``ref`` names: a file (its bytes' digest, else the path the register recorded),
    a digest or its start, a document or graph IRI, or a file name as the graph gives it."""
    text = ref.strip().removeprefix("<").removesuffix(">")
    path = Path(text)
    recorded = read_register(folder) if folder is not None else {}
    by_path = {sha for sha, where in recorded.items() if where == str(path.absolute())}
    if path.is_file():  # its bytes; else (edited since it was built) what was built from that path
        digest = sha256_file(path)
        return {digest} if digest in documents or not by_path else by_path
    by_digest = {sha for sha in documents if sha.startswith(text.lower())} if DIGEST.fullmatch(text) else set()
    if by_digest:
        return by_digest
    if "://" in text:
        return {
            sha
            for sha, doc in documents.items()
            if text in doc.iris or text in doc.own_graphs(doc.declared_in | {text})
        }
    return by_path or {sha for sha, doc in documents.items() if path.name in doc.names}


def _describe(doc: StoredDocument) -> str:
    return f"{doc.sha256[:12]} ({', '.join(sorted(doc.names)) or 'no file name'})"


def plan_removal(
    store: ox.Store, refs: Sequence[str], folder: Path | None = None, *, dry_run: bool = True
) -> list[RemovedDocument]:
    """What removing the documents ``refs`` name takes out, nothing written. A name that matches no
    document built in the store, or several, is an InputError naming it (one line)."""
    if not refs:
        raise UsageError("name a document to remove: its file, its digest, or its document IRI")
    documents = find_documents(store)
    owners = graph_owners(store)
    chosen: dict[str, StoredDocument] = {}
    for ref in refs:
        matched = _matches(ref, documents, folder)
        known = [documents[sha] for sha in sorted(matched) if sha in documents]
        if not known:
            digest = f" (digest {next(iter(matched))[:12]})" if len(matched) == 1 else ""
            raise InputError(ref, f"no such document in the store{digest}; nothing removed")
        if len(known) > 1:
            raise InputError(ref, f"names {len(known)} documents: {'; '.join(map(_describe, known))}; give its digest")
        doc = known[0]
        if not any(owners.get(g) == DOCUMENT for g in doc.own_graphs(owners)):
            holders = sorted(
                {owners[g].describe() if g in owners else "a graph with no recorded owner" for g in doc.declared_in}
            )
            raise InputError(
                ref, f"not a document miner built here (it came with {', '.join(holders)}); nothing removed"
            )
        chosen[doc.sha256] = doc
    return [_planned(store, doc, owners, dry_run) for doc in chosen.values()]


def _planned(store: ox.Store, doc: StoredDocument, owners: dict, dry_run: bool) -> RemovedDocument:
    under = doc.own_graphs(set(owners) | {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)})
    dropped = [g for g in under if owners.get(g) == DOCUMENT]
    kept = [
        KeptGraph(g, owners[g].describe() if g in owners else "no recorded owner") for g in under if g not in dropped
    ]
    names = " ".join(str(ox.NamedNode(g)) for g in dropped)
    counts = {
        row["g"].value: int(row["n"].value)
        for row in store.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        )
    }
    pointed = store.query(
        f"SELECT DISTINCT ?c WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?e <{MINER.changesGraph}> ?c }} }}"
    )
    derived = sorted(
        row["c"].value for row in pointed if owners.get(row["c"].value, DERIVED) == DERIVED
    )  # what derived_updates recomputes: a graph of another owner is never rewritten
    return RemovedDocument(
        sha256=doc.sha256,
        file_name=", ".join(sorted(doc.names)) or None,
        graphs=tuple((g, counts.get(g, 0)) for g in dropped),
        kept=tuple(kept),
        derived=tuple(derived),
        dry_run=dry_run,
    )


def remove_documents(store: ox.Store, refs: Sequence[str], folder: Path | None = None) -> list[RemovedDocument]:
    """Remove the documents ``refs`` name: every graph each owns, in one transaction with the derived
    graphs recomputed; then the register of ``folder`` (the store's) forgets them. Every name is
    checked before anything is written: one unknown name leaves the store untouched."""
    removed = plan_removal(store, refs, folder, dry_run=False)
    replace_graph_lines(store, {graph: [] for r in removed for graph, _ in r.graphs})
    store.flush()
    if folder is not None:
        forget_documents(folder, [r.sha256 for r in removed])
    return removed
