"""The evaluator's review session: a tagged list, their corrections, their models, kept on disk.

``session.json`` holds what the review page shows (each row's cells, the model's axes, scores and
evidence) and the models the evaluator trained; ``corrections.json`` what they clicked (one set of
axes per corrected row, tied to the list by an id). Each file is written whole and renamed after
every change (a click rewrites only the small one), so a restart or a crash loses nothing. Uploads go
through :func:`miner.read.activities.read_table` (its worker, caps and one-line errors), tagging
through :func:`miner.tag.classify.classify_table`, the XLSX through
:func:`miner.tag.classify.write_output`, retraining through :func:`miner.tag.classify.train_file`:
what improves there improves here.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from miner.atomic import write_bytes_atomic, write_text_atomic
from miner.errors import InputError, MinerError, UsageError
from miner.read.activities import ActivityTable, find_column, read_table
from miner.serve.evidence import EvidenceSettings, PageImages
from miner.serve.progress import Progress
from miner.tag import axes as ax
from miner.tag import schemes as sc
from miner.tag.classify import Classified, classify_table, retrain, write_output
from miner.userdata import user_data_dir

__all__ = [
    "SESSION_FORMAT",
    "UPLOAD_SUFFIXES",
    "ModelChoice",
    "ReviewSession",
    "user_data_dir",
]

SESSION_FORMAT = "miner.review.v1"
UPLOAD_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".pdf"})
SOURCE_PDF = "list.pdf"
"""The uploaded PDF list, kept in the session folder while it is reviewed: its pages show where each row stands."""
"""What the list reader reads; anything else is refused before a byte is written to disk."""
SHIPPED = "shipped"
"""Name of the shipped model in the page's model list."""
AXES = sc.DEFAULT_SCHEME
PAGE_SCHEMES = (AXES, "missions-2024", sc.BOTH)
"""What the page tags under: the 2007 axes, the 2024 missions, or both side by side."""


@dataclass(frozen=True)
class ModelChoice:
    """A model the page offers: a short name (what the page sends back) and its file."""

    name: str
    path: Path
    label: str


@dataclass
class Retrain:
    state: str = "idle"  # idle, running, done, failed
    message: str = ""
    model: str = ""
    scheme: str = AXES


