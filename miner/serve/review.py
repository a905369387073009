"""``miner review``: a local page where an evaluator checks and corrects the tags of an activity list.

Upload a CSV, XLSX or PDF list; choose the scheme (the 2007 axes, the 2024 missions, or both side
by side); see each row's concepts with their scores and evidence; click one to add or remove it;
download the corrected list as XLSX; retrain the chosen scheme's model on its corrections into a
new versioned model (in the user model folder, then offered on the page and usable with
``miner classify --model``). The state lives in :class:`~miner.serve.review_session.ReviewSession`.

The page is its own server, apart from the read-only SPARQL endpoint: Starlette on uvicorn, a
Jinja2 template with autoescape, its script and style served from the package (no CDN) under a
Content-Security-Policy that allows only this origin and no inline code. It listens on 127.0.0.1
unless told otherwise and answers only requests whose Host header names an allowed host (a page
elsewhere cannot rebind a name to it). Changes are POSTs that must carry the page's own header and,
when the browser sends one, this origin in ``Origin``: another site's form cannot drive the page.
Uploads are counted as they arrive and refused past the cap; a client that sends a request head
or an upload too slowly is dropped, and one client IP holds only a few connections without a
request being served (:mod:`miner.serve.guard`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from miner import data
from miner.errors import MinerError
from miner.serve.bodies import ModelName, Retraining, SchemeChoice, Toggle, parse_body
from miner.serve.guard import SlowClientGuard
from miner.serve.progress import events_route
from miner.serve.review_session import PAGE_SCHEMES, ReviewSession, user_data_dir
from miner.tag import schemes as sc

__all__ = ["ReviewSettings", "make_app", "serve", "CSP", "CLIENT_HEADER"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Only this origin's own script, style and requests; no inline code, no remote asset, no framing."""
CLIENT_HEADER = "x-miner-review"
"""Header the page's script sets on every change: a cross-site form cannot set it, and a cross-site
script that tries triggers a CORS preflight this server never approves."""
ASSETS = {
    "review.js": "text/javascript; charset=utf-8",
    "review.css": "text/css; charset=utf-8",
}
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass
class ReviewSettings:
    """Where the session lives and how the page listens; each default suits one evaluator's laptop."""

    folder: Path = field(default_factory=lambda: user_data_dir() / "review")
    model_dir: Path = field(default_factory=lambda: user_data_dir() / "models")
    model: Path | None = None
    """Base model (None: the shipped one)."""
    scheme_models: dict[str, Path] = field(default_factory=dict)
    """Base model of another scheme, by name (missing: its shipped one)."""
    host: str = "127.0.0.1"
    port: int = 8766
    allowed_hosts: tuple[str, ...] = ()
    """Host header values accepted besides the local names and ``host`` (for ``--host 0.0.0.0``)."""
    max_upload_bytes: int = 20 * 2**20
    """Largest upload: a cluster's list is well under 1 MB, a PDF list with pictures a few MB."""
    max_json_bytes: int = 4096
    """Largest change request: one row, one axis, or one model name."""
    upload_seconds: float = 60.0
    """Time allowed to receive an upload: 20 MB over a slow line; a client trickling bytes is dropped."""
    header_seconds: float = 10.0
    """Time allowed for a request's head (line and headers): a browser sends it at once; a client
    trickling headers to hold a connection open is dropped."""
    keep_alive_seconds: float = 5.0
    """An idle connection is closed after this: the page makes a request per click, not a stream."""
    max_connections: int = 32
    """Concurrent connections before 503: one evaluator's tabs, never a crowd."""
    pending_per_ip: int = 16
    """Connections one client IP may hold without a request being served (slow heads, uploads
    arriving, idle keep-alives); past it its oldest is closed: one client cannot hold every file
    descriptor. Such connections are not counted in ``max_connections`` (miner.serve.guard)."""

    def hosts(self) -> list[str]:
        names = [*LOCAL_HOSTS, *self.allowed_hosts]
        if self.host not in ("0.0.0.0", "::", ""):
            names.append(self.host)
        return list(dict.fromkeys(names))


