"""The page a fact was read from, and what it is: evidence pages and resource pages of ``miner serve``.

Every fact of the graph keeps its document (by sha256), page, box and quote (a Web Annotation, see
:mod:`miner.rdf.document`). Here:

- ``/evidence?fact=IRI``: the page image with the fact's box drawn and the quote beside it, or a
  line saying the store does not hold the document (its register, :mod:`miner.store.documents`,
  names no file with those bytes);
- ``/evidence/image?doc=SHA&page=N[&box=x,y,w,h]``: the PNG, rendered on demand with pypdfium2
  (already installed as pdfplumber's renderer), the box drawn into the pixels, cached in memory up
  to a byte budget; read-only: nothing is written anywhere;
- ``/evidence/which`` (POST, a JSON list of IRIs): those that have a page, so the query page can
  offer "voir la page" beside them;
- ``/resource?iri=IRI``: label, types, outgoing and incoming links with labels, each triple once,
  the label as the tab's title.

Every value reaches the page through the autoescaping templates; IRIs are checked before they are
put into a query.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from miner.data import ASSETS
from miner.data.render import render_template
from miner.errors import MinerError
from miner.store.documents import held_document
from miner.store.query import PREFIXES

__all__ = [
    "TEXTS",
    "Evidence",
    "EvidenceSettings",
    "PageImages",
    "evidence_routes",
    "parse_fragment",
    "valid_iri",
]

MINER = "https://w3id.org/miner/ontology#"
OA = "http://www.w3.org/ns/oa#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    RDFS_LABEL,
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
"""Predicates read as a resource's name, in this order of preference."""

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_SHA = re.compile(r"[0-9a-f]{64}")

TEXTS = {
    "fr": {
        "see": "voir la page",
        "page": "page",
        "quote": "Citation",
        "not_held": "Ce serveur ne détient pas le document {file} (empreinte {sha}) : la page ne peut être montrée.",
        "no_evidence": "Aucune page n'est connue pour cette ressource.",
        "types": "Type",
        "outgoing": "Liens sortants",
        "incoming": "Liens entrants",
        "none": "aucun",
        "back": "page de requêtes",
        "resource": "fiche",
        "box": "cadre du fait",
    },
    "en": {
        "see": "see the page",
        "page": "page",
        "quote": "Quote",
        "not_held": "This server does not hold the document {file} (digest {sha}): its page cannot be shown.",
        "no_evidence": "No page is known for this resource.",
        "types": "Type",
        "outgoing": "Outgoing links",
        "incoming": "Incoming links",
        "none": "none",
        "back": "query page",
        "resource": "resource",
        "box": "the fact's box",
    },
}
"""Page texts: French, English on request (``?lang=en``)."""


@dataclass(frozen=True)
class EvidenceSettings:
    """How pages are rendered and how much is kept."""

    dpi: float = field(default=110.0, metadata={"why": "a text line of a report stays readable on a laptop screen"})
    max_side: int = field(default=1800, metadata={"why": "caps a poster-sized page's image (pixels per side)"})
    cache_bytes: int = field(
        default=48 * 1024 * 1024, metadata={"why": "a few hundred page images in memory, far under a worker's budget"}
    )
    max_facts: int = field(default=500, metadata={"why": "a result page of YASR shows at most a few hundred IRIs"})
    box_width: int = field(default=3, metadata={"why": "visible at a glance without hiding the text it frames"})
    box_margin: float = field(
        default=2.0, metadata={"why": "the frame sits just outside the text, never over it (points)"}
    )
    box_colour: tuple[int, int, int] = field(default=(220, 20, 20), metadata={"why": "red reads as 'here'"})


def valid_iri(text: str) -> bool:
    """An absolute IRI that can go between ``<`` and ``>`` in SPARQL.

    >>> valid_iri("https://e/x"), valid_iri("https://e/x> } DROP ALL {"), valid_iri("x")
    (True, False, False)
    """
    return bool(_IRI.fullmatch(text or ""))


def parse_fragment(value: str) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """Page and box (x0, top, x1, bottom in points) of an RFC 3778 fragment as miner writes it.

    >>> parse_fragment("page=3&viewrect=10,20,100,50")
    (3, (10.0, 20.0, 110.0, 70.0))
    >>> parse_fragment("page=2")
    (2, None)
    """
    fields = dict(part.split("=", 1) for part in value.split("&") if "=" in part)
    page = int(fields["page"]) if fields.get("page", "").isdigit() else None
    box = None
    try:
        x, y, w, h = (float(v) for v in fields.get("viewrect", "").split(","))
        box = (x, y, x + w, y + h)
    except ValueError:
        pass
    return page, box


