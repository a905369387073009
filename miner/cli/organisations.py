"""What `miner organisations` and `miner members` print."""

from __future__ import annotations

import glob
from pathlib import Path, PurePath
from typing import Any

from miner.errors import MinerError, UsageError
from miner.extract.cycles import parse_cycle
from miner.extract.members import members_by_province, members_by_type, read_member_list, reconcile
from miner.pipeline.build import reading_steps, run_command
from miner.pipeline.registry import configured
from miner.read.files import sha256_file
from miner.store.load import load_member_list

__all__ = ["format_counts", "members_report", "organisations_report"]


def format_counts(title: str, counts: dict[str, int]) -> str:
    """A two-column text table: one line per key, the key left, the count right."""
    width = max((len(k) for k in counts), default=0)
    lines = [title]
    lines += [f"  {key:<{width}}  {value:>4}" for key, value in counts.items()]
    return "\n".join(lines)


def members_report(
    paths: list[Any],
    *,
    store_path: Any = None,
    cluster: str | None = None,
    cycle: str | None = None,
    as_of: Any = None,
    sheet: str | None = None,
    base_iri: str | None = None,
    echo: Any = print,
) -> int:
    """`miner members`: read each list, print its problems and its members by province and by type,
    reconcile several lists, and load the memberships when a store, a cluster and a cycle are given.
    Returns the number of files that could not be read."""

    if store_path is not None and not (cluster and cycle):
        raise UsageError("loading a member list needs --cluster NAME and --cycle CYCLE (e.g. triennat-7)")
    if cycle:
        parse_cycle(cycle)
    lists, failed = [], 0
    for path in paths:
        try:
            lists.append(read_member_list(path, sheet=sheet))
        except MinerError as exc:
            echo(f"error: {exc}")
            failed += 1
    store = None
    for member_list in lists:
        valid = sum(m.bce_status == "valid" for m in member_list.members)
        missing = sum(m.bce_status == "missing" for m in member_list.members)
        echo(
            f"{member_list.path}: {len(member_list.members)} members; BCE numbers: {valid} valid, "
            f"{len(member_list.members) - valid - missing} failing the mod-97 check, {missing} missing"
        )
        for problem in member_list.problems:
            echo(f"  warning: {problem}")
        when = f" (joined by {as_of})" if as_of else ""
        echo(format_counts(f"  by province{when}:", members_by_province(member_list.members, as_of=as_of)))
        echo(
            format_counts(
                f"  by type{when}:", {k: v for k, v in members_by_type(member_list.members, as_of=as_of).items() if v}
            )
        )
        if store_path is not None:
            from miner.store.local import open_store

            store = store or open_store(store_path)
            count = load_member_list(store, member_list, cluster, cycle, base_iri=base_iri)
            echo(f"  {count} triples into the store ({cluster}, {cycle})")
    if len(lists) > 1:
        rec = reconcile(lists)
        echo(
            f"reconciled: {len(rec.in_all())} members in every list, "
            + ", ".join(f"{len(rec.only_in(i))} only in {PurePath(l.path).name}" for i, l in enumerate(lists))
            + f", {len(rec.renamed())} renamed (same BCE number)"
        )
        for before, after in rec.renamed():
            echo(f"  renamed: {before.name} → {after.name} ({after.bce})")
    if store is not None:
        store.flush()
    return failed


def organisations_report(
    paths: list[Any],
    *,
    store_path: Any = None,
    activities: list[Any] = (),
    cluster: str | None = None,
    cycle: str | None = None,
    password: str | None = None,
    base_iri: str | None = None,
    echo: Any = print,
) -> int:
    """`miner organisations`: the organisations each PDF names (type, variants, pages) and the
    relations it states; loaded into the store when one is given. The files go through the
    registered steps and the runner (PDFs by the isolated reader); a file that fails is named on
    stderr. Returns the files that failed."""

    if activities and not cluster:
        raise UsageError("activity lists need --cluster NAME (whose activities they are)")
    lists = [glob.escape(str(p)) for p in activities]
    steps = reading_steps(list(paths), password=password) + [
        configured("miner.cycles.v1", cycle=cycle),
        configured(
            "miner.organisations.v1",
            cycle=cycle,
            activities=lists or None,
            cluster=cluster,
            load=store_path is not None,
        ),
    ]
    ctx = run_command([*paths, *activities], steps, store=store_path, base_iri=base_iri)
    for evaluation in ctx.evaluations:
        index = ctx.organisations.get(evaluation.source.sha256)
        if index is None:  # failed, and named
            continue
        path = evaluation.source.path
        echo(f"{path}: {len(index.organisations)} organisations, {len(index.relations)} relations")
        for org in sorted(index.organisations.values(), key=lambda o: (o.type, o.name.casefold())):
            pages = ",".join(map(str, org.documents.get(evaluation.source.sha256, [])))
            variants = f"  (also: {'; '.join(org.variants)})" if org.variants else ""
            echo(f"  {org.type:<22} {org.name}  p. {pages or '?'}{variants}")
        for relation in index.relations:
            first, second = index.organisations[relation.first].name, index.organisations[relation.second].name
            echo(f"  {relation.kind}: {first} — {second} (p. {relation.page})")
        for warning in index.warnings:
            echo(f"  warning: {warning}")
        if store_path is not None:
            echo(f"  loaded into {store_path}")
    for path in activities:
        index = ctx.organisations.get(sha256_file(path)) if Path(path).is_file() else None
        if index is None:
            continue
        echo(
            f"{path}: {len(index.organisations)} activity partners" + (", loaded into the store" if store_path else "")
        )
        for warning in index.warnings:
            echo(f"  warning: {warning}")
    return len({f.path for f in ctx.failures})
