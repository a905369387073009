"""A report per cluster, to send: every cycle the store holds, read back from the graph.

For each cycle the judgements per criterion and their change from the cycle before (the same
criterion of the graph judged at another level: the definition the saved query
``judgement_changes`` uses), the constats with their pages, the members over time by type and
province, the activities by axis, the indicators of the objective contract (target beside achieved,
each with the document and page stating it) and the partners; a first paragraph written from those
figures.
Links are absolute so a mailed report keeps them: the PDF's own file (``file:``, from the store's
register of documents) or, with ``endpoint``, the evidence page of ``miner serve``.

The page is ``cluster-report.html`` with a print stylesheet (A4, headings kept with what follows
them); :mod:`miner.compare.pdf` prints it to PDF.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from miner.atomic import write_text_atomic
from miner.compare.comparison import select_rows
from miner.compare.page import EVIDENCE_TEXT, check_endpoint, evidence_href, links_note
from miner.compare.pdf import print_pdf
from miner.data.render import ASSETS, render_template, trusted
from miner.errors import UsageError
from miner.network.graph import ROLE_KINDS
from miner.nlp.text import slugify
from miner.rdf.prefixes import SPARQL_PROLOGUE
from miner.store.documents import read_register

__all__ = [
    "ClusterReport",
    "CriterionRow",
    "IndicatorRow",
    "cluster_report",
    "find_cluster",
    "summary_fr",
    "write_cluster_report",
]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
"""No script, nothing fetched: the report is read offline, in a mail client as in a browser."""

Q_CLUSTERS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?c ?label WHERE {
  { ?e a miner:Evaluation ; miner:evaluatedCluster ?c } UNION { ?e a miner:IndicatorObservation ; miner:cluster ?c }
  ?c rdfs:label ?label } ORDER BY ?label"""
)
Q_JUDGEMENTS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?obs ?crit ?cycle ?ordinal ?id ?theme ?text ?judgement ?rank ?page ?sha WHERE {
  GRAPH ?g { ?obs a miner:JudgementObservation ; miner:cluster <$c> ; miner:cycle ?y ; skos:notation ?id ;
                  miner:criterion ?crit .
             ?crit miner:theme ?theme ; miner:text ?text . ?y rdfs:label ?cycle .
             OPTIONAL { ?y miner:ordinal ?ordinal } OPTIONAL { ?obs miner:judgement ?level }
             OPTIONAL { ?obs miner:page ?page } OPTIONAL { ?obs prov:wasDerivedFrom/miner:sha256 ?sha } }
  OPTIONAL { ?level skos:prefLabel ?judgement ; miner:rank ?rank . FILTER (lang(?judgement) = "fr") }
}"""
)
Q_CONSTATS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?k ?cycle ?ordinal ?n ?text ?page ?sha ?file WHERE { GRAPH ?g {
  ?e a miner:Evaluation ; miner:evaluatedCluster <$c> ; miner:cycle ?y . ?y rdfs:label ?cycle .
  OPTIONAL { ?y miner:ordinal ?ordinal }
  ?k a miner:Constat ; dcterms:isPartOf ?e ; skos:notation ?n ; miner:text ?text .
  OPTIONAL { ?k miner:page ?page } OPTIONAL { ?k prov:wasDerivedFrom ?doc . ?doc miner:sha256 ?sha ; miner:fileName ?file } }
} ORDER BY ?ordinal ?n"""
)
Q_MEMBERS = (
    SPARQL_PROLOGUE
    + """SELECT ?cycle ?type ?province (COUNT(DISTINCT ?o) AS ?n) WHERE {
  GRAPH ?g { ?m org:member ?o ; org:organization <$c> ; org:memberDuring ?y . ?y rdfs:label ?cycle .
             OPTIONAL { ?o org:classification ?t } OPTIONAL { ?o dcterms:spatial ?area } }
  OPTIONAL { ?t skos:prefLabel ?typeLabel FILTER (lang(?typeLabel) = "fr") }
  OPTIONAL { ?area skos:inScheme <https://w3id.org/miner/provinces> ; skos:prefLabel ?areaLabel FILTER (lang(?areaLabel) = "fr") }
  BIND (COALESCE(STR(?typeLabel), "type inconnu") AS ?type) BIND (COALESCE(STR(?areaLabel), "province inconnue") AS ?province)
} GROUP BY ?cycle ?type ?province ORDER BY ?cycle ?type ?province"""
)
Q_COUNTS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?obs ?cycle ?ordinal ?year ?value ?page ?sha WHERE { GRAPH ?g {
  ?obs a miner:QuantityObservation ; miner:measure "members" ; miner:cluster <$c> ; miner:cycle ?y ; miner:value ?value ;
       miner:status "actual" . ?y rdfs:label ?cycle .
  OPTIONAL { ?y miner:ordinal ?ordinal } OPTIONAL { ?obs miner:referenceYear ?year } OPTIONAL { ?obs miner:page ?page }
  OPTIONAL { ?obs prov:wasDerivedFrom/miner:sha256 ?sha } } } ORDER BY ?year ?ordinal"""
)
Q_AXES = (
    SPARQL_PROLOGUE
    + """SELECT ?axis ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a miner:ClusterActivity ; miner:cluster <$c> ; miner:servesAxis ?concept .
  ?concept skos:notation ?axis ; skos:prefLabel ?label . FILTER (lang(?label) = "fr")
} GROUP BY ?axis ?label ORDER BY ?axis"""
)
Q_INDICATORS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?obs ?period ?objective ?indicator ?unit ?target ?achieved ?page ?sha
  ?file WHERE { GRAPH ?g {
  ?obs a miner:IndicatorObservation ; miner:cluster <$c> ; miner:indicator ?indicator .
  OPTIONAL { ?obs miner:period ?period } OPTIONAL { ?obs miner:objective ?objective } OPTIONAL { ?obs miner:unit ?unit }
  OPTIONAL { ?obs miner:targetValue ?target } OPTIONAL { ?obs miner:achievedValue ?achieved }
  OPTIONAL { ?obs miner:page ?page } OPTIONAL { ?obs prov:wasDerivedFrom ?doc . ?doc miner:sha256 ?sha ; miner:fileName ?file } }
} ORDER BY ?period ?objective ?indicator ?file"""
)
Q_ACTIVITIES = (
    SPARQL_PROLOGUE + """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a miner:ClusterActivity ; miner:cluster <$c> }"""
)
Q_PARTNERS = (
    SPARQL_PROLOGUE
    + """SELECT ?o (SAMPLE(?name0) AS ?name) ?kind (GROUP_CONCAT(DISTINCT ?cycle0; separator=", ") AS ?cycles)
  (COUNT(DISTINCT ?r) AS ?facts) WHERE {
  ?r a miner:Partnership ; miner:cluster <$c> ; miner:partner ?o ; miner:relationKind ?kind . FILTER (?o != <$c>)
  OPTIONAL { ?o rdfs:label|skos:prefLabel|org:name ?name0 } OPTIONAL { ?r miner:cycle/rdfs:label ?cycle0 }
} GROUP BY ?o ?kind ORDER BY ?kind ?name"""
)

