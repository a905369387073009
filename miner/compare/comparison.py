"""Compare two evaluations, from the graph: two cycles of one cluster, or two clusters in a cycle.

An evaluation is named by a file (evaluation PDF or the JSON of `miner extract`, loaded into an
in-memory graph first), by its IRI in a store, or by ``CLUSTER@CYCLE`` (``infopole-cluster-tic@
triennat-7``). Everything the comparison shows is read back from the graph with SPARQL — the
criteria, judgements and constats of each evaluation, the member counts over time, the members by
province when the graph has them, the stated indicators — so a comparison of two stored
evaluations and one of two files give the same report. Alignment is :mod:`miner.compare.align`; the report
is written by :mod:`miner.compare.report`.

A cycle that cannot be told (no "Nth triennat" in the text) stops the comparison with a message that
names the flag giving it (``--cycle-a``, ``--cycle-b``); cycle conflicts go into the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any, Callable

from miner.atomic import write_text_atomic
from miner.compare.align import Alignment, AlignSettings, ConstatItem, CriterionItem, QuestionItem, align
from miner.compare.contracts import Q_CONTRACTS
from miner.compare.pdf import print_pdf
from miner.compare.report import render_html, render_markdown
from miner.errors import InputError, UsageError
from miner.extract.cycles import cycle_inference_of_evaluation, require_ordinal
from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.prefixes import SPARQL_PROLOGUE
from miner.rdf.vocab import Minter, slugify
from miner.records import Evaluation
from miner.store.documents import held_document
from miner.store.load import read_evaluation
from miner.store.local import load_rdflib_graph, run_query
from miner.store.query import find_saved_query

__all__ = [
    "EvaluationView",
    "Comparison",
    "compare",
    "compare_refs",
    "evaluation_of_file",
    "load_view",
    "select_rows",
    "store_inputs_digest",
    "write_comparison",
]


Q_EVALUATION = (
    SPARQL_PROLOGUE
    + """SELECT ?g ?clusterIri ?cluster ?cycleIri ?cycle ?kind ?ordinal ?date ?file ?sha ?fictitious ?start ?end ?source
WHERE { GRAPH ?g {
  <$e> a miner:Evaluation ; miner:evaluatedCluster ?clusterIri ; miner:cycle ?cycleIri ; prov:wasDerivedFrom ?doc .
  ?clusterIri rdfs:label ?cluster . ?cycleIri rdfs:label ?cycle ; miner:cycleKind ?kind .
  ?doc miner:fileName ?file .
  OPTIONAL { ?cycleIri miner:ordinal ?ordinal } OPTIONAL { <$e> dcterms:date ?date }
  OPTIONAL { ?doc miner:fictitious ?fictitious } OPTIONAL { ?doc miner:sha256 ?sha } OPTIONAL { <$e> miner:cycleSource ?source }
  OPTIONAL { ?cycleIri time:hasBeginning/time:inXSDDate ?start } OPTIONAL { ?cycleIri time:hasEnd/time:inXSDDate ?end }
} }"""
)
Q_CONFLICTS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?c (LANG(?c) AS ?lang) WHERE { GRAPH <$g> { <$e> miner:cycleConflict ?c } }
ORDER BY ?c"""
)
Q_QUESTIONS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?n ?text WHERE { GRAPH <$g> {
  <$e> miner:hasQuestion ?q . ?q miner:questionNumber ?n ; miner:text ?text } } ORDER BY ?n"""
)
Q_CRITERIA = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?obs ?id ?n ?theme ?text ?judgement ?rank ?page WHERE {
  GRAPH <$g> { ?obs a miner:JudgementObservation ; dcterms:isPartOf <$e> ; skos:notation ?id ; miner:criterion ?crit ;
                  miner:question/miner:questionNumber ?n .
             ?crit miner:theme ?theme ; miner:text ?text .
             OPTIONAL { ?obs miner:judgement ?level } OPTIONAL { ?obs miner:page ?page } }
  OPTIONAL { ?level skos:prefLabel ?judgement ; miner:rank ?rank . FILTER (lang(?judgement) = "fr") }
}"""
)
Q_CONSTATS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?k ?n ?text ?page ?id WHERE { GRAPH <$g> {
  ?k a miner:Constat ; dcterms:isPartOf <$e> ; skos:notation ?n ; miner:text ?text .
  OPTIONAL { ?k miner:page ?page } OPTIONAL { ?k miner:justifies/skos:notation ?id } } } ORDER BY ?n"""
)
Q_FIND = (
    SPARQL_PROLOGUE + """SELECT DISTINCT ?e WHERE { ?e a miner:Evaluation . FILTER (STRENDS(STR(?e), "$suffix")) }"""
)
Q_PROVINCES = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?clusterKey ?cycle ?province ?members ?page ?file WHERE {
  ?obs a miner:ProvinceMemberCountObservation ; miner:cluster ?c ; miner:cycle/rdfs:label ?cycle ;
       miner:refProvince/skos:prefLabel ?provinceLabel ; (miner:membersInProvince|miner:memberCount) ?members .
  FILTER (lang(?provinceLabel) = "fr") BIND (STR(?provinceLabel) AS ?province)
  OPTIONAL { ?obs miner:page ?page } OPTIONAL { ?obs prov:wasDerivedFrom/miner:fileName ?file }
  BIND (REPLACE(STR(?c), "^.*/", "") AS ?clusterKey) } ORDER BY ?clusterKey ?cycle ?province"""
)


