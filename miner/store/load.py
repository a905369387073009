"""Documents → store: the loaders the pipeline steps (and so `miner build`) write graphs with.

An evaluation report PDF is extracted (``miner.extract.evaluation``), an ``Evaluation`` JSON (what
`miner extract` writes) is read back; each document becomes its named graphs, replacing any earlier
load of the same document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from miner.errors import InputError
from miner.extract.evaluation import extract_batch
from miner.extract.organisations import organisations_of_evaluation
from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.organisations import activity_partners_graph, member_list_graph, organisations_graph
from miner.read.activities import read_activities
from miner.read.files import sha256_file
from miner.records import Evaluation
from miner.store.local import load_rdflib_graph

__all__ = ["read_evaluation", "load_evaluations", "load_organisations", "load_member_list", "load_activity_partners"]


def read_evaluation(path: Path, password: str | None, ocr: str = "auto"):  # noqa: ANN202
    """An Evaluation JSON read back, or a PDF extracted by the isolated reader with its declared
    time and memory limits (an untrusted file never runs in this process); InputError otherwise."""

    if path.suffix.lower() == ".json":
        from pydantic import ValidationError

        try:
            return Evaluation.model_validate_json(path.read_bytes())
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(
                path, f"not an Evaluation record: {'.'.join(map(str, first['loc']))}: {first['msg']}"
            ) from None
        except OSError as exc:
            raise InputError(path, f"cannot read ({exc.strerror})") from None

    [(_path, evaluation, error)] = extract_batch([path], password=password, ocr=ocr)
    if evaluation is None:
        raise InputError(path, error or "failed")
    return evaluation


def load_evaluations(
    store: Any,
    evaluations: list[Any],
    *,
    base_iri: str | None = None,
    cycle: str | None = None,
    generated_at: str | None = None,
    cycles: Mapping[str, Any] | None = None,
) -> list[tuple[str, str, int]]:
    """Write each Evaluation's named graph, replacing it; returns (path, graph, triples) each.
    ``cycles``: the cycle found for each (CycleInference by the document's sha256), written as found."""

    loaded = []
    for evaluation in evaluations:
        found = (cycles or {}).get(evaluation.source.sha256)
        graph = build_evaluation_graph(
            evaluation, GraphSettings(base_iri=base_iri, cycle=cycle, generated_at=generated_at, found=found)
        )
        loaded.append((evaluation.source.path, str(graph.identifier), load_rdflib_graph(store, graph)))
    return loaded


def load_activity_partners(
    store: Any, path: str, cluster: str, *, base_iri: str | None = None, nlp: Any = None
) -> tuple[int, Any]:
    """Read an activity list (CSV, XLSX, PDF) and write who took part in each activity."""

    activities = read_activities(path)
    graph, index = activity_partners_graph(
        activities, sha256_file(Path(path)), str(path), cluster, base_iri=base_iri, nlp=nlp
    )
    return load_rdflib_graph(store, graph), index


def load_organisations(
    store: Any,
    evaluations: list[Any],
    *,
    base_iri: str | None = None,
    cycle: str | None = None,
    generated_at: str | None = None,
    nlp: Any = None,
    indexes: list[Any] | None = None,
    cycles: Mapping[str, Any] | None = None,
) -> list[tuple[str, Any]]:
    """Find, resolve and write the organisations of each document; returns (path, index) each.
    ``indexes``: the documents' organisations already found (in workers), in the same order."""

    done = []
    for position, evaluation in enumerate(evaluations):
        index = indexes[position] if indexes is not None else organisations_of_evaluation(evaluation, nlp=nlp)
        graph = organisations_graph(
            evaluation,
            index,
            base_iri=base_iri,
            cycle=cycle,
            generated_at=generated_at,
            found=(cycles or {}).get(evaluation.source.sha256),
        )
        load_rdflib_graph(store, graph)
        done.append((evaluation.source.path, index))
    return done


def load_member_list(
    store: Any,
    member_list: Any,
    cluster: str,
    cycle: str,
    *,
    base_iri: str | None = None,
    generated_at: str | None = None,
) -> int:
    """Write a member list's memberships for ``cycle`` of ``cluster``; returns the triples written."""

    return load_rdflib_graph(
        store, member_list_graph(member_list, cluster, cycle, base_iri=base_iri, generated_at=generated_at)
    )
