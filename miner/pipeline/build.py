"""`miner build PATH...`: recognise what each input is, then run the default pipeline on them.

Inputs are files or folders (read recursively, hidden files left out), in any mix. Each file's
kind is read from its content, the suffix only saying which reader can open it:

- a **PDF** is extracted (``miner.extract.v1``, cached by content like every run; scanned pages are
  read by OCR, ``--ocr``); a PDF whose
  structure has evaluation questions is an *evaluation*; one without questions whose pages hold a
  table or dated/bulleted list with an activity (description) column is an *activity report*; any
  other PDF (an atlas sheet, a press article) is a *document*, whose organisations still count;
  one without questions with a table of indicators (an indicator column and a target or achieved
  column, ``miner.extract.indicators``) is an *objective contract* or its evaluation, whose
  indicators are loaded (``miner.indicators.v1``);
- a **CSV/XLSX** is read as a table (the isolated list reader): a header with a name column and a
  postal-code or BCE column is a *member list*; one with a description column is an *activity
  list*; both at once, or neither, is refused with the columns found;
- a **JSON** file that validates as an ``Evaluation`` record (what `miner extract` writes) is an
  *evaluation*; any other JSON is refused (skipped with a note when it was only found in a folder);
- an **RDF** file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) is imported as it is; its
  parser says whether it is one.

The pipeline is then built in code from the kinds found, out of the registered steps (the same
functions `miner run` runs from a file, so a build is incremental the same way: unchanged inputs
are not extracted or loaded again): cycles, found once (``miner.cycles.v1``), structure
(``miner.graph.v1``), stated figures and organisations (``miner.organisations.v1``), member lists (``miner.members.v1``), activity lists'
partners and tags with constat links (``miner.annotate.v1``), a comparison per pair of consecutive
cycles of one cluster (``miner.compare.v1``) and the network page (``miner.network.v1``).
That list is the whole plan and runs from its first step: its extraction takes the records read to
tell the kinds (a file is read once per run). What the steps do with one document alone is done in
the worker that extracts it, on as many cores as ``--jobs`` (:mod:`miner.pipeline.alongside`): a
question-less PDF's tables that tell its kind, each document's named graph, and its organisations
once the French pipeline, loading in a thread from the first workers' start, is there to share
(documents read before that get theirs from the next workers forked, else from workers forked once it
is loaded, while the graph step writes).
An unchanged input is not read again, even to tell its kind (remembered by its content), and a
step with nothing to do imports none of its stage's code.

A member or activity list names no cluster or cycle of its own: ``--cluster``/``--cycle`` give
them, else they are those of the evaluations beside the list (same folder, else the whole build)
when these are of one cluster; a member list describes the latest of their cycles.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from miner.errors import InputError, MinerError, UsageError
from miner.extract.cycles import Cycle, parse_cycle
from miner.nlp.text import slugify
from miner.pipeline.context import RunContext
from miner.pipeline.kinds import Kind, recognise_table, table_kind
from miner.pipeline.outputs import claim_outputs
from miner.pipeline.progress import Reporter
from miner.pipeline.registry import StepSpec, configured
from miner.pipeline.runner import check_order, finish_run, new_context, run_steps
from miner.read.files import sha256_file
from miner.records import Evaluation
from miner.store.documents import record_documents
from miner.store.local import RDF_SUFFIXES

__all__ = [
    "SKIPPABLE",
    "BuildInput",
    "BuildPlan",
    "Kind",
    "build",
    "collect_inputs",
    "default_steps",
    "reading_steps",
    "recognise_table",
    "run_command",
    "short_name",
]

PDF, TABLES, JSON = ".pdf", (".csv", ".xlsx"), ".json"


SKIPPABLE = ("organisations", "members", "activities", "compare", "network")
"""Parts of the default pipeline `--skip` can leave out (structure, cycles and figures always run)."""


@dataclass
class BuildInput:
    """One input file, the kind its content showed and what showed it."""

    path: Path
    kind: Kind
    reason: str
    evaluation: Evaluation | None = None


@dataclass
class BuildPlan:
    """What a build found and the steps it runs, for the CLI and the tests."""

    inputs: list[BuildInput] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    steps: list[tuple[StepSpec, BaseModel | None]] = field(default_factory=list)


def collect_inputs(paths: list[Path]) -> tuple[list[tuple[Path, bool]], list[tuple[Path, str]]]:
    """The files to look at, absolute, each once, with whether it was named (not only found in a
    folder); and what was left out of folders (files no reader opens)."""
    readable = {PDF, *TABLES, JSON, *RDF_SUFFIXES}
    found: dict[Path, bool] = {}
    left: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given).absolute()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in child.relative_to(path).parts) or not child.is_file():
                    continue
                if child.suffix.lower() in readable:
                    found.setdefault(child, False)
                else:
                    left.append((child, f"not a file miner reads ({', '.join(sorted(readable))})"))
        else:
            found[path] = True
    return list(found.items()), left


def _read_json(path: Path) -> BuildInput | str:
    """An Evaluation record, or why not (a string)."""
    from miner.store.load import read_evaluation  # beside the graph builders, which load rdflib

    try:
        evaluation = read_evaluation(path, None)
    except InputError as exc:
        return exc.reason
    return BuildInput(path, Kind.EVALUATION, "an Evaluation record", evaluation)


def _kind_of_pdf(ctx: RunContext, path: Path, evaluation: Evaluation, indicators: int = 0) -> BuildInput:
    if evaluation.questions:
        return BuildInput(path, Kind.EVALUATION, f"{len(evaluation.questions)} evaluation questions", evaluation)
    if indicators:
        return BuildInput(path, Kind.INDICATORS, f"no evaluation question, {indicators} rows of a KPI table")
    kind, reason = table_kind(ctx, path)
    if kind is Kind.ACTIVITIES:
        return BuildInput(path, kind, reason)
    return BuildInput(path, Kind.DOCUMENT, "no evaluation question, no activity rows", evaluation)


def short_name(cluster: str) -> str:
    """The slug a cluster's files are named by: its name's first word, which is the name clusters go
    by in their reports ("CHANVRELIA cluster des éco-matériaux", "INFOPOLE cluster TIC").

    >>> short_name("CHANVRELIA cluster des éco-matériaux")
    'chanvrelia'
    """
    words = cluster.split()
    return slugify(words[0] if words else cluster)


def _escaped(path: Path) -> str:
    """A step pattern that picks exactly this (absolute) file."""
    return glob.escape(str(path))


@dataclass
class _Evaluated:
    cluster: str
    cycle: Cycle
    path: Path  # the input (a PDF or an Evaluation JSON)
    source: str  # the PDF it was read from, which the compare step picks evaluations by


def _evaluated(inputs: list[BuildInput], ctx: RunContext) -> list[_Evaluated]:
    """The evaluations that name their cluster, with the cycle the cycles step found."""
    found = []
    for item in inputs:
        if item.kind is Kind.EVALUATION and item.evaluation is not None and item.evaluation.metadata.cluster:
            found.append(
                _Evaluated(
                    item.evaluation.metadata.cluster,
                    ctx.cycle_of(item.evaluation).cycle,
                    item.path,
                    item.evaluation.source.path,
                )
            )
    return found


def _beside(path: Path, evaluated: list[_Evaluated]) -> list[_Evaluated]:
    """The evaluations in the list's folder, else all those of the build."""
    return [e for e in evaluated if e.path.parent == path.parent] or evaluated


