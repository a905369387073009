"""``miner classify``: tag an activity list with decree axes, link it to constats, write it back.

Every input row comes out, in order, with its own cells untouched (a human ``axes`` column stays
byte for byte as it was) and the predicted ones beside them: ``predicted_axes``,
``score_1``..``score_6``, ``evidence`` (the rules and words that decided), ``uncertain`` (a score
near its threshold on an axis no rule settles), ``constats``, ``error`` (why a row could not be
tagged) and ``warning`` (written under French names by :mod:`miner.tag.output`: ``axes_predits``,
``incertain``…). The list's own cluster comes from ``cluster=``, else a ``cluster`` column, else
the list's title or file name, else the most frequent organisation of the list, said in the messages. Also: evaluate a model on
a gold file, and retrain from an evaluator's corrected file into a new versioned artefact. The
pipeline step ``miner.classify.v1`` does the same inside ``miner run``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

from miner.atomic import write_text_atomic
from miner.errors import InputError, MinerError, UsageError
from miner.nlp.backends import numpy_products
from miner.nlp.cores import numpy_blas_on_one_thread
from miner.nlp.french import get_nlp
from miner.read.activities import find_column, read_table, row_problems, to_activities
from miner.records import Constat, Provenance
from miner.records.tagging import Classified
from miner.settings import check_fields, setting
from miner.tag import axes as ax
from miner.tag import schemes as sc
from miner.tag.ahead import EncoderAhead
from miner.tag.axes import parse_axes
from miner.tag.features import extract_features
from miner.tag.links import link, profile_constats
from miner.tag.output import csv_text, write_file, xlsx_bytes
from miner.tag.owncluster import resolve_own

__all__ = [
    "OUTPUT_COLUMNS",
    "Classified",
    "classify_table",
    "classify_file",
    "TaggingBatches",
    "write_output",
    "evaluate_file",
    "format_metrics",
    "train_file",
    "retrain",
    "load_constats",
    "gold_rows",
]

OUTPUT_COLUMNS = [
    "predicted_axes",
    *(f"score_{a}" for a in range(1, 7)),
    "evidence",
    "uncertain",
    "constats",
    "error",
    "warning",
]


def load_constats(path: str | Path) -> list[Constat]:
    """Constats from ``miner extract`` JSON (an Evaluation) or the shared ``*.expected.json``."""

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read constats JSON ({exc})") from None
    if isinstance(data, dict) and "constats" in data and "source" in data:
        from miner.records import Evaluation

        return list(Evaluation.model_validate(data).constats)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    found: dict[int, Constat] = {}
    for question in data.get("questions", []) if isinstance(data, dict) else []:
        for row, criterion in enumerate(question.get("criteria", []), 1):
            for item in criterion.get("constats", []):
                number = item["number"]
                if "text" in item and number not in found:
                    found[number] = Constat(
                        number=number,
                        text=item["text"],
                        question=question.get("number"),
                        criteria=[f"{question.get('number')}.{row}"],
                        pages=[],
                        provenance=Provenance(document=digest, path=str(path)),
                    )
    if not found:
        raise InputError(path, "no constats found (expected an Evaluation JSON or questions/criteria/constats)")
    return [found[n] for n in sorted(found)]


@dataclass(frozen=True)
class TaggingBatches:
    """How many rows are tagged at once: the progress callback moves once per batch, so a long
    list's bar should move often, while each batch still fills the encoder's."""

    max_rows: int = setting(
        64,
        "one encoder batch (nlp.embeddings.BATCH_SIZE); each row in flight holds ~0.4 MB "
        "(600 rows: peak 382 MB in batches of 20, 458 MB in batches of 200), so more would "
        "break classify's 400 MB on long lists and gain nothing",
    )
    min_rows: int = setting(16, "below this, each batch's fixed cost (encoder and spaCy calls) starts to show")
    steps: int = setting(50, "a bar that moves 50 times over a list looks live (a 703-row list: every 16 rows)")
    ahead: int = setting(
        32,
        "batches the encoder may run ahead of the rows being tagged (the own-cluster pass, ~4 ms a row, "
        "lets it get ahead); 32 batches of 64 rows are 3 MB of vectors, so memory stays bounded; 0: each "
        "batch encoded in turn on the tagging thread (with EncoderSettings(max_threads=1), one core left free)",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    def rows(self, total: int) -> int:
        """Rows per batch for a list of ``total`` rows.

        >>> TaggingBatches().rows(300), TaggingBatches().rows(2000), TaggingBatches().rows(20000)
        (16, 40, 64)
        """
        return max(1, self.min_rows, min(self.max_rows, -(-total // max(1, self.steps))))


@lru_cache(maxsize=1)
def _glibc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:  # not glibc: nothing to give back this way
        return None


M_ARENA_MAX = -8
"""glibc's mallopt parameter for the number of malloc arenas."""