@dataclass
class EvaluationView:
    """What the comparison needs of one evaluation, as the graph holds it."""

    iri: str
    graph: str
    cluster: str
    cluster_key: str
    cycle: str
    cycle_slug: str
    kind: str
    ordinal: int | None
    date: dt.date | None
    file: str
    path: str | None = None
    fictitious: bool = False
    sha256: str | None = None
    """Its document's digest: the store's register of documents gives the file, for absolute links."""
    source: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    conflicts: list[str] = field(default_factory=list)
    conflicts_fr: list[str] = field(default_factory=list)
    """The same conflicts in French, for the report (graphs written before they were kept: empty)."""
    questions: list[QuestionItem] = field(default_factory=list)
    criteria: list[CriterionItem] = field(default_factory=list)
    constats: list[ConstatItem] = field(default_factory=list)

    def criterion(self, criterion_id: str) -> CriterionItem:
        return next(c for c in self.criteria if c.id == criterion_id)

    def constat(self, number: int) -> ConstatItem:
        return next(k for k in self.constats if k.number == number)


@dataclass
class Comparison:
    a: EvaluationView
    b: EvaluationView
    alignment: Alignment
    timeline: list[dict[str, Any]] = field(default_factory=list)
    provinces: list[dict[str, Any]] = field(default_factory=list)
    types: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    """The objective contracts' indicators of the two clusters (target, achieved, period, page):
    :mod:`miner.compare.contracts` gives each period to the cycle it falls in."""
    notes: list[str] = field(default_factory=list)
    """For the command line, in English; the report words the same facts in French from the fields."""
    swapped: bool = False
    """The evaluations were given latest first and A, B were swapped so that A is the earlier cycle."""
    changed: list[dict[str, Any]] = field(default_factory=list)
    """The judgements that changed from A's cycle to B's, as the saved query ``judgement_changes``
    answers: the one definition of a changed judgement (the same criterion of the graph, judged in
    both cycles, with another level), shared by the report, the CLI and the query page."""

    def changed_counts(self) -> dict[str, int]:
        directions = [str(row.get("direction")) for row in self.changed]
        return {"changed": len(self.changed), "up": directions.count("up"), "down": directions.count("down")}

    @property
    def same_cluster(self) -> bool:
        return self.a.cluster_key == self.b.cluster_key


