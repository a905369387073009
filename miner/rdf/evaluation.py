"""Records → RDF: one named graph per source document, provenance on every fact.

An :class:`~miner.records.Evaluation` becomes the quads of one named graph (``<base>graph/<sha256>``)
holding the cluster, the cycle, the evaluation, its questions, criteria, judgements (RDF Data Cube
observations: cluster × criterion × cycle), constats and stated member counts. Every fact carries
``prov:wasDerivedFrom`` its document, ``prov:wasGeneratedBy`` the extraction run (miner's version
and time), ``miner:page`` and a Web Annotation ``miner:evidence`` (exact quote, PDF fragment with page
and box). IRIs come from :class:`~miner.rdf.vocab.Minter`; no blank node is made, so loading the same
document twice replaces its graph instead of growing it.

>>> from miner.records import Evaluation, Metadata, SourceInfo
>>> ev = Evaluation(source=SourceInfo(path="r.pdf", sha256="ab" * 32, pages=3),
...                 metadata=Metadata(cluster="Demo"))
>>> g = build_evaluation_graph(ev, GraphSettings(base_iri="https://example.org/", cycle="triennat-2",
...                                              generated_at="2025-01-01T00:00:00+00:00"))
>>> str(g.identifier)
'https://example.org/graph/abababababababababababababababababababababababababababababababab'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath

from rdflib import Graph, Literal, URIRef

from miner import __version__
from miner.errors import InputError
from miner.extract.cycles import Cycle, cycle_of_evaluation
from miner.extract.quantities import member_statements_of_evaluation
from miner.rdf.cycles import add_cycle_details, add_quantities
from miner.rdf.vocab import (
    DCTERMS,
    MINER,
    OA,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    Minter,
    judgement_concept,
    slugify,
)
from miner.records import BBox, Evaluation, Provenance

__all__ = ["GraphSettings", "build_evaluation_graph", "pdf_fragment"]

RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")
"""The PDF fragment identifier spec that FragmentSelector values (page=, viewrect=) follow."""

MEDIA_TYPES = {".pdf": "application/pdf", ".json": "application/json", ".csv": "text/csv",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class GraphSettings:
    """How records become RDF.

    ``cycle`` overrides the cycle read from the text (``"triennat-7"``); ``generated_at`` fixes the
    run time (ISO string or datetime) so tests get identical graphs; ``version`` is miner's.
    """

    base_iri: str | None = None
    cycle: str | Cycle | None = None
    generated_at: dt.datetime | str | None = None
    version: str = __version__
    minter: Minter = field(init=False)

    def __post_init__(self) -> None:
        self.minter = Minter(self.base_iri)
        if isinstance(self.generated_at, str):
            self.generated_at = dt.datetime.fromisoformat(self.generated_at)

    @classmethod
    def resolve(cls, value: "GraphSettings | dict | None") -> "GraphSettings":
        if value is None:
            return cls()
        if isinstance(value, dict):
            return cls(**value)
        return value


def pdf_fragment(page: int, bbox: BBox | None = None) -> str:
    """An RFC 3778 fragment for a page and, if known, a box (x, y, width, height in points).

    >>> pdf_fragment(3, (10, 20, 110, 70))
    'page=3&viewrect=10,20,100,50'
    """
    if bbox is None:
        return f"page={page}"
    x0, top, x1, bottom = (round(v) for v in bbox)
    return f"page={page}&viewrect={x0},{top},{x1 - x0},{bottom - top}"


class _Builder:
    """Accumulates the triples of one document's graph; one method per kind of record."""

    def __init__(self, evaluation: Evaluation, settings: GraphSettings):
        self.ev = evaluation
        self.settings = settings
        self.m = settings.minter
        source = evaluation.source
        if not evaluation.metadata.cluster and evaluation.questions:
            raise InputError(source.path, "no cluster name found in the report's metadata; cannot name its facts")
        self.cluster_name = evaluation.metadata.cluster or "unknown"
        self.cycle = cycle_of_evaluation(evaluation, settings.cycle)
        self.doc = self.m.document(source.sha256)
        self.run = self.m.run(source.sha256)
        self.g = Graph(identifier=self.m.graph(source.sha256))
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        c, y = self.cluster_name, self.cycle.slug
        self.cluster = self.m.cluster(c)
        self.cycle_iri = self.m.cycle(c, y)
        self.evaluation = self.m.evaluation(c, y)
        self.judgements = self.m.dataset(c, y, "judgements")
        self.members = self.m.dataset(c, y, "members")

    def add(self, s: URIRef, p: URIRef, o) -> None:  # noqa: ANN001
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    def provenance(self, fact: URIRef, prov: Provenance | None, pages: list[int], quote: str | None) -> None:
        """The document, run, page and Web Annotation evidence of one fact."""
        self.add(fact, PROV.wasDerivedFrom, self.doc)
        self.add(fact, PROV.wasGeneratedBy, self.run)
        if fact != self.evaluation:
            self.add(fact, DCTERMS.isPartOf, self.evaluation)
        page = (prov.page if prov else None) or (pages[0] if pages else None)
        bbox = prov.bbox if prov else None
        quote = (prov.quote if prov and prov.quote else None) or quote
        if page is None and not quote:
            return
        evidence = self.m.evidence(fact)
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

    def document(self) -> None:
        source, g = self.ev.source, self.g
        self.add(self.doc, RDF.type, MINER.SourceDocument)
        self.add(self.doc, MINER.sha256, source.sha256)
        self.add(self.doc, MINER.fileName, PurePath(source.path).name)
        self.add(self.doc, MINER.pageCount, Literal(source.pages, datatype=XSD.integer))
        media = MEDIA_TYPES.get(PurePath(source.path).suffix.lower())
        if media:
            self.add(self.doc, DCTERMS.format, media)
        if source.title:
            self.add(self.doc, DCTERMS.title, source.title)
        if self.ev.metadata.fictitious:
            self.add(self.doc, MINER.fictitious, Literal(True))
        agent = self.m.agent(self.settings.version)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, f"miner {self.settings.version}")
        self.add(agent, MINER.softwareVersion, self.settings.version)
        started = self.settings.generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.add(self.run, RDF.type, MINER.ExtractionRun)
        self.add(self.run, PROV.used, self.doc)
        self.add(self.run, PROV.wasAssociatedWith, agent)
        self.add(self.run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime))
        self.add(self.run, MINER.softwareVersion, self.settings.version)
        self.add(g.identifier, PROV.wasDerivedFrom, self.doc)  # type: ignore[arg-type]

    def organisation(self, name: str) -> URIRef:
        iri = self.m.organisation(name)
        self.add(iri, RDF.type, ORG.Organization)
        self.add(iri, SKOS.prefLabel, Literal(name, lang="fr"))
        return iri

    def evaluation_and_context(self) -> None:
        meta = self.ev.metadata
        self.add(self.cluster, RDF.type, ORG.OrganizationalCollaboration)
        self.add(self.cluster, SKOS.prefLabel, Literal(self.cluster_name, lang="fr"))
        self.add(self.cluster, RDFS.label, self.cluster_name)
        cycle, iri = self.cycle, self.cycle_iri
        self.add(iri, RDF.type, MINER.Cycle)
        self.add(iri, RDF.type, TIME.Interval)
        self.add(iri, MINER.cycleKind, cycle.kind)
        if cycle.ordinal is not None:
            self.add(iri, MINER.ordinal, Literal(cycle.ordinal, datatype=XSD.integer))
        self.add(iri, MINER.cycleOf, self.cluster)
        self.add(iri, RDFS.label, Literal(cycle.label, lang="fr"))
        ev = self.evaluation
        self.add(ev, RDF.type, MINER.Evaluation)
        self.add(ev, MINER.evaluatedCluster, self.cluster)
        self.add(ev, MINER.cycle, iri)
        if meta.date:
            self.add(ev, DCTERMS.date, Literal(meta.date.isoformat(), datatype=XSD.date))
        if meta.title:
            self.add(ev, DCTERMS.title, meta.title)
        if meta.kind:
            self.add(ev, DCTERMS.type, meta.kind)
        if meta.evaluator:
            self.add(ev, PROV.wasAttributedTo, self.organisation(meta.evaluator))
        if meta.commissioner:
            self.add(ev, MINER.commissionedBy, self.organisation(meta.commissioner))
        self.provenance(ev, meta.provenance, [1], None)
        for dataset, structure, label in (
            (self.judgements, MINER.judgementStructure, "jugements"),
            (self.members, MINER.memberCountStructure, "membres"),
        ):
            self.add(dataset, RDF.type, QB.DataSet)
            self.add(dataset, QB.structure, structure)
            self.add(dataset, RDFS.label, Literal(f"{label} — {self.cluster_name}, {cycle.label}", lang="fr"))
            self.add(dataset, DCTERMS.isPartOf, ev)

    def questions(self) -> dict[str, URIRef]:
        """Questions, criteria and judgements; returns judgement IRIs by criterion local id."""
        c, y = self.cluster_name, self.cycle.slug
        observations: dict[str, URIRef] = {}
        used_slugs: dict[str, str] = {}
        for question in self.ev.questions:
            q = self.m.question(c, y, question.number)
            self.add(self.evaluation, MINER.hasQuestion, q)
            self.add(q, RDF.type, MINER.EvaluationQuestion)
            self.add(q, MINER.questionNumber, Literal(question.number, datatype=XSD.integer))
            self.add(q, MINER.text, question.text)
            if question.conclusion.strip():
                self.add(q, MINER.conclusion, question.conclusion.strip())
            self.provenance(q, question.provenance, question.pages, question.text)
            for criterion in question.criteria:
                slug = slugify(criterion.theme)
                if used_slugs.setdefault(slug, criterion.id) != criterion.id:
                    slug = f"{slug}-{criterion.id.replace('.', '-')}"  # two rows, one theme: keep both
                crit = self.m.criterion(slug)
                self.add(q, MINER.hasCriterion, crit)
                self.add(crit, RDF.type, MINER.Criterion)
                self.add(crit, SKOS.prefLabel, Literal(criterion.theme, lang="fr"))
                self.add(crit, MINER.theme, criterion.theme)
                self.add(crit, MINER.text, criterion.criterion)
                self.add(crit, MINER.questionNumber, Literal(question.number, datatype=XSD.integer))
                obs = self.m.judgement(c, y, slug)
                observations[criterion.id] = obs
                self.add(obs, RDF.type, MINER.JudgementObservation)
                self.add(obs, RDF.type, QB.Observation)
                self.add(obs, QB.dataSet, self.judgements)
                self.add(obs, MINER.cluster, self.cluster)
                self.add(obs, MINER.criterion, crit)
                self.add(obs, MINER.cycle, self.cycle_iri)
                self.add(obs, MINER.question, q)
                self.add(obs, MINER.localId, criterion.id)
                if criterion.judgement is not None:
                    self.add(obs, MINER.judgement, judgement_concept(criterion.judgement.value))
                quote = criterion.judgement.value if criterion.judgement else criterion.criterion
                self.provenance(obs, criterion.provenance, criterion.pages, quote)
        return observations

    def constats(self, observations: dict[str, URIRef]) -> None:
        c, y = self.cluster_name, self.cycle.slug
        for constat in self.ev.constats:
            k = self.m.constat(c, y, constat.number)
            self.add(k, RDF.type, MINER.Constat)
            self.add(k, MINER.constatNumber, Literal(constat.number, datatype=XSD.integer))
            self.add(k, MINER.text, constat.text)
            number = constat.question
            if number is None and constat.criteria:
                number = int(constat.criteria[0].split(".")[0])
            if number is not None:
                self.add(k, MINER.question, self.m.question(c, y, number))
            for criterion_id in constat.criteria:
                if criterion_id in observations:
                    self.add(k, MINER.justifies, observations[criterion_id])
            self.provenance(k, constat.provenance, constat.pages, constat.text)

    def member_counts(self) -> None:
        c, y = self.cluster_name, self.cycle.slug
        for located in member_statements_of_evaluation(self.ev):
            obs = self.m.member_count(c, y, located.key)
            self.add(obs, RDF.type, MINER.MemberCountObservation)
            self.add(obs, RDF.type, QB.Observation)
            self.add(obs, QB.dataSet, self.members)
            self.add(obs, MINER.cluster, self.cluster)
            self.add(obs, MINER.cycle, self.cycle_iri)
            statement = located.statement
            if statement.kind == "count":
                self.add(obs, MINER.memberCount, Literal(int(statement.value), datatype=XSD.integer))
            else:
                self.add(obs, MINER.memberGrowth, Literal(f"{statement.value:g}", datatype=XSD.decimal))
            source = (self.m.constat(c, y, located.number) if located.source == "constat"
                      else self.m.question(c, y, located.number))
            self.add(obs, PROV.wasQuotedFrom, source)
            self.provenance(obs, None, [located.page] if located.page else [], statement.quote)


def build_evaluation_graph(evaluation: Evaluation, settings: GraphSettings | dict | None = None) -> Graph:
    """The named graph of one evaluation report: every fact with its provenance."""
    builder = _Builder(evaluation, GraphSettings.resolve(settings))
    builder.document()
    if not evaluation.metadata.cluster:
        from miner.rdf.cycles import add_document_figures

        add_document_figures(builder)  # not an evaluation report: the document and its stated figures
        return builder.g
    builder.evaluation_and_context()
    observations = builder.questions()
    builder.constats(observations)
    builder.member_counts()

    add_cycle_details(builder)
    add_quantities(builder)
    return builder.g
