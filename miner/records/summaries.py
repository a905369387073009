"""What the store reads back of a document's criterion summary to pair it with another cycle's.

A change of judgement between two cycles is a fact of two documents, so no document's graph holds
it: the store reads the criterion summaries of one cluster's evaluations as these records and
:mod:`miner.rdf.changes` pairs them. Values are RDF terms as the store gives them (pyoxigraph's or
rdflib's), each field a tuple because RDF lets a property repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["JudgedCriterion"]


@dataclass(frozen=True)
class JudgedCriterion:
    """One ``miner:CriterionSummary``: its IRI and the values pairing and listing read."""

    summary: Any
    clusters: tuple[Any, ...] = ()
    criteria: tuple[Any, ...] = ()
    judgements: tuple[Any, ...] = ()
    dates: tuple[Any, ...] = ()
    cycle_labels: tuple[Any, ...] = ()
    cluster_labels: tuple[Any, ...] = ()
    themes: tuple[Any, ...] = ()