@dataclass
class ReviewSession:
    """The state behind the review page; every change is saved before the call returns."""

    folder: Path
    model_dir: Path
    base_model: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    base_models: dict[str, Path] = field(default_factory=dict)
    """Base model of a scheme other than the axes (default: its shipped one)."""
    retrain: Retrain = field(default_factory=Retrain)
    progress: Progress = field(default_factory=Progress, repr=False)
    """What the page's event stream tells: the tagging or retraining under way."""
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    images: PageImages = field(default_factory=lambda: PageImages(EvidenceSettings()), repr=False)
    """The uploaded PDF's pages as images, rendered on demand and cached (the evidence viewer's)."""

    @classmethod
    def open(
        cls,
        folder: str | Path,
        *,
        model_dir: str | Path | None = None,
        base_model: str | Path | None = None,
        base_models: dict[str, Path] | None = None,
    ) -> ReviewSession:
        """The session in ``folder`` (``session.json``), or an empty one; an unreadable file is an error."""
        folder = Path(folder)
        session = cls(
            folder,
            Path(model_dir) if model_dir else folder / "models",
            Path(base_model) if base_model else None,
            base_models=dict(base_models or {}),
        )
        path = session.path
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(path, f"not a review session ({exc}); move it away to start afresh") from None
            if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
                raise InputError(path, f"not a review session (format {SESSION_FORMAT} expected)")
            session.data = data
            data["corrections"] = session._read_corrections()
        return session

    @property
    def path(self) -> Path:
        return self.folder / "session.json"

    @property
    def corrections_path(self) -> Path:
        return self.folder / "corrections.json"

    def _read_corrections(self) -> dict[str, list[int]]:
        """The corrections of the list in ``session.json`` (those of an older list are ignored)."""
        path = self.corrections_path
        if not path.is_file():
            return {}
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(path, f"not a review session ({exc}); move it away to start afresh") from None
        if not isinstance(saved, dict) or saved.get("list") != self.data.get("list"):
            return {}
        self.data["scheme_corrections"] = {
            str(name): {str(k): sorted({int(x) for x in v}) for k, v in rows.items()}
            for name, rows in (saved.get("by_scheme") or {}).items()
        }
        return {str(k): ax.parse_axes(";".join(map(str, v))) for k, v in saved.get("corrections", {}).items()}

    def save(self) -> None:
        """Write the tagged list (on upload, model change, training) and the corrections."""
        with self.lock:
            whole = {k: v for k, v in self.data.items() if k not in ("corrections", "scheme_corrections")}
            write_text_atomic(self.path, json.dumps(whole, ensure_ascii=False, indent=1) + "\n")
            self.save_corrections()

    def save_corrections(self) -> None:
        """Write only the corrections: a click rewrites a small file, not the whole tagged list."""
        with self.lock:
            payload = {
                "format": SESSION_FORMAT,
                "list": self.data.get("list"),
                "corrections": self.data.get("corrections", {}),
                "by_scheme": self.data.get("scheme_corrections", {}),
            }
            write_text_atomic(self.corrections_path, json.dumps(payload, ensure_ascii=False) + "\n")

    # models ---------------------------------------------------------------------------------------

    def schemes(self) -> list[str]:
        """The schemes the rows are tagged under (the page's choice; the axes until another is chosen)."""
        return sc.scheme_names(self.data.get("scheme") or AXES)

    def others(self) -> list[str]:
        """The schemes besides the axes (each with its own columns, model and corrections)."""
        return [name for name in self.schemes() if name != AXES]

    def models(self, scheme: str | None = None) -> list[ModelChoice]:
        """A scheme's models (the axes by default): the shipped (or given) base model first, then the
        evaluator's, newest first."""
        name = scheme or AXES
        base = (
            (self.base_model or ax.default_model_path())
            if name == AXES
            else (self.base_models.get(name) or sc.default_scheme_model_path(name))
        )
        prefix = "axes-" if name == AXES else f"{name}-"
        choices = [ModelChoice(SHIPPED, base, f"{base.stem.removeprefix(prefix)} (livré)")]
        mine = (
            sorted(self.model_dir.glob(f"{prefix}*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
            if self.model_dir.is_dir()
            else []
        )
        choices += [ModelChoice(p.name, p, f"{p.stem.removeprefix(prefix)} (vos corrections)") for p in mine]
        return choices

    def model(self, scheme: str | None = None) -> ModelChoice:
        """The model in use for a scheme (its base model until the evaluator picks another)."""
        name = scheme or AXES
        chosen = (
            self.data.get("model", SHIPPED) if name == AXES else self.data.get("scheme_models", {}).get(name, SHIPPED)
        )
        choices = self.models(name)
        return next((c for c in choices if c.name == chosen), choices[0])

    def _choices(self, scheme: str | None = None, name: str | None = None) -> dict[str, ModelChoice]:
        """The model of each scheme tagged, with ``name`` for ``scheme`` (checked against its list)."""
        out = {s: self.model(s) for s in self.schemes()}
        if name is not None:
            known = {c.name: c for c in self.models(scheme)}
            if name not in known:
                raise UsageError(f"unknown model {name!r}; known: {', '.join(known)}")
            out[scheme or AXES] = known[name]
        return out

    def choose_model(self, name: str, scheme: str | None = None) -> None:
        """Use one of :meth:`models` by name (never a path from the page) and retag the rows."""
        target = scheme or AXES
        if target not in self.schemes():
            raise UsageError(f"scheme {target} is not shown; choose it first ({', '.join(self.schemes())} are)")
        choices = self._choices(target, name)
        with self.lock:
            if self.data.get("rows"):
                self.data.update(self._tagged(self._table(self.data), choices))
            if target == AXES:
                self.data["model"] = name
            else:
                self.data.setdefault("scheme_models", {})[target] = name
            self.save()

    def choose_scheme(self, option: str) -> None:
        """Tag under the axes, the missions or both (:data:`PAGE_SCHEMES`); corrections of each
        scheme are kept with the list, whichever is shown."""
        if option not in PAGE_SCHEMES:
            raise UsageError(f"unknown scheme {option!r}; the page knows {', '.join(PAGE_SCHEMES)}")
        with self.lock:
            before = self.data.get("scheme")
            self.data["scheme"] = option
            try:
                if self.data.get("rows"):
                    self.data.update(self._tagged(self._table(self.data), self._choices()))
            except BaseException:
                self.data["scheme"] = before
                raise
            self.save()

    # rows -----------------------------------------------------------------------------------------

    def upload(self, name: str, body: bytes, sheet: str | None = None) -> int:
        """Read an uploaded list (the reader's worker and caps), tag it, start a new review of it.

        Returns the number of rows. The previous list's corrections are dropped with it. Errors name
        the file as the evaluator knows it, never the temporary copy.
        """
        shown = Path(name).name or "upload"
        suffix = Path(shown).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise InputError(shown, f"unsupported file type {suffix or '(none)'!r}; use .csv, .xlsx or .pdf")
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".upload-") as tmp:
            path = Path(tmp) / f"list{suffix}"
            path.write_bytes(body)
            try:
                table = read_table(path, sheet=sheet or None)
            except InputError as exc:
                raise InputError(shown, exc.reason) from None
            except UsageError as exc:  # a workbook of several sheets: the page's sheet field says which
                raise UsageError(str(exc).replace(str(path), shown)) from None
        with self.lock:
            kept = self.folder / SOURCE_PDF
            if suffix == ".pdf":
                write_bytes_atomic(kept, body)
            else:
                kept.unlink(missing_ok=True)  # another list's pages are not this one's
            data = {
                "format": SESSION_FORMAT,
                "list": uuid.uuid4().hex,
                "file": shown,
                "model": self.model().name,
                "uploaded": _now(),
                "pdf": SOURCE_PDF if suffix == ".pdf" else None,
                "table": {
                    "columns": table.columns,
                    "rows": table.rows,
                    "sheet": table.sheet,
                    "warnings": table.warnings,
                    "pages": table.pages,
                    "boxes": table.boxes,
                },
                "corrections": {},
                "scheme_corrections": {},
                "trained": self.data.get("trained", []),
                "scheme": self.data.get("scheme") or AXES,
                "scheme_models": self.data.get("scheme_models", {}),
            }
            data.update(self._tagged(self._table(data), self._choices()))
            self.data = data
            self.save()
        return len(self.data["rows"])

    @staticmethod
    def _table(data: dict[str, Any]) -> ActivityTable:
        table = data["table"]
        return ActivityTable(
            data["file"],
            table["columns"],
            table["rows"],
            table.get("pages") or [],
            table.get("boxes") or [],
            sheet=table.get("sheet"),
            warnings=table.get("warnings", []),
        )

    def _tagged(self, table: ActivityTable, models: dict[str, ModelChoice]) -> dict[str, Any]:
        """:meth:`_tag` with its progress told to the page."""
        names = ", ".join(c.name for c in models.values())
        self.progress.start("tagging", len(table.rows), note=names)
        try:
            tagged = self._tag(table, models, self.data.get("scheme") or AXES, advance=self.progress.advance)
        except BaseException as exc:
            self.progress.finish("failed", str(exc))
            raise
        self.progress.finish("done", f"{len(tagged['rows'])} lignes, modèle {names}")
        return tagged

    @staticmethod
    def _tag(
        table: ActivityTable, models: dict[str, ModelChoice], option: str = AXES, advance: Any = None
    ) -> dict[str, Any]:
        """Tag the table under ``option`` with ``models`` (per scheme): the rows as the page shows
        them (the caller stores them); the axes in ``axes``/``scores``…, other schemes in ``tags``."""
        axes_model = models.get(AXES)
        result = classify_table(
            table,
            model_path=axes_model.path if axes_model else None,
            advance=advance,
            scheme=option,
            scheme_models={n: c.path for n, c in models.items() if n != AXES},
        )
        by_axes = result.by_scheme.get(AXES) or [None] * len(result.rows)
        others = {n: p for n, p in result.by_scheme.items() if n != AXES}
        text_col = find_column(table.columns, "description", path=table.path)
        cluster_col = find_column(table.columns, "cluster")
        rows = []
        for i, (row, prediction) in enumerate(zip(result.rows, by_axes)):
            rows.append(
                {
                    "page": table.pages[i] if i < len(table.pages) else None,
                    "box": list(table.boxes[i]) if i < len(table.boxes) and table.boxes[i] else None,
                    "text": str(row.get(text_col, "")),
                    "cluster": str(row.get(cluster_col, "")) if cluster_col else "",
                    "axes": list(prediction.axes) if prediction else [],
                    "scores": list(prediction.scores) if prediction else [],
                    "evidence": prediction.evidence if prediction else "",
                    "uncertain": bool(prediction and prediction.uncertain),
                    "error": row.get("error", ""),
                    "warning": row.get("warning", ""),
                    "tags": {
                        n: {
                            "chosen": list(p[i].axes),
                            "scores": list(p[i].scores),
                            "evidence": p[i].evidence,
                            "uncertain": p[i].uncertain,
                        }
                        for n, p in others.items()
                        if p[i] is not None
                    },
                    "output": row,
                }
            )
        return {
            "rows": rows,
            "columns": result.columns,
            "model_version": result.model_version,
            "messages": result.messages,
            "model": models[AXES].name if AXES in models else SHIPPED,
            "versions": result.versions,
        }

    def rows(self) -> list[dict[str, Any]]:
        """Each row as the page shows it: ``final`` axes (corrected or the model's), ``corrected``."""
        corrections = self.data.get("corrections", {})
        by_scheme = self.data.get("scheme_corrections", {})
        out = []
        for i, row in enumerate(self.data.get("rows", [])):
            fixed = corrections.get(str(i))
            others = {}
            for name, tags in row.get("tags", {}).items():
                mine = by_scheme.get(name, {}).get(str(i))
                others[name] = {
                    **tags,
                    "final": mine if mine is not None else tags["chosen"],
                    "corrected": mine is not None and sorted(mine) != sorted(tags["chosen"]),
                    "reviewed": mine is not None,
                }
            corrected = fixed is not None and sorted(fixed) != sorted(row["axes"])
            out.append(
                {
                    **row,
                    "index": i,
                    "final": fixed if fixed is not None else row["axes"],
                    "corrected": corrected or any(o["corrected"] for o in others.values()),
                    "reviewed": fixed is not None,
                    "others": others,
                }
            )
        return out

    def ordered_rows(self) -> list[dict[str, Any]]:
        """The rows as the page lists them: uncertain ones first (a score near its threshold on
        an axis no rule settles), then in list order; each keeps its ``index``."""
        return sorted(self.rows(), key=lambda r: (not r.get("uncertain"), r["index"]))

    def toggle(self, index: int, axis: int, scheme: str | None = None) -> list[int]:
        """One click: add or remove ``axis`` (a concept's position in ``scheme``, the axes by default)
        on row ``index``; returns the row's concepts of that scheme now."""
        if scheme not in (None, AXES):
            return self._toggle_concept(index, axis, scheme)
        if axis not in ax.AXES:
            raise UsageError(f"axis {axis} is not an axis; axes are 1 to 6")
        with self.lock:
            rows = self.data.get("rows", [])
            if not 0 <= index < len(rows) or rows[index]["error"]:
                raise UsageError(f"row {index + 1} cannot be corrected (no such tagged row)")
            corrections = self.data.setdefault("corrections", {})
            current = set(corrections.get(str(index), rows[index]["axes"]))
            current ^= {axis}
            corrections[str(index)] = sorted(current)
            self.save_corrections()
            return corrections[str(index)]

    def _toggle_concept(self, index: int, position: int, scheme: str) -> list[int]:
        if scheme not in self.others():
            raise UsageError(f"scheme {scheme} is not shown; the page shows {', '.join(self.schemes())}")
        count = len(sc.scheme_of(scheme).concepts)
        if not 1 <= position <= count:
            raise UsageError(f"{scheme} has concepts 1 to {count}, not {position}")
        with self.lock:
            rows = self.data.get("rows", [])
            if not 0 <= index < len(rows) or rows[index]["error"] or scheme not in rows[index].get("tags", {}):
                raise UsageError(f"row {index + 1} cannot be corrected (no such tagged row)")
            corrections = self.data.setdefault("scheme_corrections", {}).setdefault(scheme, {})
            current = set(corrections.get(str(index), rows[index]["tags"][scheme]["chosen"])) ^ {position}
            corrections[str(index)] = sorted(current)
            self.save_corrections()
            return corrections[str(index)]

    def corrected_rows(self, scheme: str | None = None) -> list[dict[str, Any]]:
        """The rows the evaluator touched under ``scheme`` (the axes by default) with the concepts
        they left (those retraining learns from); each with ``final`` of that scheme."""
        if scheme in (None, AXES):
            return [r for r in self.rows() if r["reviewed"] and r["final"]]
        return [
            {**r, "final": r["others"][scheme]["final"]}
            for r in self.rows()
            if scheme in r["others"] and r["others"][scheme]["reviewed"] and r["others"][scheme]["final"]
        ]

    def page_image(self, index: int) -> bytes:
        """The PNG of the uploaded PDF's page that row ``index`` was read from, its box drawn
        (the evidence viewer's rendering, :class:`miner.serve.evidence.PageImages`)."""
        rows = self.data.get("rows", [])
        if not 0 <= index < len(rows):
            raise InputError(self.data.get("file", "list"), f"no row {index + 1}")
        row, kept = rows[index], self.folder / SOURCE_PDF
        if not self.data.get("pdf") or not row.get("page") or not kept.is_file():
            raise InputError(self.data.get("file", "list"), f"row {index + 1} was not read from a PDF page")
        box = tuple(float(v) for v in row["box"]) if row.get("box") else None
        png, _ = self.images.render(kept, int(row["page"]), box)
        return png

    # outputs --------------------------------------------------------------------------------------

    def export(self, out: str | Path) -> None:
        """The list with the evaluator's axes in ``axes`` and the model's in ``model_axes``, through
        the classify writer (.xlsx, .csv or .json)."""
        rows, human = [], []
        if AXES in self.schemes():
            human.append(("axes", "model_axes"))
        human += [(sc.column_stem(n), f"model_{sc.column_stem(n)}") for n in self.others()]
        for row in self.rows():
            cells = dict(row["output"])
            if AXES in self.schemes():
                if not row["error"]:
                    cells["axes"] = ax.format_axes(row["final"])
                cells["model_axes"] = ax.format_axes(row["axes"])
            for name in self.others():
                tags = row["others"].get(name)
                notations = [c.notation for c in sc.scheme_of(name).concepts]
                if tags is not None:
                    cells[sc.column_stem(name)] = ";".join(notations[p - 1] for p in tags["final"])
                    cells[f"model_{sc.column_stem(name)}"] = ";".join(notations[p - 1] for p in tags["chosen"])
            rows.append(cells)
        columns = list(self.data.get("columns", []))
        columns += [c for pair in human for c in pair if c not in columns]  # the human tags beside miner's
        result = Classified(columns, rows, [], self.data.get("model_version", ""), [])
        write_output(result, out)

    def export_bytes(self, suffix: str = ".xlsx") -> bytes:
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".export-") as tmp:
            path = Path(tmp) / f"review{suffix}"
            self.export(path)
            return path.read_bytes()

    def training_csv(self, scheme: str | None = None) -> Path:
        """The corrected rows of a scheme as a labelled file (id, description, the scheme's column,
        cluster) for :func:`miner.tag.classify.retrain`."""
        rows = self.corrected_rows(scheme)
        if not rows:
            raise UsageError("no corrections yet: click an axis to correct a row, then retrain")
        name = scheme or AXES
        notations = [c.notation for c in sc.scheme_of(name).concepts]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "description", "axes" if name == AXES else sc.column_stem(name), "cluster"])
        stem = Path(self.data.get("file", "list")).stem
        for row in rows:
            cell = ax.format_axes(row["final"]) if name == AXES else ";".join(notations[p - 1] for p in row["final"])
            writer.writerow([f"{stem}-{row['index'] + 1}", row["text"], cell, row["cluster"]])
        path = self.folder / "corrections" / f"corrections-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}.csv"
        write_text_atomic(path, buffer.getvalue())
        return path

    def train(self, scheme: str | None = None) -> Path:
        """Retrain a scheme's model on its corrections (:func:`miner.tag.classify.retrain`, what
        ``miner retrain`` calls: the model in use keeps its examples, corrected texts override them);
        the new versioned model goes to ``model_dir``."""
        trained = self.data.get("trained") or []
        last = trained[-1].get("seconds") if trained else None
        # three steps: the corrections written, the model fitted (the long one), the model saved; the
        # last retraining's duration, when known, gives the time left
        self.progress.start("retraining", 3, note="lecture des corrections", expected_seconds=last)
        started = time.monotonic()
        with self.lock:
            source = self.training_csv(scheme)
            base = self.model(scheme).path
            count = len(self.corrected_rows(scheme))
        self.progress.advance(1, note=f"apprentissage sur {count} correction(s) et les exemples du modèle")
        path = retrain(scheme or AXES, [source], out_dir=self.model_dir, base_model=base)
        self.progress.advance(1, note="enregistrement du modèle")
        with self.lock:
            self.data.setdefault("trained", []).append(
                {
                    "model": path.name,
                    "path": str(path),
                    "base": base.name,
                    "scheme": scheme or AXES,
                    "corrections": count,
                    "created": _now(),
                    "seconds": round(time.monotonic() - started, 1),
                }
            )
            self.save()
        self.progress.finish("done", f"nouveau modèle {path.name}")
        return path

    def start_training(self, scheme: str | None = None) -> bool:
        """Retrain a scheme's model in a background thread (one at a time); False if one is already running."""
        name = scheme or AXES
        with self.lock:
            if self.retrain.state == "running":
                return False
            if name not in self.schemes():
                raise UsageError(f"scheme {name} is not shown; the page shows {', '.join(self.schemes())}")
            if not self.corrected_rows(name):
                raise UsageError("no corrections yet: click an axis to correct a row, then retrain")
            self.retrain = Retrain("running", "réentraînement sur vos corrections…", scheme=name)
        threading.Thread(target=self._train_job, args=(name,), name="miner-review-train", daemon=True).start()
        return True

    def _train_job(self, scheme: str = AXES) -> None:
        try:
            path = self.train(scheme)
        except MinerError as exc:
            self.retrain = Retrain("failed", str(exc), scheme=scheme)
            self.progress.finish("failed", str(exc))
        except Exception as exc:  # a crash in training must reach the page, not kill the thread silently
            self.retrain = Retrain("failed", f"le réentraînement a échoué : {type(exc).__name__}: {exc}", scheme=scheme)
            self.progress.finish("failed", f"{type(exc).__name__}: {exc}")
        else:
            self.retrain = Retrain("done", f"nouveau modèle enregistré : {path}", path.name, scheme)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
