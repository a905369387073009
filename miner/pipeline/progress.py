"""How a run reports itself: Rich progress bars for people, JSON lines for scripts, or silence.

Steps call ``reporter.track(label, total)`` and ``advance()`` per document, ``reporter.info`` for
lines a person reads and ``reporter.error`` for failures; the reporter decides what reaches the
terminal. Errors always reach stderr, whatever the mode.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from typing import Any, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

__all__ = ["Reporter"]


class Reporter:
    """``mode`` is "human" (progress bars on a terminal), "quiet" (errors only) or "json"."""

    def __init__(self, mode: str = "human", echo: Any = None):
        self.mode = mode
        self._echo = echo or print
        self._progress: Any = None

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
            sys.stdout.write(json.dumps({"event": kind, "time": round(time.time(), 3), **fields}, ensure_ascii=False) + "\n")
            sys.stdout.flush()

    @contextmanager
    def track(self, label: str, total: int) -> Iterator[Any]:
        """A progress bar with counts and ETA on a terminal; a start/end event in JSON mode."""
        start = time.monotonic()
        self.event("start", stage=label, total=total)
        if self.mode != "human" or not sys.stderr.isatty() or total <= 0:
            yield lambda n=1: None
            self.event("end", stage=label, total=total, seconds=round(time.monotonic() - start, 3))
            return

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        ) as progress:
            self._progress = progress
            task = progress.add_task(label, total=total)
            try:
                yield lambda n=1: progress.advance(task, n)
            finally:
                self._progress = None

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
        from rich.progress import SpinnerColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as progress:
            progress.add_task(label, total=None)
            yield
