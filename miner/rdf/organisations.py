"""Organisations, relations, member lists and composition statements → RDF, with provenance.

Each source document gets a second named graph beside its facts, ``<base>graph/<sha256>/organisations``,
holding the organisations it names (W3C ORG, one IRI per resolved organisation, its spellings as
``skos:altLabel``, its type as a ``miner:organisationTypes`` concept, ``miner:mentionedIn`` the
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
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from rdflib import Graph, Literal, URIRef

from miner import __version__
from miner.extract.cycles import Cycle, cycle_of_evaluation, parse_cycle
from miner.pipeline.registry import step
from miner.rdf.vocab import (
    DCTERMS,
    MINER,
    OA,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    Minter,
    slugify,
)

__all__ = [
    "OrgGraph",
    "load_member_list",
    "load_organisations",
    "member_list_graph",
    "organisation_iri",
    "organisations_graph",
    "type_concept",
]


def type_concept(kind: str) -> URIRef:
    """The ``miner:organisationTypes`` concept of a French type label ("PME" → miner:SME)."""
    from miner.extract.organisations import ORG_TYPES, UNKNOWN

    return MINER[ORG_TYPES.get(kind, ORG_TYPES[UNKNOWN])]


def organisation_iri(minter: Minter, key: str, kind: str) -> URIRef:
    """Clusters share the namespace of evaluated clusters; everything else is an organisation."""
    return minter.cluster(key) if kind == "cluster" else minter.organisation(key)


@dataclass
class _Source:
    sha256: str
    path: str
    pages: int | None
    fictitious: bool = False


class OrgGraph:
    """Accumulates one document's organisations graph."""

    def __init__(self, source: _Source, minter: Minter, generated_at: dt.datetime | None = None):
        self.m = minter
        self.source = source
        self.doc = minter.document(source.sha256)
        self.run = URIRef(f"{minter.run(source.sha256)}/organisations")
        self.g = Graph(identifier=minter.organisations_graph(source.sha256))
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.g.bind("org", ORG._NS)
        self._evidence = 0
        self.document(generated_at)

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    def document(self, generated_at: dt.datetime | None) -> None:
        source = self.source
        self.add(self.doc, RDF.type, MINER.SourceDocument)
        self.add(self.doc, MINER.sha256, source.sha256)
        self.add(self.doc, MINER.fileName, PurePath(source.path).name)
        if source.pages is not None:
            self.add(self.doc, MINER.pageCount, Literal(source.pages, datatype=XSD.integer))
        if source.fictitious:
            self.add(self.doc, MINER.fictitious, Literal(True))
        started = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.add(self.run, RDF.type, MINER.ExtractionRun)
        self.add(self.run, PROV.used, self.doc)
        self.add(self.run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime))
        self.add(self.run, MINER.softwareVersion, __version__)
        self.add(self.g.identifier, PROV.wasDerivedFrom, self.doc)  # type: ignore[arg-type]

    def provenance(self, fact: URIRef, page: int | None, quote: str | None) -> None:
        """Document, run, page and a Web Annotation quote; evidence IRIs are per document, since
        the same organisation is named by many documents."""
        self.add(fact, PROV.wasDerivedFrom, self.doc)
        self.add(fact, PROV.wasGeneratedBy, self.run)
        if page is None and not quote:
            return
        self._evidence += 1
        evidence = URIRef(f"{fact}/evidence/{self.source.sha256[:16]}")
        self.add(fact, MINER.evidence, evidence)
        self.add(evidence, RDF.type, OA.SpecificResource)
        self.add(evidence, OA.hasSource, self.doc)
        if page is not None:
            self.add(fact, MINER.page, Literal(page, datatype=XSD.integer))
            selector = URIRef(f"{evidence}/page")
            self.add(evidence, OA.hasSelector, selector)
            self.add(selector, RDF.type, OA.FragmentSelector)
            self.add(selector, RDF.value, f"page={page}")
        if quote:
            selector = URIRef(f"{evidence}/quote")
            self.add(evidence, OA.hasSelector, selector)
            self.add(selector, RDF.type, OA.TextQuoteSelector)
            self.add(selector, OA.exact, quote)

    def cluster(self, name: str, *, labelled: bool = True) -> URIRef:
        iri = self.m.cluster(name)
        self.add(iri, RDF.type, ORG.OrganizationalCollaboration)
        self.add(iri, RDF.type, ORG.Organization)
        self.add(iri, MINER.organisationType, type_concept("cluster"))
        self.add(iri, MINER.mentionedIn, self.doc)
        if labelled:
            self.add(iri, RDFS.label, name)
            self.add(iri, SKOS.prefLabel, Literal(name, lang="fr"))
        return iri

    def cycle(self, cluster_name: str, cycle: Cycle) -> URIRef:
        iri = self.m.cycle(cluster_name, cycle.slug)
        self.add(iri, RDF.type, MINER.Cycle)
        self.add(iri, RDF.type, TIME.Interval)
        self.add(iri, MINER.cycleKind, cycle.kind)
        if cycle.ordinal is not None:
            self.add(iri, MINER.ordinal, Literal(cycle.ordinal, datatype=XSD.integer))
        self.add(iri, MINER.cycleOf, self.m.cluster(cluster_name))
        self.add(iri, RDFS.label, Literal(cycle.label, lang="fr"))
        return iri

    def organisation(self, iri: URIRef, name: str | None, kind: str, variants: list[str] = ()) -> URIRef:
        """An organisation node; ``name`` None keeps the label to the document that owns it."""
        self.add(iri, RDF.type, ORG.Organization)
        if name:
            self.add(iri, SKOS.prefLabel, Literal(name, lang="fr"))
            self.add(iri, RDFS.label, name)
        for variant in variants:
            if variant != name:
                self.add(iri, SKOS.altLabel, Literal(variant, lang="fr"))
        self.add(iri, MINER.organisationType, type_concept(kind))
        self.add(iri, MINER.mentionedIn, self.doc)
        return iri


