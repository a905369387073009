"""How a run reports itself: Rich progress bars for people, JSON lines for scripts, or silence.

Steps call ``reporter.track(label, total)`` and ``advance()`` per document, ``reporter.detail``
for the parts of one document (its OCR'd pages: a second bar under the first), ``reporter.info`` for
lines a person reads and ``reporter.error`` for failures; the reporter decides what reaches the
terminal. Errors always reach stderr, whatever the mode.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

__all__ = ["Reporter"]


class Reporter:
    """``mode`` is "human" (progress bars on a terminal), "quiet" (errors only) or "json"."""

    def __init__(self, mode: str = "human", echo: Any = None):
        self.mode = mode
        self._echo = echo or print
        self._progress: Any = None
        self._stage = ""
        self._details: dict[str, tuple[Any, float, int]] = {}  # item → (its bar or None, first report, parts done then)

    def info(self, text: str) -> None:
        if self.mode == "human":
            if self._progress is not None:
                self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
            else:
                self._echo(text)
        elif self.mode == "json":
            self.event("info", text=text)

    def error(self, path: str, step: str, reason: str) -> None:
        if self.mode == "json":
            self.event("error", path=path, step=step, reason=reason)
        else:
            print(f"error: {path}: {reason}", file=sys.stderr)

    def event(self, kind: str, **fields: Any) -> None:
        if self.mode == "json":
            sys.stdout.write(
                json.dumps({"event": kind, "time": round(time.time(), 3), **fields}, ensure_ascii=False) + "\n"
            )
            sys.stdout.flush()

    def detail(self, item: str, done: int, total: int, unit: str = "pages") -> None:
        """``done`` of ``total`` parts of one item of the current :meth:`track` (a file's scanned
        pages): a bar of its own with the time left under the stage's on a terminal, removed when
        the item is whole; a ``progress`` event with ``seconds_left`` in JSON mode (from the pace of
        the parts done since the item's first report; None until a second one)."""
        now = time.monotonic()
        bar, started, first = self._details.get(item, (None, now, done))
        if item not in self._details and self._progress is not None:
            bar = self._progress.add_task(f"  {Path(item).name} ({unit})", total=total, completed=done)
        self._details[item] = (bar, started, first)
        # the rate from the parts seen done since the first report (when the item started is unknown)
        left = (now - started) * (total - done) / (done - first) if done > first else None
        self.event(
            "progress",
            stage=self._stage,
            item=item,
            done=done,
            total=total,
            unit=unit,
            seconds_left=round(left, 1) if left is not None else None,
        )
        if bar is not None and self._progress is not None:
            self._progress.update(bar, completed=done, total=total)
            if done >= total:
                self._progress.remove_task(bar)
        if done >= total:
            del self._details[item]

    @contextmanager
    def track(self, label: str, total: int) -> Iterator[Any]:
        """A progress bar with counts and ETA on a terminal; a start/end event in JSON mode."""
        start = time.monotonic()
        self._stage = label
        self.event("start", stage=label, total=total)
        if self.mode != "human" or not sys.stderr.isatty() or total <= 0:
            yield lambda n=1: None
            self.event("end", stage=label, total=total, seconds=round(time.monotonic() - start, 3))
            self._details.clear()
            return
        # Rich only for a person at a terminal: a build's start imports nothing it does not use
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            self._progress = progress
            task = progress.add_task(label, total=total)
            try:
                yield lambda n=1: progress.advance(task, n)
            finally:
                self._progress = None
                self._details.clear()

    @contextmanager
    def working(self, label: str) -> Iterator[None]:
        """Work that cannot count its steps (fitting a model): a spinner with the time elapsed on a
        terminal, so a long wait is seen to be alive; start/end events in JSON mode."""
        start = time.monotonic()
        self.event("start", stage=label, total=None)
        if self.mode != "human" or not sys.stderr.isatty():
            yield
            self.event("end", stage=label, seconds=round(time.monotonic() - start, 3))
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            progress.add_task(label, total=None)
            yield
