"""One document's named graph: the document, the run that read it, its agents, and the provenance
of every fact. Every graph writer (evaluations, organisations, member lists, activity lists)
builds on :class:`DocumentGraph`, so the pattern is written once:

- the document is a ``miner:SourceDocument`` (sha256, file name, pages, media type, title, and
  ``miner:fictitious`` when its first page says it is not real);
- the run is a ``miner:ExtractionRun`` that ``prov:used`` the document, started at a time, by
  software agents (miner and its version; the axis model for annotations);
- a fact ``prov:wasDerivedFrom`` the document and ``prov:wasGeneratedBy`` the run, with a Web
  Annotation ``oa:SpecificResource`` as evidence: an RFC 3778 fragment (page and box) and the
  quote;
- a document read (partly) by OCR has ``miner:ocr true``, and its run the engine, its version and
  language, and one ``miner:OcrPage`` per page with its words' mean confidence;
- a cycle is declared by :meth:`DocumentGraph.declare_cycle`, the one place its triples are written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Sequence

from rdflib import Graph, Literal, URIRef

from miner import __version__
from miner.extract.cycles import Cycle
from miner.rdf.vocab import DCTERMS, MINER, OA, PREFIXES, PROV, RDF, RDFS, TIME, XSD, Minter
from miner.records import BBox, OcrInfo

__all__ = ["RFC3778", "MEDIA_TYPES", "DocumentInfo", "DocumentGraph", "pdf_fragment", "run_time"]

RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")
"""The PDF fragment identifier spec that FragmentSelector values (page=, viewrect=) follow."""

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class DocumentInfo:
    """What the graph says of its source document."""

    sha256: str
    path: str | None = None
    pages: int | None = None
    title: str | None = None
    fictitious: bool = False
    ocr: OcrInfo | None = None


def pdf_fragment(page: int, bbox: BBox | None = None) -> str:
    """An RFC 3778 fragment for a page and, if known, a box (x, y, width, height in points).

    >>> pdf_fragment(3, (10, 20, 110, 70))
    'page=3&viewrect=10,20,100,50'
    """
    if bbox is None:
        return f"page={page}"
    x0, top, x1, bottom = (round(v) for v in bbox)
    return f"page={page}&viewrect={x0},{top},{x1 - x0},{bottom - top}"


def run_time(value: dt.datetime | str | None) -> dt.datetime:
    """The run's start: as given (tests fix it for identical graphs), else now (UTC, to the second).

    >>> run_time("2025-01-01T00:00:00+00:00").year
    2025
    """
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class DocumentGraph:
    """The triples of one document's named graph, with its document, run and agents declared.

    ``agents`` are (IRI key, label, version) of the software that made the facts; miner itself is
    always one of them.

    >>> b = DocumentGraph(URIRef("urn:g"), DocumentInfo("ab" * 32, "a.pdf", 3), Minter(), run=URIRef("urn:run"),
    ...                   generated_at="2025-01-01T00:00:00+00:00")
    >>> b.provenance(URIRef("urn:fact"), evidence=URIRef("urn:ev"), page=2, quote="mot")
    >>> (URIRef("urn:ev/page"), RDF.value, Literal("page=2")) in b.g
    True
    """

    def __init__(
        self,
        graph: URIRef,
        info: DocumentInfo,
        minter: Minter,
        *,
        run: URIRef,
        agents: Sequence[tuple[str, str, str]] = (),
        generated_at: dt.datetime | str | None = None,
        version: str = __version__,
    ):
        self.m = minter
        self.info = info
        self.doc = minter.document(info.sha256)
        self.run = run
        self.g = Graph(identifier=graph)
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self._declare_document()
        self._declare_run(run_time(generated_at), [(f"{version}", f"miner {version}", version), *agents])
        if info.ocr is not None:
            self._declare_ocr(info.ocr)

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    def _declare_document(self) -> None:
        info, doc = self.info, self.doc
        self.add(doc, RDF.type, MINER.SourceDocument)
        self.add(doc, MINER.sha256, info.sha256)
        if info.path is not None:
            self.add(doc, MINER.fileName, PurePath(info.path).name)
            media = MEDIA_TYPES.get(PurePath(info.path).suffix.lower())
            if media:
                self.add(doc, DCTERMS.format, media)
        if info.pages is not None:
            self.add(doc, MINER.pageCount, Literal(info.pages, datatype=XSD.integer))
        if info.title:
            self.add(doc, DCTERMS.title, info.title)
        if info.fictitious:
            self.add(doc, MINER.fictitious, Literal(True))
        self.add(self.g.identifier, PROV.wasDerivedFrom, doc)  # type: ignore[arg-type]

    def _declare_run(self, started: dt.datetime, agents: Sequence[tuple[str, str, str]]) -> None:
        run = self.run
        self.add(run, RDF.type, MINER.ExtractionRun)
        self.add(run, PROV.used, self.doc)
        self.add(run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime))
        self.add(run, MINER.softwareVersion, agents[0][2])
        for key, label, version in agents:
            agent = self.m.agent(key)
            self.add(agent, RDF.type, PROV.SoftwareAgent)
            self.add(agent, RDFS.label, label)
            self.add(agent, MINER.softwareVersion, version)
            self.add(run, PROV.wasAssociatedWith, agent)

    def _declare_ocr(self, info: OcrInfo) -> None:
        """The document was (partly) read by OCR: the engine on the run, a confidence per page."""
        self.add(self.doc, MINER.ocr, Literal(True))
        self.add(self.run, MINER.ocrEngine, info.engine)
        self.add(self.run, MINER.ocrEngineVersion, info.version)
        self.add(self.run, MINER.ocrLanguage, info.language)
        for page in info.pages:
            node = self.m.ocr_page(self.info.sha256, page.page)
            self.add(self.run, MINER.ocrPage, node)
            self.add(node, RDF.type, MINER.OcrPage)
            self.add(node, MINER.page, Literal(page.page, datatype=XSD.integer))
            self.add(node, MINER.wordCount, Literal(page.words, datatype=XSD.integer))
            if page.confidence is not None:
                self.add(node, MINER.meanConfidence, Literal(f"{page.confidence:g}", datatype=XSD.decimal))

    def provenance(
        self,
        fact: URIRef,
        *,
        evidence: URIRef,
        page: int | None = None,
        bbox: BBox | None = None,
        quote: str | None = None,
    ) -> None:
        """The document, run, page, box and quote a fact was read from."""
        self.add(fact, PROV.wasDerivedFrom, self.doc)
        self.add(fact, PROV.wasGeneratedBy, self.run)
        if page is None and not quote:
            return
        self.add(fact, MINER.evidence, evidence)
        self.add(evidence, RDF.type, OA.SpecificResource)
        self.add(evidence, OA.hasSource, self.doc)
        if page is not None:
            self.add(fact, MINER.page, Literal(page, datatype=XSD.integer))
            fragment = URIRef(f"{evidence}/page")
            self.add(evidence, OA.hasSelector, fragment)
            self.add(fragment, RDF.type, OA.FragmentSelector)
            self.add(fragment, DCTERMS.conformsTo, RFC3778)
            self.add(fragment, RDF.value, pdf_fragment(page, bbox))
        if quote:
            selector = URIRef(f"{evidence}/quote")
            self.add(evidence, OA.hasSelector, selector)
            self.add(selector, RDF.type, OA.TextQuoteSelector)
            self.add(selector, OA.exact, quote)

    def declare_cycle(self, cluster: URIRef, cycle: Cycle, iri: URIRef) -> URIRef:
        """Declare a funding cycle of a cluster (the one place cycle triples are written)."""
        self.add(iri, RDF.type, MINER.Cycle)
        self.add(iri, RDF.type, TIME.Interval)
        self.add(iri, MINER.cycleKind, cycle.kind)
        if cycle.ordinal is not None:
            self.add(iri, MINER.ordinal, Literal(cycle.ordinal, datatype=XSD.integer))
        self.add(iri, MINER.cycleOf, cluster)
        self.add(iri, RDFS.label, Literal(cycle.label, lang="fr"))
        return iri