def _settings(base_iri: str | None, generated_at: str | dt.datetime | None) -> tuple[Minter, dt.datetime | None]:
    if isinstance(generated_at, str):
        generated_at = dt.datetime.fromisoformat(generated_at)
    return Minter(base_iri), generated_at


def organisations_graph(evaluation: Any, index: Any, *, base_iri: str | None = None, cycle: str | None = None,
                        generated_at: str | dt.datetime | None = None) -> Graph:
    """The organisations graph of one document from its :class:`~miner.extract.organisations.OrganisationIndex`."""
    from miner.nlp.geography import province_statements_of_evaluation
    from miner.extract.organisations import fold_name

    minter, when = _settings(base_iri, generated_at)
    src = evaluation.source
    b = OrgGraph(_Source(src.sha256, src.path, src.pages, evaluation.metadata.fictitious), minter, when)
    meta = evaluation.metadata
    evaluated_key = fold_name(meta.cluster) if meta.cluster else None
    evaluated_key = index.aliases.get(evaluated_key, evaluated_key) if evaluated_key else None
    iris: dict[str, URIRef] = {}
    for key, org in index.organisations.items():
        iri = minter.cluster(meta.cluster) if key == evaluated_key else organisation_iri(minter, key, org.type)
        iris[key] = iri
        own_label = key != evaluated_key  # the evaluated cluster is labelled by the evaluation's graph
        b.organisation(iri, org.name if own_label else None, org.type,
                       [org.name, *org.variants] if not own_label else org.variants)
        if org.is_cluster:
            b.add(iri, RDF.type, ORG.OrganizationalCollaboration)
        pages = org.documents.get(src.sha256, [])
        b.provenance(iri, pages[0] if pages else None, org.quotes.get(src.sha256))
    # the evaluation graph names its evaluator and commissioner by their full field: same organisation
    for field_name in ("evaluator", "commissioner"):
        value = getattr(meta, field_name)
        if value and meta.cluster:
            key = index.aliases.get(fold_name(value))
            if key in iris and minter.organisation(value) != iris[key]:
                b.add(minter.organisation(value), OWL.sameAs, iris[key])
    cycle_value = None
    if meta.cluster:
        cycle_value = cycle_of_evaluation(evaluation, cycle)
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
        b.provenance(rel, relation.page, relation.quote)
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
    from miner.nlp.french import strip_accents
    from miner.extract.quantities import find_member_statements

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
            b.provenance(obs, block.page, statement.quote)


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
        b.add(obs, MINER.refProvince, item.statement.province)
        b.add(obs, MINER.membersInProvince, Literal(item.statement.count, datatype=XSD.integer))
        source = (b.m.constat(name, cycle.slug, item.number) if item.source == "constat"
                  else b.m.question(name, cycle.slug, item.number))
        b.add(obs, PROV.wasQuotedFrom, source)
        b.provenance(obs, item.page, item.statement.quote)


