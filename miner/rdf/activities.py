"""Classified activities → RDF: activities, axis assignments with scores, constat links, provenance.

One named graph per activity file (by its sha256). The annotation run is a ``miner:ExtractionRun``
that used the file and is associated with two software agents: miner itself and the axis model
(its version), so every assignment says which model made it. Constat links are Web Annotations
targeting the activity, related (``dcterms:relation``) to the constat's IRI, with a score; they
are written only for constats whose IRIs the caller gives (the evaluation graph mints them).

Hook for the graph store: ``miner.store.local.load_rdflib_graph(store, activities_graph(...))``. The
pipeline step ``miner.annotate.v1`` does it for activity lists among a run's inputs: it reads the
constats already in the store (of the same cluster), classifies and links, and loads the graph;
an unchanged input under the same model, settings and constats is served from the run cache
without loading spaCy or torch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from miner import __version__
from miner.pipeline.registry import step
from miner.rdf.vocab import MINER, OA, PREFIXES, Minter, axis

__all__ = ["activities_graph", "constats_in_store", "AnnotateParams", "annotate_step"]


def activities_graph(
    classified: Any,
    sha256: str,
    *,
    path: str | Path | None = None,
    constat_iris: Mapping[int | str, URIRef] | None = None,
    constat_profiles: Sequence[Any] = (),
    minter: Minter | None = None,
    default_cluster: str = "unknown",
    generated_at: dt.datetime | None = None,
) -> Graph:
    """The graph of one classified activity file (:class:`miner.tag.classify.Classified`).

    Rows with an error are left out of the graph (they are in the output table with the reason).
    ``constat_iris`` maps a link's constat key (:attr:`miner.tag.links.Link.constat`) or number to the
    constat's IRI; ``constat_profiles`` (:class:`miner.tag.links.ConstatProfile`, keyed by IRI) add
    each constat's decree axes and polarity, as read by this run."""
    m = minter or Minter()
    g = Graph(identifier=m.graph(sha256))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    doc, run = m.document(sha256), m.run(sha256)
    g.add((doc, RDF.type, MINER.SourceDocument))
    g.add((doc, MINER.sha256, Literal(sha256)))
    if path is not None:
        g.add((doc, MINER.fileName, Literal(Path(path).name)))
    software = m.agent(__version__)
    model = m.agent(f"axes-{classified.model_version}")
    for agent, label, version in ((software, f"miner {__version__}", __version__), (model, f"axis model {classified.model_version}", classified.model_version)):
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add((agent, RDFS.label, Literal(label)))
        g.add((agent, MINER.softwareVersion, Literal(version)))
    started = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    g.add((run, RDF.type, MINER.ExtractionRun))
    g.add((run, PROV.used, doc))
    g.add((run, PROV.wasAssociatedWith, software))
    g.add((run, PROV.wasAssociatedWith, model))
    g.add((run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((run, MINER.softwareVersion, Literal(__version__)))
    g.add((g.identifier, PROV.wasDerivedFrom, doc))  # type: ignore[arg-type]
    for activity, prediction, links in zip(classified.activities, classified.predictions, classified.links):
        if activity is None or prediction is None:
            continue
        cluster = activity.cluster or default_cluster
        act = m.activity(cluster, activity.id)
        g.add((act, RDF.type, MINER.ClusterActivity))
        g.add((act, MINER.text, Literal(activity.description, lang="fr")))
        g.add((act, MINER.cluster, m.cluster(cluster)))
        g.add((act, PROV.wasDerivedFrom, doc))
        g.add((act, PROV.wasGeneratedBy, run))
        if activity.title:
            g.add((act, DCTERMS.title, Literal(activity.title)))
        if activity.date:
            g.add((act, DCTERMS.date, Literal(activity.date)))
        if activity.page:
            g.add((act, MINER.page, Literal(activity.page, datatype=XSD.integer)))
        for number, score in enumerate(prediction.scores, 1):
            assignment = URIRef(f"{act}/axis/{number}")
            g.add((act, MINER.axisAssignment, assignment))
            g.add((assignment, RDF.type, MINER.AxisAssignment))
            g.add((assignment, MINER.axis, axis(number)))
            g.add((assignment, MINER.score, Literal(round(score, 4), datatype=XSD.decimal)))
            g.add((assignment, PROV.wasGeneratedBy, run))
            if number in prediction.axes:
                g.add((act, MINER.servesAxis, axis(number)))
                g.add((assignment, RDFS.comment, Literal(prediction.evidence, lang="fr")))
        for link in links:
            iris = constat_iris or {}
            target = iris.get(link.constat) or iris.get(link.number)
            if target is None:
                continue
            note = URIRef(f"{act}/constat/{_link_slug(str(target), link.number)}")
            g.add((act, MINER.bearsOnConstat, target))
            g.add((note, RDF.type, MINER.ConstatLink))
            g.add((note, RDF.type, OA.Annotation))
            g.add((note, OA.hasTarget, act))
            g.add((note, DCTERMS.relation, target))
            g.add((note, MINER.score, Literal(link.score, datatype=XSD.decimal)))
            g.add((note, RDFS.comment, Literal(link.evidence)))
            g.add((note, PROV.wasGeneratedBy, run))
    for profile in constat_profiles:
        constat = URIRef(profile.key)
        g.add((constat, MINER.polarity, Literal(profile.polarity)))
        for number in profile.axes:
            g.add((constat, MINER.constatAxis, axis(number)))
    return g


def _link_slug(constat_iri: str, number: int) -> str:
    """``7`` for a bare constat number; ``triennat-7-12`` for ``…/triennat-7/constat/12``, so
    links to the same number in two cycles get two IRIs.

    >>> _link_slug("https://w3id.org/miner/id/cluster/x/triennat-7/constat/12", 12)
    'triennat-7-12'
    """
    parts = constat_iri.rstrip("/").split("/")
    return f"{parts[-3]}-{number}" if len(parts) >= 3 and parts[-2] == "constat" else str(number)


CONSTATS_QUERY = """PREFIX miner: <https://w3id.org/miner/ontology#>
SELECT ?k ?n ?text WHERE { GRAPH ?g { ?k a miner:Constat ; miner:constatNumber ?n ; miner:text ?text } }
ORDER BY ?k"""


def constats_in_store(store: Any, *, cluster_iri: str | None = None) -> list[tuple[str, int, str]]:
    """(IRI, number, text) of the constats in the store; of one cluster's evaluations when its IRI
    is given and it has some (constat IRIs are minted under their cluster's IRI), else all."""
    from miner.store.local import run_query

    result = run_query(store, CONSTATS_QUERY, max_rows=None, timeout=None)
    found = [(row[0].value, int(row[1].value), row[2].value) for row in result.rows]
    if cluster_iri:
        own = [c for c in found if c[0].startswith(cluster_iri.rstrip("/") + "/")]
        return own or found
    return found


class AnnotateParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str = Field("*activit*", description="glob on input file names that are activity lists (CSV, XLSX, PDF)")
    cluster: str | None = Field(None, description="cluster of activities whose list has no cluster column")
    text_column: str | None = Field(None, description="description column, when not detected")
    model: str | None = Field(None, description="axis model artefact (default: the shipped one)")


@step("miner.annotate.v1", requires=("inputs", "graph"), assigns=("activity_graphs",), params=AnnotateParams)
def annotate_step(ctx: Any, params: AnnotateParams) -> None:
    """Classify activity lists, link them to the constats in the store and load their graphs (cached)."""
    import fnmatch
    import hashlib
    import json

    from miner.tag.axes import default_model_path
    from miner.pipeline.cache import cache_key
    from miner.errors import MinerError
    from miner.store.local import load_rdflib_graph, open_store, sha256_file

    name = "miner.annotate.v1"
    store = ctx.data.get("oxigraph") or open_store(ctx.store)
    ctx.data["oxigraph"] = store
    minter = Minter(ctx.base_iri)
    cluster_iri = str(minter.cluster(params.cluster)) if params.cluster else None
    constats = constats_in_store(store, cluster_iri=cluster_iri)
    constats_digest = hashlib.sha256(json.dumps(constats, ensure_ascii=False).encode("utf-8")).hexdigest()
    model_file = Path(params.model) if params.model else default_model_path()
    loaded = ctx.data.setdefault("activity_graphs", [])
    for path in ctx.inputs:
        path = Path(path)
        if path.suffix.lower() not in {".csv", ".xlsx", ".pdf"} or not fnmatch.fnmatch(path.name, params.pattern):
            continue
        sha = sha256_file(path)
        key = cache_key(name, params, sha, model_file.name, constats_digest, str(ctx.base_iri))
        cached = ctx.cache.get(name, key) if ctx.cache else None
        try:
            if cached is not None:
                graph = Graph(identifier=minter.graph(sha)).parse(data=json.loads(cached)["nt"], format="nt")
            else:
                graph = _annotate_file(path, sha, params, constats, minter)
                if ctx.cache:
                    ctx.cache.put(name, key, json.dumps({"nt": graph.serialize(format="nt")}))
        except MinerError as exc:
            ctx.fail(path, name, str(exc))
            continue
        count = load_rdflib_graph(store, graph)
        served = sum(1 for _ in graph.subjects(RDF.type, MINER.ClusterActivity))
        ctx.echo(f"{path}: {served} activities, {count} triples into {graph.identifier}" + (" (cached)" if cached else ""))
        loaded.append(str(graph.identifier))
    store.flush()


def _annotate_file(path: Path, sha: str, params: AnnotateParams, constats: Sequence[tuple[str, int, str]], minter: Minter) -> Graph:
    """Classify one activity list, link it to ``constats`` (IRI, number, text) and build its graph."""
    from miner.read.activities import read_table
    from miner.tag.axes import load_model
    from miner.tag.classify import classify_table
    from miner.tag.links import link, profile_constats
    from miner.records import Constat, Provenance

    model = load_model(params.model)
    records = [Constat(number=n, text=text, criteria=[], pages=[], provenance=Provenance(document=iri)) for iri, n, text in constats]
    profiles = profile_constats(records, model=model) if records else []
    for profile, (iri, _, _) in zip(profiles, constats):
        profile.key = iri
    result = classify_table(read_table(path), text_column=params.text_column, model_path=params.model)
    texts = [a.description for a, p in zip(result.activities, result.predictions) if a is not None and p is not None]
    found = iter(link(texts, profiles, model=model) if profiles and texts else [[] for _ in texts])
    result.links = [next(found) if a is not None and p is not None else [] for a, p in zip(result.activities, result.predictions)]
    return activities_graph(
        result, sha, path=path, constat_iris={iri: URIRef(iri) for iri, _, _ in constats},
        constat_profiles=profiles, minter=minter, default_cluster=params.cluster or "unknown",
    )
