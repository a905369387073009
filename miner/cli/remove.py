"""What `miner remove` prints: each document taken out (or that would be), its graphs, what stays."""

from __future__ import annotations

from miner.records import RemovedDocument

__all__ = ["removal_lines"]


def removal_lines(removed: list[RemovedDocument]) -> list[str]:
    """One line per document, then one per graph dropped, kept or recomputed.

    >>> removal_lines([RemovedDocument("ab" * 32, "a.pdf", (("https://e/graph/ab", 3),), dry_run=True)])
    ['would remove a.pdf (abababababab): 1 graph(s), 3 triples', '  - https://e/graph/ab (3 triples)']
    """
    lines = []
    for r in removed:
        verb = "would remove" if r.dry_run else "removed"
        lines.append(
            f"{verb} {r.file_name or 'a document'} ({r.sha256[:12]}): {len(r.graphs)} graph(s), {r.triples} triples"
        )
        lines += [f"  - {graph} ({count} triples)" for graph, count in r.graphs]
        lines += [f"  kept {k.graph}: it belongs to {k.owner}" for k in r.kept]
        lines += [f"  recomputed {graph} (derived across documents)" for graph in r.derived]
    return lines