def member_list_graph(member_list: Any, cluster: str, cycle: str, *, base_iri: str | None = None,
                      generated_at: str | dt.datetime | None = None) -> Graph:
    """One membership per member of a list for ``cycle``, members typed and placed by postal code."""
    from miner.extract.members import members_by_province

    minter, when = _settings(base_iri, generated_at)
    chosen = parse_cycle(cycle)
    b = OrgGraph(_Source(member_list.sha256, member_list.path, None), minter, when)
    b.add(b.doc, DCTERMS.format, "text/csv" if member_list.path.lower().endswith(".csv") else
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cluster_iri = b.cluster(cluster)
    cycle_iri = b.cycle(cluster, chosen)
    for member in member_list.members:
        key = f"bce-{member.bce.replace('.', '')}" if member.bce_status == "valid" else member.name
        iri = minter.organisation(key)
        b.organisation(iri, member.name, member.type)
        if member.bce_status == "valid":
            b.add(iri, MINER.enterpriseNumber, member.bce)
        if member.postal_code:
            b.add(iri, MINER.postalCode, member.postal_code)
        if member.province:
            b.add(iri, MINER.province, member.province)
        if member.region:
            b.add(iri, MINER.region, member.region)
        if member.municipality:
            b.add(iri, MINER.municipality, member.municipality)
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
        b.add(obs, MINER.refProvince, province)
        b.add(obs, MINER.membersInProvince, Literal(count, datatype=XSD.integer))
        b.add(obs, PROV.wasDerivedFrom, b.doc)
        b.add(obs, PROV.wasGeneratedBy, b.run)
    return b.g


def activity_partners_graph(activities: list[Any], sha256: str, path: str, cluster: str, *,
                            base_iri: str | None = None, generated_at: str | dt.datetime | None = None,
                            nlp: Any = None) -> tuple[Graph, Any]:
    """Who took part in each activity: ``prov:wasAssociatedWith`` the cluster and each resolved
    partner, on the activity IRI that :mod:`miner.rdf.activities` uses, so axes and partners meet."""
    from miner.nlp.french import _actor_types, _canonical, get_nlp
    from miner.extract.organisations import GAZETTEER_TYPES, Mention, fold_name, resolve_mentions

    nlp = nlp or get_nlp()
    minter, when = _settings(base_iri, generated_at)
    b = OrgGraph(_Source(sha256, path, None), minter, when)
    names = sorted({p for a in activities for p in a.partners})
    mentions = []
    for name, doc in zip(names, nlp.pipe(names)):
        actors = [e for e in doc.ents if e.label_.lower() in _actor_types() and _canonical(e)
                  and len(e.text) * 2 >= len(name)]
        if actors:
            label = actors[0].label_.lower()
            mentions.append(Mention(name, sha256, None, name, _canonical(actors[0]), GAZETTEER_TYPES.get(label)))
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


def load_activity_partners(store: Any, path: str, cluster: str, *, base_iri: str | None = None,
                           nlp: Any = None) -> tuple[int, Any]:
    """Read an activity list (CSV, XLSX, PDF) and write who took part in each activity."""
    from pathlib import Path

    from miner.read.activities import read_activities
    from miner.store.local import load_rdflib_graph, sha256_file

    activities = read_activities(path)
    graph, index = activity_partners_graph(activities, sha256_file(Path(path)), str(path), cluster,
                                           base_iri=base_iri, nlp=nlp)
    return load_rdflib_graph(store, graph), index


# ---------------------------------------------------------------- loading into the store and steps


def load_organisations(store: Any, evaluations: list[Any], *, base_iri: str | None = None, cycle: str | None = None,
                       generated_at: str | None = None, nlp: Any = None) -> list[tuple[str, Any]]:
    """Find, resolve and write the organisations of each document; returns (path, index) each."""
    from miner.extract.organisations import organisations_of_evaluation
    from miner.store.local import load_rdflib_graph

    done = []
    for evaluation in evaluations:
        index = organisations_of_evaluation(evaluation, nlp=nlp)
        graph = organisations_graph(evaluation, index, base_iri=base_iri, cycle=cycle, generated_at=generated_at)
        load_rdflib_graph(store, graph)
        done.append((evaluation.source.path, index))
    return done


def load_member_list(store: Any, member_list: Any, cluster: str, cycle: str, *, base_iri: str | None = None,
                     generated_at: str | None = None) -> int:
    """Write a member list's memberships for ``cycle`` of ``cluster``; returns the triples written."""
    from miner.store.local import load_rdflib_graph

    return load_rdflib_graph(store, member_list_graph(member_list, cluster, cycle, base_iri=base_iri,
                                                      generated_at=generated_at))


class OrganisationsStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cycle: str | None = Field(default=None, description="cycle of every document, e.g. triennat-7 (else read from the text)")
    activities: str | None = Field(default=None, description="inputs that are activity lists (glob on the file name)")
    cluster: str | None = Field(default=None, description="the cluster whose activities the lists hold")


@step("miner.organisations.v1", requires=("evaluations",), assigns=("organisations",), params=OrganisationsStepParams)
def organisations_step(ctx: Any, params: OrganisationsStepParams) -> None:
    """Find, resolve and type the organisations each document names; load them with their relations."""
    from miner.errors import MinerError
    from miner.store.local import open_store

    store = ctx.data.get("oxigraph") or open_store(ctx.store)
    ctx.data["oxigraph"] = store
    import pyoxigraph as ox

    from miner.read.pdf import file_sha256
    from miner.rdf.vocab import Minter

    name = "miner.organisations.v1"
    minter = Minter(ctx.base_iri)
    found = ctx.data.setdefault("organisations", [])
    for evaluation in ctx.data.get("evaluations", []):
        sha = evaluation.source.sha256
        present = store.contains_named_graph(ox.NamedNode(str(minter.organisations_graph(sha))))
        if ctx.unchanged(name, params, str(ctx.base_iri), sha, outputs_exist=present):
            continue
        try:
            ((path, index),) = load_organisations(store, [evaluation], base_iri=ctx.base_iri, cycle=params.cycle)
        except MinerError as exc:
            ctx.fail(evaluation.source.path, name, str(exc))
            ctx.finished()
            continue
        found.append(index)
        ctx.echo(f"{path}: {len(index.organisations)} organisations, {len(index.relations)} relations")
        for warning in index.warnings:
            ctx.echo(f"warning: {path}: {warning}")
        ctx.finished()
    if params.activities:
        from pathlib import Path

        for path in [p for p in ctx.inputs if Path(p).match(params.activities)]:
            if ctx.unchanged(name + "/activities", params, str(ctx.base_iri), file_sha256(path)):
                continue
            try:
                count, index = load_activity_partners(store, str(path), params.cluster or "unknown",
                                                      base_iri=ctx.base_iri)
            except MinerError as exc:
                ctx.fail(path, name, str(exc))
                ctx.finished()
                continue
            ctx.echo(f"{path}: {len(index.organisations)} activity partners, {count} triples")
            ctx.finished()
    store.flush()


class MembersStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str = Field("*.csv", description="which inputs are member lists (glob on the file name; .csv or .xlsx)")
    cluster: str = Field(description="the cluster the lists are of, named as its evaluations name it")
    cycle: str = Field(description="the cycle the lists describe, e.g. triennat-7")
    sheet: str | None = Field(default=None, description="XLSX sheet, when the workbooks have several")


@step("miner.members.v1", requires=("inputs",), assigns=("members",), params=MembersStepParams)
def members_step(ctx: Any, params: MembersStepParams) -> None:
    """Read member lists (CSV/XLSX), check BCE numbers and postal codes, load the memberships."""
    from pathlib import Path

    from miner.errors import MinerError
    from miner.extract.members import read_member_list
    from miner.store.local import open_store

    store = ctx.data.get("oxigraph") or open_store(ctx.store)
    ctx.data["oxigraph"] = store
    lists = ctx.data.setdefault("members", [])
    from miner.read.pdf import file_sha256

    for path in [p for p in ctx.inputs if Path(p).match(params.pattern)]:
        if ctx.unchanged("miner.members.v1", params, str(ctx.base_iri), file_sha256(path)):
            continue
        try:
            member_list = read_member_list(path, sheet=params.sheet)
            count = load_member_list(store, member_list, params.cluster, params.cycle, base_iri=ctx.base_iri)
        except MinerError as exc:
            ctx.fail(path, "miner.members.v1", str(exc))
            ctx.finished()
            continue
        lists.append(member_list)
        ctx.echo(f"{path}: {len(member_list.members)} members, {count} triples")
        for problem in member_list.problems:
            ctx.echo(f"warning: {path}: {problem}")
        ctx.finished()
    store.flush()


# ---------------------------------------------------------------- what the commands call


def format_counts(title: str, counts: dict[str, int]) -> str:
    """A two-column text table: one line per key, the key left, the count right."""
    width = max((len(k) for k in counts), default=0)
    lines = [title]
    lines += [f"  {key:<{width}}  {value:>4}" for key, value in counts.items()]
    return "\n".join(lines)


def members_report(paths: list[Any], *, store_path: Any = None, cluster: str | None = None, cycle: str | None = None,
                   as_of: Any = None, sheet: str | None = None, base_iri: str | None = None,
                   echo: Any = print) -> int:
    """`miner members`: read each list, print its problems and its members by province and by type,
    reconcile several lists, and load the memberships when a store, a cluster and a cycle are given.
    Returns the number of files that could not be read."""
    from miner.errors import MinerError, UsageError
    from miner.extract.members import members_by_province, members_by_type, read_member_list, reconcile

    if store_path is not None and not (cluster and cycle):
        raise UsageError("loading a member list needs --cluster NAME and --cycle CYCLE (e.g. triennat-7)")
    if cycle:
        parse_cycle(cycle)
    lists, failed = [], 0
    for path in paths:
        try:
            lists.append(read_member_list(path, sheet=sheet))
        except MinerError as exc:
            echo(f"error: {exc}")
            failed += 1
    store = None
    for member_list in lists:
        valid = sum(m.bce_status == "valid" for m in member_list.members)
        missing = sum(m.bce_status == "missing" for m in member_list.members)
        echo(f"{member_list.path}: {len(member_list.members)} members; BCE numbers: {valid} valid, "
             f"{len(member_list.members) - valid - missing} failing the mod-97 check, {missing} missing")
        for problem in member_list.problems:
            echo(f"  warning: {problem}")
        when = f" (joined by {as_of})" if as_of else ""
        echo(format_counts(f"  by province{when}:", members_by_province(member_list.members, as_of=as_of)))
        echo(format_counts(f"  by type{when}:", {k: v for k, v in members_by_type(member_list.members, as_of=as_of).items() if v}))
        if store_path is not None:
            from miner.store.local import open_store

            store = store or open_store(store_path)
            count = load_member_list(store, member_list, cluster, cycle, base_iri=base_iri)
            echo(f"  {count} triples into the store ({cluster}, {cycle})")
    if len(lists) > 1:
        rec = reconcile(lists)
        echo(f"reconciled: {len(rec.in_all())} members in every list, "
             + ", ".join(f"{len(rec.only_in(i))} only in {PurePath(l.path).name}" for i, l in enumerate(lists))
             + f", {len(rec.renamed())} renamed (same BCE number)")
        for before, after in rec.renamed():
            echo(f"  renamed: {before.name} → {after.name} ({after.bce})")
    if store is not None:
        store.flush()
    return failed


def organisations_report(paths: list[Any], *, store_path: Any = None, activities: list[Any] = (),
                         cluster: str | None = None, cycle: str | None = None, password: str | None = None,
                         base_iri: str | None = None, echo: Any = print) -> int:
    """`miner organisations`: the organisations each PDF names (type, variants, pages) and the
    relations it states; loaded into the store when one is given. Returns the files that failed."""
    from miner.errors import MinerError, UsageError
    from miner.extract.evaluation import extract_evaluation
    from miner.extract.organisations import organisations_of_evaluation
    from miner.store.local import load_rdflib_graph, open_store

    if activities and not cluster:
        raise UsageError("activity lists need --cluster NAME (whose activities they are)")
    store = open_store(store_path) if store_path is not None else None
    failed = 0
    for path in paths:
        try:
            evaluation = extract_evaluation(path, password=password)
        except MinerError as exc:
            echo(f"error: {exc}")
            failed += 1
            continue
        index = organisations_of_evaluation(evaluation)
        echo(f"{path}: {len(index.organisations)} organisations, {len(index.relations)} relations")
        for org in sorted(index.organisations.values(), key=lambda o: (o.type, o.name.casefold())):
            pages = ",".join(map(str, org.documents.get(evaluation.source.sha256, [])))
            variants = f"  (also: {'; '.join(org.variants)})" if org.variants else ""
            echo(f"  {org.type:<22} {org.name}  p. {pages or '?'}{variants}")
        for relation in index.relations:
            first, second = index.organisations[relation.first].name, index.organisations[relation.second].name
            echo(f"  {relation.kind}: {first} — {second} (p. {relation.page})")
        for warning in index.warnings:
            echo(f"  warning: {warning}")
        if store is not None:
            graph = organisations_graph(evaluation, index, base_iri=base_iri, cycle=cycle)
            echo(f"  {load_rdflib_graph(store, graph)} triples into {graph.identifier}")
    for path in activities:
        try:
            if store is None:
                from miner.read.activities import read_activities
                from miner.store.local import sha256_file

                graph, index = activity_partners_graph(read_activities(path), sha256_file(path), str(path), cluster)
                count = None
            else:
                count, index = load_activity_partners(store, str(path), cluster, base_iri=base_iri)
        except MinerError as exc:
            echo(f"error: {exc}")
            failed += 1
            continue
        echo(f"{path}: {len(index.organisations)} activity partners"
             + (f", {count} triples into the store" if count is not None else ""))
        for warning in index.warnings:
            echo(f"  warning: {warning}")
    if store is not None:
        store.flush()
    return failed
