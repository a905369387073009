"""Organisations, relations, member lists and composition statements → RDF, with provenance.

Each source document gets a second named graph beside its facts, ``<base>graph/<sha256>/organisations``,
holding the organisations it names (W3C ORG, one IRI per resolved organisation, its spellings as
``skos:altLabel``, its type as ``org:classification`` in the ``miner:organisationTypes`` scheme, ``miner:mentionedIn`` the
document), the relations it states (``miner:Partnership``), the member counts it states outside
an evaluation's constats (the atlas: "149 entités constituent le cluster"), the members per province
its constats state (``miner:ProvinceMemberCountObservation``) and, for a member list, one
``org:Membership`` per member for the cycle given. Loading a document again replaces that graph.

IRIs: a cluster is ``<base>cluster/<slug>`` like the evaluated cluster of ``miner.rdf.evaluation``, any
other organisation ``<base>organisation/<slug>``; a member with a valid BCE number is
``<base>organisation/bce-<digits>`` so the same company meets itself across lists and cycles.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rdflib import Graph, Literal, URIRef

from miner.extract.cycles import Cycle, cycle_of_evaluation, parse_cycle
from miner.extract.members import members_by_province
from miner.extract.organisations import GAZETTEER_TYPES, ORG_TYPES, UNKNOWN, Mention, fold_name, resolve_mentions
from miner.extract.quantities import find_member_statements
from miner.nlp.french import actor_types, canonical_name, get_nlp
from miner.nlp.geography import province_statements_of_evaluation
from miner.nlp.text import strip_accents
from miner.rdf.document import DocumentGraph, DocumentInfo
from miner.rdf.vocab import (
    ADMS,
    BCE_AGENCY,
    DCTERMS,
    LOCN,
    MINER,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    ROV,
    SKOS,
    XSD,
    Minter,
    province_concept,
    slugify,
)

__all__ = [
    "OrgGraph",
    "member_list_graph",
    "organisation_iri",
    "organisations_graph",
    "type_concept",
]


def type_concept(kind: str) -> URIRef:
    """The ``miner:organisationTypes`` concept of a French type label ("PME" → miner:SME)."""

    return MINER[ORG_TYPES.get(kind, ORG_TYPES[UNKNOWN])]


def organisation_iri(minter: Minter, key: str, kind: str) -> URIRef:
    """Clusters share the namespace of evaluated clusters; everything else is an organisation."""
    return minter.cluster(key) if kind == "cluster" else minter.organisation(key)


class OrgGraph(DocumentGraph):
    """Accumulates one document's organisations graph (beside its facts graph, same document)."""

    def __init__(self, info: DocumentInfo, minter: Minter, generated_at: dt.datetime | str | None = None):
        super().__init__(
            minter.organisations_graph(info.sha256),
            info,
            minter,
            run=URIRef(f"{minter.run(info.sha256)}/organisations"),
            generated_at=generated_at,
        )
        self.g.bind("org", ORG._NS)

    def fact(self, fact: URIRef, page: int | None, quote: str | None) -> None:
        """Evidence IRIs are per document, since the same organisation is named by many documents."""
        self.provenance(fact, evidence=URIRef(f"{fact}/evidence/{self.info.sha256[:16]}"), page=page, quote=quote)

    def cluster(self, name: str, *, labelled: bool = True) -> URIRef:
        iri = self.m.cluster(name)
        self.add(iri, RDF.type, ORG.OrganizationalCollaboration)
        self.add(iri, RDF.type, ORG.Organization)
        self.classify(iri, "cluster")
        self.add(iri, MINER.mentionedIn, self.doc)
        if labelled:
            self.add(iri, RDFS.label, name)
            self.add(iri, SKOS.prefLabel, Literal(name, lang="fr"))
        return iri

    def cycle(self, cluster_name: str, cycle: Cycle) -> URIRef:
        return self.declare_cycle(self.m.cluster(cluster_name), cycle, self.m.cycle(cluster_name, cycle.slug))

    def organisation(self, iri: URIRef, name: str | None, kind: str, variants: list[str] = ()) -> URIRef:
        """An organisation node; ``name`` None keeps the label to the document that owns it."""
        self.add(iri, RDF.type, ORG.Organization)
        if name:
            self.add(iri, SKOS.prefLabel, Literal(name, lang="fr"))
            self.add(iri, RDFS.label, name)
        for variant in variants:
            if variant != name:
                self.add(iri, SKOS.altLabel, Literal(variant, lang="fr"))
        self.classify(iri, kind)
        self.add(iri, MINER.mentionedIn, self.doc)
        return iri

    def classify(self, iri: URIRef, kind: str) -> None:
        """The type as org:classification, and as miner:organisationType (its subproperty) for the
        queries of earlier versions."""
        concept = type_concept(kind)
        self.add(iri, ORG.classification, concept)
        self.add(iri, MINER.organisationType, concept)

    def seat(self, iri: URIRef, member: Any) -> None:
        """A member's BCE number as a rov:registration identifier, its seat as a locn:address and
        its province as the provinces concept (dcterms:spatial)."""
        if member.bce_status == "valid":
            number = URIRef(f"{iri}/registration")
            self.add(iri, ROV.registration, number)
            self.add(number, RDF.type, ADMS.Identifier)
            self.add(number, SKOS.notation, member.bce)
            self.add(number, ADMS.schemaAgency, BCE_AGENCY)
        if member.postal_code or member.municipality:
            address = URIRef(f"{iri}/address")
            self.add(iri, LOCN.address, address)
            self.add(address, RDF.type, LOCN.Address)
            if member.postal_code:
                self.add(address, LOCN.postCode, member.postal_code)
            if member.municipality:
                self.add(address, LOCN.postName, member.municipality)
            if member.province:
                self.add(address, LOCN.adminUnitL2, member.province)
        if member.province:  # Brussels-Capital is a region in no province: miner:region says it
            self.add(iri, DCTERMS.spatial, province_concept(member.province))
        if member.region:
            self.add(iri, MINER.region, member.region)


