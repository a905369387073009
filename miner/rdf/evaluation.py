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
from typing import Any

from rdflib import Graph, Literal, URIRef

from miner import __version__
from miner.errors import InputError
from miner.extract.cycles import Cycle, cycle_inference_of_evaluation
from miner.extract.quantities import member_statements_of_evaluation
from miner.rdf.cycles import add_cycle_details, add_document_figures, add_quantities
from miner.rdf.document import DocumentGraph, DocumentInfo
from miner.rdf.summary import add_summaries
from miner.rdf.vocab import DCTERMS, MINER, ORG, PROV, QB, RDF, RDFS, SKOS, XSD, Minter, judgement_concept, slugify
from miner.records import CycleInference, Evaluation, Provenance
from miner.settings import resolve_settings

__all__ = ["GraphSettings", "build_evaluation_graph"]


@dataclass
class GraphSettings:
    """How records become RDF.

    ``cycle`` overrides the cycle read from the text (``"triennat-7"``); ``generated_at`` fixes the
    run time (ISO string or datetime) so tests get identical graphs; ``version`` is miner's;
    ``found`` is the cycle the pipeline's cycles step found (``ctx.cycle_of``), written as it is
    rather than inferred again.
    """

    base_iri: str | None = None
    cycle: str | Cycle | None = None
    found: CycleInference | None = None
    generated_at: dt.datetime | str | None = None
    version: str = __version__
    minter: Minter = field(init=False)

    def __post_init__(self) -> None:
        self.minter = Minter(self.base_iri)
        if isinstance(self.generated_at, str):
            self.generated_at = dt.datetime.fromisoformat(self.generated_at)

    @classmethod
    def resolve(cls, value: "GraphSettings | dict[str, Any] | None") -> "GraphSettings":
        return resolve_settings(cls, value)


