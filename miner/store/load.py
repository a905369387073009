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

from pydantic import BaseModel, ConfigDict, Field

from miner.errors import InputError, MinerError
from miner.pipeline.registry import step

__all__ = ["BuildReport", "build", "load_evaluations", "GraphStepParams", "QueryStepParams"]


@dataclass
class BuildReport:
    """What a build loaded: graphs written with their triple counts, and the inputs that failed."""

    loaded: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def _read_evaluation(path: Path, password: str | None):  # noqa: ANN202
    from miner.records import Evaluation

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
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(path, password=password)


def load_evaluations(store: Any, evaluations: list[Any], *, base_iri: str | None = None,
                     cycle: str | None = None, generated_at: str | None = None) -> list[tuple[str, str, int]]:
    """Write each Evaluation's named graph, replacing it; returns (path, graph, triples) each."""
    from miner.rdf.evaluation import GraphSettings, build_evaluation_graph
    from miner.store.local import load_rdflib_graph

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
    echo: Callable[[str], Any] = print,
) -> BuildReport:
    """Extract and load every input into the store at ``store_path`` (in memory for None)."""
    from miner.store.local import RDF_SUFFIXES, import_rdf_file, load_ontology, open_store, sha256_file
    from miner.rdf.vocab import Minter

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
            evaluation = _read_evaluation(path, password)
            for source, graph, count in load_evaluations(store, [evaluation], base_iri=base_iri, cycle=cycle):
                report.loaded.append((str(path), graph, count))
                echo(f"{path}: {count} triples into {graph}")
        except MinerError as exc:
            report.failures.append((str(path), str(exc)))
            echo(f"error: {exc}")
    load_ontology(store, str(minter.ontology_graph()))
    store.flush()
    return report


# ---------------------------------------------------------------- pipeline steps


class GraphStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cycle: str | None = Field(default=None, description="cycle of every evaluation, e.g. triennat-7 (else read from the text)")


@step("miner.graph.v1", requires=("evaluations",), assigns=("graph",), params=GraphStepParams)
def graph_step(ctx: Any, params: GraphStepParams) -> None:
    """Load the extracted evaluations into the store, one named graph per document."""
    from miner.store.local import load_ontology, open_store
    from miner.rdf.vocab import Minter

    store = ctx.data.get("oxigraph") or open_store(ctx.store)
    ctx.data["oxigraph"] = store
    import pyoxigraph as ox

    minter = Minter(ctx.base_iri)
    loaded = []
    for evaluation in ctx.data.get("evaluations", []):
        sha = evaluation.source.sha256
        present = store.contains_named_graph(ox.NamedNode(str(minter.graph(sha))))
        if ctx.unchanged("miner.graph.v1", params, str(ctx.base_iri), sha, outputs_exist=present):
            continue
        try:
            loaded += load_evaluations(store, [evaluation], base_iri=ctx.base_iri, cycle=params.cycle)
        except MinerError as exc:
            ctx.fail(evaluation.source.path, "miner.graph.v1", str(exc))
        ctx.finished()
    load_ontology(store, str(Minter(ctx.base_iri).ontology_graph()))
    store.flush()
    for path, graph, count in loaded:
        ctx.reporter.info(f"{path}: {count} triples into {graph}")
    ctx.data["graph"] = [graph for _, graph, _ in loaded]


class QueryStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queries: list[str] = Field(description="names of ontology/queries/*.rq files, or .rq paths")
    format: str = Field(default="table", description="table, csv, tsv, json or xml")


@step("miner.query.v1", params=QueryStepParams)
def query_step(ctx: Any, params: QueryStepParams) -> None:
    """Print the answers of saved competency queries over the store."""
    from miner.store.query import find_saved_query, format_result, resolve_query_text
    from miner.store.local import open_store, run_query

    store = ctx.data.get("oxigraph") or open_store(ctx.store, read_only=True)
    for name in params.queries:
        saved = find_saved_query(name) if not name.endswith(".rq") else None
        text = saved.text if saved else resolve_query_text(name)
        title = saved.question_en if saved else name
        ctx.echo(f"\n# {title}")
        ctx.echo(format_result(run_query(store, text), params.format).rstrip("\n"))