class TooLarge(Exception):
    pass


async def read_body(request: Any, limit: int, seconds: float) -> bytes:
    """The request body, counted as it arrives: refused past ``limit``, dropped after ``seconds``."""
    import anyio

    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge()
    chunks, size = [], 0
    with anyio.fail_after(seconds):
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge()
            chunks.append(chunk)
    return b"".join(chunks)


def make_app(settings: ReviewSettings, session: ReviewSession | None = None) -> Any:
    """The Starlette application of the review page (tests drive it without a socket)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    session = session or ReviewSession.open(
        settings.folder, model_dir=settings.model_dir, base_model=settings.model, base_models=settings.scheme_models
    )
    templates = Environment(loader=FileSystemLoader(str(data.ASSETS)), autoescape=select_autoescape(["html"]))
    axis_names = _axis_names()

    def problem(message: str, status: int = 400) -> Response:
        return JSONResponse({"error": message}, status_code=status)

    def foreign(request: Any) -> Response | None:
        """A change must come from this page's script: its header, and this origin if one is sent."""
        if request.headers.get(CLIENT_HEADER) != "1":
            return problem("changes are accepted only from the review page", 403)
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            return problem("changes are accepted only from the review page", 403)
        return None

    async def read_json(request: Any, model: Any) -> Any:
        """The body as ``model`` (miner.serve.bodies): a field out of range or of the wrong type is a 400."""
        return parse_body(model, await read_body(request, settings.max_json_bytes, settings.upload_seconds))

    def scheme_views() -> list[dict[str, Any]]:
        """What the page shows of each scheme besides the axes: its concepts, models, corrections."""
        views = []
        for name in session.others():
            scheme = sc.scheme_of(name)
            views.append(
                {
                    "name": name,
                    "label": scheme.label_fr,
                    "word": sc.column_stem(name).removesuffix("s"),
                    "concepts": [(i + 1, c.notation, c.label_fr) for i, c in enumerate(scheme.concepts)],
                    "models": session.models(name),
                    "model": session.model(name),
                    "corrections": len(session.corrected_rows(name)),
                }
            )
        return views

    async def page(request: Any) -> Response:
        state = session.retrain
        switch = (
            state.model
            if state.state == "done"
            and state.model
            and state.scheme in session.schemes()
            and state.model != session.model(state.scheme).name
            else ""
        )
        views = scheme_views()
        html = templates.get_template("review.html").render(
            session=session.data,
            rows=session.ordered_rows(),
            models=session.models(),
            model=session.model(),
            axes=axis_names,
            retrain=state,
            corrections=len(session.corrected_rows()),
            show_axes="axes-2007" in session.schemes(),
            schemes=views,
            page_schemes=PAGE_SCHEMES,
            extra_columns=sum(len(v["concepts"]) + 1 for v in views),
            scheme=session.data.get("scheme") or "axes-2007",
            switch=switch,
            switch_scheme=state.scheme,
            csp=None,
        )  # the policy is the CSP header of every response (see the middleware)
        return HTMLResponse(html)

    async def asset(request: Any) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return problem("no such asset", 404)
        return Response((data.ASSETS / name).read_bytes(), media_type=ASSETS[name])

    async def upload(request: Any) -> Response:
        name = request.query_params.get("name", "")
        body = await read_body(request, settings.max_upload_bytes, settings.upload_seconds)
        if not body:
            return problem(f"{Path(name).name or 'upload'}: empty file")
        rows = await run_in_threadpool(session.upload, name, body, request.query_params.get("sheet") or None)
        return JSONResponse({"rows": rows, "file": session.data.get("file")})

    async def toggle(request: Any) -> Response:
        click = await read_json(request, Toggle)
        index = click.row
        axes = await run_in_threadpool(session.toggle, index, click.axis, click.scheme)
        row = session.rows()[index]
        return JSONResponse(
            {
                "row": index,
                "axes": axes,
                "corrected": row["corrected"],
                "scheme": click.scheme,
                "corrections": len(session.corrected_rows(click.scheme)),
            }
        )

    async def choose(request: Any) -> Response:
        choice = await read_json(request, ModelName)
        await run_in_threadpool(session.choose_model, choice.model, choice.scheme)
        return JSONResponse({"model": session.model(choice.scheme).name, "scheme": choice.scheme})

    async def choose_scheme(request: Any) -> Response:
        choice = await read_json(request, SchemeChoice)
        await run_in_threadpool(session.choose_scheme, choice.scheme)
        return JSONResponse({"scheme": choice.scheme, "schemes": session.schemes()})

    async def retrain(request: Any) -> Response:
        body = await read_json(request, Retraining)
        started = session.start_training(body.scheme)
        return JSONResponse(status_payload(), status_code=202 if started else 409)

    def status_payload() -> dict[str, Any]:
        state = session.retrain
        return {
            "state": state.state,
            "message": state.message,
            "model": state.model,
            "scheme": state.scheme,
            "corrections": len(session.corrected_rows(state.scheme if state.scheme in session.schemes() else None)),
        }

    async def status(request: Any) -> Response:
        return JSONResponse(status_payload())

    async def row_page(request: Any) -> Response:
        """The page image of a row read from the uploaded PDF, the row's box drawn."""
        try:
            png = await run_in_threadpool(session.page_image, request.path_params["row"])
        except MinerError as exc:
            return problem(str(exc), 404)
        return Response(png, media_type="image/png")

    async def download(request: Any) -> Response:
        if not session.data.get("rows"):
            return problem("no list uploaded yet", 404)
        body = await run_in_threadpool(session.export_bytes, ".xlsx")
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(session.data["file"]).stem) or "list"
        return Response(
            body,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"content-disposition": f'attachment; filename="{stem}-revu.xlsx"'},
        )

    posts = {
        "/api/upload": upload,
        "/api/toggle": toggle,
        "/api/model": choose,
        "/api/scheme": choose_scheme,
        "/api/retrain": retrain,
    }

    def guarded(handler: Any) -> Any:
        async def run(request: Any) -> Response:
            refused = foreign(request)
            if refused is not None:
                return refused
            try:
                return await handler(request)
            except TooLarge:
                return problem("request too large", 413)
            except TimeoutError:
                return problem("request body too slow", 408)
            except MinerError as exc:
                return problem(str(exc), 400)

        return run

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/assets/{name}", asset, methods=["GET"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),  # no icon, no 404
        Route("/api/status", status, methods=["GET"]),
        events_route(session.progress),
        Route("/download.xlsx", download, methods=["GET"]),
        Route("/page/{row:int}.png", row_page, methods=["GET"]),
        *(Route(path, guarded(handler), methods=["POST"]) for path, handler in posts.items()),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts(), www_redirect=False),
            Middleware(SecurityHeaders),
        ],
    )
    app.state.session = session
    return app


class SecurityHeaders:
    """Pure ASGI middleware: the CSP and its companions on every response, errors included."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"cache-control", b"no-store"),
    ]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.HEADERS
            await send(message)

        await self.app(scope, receive, sending)


def _axis_names() -> dict[int, str]:
    from miner.tag.axes import AXES, load_lexicon

    lexicon = load_lexicon()
    return {axis: str(lexicon.get(axis, {}).get("name", f"axe {axis}")) for axis in AXES}


def server(settings: ReviewSettings, session: ReviewSession | None = None) -> Any:
    """A uvicorn server for the page (not started), with the timeouts and caps of ``settings``."""
    import uvicorn

    config = uvicorn.Config(
        make_app(settings, session),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_keep_alive=int(settings.keep_alive_seconds),
        limit_concurrency=settings.max_connections,
        lifespan="off",
        http=SlowClientGuard(settings.header_seconds, settings.pending_per_ip).protocol(),
    )
    return uvicorn.Server(config)


def serve(settings: ReviewSettings) -> None:
    """Serve the page until interrupted."""
    server(settings).run()
