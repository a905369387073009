"""A read-only SPARQL 1.1 Protocol endpoint at ``/sparql`` and a query page at ``/``.

Starlette on uvicorn (h11): the HTTP parsing that hostile clients probe (Content-Length, chunked
bodies, header sizes) is done by a well-kept stack rather than ``http.server``; on top of it:

- a Host check (``127.0.0.1`` and ``localhost`` unless ``allow_hosts`` adds names), so a page
  on another site cannot read the store through DNS rebinding;
- the body cap enforced on the bytes received, whatever Content-Length says (h11 refuses a
  negative one; a chunked body is counted as it arrives), and a client that does not deliver a
  whole request within ``client_timeout`` seconds is disconnected; one client IP holds at most
  ``pending_per_ip`` connections without a request being served (:mod:`miner.serve.guard`);
- CORS off unless ``cors`` names origins;
- GET and POST (form-encoded or ``application/sparql-query``); results negotiated from
  ``Accept`` or forced with ``format=`` (also ``output=``), with the values SPARQLWrapper sends:
  json, xml, rdf+xml, json-ld, n3, turtle, csv, tsv (and their media types).

Every query is screened on its parse tree (:mod:`miner.store.screening`), then run in a worker process
of a :class:`miner.store.pool.QueryPool` that opens the store read-only and has no network: updates,
LOAD, SERVICE and FROM of unknown graphs get 403 with a message, syntax errors 400 with line and
column, a query that kills its worker 400, a query past the time limit 503 (its worker killed, the
others go on), a store mid-write that stays unreadable after the retries 503.

The page is the template ``sparql.html`` on miner's base page, rendered once per process (its
bytes kept); its script and style are files in ``miner/data/assets`` served from here: no CDN, a
Content-Security-Policy that allows only this origin.
"""

from __future__ import annotations

import functools
import json
import logging
import socket
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Route

from miner import data
from miner.data.render import render_template
from miner.errors import MinerError, UsageError
from miner.serve.evidence import evidence_routes
from miner.serve.guard import SlowClientGuard
from miner.serve.values import values_route
from miner.store.local import run_query
from miner.store.pool import PoolSettings, QueryPool
from miner.store.query import (
    GRAPH_FORMATS,
    PREFIXES,
    RESULT_FORMATS,
    QuerySyntaxError,
    QueryTimeout,
    check_query,
    format_result,
    saved_queries,
)
from miner.store.serving import ServingPlan, allowed_mb, plan_serving

__all__ = ["ServeSettings", "make_server", "serve", "CSP", "PAGE_CSP", "query_page", "negotiate", "Endpoint"]

ASSETS = data.ASSETS
ASSET_FILES = {
    "/assets/sparql.js": ("sparql.js", "text/javascript; charset=utf-8"),
    "/assets/sparql.css": ("sparql.css", "text/css; charset=utf-8"),
    # YASGUI and Chart.js, vendored by scripts/vendor_yasgui.sh (versions and licences in vendor/VENDORED.txt)
    "/assets/vendor/yasgui.min.js": ("vendor/yasgui.min.js", "text/javascript; charset=utf-8"),
    "/assets/vendor/yasgui.min.css": ("vendor/yasgui.min.css", "text/css; charset=utf-8"),
    "/assets/vendor/chart.umd.min.js": ("vendor/chart.umd.min.js", "text/javascript; charset=utf-8"),
    "/assets/vendor/VENDORED.txt": ("vendor/VENDORED.txt", "text/plain; charset=utf-8"),
}
YASGUI_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
"""The two fixed stylesheets the column resizer inside YASGUI 4.6.2 adds (grips, cursor while
dragging), allowed by hash rather than with 'unsafe-inline'; the browser test fails on any CSP
violation, so a vendored version that changes them is caught there."""
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' " + " ".join(YASGUI_STYLE_HASHES) + "; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'"
)
"""Only this origin's own script, style and requests; no inline script, no eval, no remote asset.
The page carries it as a meta element too (a saved copy of the page keeps it)."""
CSP = PAGE_CSP + "; frame-ancestors 'none'"
"""The header: the page's policy, and no framing (a browser ignores frame-ancestors in a meta element)."""


@functools.lru_cache(maxsize=2)
def query_page(lang: str = "fr") -> bytes:
    """The query page, rendered once per language (French, or English with ``?lang=en``): it holds
    no value of the store, only the policy."""
    return render_template("sparql.html", csp=PAGE_CSP, lang="en" if lang == "en" else "fr").encode("utf-8")