ARROWS = {1: "↑", -1: "↓", 0: "="}


@dataclass
class Place:
    """A page of a document, as a link a mailed report keeps (or plain text when none can be made)."""

    text: str
    href: str | None = None
    fact: str | None = None
    """The fact's IRI when ``href`` is its evidence page on a ``miner serve``."""


@dataclass
class CriterionRow:
    theme: str
    text: str
    ids: list[str]
    cells: list[dict[str, Any]]
    """One per cycle: judgement, rank, place, change (steps from the previous cycle that judged it)."""


@dataclass
class IndicatorRow:
    """One indicator of a cluster's contract: the target and the achieved value, each with the
    document and page that state it (a contract and its mid-term evaluation are two documents)."""

    period: str
    objective: str
    indicator: str
    unit: str
    target: float | None = None
    achieved: float | None = None
    target_from: list[Place] = field(default_factory=list)
    achieved_from: list[Place] = field(default_factory=list)
    other_targets: list[float] = field(default_factory=list)
    """Targets another document states differently (a contract amended at mid-term): shown, not chosen."""

    @property
    def share(self) -> float | None:
        """The share of the target reached (1.0 = reached), when both values are known."""
        if self.target is None or self.achieved is None or self.target == 0:
            return None
        return self.achieved / self.target

    def shown(self, value: float | None) -> str:
        """A value as the report writes it, with its unit."""
        if value is None:
            return "—"
        number = f"{value:,.0f}".replace(",", " ") if value == int(value) else f"{value:g}".replace(".", ",")
        return number + {"percent": " %", "EUR": " €", "count": ""}.get(self.unit, f" {self.unit}")