def select_rows(store: Any, text: str, **values: Any) -> list[dict[str, Any]]:
    """A SELECT's rows as dicts; ``values`` fill the ``$name`` slots (IRIs and plain strings)."""

    clean = {k: re.sub(r'[<>"{}|^`\\\s]', "", str(v)) for k, v in values.items()}
    result = run_query(store, Template(text).substitute(clean) if values else text, max_rows=None)
    return [dict(zip(result.variables, row)) for row in result.values()]


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def load_view(store: Any, iri: str, *, path: str | None = None) -> EvaluationView:
    """Read one evaluation back from the graph."""
    head = select_rows(store, Q_EVALUATION, e=iri)
    if not head:
        raise UsageError(f"no evaluation {iri} in the store; `miner query evaluation_cycles` lists them")
    h = head[0]
    bind = {"e": iri, "g": str(h["g"])}
    view = EvaluationView(
        iri=iri,
        graph=str(h["g"]),
        cluster=str(h["cluster"]),
        cluster_key=str(h["clusterIri"]).rsplit("/", 1)[-1],
        cycle=str(h["cycle"]),
        cycle_slug=str(h["cycleIri"]).rsplit("/", 1)[-1],
        kind=str(h["kind"]),
        ordinal=int(h["ordinal"]) if h["ordinal"] is not None else None,
        date=_date(h["date"]),
        file=str(h["file"]),
        path=path,
        fictitious=bool(h["fictitious"]),
        sha256=str(h["sha"]) if h["sha"] is not None else None,
        source=h["source"],
        start=_date(h["start"]),
        end=_date(h["end"]),
    )
    conflicts = select_rows(store, Q_CONFLICTS, **bind)
    view.conflicts = [str(r["c"]) for r in conflicts if r["lang"] != "fr"]
    view.conflicts_fr = [str(r["c"]) for r in conflicts if r["lang"] == "fr"]
    view.questions = [QuestionItem(int(r["n"]), str(r["text"])) for r in select_rows(store, Q_QUESTIONS, **bind)]
    criteria = select_rows(store, Q_CRITERIA, **bind)
    constats = select_rows(store, Q_CONSTATS, **bind)
    justified: dict[str, list[int]] = {}
    by_number: dict[int, dict[str, Any]] = {}
    for r in constats:
        entry = by_number.setdefault(
            int(r["n"]), {"text": str(r["text"]), "page": r["page"], "ids": [], "iri": str(r["k"])}
        )
        if r["id"] is not None:
            entry["ids"].append(str(r["id"]))
            justified.setdefault(str(r["id"]), []).append(int(r["n"]))
    view.constats = [
        ConstatItem(
            n, e["text"], int(e["page"]) if e["page"] is not None else None, tuple(sorted(set(e["ids"]))), e["iri"]
        )
        for n, e in sorted(by_number.items())
    ]
    seen: set[str] = set()
    for r in sorted(criteria, key=lambda r: tuple(int(x) for x in str(r["id"]).split("."))):
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        view.criteria.append(
            CriterionItem(
                str(r["id"]),
                int(r["n"]),
                str(r["theme"]),
                str(r["text"]),
                r["judgement"],
                int(r["rank"]) if r["rank"] is not None else None,
                int(r["page"]) if r["page"] is not None else None,
                tuple(sorted(set(justified.get(str(r["id"]), [])))),
                str(r["obs"]),
            )
        )
    return view


# ---------------------------------------------------------------- resolving what the user names


@dataclass
class _Stores:
    """The store of the user (read-only, opened on demand) and an in-memory one for files."""

    path: Path | None
    base_iri: str | None = None
    _disk: Any = None
    _memory: Any = None

    @property
    def disk(self) -> Any:
        if self._disk is None:
            from miner.store.local import DEFAULT_STORE, open_store

            self._disk = open_store(self.path or DEFAULT_STORE, read_only=True)
        return self._disk

    @property
    def memory(self) -> Any:
        if self._memory is None:
            from miner.rdf.vocab import Minter
            from miner.store.local import load_ontology, open_store

            self._memory = open_store(None)
            load_ontology(self._memory, str(Minter(self.base_iri).ontology_graph()))
        return self._memory

    def held(self, sha256: str | None) -> str | None:
        """The path of a stored evaluation's PDF when the store's register still holds those bytes, so
        the report's page links are absolute ``file:`` addresses (None: the bare file name)."""
        from miner.store.local import DEFAULT_STORE

        found = held_document(self.path or DEFAULT_STORE, sha256) if sha256 and self._disk is not None else None
        return str(found) if found else None

    def all(self) -> list[Any]:
        return [s for s in (self._memory, self._disk) if s is not None]


