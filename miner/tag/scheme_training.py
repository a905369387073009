"""Training and measuring a scheme's head from labelled files: what ``miner retrain``, the review
page and ``classify --evaluate --scheme`` call (the bench scripts fit on the corpus directly).

A labelled file is a list with a description column and a column named after the scheme
(``missions`` for the 2024 missions, a user scheme's short name otherwise) holding notations
such as ``1;3``; the first row of a wrong notation is one line naming the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from miner.atomic import write_text_atomic
from miner.data.schemes import BUILTIN_SCHEMES, Scheme
from miner.errors import InputError, MinerError, UsageError
from miner.tag.base import AxesSettings, evaluate_sets
from miner.tag.schemes import (
    TAGGING,
    SchemeTagging,
    column_stem,
    fit_scheme,
    load_scheme_model,
    parse_concepts,
    predict_scheme,
    read_texts,
    scheme_of,
)
from miner.userdata import user_model_dir

__all__ = ["evaluate_scheme_file", "labelled_rows", "retrain_scheme"]


def labelled_rows(
    path: str | Path, ref: str | Scheme, *, text_column: str | None = None
) -> tuple[list[str], list[list[int]], list[str | None], list[str]]:
    """A labelled file's (texts, concept positions, clusters, ids) under a scheme: a description
    column and one named after the scheme (its column stem, e.g. ``missions``, or its short name)
    holding notations such as "1;3"; blank descriptions skipped."""
    from miner.read.activities import find_column, read_table

    s = scheme_of(ref)
    table = read_table(path)
    text_col = find_column(table.columns, "description", text_column, path=str(path))
    gold_col = next((c for c in (column_stem(s), s.name, "concepts") if c in table.columns), None)
    if gold_col is None:
        raise InputError(
            path, f"no column {column_stem(s)!r} of {s.name} notations (columns: {', '.join(table.columns)})"
        )
    cluster_col, id_col = find_column(table.columns, "cluster"), find_column(table.columns, "id")
    texts, labels, clusters, ids = [], [], [], []
    for i, (text, cell) in enumerate(zip(table.column(text_col), table.column(gold_col))):
        if not text.strip():
            continue
        try:
            positions = parse_concepts(cell, s)
        except UsageError as exc:
            raise InputError(path, f"row {i + 1}: {exc}") from None
        ident = (table.column(id_col)[i] if id_col else "") or f"row{i + 1}"
        texts.append(" ".join(text.split()))
        labels.append(positions)
        clusters.append((table.column(cluster_col)[i] if cluster_col else "") or None)
        ids.append(ident)
    if not texts:
        raise InputError(path, "no labelled rows")
    return texts, labels, clusters, ids


def evaluate_scheme_file(path: str | Path, name: str | Scheme, *, text_column: str | None = None) -> dict[str, Any]:
    """Per-concept precision/recall/F1 and micro/macro F1 of a scheme's default model on a gold file
    (:func:`labelled_rows`)."""
    texts, labels, _, _ = labelled_rows(path, name, text_column=text_column)
    model = load_scheme_model(name)
    feats, vectors = read_texts(texts, None, model.settings.encoder)
    metrics = evaluate_sets(labels, [p.axes for p in predict_scheme(model, feats, vectors)])
    metrics["model_version"] = f"{model.scheme} {model.version}"
    return metrics


def retrain_scheme(
    ref: str | Scheme,
    paths: Sequence[str | Path],
    *,
    out_dir: str | Path | None = None,
    base_model: str | Path | None = None,
    replace: bool = False,
    text_column: str | None = None,
    tagging: SchemeTagging = TAGGING,
    advance: Any = None,
) -> Path:
    """Train a scheme's model from labelled files (:func:`labelled_rows`) into ``out_dir`` (default:
    the user model folder); unless ``replace``, the base model's examples (default: the scheme's
    default model, if any) are kept and the labelled texts override them. A user's scheme gets the
    ``DEFAULT-<scheme>`` pointer there, so ``classify --scheme FILE`` uses it. ``advance(note)`` is
    told when the rows are read and when the model is fitted (the review page's progress)."""
    s = scheme_of(ref)
    texts, labels, clusters, ids = [], [], [], []
    for path in paths:
        for kept, more in zip((texts, labels, clusters, ids), labelled_rows(path, s, text_column=text_column)):
            kept.extend(more)
    base = None
    if not replace:
        try:
            base = load_scheme_model(s, base_model)
        except MinerError:
            if base_model is not None:
                raise
    settings = base.settings if base is not None else AxesSettings()
    if base is not None:
        given = set(texts)
        for example in base.examples:
            if example["description"] not in given:
                texts.append(example["description"])
                labels.append(parse_concepts(example["concepts"], s))
                clusters.append(example.get("cluster") or None)
                ids.append(example["id"])
    if advance is not None:
        advance(f"{len(texts)} exemples lus")
    feats, vectors = read_texts(texts, clusters, settings.encoder)
    groups = [c or f"({i})" for c, i in zip(clusters, ids)]  # a row of no known network: a group of its own
    model = fit_scheme(
        s,
        texts,
        labels,
        feats=feats,
        vectors=vectors,
        groups=groups,
        ids=ids,
        settings=settings,
        tagging=tagging,
        source=";".join(str(p) for p in paths),
    )
    if advance is not None:
        advance("modèle ajusté")
    folder = Path(out_dir) if out_dir is not None else user_model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    saved = model.save(folder)
    if s.name not in BUILTIN_SCHEMES:
        write_text_atomic(folder / f"DEFAULT-{s.name}", saved.name + "\n")
    return saved