@dataclass
class ClusterReport:
    cluster: str
    key: str
    cycles: list[str]
    endpoint: str | None = None
    """The ``miner serve`` whose evidence pages the places link to (None: the PDF files)."""
    criteria: list[CriterionRow] = field(default_factory=list)
    constats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    member_counts: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    activities: int = 0
    axes: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    """The evaluating consultancy and the commissioning administration (network.graph.ROLE_KINDS)."""

    def changes(self, before: str, after: str) -> dict[str, int]:
        """Criteria judged in both cycles: how many went up, down, or stayed."""
        i, j = self.cycles.index(before), self.cycles.index(after)
        out = {"judged": 0, "up": 0, "down": 0, "same": 0}
        for row in self.criteria:
            a, b = row.cells[i], row.cells[j]
            if a.get("rank") is None or b.get("rank") is None:
                continue
            out["judged"] += 1
            steps = b["rank"] - a["rank"]
            out["up" if steps > 0 else "down" if steps < 0 else "same"] += 1
        return out


def find_cluster(store: Any, name: str) -> tuple[str, str]:
    """(IRI, label) of the cluster ``name`` names: its key, its label or a word of them; a name that
    matches none is refused with the closest ones."""
    rows = select_rows(store, Q_CLUSTERS)
    clusters = {str(r["c"]): str(r["label"]) for r in rows}
    if not clusters:
        raise UsageError("the store holds no evaluation; build one first (miner build REPORT.pdf --store DIR)")
    wanted = slugify(name)
    exact = [(c, label) for c, label in clusters.items() if wanted in (c.rsplit("/", 1)[-1], slugify(label))]
    partial = [(c, label) for c, label in clusters.items() if wanted and wanted in c.rsplit("/", 1)[-1]]
    found = exact or partial
    if len(found) == 1:
        return found[0]
    keys = [c.rsplit("/", 1)[-1] for c in clusters]
    if found:
        raise UsageError(f"{name!r} names several clusters: {', '.join(sorted(k for k in keys if wanted in k))}")
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.3) or keys[:3]
    raise UsageError(f"no cluster {name!r} in the store; closest: {', '.join(close)}")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def cluster_report(
    store: Any, name: str, *, store_path: Path | None = None, endpoint: str | None = None
) -> ClusterReport:
    """Read everything the report shows of one cluster from the store."""
    check_endpoint(endpoint)
    iri, label = find_cluster(store, name)
    register = read_register(store_path) if store_path else {}

    def place(page: Any, sha: Any, fact: Any = None, document: Any = None) -> Place:
        number = _int(page)
        text = f"p. {number}" if number else "—"
        if document is not None:
            text = f"{document}, {text}"
        if endpoint and fact is not None:
            return Place(f"{text}, {EVIDENCE_TEXT}", evidence_href(endpoint, str(fact)), str(fact))
        path = register.get(str(sha)) if sha is not None else None
        if path and number:
            return Place(text, Path(path).as_uri() + f"#page={number}")
        return Place(text)

    judgements = select_rows(store, Q_JUDGEMENTS, c=iri)
    ordinals: dict[str, int] = {}
    for r in judgements:
        ordinals.setdefault(str(r["cycle"]), _int(r["ordinal"]) or 0)
    constat_rows = select_rows(store, Q_CONSTATS, c=iri)
    for r in constat_rows:
        ordinals.setdefault(str(r["cycle"]), _int(r["ordinal"]) or 0)
    cycles = sorted(ordinals, key=lambda c: (ordinals[c], c))
    report = ClusterReport(label, iri.rsplit("/", 1)[-1], cycles, endpoint)
    by_criterion: dict[str, dict[str, Any]] = {}
    for r in sorted(judgements, key=lambda r: tuple(_int(x) or 0 for x in str(r["id"]).split("."))):
        entry = by_criterion.setdefault(
            str(r["crit"]), {"theme": str(r["theme"]), "text": str(r["text"]), "ids": [], "cells": {}}
        )
        if str(r["id"]) not in entry["ids"]:
            entry["ids"].append(str(r["id"]))
        entry["cells"].setdefault(
            str(r["cycle"]),
            {"judgement": r["judgement"], "rank": _int(r["rank"]), "place": place(r["page"], r["sha"], r["obs"])},
        )
    for entry in by_criterion.values():
        cells, previous = [], None
        for cycle in cycles:
            cell = {
                "change": None,
                "steps": None,
                **(entry["cells"].get(cycle) or {"judgement": None, "rank": None, "place": Place("")}),
            }
            if cell["rank"] is not None and previous is not None:
                steps = cell["rank"] - previous
                cell["change"] = ARROWS[(steps > 0) - (steps < 0)]
                cell["steps"] = steps
            if cell["rank"] is not None:
                previous = cell["rank"]
            cells.append(cell)
        report.criteria.append(CriterionRow(entry["theme"], entry["text"], entry["ids"], cells))
    seen: set[tuple[str, int]] = set()
    for r in constat_rows:
        key = (str(r["cycle"]), _int(r["n"]) or 0)
        if key in seen:
            continue
        seen.add(key)
        report.constats.setdefault(key[0], []).append(
            {"number": key[1], "text": str(r["text"]), "place": place(r["page"], r["sha"], r["k"])}
        )
    counted: dict[tuple, dict[str, Any]] = {}
    for r in select_rows(store, Q_COUNTS, c=iri):  # a count stated on two pages is one figure, both pages
        entry = counted.setdefault(
            (_int(r["year"]), _int(r["value"])),
            {"cycle": str(r["cycle"]), "year": _int(r["year"]), "value": _int(r["value"]), "places": []},
        )
        entry["places"].append(place(r["page"], r["sha"], r["obs"]))
    report.member_counts = list(counted.values())
    report.members = [
        {"cycle": str(r["cycle"]), "type": str(r["type"]), "province": str(r["province"]), "n": _int(r["n"]) or 0}
        for r in select_rows(store, Q_MEMBERS, c=iri)
    ]
    report.activities = _int(select_rows(store, Q_ACTIVITIES, c=iri)[0]["n"]) or 0
    report.axes = [
        {"axis": str(r["axis"]), "label": str(r["label"]), "n": _int(r["n"]) or 0}
        for r in select_rows(store, Q_AXES, c=iri)
    ]
    report.indicators = _indicators(select_rows(store, Q_INDICATORS, c=iri), place)
    ties = [
        {
            "name": str(r["name"] or r["o"]),
            "kind": str(r["kind"]),
            "cycles": str(r["cycles"] or ""),
            "facts": _int(r["facts"]) or 0,
            "role": ROLE_KINDS.get(str(r["kind"]), ""),
        }
        for r in select_rows(store, Q_PARTNERS, c=iri)
    ]
    # the consultancy that evaluates and the administration that commissions are roles, not partners
    report.partners = [t for t in ties if not t["role"]]
    report.roles = [t for t in ties if t["role"]]
    return report