def _share_arenas() -> None:
    """At most two malloc arenas for the threads started from now on (the French pipeline's, the
    encoder's pieces): each thread's own arena kept its freed pages apart (400 rows: peak 391 MB
    with glibc's default of 8 per core, 347 MB with 2)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 2)


def _give_back_freed_memory() -> None:
    """Return the pages freed by a batch to the system (glibc's ``malloc_trim``). Each batch's spaCy
    arrays, encoder buffers and features are freed, but glibc keeps the freed pages of its arenas
    (one per thread: the French pipeline runs in its own), so the resident size crept up batch
    after batch (2,000 rows: 359 to 421 MB over the list); trimmed, it stays at one batch's worth."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def classify_table(
    table: Any,
    *,
    text_column: str | None = None,
    model_path: str | Path | None = None,
    constats: Sequence[Constat] = (),
    advance: Callable[[int], None] | None = None,
    cluster: str | None = None,
    evaluation_cluster: str | None = None,
    scheme: str | Path | None = None,
    scheme_models: dict[str, str | Path] | None = None,
    batches: TaggingBatches | None = None,
    embedder: Any = None,
) -> Classified:
    """Tag every row of an :class:`~miner.read.activities.ActivityTable` (see module docstring);
    ``advance(n)`` is called as rows are done (the CLI's progress bar); ``cluster`` names the
    list's own cluster (else the column, title, file name, linked evaluation, most frequent).
    ``scheme``: ``axes-2007`` (default), ``missions-2024``, ``both`` or a user's SKOS file
    (:mod:`miner.tag.schemes`); ``model_path`` is the model of the one scheme asked for (the axes'
    with ``both``), ``scheme_models`` a model per other scheme name (default: each one's default);
    ``embedder`` the loaded encoder to use (default: the models' own, its threads chosen per batch).

    The encoder runs ahead on its own thread (:class:`~miner.tag.ahead.EncoderAhead`) while this one
    finds the own cluster, parses, applies the rules and the heads, batch after batch: only the
    rows' output is kept, each batch's parse and features are dropped once tagged. Numpy's products
    stay on this thread meanwhile (:func:`miner.nlp.cores.numpy_blas_on_one_thread`), and the French
    pipeline multiplies through them (:func:`miner.nlp.backends.numpy_products`)."""

    chosen = {s.name: s for s in sc.schemes_for(scheme)}
    names = list(chosen)
    extra = [c for name in names if name != sc.DEFAULT_SCHEME for c in sc.scheme_columns(chosen[name])]
    extra += [sc.CROSSWALK_COLUMN] if len(names) > 1 else []
    own_columns = [c for c in OUTPUT_COLUMNS if sc.DEFAULT_SCHEME in names or c in ("constats", "error", "warning")]
    own_columns[-3:-3] = extra
    activities = to_activities(table, text_column=text_column)
    text_col = find_column(table.columns, "description", text_column, path=table.path)
    cluster_col = find_column(table.columns, "cluster")
    model = ax.load_model(str(model_path) if model_path else None) if sc.DEFAULT_SCHEME in names else None
    paths = dict(scheme_models or {})
    if model_path and sc.DEFAULT_SCHEME not in names:
        paths.setdefault(names[0], model_path)
    others = {name: sc.load_scheme_model(chosen[name], paths.get(name)) for name in names if name != sc.DEFAULT_SCHEME}
    rows: list[dict[str, Any]] = []
    row_predictions: list[Any] = [None] * len(table.rows)
    row_links: list[list[Any]] = [[] for _ in table.rows]
    by_scheme: dict[str, list[Any]] = {name: [None] * len(table.rows) for name in names}
    todo: list[int] = []
    texts: list[str] = []
    messages: list[str] = list(getattr(table, "warnings", []))  # e.g. not UTF-8
    for i, raw in enumerate(table.rows):
        row = {c: (raw[j] if j < len(raw) else "") for j, c in enumerate(table.columns)}
        row.update({c: "" for c in own_columns})
        clean, error, warnings = row_problems(row[text_col])
        if error:
            row["error"] = error
            messages.append(f"row {i + 1}: {error}, skipped")
        else:
            todo.append(i)
            texts.append(clean)
        if warnings:
            row["warning"] = "; ".join(warnings)
            messages += [f"row {i + 1}: {w}" for w in warnings]
        rows.append(row)
    if texts:
        settings = batches or TaggingBatches()
        size = settings.rows(len(texts))
        encoder = model.settings.encoder if model else next(iter(others.values())).settings.encoder
        linker = (model or ax.load_model(None)) if constats else None
        profiles = profile_constats(constats, model=linker, embedder=embedder) if linker else []
        predictions = []
        tagged: dict[str, list[Any]] = {name: [] for name in others}
        links: list[list[Any]] = []
        _share_arenas()
        with (
            numpy_blas_on_one_thread(),  # its idle worker spun on the core the encoder's second thread takes
            EncoderAhead(texts, size, spec=encoder, embedder=embedder, ahead=settings.ahead) as ahead,
            numpy_products(get_nlp()),  # spaCy loads, if it must, once the encoder has started
        ):
            choice = resolve_own(  # the encoder needs no own cluster: it starts on the first batches meanwhile
                texts,
                [rows[i].get(cluster_col) for i in todo] if cluster_col else None,
                option=cluster,
                caption=getattr(table, "caption", ""),
                path=str(table.path or ""),
                evaluation=evaluation_cluster,
            )
            if choice.message:
                messages.append(choice.message)
            clusters = choice.per_row
            for start in range(0, len(texts), size):
                part = slice(start, start + size)
                feats = extract_features(texts[part], clusters[part])  # read once for every scheme
                vectors = ahead.next()
                for name, other in others.items():
                    tagged[name] += sc.predict_scheme(other, feats, vectors)
                if model is not None:
                    predictions += ax.predict(model, texts[part], clusters=clusters[part], vectors=vectors, feats=feats)
                if linker is not None:
                    found = link(texts[part], profiles, model=linker, embedder=embedder)
                    links += [[replace(one, activity=one.activity + start) for one in row] for row in found]
                del feats, vectors
                _give_back_freed_memory()
                if advance is not None:
                    advance(len(texts[part]))
        for name, found in tagged.items():
            by_scheme[name] = [None] * len(table.rows)
            for i, prediction in zip(todo, found):
                sc.fill_row(rows[i], chosen[name], prediction)
                by_scheme[name][i] = prediction
        if model is not None and len(names) > 1:
            for i, axes_tags, mission_tags in zip(todo, predictions, tagged[names[1]]):
                rows[i][sc.CROSSWALK_COLUMN] = sc.crosswalk_flags(axes_tags.axes, mission_tags.axes)
        for i, found in zip(todo, links):
            rows[i]["constats"] = ";".join(str(l.number) for l in found)
            row_links[i] = found
        for i, prediction in zip(todo, predictions):
            row = rows[i]
            row["predicted_axes"] = ax.format_axes(prediction.axes)
            row["uncertain"] = "oui" if prediction.uncertain else ""
            for axis, score in zip(ax.AXES, prediction.scores):
                row[f"score_{axis}"] = score
            row["evidence"] = prediction.evidence
            row_predictions[i] = prediction
    columns = list(table.columns) + [c for c in own_columns if c not in table.columns]
    if advance is not None and len(table.rows) > len(texts):
        advance(len(table.rows) - len(texts))  # rows with an error are done too
    versions = {name: (others[name] if name in others else model).version for name in names}
    if model is not None:
        by_scheme[sc.DEFAULT_SCHEME] = row_predictions
    return Classified(
        columns,
        rows,
        activities,
        versions[names[0]],
        messages,
        by_scheme[names[0]],
        row_links,
        getattr(table, "sheet", None),
        by_scheme,
        versions,
        chosen,
    )


