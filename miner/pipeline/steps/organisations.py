"""Organisation and member steps: organisations found in documents, member lists, into the store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from miner.errors import MinerError
from miner.extract.members import read_member_list
from miner.pipeline.context import RunContext
from miner.pipeline.registry import step
from miner.rdf.vocab import Minter
from miner.read.files import sha256_file
from miner.store.load import load_activity_partners, load_member_list, load_organisations

__all__ = ["OrganisationsStepParams", "organisations_step", "MembersStepParams", "members_step"]

class OrganisationsStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cycle: str | None = Field(default=None, description="cycle of every document, e.g. triennat-7 (else read from the text)")
    activities: str | None = Field(default=None, description="inputs that are activity lists (glob on the file name)")
    cluster: str | None = Field(default=None, description="the cluster whose activities the lists hold")


@step("miner.organisations.v1", requires=("evaluations",), assigns=("organisations", "graph"), params=OrganisationsStepParams)
def organisations_step(ctx: RunContext, params: OrganisationsStepParams) -> None:
    """Find, resolve and type the organisations each document names; load them with their relations."""

    store = ctx.open_store()


    name = "miner.organisations.v1"
    minter = Minter(ctx.base_iri)
    found = ctx.organisations
    for evaluation in ctx.evaluations:
        sha = evaluation.source.sha256
        present = store.contains_named_graph(ox.NamedNode(str(minter.organisations_graph(sha))))
        if ctx.unchanged(name, params, str(ctx.base_iri), sha, outputs_exist=present):
            continue
        try:
            ((path, index),) = load_organisations(store, [evaluation], base_iri=ctx.base_iri, cycle=params.cycle)
        except MinerError as exc:
            ctx.fail(evaluation.source.path, name, str(exc))
            ctx.finished()
            continue
        found.append(index)
        ctx.echo(f"{path}: {len(index.organisations)} organisations, {len(index.relations)} relations")
        for warning in index.warnings:
            ctx.echo(f"warning: {path}: {warning}")
        ctx.finished()
    if params.activities:

        for path in [p for p in ctx.inputs if Path(p).match(params.activities)]:
            if ctx.unchanged(name + "/activities", params, str(ctx.base_iri), sha256_file(path)):
                continue
            try:
                count, index = load_activity_partners(store, str(path), params.cluster or "unknown",
                                                      base_iri=ctx.base_iri)
            except MinerError as exc:
                ctx.fail(path, name, str(exc))
                ctx.finished()
                continue
            ctx.echo(f"{path}: {len(index.organisations)} activity partners, {count} triples")
            ctx.finished()
    store.flush()


class MembersStepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pattern: str = Field("*.csv", description="which inputs are member lists (glob on the file name; .csv or .xlsx)")
    cluster: str = Field(description="the cluster the lists are of, named as its evaluations name it")
    cycle: str = Field(description="the cycle the lists describe, e.g. triennat-7")
    sheet: str | None = Field(default=None, description="XLSX sheet, when the workbooks have several")


@step("miner.members.v1", requires=("inputs",), assigns=("members", "graph"), params=MembersStepParams)
def members_step(ctx: RunContext, params: MembersStepParams) -> None:
    """Read member lists (CSV/XLSX), check BCE numbers and postal codes, load the memberships."""


    store = ctx.open_store()
    lists = ctx.members

    for path in [p for p in ctx.inputs if Path(p).match(params.pattern)]:
        if ctx.unchanged("miner.members.v1", params, str(ctx.base_iri), sha256_file(path)):
            continue
        try:
            member_list = read_member_list(path, sheet=params.sheet)
            count = load_member_list(store, member_list, params.cluster, params.cycle, base_iri=ctx.base_iri)
        except MinerError as exc:
            ctx.fail(path, "miner.members.v1", str(exc))
            ctx.finished()
            continue
        lists.append(member_list)
        ctx.echo(f"{path}: {len(member_list.members)} members, {count} triples")
        for problem in member_list.problems:
            ctx.echo(f"warning: {path}: {problem}")
        ctx.finished()
    store.flush()