def organisations_graph(
    evaluation: Any,
    index: Any,
    *,
    base_iri: str | None = None,
    cycle: str | None = None,
    generated_at: str | dt.datetime | None = None,
    found: Any = None,
) -> Graph:
    """The organisations graph of one document from its :class:`~miner.extract.organisations.OrganisationIndex`;
    ``found``: the cycle the pipeline's cycles step found for it (a CycleInference), else inferred here."""

    minter, when = Minter(base_iri), generated_at
    src = evaluation.source
    b = OrgGraph(
        DocumentInfo(src.sha256, src.path, src.pages, fictitious=evaluation.metadata.fictitious, ocr=src.ocr),
        minter,
        when,
    )
    meta = evaluation.metadata
    evaluated_key = fold_name(meta.cluster) if meta.cluster else None
    evaluated_key = index.aliases.get(evaluated_key, evaluated_key) if evaluated_key else None
    iris: dict[str, URIRef] = {}
    for key, org in index.organisations.items():
        iri = minter.cluster(meta.cluster) if key == evaluated_key else organisation_iri(minter, key, org.type)
        iris[key] = iri
        own_label = key != evaluated_key  # the evaluated cluster is labelled by the evaluation's graph
        b.organisation(
            iri, org.name if own_label else None, org.type, [org.name, *org.variants] if not own_label else org.variants
        )
        if org.is_cluster:
            b.add(iri, RDF.type, ORG.OrganizationalCollaboration)
        pages = org.documents.get(src.sha256, [])
        b.fact(iri, pages[0] if pages else None, org.quotes.get(src.sha256))
    # the evaluation graph names its evaluator and commissioner by their full field: same organisation
    for field_name in ("evaluator", "commissioner"):
        value = getattr(meta, field_name)
        if value and meta.cluster:
            key = index.aliases.get(fold_name(value))
            if key in iris and minter.organisation(value) != iris[key]:
                b.add(minter.organisation(value), OWL.sameAs, iris[key])
    cycle_value = None
    if meta.cluster:
        cycle_value = found.cycle if found is not None else cycle_of_evaluation(evaluation, cycle)
    for relation in index.relations:
        first, second = iris[relation.first], iris[relation.second]
        rel = minter.partnership(src.sha256, str(first), str(second), slugify(relation.kind))
        b.add(rel, RDF.type, MINER.Partnership)
        b.add(rel, MINER.partner, first)
        b.add(rel, MINER.partner, second)
        b.add(rel, MINER.relationKind, relation.kind)
        if meta.cluster:
            b.add(rel, MINER.cluster, b.cluster(meta.cluster, labelled=False))
            b.add(rel, MINER.cycle, b.cycle(meta.cluster, cycle_value))
        b.fact(rel, relation.page, relation.quote)
    if meta.cluster:
        _province_statements(b, evaluation, cycle_value, province_statements_of_evaluation(evaluation))
    else:
        _other_cluster_counts(b, evaluation, index)
    return b.g


