"""A read-only SPARQL 1.1 Protocol endpoint at ``/sparql`` and a query page at ``/``.

Standard library only (``http.server.ThreadingHTTPServer``): the endpoint is small, local and
read-only, and an extra web framework would be one more thing to keep patched. GET and POST
(form-encoded or ``application/sparql-query``) are accepted; results are negotiated from the
``Accept`` header (SPARQL JSON, XML, CSV, TSV; CONSTRUCT as Turtle, JSON-LD or N-Triples) or forced
with ``format=``. Every query is checked, then run in a worker process of a
:class:`miner.store.pool.QueryPool` that opens the store read-only: updates, LOAD, CLEAR, SERVICE
and FROM of unknown graphs are refused with 403 and a message, syntax errors get 400 with line and
column, a query past the time limit has its worker killed and gets 503 while the other workers go
on answering. Requests are capped in size, queries in rows; a client that stalls is dropped.

The page and its script and style are files in ``miner/assets`` served from here: no CDN, a
Content-Security-Policy that allows only this origin, and every text from the graph is put in the
page with ``textContent``, never as HTML.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from miner import data
from miner.errors import MinerError, UsageError
from miner.store.local import run_query
from miner.store.pool import PoolSettings, QueryPool
from miner.store.query import (
    GRAPH_FORMATS,
    PREFIXES,
    RESULT_FORMATS,
    QueryError,
    QueryRefused,
    QueryTimeout,
    format_result,
    saved_queries,
)

__all__ = ["ServeSettings", "make_server", "serve", "CSP"]

ASSETS = data.ASSETS
ASSET_FILES = {
    "/": ("sparql.html", "text/html; charset=utf-8"),
    "/assets/sparql.js": ("sparql.js", "text/javascript; charset=utf-8"),
    "/assets/sparql.css": ("sparql.css", "text/css; charset=utf-8"),
    # YASGUI and Chart.js, vendored by scripts/vendor_yasgui.sh (versions and licences in vendor/VENDORED.txt)
    "/assets/vendor/yasgui.min.js": ("vendor/yasgui.min.js", "text/javascript; charset=utf-8"),
    "/assets/vendor/yasgui.min.css": ("vendor/yasgui.min.css", "text/css; charset=utf-8"),
    "/assets/vendor/chart.umd.min.js": ("vendor/chart.umd.min.js", "text/javascript; charset=utf-8"),
    "/assets/vendor/VENDORED.txt": ("vendor/VENDORED.txt", "text/plain; charset=utf-8"),
}
YASGUI_STYLE_HASHES = ("'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
                       "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='")
"""The two fixed stylesheets the column resizer inside YASGUI 4.6.2 adds (grips, cursor while
dragging), allowed by hash rather than with 'unsafe-inline'; the browser test fails on any CSP
violation, so a vendored version that changes them is caught there."""
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' " + " ".join(YASGUI_STYLE_HASHES) + "; "
       "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
"""Only this origin's own script, style and requests; no inline script, no eval, no remote asset."""


@dataclass
class ServeSettings:
    """Limits of the endpoint; each default is what a local, single-user endpoint needs."""

    host: str = "127.0.0.1"
    """Loopback only unless asked: the store may hold unpublished evaluations."""
    port: int = 7878
    timeout: float = 10.0
    """Seconds per query: the competency queries take milliseconds; longer is a runaway join."""
    max_rows: int = 10_000
    """Rows per answer: the largest report has under a hundred constats; a browser table stays usable."""
    max_request_bytes: int = 64 * 1024
    """Request body or query string size: a hand-written query is a few kilobytes."""
    max_concurrent: int = 4
    """Queries running at once (worker processes); more wait up to ``timeout`` for a free one, then 503."""

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_rows < 1 or self.max_request_bytes < 1024 or self.max_concurrent < 1:
            raise UsageError("serve limits must be positive (timeout > 0, max_rows >= 1, "
                             "max_request_bytes >= 1024, max_concurrent >= 1)")


MEDIA_RESULT = {media.split(";")[0]: name for name, (media, _) in RESULT_FORMATS.items() if name != "table"}
MEDIA_RESULT |= {"application/json": "json", "text/plain": "tsv", "application/xml": "xml", "text/xml": "xml"}
MEDIA_GRAPH = {media: name for name, media in GRAPH_FORMATS.items()}
MEDIA_GRAPH |= {"application/json": "jsonld", "text/plain": "nt"}


