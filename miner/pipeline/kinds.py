"""What an input file is, told by its content: the kinds a build recognises and the verdict of a
file's table (a member list, an activity list, or neither), read here or in the worker that
extracts the PDF (:mod:`miner.pipeline.alongside`) and remembered by the file's content."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

from miner.errors import InputError
from miner.nlp.text import fold
from miner.pipeline.cache import cache_key
from miner.pipeline.context import RunContext
from miner.read.files import sha256_file

__all__ = ["LIMITS", "TABLE_KIND", "Kind", "recognise_table", "table_kind", "table_verdict"]


class Kind(str, Enum):
    EVALUATION = "evaluation"
    DOCUMENT = "document"
    MEMBERS = "member list"
    ACTIVITIES = "activity list"
    RDF = "RDF"
    INDICATORS = "table of indicators"


def recognise_table(path: Path, columns: list[str]) -> tuple[Kind, str]:
    """A member list or an activity list, from a table's header; InputError when it is neither or both.

    >>> recognise_table(Path("l.csv"), ["nom", "code_postal", "numero_bce"])[0].value
    'member list'
    >>> recognise_table(Path("a.csv"), ["Date", "Activité", "Partenaires"])[0].value
    'activity list'
    """
    from miner.extract.members import COLUMN_ALIASES as MEMBER_COLUMNS
    from miner.read.activities import find_column

    header = {fold(str(c).replace("_", " ")): str(c) for c in columns}

    def member_column(name: str) -> str | None:
        return next(
            (header[fold(a.replace("_", " "))] for a in MEMBER_COLUMNS[name] if fold(a.replace("_", " ")) in header),
            None,
        )

    name = member_column("name")
    located = member_column("postal_code") or member_column("bce")
    description = find_column(list(columns), "description")
    if name and located and name != located and not description:
        return Kind.MEMBERS, f"columns {name!r} and {located!r}"
    if description and not (name and located):
        return Kind.ACTIVITIES, f"column {description!r}"
    shown = ", ".join(map(repr, columns)) or "none"
    if description:
        raise InputError(
            path,
            f"its columns fit both a member list ({name!r}, {located!r}) and an activity list "
            f"({description!r}); read it with miner members or miner classify",
        )
    raise InputError(
        path,
        f"neither a member list (a name and a postal code or BCE column) nor an activity list "
        f"(a description column); columns found: {shown}",
    )


TABLE_KIND = "miner.build.table"
"""The cache entry of what a file's table says it is (kind and reason), by content: an unchanged
file is not read again by the isolated reader to tell its kind."""


LIMITS = ("timed out", "too large")
"""How the isolated reader says a file met its time or memory limit: a verdict on this run (the
machine's load, the limits set), not on the file, so it is not remembered."""


def table_verdict(path: Path, *, isolate: bool = True) -> list:
    """``[kind or None, reason, refused]`` for the table ``path`` holds: a PDF's activity table
    (a PDF that holds none is a document), a CSV's or XLSX's header; ``refused`` when a list file
    is neither kind or cannot be read. ``isolate=False`` in a worker that is isolated already."""
    from miner.read.activities import find_column, read_table  # the list reader: only for a file not seen before

    kind, refused = None, False
    pdf = path.suffix.lower() == ".pdf"
    try:
        table = read_table(path, isolate=isolate)
        if pdf:
            description = find_column(table.columns, "description")
            found = (
                (Kind.ACTIVITIES, f"{len(table.rows)} rows with a column {description!r}")
                if description and table.rows
                else (None, "no activity rows")
            )
        else:
            found = recognise_table(path, table.columns)
        kind, reason = found[0].value if found[0] else None, found[1]
    except InputError as exc:
        reason, refused = exc.reason, not pdf  # a PDF that is no table is a document
    return [kind, reason, refused]


def table_kind(ctx: RunContext, path: Path) -> tuple[Kind | None, str]:
    """What the table a file holds makes it (a member or activity list), or None and why not;
    an InputError when its header fits both or neither kind. Remembered by the file's content
    (a verdict met at a time or memory limit is not), or found in its extraction worker this run."""
    key = cache_key(TABLE_KIND, {}, sha256_file(path))
    cached = ctx.recall(TABLE_KIND, key)
    if cached is not None:
        kind, reason, refused = json.loads(cached)
    else:
        kind, reason, refused = table_verdict(path)
        if not reason.startswith(LIMITS):
            ctx.remember(TABLE_KIND, key, json.dumps([kind, reason, refused], ensure_ascii=False))
    if refused:
        raise InputError(path, reason)
    return (Kind(kind) if kind else None), reason