DEFAULT_HOSTS = ("127.0.0.1", "localhost")
LOG = logging.getLogger(__name__)


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
    allow_hosts: tuple[str, ...] = ()
    """Host names accepted besides 127.0.0.1 and localhost (``--allow-host``), e.g. the machine's
    name when serving a team network; anything else gets 400 (DNS rebinding)."""
    cors: tuple[str, ...] = ()
    """Origins whose pages may call the endpoint (``--cors``); none by default."""
    memory_mb: int | None = None
    """Memory (MB) the query workers may hold copies of the store in, all together (``--memory-mb``):
    the slowest saved query answers about a quarter faster from memory at 1 M quads. None: a share of the memory available at start,
    capped (:class:`miner.store.serving.ServingSettings`); each worker a copy fits gets one, a store
    no copy fits is read from disk; 0 reads the disk only."""
    client_timeout: float = 10.0
    """Seconds a client has to deliver one whole request (headers and body): a slow client is
    disconnected instead of holding a connection open."""
    max_connections: int = 256
    """Open connections at most; past it uvicorn answers 503 (file descriptors stay available)."""
    pending_per_ip: int = 64
    """Connections one client IP may hold open without a whole request being served (slow heads or
    bodies, idle keep-alives); past it its oldest such connection is closed: one client cannot hold
    every file descriptor. (Such connections are not counted in ``max_connections``.)"""
    documents: tuple[Path, ...] = ()
    """Folders searched (by digest) for documents the store's register does not name (``--documents``)."""

    def __post_init__(self) -> None:
        if (
            self.timeout <= 0
            or self.max_rows < 1
            or self.max_request_bytes < 1024
            or self.max_concurrent < 1
            or self.client_timeout <= 0
            or self.max_connections < 1
            or self.pending_per_ip < 1
        ):
            raise UsageError(
                "serve limits must be positive (timeout > 0, max_rows >= 1, "
                "max_request_bytes >= 1024, max_concurrent >= 1, client_timeout > 0)"
            )
        self.allow_hosts = tuple(self.allow_hosts)
        self.cors = tuple(self.cors)
        self.documents = tuple(Path(d) for d in self.documents)


MEDIA_RESULT = {media.split(";")[0]: name for name, (media, _) in RESULT_FORMATS.items() if name != "table"}
MEDIA_RESULT |= {"application/json": "json", "text/plain": "tsv", "application/xml": "xml", "text/xml": "xml"}
MEDIA_GRAPH = {media: name for name, media in GRAPH_FORMATS.items()}
MEDIA_GRAPH |= {
    "application/json": "jsonld",
    "text/plain": "nt",
    "text/n3": "turtle",
    "application/xml": "xml",
    "text/xml": "xml",
}

FORMAT_ALIASES_RESULT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"} | MEDIA_RESULT
FORMAT_ALIASES_GRAPH = {
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "json": "jsonld",
    "xml": "xml",
    "rdf+xml": "xml",
    "rdf": "xml",
} | MEDIA_GRAPH
"""``format=`` values: SPARQLWrapper's names (json, xml, rdf+xml, json-ld, n3, turtle, csv, tsv),
the usual short names, and media types (SPARQLWrapper repeats some as a second value)."""


