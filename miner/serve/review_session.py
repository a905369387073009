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
from miner.tag.classify import Classified, classify_table, train_file, write_output
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


@dataclass
class ReviewSession:
    """The state behind the review page; every change is saved before the call returns."""

    folder: Path
    model_dir: Path
    base_model: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    retrain: Retrain = field(default_factory=Retrain)
    progress: Progress = field(default_factory=Progress, repr=False)
    """What the page's event stream tells: the tagging or retraining under way."""
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    images: PageImages = field(default_factory=lambda: PageImages(EvidenceSettings()), repr=False)
    """The uploaded PDF's pages as images, rendered on demand and cached (the evidence viewer's)."""

    @classmethod
    def open(cls, folder: str | Path, *, model_dir: str | Path | None = None,
             base_model: str | Path | None = None) -> ReviewSession:
        """The session in ``folder`` (``session.json``), or an empty one; an unreadable file is an error."""
        folder = Path(folder)
        session = cls(folder, Path(model_dir) if model_dir else folder / "models",
                      Path(base_model) if base_model else None)
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
        return {str(k): ax.parse_axes(";".join(map(str, v))) for k, v in saved.get("corrections", {}).items()}

    def save(self) -> None:
        """Write the tagged list (on upload, model change, training) and the corrections."""
        with self.lock:
            whole = {k: v for k, v in self.data.items() if k != "corrections"}
            write_text_atomic(self.path, json.dumps(whole, ensure_ascii=False, indent=1) + "\n")
            self.save_corrections()

    def save_corrections(self) -> None:
        """Write only the corrections: a click rewrites a small file, not the whole tagged list."""
        with self.lock:
            payload = {"format": SESSION_FORMAT, "list": self.data.get("list"),
                       "corrections": self.data.get("corrections", {})}
            write_text_atomic(self.corrections_path, json.dumps(payload, ensure_ascii=False) + "\n")

    # models ---------------------------------------------------------------------------------------

    def models(self) -> list[ModelChoice]:
        """The shipped (or given) base model first, then the evaluator's, newest first."""
        base = self.base_model or ax.default_model_path()
        choices = [ModelChoice(SHIPPED, base, f"{base.stem.removeprefix('axes-')} (livré)")]
        mine = sorted(self.model_dir.glob("axes-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True) \
            if self.model_dir.is_dir() else []
        choices += [ModelChoice(p.name, p, f"{p.stem.removeprefix('axes-')} (vos corrections)") for p in mine]
        return choices

    def model(self) -> ModelChoice:
        """The model in use (the base model until the evaluator picks another)."""
        chosen = self.data.get("model", SHIPPED)
        for choice in self.models():
            if choice.name == chosen:
                return choice
        return self.models()[0]

    def choose_model(self, name: str) -> None:
        """Use one of :meth:`models` by name (never a path from the page) and retag the rows."""
        choices = {c.name: c for c in self.models()}
        if name not in choices:
            raise UsageError(f"unknown model {name!r}; known: {', '.join(choices)}")
        with self.lock:
            if self.data.get("rows"):
                self.data.update(self._tagged(self._table(self.data), choices[name]))
            self.data["model"] = name
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
            data = {"format": SESSION_FORMAT, "list": uuid.uuid4().hex, "file": shown, "model": self.model().name,
                    "uploaded": _now(), "pdf": SOURCE_PDF if suffix == ".pdf" else None,
                    "table": {"columns": table.columns, "rows": table.rows, "sheet": table.sheet,
                              "warnings": table.warnings, "pages": table.pages, "boxes": table.boxes},
                    "corrections": {}, "trained": self.data.get("trained", [])}
            data.update(self._tagged(self._table(data), self.model()))
            self.data = data
            self.save()
        return len(self.data["rows"])

    @staticmethod
    def _table(data: dict[str, Any]) -> ActivityTable:
        table = data["table"]
        return ActivityTable(data["file"], table["columns"], table["rows"], table.get("pages") or [],
                             table.get("boxes") or [], sheet=table.get("sheet"), warnings=table.get("warnings", []))

    def _tagged(self, table: ActivityTable, model: ModelChoice) -> dict[str, Any]:
        """:meth:`_tag` with its progress told to the page."""
        self.progress.start("tagging", len(table.rows), note=model.name)
        try:
            tagged = self._tag(table, model, advance=self.progress.advance)
        except BaseException as exc:
            self.progress.finish("failed", str(exc))
            raise
        self.progress.finish("done", f"{len(tagged['rows'])} lignes, modèle {model.name}")
        return tagged

    @staticmethod
    def _tag(table: ActivityTable, model: ModelChoice, advance: Any = None) -> dict[str, Any]:
        """Tag the table with ``model``: the rows as the page shows them (the caller stores them)."""
        result = classify_table(table, model_path=model.path, advance=advance)
        text_col = find_column(table.columns, "description", path=table.path)
        cluster_col = find_column(table.columns, "cluster")
        rows = []
        for i, (row, prediction) in enumerate(zip(result.rows, result.predictions)):
            rows.append({
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
                "output": row,
            })
        return {"rows": rows, "columns": result.columns, "model_version": result.model_version,
                "messages": result.messages, "model": model.name}

    def rows(self) -> list[dict[str, Any]]:
        """Each row as the page shows it: ``final`` axes (corrected or the model's), ``corrected``."""
        corrections = self.data.get("corrections", {})
        out = []
        for i, row in enumerate(self.data.get("rows", [])):
            fixed = corrections.get(str(i))
            out.append({**row, "index": i, "final": fixed if fixed is not None else row["axes"],
                        "corrected": fixed is not None and sorted(fixed) != sorted(row["axes"]),
                        "reviewed": fixed is not None})
        return out

    def ordered_rows(self) -> list[dict[str, Any]]:
        """The rows as the page lists them: uncertain ones first (a score near its threshold on
        an axis no rule settles), then in list order; each keeps its ``index``."""
        return sorted(self.rows(), key=lambda r: (not r.get("uncertain"), r["index"]))

    def toggle(self, index: int, axis: int) -> list[int]:
        """One click: add or remove ``axis`` on row ``index``; returns the row's axes now."""
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

    def corrected_rows(self) -> list[dict[str, Any]]:
        """The rows the evaluator touched with the axes they left (those retraining learns from)."""
        return [r for r in self.rows() if r["reviewed"] and r["final"]]

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
        rows = []
        for row in self.rows():
            cells = dict(row["output"])
            if not row["error"]:
                cells["axes"] = ax.format_axes(row["final"])
            cells["model_axes"] = ax.format_axes(row["axes"])
            rows.append(cells)
        columns = list(self.data.get("columns", []))
        columns += [c for c in ("axes", "model_axes") if c not in columns]  # the human axes beside miner's
        result = Classified(columns, rows, [], self.data.get("model_version", ""), [])
        write_output(result, out)

    def export_bytes(self, suffix: str = ".xlsx") -> bytes:
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".export-") as tmp:
            path = Path(tmp) / f"review{suffix}"
            self.export(path)
            return path.read_bytes()

    def training_csv(self) -> Path:
        """The corrected rows as a labelled file (id, description, axes, cluster) for ``--train``."""
        rows = self.corrected_rows()
        if not rows:
            raise UsageError("no corrections yet: click an axis to correct a row, then retrain")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "description", "axes", "cluster"])
        stem = Path(self.data.get("file", "list")).stem
        for row in rows:
            writer.writerow([f"{stem}-{row['index'] + 1}", row["text"], ax.format_axes(row["final"]), row["cluster"]])
        path = self.folder / "corrections" / f"corrections-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}.csv"
        write_text_atomic(path, buffer.getvalue())
        return path

    def train(self) -> Path:
        """Retrain on the corrections (``miner classify --train`` underneath: the model in use keeps
        its examples, corrected texts override them); the new versioned model goes to ``model_dir``."""
        trained = self.data.get("trained") or []
        last = trained[-1].get("seconds") if trained else None
        # three steps: the corrections written, the model fitted (the long one), the model saved; the
        # last retraining's duration, when known, gives the time left
        self.progress.start("retraining", 3, note="lecture des corrections", expected_seconds=last)
        started = time.monotonic()
        with self.lock:
            source = self.training_csv()
            base = self.model().path
            count = len(self.corrected_rows())
        self.progress.advance(1, note=f"apprentissage sur {count} correction(s) et les exemples du modèle")
        path = train_file(source, out_dir=self.model_dir, base_model=base)
        self.progress.advance(1, note="enregistrement du modèle")
        with self.lock:
            self.data.setdefault("trained", []).append({"model": path.name, "path": str(path), "base": base.name,
                                                         "corrections": count, "created": _now(),
                                                         "seconds": round(time.monotonic() - started, 1)})
            self.save()
        self.progress.finish("done", f"nouveau modèle {path.name}")
        return path

    def start_training(self) -> bool:
        """Retrain in a background thread (one at a time); False if one is already running."""
        with self.lock:
            if self.retrain.state == "running":
                return False
            if not self.corrected_rows():
                raise UsageError("no corrections yet: click an axis to correct a row, then retrain")
            self.retrain = Retrain("running", "réentraînement sur vos corrections…")
        threading.Thread(target=self._train_job, name="miner-review-train", daemon=True).start()
        return True

    def _train_job(self) -> None:
        try:
            path = self.train()
        except MinerError as exc:
            self.retrain = Retrain("failed", str(exc))
            self.progress.finish("failed", str(exc))
        except Exception as exc:  # a crash in training must reach the page, not kill the thread silently
            self.retrain = Retrain("failed", f"le réentraînement a échoué : {type(exc).__name__}: {exc}")
            self.progress.finish("failed", f"{type(exc).__name__}: {exc}")
        else:
            self.retrain = Retrain("done", f"nouveau modèle enregistré : {path}", path.name)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