def negotiate(accept: str, form: str, forced: str | None) -> tuple[str, str]:
    """(format name, media type) for a query form, from ``format=`` or the Accept header."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table, default = (MEDIA_GRAPH, "turtle") if graph else (MEDIA_RESULT, "json")
    names = set(table.values())
    if forced:
        if forced not in names:
            raise UsageError(f"unknown format {forced!r} for {form or 'this'} query; choose one of: "
                             + ", ".join(sorted(names)))
        chosen = forced
    else:
        chosen = default
        ranked = []
        for index, part in enumerate(accept.split(",")):
            media, *params = [p.strip() for p in part.split(";")]
            q = 1.0
            for param in params:
                if param.startswith("q="):
                    try:
                        q = float(param[2:])
                    except ValueError:
                        q = 0.0
            ranked.append((-q, index, media.lower()))
        for _, _, media in sorted(ranked):
            if media in table:
                chosen = table[media]
                break
            if media in ("*/*", "application/*", "text/*"):
                break
    media = GRAPH_FORMATS[chosen] if graph else RESULT_FORMATS[chosen][0]
    return chosen, media


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    server_version = "miner-sparql"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may stall mid-request before its connection is dropped

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:
            super().log_message(format, *args)

    # -------------------------------------------------------- replies

    def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # -------------------------------------------------------- routes

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if len(url.query) > self.server.settings.max_request_bytes:
            return self._error(HTTPStatus.REQUEST_URI_TOO_LONG, "query string too long; POST the query instead")
        if url.path in ASSET_FILES:
            name, media = ASSET_FILES[url.path]
            return self._send(HTTPStatus.OK, (ASSETS / name).read_bytes(), media)
        if url.path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        if url.path == "/queries":
            body = json.dumps([{"name": q.name, "fr": q.question_fr, "en": q.question_en, "text": q.text,
                                "params": [{"name": p.name, "type": p.type, "label": p.label} for p in q.params]}
                               for q in self.server.saved], ensure_ascii=False).encode("utf-8")
            return self._send(HTTPStatus.OK, body, "application/json")
        if url.path == "/prefixes":
            return self._send(HTTPStatus.OK, json.dumps(PREFIXES).encode("utf-8"), "application/json")
        if url.path == "/sparql":
            return self._sparql(parse_qs(url.query, keep_blank_values=True))
        return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        if length > self.server.settings.max_request_bytes:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               f"request body over {self.server.settings.max_request_bytes} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
        if media == "application/sparql-query":
            params["query"] = [body]
        elif media in ("application/x-www-form-urlencoded", ""):
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                               "POST application/sparql-query or application/x-www-form-urlencoded")
        return self._sparql(params)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(HTTPStatus.BAD_REQUEST, "give exactly one non-empty 'query' parameter")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(HTTPStatus.BAD_REQUEST,
                               "default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH "
                               "with the graphs of the store")
        forced = (params.get("format") or [None])[0]
        if not self.server.slots.acquire(timeout=self.server.settings.timeout):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "too many queries running; retry shortly")
        try:
            from miner.store.query import check_query

            text = queries[0]
            form = check_query(text).form
            fmt, media = negotiate(self.headers.get("Accept") or "", form, forced)
            result = self.server.query(text)
            body = format_result(result, fmt).encode("utf-8")
            extra = {"X-Miner-Truncated": "true"} if result.truncated else {}
            if forced:
                extra["Content-Disposition"] = f'attachment; filename="results.{fmt}"'
            return self._send(HTTPStatus.OK, body, media, extra)
        except QueryRefused as exc:
            return self._error(HTTPStatus.FORBIDDEN, str(exc))
        except QueryTimeout as exc:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except (QueryError, UsageError) as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except MinerError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        finally:
            self.server.slots.release()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of connections waits in the backlog instead of being reset

    def __init__(self, store: Any, settings: ServeSettings, verbose: bool):

        self.settings = settings
        self.verbose = verbose
        self.saved = saved_queries()
        self.slots = threading.BoundedSemaphore(settings.max_concurrent)
        # A store folder gets killable worker processes; an open Store (in memory, tests) is queried here.
        self.pool = QueryPool(store, PoolSettings(size=settings.max_concurrent)) if isinstance(store, (str, Path)) else None
        self.store = None if self.pool else store
        try:
            super().__init__((settings.host, settings.port), _Handler)
        except OSError:
            if self.pool:
                self.pool.close()
            raise

    def query(self, text: str) -> Any:
        settings = self.settings
        if self.pool is not None:
            return self.pool.run(text, timeout=settings.timeout, max_rows=settings.max_rows, wait=settings.timeout)

        return run_query(self.store, text, timeout=settings.timeout, max_rows=settings.max_rows)

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


def make_server(store: Any, settings: ServeSettings | None = None, *, verbose: bool = False) -> _Server:
    """A server over a store folder (queries in killable workers) or an open Store (queries in
    threads; for in-memory stores); call ``serve_forever``. Port 0 picks a free port."""
    try:
        return _Server(store, settings or ServeSettings(), verbose)
    except OSError as exc:
        s = settings or ServeSettings()
        raise UsageError(f"cannot listen on {s.host}:{s.port} ({exc.strerror or exc})") from None


def serve(store_path: str | Path, settings: ServeSettings | None = None, *, echo: Any = print) -> None:
    """Serve the store read-only (worker processes open it) until interrupted."""
    server = make_server(Path(store_path), settings, verbose=True)
    host, port = server.server_address[:2]
    echo(f"SPARQL endpoint at http://{host}:{port}/sparql, query page at http://{host}:{port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
