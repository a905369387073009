"""Graphs the store derives from several documents' graphs, rewritten in the same transaction as them.

A change of judgement between two cycles is a fact of two evaluations (:mod:`miner.rdf.changes`).
Every write of named graphs goes through :func:`miner.store.write.replace_graph_lines`, which asks
:func:`derived_updates` for the operations that rewrite the changes graph of each cluster whose
evaluation graphs it replaces, adds or drops (the cluster's graph is named by each evaluation
summary's ``miner:changesGraph``, in the old content and in the new). The changes are computed from
the other graphs as the store holds them and the new content as given, and written in the writer's
own update: a crash leaves the old graphs and their changes, or the new ones and theirs. A build,
an incremental re-build, a graph written during extraction, an RDF import and the in-memory store of
`miner compare` all write through that one function.

>>> import pyoxigraph as ox
>>> derived_updates(ox.Store(), {"https://e/g": ["<https://e/s> <https://e/p> <https://e/o> ."]})
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from miner.rdf.changes import judgement_change_triples
from miner.rdf.vocab import DCTERMS, MINER
from miner.records import JudgedCriterion
from miner.store.owners import DERIVED, forget_owners, ownership_update
from miner.store.write import triple_lines

__all__ = ["derived_updates", "judged_criteria"]

POINTER = f"<{MINER.changesGraph}>"
"""The pointer as every N-Triples line writes it (full IRIs): a graph's lines without it name no
changes graph, and are not parsed again here."""

FIELDS = {
    str(MINER.cluster): "clusters",
    str(MINER.criterion): "criteria",
    str(MINER.judgement): "judgements",
    str(DCTERMS.date): "dates",
    str(MINER.cycleLabel): "cycle_labels",
    str(MINER.clusterLabel): "cluster_labels",
    str(MINER.theme): "themes",
}
"""The summary's properties a change reads, by the record field that holds their values."""


def _pointed(store: ox.Store, graphs: Iterable[str]) -> set[str]:
    """The changes graphs the evaluation summaries of ``graphs`` name."""
    names = " ".join(str(ox.NamedNode(g)) for g in graphs)
    if not names:
        return set()
    found = store.query(
        f"SELECT DISTINCT ?changes WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?e <{MINER.changesGraph}> ?changes }} }}"
    )
    return {row["changes"].value for row in found if isinstance(row["changes"], ox.NamedNode)}


def judged_criteria(store: ox.Store, changes: str, leave_out: Iterable[str] = ()) -> list[JudgedCriterion]:
    """The criterion summaries of every graph whose evaluation summary names ``changes``, but those
    of the graphs ``leave_out`` (being replaced), as records."""
    left = ", ".join(str(ox.NamedNode(g)) for g in leave_out)
    values = " ".join(f"<{p}>" for p in FIELDS)
    found = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?e <{MINER.changesGraph}> {ox.NamedNode(changes)} . "
        f"?s a <{MINER.CriterionSummary}> ; ?p ?o }} VALUES ?p {{ {values} }} "
        + (f"FILTER (?g NOT IN ({left})) }}" if left else "}")
    )
    held: dict[ox.NamedNode, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in found:
        held[row["s"]][FIELDS[row["p"].value]].append(row["o"])
    return [
        JudgedCriterion(summary, **{name: tuple(dict.fromkeys(terms)) for name, terms in fields.items()})
        for summary, fields in held.items()
    ]


def derived_updates(store: ox.Store, graphs: Mapping[str, list[str]]) -> list[str]:
    """SPARQL update operations, for the transaction that replaces ``graphs`` (name -> N-Triples
    lines, none to drop it), that rewrite every changes graph their old or new content names."""
    targets = _pointed(store, graphs)
    incoming = ox.Store()
    for name, lines in graphs.items():
        if any(POINTER in line for line in lines):
            incoming.load(
                input="\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name)
            )
    targets |= _pointed(incoming, graphs)
    parts: list[str] = []
    kept: list[str] = []
    for changes in sorted(targets):
        judged = judged_criteria(store, changes, graphs) + judged_criteria(incoming, changes)
        triples = judgement_change_triples(judged, changes)
        name = ox.NamedNode(changes)
        parts.append(f"DROP SILENT GRAPH {name}")
        if triples:
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(triple_lines(triples)) + "\n} }")
            kept.append(changes)
    parts += forget_owners(sorted(targets - set(kept)))
    parts += ownership_update(kept, DERIVED)
    return parts
