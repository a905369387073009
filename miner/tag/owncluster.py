"""Which organisation runs the listed activities: the list's own cluster (issue 22, item 1).

Its names, acronyms, "le cluster", "nos membres", its grappes and clubs are the actor of every
row, never a counterpart (no axis 5 for its own forum). It is known, best first, from
``miner classify --cluster NAME``, a ``cluster`` column, the list's title row, its file name, the
evaluation the list is linked to; failing all, the most frequent cluster or pôle the list names
is proposed, and the output says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from miner.nlp.french import BATCH_SIZE, ENTITY_ONLY, FAST_DISABLED, canonical_name, get_nlp
from miner.nlp.orgtyper import Typer, fold_name, load_typer

__all__ = ["OwnChoice", "name_in_text", "mention_counts", "most_frequent", "resolve_own"]

NAMED = re.compile(
    r"\b(?:cluster|clúster|pôle|pole|grappe)\s+(?:[A-Z0-9][\w&'’.+-]*)(?:\s+(?:[A-Z0-9&][\w&'’.+-]*))*", re.I
)
"""A "Cluster Bois", "Pôle MecaTech" shape in a title or file name."""
OWN_TYPES = frozenset({"cluster", "pole"})


@dataclass(frozen=True)
class OwnChoice:
    """The own cluster of each row (None where unknown) and how it was found, said to the user."""

    per_row: list[str | None]
    source: str
    message: str = ""


def name_in_text(text: str, typer: Typer | None = None) -> str | None:
    """A cluster or pôle named in a title or file name: a known body (the longest), else the
    "Cluster X" shape, capitalised words kept."""
    if not text or not text.strip():
        return None
    typer = typer or load_typer()
    folded = " " + fold_name(text) + " "
    best = None
    for key, body in typer.index.items():
        if (
            body.type in OWN_TYPES
            and len(key) > 2
            and f" {key} " in folded
            and (best is None or len(key) > len(best[0]))
        ):
            best = (key, body.name)
    if best:
        return best[1]
    found = NAMED.search(text.replace("_", " ").replace("-", " "))
    return found.group(0).strip() if found else None


def mention_counts(texts: Sequence[str]) -> Counter[str]:
    """How often the rows name each cluster or pôle (gazetteer actors and "Cluster X"), as
    :func:`miner.nlp.french.analyse` names its actors. Only the tokenizer, the gazetteer's ruler
    and the qualified names run (their patterns read the words, not the tags or the parse: the
    same entities, ~8x less CPU than ``full=False``), a pipeline batch at a time, and only the
    counts are kept: every row's analysis held at once was the peak of a long list (issue 27)."""
    nlp = get_nlp()
    off = [name for name in (*ENTITY_ONLY, *FAST_DISABLED) if name in nlp.pipe_names]
    counts: Counter[str] = Counter()
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, disable=off):
        for ent in doc.ents:
            if ent.label_.lower() in OWN_TYPES:
                counts[canonical_name(ent) or ent.text] += 1
    return counts


def most_frequent(texts: Sequence[str]) -> str | None:
    """The cluster or pôle the list's rows name most often (:func:`mention_counts`)."""
    counts = mention_counts(texts)
    return counts.most_common(1)[0][0] if counts else None


def resolve_own(
    texts: Sequence[str],
    column: Sequence[str | None] | None,
    *,
    option: str | None = None,
    caption: str = "",
    path: str = "",
    evaluation: str | None = None,
) -> OwnChoice:
    """The own cluster of each of ``texts`` (see the module docstring for the order)."""
    n = len(texts)
    if option:
        return OwnChoice([option] * n, "option")
    fallback, source = None, ""
    for candidate, where in (
        (name_in_text(caption), "title"),
        (name_in_text(Path(path).stem if path else ""), "file name"),
        (evaluation, "evaluation"),
    ):
        if candidate:
            fallback, source = candidate, where
            break
    if column is not None and any(c and c.strip() for c in column):
        rows = [c.strip() if c and c.strip() else fallback for c in column]
        return OwnChoice(rows, "column")
    if fallback:
        return OwnChoice([fallback] * n, source, f"the list's own cluster is {fallback!r} (from its {source})")
    guess = most_frequent(texts)
    if guess:
        return OwnChoice(
            [guess] * n,
            "most frequent",
            f"no cluster given (--cluster, a cluster column, a title or the file name): "
            f"{guess!r}, the organisation the list names most, is taken as the list's own",
        )
    return OwnChoice([None] * n, "none")