_TITLE_YEAR = re.compile(r"\ben\s+((?:19|20)\d\d)\b")


def _other_cluster_counts(b: OrgGraph, evaluation: Any, index: Any) -> None:
    """Member counts a plain document (an atlas sheet) states for clusters it is *not* about ("le
    cluster TWIST, qui regroupe 89 entités"): the count of the cluster its title names is
    :mod:`miner.rdf.cycles`'s; each other figure goes to the cluster named nearest to it."""

    headings = " ".join(bl.text for bl in evaluation.blocks[:3] if bl.kind == "heading")
    match = _TITLE_YEAR.search(headings)
    if not match:
        return
    year = int(match.group(1))
    folded_title = strip_accents(headings).casefold()
    clusters = [o for o in index.organisations.values() if o.is_cluster]
    for block in evaluation.blocks:
        for rank, statement in enumerate(find_member_statements(block.text), 1):
            if statement.kind != "count":
                continue
            sentence = strip_accents(statement.quote).casefold()
            figure = re.search(rf"(?<!\d){statement.value}(?!\d)", sentence)
            where = figure.start() if figure else 0
            best: tuple[int, Any] | None = None
            for org in clusters:
                for spelling in {org.name, *org.variants}:
                    for hit in re.finditer(re.escape(strip_accents(spelling).casefold()), sentence):
                        distance = abs(hit.start() - where)
                        if best is None or distance < best[0]:
                            best = (distance, org)
            if best is None:
                continue
            org = best[1]
            if any(strip_accents(v).casefold() in folded_title for v in {org.name, *org.variants}):
                continue
            cycle = Cycle("annee", None, year)
            cluster = b.cluster(org.name)
            obs = b.m.member_count(org.name, cycle.slug, f"count-organisations-{block.page}-{rank}")
            b.add(obs, RDF.type, MINER.MemberCountObservation)
            b.add(obs, RDF.type, QB.Observation)
            b.add(obs, MINER.cluster, cluster)
            b.add(obs, MINER.cycle, b.cycle(org.name, cycle))
            b.add(obs, MINER.memberCount, Literal(int(statement.value), datatype=XSD.integer))
            b.add(obs, MINER.referenceYear, Literal(year, datatype=XSD.integer))
            b.fact(obs, block.page, statement.quote)


def _province_statements(b: OrgGraph, evaluation: Any, cycle: Cycle, located: list[Any]) -> None:
    name = evaluation.metadata.cluster
    cluster = b.cluster(name, labelled=False)
    cycle_iri = b.cycle(name, cycle)
    dataset = b.m.dataset(name, cycle.slug, "provinces")
    if located:
        b.add(dataset, RDF.type, QB.DataSet)
        b.add(dataset, QB.structure, MINER.provinceMemberCountStructure)
        b.add(dataset, RDFS.label, Literal(f"membres par province — {name}, {cycle.label}", lang="fr"))
    for item in located:
        obs = b.m.province_count(name, cycle.slug, item.statement.province, "report")
        b.add(obs, RDF.type, MINER.ProvinceMemberCountObservation)
        b.add(obs, RDF.type, QB.Observation)
        b.add(obs, QB.dataSet, dataset)
        b.add(obs, MINER.cluster, cluster)
        b.add(obs, MINER.cycle, cycle_iri)
        b.add(obs, MINER.refProvince, province_concept(item.statement.province))
        b.add(obs, MINER.membersInProvince, Literal(item.statement.count, datatype=XSD.integer))
        source = (
            b.m.constat(name, cycle.slug, item.number)
            if item.source == "constat"
            else b.m.question(name, cycle.slug, item.number)
        )
        b.add(obs, PROV.wasQuotedFrom, source)
        b.fact(obs, item.page, item.statement.quote)