def _cluster_of(path: Path, evaluated: list[_Evaluated], given: str | None) -> str:
    if given:
        return given
    clusters = sorted({e.cluster for e in _beside(path, evaluated)})
    if len(clusters) == 1:
        return clusters[0]
    if not clusters:
        raise InputError(path, "no evaluation beside it names its cluster; give --cluster NAME")
    raise InputError(
        path, f"the evaluations beside it are of several clusters ({'; '.join(clusters)}); give --cluster NAME"
    )


def _cycle_of(path: Path, cluster: str, evaluated: list[_Evaluated], given: str | None) -> str:
    if given:
        return given
    cycles = [e.cycle for e in _beside(path, evaluated) if slugify(e.cluster) == slugify(cluster)]
    known = [c for c in cycles if c.ordinal is not None]
    if not known:
        raise InputError(path, f"no evaluation of {cluster} beside it names its cycle; give --cycle triennat-N")
    return max(known, key=lambda c: c.ordinal).slug


def _comparisons(evaluated: list[_Evaluated]) -> list[tuple[_Evaluated, _Evaluated, str]]:
    """Consecutive cycles of each cluster, earlier first; the latest pair is ``compare-<cluster>.html``."""
    by_cluster: dict[str, list[_Evaluated]] = {}
    for e in evaluated:
        if e.cycle.ordinal is not None:
            by_cluster.setdefault(slugify(e.cluster), []).append(e)
    pairs = []
    for group in by_cluster.values():
        group.sort(key=lambda e: (e.cycle.kind, e.cycle.ordinal))
        steps = [(a, b) for a, b in zip(group, group[1:]) if a.cycle.slug != b.cycle.slug]
        for index, (a, b) in enumerate(steps):
            suffix = "" if index == len(steps) - 1 else f"-{a.cycle.slug}-{b.cycle.slug}"
            pairs.append((a, b, f"compare-{short_name(a.cluster)}{suffix}.html"))
    return pairs


