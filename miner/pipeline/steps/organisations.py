"""Organisation and member steps: organisations found in documents, member lists, into the store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pydantic import Field

from miner.errors import InputError
from miner.pipeline.alongside import (
    FOUND_AHEAD,
    NOT_FOUND_AHEAD,
    ORGANISATIONS_GRAPH_AHEAD,
    ORGANISATIONS_TIMEOUT,
    graph_ahead,
    index_adapter,
)
from miner.pipeline.context import RunContext, StepInput
from miner.pipeline.registry import StepParams, step
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.read.isolate import Limits
from miner.records import Evaluation

__all__ = ["OrganisationsStepParams", "organisations_step", "MembersStepParams", "members_step"]


class OrganisationsStepParams(StepParams):
    cycle: str | None = Field(
        default=None, description="cycle of every document, e.g. triennat-7 (else read from the text)"
    )
    activities: str | list[str] | None = Field(
        default=None, description="inputs that are activity lists (glob on the file name, or a list)"
    )
    cluster: str | None = Field(default=None, description="the cluster whose activities the lists hold")
    documents: bool = Field(
        default=True, description="find the organisations the extracted documents name (off: only the lists' partners)"
    )
    load: bool = Field(
        default=True,
        description="write them into the store (off: only find them, for the steps "
        "after and `miner organisations` without --store)",
    )


@step(
    "miner.organisations.v1",
    requires=("evaluations",),
    assigns=("organisations", "graph"),
    params=OrganisationsStepParams,
)
def organisations_step(ctx: RunContext, params: OrganisationsStepParams) -> None:
    """Find, resolve and type the organisations each document names; load them with their relations."""
    name = "miner.organisations.v1"
    store = ctx.open_store() if params.load else None
    minter = Minter(ctx.base_iri)
    if not params.documents:
        items = []
    elif store is not None:
        items = ctx.evaluation_inputs(store, minter.organisations_graph)
    else:  # nothing kept outside the run: always found anew
        items = [StepInput(e, e.source.path, (e.source.sha256,), present=False) for e in ctx.evaluations]
    todo = [item.value for item in ctx.pending(name, params, items)]
    # found in the documents' extraction workers this run (miner.pipeline.alongside), else: the finder
    # and the graph builders (spaCy's helpers, rdflib) are imported only for work to do; several
    # documents to do: found ahead in forked workers (one per core) sharing the loaded spaCy; a single
    # one is found in process, below, as before
    ctx.settle()  # organisations found behind the extraction, while the steps before this one ran
    found = {
        e.source.sha256: (index_adapter().validate_json(text), None)
        for e in todo
        if (text := ctx.ahead.get((FOUND_AHEAD, e.source.sha256))) is not None
    }
    found.update(
        (e.source.sha256, (None, reason))
        for e in todo
        if (reason := ctx.ahead.get((NOT_FOUND_AHEAD, e.source.sha256))) is not None
    )
    rest = [e for e in todo if e.source.sha256 not in found]
    limits = Limits(timeout=ORGANISATIONS_TIMEOUT, jobs=ctx.jobs)
    if len(rest) > 1 and limits.workers() > 1:
        from miner.extract.organisations import organisations_of_evaluations
        from miner.nlp.french import get_entity_nlp

        found.update(
            zip(
                (e.source.sha256 for e in rest), organisations_of_evaluations(rest, limits=limits, nlp=get_entity_nlp())
            )
        )

    def document(evaluation: Evaluation) -> None:
        from miner.extract.organisations import organisations_of_evaluation
        from miner.nlp.french import get_entity_nlp  # doc.ents only: loaded without the parser and lemmatizer
        from miner.store.load import load_organisations
        from miner.store.write import replace_graph_lines

        index, error = found.get(evaluation.source.sha256, (None, None))
        if error is not None:
            raise InputError(evaluation.source.path, f"organisations not found: {error}")
        if index is None:
            index = organisations_of_evaluation(evaluation, nlp=get_entity_nlp())
        made = graph_ahead(ctx, evaluation, params.cycle, ORGANISATIONS_GRAPH_AHEAD) if store is not None else None
        if made is not None:  # built in its extraction worker with the same index
            replace_graph_lines(store, {made["iri"]: made["lines"]})
        elif store is not None:
            load_organisations(
                store, [evaluation], base_iri=ctx.base_iri, cycle=params.cycle, indexes=[index], cycles=ctx.cycles
            )
        ctx.add("organisations", index, key=evaluation.source.sha256)
        path = evaluation.source.path
        ctx.echo(f"{path}: {len(index.organisations)} organisations, {len(index.relations)} relations")
        for warning in index.warnings:
            ctx.echo(f"warning: {path}: {warning}")

    def activity_list(path: Path) -> None:
        from miner.rdf.organisations import activity_partners_graph
        from miner.read.activities import read_activities
        from miner.store.load import load_activity_partners

        digest = sha256_file(path)
        if store is not None:
            count, index = load_activity_partners(store, str(path), params.cluster or "unknown", base_iri=ctx.base_iri)
        else:
            _graph, index = activity_partners_graph(
                read_activities(path), digest, str(path), params.cluster or "unknown"
            )
            count = 0
        ctx.add("organisations", index, key=digest)
        ctx.echo(f"{path}: {len(index.organisations)} activity partners, {count} triples")

    ctx.for_each(name, params, items, document)
    if params.activities:
        lists = ctx.inputs_matching(params.activities)
        ctx.for_each(
            name + "/activities",
            params,
            [_list_input(ctx, store, p) for p in lists],
            activity_list,
        )
    if store is not None:
        store.flush()


def _list_input(ctx: RunContext, store: ox.Store | None, path: Path) -> StepInput:
    """A member or activity list as a step input; its output is there when the store holds the
    list's organisations graph (a list taken out by `miner remove` is loaded again)."""
    digest = sha256_file(path)
    graph = ox.NamedNode(str(Minter(ctx.base_iri).organisations_graph(digest)))
    return StepInput(path, path, (str(ctx.base_iri), digest), store is not None and store.contains_named_graph(graph))


class MembersStepParams(StepParams):
    pattern: str = Field("*.csv", description="which inputs are member lists (glob on the file name; .csv or .xlsx)")
    cluster: str = Field(description="the cluster the lists are of, named as its evaluations name it")
    cycle: str = Field(description="the cycle the lists describe, e.g. triennat-7")
    sheet: str | None = Field(default=None, description="XLSX sheet, when the workbooks have several")


@step("miner.members.v1", requires=("inputs",), assigns=("members", "graph"), params=MembersStepParams)
def members_step(ctx: RunContext, params: MembersStepParams) -> None:
    """Read member lists (CSV/XLSX), check BCE numbers and postal codes, load the memberships."""
    store = ctx.open_store()

    def member_list(path: Path) -> None:
        from miner.extract.members import read_member_list  # only for a list not loaded as it is
        from miner.store.load import load_member_list

        members = read_member_list(path, sheet=params.sheet)
        count = load_member_list(store, members, params.cluster, params.cycle, base_iri=ctx.base_iri)
        ctx.add("members", members)
        ctx.echo(f"{path}: {len(members.members)} members, {count} triples")
        for problem in members.problems:
            ctx.echo(f"warning: {path}: {problem}")

    paths = ctx.inputs_matching(params.pattern)
    ctx.for_each("miner.members.v1", params, [_list_input(ctx, store, p) for p in paths], member_list)
    store.flush()