def _number(value: Any) -> float | None:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def _indicators(rows: list[dict[str, Any]], place: Any) -> list[IndicatorRow]:
    """One row per indicator of a period, its values joined over the documents that state them."""
    found: dict[tuple[str, str], IndicatorRow] = {}
    for r in rows:
        key = (str(r["period"] or ""), str(r["indicator"]))
        row = found.setdefault(key, IndicatorRow(key[0], str(r["objective"] or ""), key[1], str(r["unit"] or "count")))
        where = place(r["page"], r["sha"], r["obs"], r["file"])
        for value, name, places in (
            (r["target"], "target", row.target_from),
            (r["achieved"], "achieved", row.achieved_from),
        ):
            number = _number(value)
            if number is None:
                continue
            if getattr(row, name) is None:
                setattr(row, name, number)
            elif name == "target" and number != row.target and number not in row.other_targets:
                row.other_targets.append(number)
            places.append(where)
    return list(found.values())


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_fr(report: ClusterReport) -> str:
    """The first paragraph, written from the figures only.

    >>> r = ClusterReport("X", "x", ["6e triennat", "7e triennat"], criteria=[
    ...     CriterionRow("T", "t", ["1.1"], [{"rank": 2}, {"rank": 3}]),
    ...     CriterionRow("U", "u", ["1.2"], [{"rank": 2}, {"rank": 2}])])
    >>> summary_fr(r)
    'Sur 2 critères jugés au 6e triennat et au 7e triennat, 1 progresse, aucun ne recule et 1 reste au même niveau.'
    """
    sentences = []
    if len(report.cycles) >= 2:
        before, after = report.cycles[-2], report.cycles[-1]
        c = report.changes(before, after)
        if c["judged"]:
            up = _plural(c["up"], "progresse", "progressent") if c["up"] else "aucun ne progresse"
            down = _plural(c["down"], "recule", "reculent") if c["down"] else "aucun ne recule"
            same = _plural(c["same"], "reste au même niveau", "restent au même niveau")
            sentences.append(
                f"Sur {_plural(c['judged'], 'critère jugé', 'critères jugés')} au {before} et au {after}, "
                f"{up}, {down} et {same}."
            )
    elif report.cycles:
        sentences.append(
            f"Le graphe tient une seule évaluation du cluster ({report.cycles[0]}), "
            f"{_plural(len(report.criteria), 'critère', 'critères')}."
        )
    counts = [m for m in report.member_counts if m["value"] is not None and m["year"] is not None]
    if counts:
        first, last = counts[0], counts[-1]
        if first["year"] != last["year"]:
            sentences.append(
                f"Le cluster passe de {first['value']} membres en {first['year']} à {last['value']} en {last['year']}."
            )
        else:
            sentences.append(f"Le cluster compte {last['value']} membres en {last['year']}.")
    if report.activities:
        top = max(report.axes, key=lambda a: a["n"]) if report.axes else None
        sentence = f"{_plural(report.activities, 'activité est recensée', 'activités sont recensées')}"
        if top:
            sentence += f", le plus souvent sur l'axe « {top['label']} » ({top['n']})"
        sentences.append(sentence + ".")
    measured = [i for i in report.indicators if i.share is not None]
    if measured:
        reached, n = sum(i.share >= 1 for i in measured), len(measured)
        if reached == 0:
            sentences.append(f"Aucun des {n} indicateurs mesurés du contrat d'objectifs n'atteint sa cible.")
        else:
            sentences.append(
                f"{reached} des {n} indicateurs mesurés du contrat d'objectifs "
                f"{'atteint sa' if reached == 1 else 'atteignent leur'} cible."
            )
    if report.partners:
        names = {p["name"] for p in report.partners}
        sentences.append(f"Les documents citent {_plural(len(names), 'partenaire', 'partenaires')}.")
    return " ".join(sentences)


