"""Documents → store: the `miner build` command's work and the pipeline steps that load and query.

Each input is read by its kind: an evaluation report PDF is extracted (``miner.extract.evaluation``), an
``Evaluation`` JSON (what `miner extract` writes) is read back, an RDF file is imported as it is.
Each becomes the named graph of its document, replacing any earlier load of the same document; the
ontology graph is reloaded by every build. A document that fails is reported and skipped, the
others still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from miner.errors import InputError, MinerError
from miner.extract.evaluation import extract_evaluation
from miner.extract.organisations import organisations_of_evaluation
from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
from miner.rdf.organisations import activity_partners_graph, member_list_graph, organisations_graph
from miner.rdf.vocab import Minter
from miner.read.activities import read_activities
from miner.read.files import sha256_file
from miner.records import Evaluation
from miner.store.local import RDF_SUFFIXES, import_rdf_file, load_ontology, load_rdflib_graph, open_store

__all__ = ["BuildReport", "build", "read_evaluation", "load_evaluations", "load_organisations", "load_member_list",
           "load_activity_partners"]


@dataclass
class BuildReport:
    """What a build loaded: graphs written with their triple counts, and the inputs that failed."""

    loaded: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def read_evaluation(path: Path, password: str | None, ocr: str = "auto"):  # noqa: ANN202

    if path.suffix.lower() == ".json":
        from pydantic import ValidationError

        try:
            return Evaluation.model_validate_json(path.read_bytes())
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(path, f"not an Evaluation record: {'.'.join(map(str, first['loc']))}: "
                                   f"{first['msg']}") from None
        except OSError as exc:
            raise InputError(path, f"cannot read ({exc.strerror})") from None

    return extract_evaluation(path, password=password, ocr=ocr)


def load_evaluations(store: Any, evaluations: list[Any], *, base_iri: str | None = None,
                     cycle: str | None = None, generated_at: str | None = None) -> list[tuple[str, str, int]]:
    """Write each Evaluation's named graph, replacing it; returns (path, graph, triples) each."""

    settings = GraphSettings(base_iri=base_iri, cycle=cycle, generated_at=generated_at)
    loaded = []
    for evaluation in evaluations:
        graph = build_evaluation_graph(evaluation, settings)
        loaded.append((evaluation.source.path, str(graph.identifier), load_rdflib_graph(store, graph)))
    return loaded


def build(
    inputs: list[Path],
    store_path: Path | None,
    *,
    base_iri: str | None = None,
    cycle: str | None = None,
    password: str | None = None,
    ocr: str = "auto",
    echo: Callable[[str], Any] = print,
) -> BuildReport:
    """Extract and load every input into the store at ``store_path`` (in memory for None)."""

    minter = Minter(base_iri)
    store = open_store(store_path)
    report = BuildReport()
    for path in inputs:
        try:
            if not path.is_file():
                raise InputError(path, "no such file")
            if path.suffix.lower() in RDF_SUFFIXES:
                result = import_rdf_file(store, path, str(minter.graph(sha256_file(path))))
                report.loaded.extend((str(path), graph, result.triples) for graph in result.graphs[:1])
                echo(f"{path}: {result.triples} triples into {', '.join(result.graphs)}")
                continue
            evaluation = read_evaluation(path, password, ocr)
            for source, graph, count in load_evaluations(store, [evaluation], base_iri=base_iri, cycle=cycle):
                report.loaded.append((str(path), graph, count))
                echo(f"{path}: {count} triples into {graph}")
        except MinerError as exc:
            report.failures.append((str(path), str(exc)))
            echo(f"error: {exc}")
    load_ontology(store, str(minter.ontology_graph()))
    store.flush()
    return report


def load_activity_partners(store: Any, path: str, cluster: str, *, base_iri: str | None = None,
                           nlp: Any = None) -> tuple[int, Any]:
    """Read an activity list (CSV, XLSX, PDF) and write who took part in each activity."""


    activities = read_activities(path)
    graph, index = activity_partners_graph(activities, sha256_file(Path(path)), str(path), cluster,
                                           base_iri=base_iri, nlp=nlp)
    return load_rdflib_graph(store, graph), index


def load_organisations(store: Any, evaluations: list[Any], *, base_iri: str | None = None, cycle: str | None = None,
                       generated_at: str | None = None, nlp: Any = None) -> list[tuple[str, Any]]:
    """Find, resolve and write the organisations of each document; returns (path, index) each."""

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

    return load_rdflib_graph(store, member_list_graph(member_list, cluster, cycle, base_iri=base_iri,
                                                      generated_at=generated_at))