def classify_file(
    path: str | Path,
    *,
    text_column: str | None = None,
    sheet: str | None = None,
    model_path: str | Path | None = None,
    constats_path: str | Path | None = None,
    progress: Callable[[int], Any] | None = None,
    cluster: str | None = None,
    scheme: str | Path | None = None,
) -> Classified:
    """Read a list and tag it; ``progress(total)`` is a context manager yielding ``advance``
    (the CLI passes its reporter's progress bar), entered once the row count is known."""

    sc.schemes_for(scheme)  # an unknown scheme fails before the file is read
    if scheme is not None and sc.BOTH != str(scheme):
        for s in sc.schemes_for(scheme):  # and a scheme without a model too
            if s.name != sc.DEFAULT_SCHEME:
                sc.load_scheme_model(s, model_path)
    table = read_table(path, sheet=sheet)
    constats = load_constats(constats_path) if constats_path else []
    linked = _evaluation_cluster(constats_path) if constats_path else None
    with progress(len(table.rows)) if progress else nullcontext(None) as advance:
        return classify_table(
            table,
            text_column=text_column,
            model_path=model_path,
            constats=constats,
            advance=advance,
            cluster=cluster,
            evaluation_cluster=linked,
            scheme=scheme,
        )


def _evaluation_cluster(path: str | Path) -> str | None:
    """The cluster of the evaluation a list is linked to (``--constats``), when its JSON says it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get("cluster") if isinstance(data, dict) else None
    if isinstance(found, dict):
        found = found.get("name")
    return found if isinstance(found, str) and found.strip() else None


def write_output(
    result: Classified, out: str | Path | None, *, english: bool = False, excel: bool = False
) -> str | None:
    """Write to ``out`` (.csv, .xlsx or .json); with None, return CSV text for stdout. Column names
    are French unless ``english``; ``excel`` makes the CSV ``;``-separated with decimal commas
    (:mod:`miner.tag.output`). A CSV file starts with a UTF-8 byte-order mark."""

    if out is None or str(out) == "-":
        return csv_text(result.columns, result.rows, english=english, excel=excel)
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_file(out, csv_text(result.columns, result.rows, english=english, excel=excel))
    elif suffix == ".json":
        payload = {"model_version": result.model_version, "rows": result.rows}
        write_text_atomic(out, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif suffix == ".xlsx":
        write_file(out, xlsx_bytes(result.columns, result.rows, sheet=result.sheet, english=english))
    else:
        raise UsageError(f"--out {out}: unsupported extension {suffix!r}; use .csv, .xlsx or .json")
    return None


def gold_rows(
    path: str | Path, text_column: str | None = None
) -> tuple[list[str], list[list[int]], list[str | None], list[str]]:
    """A labelled file's (texts, axes, clusters, ids), blank descriptions skipped, spaces collapsed."""

    table = read_table(path)
    text_col = find_column(table.columns, "description", text_column, path=str(path))
    axes_col = find_column(table.columns, "description", "axes", path=str(path))
    cluster_col = find_column(table.columns, "cluster")
    id_col = find_column(table.columns, "id")
    texts, labels, clusters, ids = [], [], [], []
    for i, (text, value) in enumerate(zip(table.column(text_col), table.column(axes_col))):
        if not text.strip():
            continue
        texts.append(" ".join(text.split()))
        labels.append(parse_axes(value))
        clusters.append(table.column(cluster_col)[i] if cluster_col else None)
        ids.append(table.column(id_col)[i] if id_col else f"row{i + 1}")
    if not texts:
        raise InputError(path, "no labelled rows")
    return texts, labels, clusters, ids