class _Builder(DocumentGraph):
    """Accumulates the triples of one evaluation's graph; one method per kind of record."""

    def __init__(self, evaluation: Evaluation, settings: GraphSettings):
        source = evaluation.source
        if not evaluation.metadata.cluster and evaluation.questions:
            raise InputError(source.path, "no cluster name found in the report's metadata; cannot name its facts")
        m = settings.minter
        info = DocumentInfo(
            source.sha256, source.path, source.pages, source.title, evaluation.metadata.fictitious, ocr=source.ocr
        )
        super().__init__(
            m.graph(source.sha256),
            info,
            m,
            run=m.run(source.sha256),
            generated_at=settings.generated_at,
            version=settings.version,
        )
        self.ev = evaluation
        self.settings = settings
        self.cluster_name = evaluation.metadata.cluster or "unknown"
        self.language = evaluation.metadata.language or "fr"  # the tag of the report's own texts
        self.found = settings.found or cycle_inference_of_evaluation(evaluation, settings.cycle)
        self.cycle = self.found.cycle
        c, y = self.cluster_name, self.cycle.slug
        self.cluster = self.m.cluster(c)
        self.cycle_iri = self.m.cycle(c, y)
        self.evaluation = self.m.evaluation(c, y)
        self.judgements = self.m.dataset(c, y, "judgements")
        self.members = self.m.dataset(c, y, "members")

    def fact(self, fact: URIRef, prov: Provenance | None, pages: list[int], quote: str | None) -> None:
        """A fact of the evaluation: part of it, with its page, box and quote."""
        if fact != self.evaluation:
            self.add(fact, DCTERMS.isPartOf, self.evaluation)
        page = (prov.page if prov else None) or (pages[0] if pages else None)
        quote = (prov.quote if prov and prov.quote else None) or quote
        self.provenance(fact, evidence=self.m.evidence(fact), page=page, bbox=prov.bbox if prov else None, quote=quote)

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
        cycle, iri = self.cycle, self.declare_cycle(self.cluster, self.cycle, self.cycle_iri)
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
        if meta.language:  # the report's language; its texts carry the same tag
            self.add(ev, DCTERMS.language, URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{meta.language}"))
        if meta.evaluator:
            self.add(ev, PROV.wasAttributedTo, self.organisation(meta.evaluator))
        if meta.commissioner:
            self.add(ev, MINER.commissionedBy, self.organisation(meta.commissioner))
        self.fact(ev, meta.provenance, [1], None)
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
            self.add(q, MINER.text, Literal(question.text, lang=self.language))
            self.add(q, RDFS.label, Literal(question.text, lang=self.language))
            if question.conclusion.strip():
                self.add(q, MINER.conclusion, question.conclusion.strip())
            self.fact(q, question.provenance, question.pages, question.text)
            for criterion in question.criteria:
                slug = slugify(criterion.theme)
                if used_slugs.setdefault(slug, criterion.id) != criterion.id:
                    slug = f"{slug}-{criterion.id.replace('.', '-')}"  # two rows, one theme: keep both
                crit = self.m.criterion(slug)
                self.add(q, MINER.hasCriterion, crit)
                self.add(crit, RDF.type, MINER.Criterion)
                self.add(crit, SKOS.prefLabel, Literal(criterion.theme, lang=self.language))
                self.add(crit, MINER.theme, criterion.theme)
                self.add(crit, MINER.text, Literal(criterion.criterion, lang=self.language))
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
                self.add(obs, SKOS.notation, criterion.id)
                self.add(obs, MINER.localId, criterion.id)  # its subproperty, for earlier queries
                if criterion.judgement is not None:
                    self.add(obs, MINER.judgement, judgement_concept(criterion.judgement.value))
                quote = criterion.judgement.value if criterion.judgement else criterion.criterion
                self.fact(obs, criterion.provenance, criterion.pages, quote)
        return observations

    def constats(self, observations: dict[str, URIRef]) -> None:
        c, y = self.cluster_name, self.cycle.slug
        for constat in self.ev.constats:
            k = self.m.constat(c, y, constat.number)
            self.add(k, RDF.type, MINER.Constat)
            self.add(k, SKOS.notation, Literal(constat.number, datatype=XSD.integer))
            self.add(k, MINER.constatNumber, Literal(constat.number, datatype=XSD.integer))  # its subproperty
            self.add(k, MINER.text, Literal(constat.text, lang=self.language))
            self.add(k, RDFS.label, Literal(constat.text, lang=self.language))
            number = constat.question
            if number is None and constat.criteria:
                number = int(constat.criteria[0].split(".")[0])
            if number is not None:
                self.add(k, MINER.question, self.m.question(c, y, number))
            for criterion_id in constat.criteria:
                if criterion_id in observations:
                    self.add(k, MINER.justifies, observations[criterion_id])
            self.fact(k, constat.provenance, constat.pages, constat.text)
            if constat.confidence is not None:
                self.add(k, MINER.ocrConfidence, Literal(f"{constat.confidence:g}", datatype=XSD.decimal))
            if constat.low_confidence:
                self.add(k, MINER.lowConfidence, Literal(True))

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
            source = (
                self.m.constat(c, y, located.number)
                if located.source == "constat"
                else self.m.question(c, y, located.number)
            )
            self.add(obs, PROV.wasQuotedFrom, source)
            self.fact(obs, None, [located.page] if located.page else [], statement.quote)


def build_evaluation_graph(evaluation: Evaluation, settings: GraphSettings | dict | None = None) -> Graph:
    """The named graph of one evaluation report: every fact with its provenance."""
    builder = _Builder(evaluation, GraphSettings.resolve(settings))
    if not evaluation.metadata.cluster:
        add_document_figures(builder)  # not an evaluation report: the document and its stated figures
        return builder.g
    builder.evaluation_and_context()
    observations = builder.questions()
    builder.constats(observations)
    builder.member_counts()

    add_cycle_details(builder)
    add_quantities(builder)
    add_summaries(builder)
    return builder.g