def default_steps(
    inputs: list[BuildInput],
    ctx: RunContext,
    *,
    skip: set[str],
    cluster: str | None = None,
    cycle: str | None = None,
    password: str | None = None,
    ocr: str = "auto",
    replace_graphs: list[str] = (),
    scheme: str | None = None,
) -> list[tuple[StepSpec, BaseModel | None]]:
    """The default pipeline for the kinds found; a list whose cluster or cycle cannot be told fails alone."""
    evaluated = _evaluated(inputs, ctx)
    pdfs = [
        _escaped(i.path) for i in inputs if i.kind in (Kind.EVALUATION, Kind.DOCUMENT) and i.path.suffix.lower() == PDF
    ]
    records = [_escaped(i.path) for i in inputs if i.kind is Kind.EVALUATION and i.path.suffix.lower() == JSON]
    steps = [configured("miner.extract.v1", pattern=pdfs, password=password, ocr=ocr)]
    if records:
        steps.append(configured("miner.records.v1", pattern=records))
    steps += [configured("miner.cycles.v1", cycle=cycle), configured("miner.graph.v1", cycle=cycle)]
    rdf = [_escaped(i.path) for i in inputs if i.kind is Kind.RDF]
    if rdf:
        steps.append(configured("miner.import.v1", pattern=rdf, replace=list(replace_graphs)))
    if "organisations" not in skip:
        steps.append(configured("miner.organisations.v1", cycle=cycle))
    kpis = [_escaped(i.path) for i in inputs if i.kind is Kind.INDICATORS]
    if kpis:
        steps.append(configured("miner.indicators.v1", pattern=kpis, default_cluster=cluster))
    lists: list[tuple[BuildInput, str, str | None]] = []
    for item in inputs:
        if item.kind not in (Kind.MEMBERS, Kind.ACTIVITIES):
            continue
        if (item.kind is Kind.MEMBERS and "members" in skip) or (item.kind is Kind.ACTIVITIES and "activities" in skip):
            continue
        try:
            owner = _cluster_of(item.path, evaluated, cluster)
            when = _cycle_of(item.path, owner, evaluated, cycle) if item.kind is Kind.MEMBERS else None
        except MinerError as exc:
            ctx.fail(item.path, "miner.build", exc)
            continue
        lists.append((item, owner, when))
    activity_lists = [(i, c) for i, c, _ in lists if i.kind is Kind.ACTIVITIES]
    if "organisations" not in skip:
        steps += [
            configured("miner.organisations.v1", documents=False, activities=_escaped(i.path), cluster=c)
            for i, c in activity_lists
        ]
    steps += [
        configured("miner.members.v1", pattern=_escaped(i.path), cluster=c, cycle=w)
        for i, c, w in lists
        if i.kind is Kind.MEMBERS
    ]
    if "compare" not in skip:
        steps += [
            configured("miner.compare.v1", a=glob.escape(a.source), b=glob.escape(b.source), out=out)
            for a, b, out in _comparisons(evaluated)
        ]
    tagging = {"scheme": scheme} if scheme else {}  # a shipped name, both, or a user's SKOS file
    steps += [
        configured("miner.annotate.v1", pattern=_escaped(i.path), cluster=c, **tagging) for i, c in activity_lists
    ]
    if "network" not in skip:
        steps.append(configured("miner.network.v1"))
    check_order(steps)
    return steps