def evaluate_file(
    path: str | Path, *, model_path: str | Path | None = None, text_column: str | None = None
) -> dict[str, Any]:
    """Per-axis precision/recall/F1/support and micro/macro F1 of a model on a gold file, plus
    the confusions (gold axis → predicted axis on missed and extra labels) and the errors."""

    table = read_table(path)
    predicted_col = next((c for c in ("predicted_axes", "axes_predits") if c in table.columns), None)
    texts, labels, clusters, ids = gold_rows(path, text_column)
    if predicted_col and model_path is None:
        # a classify output: compare its human ``axes`` with its ``axes_predits``, no model needed
        predicted_cells = [
            c
            for t, c in zip(
                table.column(find_column(table.columns, "description", text_column, path=str(path))),
                table.column(predicted_col),
            )
            if t.strip()
        ]
        predicted = [parse_axes(c) for c in predicted_cells]
        version = "in the file"
    else:
        model = ax.load_model(str(model_path) if model_path else None)
        predicted = [p.axes for p in ax.predict(model, texts, clusters=clusters)]
        version = model.version
    metrics = ax.evaluate_sets(labels, predicted)
    metrics["model_version"] = version
    metrics["errors"] = [
        {"id": i, "gold": ax.format_axes(g), "predicted": ax.format_axes(p)}
        for i, g, p in zip(ids, labels, predicted)
        if sorted(g) != sorted(p)
    ]
    return metrics


