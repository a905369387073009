"""What `miner remove` took out of a store, or would with ``--dry-run``: a record the CLI prints.

A document is named by its digest in the store (a graph travels, a path does not), so the record
keeps the digest and the file name the graph gives, the graphs dropped with their triples, the
graphs under the document's name that another owner holds and are kept, and the derived graphs
(a cluster's judgement changes) recomputed in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KeptGraph", "RemovedDocument"]


@dataclass(frozen=True)
class KeptGraph:
    """A graph under the document's name that is not the document's own: its owner says why it stays."""

    graph: str
    owner: str


@dataclass(frozen=True)
class RemovedDocument:
    """One document taken out of the store (``dry_run``: what would be)."""

    sha256: str
    file_name: str | None
    graphs: tuple[tuple[str, int], ...]
    """Each dropped graph and its triples."""
    kept: tuple[KeptGraph, ...] = ()
    derived: tuple[str, ...] = ()
    """The derived graphs the document's evaluation summaries name, recomputed from what is left."""
    dry_run: bool = False

    @property
    def triples(self) -> int:
        return sum(count for _, count in self.graphs)