def negotiate(accept: str, form: str, forced: list[str] | str | None) -> tuple[str, str]:
    """(format name, media type) for a query form, from ``format=`` values or the Accept header.

    >>> negotiate("", "SELECT", ["json"])
    ('json', 'application/sparql-results+json')
    >>> negotiate("", "CONSTRUCT", ["rdf+xml", "application/rdf+xml"])[0]
    'xml'
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table, default = (MEDIA_GRAPH, "turtle") if graph else (MEDIA_RESULT, "json")
    aliases = FORMAT_ALIASES_GRAPH if graph else FORMAT_ALIASES_RESULT
    wanted = [forced] if isinstance(forced, str) else list(forced or [])
    if wanted:
        chosen = next((aliases[w.strip().lower()] for w in wanted if w.strip().lower() in aliases), None)
        if chosen is None:
            raise UsageError(
                f"unknown format {wanted[0]!r} for {form or 'this'} query; choose one of: "
                + ", ".join(sorted(k for k in aliases if "/" not in k))
            )
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


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class _TooLarge(Exception):
    pass


class Endpoint:
    """The Starlette app, its query pool (or in-memory store) and the uvicorn server around them.

    Shaped like ``http.server``'s servers (``server_address``, ``serve_forever``, ``shutdown``,
    ``server_close``) so callers and tests run it in a thread the same way.
    """

    def __init__(self, store: Any, settings: ServeSettings, verbose: bool):
        self.settings = settings
        self.verbose = verbose
        self.saved = saved_queries()
        self.slots = threading.BoundedSemaphore(settings.max_concurrent)
        self.socket = _bind(settings.host, settings.port)
        self.server_address = self.socket.getsockname()[:2]
        self.serving: ServingPlan | None = None
        try:
            self.pool = self._pool(Path(store)) if isinstance(store, (str, Path)) else None
        except BaseException:
            self.socket.close()
            raise
        self.store = None if self.pool else store
        self.folder = Path(store) if isinstance(store, (str, Path)) else None
        self.app = self._app()
        self._server: Any = None
        self._stopped = threading.Event()

    def _pool(self, folder: Path) -> QueryPool:
        """The workers over ``folder``, as many of them holding an in-memory copy as the memory allowed
        holds (:mod:`miner.store.serving`); the choice is logged once, and kept in ``self.serving``."""
        if not folder.is_dir():
            return QueryPool(folder)  # its error names the missing store
        pool = PoolSettings(size=self.settings.max_concurrent)
        self.serving = plan_serving(
            folder,
            workers=pool.size,
            allowed=allowed_mb(self.settings.memory_mb),
            bytes_per_quad=pool.bytes_per_quad,
        )
        LOG.info(self.serving.describe())
        share = self.serving.allowed_mb // self.serving.copies if self.serving.copies else 0
        return QueryPool(folder, replace(pool, memory_mb=share), copies=self.serving.copies)

    # -------------------------------------------------------- the app

    def _app(self) -> Any:

        middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(DEFAULT_HOSTS + self.settings.allow_hosts))]
        if self.settings.cors:
            middleware.append(
                Middleware(
                    CORSMiddleware,
                    allow_origins=list(self.settings.cors),
                    allow_methods=["GET", "POST"],
                    allow_headers=["Content-Type", "Accept"],
                )
            )
        routes = [Route("/", self._page, methods=["GET", "HEAD"])]
        routes += [Route(path, self._asset, methods=["GET", "HEAD"]) for path in ASSET_FILES]
        routes += [
            Route("/favicon.ico", self._favicon, methods=["GET", "HEAD"]),
            Route("/queries", self._queries, methods=["GET", "HEAD"]),
            Route("/prefixes", self._prefixes, methods=["GET", "HEAD"]),
            Route("/sparql", self._sparql, methods=["GET", "HEAD", "POST"]),
        ]
        routes += evidence_routes(self.query, self.folder, self.settings.documents, self._reply)
        routes.append(values_route(self.saved, self.query, self._reply))
        return Starlette(routes=routes, middleware=middleware, exception_handlers={404: self._not_found})

    @staticmethod
    def _reply(status: int, body: bytes | str, media: str, extra: dict[str, str] | None = None) -> Any:

        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": media, **SECURITY_HEADERS, **(extra or {})}  # as given: no charset added
        return Response(data, status_code=status, headers=headers)

    def _error(self, status: int, message: str) -> Any:
        return self._reply(status, message.rstrip("\n") + "\n", "text/plain; charset=utf-8")

    async def _not_found(self, request: Any, exc: Any) -> Any:
        return self._error(404, f"nothing at {request.url.path}; the endpoint is /sparql")

    async def _page(self, request: Any) -> Any:
        return self._reply(200, query_page(request.query_params.get("lang", "fr")), "text/html; charset=utf-8")

    async def _asset(self, request: Any) -> Any:
        name, media = ASSET_FILES[request.url.path]
        return self._reply(200, (ASSETS / name).read_bytes(), media)

    async def _favicon(self, request: Any) -> Any:
        return self._reply(204, b"", "image/x-icon")

    async def _queries(self, request: Any) -> Any:
        body = json.dumps(
            [
                {
                    "name": q.name,
                    "fr": q.question_fr,
                    "en": q.question_en,
                    "text": q.text,
                    "params": [{"name": p.name, "type": p.type, "label": p.label} for p in q.params],
                }
                for q in self.saved
            ],
            ensure_ascii=False,
        )
        return self._reply(200, body, "application/json")

    async def _prefixes(self, request: Any) -> Any:
        return self._reply(200, json.dumps(PREFIXES), "application/json")

    async def _body(self, request: Any) -> bytes:
        """The request body, refused as soon as more than the cap has arrived."""
        cap = self.settings.max_request_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap:
            raise _TooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    async def _sparql(self, request: Any) -> Any:

        cap = self.settings.max_request_bytes
        if len(request.url.query) > cap:
            return self._error(414, "query string too long; POST the query instead")
        params = parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            try:
                body = (await self._body(request)).decode("utf-8", errors="replace")
            except _TooLarge:
                return self._reply(
                    413, f"request body over {cap} bytes\n", "text/plain; charset=utf-8", {"Connection": "close"}
                )
            except ClientDisconnect:
                return self._error(400, "the client went away mid-request")
            media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                return self._error(403, "SPARQL Update is refused: this endpoint is read-only")
            if media == "application/sparql-query":
                params["query"] = [body]
            elif media in ("application/x-www-form-urlencoded", ""):
                for key, values in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                return self._error(415, "POST application/sparql-query or application/x-www-form-urlencoded")
        if "update" in params:
            return self._error(403, "SPARQL Update is refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(400, "give exactly one non-empty 'query' parameter")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(
                400,
                "default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH "
                "with the graphs of the store",
            )
        forced = params.get("format") or params.get("output")
        accept = request.headers.get("accept") or ""
        return await run_in_threadpool(self._answer, queries[0], accept, forced)

    def _answer(self, text: str, accept: str, forced: list[str] | None) -> Any:
        """Screen, run and format one query (in a thread: the pool blocks)."""
        try:
            try:
                form = check_query(text).form
            except QuerySyntaxError as exc:
                raise (self.pool.explain(exc) if self.pool is not None else exc) from None
            fmt, media = negotiate(accept, form, forced)
            if not self.slots.acquire(timeout=self.settings.timeout):
                raise QueryTimeout("too many queries running; retry shortly")
            try:
                result = self.query(text, unpack=False)  # format_result writes a packed answer as it is
            finally:
                self.slots.release()
            body = format_result(result, fmt)
            extra = {"X-Miner-Truncated": "true"} if result.truncated else {}
            if forced:
                extra["Content-Disposition"] = f'attachment; filename="results.{fmt}"'
            return self._reply(200, body, media, extra)
        except MinerError as exc:
            # each error class says its status: refused 403, busy or timed out 503 (worth a retry), bad query 400
            if exc.http_status == 503:
                return self._reply(503, str(exc) + "\n", "text/plain; charset=utf-8", {"Retry-After": "1"})
            return self._error(exc.http_status, str(exc))

    def query(self, text: str, unpack: bool = True) -> Any:
        """The answer of a query, through the pool when there is one; ``unpack=False`` leaves a pool's
        rows as the worker's TSV, for the one caller that writes them out unread (the SPARQL answer):
        the evidence, resource and value pages read ``result.rows``."""
        settings = self.settings
        if self.pool is not None:
            return self.pool.run(
                text, timeout=settings.timeout, max_rows=settings.max_rows, wait=settings.timeout, unpack=unpack
            )
        return run_query(self.store, text, timeout=settings.timeout, max_rows=settings.max_rows)

    # -------------------------------------------------------- the server

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C in the main thread)."""

        self.guard = SlowClientGuard(self.settings.client_timeout, self.settings.pending_per_ip, body_too=True)
        config = uvicorn.Config(
            self.app,
            http=self.guard.protocol(),
            lifespan="off",
            ws="none",
            log_level="info" if self.verbose else "warning",
            access_log=self.verbose,
            limit_concurrency=self.settings.max_connections,
            timeout_keep_alive=5,
            h11_max_incomplete_event_size=16 * 1024,
            server_header=False,
            date_header=False,
            backlog=128,
        )
        self._server = uvicorn.Server(config)
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()
        if self.pool is not None:
            self.pool.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def make_server(store: Any, settings: ServeSettings | None = None, *, verbose: bool = False) -> Endpoint:
    """An endpoint over a store folder (queries in killable workers) or an open Store (queries in
    threads; for in-memory stores); call ``serve_forever``. Port 0 picks a free port."""
    settings = settings or ServeSettings()
    try:
        return Endpoint(store, settings, verbose)
    except OSError as exc:
        raise UsageError(f"cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc})") from None


def serve(store_path: str | Path, settings: ServeSettings | None = None, *, echo: Any = print) -> None:
    """Serve the store read-only (worker processes open it) until interrupted."""
    server = make_server(Path(store_path), settings, verbose=True)
    host, port = server.server_address[:2]
    if server.serving is not None:
        echo(server.serving.describe())
    echo(f"SPARQL endpoint at http://{host}:{port}/sparql, query page at http://{host}:{port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