def evaluation_of_file(path: Path, password: str | None) -> Any:

    if not path.is_file():
        raise InputError(path, "no such file")
    return read_evaluation(path, password)


def _load_record(stores: _Stores, evaluation: Any, cycle: str | None, flag: str, name: str) -> EvaluationView:

    if not evaluation.questions:
        raise InputError(name, "not an evaluation report (no evaluation questions found); nothing to compare")
    found = cycle_inference_of_evaluation(evaluation, cycle)
    require_ordinal(found, name, flag)
    graph = build_evaluation_graph(evaluation, GraphSettings(base_iri=stores.base_iri, cycle=cycle))
    load_rdflib_graph(stores.memory, graph)
    minter = Minter(stores.base_iri)
    iri = str(minter.evaluation(evaluation.metadata.cluster, found.cycle.slug))
    return load_view(stores.memory, iri, path=evaluation.source.path)


def _resolve(
    ref: str | Path | Any, stores: _Stores, cycle: str | None, flag: str, password: str | None
) -> EvaluationView:

    if isinstance(ref, Evaluation):
        return _load_record(stores, ref, cycle, flag, ref.source.path)
    text = str(ref)
    if Path(text).suffix.lower() in (".pdf", ".json") or Path(text).exists():
        return _load_record(stores, evaluation_of_file(Path(text), password), cycle, flag, text)
    if cycle:
        raise UsageError(
            f"{flag} applies to files only; a stored evaluation keeps the cycle it was built with "
            f"(rebuild it with `miner build FILE --cycle ...`)"
        )
    if text.startswith(("http://", "https://", "urn:")):
        iri = text
    elif "@" in text:
        cluster, _, cycle_slug = text.rpartition("@")
        hits = select_rows(stores.disk, Q_FIND, suffix=f"/{slugify(cluster)}/{cycle_slug.strip()}/evaluation")
        if not hits:
            raise UsageError(
                f"no evaluation of {cluster!r} in cycle {cycle_slug!r} in the store; "
                "`miner cycles --store DIR` lists them"
            )
        iri = str(hits[0]["e"])
    else:
        raise UsageError(
            f"{text!r} is neither a file, an evaluation IRI nor CLUSTER@CYCLE (e.g. infopole-cluster-tic@triennat-7)"
        )
    view = load_view(stores.disk, iri)
    view.path = stores.held(view.sha256)
    if view.ordinal is None:
        raise UsageError(
            f"the stored evaluation {iri} has no cycle ordinal (its text names none); rebuild it "
            f"with `miner build FILE --cycle triennat-N`"
        )
    return view


# What a comparison reads from the store around the two evaluations: (report field, query, the
# column naming the cluster: its key or its label).
_AROUND = (
    ("timeline", "member_timeline", "clusterKey"),
    ("provinces", Q_PROVINCES, "clusterKey"),
    ("types", "organisations_by_type_province", "cluster"),
    ("indicators", "indicators", "cluster"),
    ("contracts", Q_CONTRACTS, "cluster"),
)


CHANGED_QUERY = "judgement_changes"
"""The saved query that defines a changed judgement (see :attr:`Comparison.changed`)."""


def _query_text(name: str) -> str:

    return find_saved_query(name).text if not name.lstrip().upper().startswith("PREFIX") else name


def store_inputs_digest(store: Any) -> str:
    """A fingerprint of what a comparison reads from ``store`` besides the two evaluations (member
    counts, provinces, organisation types, indicators): a graph it does not read, such as an
    activity annotation loaded by a later step, then leaves a remembered comparison valid."""

    digest = hashlib.sha256()
    for _, name, _ in _AROUND:
        rows = sorted(
            repr(sorted((k, str(v)) for k, v in row.items())) for row in select_rows(store, _query_text(name))
        )
        digest.update("\n".join(rows).encode("utf-8") + b"\0")
    return digest.hexdigest()


def _merge(stores: _Stores, name: str, keep: Callable[[dict[str, Any]], bool], **bindings: Any) -> list[dict[str, Any]]:
    text = _query_text(name)
    seen: set[tuple] = set()
    rows: list[dict[str, Any]] = []
    for store in stores.all():
        for row in select_rows(store, text, **bindings):
            key = tuple(sorted((k, str(v)) for k, v in row.items()))
            if keep(row) and key not in seen:
                seen.add(key)
                rows.append(row)
    return rows


