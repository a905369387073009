"""Slow clients cannot starve the others: uvicorn's h11 protocol with read deadlines and a per-IP cap.

A probe held 300 slow sockets open (a few header bytes now and then, reopened when closed) and the
endpoint answered 503 to 33 of 39 normal requests, the review page to 37 of 40: uvicorn counts
every open connection against ``limit_concurrency``, and has a keep-alive timeout but no deadline
for a request head or body that arrives slowly. uvicorn and h11 have no setting for either, so
this is a subclass of uvicorn's own ``H11Protocol`` (the HTTP parsing stays h11's):

- a deadline per request: a connection still waiting for a whole request head (``head_seconds``
  after it opened or after its last response), or, where asked, for the rest of its body, is closed;
- pending connections (open, but without a whole request being served: no head yet, a body
  still arriving, or idle between requests) hold a socket but no task, so they are not counted
  against uvicorn's ``limit_concurrency``: slow sockets never make a normal request get 503;
- a cap per client IP on pending connections, so one client cannot hold every file descriptor:
  past it, the oldest pending connection of that IP that has had ``settle_seconds`` to send its
  request is closed (one still waiting for its head first). A newcomer is never the one closed,
  so a client that sends its request at once is served however many slow sockets its IP holds.
  Connections being served are never closed by the cap.

A guard instance is per server: its table of pending connections is shared by that server's
protocol instances (all on one event loop, so no lock).

>>> guard = SlowClientGuard(head_seconds=10, per_ip=16)
>>> issubclass(guard.protocol(), H11Protocol)
True
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["SlowClientGuard"]

_WAITING = (h11.IDLE, h11.SEND_BODY)
"""Client states of a pending connection: no whole request head yet, or a body still arriving."""


@dataclass
class SlowClientGuard:
    """The deadlines and per-IP cap of one server; :meth:`protocol` is the class uvicorn takes as ``http``."""

    head_seconds: float
    """Seconds a connection may wait for a whole request head (from its opening or its last response)."""
    per_ip: int
    """Pending connections one client IP may hold; the oldest past it is closed."""
    settle_seconds: float = 2.0
    """A connection younger than this is never closed by the cap: a browser sends its request head
    within milliseconds, and a loaded machine may take a second to read it."""
    body_too: bool = False
    """The deadline also covers the body (the endpoint's bodies are 64 KB; the review page's uploads
    have their own, longer deadline in the app)."""
    evicted: int = 0
    """Connections closed by the cap (for tests and logs)."""
    _pending: dict[str, dict[Any, float]] = field(default_factory=dict)

    def protocol(self) -> type:
        guard = self

        class GuardedProtocol(H11Protocol):
            _timer: asyncio.TimerHandle | None = None

            def _ip(self) -> str:
                return self.client[0] if self.client else "?"

            def _arm(self) -> None:
                if self._timer is not None:
                    self._timer.cancel()
                self._timer = self.loop.call_later(guard.head_seconds, self._late)

            def _late(self) -> None:
                waiting = (h11.IDLE, h11.SEND_BODY) if guard.body_too else (h11.IDLE,)
                if self.conn.their_state in waiting and not self.transport.is_closing():
                    self._drop()

            def _drop(self) -> None:
                guard.forget(self._ip(), self)
                self.connections.discard(self)  # no longer counted against limit_concurrency
                self.transport.close()

            def _track(self) -> None:
                """Keep this connection's place in its IP's pending table in step with its state."""
                if self.transport.is_closing():
                    guard.forget(self._ip(), self)
                elif self.conn.their_state in _WAITING:
                    for victim in guard.admit(self._ip(), self):
                        victim._drop()
                else:
                    guard.forget(self._ip(), self)

            def connection_made(self, transport: Any) -> None:  # type: ignore[override]
                if not isinstance(self.connections, _Served):
                    self.connections = _Served(self.connections, guard)
                super().connection_made(transport)
                self._arm()
                self._track()

            def data_received(self, data: bytes) -> None:
                super().data_received(data)
                self._track()

            def on_response_complete(self) -> None:
                super().on_response_complete()
                self._arm()
                self._track()

            def connection_lost(self, exc: Exception | None) -> None:
                if self._timer is not None:
                    self._timer.cancel()
                guard.forget(self._ip(), self)
                super().connection_lost(exc)

        return GuardedProtocol

    def admit(self, ip: str, connection: Any) -> list[Any]:
        """Count ``connection`` as pending for ``ip``; returns the connections to close to stay under the cap."""
        table = self._pending.setdefault(ip, {})
        now = time.monotonic()
        table.setdefault(connection, now)
        if len(table) <= self.per_ip:
            return []
        settled = [c for c, since in table.items() if c is not connection and now - since >= self.settle_seconds]
        heads = [c for c in settled if c.conn.their_state is h11.IDLE]
        others = [c for c in settled if c.conn.their_state is not h11.IDLE]
        victims = sorted(heads, key=table.__getitem__) + sorted(others, key=table.__getitem__)
        victims = victims[: len(table) - self.per_ip]
        self.evicted += len(victims)
        return victims

    def pending(self) -> int:
        """Pending connections of every IP."""
        return sum(len(table) for table in self._pending.values())

    def forget(self, ip: str, connection: Any) -> None:
        table = self._pending.get(ip)
        if table is not None:
            table.pop(connection, None)
            if not table:
                del self._pending[ip]


class _Served:
    """uvicorn's set of open connections as its 503 check sees it: ``len`` counts only the
    connections being served (pending ones hold no task); adding, removing and iterating (for a
    graceful shutdown) go to the real set."""

    def __init__(self, connections: set[Any], guard: SlowClientGuard):
        self.connections = connections
        self.guard = guard

    def add(self, connection: Any) -> None:
        self.connections.add(connection)

    def discard(self, connection: Any) -> None:
        self.connections.discard(connection)

    def __iter__(self) -> Any:
        return iter(self.connections)

    def __contains__(self, connection: Any) -> bool:
        return connection in self.connections

    def __len__(self) -> int:
        return max(0, len(self.connections) - self.guard.pending())