@dataclass(frozen=True)
class Evidence:
    """One place a fact was read from."""

    sha256: str
    file: str
    page: int | None
    box: tuple[float, float, float, float] | None
    quote: str | None

    def image_url(self) -> str:
        params = {"doc": self.sha256, "page": self.page}
        if self.box:
            x0, top, x1, bottom = self.box
            params["box"] = f"{x0:g},{top:g},{x1 - x0:g},{bottom - top:g}"
        return "/evidence/image?" + urlencode(params)


class PageImages:
    """Page images rendered on demand and kept up to a byte budget (least recently used out)."""

    def __init__(self, settings: EvidenceSettings):
        self.settings = settings
        self._cache: OrderedDict[tuple, tuple[bytes, float]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # pdfium is not thread-safe: one render at a time

    def scale(self, width: float, height: float) -> float:
        """Pixels per point: the resolution asked, less for a page that would pass the side cap."""
        return min(self.settings.dpi / 72.0, self.settings.max_side / max(width, height, 1.0))

    def render(self, pdf: Path, page: int, box: tuple[float, float, float, float] | None) -> tuple[bytes, float]:
        """(PNG bytes, pixels per point) of a page with ``box`` (points, origin top-left) drawn."""
        key = (str(pdf), pdf.stat().st_mtime_ns, page, box)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            png, scale = self._draw(pdf, page, box)
            self._cache[key] = (png, scale)
            self._size += len(png)
            while self._size > self.settings.cache_bytes and len(self._cache) > 1:
                _, (old, _) = self._cache.popitem(last=False)
                self._size -= len(old)
            return png, scale

    def _draw(self, pdf: Path, page: int, box: tuple[float, float, float, float] | None) -> tuple[bytes, float]:
        import pypdfium2 as pdfium
        from PIL import ImageDraw

        document = pdfium.PdfDocument(str(pdf))
        try:
            if not 1 <= page <= len(document):
                raise MinerError(f"{pdf.name} has {len(document)} pages, not a page {page}")
            sheet = document[page - 1]
            scale = self.scale(*sheet.get_size())
            image = sheet.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
        if box is not None:
            margin = self.settings.box_margin
            x0, top, x1, bottom = ((v + d) * scale for v, d in zip(box, (-margin, -margin, margin, margin)))
            ImageDraw.Draw(image).rectangle(
                (x0, top, x1, bottom), outline=self.settings.box_colour, width=self.settings.box_width
            )
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue(), scale


LONG_NAME = 80
"""A label longer than this many characters is a text, not a name (a constat's label is its text)."""


def _short(iri: str) -> str:
    """An IRI without a name, as a prefixed name when a known vocabulary holds it.

    >>> _short("http://purl.org/dc/terms/isPartOf")
    'dcterms:isPartOf'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _lang(request: Any) -> str:
    return "en" if request.query_params.get("lang") == "en" else "fr"


def _text(term: Any) -> str:
    return term.value if term is not None else ""


class EvidencePages:
    """The routes' handlers over the endpoint's query function and the store folder's register."""

    def __init__(
        self,
        query: Callable[[str], Any],
        store: Path | None,
        folders: tuple[Path, ...],
        settings: EvidenceSettings,
        reply: Callable[..., Any],
    ):
        self.query = query
        self.store = store
        self.folders = folders
        self.settings = settings
        self.images = PageImages(settings)
        self.reply = reply

    # ---------------------------------------------------------------- reading the graph

    def evidence(self, fact: str) -> list[Evidence]:
        result = self.query(
            f"SELECT DISTINCT ?sha ?file ?frag ?quote WHERE {{ <{fact}> <{MINER}evidence> ?ev . "
            f"?ev <{OA}hasSource> ?doc . ?doc <{MINER}sha256> ?sha . "
            f"OPTIONAL {{ ?doc <{MINER}fileName> ?file }} "
            f"OPTIONAL {{ ?ev <{OA}hasSelector> ?s . ?s a <{OA}FragmentSelector> ; "
            f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?frag }} "
            f"OPTIONAL {{ ?ev <{OA}hasSelector> ?q . ?q <{OA}exact> ?quote }} }} ORDER BY ?frag LIMIT 20"
        )
        found = []
        for sha, file, frag, quote in result.rows:
            page, box = parse_fragment(_text(frag)) if frag is not None else (None, None)
            found.append(Evidence(_text(sha), _text(file) or _text(sha)[:12], page, box, _text(quote) or None))
        return found

    def labels(self, iris: list[str], lang: str) -> dict[str, str]:
        """The best name of each IRI: the first predicate of LABELS that has one, in the page's
        language, else without language, else any."""
        if not iris:
            return {}
        values = " ".join(f"<{i}>" for i in iris)
        preds = " ".join(f"<{p}>" for p in LABELS)
        result = self.query(
            f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {preds} }} ?x ?p ?l }}"
        )
        best: dict[str, tuple[int, int, str]] = {}
        for x, p, label in result.rows:
            language = getattr(label, "language", None)
            rank = (LABELS.index(p.value), 0 if language == lang else 1 if not language else 2, label.value)
            if x.value not in best or rank < best[x.value]:
                best[x.value] = rank
        return {iri: rank[2] for iri, rank in best.items()}

    def names(self, iris: list[str], lang: str) -> dict[str, str]:
        """Each IRI's name: its label, else its type and number ("constat 24"), else a prefixed name.
        A numbered fact whose label is its whole text (a constat) is named by type and number: a
        name goes in a tab title and a table cell."""
        named = self.labels(iris, lang)
        numbered: dict[str, str] = {}
        if iris:
            values = " ".join(f"<{i}>" for i in iris)
            result = self.query(
                f"SELECT ?x ?t ?n WHERE {{ VALUES ?x {{ {values} }} ?x a ?t ; "
                f"<http://www.w3.org/2004/02/skos/core#notation> ?n }} ORDER BY ?x ?t"
            )
            kinds = self.labels(sorted({t.value for _, t, _ in result.rows}), lang)
            for x, kind, number in result.rows:
                numbered.setdefault(x.value, f"{kinds.get(kind.value) or _short(kind.value)} {number.value}")
        for iri, name in numbered.items():
            if iri not in named or len(named[iri]) > LONG_NAME:
                named[iri] = name
        return named | {i: _short(i) for i in iris if i not in named}

    def title(self, iri: str, lang: str) -> str:
        return self.names([iri], lang)[iri]

    def which(self, iris: list[str]) -> list[str]:
        iris = [i for i in dict.fromkeys(iris) if valid_iri(i)][: self.settings.max_facts]
        if not iris:
            return []
        values = " ".join(f"<{i}>" for i in iris)
        result = self.query(
            f"SELECT DISTINCT ?f WHERE {{ VALUES ?f {{ {values} }} ?f <{MINER}evidence> ?ev . "
            f"?ev <{OA}hasSelector> ?s . ?s a <{OA}FragmentSelector> }}"
        )
        return [row[0].value for row in result.rows]

    # ---------------------------------------------------------------- pages

    def _page(self, template: str, **values: Any) -> Any:
        return self.reply(200, render_template(template, csp=None, **values), "text/html; charset=utf-8")

    def _refuse(self, status: int, message: str) -> Any:
        return self.reply(status, message + "\n", "text/plain; charset=utf-8")

    async def evidence_page(self, request: Any) -> Any:
        fact = request.query_params.get("fact", "")
        if not valid_iri(fact):
            return self._refuse(400, "give the fact's IRI: /evidence?fact=IRI")
        lang = _lang(request)
        return await run_in_threadpool(self._evidence_page, fact, lang)

    def _evidence_page(self, fact: str, lang: str) -> Any:
        texts = TEXTS[lang]
        places = []
        for ev in self.evidence(fact):
            held = held_document(self.store, ev.sha256, self.folders) if _SHA.fullmatch(ev.sha256) else None
            places.append(
                {
                    "evidence": ev,
                    "held": held is not None and ev.page is not None,
                    "image": ev.image_url() if held is not None and ev.page is not None else None,
                    "not_held": texts["not_held"].format(file=ev.file, sha=ev.sha256[:12]),
                }
            )
        label = self.title(fact, lang)
        return self._page(
            "evidence.html",
            lang=lang,
            t=texts,
            fact=fact,
            label=label,
            places=places,
            resource="/resource?" + urlencode({"iri": fact, **({"lang": "en"} if lang == "en" else {})}),
        )

    async def image(self, request: Any) -> Any:
        sha = request.query_params.get("doc", "")
        page = request.query_params.get("page", "")
        if not _SHA.fullmatch(sha) or not page.isdigit():
            return self._refuse(400, "give doc=SHA256 and page=N")
        box = None
        if request.query_params.get("box"):
            _, box = parse_fragment("viewrect=" + request.query_params["box"])
            if box is None:
                return self._refuse(400, "box is x,y,width,height in points")
        return await run_in_threadpool(self._image, sha, int(page), box)

    def _image(self, sha: str, page: int, box: Any) -> Any:
        pdf = held_document(self.store, sha, self.folders)
        if pdf is None:
            return self._refuse(404, f"this server does not hold the document {sha[:12]}")
        try:
            png, scale = self.images.render(pdf, page, box)
        except MinerError as exc:
            return self._refuse(404, str(exc))
        return self.reply(200, png, "image/png", {"X-Miner-Scale": f"{scale:.6f}"})

    async def which_facts(self, request: Any) -> Any:
        declared = request.headers.get("content-length") or ""
        if not declared.isdigit() or int(declared) > 256 * 1024:
            return self._refuse(413, "a JSON list of IRIs, under 256 kB")
        try:
            iris = json.loads(await request.body())
        except ValueError:
            return self._refuse(400, "a JSON list of IRIs")
        if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
            return self._refuse(400, "a JSON list of IRIs")
        found = await run_in_threadpool(self.which, iris)
        return self.reply(200, json.dumps(found), "application/json")

    async def css(self, request: Any) -> Any:
        return self.reply(200, (ASSETS / "evidence.css").read_bytes(), "text/css; charset=utf-8")

    async def resource_page(self, request: Any) -> Any:
        iri = request.query_params.get("iri", "")
        if not valid_iri(iri):
            return self._refuse(400, "give the resource's IRI: /resource?iri=IRI")
        return await run_in_threadpool(self._resource_page, iri, _lang(request))

    def _resource_page(self, iri: str, lang: str) -> Any:
        limit = self.settings.max_facts
        out = self.query(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o LIMIT {limit}")
        into = self.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?p ?s LIMIT {limit}")
        named = {iri} | {t.value for row in out.rows + into.rows for t in row if isinstance(t, ox.NamedNode)}
        labels = self.names(sorted(named), lang)
        suffix = {"lang": "en"} if lang == "en" else {}

        def term(t: Any) -> dict[str, Any]:
            if isinstance(t, ox.NamedNode):
                return {
                    "text": labels.get(t.value) or _short(t.value),
                    "iri": t.value,
                    "href": "/resource?" + urlencode({"iri": t.value, **suffix}),
                }
            return {
                "text": t.value,
                "iri": None,
                "href": None,
                "lang": getattr(t, "language", None) if isinstance(t, ox.Literal) else None,
            }

        types = [term(o) for p, o in out.rows if p.value == RDF_TYPE]
        outgoing = [
            (term(p), term(o))
            for p, o in out.rows
            if p.value != RDF_TYPE and not (p.value in LABELS and isinstance(o, ox.Literal))
        ]
        incoming = [(term(s), term(p)) for s, p in into.rows]
        has_page = bool(self.which([iri]))
        evidence = "/evidence?" + urlencode({"fact": iri, **suffix}) if has_page else None
        return self._page(
            "resource.html",
            lang=lang,
            t=TEXTS[lang],
            iri=iri,
            label=self.title(iri, lang),
            types=types,
            outgoing=outgoing,
            incoming=incoming,
            evidence=evidence,
        )


def evidence_routes(
    query: Callable[[str], Any],
    store: Path | None,
    folders: tuple[Path, ...],
    reply: Callable[..., Any],
    settings: EvidenceSettings | None = None,
) -> list[Route]:
    """The evidence and resource routes over ``query`` (the endpoint's own, screened and pooled)."""
    pages = EvidencePages(query, store, folders, settings or EvidenceSettings(), reply)
    return [
        Route("/evidence", pages.evidence_page, methods=["GET", "HEAD"]),
        Route("/evidence/image", pages.image, methods=["GET", "HEAD"]),
        Route("/evidence/which", pages.which_facts, methods=["POST"]),
        Route("/resource", pages.resource_page, methods=["GET", "HEAD"]),
        Route("/assets/evidence.css", pages.css, methods=["GET", "HEAD"]),
    ]