def member_list_graph(
    member_list: Any,
    cluster: str,
    cycle: str,
    *,
    base_iri: str | None = None,
    generated_at: str | dt.datetime | None = None,
) -> Graph:
    """One membership per member of a list for ``cycle``, members typed and placed by postal code."""

    minter, when = Minter(base_iri), generated_at
    chosen = parse_cycle(cycle)
    b = OrgGraph(DocumentInfo(member_list.sha256, member_list.path), minter, when)
    b.add(
        b.doc,
        DCTERMS.format,
        "text/csv"
        if member_list.path.lower().endswith(".csv")
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    cluster_iri = b.cluster(cluster)
    cycle_iri = b.cycle(cluster, chosen)
    for member in member_list.members:
        key = f"bce-{member.bce.replace('.', '')}" if member.bce_status == "valid" else member.name
        iri = minter.organisation(key)
        b.organisation(iri, member.name, member.type)
        b.seat(iri, member)
        ship = minter.membership(cluster, chosen.slug, key)
        b.add(ship, RDF.type, ORG.Membership)
        b.add(ship, ORG.member, iri)
        b.add(ship, ORG.organization, cluster_iri)
        b.add(ship, ORG.memberDuring, cycle_iri)
        if member.joined:
            b.add(ship, MINER.joinedOn, Literal(member.joined.isoformat(), datatype=XSD.date))
        b.add(ship, PROV.wasDerivedFrom, b.doc)
        b.add(ship, PROV.wasGeneratedBy, b.run)
        b.add(ship, RDFS.comment, f"row {member.row}")
    dataset = minter.dataset(cluster, chosen.slug, "provinces-list")
    b.add(dataset, RDF.type, QB.DataSet)
    b.add(dataset, QB.structure, MINER.provinceMemberCountStructure)
    b.add(dataset, RDFS.label, Literal(f"membres par province (liste) — {cluster}, {chosen.label}", lang="fr"))
    for province, count in members_by_province(member_list.members).items():
        obs = minter.province_count(cluster, chosen.slug, province, "list")
        b.add(obs, RDF.type, MINER.ProvinceMemberCountObservation)
        b.add(obs, RDF.type, QB.Observation)
        b.add(obs, QB.dataSet, dataset)
        b.add(obs, MINER.cluster, cluster_iri)
        b.add(obs, MINER.cycle, cycle_iri)
        b.add(obs, MINER.refProvince, province_concept(province))
        b.add(obs, MINER.membersInProvince, Literal(count, datatype=XSD.integer))
        b.add(obs, PROV.wasDerivedFrom, b.doc)
        b.add(obs, PROV.wasGeneratedBy, b.run)
    return b.g


def activity_partners_graph(
    activities: list[Any],
    sha256: str,
    path: str,
    cluster: str,
    *,
    base_iri: str | None = None,
    generated_at: str | dt.datetime | None = None,
    nlp: Any = None,
) -> tuple[Graph, Any]:
    """Who took part in each activity: ``prov:wasAssociatedWith`` the cluster and each resolved
    partner, on the activity IRI that :mod:`miner.rdf.activities` uses, so axes and partners meet."""

    nlp = nlp or get_nlp()
    minter, when = Minter(base_iri), generated_at
    b = OrgGraph(DocumentInfo(sha256, path), minter, when)
    names = sorted({p for a in activities for p in a.partners})
    mentions = []
    for name, doc in zip(names, nlp.pipe(names)):
        actors = [
            e
            for e in doc.ents
            if e.label_.lower() in actor_types() and canonical_name(e) and len(e.text) * 2 >= len(name)
        ]
        if actors:
            label = actors[0].label_.lower()
            mentions.append(Mention(name, sha256, None, name, canonical_name(actors[0]), GAZETTEER_TYPES.get(label)))
        else:
            mentions.append(Mention(name, sha256, None, name))
    index = resolve_mentions(mentions, cluster=cluster)
    cluster_iri = b.cluster(cluster)
    iris = {}
    for key, org in index.organisations.items():
        iris[key] = organisation_iri(minter, key, org.type)
        b.organisation(iris[key], org.name, org.type, org.variants)
        if org.is_cluster:
            b.add(iris[key], RDF.type, ORG.OrganizationalCollaboration)
            b.add(iris[key], RDFS.label, org.name)
    for activity in activities:
        act = minter.activity(activity.cluster or cluster, activity.id)
        b.add(act, RDF.type, MINER.ClusterActivity)
        b.add(act, MINER.cluster, cluster_iri)
        b.add(act, PROV.wasAssociatedWith, cluster_iri)
        for partner in activity.partners:
            b.add(act, PROV.wasAssociatedWith, iris[index.aliases[fold_name(partner)]])
        b.add(act, PROV.wasDerivedFrom, b.doc)
        if activity.page:
            b.add(act, MINER.page, Literal(activity.page, datatype=XSD.integer))
    return b.g, index