def format_metrics(metrics: dict[str, Any]) -> str:
    """The per-axis table and the averages, as ``miner classify --evaluate`` prints them."""
    lines = [
        f"model {metrics.get('model_version', '?')} on {metrics['n']} activities",
        "axis  precision  recall  f1     support",
    ]
    for axis, m in metrics["per_axis"].items():
        lines.append(f"{axis:>4}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:.3f}  {m['support']:7d}")
    lines.append(f"micro-F1 {metrics['micro_f1']:.3f}   macro-F1 {metrics['macro_f1']:.3f}")
    return "\n".join(lines)


def train_file(
    path: str | Path | Sequence[str | Path],
    *,
    out_dir: str | Path,
    base_model: str | Path | None = None,
    replace: bool = False,
    text_column: str | None = None,
    progress: Callable[[int], Any] | None = None,
) -> Path:
    """Retrain on labelled files (e.g. an evaluator's corrected ``classify`` output; the shipped
    model reads the written and the real corpus). Unless ``replace``, the base model's training
    examples are kept and corrected texts override them. ``progress``: as :func:`miner.tag.training.fit`'s."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    texts, labels, clusters, ids = [], [], [], []
    for one in paths:
        for kept, more in zip((texts, labels, clusters, ids), gold_rows(one, text_column)):
            kept.extend(more)
    if not replace:
        try:
            base = ax.load_model(str(base_model) if base_model else None)
        except MinerError:
            base = None
        if base is not None:
            given = set(texts)
            for example in base.examples:
                if example["description"] not in given:
                    texts.append(example["description"])
                    labels.append(ax.parse_axes(example["axes"]))
                    clusters.append(example.get("cluster") or None)
                    ids.append(example["id"])
    model = ax.fit(texts, labels, ids=ids, clusters=clusters, source=";".join(str(p) for p in paths), progress=progress)
    return model.save(out_dir)


def retrain(
    scheme: str | Path | None,
    paths: Sequence[str | Path],
    *,
    out_dir: str | Path | None = None,
    base_model: str | Path | None = None,
    replace: bool = False,
    text_column: str | None = None,
    advance: Callable[[str], None] | None = None,
) -> Path:
    """Retrain the model of any scheme from labelled files into ``out_dir`` (default: the user
    model folder): the axes through :func:`train_file` (an ``axes`` column), any other scheme
    through :func:`miner.tag.scheme_training.retrain_scheme` (a column named after it). What
    ``miner retrain`` and the review page call."""
    from miner.tag.scheme_training import retrain_scheme
    from miner.userdata import user_model_dir

    chosen = sc.scheme_of(scheme or sc.DEFAULT_SCHEME)
    folder = Path(out_dir) if out_dir is not None else user_model_dir()
    if chosen.name == sc.DEFAULT_SCHEME:
        if advance is not None:
            advance("apprentissage du modèle des axes")
        return train_file(list(paths), out_dir=folder, base_model=base_model, replace=replace, text_column=text_column)
    return retrain_scheme(
        chosen,
        list(paths),
        out_dir=folder,
        base_model=base_model,
        replace=replace,
        text_column=text_column,
        advance=advance,
    )