def reading_steps(
    paths: list[Path], *, password: str | None = None, ocr: str = "auto"
) -> list[tuple[StepSpec, BaseModel | None]]:
    """The first steps of a command that reads the documents it is given (`miner organisations`,
    `miner cycles`): an Evaluation JSON read back, any other file through the extract step, so by
    the isolated reader with its declared limits; nothing is written beside them."""
    records = [glob.escape(str(p)) for p in paths if Path(p).suffix.lower() == JSON]
    others = [glob.escape(str(p)) for p in paths if Path(p).suffix.lower() != JSON]
    return [
        configured("miner.extract.v1", pattern=others, password=password, ocr=ocr, save_json=False),
        configured("miner.records.v1", pattern=records),
    ]


def run_command(
    inputs: list[Path],
    steps: list[tuple[StepSpec, BaseModel | None]],
    *,
    store: Path | None = None,
    base_iri: str | None = None,
    reporter: Reporter | None = None,
) -> RunContext:
    """Run a command's steps through the one runner, with no cache and no outputs of its own (a store
    only when the command was given one); failures are in ``ctx.failures``, reported as they happen."""
    check_order(steps)
    ctx = RunContext(
        inputs=list(inputs),
        store=Path(store) if store is not None else Path("graphs/store"),
        out=Path.cwd(),
        root=Path.cwd(),
        base_iri=base_iri,
        reporter=reporter or Reporter("quiet"),
    )
    run_steps(ctx, steps)
    return finish_run(ctx)


