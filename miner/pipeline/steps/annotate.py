"""The annotate step: activity lists classified, linked to the store's constats, loaded (cached)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import pyoxigraph as ox
from pydantic import Field

from miner.data.schemes import BUILTIN_SCHEMES, DEFAULT_SCHEME
from miner.errors import MinerError
from miner.pipeline.cache import cache_key
from miner.pipeline.context import RunContext
from miner.pipeline.registry import step
from miner.pipeline.steps.classify import ClassifyParams
from miner.rdf.prefixes import SPARQL_PROLOGUE
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.records import Constat, Provenance
from miner.store.local import load_rdflib_graph, load_scheme_file, run_query
from miner.tag.modelfile import default_model_path
from miner.tag.schemes import default_scheme_model_path, schemes_for

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["constats_in_store", "AnnotateParams", "annotate_step"]

CONSTATS_QUERY = (
    SPARQL_PROLOGUE
    + """SELECT ?k ?n ?text WHERE { GRAPH ?g { ?k a miner:Constat ; skos:notation ?n ; miner:text ?text } }
ORDER BY ?k"""
)


def constats_in_store(store: Any, *, cluster_iri: str | None = None) -> list[tuple[str, int, str]]:
    """(IRI, number, text) of the constats in the store; of one cluster's evaluations when its IRI
    is given and it has some (constat IRIs are minted under their cluster's IRI), else all."""

    result = run_query(store, CONSTATS_QUERY, max_rows=None, timeout=None)
    found = [(row[0].value, int(row[1].value), row[2].value) for row in result.rows]
    if cluster_iri:
        own = [c for c in found if c[0].startswith(cluster_iri.rstrip("/") + "/")]
        return own or found
    return found


class AnnotateParams(ClassifyParams):
    pattern: str = Field("*activit*", description="glob on input file names that are activity lists (CSV, XLSX, PDF)")
    cluster: str | None = Field(None, description="cluster of activities whose list has no cluster column")


@step("miner.annotate.v1", requires=("inputs", "graph"), assigns=("activity_graphs",), params=AnnotateParams)
def annotate_step(ctx: RunContext, params: AnnotateParams) -> None:
    """Classify activity lists, link them to the constats in the store and load their graphs (cached)."""

    name = "miner.annotate.v1"
    store = ctx.open_store()
    minter = Minter(ctx.base_iri)
    cluster_iri = str(minter.cluster(params.cluster)) if params.cluster else None
    constats_digest = ctx.store_fact(
        f"{name}/{cluster_iri}",
        lambda: hashlib.sha256(
            json.dumps(constats_in_store(store, cluster_iri=cluster_iri), ensure_ascii=False).encode("utf-8")
        ).hexdigest(),
    )
    model_file = Path(params.model) if params.model else default_model_path()
    loaded = ctx.activity_graphs
    try:
        chosen = schemes_for(params.scheme)
        scheme_models = [default_scheme_model_path(s).name for s in chosen if s.name != DEFAULT_SCHEME]
        scheme_models += [sha256_file(s.path) for s in chosen if s.name not in BUILTIN_SCHEMES]  # its IRIs, labels
        for s in chosen:  # a user's scheme: its labels readable by SPARQL beside the ontology's
            if s.name not in BUILTIN_SCHEMES:
                load_scheme_file(store, str(minter.scheme_graph(s.name)), s.path)
    except MinerError as exc:
        ctx.fail(Path(str(params.scheme)), name, str(exc))
        return
    for path in ctx.inputs_matching(params.pattern):
        path = Path(path)
        if path.suffix.lower() not in {".csv", ".xlsx", ".pdf"}:
            continue
        sha = sha256_file(path)
        key = cache_key(name, params, sha, model_file.name, *scheme_models, constats_digest, str(ctx.base_iri))
        iri = str(minter.graph(sha))
        if not ctx.unchanged(
            name + "/loaded", params, key, outputs_exist=store.contains_named_graph(ox.NamedNode(iri))
        ):
            _load_file(ctx, store, path, sha, key, params, cluster_iri, minter)
            ctx.finished()
        loaded.append(iri)
    store.flush()


def _load_file(
    ctx: RunContext,
    store: ox.Store,
    path: Path,
    sha: str,
    key: str,
    params: AnnotateParams,
    cluster_iri: str | None,
    minter: Minter,
) -> None:
    """One activity list's graph into the store: the one made before under the same key, else made now."""
    from rdflib import Graph  # the graph and the tagger: only for a list not loaded as it is
    from rdflib.namespace import RDF

    from miner.rdf.vocab import MINER

    name = "miner.annotate.v1"
    cached = ctx.cache.get(name, key) if ctx.cache else None
    try:
        if cached is not None:
            graph = Graph(identifier=minter.graph(sha)).parse(data=json.loads(cached)["nt"], format="nt")
        else:
            graph = _annotate_file(path, sha, params, constats_in_store(store, cluster_iri=cluster_iri), minter)
            if ctx.cache:
                ctx.cache.put(name, key, json.dumps({"nt": graph.serialize(format="nt")}))
    except MinerError as exc:
        ctx.fail(path, name, exc)
        return
    count = load_rdflib_graph(store, graph)
    served = sum(1 for _ in graph.subjects(RDF.type, MINER.ClusterActivity))
    ctx.echo(f"{path}: {served} activities, {count} triples into {graph.identifier}" + (" (cached)" if cached else ""))


def _annotate_file(
    path: Path, sha: str, params: AnnotateParams, constats: Sequence[tuple[str, int, str]], minter: Minter
) -> Graph:
    """Classify one activity list, link it to ``constats`` (IRI, number, text) and build its graph."""
    from rdflib import URIRef

    from miner.rdf.activities import schemes_graph
    from miner.read.activities import read_table
    from miner.tag.axes import load_model
    from miner.tag.classify import classify_table
    from miner.tag.links import link, profile_constats

    model = load_model(params.model)
    records = [
        Constat(number=n, text=text, criteria=[], pages=[], provenance=Provenance(document=iri))
        for iri, n, text in constats
    ]
    profiles = profile_constats(records, model=model) if records else []
    for profile, (iri, _, _) in zip(profiles, constats):
        profile.key = iri
    result = classify_table(
        read_table(path), text_column=params.text_column, model_path=params.model, scheme=params.scheme
    )
    texts = [a.description for a, p in zip(result.activities, result.predictions) if a is not None and p is not None]
    found = iter(link(texts, profiles, model=model) if profiles and texts else [[] for _ in texts])
    result.links = [
        next(found) if a is not None and p is not None else [] for a, p in zip(result.activities, result.predictions)
    ]
    return schemes_graph(  # each tag names its scheme and concept
        result,
        sha,
        path=path,
        constat_iris={iri: URIRef(iri) for iri, _, _ in constats},
        constat_profiles=profiles,
        minter=minter,
        default_cluster=params.cluster or "unknown",
    )
