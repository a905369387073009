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

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from miner.rdf.changes import judgement_change_triples
from miner.rdf.vocab import DCTERMS, MINER
from miner.records import JudgedCriterion
from miner.store.owners import DERIVED, forget_owners, graph_owners, ownership_update
from miner.store.write import ox_term

__all__ = ["derived_updates", "judged_criteria"]

POINTER = f"<{MINER.changesGraph}>"
"""The pointer as every N-Triples line writes it (full IRIs): a graph's lines without it name no
changes graph, and are not parsed again here."""


def _pointed(store: ox.Store, graphs: Iterable[str]) -> set[str]:
    """The changes graphs the evaluation summaries of ``graphs`` name."""
    names = " ".join(str(ox.NamedNode(g)) for g in graphs)
    if not names:
        return set()
    found = store.query(
        f"SELECT DISTINCT ?changes WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?e <{MINER.changesGraph}> ?changes }} }}"
    )
    return {row["changes"].value for row in found if isinstance(row["changes"], ox.NamedNode)}


JUDGED = f"""PREFIX miner: <{MINER}>
PREFIX dcterms: <{DCTERMS}>
SELECT ?s ?clusters ?criteria ?judgements ?dates ?cycle_labels ?cluster_labels ?themes WHERE {{
  GRAPH ?g {{
    ?e miner:changesGraph %(changes)s .
    ?s a miner:CriterionSummary ; miner:cluster ?clusters ; miner:criterion ?criteria ; miner:summaryJudgement ?judgements ;
       dcterms:date ?dates ; miner:cycleLabel ?cycle_labels .
    OPTIONAL {{ ?s miner:clusterLabel ?cluster_labels }}
    OPTIONAL {{ ?s miner:summaryTheme ?themes }}
  }}
  %(left)s
}}"""
"""A cluster's criterion summaries with what pairing needs (an earlier summary needs no label or theme)."""


def judged_criteria(store: ox.Store, changes: str, leave_out: Iterable[str] = ()) -> list[JudgedCriterion]:
    """The criterion summaries of every graph whose evaluation summary names ``changes``, but those
    of the graphs ``leave_out`` (being replaced), as records."""
    left = ", ".join(str(ox.NamedNode(g)) for g in leave_out)  # (Oxigraph 0.5 keeps no row for NOT IN ())
    found = store.query(
        JUDGED % {"changes": ox.NamedNode(changes), "left": f"FILTER (?g NOT IN ({left}))" if left else ""}
    )
    fields = [v.value for v in found.variables]
    held: dict[ox.NamedNode, list[dict]] = {}
    for row in found:
        values = held.setdefault(row[0], [{} for _ in fields])
        for position in range(1, len(fields)):
            if row[position] is not None:
                values[position][row[position]] = None
    return [
        JudgedCriterion(summary, **{fields[n]: tuple(values[n]) for n in range(1, len(fields))})
        for summary, values in held.items()
    ]


def _lines(triples: list[tuple]) -> list[str]:
    """N-Triples lines of the changes, each term written once (they repeat across changes)."""
    written: dict[object, str] = {}

    def text(term: object) -> str:
        found = written.get(term)
        if found is None:
            found = written[term] = str(ox_term(term))
        return found

    return [f"{text(s)} {text(p)} {text(o)} ." for s, p, o in triples]


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
    owners = graph_owners(store)
    targets = {  # a graph of another owner (an import's), or of none, is never rewritten, whatever names it
        t
        for t in targets
        if t not in graphs
        and (owners[t] == DERIVED if t in owners else not store.contains_named_graph(ox.NamedNode(t)))
    }
    parts: list[str] = []
    kept: list[str] = []
    for changes in sorted(targets):
        judged = judged_criteria(store, changes, graphs) + judged_criteria(incoming, changes)
        triples = judgement_change_triples(judged, changes)
        name = ox.NamedNode(changes)
        parts.append(f"DROP SILENT GRAPH {name}")
        if triples:
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(_lines(triples)) + "\n} }")
            kept.append(changes)
    parts += forget_owners(sorted(targets - set(kept)))
    parts += ownership_update(kept, DERIVED)
    return parts
