"""Store steps: load extracted evaluations into the store, print saved queries' answers."""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox
from pydantic import Field

from miner.errors import MinerError
from miner.pipeline.alongside import GRAPH_WRITTEN, graph_ahead
from miner.pipeline.context import RunContext
from miner.pipeline.registry import StepParams, step
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.records import Evaluation
from miner.store.local import RDF_SUFFIXES, import_rdf_file, load_ontology, run_query
from miner.store.query import find_saved_query, format_result, resolve_query_text
from miner.store.write import ONTOLOGY_DIR, ONTOLOGY_FILES

__all__ = ["GraphStepParams", "graph_step", "ImportStepParams", "import_step", "QueryStepParams", "query_step"]


class GraphStepParams(StepParams):
    cycle: str | None = Field(
        default=None, description="cycle of every evaluation, e.g. triennat-7 (else read from the text)"
    )


@step("miner.graph.v1", requires=("evaluations",), assigns=("graph",), params=GraphStepParams)
def graph_step(ctx: RunContext, params: GraphStepParams) -> None:
    """Load the extracted evaluations into the store, one named graph per document."""
    store = ctx.open_store()
    minter = Minter(ctx.base_iri)
    loaded: list[tuple[str, str, int]] = []

    def evaluation_graph(evaluation: Evaluation) -> None:
        made = graph_ahead(ctx, evaluation, params.cycle)  # built in its extraction worker this run
        if made is not None:
            count = len(made["lines"])
            if ctx.ahead.get((GRAPH_WRITTEN, evaluation.source.sha256)) != made["iri"]:  # not written as it came
                from miner.store.write import replace_graph_lines

                count = replace_graph_lines(store, {made["iri"]: made["lines"]})
            loaded.append((evaluation.source.path, made["iri"], count))
            return
        from miner.store.load import load_evaluations  # the graph builders: only for a document not loaded before

        loaded.extend(
            load_evaluations(store, [evaluation], base_iri=ctx.base_iri, cycle=params.cycle, cycles=ctx.cycles)
        )  # the cycles step's, when the pipeline has one

    ctx.for_each(
        "miner.graph.v1",
        params,
        ctx.evaluation_inputs(store, minter.graph),
        evaluation_graph,
    )
    ontology = str(minter.ontology_graph())
    shipped = hashlib.sha256(b"".join((ONTOLOGY_DIR / name).read_bytes() for name in ONTOLOGY_FILES)).hexdigest()
    if not ctx.unchanged(
        "miner.graph.v1/ontology",
        None,
        ontology,
        shipped,
        outputs_exist=store.contains_named_graph(ox.NamedNode(ontology)),
    ):
        load_ontology(store, ontology)
        ctx.finished()
    store.flush()
    for path, graph, count in loaded:
        ctx.reporter.info(f"{path}: {count} triples into {graph}")
    ctx.graph += [graph for _, graph, _ in loaded]


class ImportStepParams(StepParams):
    pattern: str | list[str] = Field(
        default=[f"*{suffix}" for suffix in RDF_SUFFIXES],
        description="which inputs are RDF files (glob on the file name, or a list)",
    )
    replace: list[str] = Field(
        default=[], description="named graphs these files created before and may now replace (--replace-graph)"
    )


@step("miner.import.v1", requires=("inputs",), assigns=("graph",), params=ImportStepParams)
def import_step(ctx: RunContext, params: ImportStepParams) -> None:
    """Import RDF files as they are: a file's default graph becomes its own named graph (replaced on
    reload); its named graphs are created, never written over another's (miner.store.owners)."""

    store = ctx.open_store()
    minter = Minter(ctx.base_iri)
    for path in ctx.inputs_matching(params.pattern):
        try:
            result = import_rdf_file(
                store,
                path,
                str(minter.graph(sha256_file(path))),
                reserved=[str(minter.graph(""))],
                replace=params.replace,
            )
        except MinerError as exc:  # an InputError already names the file: its reason alone
            ctx.fail(path, "miner.import.v1", exc)
            continue
        ctx.echo(f"{path}: {result.triples} triples into {', '.join(result.graphs)}")
        ctx.graph += result.graphs
    store.flush()


class QueryStepParams(StepParams):
    queries: list[str] = Field(description="names of ontology/queries/*.rq files, or .rq paths")
    format: str = Field(default="table", description="table, csv, tsv, json or xml")


@step("miner.query.v1", requires=("graph",), params=QueryStepParams)
def query_step(ctx: RunContext, params: QueryStepParams) -> None:
    """Print the answers of saved competency queries over the store."""

    store = ctx.open_store(read_only=True)
    queries = []
    for name in params.queries:
        saved = find_saved_query(name) if not name.endswith(".rq") else None
        queries.append((saved.question_en if saved else name, saved.text if saved else resolve_query_text(name)))
    # the same queries on a store nothing was written to since the last run answer as they did then:
    # replayed, not parsed, screened and run again (a write, by this run or another process, runs them)
    texts = hashlib.sha256(json.dumps(queries).encode("utf-8")).hexdigest()
    if ctx.unchanged("miner.query.v1", params, texts, ctx.store_fact(QUERIED, lambda: store_content(store))):
        return
    for title, text in queries:
        ctx.echo(f"\n# {title}")
        ctx.echo(format_result(run_query(store, text), params.format).rstrip("\n"))
    ctx.finished()


QUERIED = "miner.query.v1/store"
"""The store fact the query step's answers hold for: the digest of its content, taken again only when
the store was written since the last run saw it (:meth:`RunContext.store_fact`)."""


def store_content(store: ox.Store) -> str:
    """A digest of every quad of the store (Oxigraph's N-Quads dump, in its index order)."""
    return hashlib.sha256(store.dump(format=ox.RdfFormat.N_QUADS)).hexdigest()