def render_cluster_report(report: ClusterReport) -> str:
    style = (ASSETS / "cluster-report.css").read_text(encoding="utf-8")
    types = sorted({m["type"] for m in report.members})
    provinces = sorted({m["province"] for m in report.members})
    member_cycles = [c for c in report.cycles if any(m["cycle"] == c for m in report.members)]
    by_type = {
        (m["cycle"], t): sum(x["n"] for x in report.members if x["cycle"] == m["cycle"] and x["type"] == t)
        for m in report.members
        for t in types
    }
    by_province = {
        (m["cycle"], p): sum(x["n"] for x in report.members if x["cycle"] == m["cycle"] and x["province"] == p)
        for m in report.members
        for p in provinces
    }
    return render_template(
        "cluster-report.html",
        csp=CSP,
        style=trusted(style),
        r=report,
        summary=summary_fr(report),
        links_note=links_note(report.endpoint),
        types=types,
        provinces=provinces,
        member_cycles=member_cycles,
        by_type=by_type,
        by_province=by_province,
    )


def write_cluster_report(report: ClusterReport, out: Path) -> Path:
    """Write the report as HTML (``.html``) or PDF (``.pdf``, printed by Chromium from the same page)."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UsageError(f"{out}: the report is .html or .pdf, not {suffix or 'no suffix'}")
    html = render_cluster_report(report)
    if suffix == ".pdf":
        return print_pdf(html, out)
    write_text_atomic(out, html)
    return out
