"""Progress of the review page's long work (tagging a list, retraining), told to the page as it goes.

A :class:`Progress` is what one task has done, of how much, since when; :meth:`Progress.event`
words it in French for the page ("Étiquetage : 128 / 300 lignes — environ 40 s restantes"). The
page reads it as server-sent events (``/api/events``, :func:`events_route`): one event per change,
a comment line now and then so a proxy keeps the stream open, and the stream ends by itself.

>>> p = Progress()
>>> p.start("tagging", 300, clock=lambda: 0.0)
>>> p.advance(100, clock=lambda: 10.0)
>>> p.event(clock=lambda: 10.0)["message"]
'Étiquetage : 100 / 300 lignes — environ 20 s restantes'
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TASKS_FR", "Progress", "ProgressSettings", "events_route"]

TASKS_FR = {"tagging": ("Étiquetage", "lignes"), "retraining": ("Réentraînement", "étapes")}


@dataclass(frozen=True)
class ProgressSettings:
    poll_seconds: float = field(default=0.25, metadata={"why": "a bar that moves four times a second looks live"})
    keepalive_seconds: float = field(default=10.0, metadata={"why": "under the idle cut of common proxies (30-60 s)"})
    max_seconds: float = field(
        default=1800.0, metadata={"why": "the longest retraining takes minutes; a forgotten tab's stream ends"}
    )


class Progress:
    """One task at a time: its name, done and total, its start, its state and last words."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.task = ""
        self.state = "idle"  # idle, running, done, failed
        self.done = 0
        self.total = 0
        self.started = 0.0
        self.note = ""
        self.expected_seconds: float | None = None
        """A duration known in advance (the last retraining's), for a task that cannot count steps."""
        self.version = 0

    def start(
        self,
        task: str,
        total: int,
        *,
        note: str = "",
        expected_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        with self._lock:
            self.task, self.state, self.done, self.total = task, "running", 0, max(0, total)
            self.started, self.note, self.expected_seconds = clock(), note, expected_seconds
            self.version += 1

    def advance(self, n: int = 1, *, note: str | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        with self._lock:
            self.done = min(self.total, self.done + n) if self.total else self.done + n
            if note is not None:
                self.note = note
            self.version += 1

    def finish(self, state: str = "done", note: str = "") -> None:
        with self._lock:
            self.state, self.note = state, note
            if state == "done":
                self.done = self.total
            self.version += 1

    def seconds_left(self, now: float) -> float | None:
        elapsed = max(0.0, now - self.started)
        if self.state != "running":
            return None
        if self.total and self.done:
            return elapsed * (self.total - self.done) / self.done
        if self.expected_seconds:
            return max(0.0, self.expected_seconds - elapsed)
        return None

    def event(self, *, clock: Callable[[], float] = time.monotonic) -> dict[str, Any]:
        """The state as the page shows it, with a French sentence."""
        with self._lock:
            now = clock()
            name, unit = TASKS_FR.get(self.task, (self.task or "Travail", "étapes"))
            left = self.seconds_left(now)
            if self.state == "running":
                message = f"{name} : {self.done} / {self.total} {unit}" if self.total else f"{name} en cours"
                if self.note:
                    message += f" ({self.note})"
                message += f" — environ {_duration(left)} restantes" if left is not None else " — durée inconnue"
            elif self.state == "done":
                message = f"{name} terminé" + (f" : {self.note}" if self.note else "")
            elif self.state == "failed":
                message = f"{name} en échec" + (f" : {self.note}" if self.note else "")
            else:
                message = ""
            return {
                "task": self.task,
                "state": self.state,
                "done": self.done,
                "total": self.total,
                "seconds_left": round(left, 1) if left is not None else None,
                "message": message,
                "version": self.version,
            }


def _duration(seconds: float | None) -> str:
    """
    >>> _duration(42.4), _duration(125)
    ('42 s', '2 min 5 s')
    """
    s = round(seconds or 0)
    return f"{s // 60} min {s % 60} s" if s >= 60 else f"{s} s"


async def _stream(
    progress: Progress, settings: ProgressSettings, disconnected: Callable[[], Any]
) -> AsyncIterator[str]:
    seen = -1
    quiet = 0.0
    waited = 0.0
    yield "retry: 2000\n\n"
    while waited < settings.max_seconds:
        if await disconnected():
            return
        if progress.version != seen:
            event = progress.event()
            seen = event["version"]
            quiet = 0.0
            yield f"event: progress\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
        elif quiet >= settings.keepalive_seconds:
            quiet = 0.0
            yield ": encore là\n\n"
        await asyncio.sleep(settings.poll_seconds)
        quiet += settings.poll_seconds
        waited += settings.poll_seconds


def events_route(progress: Progress, settings: ProgressSettings | None = None) -> Any:
    """``GET /api/events``: the progress as server-sent events."""
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    settings = settings or ProgressSettings()

    async def events(request: Any) -> Any:
        return StreamingResponse(
            _stream(progress, settings, request.is_disconnected),
            media_type="text/event-stream",
            headers={"cache-control": "no-store", "x-accel-buffering": "no"},
        )

    return Route("/api/events", events, methods=["GET"])
