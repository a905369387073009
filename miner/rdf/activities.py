"""Classified activities → RDF: activities, their tags under a concept scheme (the 2007 axes by
default) with scores, constat links, provenance.

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
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from miner.data.schemes import DEFAULT_SCHEME, Scheme, builtin_scheme
from miner.rdf.document import DocumentGraph, DocumentInfo
from miner.rdf.vocab import AXIS_SCHEME, MINER, OA, Minter, axis, slugify

__all__ = ["activities_graph", "schemes_graph", "link_slug"]


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
    scheme: Scheme | None = None,
) -> Graph:
    """The graph of one classified activity file (:class:`miner.tag.classify.Classified`).

    Rows with an error are left out of the graph (they are in the output table with the reason).
    ``constat_iris`` maps a link's constat key (:attr:`miner.tag.links.Link.constat`) or number to the
    constat's IRI; ``constat_profiles`` (:class:`miner.tag.links.ConstatProfile`, keyed by IRI) add
    each constat's decree axes and polarity, as read by this run. ``scheme`` is the concept scheme the
    predictions are under (the 2007 axes by default): ``prediction.scores`` follow its concepts'
    order and ``prediction.axes`` holds the 1-based positions of the concepts chosen; every
    assignment names its scheme and concept (``miner:scheme``, ``miner:concept``)."""
    m = minter or Minter()
    tags = scheme or builtin_scheme(DEFAULT_SCHEME)
    is_axes = tags.iri == str(AXIS_SCHEME)
    version = classified.model_version
    model = (
        (f"axes-{version}", f"axis model {version}", version)
        if is_axes
        else (f"{tags.name}-{version}", f"{tags.name} model {version}", version)
    )
    b = DocumentGraph(
        m.graph(sha256),
        DocumentInfo(sha256, str(path) if path is not None else None),
        m,
        run=m.run(sha256),
        agents=[model],
        generated_at=generated_at,
    )
    g, doc, run = b.g, b.doc, b.run
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
            concept = URIRef(tags.concepts[number - 1].iri)
            chosen = number in prediction.axes
            assignment = (
                URIRef(f"{act}/axis/{number}")
                if is_axes
                else URIRef(f"{act}/tag/{tags.name}/{slugify(tags.concepts[number - 1].notation)}")
            )
            g.add((act, MINER.conceptAssignment, assignment))
            g.add((assignment, RDF.type, MINER.ConceptAssignment))
            g.add((assignment, MINER.scheme, URIRef(tags.iri)))
            g.add((assignment, MINER.concept, concept))
            g.add((assignment, MINER.score, Literal(round(score, 4), datatype=XSD.decimal)))
            g.add((assignment, PROV.wasGeneratedBy, run))
            if is_axes:  # the 2007 axes keep their own terms, which earlier queries read
                g.add((act, MINER.axisAssignment, assignment))
                g.add((assignment, RDF.type, MINER.AxisAssignment))
                g.add((assignment, MINER.axis, concept))
            if chosen:
                g.add((act, MINER.servesConcept, concept))
                g.add((assignment, RDFS.comment, Literal(prediction.evidence, lang="fr")))
                if is_axes:
                    g.add((act, MINER.servesAxis, concept))
        for link in links:
            iris = constat_iris or {}
            target = iris.get(link.constat) or iris.get(link.number)
            if target is None:
                continue
            note = URIRef(f"{act}/constat/{link_slug(str(target), link.number)}")
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


def schemes_graph(classified: Any, sha256: str, **options: Any) -> Graph:
    """One graph of every scheme a file was tagged under (``classify --scheme both``: the axes and
    the missions), each tag a ``miner:ConceptAssignment`` naming its scheme and concept; ``options``
    as for :func:`activities_graph`. A result with no ``by_scheme`` is the axes alone."""
    by_scheme = getattr(classified, "by_scheme", None) or {DEFAULT_SCHEME: classified.predictions}
    versions = getattr(classified, "versions", None) or {}
    known = getattr(classified, "schemes", None) or {}  # a user's scheme is known only from its file
    graph: Graph | None = None
    for name, predictions in by_scheme.items():
        one = replace(classified, predictions=predictions, model_version=versions.get(name, classified.model_version))
        part = activities_graph(one, sha256, scheme=known.get(name) or builtin_scheme(name), **options)
        if graph is None:
            graph = part
        else:
            graph += part
    return graph if graph is not None else activities_graph(classified, sha256, **options)


def link_slug(constat_iri: str, number: int) -> str:
    """``7`` for a bare constat number; ``triennat-7-12`` for ``…/triennat-7/constat/12``, so
    links to the same number in two cycles get two IRIs.

    >>> link_slug("https://w3id.org/miner/id/cluster/x/triennat-7/constat/12", 12)
    'triennat-7-12'
    """
    parts = constat_iri.rstrip("/").split("/")
    return f"{parts[-3]}-{number}" if len(parts) >= 3 and parts[-2] == "constat" else str(number)
