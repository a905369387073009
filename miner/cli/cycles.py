"""What `miner cycles` prints: the cycle of each evaluation, its evidence and conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from miner.compare.comparison import select_rows
from miner.pipeline.build import reading_steps, run_command
from miner.pipeline.registry import configured

__all__ = ["cycles_report"]


def cycles_report(
    paths: list[Path],
    *,
    store: Path | None = None,
    cycle: str | None = None,
    password: str | None = None,
    echo: Callable[[str], Any] = print,
) -> int:
    """Print the cycle of each file (or of each evaluation of the store): what supports it, what
    contradicts it, and how to give it when the text does not say. The files are read by the
    registered steps through the runner (PDFs by the isolated reader); a file that fails is named
    on stderr. Returns the number of failures."""

    if not paths:
        from miner.store.local import DEFAULT_STORE, open_store
        from miner.store.query import find_saved_query

        rows = select_rows(
            open_store(store or DEFAULT_STORE, read_only=True), find_saved_query("evaluation_cycles").text
        )
        for r in rows:
            period = f", period {r['start']} → {r['end']}" if r["start"] else ""
            flag = " [fictitious]" if r["fictitious"] else ""
            echo(f"{r['cluster']}: {r['cycle']} ({r['source'] or '?'}){period}, dated {r['date']} — {r['file']}{flag}")
            for conflict in filter(None, str(r["conflicts"] or "").split(" | ")):
                echo(f"  conflict: {conflict}")
        return 0
    ctx = run_command(paths, reading_steps(paths, password=password) + [configured("miner.cycles.v1", cycle=cycle)])
    for evaluation in ctx.evaluations:
        path = evaluation.source.path
        found = ctx.cycle_of(evaluation)
        c = found.cycle
        who = evaluation.metadata.cluster or "(no cluster named)"
        period = f", period {c.start} → {c.end}" if c.start and c.end else ""
        dated = f", dated {evaluation.metadata.date}" if evaluation.metadata.date else ""
        flag = " [fictitious]" if evaluation.metadata.fictitious else ""
        if not evaluation.questions:
            echo(
                f"{path}: not an evaluation report (no evaluation questions); `miner build` keeps its stated "
                "figures under the cluster they name"
            )
            continue
        if found.has_ordinal:
            echo(f"{path}: {who}: {c.label} ({found.source}){period}{dated}{flag}")
        else:
            echo(
                f"{path}: {who}: cycle not stated in the text{dated}{flag}; give it with --cycle triennat-N "
                f"(miner build, miner cycles) or --cycle-a/--cycle-b (miner compare)"
            )
        for item in found.evidence:
            if item.what in ("ordinal", "period", "next"):
                page = f"p. {item.page}: " if item.page else ""
                echo(f"  {item.what}: {item.value} — {page}« {item.quote} »")
        for conflict in found.conflicts:
            echo(f"  conflict: {conflict}")
    return len(ctx.failures)