def build(
    paths: list[Path],
    store: Path,
    *,
    out: Path | None = None,
    skip: list[str] = (),
    cluster: str | None = None,
    cycle: str | None = None,
    base_iri: str | None = None,
    password: str | None = None,
    ocr: str = "auto",
    force: bool = False,
    jobs: int = 0,
    reporter: Reporter | None = None,
    replace_graphs: list[str] = (),
    scheme: str | None = None,
) -> tuple[RunContext, BuildPlan]:
    """Recognise every input and run the default pipeline over them into ``store``; outputs (pages,
    comparison reports, the cache) go to ``out``, by default the store's folder's parent. Inputs
    that fail are in ``ctx.failures``, the others are built. ``replace_graphs`` names graphs an RDF
    input created before and may replace now."""
    unknown = sorted(set(skip) - set(SKIPPABLE))
    if unknown:
        raise UsageError(f"cannot skip {', '.join(unknown)}; parts that can be skipped: {', '.join(SKIPPABLE)}")
    if cycle:
        parse_cycle(cycle)
    store = Path(store).absolute()
    outputs = Path(out).absolute() if out else store.parent
    claim_outputs(outputs, store, force=force)
    files, left = collect_inputs(paths)
    ctx = new_context(
        [p for p, _ in files],
        store,
        outputs,
        root=Path.cwd(),
        base_iri=base_iri,
        force=force,
        jobs=jobs,
        reporter=reporter,
    )
    plan = BuildPlan(skipped=left)
    pdfs = [p for p, _ in files if p.suffix.lower() == PDF]
    # the lists' kinds first: each is read by a forked worker, which would otherwise wait for spaCy's
    # import to end (the import guard) once the French pipeline starts loading beside extraction
    tables: dict[Path, tuple[Kind | None, str] | MinerError] = {}
    for path, _named in files:
        if path.suffix.lower() in TABLES and path.is_file():
            try:
                tables[path] = table_kind(ctx, path)
            except MinerError as exc:
                tables[path] = exc
    # what each input is: every PDF read (once in the run: the plan's extraction takes these records),
    # each worker doing its document's kind tables, graph and (once spaCy is loaded) organisations; the
    # French pipeline loading meanwhile when organisations will be found (a worker forks only between
    # its imports, so none inherits a held import lock)
    run_steps(
        ctx,
        [
            configured(
                "miner.extract.v1",
                pattern=[_escaped(p) for p in pdfs],
                password=password,
                ocr=ocr,
                nlp_ahead="none" if "organisations" in skip else "entities",
                read_kinds=True,
                graphs=True,
                write_graphs=True,
                network_ahead="network" not in skip,
                cycle=cycle,
            )
        ],
    )
    extracted = {Path(e.source.path).absolute(): e for e in ctx.evaluations}
    from miner.pipeline.steps.indicators import read_indicator_tables  # the KPI step's reader, cached by content

    # a PDF without evaluation questions may be an objective contract: its tables' titles say
    unasked = [p for p, e in extracted.items() if not e.questions]
    kpi_rows = {
        path.absolute(): len(table.indicators)
        for path, table in read_indicator_tables(ctx, unasked).items()
        if not isinstance(table, str)
    }
    for path, named in files:
        suffix = path.suffix.lower()
        try:
            if not path.is_file():
                raise InputError(path, "no such file")
            if suffix == PDF:
                if path in extracted:
                    plan.inputs.append(_kind_of_pdf(ctx, path, extracted[path], kpi_rows.get(path, 0)))
            elif suffix in TABLES:
                found = tables[path]
                if isinstance(found, MinerError):
                    raise found
                plan.inputs.append(BuildInput(path, *found))
            elif suffix == JSON:
                found = _read_json(path)
                if isinstance(found, str):
                    if not named:
                        plan.skipped.append((path, found))
                        continue
                    raise InputError(path, found)
                plan.inputs.append(found)
            elif suffix in RDF_SUFFIXES:
                plan.inputs.append(BuildInput(path, Kind.RDF, f"{suffix} file"))
            else:
                raise InputError(
                    path,
                    f"not a file miner reads (PDF, CSV, XLSX, Evaluation JSON or RDF: "
                    f"{', '.join(sorted(RDF_SUFFIXES))})",
                )
        except MinerError as exc:
            ctx.fail(path, "miner.build", exc)
    for item in plan.inputs:
        ctx.echo(f"{item.path}: {item.kind.value} ({item.reason})")
    # the extracted PDFs that are documents stay for the graph steps; JSON evaluations join them
    ctx.evaluations = []
    for item in plan.inputs:
        if item.kind in (Kind.EVALUATION, Kind.DOCUMENT) and item.evaluation is not None:
            ctx.add("evaluations", item.evaluation)
    run_steps(ctx, [configured("miner.cycles.v1", cycle=cycle)])  # the grouping of lists and comparisons reads them
    plan.steps = default_steps(
        plan.inputs,
        ctx,
        skip=set(skip),
        cluster=cluster,
        cycle=cycle,
        password=password,
        ocr=ocr,
        replace_graphs=list(replace_graphs),
        scheme=scheme,
    )
    # the whole plan, from its first step: its reading steps hand the evaluations over again (each file
    # read once in the run), the cycles found above are kept
    ctx.evaluations = []
    run_steps(ctx, plan.steps)
    # the store's register of its PDFs: `miner serve` shows the pages facts were read from
    record_documents(
        store, {sha256_file(i.path): i.path for i in plan.inputs if i.path.suffix.lower() == PDF and i.path.is_file()}
    )
    return finish_run(ctx), plan