def compare(
    a: EvaluationView,
    b: EvaluationView,
    stores: Any = None,
    settings: AlignSettings | dict | None = None,
    *,
    embed: Any = None,
) -> Comparison:
    """Align two views and gather, from the graph, what the report shows around them."""
    alignment = align(
        (a.questions, b.questions), (a.criteria, b.criteria), (a.constats, b.constats), settings, embed=embed
    )
    comparison = Comparison(a, b, alignment)
    for view, side in ((a, "A"), (b, "B")):
        if view.fictitious:
            comparison.notes.append(
                f"{side}: {view.file} says on its first page that it is fictitious (not a real evaluation)."
            )
        for conflict in view.conflicts:
            comparison.notes.append(f"{side}: cycle conflict: {conflict}")
    if alignment.nothing_alignable:
        comparison.notes.append(
            "Nothing alignable: no criterion of one evaluation matches a criterion of the other "
            "(different référentiels?); judgements cannot be compared."
        )
    if stores is not None:
        wanted = {"clusterKey": {a.cluster_key, b.cluster_key}, "cluster": {a.cluster, b.cluster}}
        for attr, name, column in _AROUND:
            setattr(comparison, attr, _merge(stores, name, lambda r, c=column: r.get(c) in wanted[c]))
        if comparison.same_cluster:
            comparison.changed = _merge(
                stores,
                CHANGED_QUERY,
                lambda r: (
                    (str(r.get("cluster")), str(r.get("before")), str(r.get("after"))) == (a.cluster, a.cycle, b.cycle)
                ),
            )
    return comparison


def compare_refs(
    a: str | Path | Any,
    b: str | Path | Any,
    *,
    store: Path | None = None,
    cycle_a: str | None = None,
    cycle_b: str | None = None,
    base_iri: str | None = None,
    password: str | None = None,
    settings: AlignSettings | dict | None = None,
    embed: Any = None,
    store_handle: Any = None,
) -> Comparison:
    """Compare what the user names (files, IRIs, CLUSTER@CYCLE); the earlier evaluation of one
    cluster comes first whatever the order given. ``store_handle``: an open store to read too (a
    pipeline's), for the members by province and the figures of other documents."""
    stores = _Stores(store, base_iri)
    if store_handle is not None:
        stores._disk = store_handle
    view_a = _resolve(a, stores, cycle_a, "--cycle-a", password)
    view_b = _resolve(b, stores, cycle_b, "--cycle-b", password)
    if view_a.cluster_key == view_b.cluster_key and view_a.cycle_slug == view_b.cycle_slug:
        raise UsageError(
            f"both name the same evaluation ({view_a.cluster}, {view_a.cycle}); compare two cycles or two clusters"
        )
    swapped = view_a.cluster_key == view_b.cluster_key and (view_a.ordinal or 0) > (view_b.ordinal or 0)
    if swapped:
        view_a, view_b = view_b, view_a
    comparison = compare(view_a, view_b, stores, settings, embed=embed)
    if swapped:
        comparison.swapped = True
        comparison.notes.insert(0, "The two evaluations were given latest first; A is the earlier cycle.")
    return comparison


def write_comparison(comparison: Comparison, out: Path, endpoint: str | None = None) -> Path:
    """Write the report as HTML (``.html``), Markdown (``.md``) or PDF (``.pdf``: the HTML page
    printed by Chromium, :mod:`miner.compare.pdf`), atomically; with ``endpoint`` (a ``miner
    serve``), each judgement and constat links to its evidence page there."""

    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".pdf"):
        raise UsageError(f"{out}: the report is .html, .md or .pdf, not {suffix or 'no suffix'}")
    base = out.resolve().parent
    if suffix == ".pdf":
        return print_pdf(render_html(comparison, base, endpoint), out)
    render = render_markdown if suffix == ".md" else render_html
    text = render(comparison, base, endpoint)
    write_text_atomic(out, text)
    return out
