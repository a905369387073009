"""The ``miner`` command line: parse arguments, call the API, print. No logic lives here.

Exit codes: 0 all went well, 1 some inputs failed (each reported on one line), 2 usage error.
Heavy modules are imported inside the commands so ``miner --help`` stays fast; Typer loads its rich
help formatter only when help is printed, and ``--version`` answers before any command is parsed
(``bench/bench_cli.py`` measures both against a bare interpreter).
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from miner.cli.output import err, fail, say
from miner.cli.settings import settings
from miner.errors import MinerError, UsageError

app = typer.Typer(
    name="miner",
    help="Mine evaluation reports and activity lists of Walloon clusters into an RDF graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from miner import __version__

        typer.echo(f"miner {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_print_version, is_eager=True, help="Print miner's version and exit."
    ),
) -> None:
    """Mine evaluation reports and activity lists of Walloon clusters into an RDF graph."""


class ExtractFormat(str, Enum):
    json = "json"
    text = "text"


class OcrChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


STORE_HELP = "Store folder (Oxigraph)."
DEFAULT_STORE = Path("graphs/store")

# Options that mean the same in every command, declared once (Typer reads them from Annotated).
Store = Annotated[Path, typer.Option("--store", help=STORE_HELP)]
Password = Annotated[Optional[str], typer.Option("--password", help="Password of encrypted PDFs.")]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Redo every step, ignoring caches (build: and replace the pages of another store in the outputs folder).",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
Sheet = Annotated[Optional[str], typer.Option("--sheet", help="XLSX sheet, when the workbook has several.")]


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Evaluation report PDFs."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for one <stem>.json per input."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.json, "--format", help="json or text outline."),
    password: Password = None,
    jobs: Optional[int] = typer.Option(
        None,
        "--jobs",
        "-j",
        help="Files (or, for fewer files, OCR pages) processed at once (0: one per core; default: miner settings limits).",
    ),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", help="Seconds allowed per file, OCR: since its last page (default: miner settings limits)."
    ),
    max_memory: Optional[int] = typer.Option(
        None, "--max-memory", help="Memory cap per file, in MB (default: miner settings limits)."
    ),
    ocr: OcrChoice = typer.Option(
        OcrChoice.auto, "--ocr", help="OCR scanned pages: auto (no text layer, or one without words), always, never."
    ),
    page_timeout: Optional[float] = typer.Option(
        None, "--page-timeout", help="Seconds OCR may spend on one page (default: miner settings ocr)."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Write one PNG per page (into --out, or here) showing blocks, tables, cells and roles."
    ),
    pages: Optional[str] = typer.Option(None, "--pages", help="With --explain: the pages to draw, N or N-M."),
) -> None:
    """Extract the structure of evaluation reports (questions, criteria, judgements, constats)."""
    from miner.atomic import write_text_atomic
    from miner.extract.evaluation import extract_batch, outline
    from miner.read.isolate import Limits
    from miner.read.ocr import OcrSettings
    from miner.settings import declared

    if len(files) > 1 and out is None and fmt is ExtractFormat.json:
        err("error: several files need --out DIR (or --format text)")
        raise typer.Exit(2)
    limits = declared(Limits, timeout=timeout, max_memory_mb=max_memory, jobs=jobs)
    failed = 0
    ocr_settings = declared(OcrSettings, mode=ocr.value, page_timeout=page_timeout)
    if explain:
        raise typer.Exit(_explain(files, out or Path.cwd(), pages, password, ocr_settings))
    from miner.pipeline.progress import Reporter

    # bars with the time left on a terminal: files done, and each scanned report's pages as OCR reads them
    reporter = Reporter("human")
    with reporter.track("extract", len(files) if len(files) > 1 or ocr.value != "never" else 0) as advance:
        results = extract_batch(
            files,
            password=password,
            limits=limits,
            ocr=ocr_settings,
            on_done=lambda _key: advance(),
            on_pages=reporter.detail,
        )
    for path, evaluation, error in results:
        if evaluation is None:
            err(f"error: {path}: {error}")
            failed += 1
            continue
        text = evaluation.model_dump_json(indent=2) if fmt is ExtractFormat.json else outline(evaluation)
        if out is not None:
            suffix = ".json" if fmt is ExtractFormat.json else ".txt"
            write_text_atomic(out / f"{path.stem}{suffix}", text + "\n")
        else:
            say(text)
    raise typer.Exit(1 if failed else 0)


def _explain(files: list[Path], out: Path, pages: Optional[str], password: Optional[str], ocr: object) -> int:
    """Draw what the reader did on each page; exit 1 if a file could not be read or its structure
    fails (the PNGs are written first, to show why)."""
    from miner.extract.explain import explain_isolated

    failed = 0
    for path in files:
        try:
            written, failure = explain_isolated(path, out, pages=pages, password=password, ocr=ocr)
        except UsageError as exc:
            raise fail(exc) from None
        except MinerError as exc:
            err(f"error: {exc}")
            failed += 1
            continue
        for image in written:
            typer.echo(str(image))
        if failure is not None:
            err(f"error: {failure}")
            failed += 1
    return 1 if failed else 0


@app.command()
def run(
    pipeline: Path = typer.Argument(..., help="Pipeline file (pipelines/*.yaml)."),
    inputs: Optional[list[Path]] = typer.Option(None, "--input", help="Inputs instead of the file's."),
    store: Optional[Path] = typer.Option(None, "--store", help="Store folder instead of the file's."),
    force: Force = False,
    jobs: int = typer.Option(0, "--jobs", "-j", help="Documents processed at once (0: one per core)."),
    quiet: Quiet = False,
    log_json: bool = typer.Option(False, "--log-json", help="Print one JSON event per line (for scripts)."),
) -> None:
    """Run a declarative pipeline file step by step."""
    from miner.pipeline.progress import Reporter
    from miner.pipeline.runner import load_pipeline, run_pipeline

    reporter = Reporter("json" if log_json else "quiet" if quiet else "human", echo=say)
    try:
        loaded = load_pipeline(pipeline)
        ctx = run_pipeline(
            loaded,
            inputs=[str(p) for p in inputs] if inputs else None,
            store=str(store) if store else None,
            force=force,
            jobs=jobs,
            reporter=reporter,
        )
    except MinerError as exc:
        raise fail(exc) from None
    if log_json:
        raise typer.Exit(1 if ctx.failures else 0)
    if ctx.failures:
        err(f"{len(ctx.failures)} input(s) failed:")
        for failure in ctx.failures:
            err(f"  {failure.path}: [{failure.step}] {failure.reason}")
        raise typer.Exit(1)


PROGRESS_MIN_ROWS = 100
"""Lists longer than this get a progress bar while they are tagged; shorter ones take seconds."""


def _tagging_progress(total: int) -> Any:
    """A Rich bar (count and ETA) on stderr for a list over :data:`PROGRESS_MIN_ROWS` rows."""
    from contextlib import nullcontext

    from miner.pipeline.progress import Reporter

    if total <= PROGRESS_MIN_ROWS:
        return nullcontext(None)
    return Reporter("human").track("tagging activities", total)


@app.command()
def classify(
    input: Optional[Path] = typer.Argument(None, help="Activity list: CSV, XLSX or PDF."),
    text_column: Optional[str] = typer.Option(None, "--text-column", help="Description column, if not detected."),
    sheet: Sheet = None,
    out: Optional[Path] = typer.Option(None, "--out", help="Output .csv, .xlsx or .json (default: CSV on stdout)."),
    constats: Optional[Path] = typer.Option(None, "--constats", help="Evaluation JSON whose constats to link."),
    model: Optional[Path] = typer.Option(None, "--model", help="Axis model artefact (.npz); default: shipped."),
    evaluate: Optional[Path] = typer.Option(None, "--evaluate", help="Gold CSV (description, axes): print scores."),
    as_json: bool = typer.Option(False, "--json", help="With --evaluate: one JSON object."),
    train: Optional[list[Path]] = typer.Option(
        None, "--train", help="Labelled CSV to retrain from (e.g. corrected output); repeatable."
    ),
    model_dir: Path = typer.Option(Path("models"), "--model-dir", help="With --train: folder for the new artefact."),
    replace: bool = typer.Option(False, "--replace", help="With --train: forget the base model's examples."),
    english: bool = typer.Option(
        False, "--english", help="English column names (score_1, evidence…) instead of French."
    ),
    excel: bool = typer.Option(
        False, "--excel", help="CSV for French-locale Excel: ';' between fields, decimal commas."
    ),
    cluster: Optional[str] = typer.Option(
        None,
        "--cluster",
        help="The list's own cluster (its forums are not axis 5); default: the cluster column, title, file name.",
    ),
    organisations: Optional[Path] = typer.Option(
        None,
        "--organisations",
        help="Your organisations and their type (CSV name,type,variants,country or SKOS Turtle), added to the shipped ones.",
    ),
    scheme: Optional[str] = typer.Option(
        None,
        "--scheme",
        help="Tag under axes-2007 (default), missions-2024, both (with a crosswalk column), or your SKOS scheme file (once `miner retrain` trained its model).",
    ),
) -> None:
    """Tag activities with decree axes (scores, evidence, constat links); evaluate or retrain the model."""
    import json

    from miner.tag import classify as api

    if organisations is not None:
        import os

        from miner.nlp.orgtyper import USER_FILE_ENV, load_typer

        os.environ[USER_FILE_ENV] = str(organisations)
        try:
            load_typer()
        except MinerError as exc:
            raise fail(exc) from None
    if sum(x is not None for x in (input, evaluate, train)) != 1:
        err("error: give exactly one of INPUT, --evaluate GOLD.csv or --train FILE.csv")
        raise typer.Exit(2)
    if scheme not in (None, "axes-2007") and train is not None:
        err(f"error: --scheme {scheme} is retrained by `miner retrain --scheme {scheme} --labels FILE.csv`")
        raise typer.Exit(2)
    try:
        if evaluate is not None and scheme not in (None, "axes-2007"):
            from miner.tag.scheme_training import evaluate_scheme_file
            from miner.tag.schemes import scheme_names

            names = scheme_names(scheme)
            if len(names) > 1:
                err("error: --evaluate measures one scheme at a time: --scheme axes-2007 or missions-2024")
                raise typer.Exit(2)
            metrics = evaluate_scheme_file(evaluate, scheme, text_column=text_column)
            say(json.dumps(metrics, ensure_ascii=False) if as_json else api.format_metrics(metrics))
            return
        if evaluate is not None:
            metrics = api.evaluate_file(evaluate, model_path=model, text_column=text_column)
            say(json.dumps(metrics, ensure_ascii=False) if as_json else api.format_metrics(metrics))
            return
        if train is not None:
            from miner.pipeline.progress import Reporter

            # a bar with the time left, from the pace of the steps done (features, vectors, folds, final fit)
            path = api.train_file(
                train,
                out_dir=model_dir,
                base_model=model,
                replace=replace,
                text_column=text_column,
                progress=lambda steps: Reporter("human").track("retraining the axis model", steps),
            )
            say(f"model saved: {path}")
            return
        result = api.classify_file(
            input,
            text_column=text_column,
            sheet=sheet,
            model_path=model,
            constats_path=constats,
            progress=_tagging_progress,
            cluster=cluster,
            scheme=scheme,
        )
        text = api.write_output(result, out, english=english, excel=excel)
    except MinerError as exc:
        raise fail(exc) from None
    for message in result.messages:
        err(f"warning: {message}")
    if text is not None:
        say(text, nl=False)
    else:
        versions = (
            result.model_version
            if list(result.versions) in ([], ["axes-2007"])
            else ", ".join(f"{name} {version}" for name, version in result.versions.items())
        )
        err(f"{len(result.rows)} rows written to {out} ({result.errors} not tagged; model {versions})")


@app.command()
def retrain(
    scheme: str = typer.Option(
        "axes-2007", "--scheme", help="axes-2007, missions-2024, or your SKOS scheme file (Turtle)."
    ),
    labels: list[Path] = typer.Option(
        ...,
        "--labels",
        help="Labelled CSV/XLSX: a description column and one named after the scheme (axes, missions, or your scheme's short name) of notations such as 1;3; repeatable.",
    ),
    model: Optional[Path] = typer.Option(
        None, "--model", help="Base model whose examples are kept (default: the scheme's current one)."
    ),
    model_dir: Optional[Path] = typer.Option(
        None, "--model-dir", help="Folder for the new model (default ~/.local/share/miner/models)."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Forget the base model's examples: learn from the labels alone."
    ),
    text_column: Optional[str] = typer.Option(None, "--text-column", help="Description column, if not detected."),
) -> None:
    """Train a scheme's model from labelled activities (your own scheme: then classify --scheme FILE uses it)."""
    from miner.pipeline.progress import Reporter
    from miner.tag.classify import retrain as api

    try:
        with Reporter("human").working(f"retraining the model of {scheme}"):
            path = api(scheme, labels, out_dir=model_dir, base_model=model, replace=replace, text_column=text_column)
    except MinerError as exc:
        raise fail(exc) from None
    say(f"model saved: {path}")


@app.command()
def steps() -> None:
    """List the registered pipeline steps with what they need, make and take as parameters."""
    from miner.pipeline.registry import all_steps

    for spec in all_steps():
        say(f"{spec.name}: {spec.doc}")
        say(f"    requires: {', '.join(spec.requires) or '-'}; assigns: {', '.join(spec.assigns) or '-'}")
        if spec.params is not None:
            for name, info in spec.params.model_fields.items():
                default = "" if info.is_required() else f" = {info.default!r}"
                say(
                    f"    {name}: {getattr(info.annotation, '__name__', info.annotation)}{default}  {info.description or ''}"
                )


@app.command()
def build(
    inputs: list[Path] = typer.Argument(
        ..., help="Evaluation PDFs, member and activity lists, Evaluation JSON, RDF files, or folders of them."
    ),
    store: Store = DEFAULT_STORE,
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder for the pages, comparisons and cache (default: the store's parent)."
    ),
    skip: Optional[str] = typer.Option(
        None,
        "--skip",
        help="Parts left out for speed, comma-separated: organisations, members, activities, compare, network.",
    ),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Cluster of the member and activity lists (else that of the evaluations beside them)."
    ),
    cycle: Optional[str] = typer.Option(
        None, "--cycle", help="Cycle of every input, e.g. triennat-7 (else read from the text)."
    ),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Base IRI of the minted resources."),
    password: Password = None,
    ocr: OcrChoice = typer.Option(OcrChoice.auto, "--ocr", help="OCR scanned pages: auto, always or never."),
    force: Force = False,
    jobs: int = typer.Option(0, "--jobs", "-j", help="Documents processed at once (0: one per core)."),
    quiet: Quiet = False,
    replace_graph: Optional[list[str]] = typer.Option(
        None,
        "--replace-graph",
        help="A named graph an RDF input created before, which it may now replace (repeatable).",
    ),
    scheme: Optional[str] = typer.Option(
        None,
        "--scheme",
        help="Tag activity lists under axes-2007 (default), missions-2024, both, or your SKOS scheme file "
        "(trained with miner retrain; its labels go into the store beside the ontology).",
    ),
) -> None:
    """Recognise each input by its content and run the whole default pipeline into the store (incremental)."""
    from miner.pipeline.build import build as api
    from miner.pipeline.progress import Reporter

    reporter = Reporter("quiet" if quiet else "human", echo=say)
    parts = [part.strip() for part in (skip or "").split(",") if part.strip()]
    try:
        ctx, plan = api(
            inputs,
            store,
            out=out,
            skip=parts,
            cluster=cluster,
            cycle=cycle,
            base_iri=base_iri,
            password=password,
            ocr=ocr.value,
            force=force,
            jobs=jobs,
            reporter=reporter,
            replace_graphs=replace_graph or [],
            scheme=str(Path(scheme).absolute()) if scheme and Path(scheme).is_file() else scheme,
        )
    except MinerError as exc:
        raise fail(exc) from None
    if plan.skipped and not quiet:
        err(f"note: {len(plan.skipped)} file(s) in the folders left out:")
        for path, reason in plan.skipped:
            err(f"  {path}: {reason}")
    if ctx.failures:
        err(f"{len(ctx.failures)} input(s) failed:")
        for failure in ctx.failures:
            err(f"  {failure.path}: [{failure.step}] {failure.reason}")
        raise typer.Exit(1)


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nt = "nt"
    nq = "nq"
    jsonld = "jsonld"


@app.command()
def export(
    store: Store = DEFAULT_STORE,
    fmt: ExportFormat = typer.Option(
        ExportFormat.trig, "--format", help="turtle and nt merge all graphs; trig, nq, jsonld keep them."
    ),
    out: Optional[Path] = typer.Option(None, "--out", help="File to write (atomically); default stdout."),
) -> None:
    """Export the whole store as RDF."""
    from miner.atomic import write_bytes_atomic
    from miner.store.local import export_store, open_store

    try:
        data = export_store(open_store(store, read_only=True), fmt.value)
    except MinerError as exc:
        raise fail(exc) from None
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        write_bytes_atomic(out, data)


@app.command()
def remove(
    documents: list[str] = typer.Argument(
        ..., help="Documents to take out: the file, its sha256 digest (or its first 8+ characters), or its IRI."
    ),
    store: Store = DEFAULT_STORE,
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be removed; change nothing."),
) -> None:
    """Take documents out of the store, as if never built: their graphs, and the changes derived from them."""
    from miner.cli.remove import removal_lines
    from miner.store.local import open_store
    from miner.store.remove import plan_removal, remove_documents

    try:
        if not store.is_dir():
            raise UsageError(f"no store at {store}; build one first with `miner build INPUT... --store {store}`")
        removed = plan_removal(open_store(store, read_only=True), documents, store)  # every name checked first
        if not dry_run:
            removed = remove_documents(open_store(store), documents, store)
    except MinerError as exc:
        raise fail(exc) from None
    for line in removal_lines(removed):
        say(line)


def _parse_binding(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip().lstrip("?$"):
        raise typer.BadParameter(f"{text!r}: write NAME=VALUE, e.g. question=3")
    value = value.strip()
    return name.strip().lstrip("?$"), int(value) if value.lstrip("-").isdigit() else value


def _typed_bindings(store: Path, sparql: str, bindings: dict[str, object]) -> dict[str, object]:
    """A saved query's typed parameters matched to values the store holds (a value matching none
    stops the command with the closest ones, exit 1)."""
    import re

    from miner.store.local import open_store
    from miner.store.params import resolve_bindings
    from miner.store.query import find_saved_query

    name = sparql.strip()
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
        return bindings
    saved = find_saved_query(name)
    if not saved.params:
        return bindings
    return resolve_bindings(open_store(store, read_only=True), saved, bindings)


@app.command()
def query(
    sparql: str = typer.Argument(..., help="SPARQL text, a .rq file or a saved query name (ontology/queries)."),
    store: Store = DEFAULT_STORE,
    fmt: str = typer.Option(
        "table", "--format", help="table, csv, tsv, json, xml; CONSTRUCT: turtle, nt, jsonld, xml."
    ),
    bind: Optional[list[str]] = typer.Option(
        None, "--bind", help="Fix a variable before running: NAME=VALUE (repeatable)."
    ),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds the query may run."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Rows returned at most."),
    max_query_bytes: Optional[int] = typer.Option(
        None, "--max-query-bytes", help="Longest query text accepted, in bytes (default 1 MB; the endpoint's is 64 KB)."
    ),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Query this SPARQL endpoint instead of the store."),
    auth: Optional[str] = typer.Option(None, "--auth", help="With --endpoint: USER:PASSWORD or 'Bearer TOKEN'."),
    excel: bool = typer.Option(
        False, "--excel", help="CSV for French-locale Excel: ';' between fields, decimal commas."
    ),
) -> None:
    """Run a read-only SPARQL query over all the graphs of the store (or a remote endpoint)."""
    from miner.store.query import format_result, resolve_query_text

    try:
        bindings = dict(_parse_binding(b) for b in bind or [])
        text = resolve_query_text(sparql)
        if endpoint:
            from miner.store.remote import Remote, remote_query

            if bindings:
                raise UsageError("--bind works on the local store only")
            result = remote_query(Remote(endpoint, auth=auth, timeout=timeout), text, max_rows=max_rows)
        else:
            from miner.store.pool import query_store

            if bindings:
                bindings = _typed_bindings(store, sparql, bindings)
            result = query_store(
                store, text, bindings=bindings, timeout=timeout, max_rows=max_rows, max_query_bytes=max_query_bytes
            )
        if excel:
            from miner.read.spreadsheet import write_csv

            if result.form != "SELECT":
                raise UsageError("--excel writes the table of a SELECT query")
            say(write_csv(result.variables, result.values(), excel=True), nl=False)
            return
        say(format_result(result, fmt), nl=False)
    except MinerError as exc:
        raise fail(exc) from None


@app.command()
def push(
    endpoint: str = typer.Option(..., "--endpoint", help="SPARQL query endpoint of the target store."),
    graph_store: Optional[str] = typer.Option(
        None, "--graph-store", help="Graph Store Protocol URL (guessed from --endpoint)."
    ),
    auth: Optional[str] = typer.Option(None, "--auth", help="USER:PASSWORD (Basic) or 'Bearer TOKEN'."),
    store: Store = DEFAULT_STORE,
    graph: Optional[list[str]] = typer.Option(None, "--graph", help="Push only this named graph (repeatable)."),
    retries: int = typer.Option(3, "--retries", help="Retries of a failed request before giving up."),
) -> None:
    """Send each named graph of the store to an external store, replacing it there."""
    from miner.store.local import open_store
    from miner.store.remote import Remote, push_store

    try:
        remote = Remote(endpoint, graph_store=graph_store, auth=auth, retries=retries)
        report = push_store(open_store(store, read_only=True), remote, graphs=graph, echo=say)
    except MinerError as exc:
        raise fail(exc) from None
    say(f"{len(report.pushed)} graph(s), {sum(n for _, n in report.pushed)} triples pushed")


@app.command()
def queries(
    english: bool = typer.Option(False, "--english", help="The questions in English (French by default)."),
) -> None:
    """List the saved competency queries (ontology/queries/*.rq) with the question each answers."""
    from miner.store.query import saved_queries

    for saved in saved_queries():
        binds = "".join(f" [--bind {p.name}={p.type.upper()}]" for p in saved.params)
        question = (saved.question_en or saved.question_fr) if english else (saved.question_fr or saved.question_en)
        say(f"{saved.name}: {question}{binds}")


@app.command()
def schemes(
    scheme: Optional[list[Path]] = typer.Option(
        None, "--scheme", help="A SKOS scheme file of your own (Turtle), checked and listed too (repeatable)."
    ),
    crosswalk: bool = typer.Option(
        False, "--crosswalk", help="Also print the links from the 2007 axes to the 2024 missions."
    ),
) -> None:
    """List the concept schemes activities can be tagged with, and their concepts."""
    from miner.data import schemes as schemes_

    try:
        found = schemes_.schemes(scheme or [])
    except MinerError as exc:
        raise fail(exc) from None
    for name, s in found.items():
        say(f"{name}: {s.label_fr} ({len(s.concepts)} concepts, {s.path.name})")
        for c in s.concepts:
            say(f"  {c.notation}  {c.label_fr}" + (f" / {c.label_en}" if c.label_en else ""))
    if crosswalk:
        notation = {c.iri: f"{name} {c.notation}" for name, s in found.items() for c in s.concepts}
        say("crosswalk axes-2007 -> missions-2024:")
        for m in schemes_.crosswalk():
            say(
                f"  {notation.get(m.source, m.source)} {m.relation} {notation.get(m.target, m.target)}: {m.note_en or m.note_fr}"
            )


@app.command()
def serve(
    store: Store = DEFAULT_STORE,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Rows returned at most per query."),
    allow_host: Optional[list[str]] = typer.Option(
        None, "--allow-host", help="Host name accepted besides 127.0.0.1 and localhost (repeatable)."
    ),
    cors: Optional[list[str]] = typer.Option(
        None, "--cors", help="Origin whose pages may query the endpoint, e.g. https://intranet.example (repeatable)."
    ),
    documents: Optional[list[Path]] = typer.Option(
        None,
        "--documents",
        help="Folder searched (by digest) for the PDFs the store's register does not name "
        "(repeatable): their pages are shown as evidence.",
    ),
    memory_mb: Optional[int] = typer.Option(
        None,
        "--memory-mb",
        help="Memory (MB) the query workers may hold copies of the store in, all together; each worker a copy "
        "fits gets one and answers faster (default: half the memory available at start, at most 8 GB; 0: read the disk).",
    ),
) -> None:
    """Serve the store read-only: SPARQL endpoint at /sparql, query page at /, evidence and resource pages."""
    from miner.serve.endpoint import ServeSettings
    from miner.serve.endpoint import serve as api

    try:
        settings = ServeSettings(
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            allow_hosts=tuple(allow_host or ()),
            cors=tuple(cors or ()),
            documents=tuple(documents or ()),
            memory_mb=memory_mb,
        )
        api(store, settings, echo=say)
    except MinerError as exc:
        raise fail(exc) from None


@app.command()
def validate(
    store: Store = DEFAULT_STORE,
    shapes: Optional[Path] = typer.Option(None, "--shapes", help="SHACL shapes file (default ontology/shapes.ttl)."),
) -> None:
    """Check the store against the SHACL shapes and print every violation; exit 1 if any."""
    from miner.rdf.shacl import SHAPES, validate_store
    from miner.store.local import open_store

    try:
        report = validate_store(open_store(store, read_only=True), shapes or SHAPES)
    except MinerError as exc:
        raise fail(exc) from None
    say(report.text(), nl=False)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def organisations(
    files: list[Path] = typer.Argument(..., help="PDFs (evaluation reports, atlas sheets, any report)."),
    store: Optional[Path] = typer.Option(None, "--store", help="Also load them into this store."),
    activities: Optional[list[Path]] = typer.Option(
        None, "--activities", help="Activity list (CSV, XLSX, PDF) whose partners to add."
    ),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Cluster the activity lists are of."),
    cycle: Optional[str] = typer.Option(
        None, "--cycle", help="Cycle of every report, e.g. triennat-7 (else read from the text)."
    ),
    password: Password = None,
) -> None:
    """List the organisations documents name (resolved, typed, with variants) and the relations they state."""
    from miner.cli.organisations import organisations_report

    try:
        failed = organisations_report(
            files,
            store_path=store,
            activities=activities or [],
            cluster=cluster,
            cycle=cycle,
            password=password,
            echo=say,
        )
    except MinerError as exc:
        raise fail(exc) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def members(
    files: list[Path] = typer.Argument(..., help="Member lists: CSV or XLSX."),
    store: Optional[Path] = typer.Option(None, "--store", help="Load the memberships into this store."),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="The cluster the lists are of (needed with --store)."
    ),
    cycle: Optional[str] = typer.Option(
        None, "--cycle", help="The cycle they describe, e.g. triennat-7 (needed with --store)."
    ),
    as_of: Optional[datetime] = typer.Option(
        None, "--as-of", formats=["%Y-%m-%d"], help="Count only members who joined by this date."
    ),
    sheet: Sheet = None,
) -> None:
    """Check member lists (BCE mod-97, postal codes), count members by province and type, reconcile lists."""
    from miner.cli.organisations import members_report

    try:
        failed = members_report(
            files,
            store_path=store,
            cluster=cluster,
            cycle=cycle,
            as_of=as_of.date() if as_of else None,
            sheet=sheet,
            echo=say,
        )
    except MinerError as exc:
        raise fail(exc) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def indicators(
    files: list[Path] = typer.Argument(
        ..., help="Objective contracts or evaluations (PDF) with a table of indicators."
    ),
    store: Optional[Path] = typer.Option(None, "--store", help="Load the indicators into this store (qb:Observation)."),
) -> None:
    """Read the KPI table of objective contracts and their evaluations: target and achieved per indicator."""
    from miner.cli.indicators import indicators_report

    try:
        failed = indicators_report(files, store_path=store, echo=say, error=err)
    except MinerError as exc:
        raise fail(exc) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def network(
    store: Store = DEFAULT_STORE,
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Only the facts about this cluster."),
    cycle: Optional[str] = typer.Option(None, "--cycle", help="Only this cycle: triennat-7, or its ordinal 7."),
    axis: Optional[int] = typer.Option(None, "--axis", help="Only activities serving this decree axis (1-6)."),
    out: Path = typer.Option(
        Path("graphs/network.html"), "--out", help="HTML page; GraphML, GEXF and metrics CSV beside it."
    ),
    excel: bool = typer.Option(
        False, "--excel", help="Metrics CSV for French-locale Excel: ';' between fields, decimal commas."
    ),
) -> None:
    """Write the partnership network: offline HTML page, GraphML and GEXF for Gephi, metrics CSV."""
    from miner.network.network import network as api

    try:
        report = api(store, out, cluster=cluster, cycle=cycle, axis=axis, excel=excel)
    except MinerError as exc:
        raise fail(exc) from None
    say(f"{report.nodes} organisations, {report.edges} links")
    for path in report.files:
        say(f"  {path}")
    if report.unknown_types:
        err(f"warning: {report.unknown_types} organisation(s) typed 'inconnu'")
    if not report.nodes:
        err("warning: the network is empty (the page says so); load documents or member lists first")


@app.command()
def report(
    cluster: str = typer.Argument(
        ..., help="Cluster: its key (chanvrelia-cluster-des-eco-materiaux), name or a word of it."
    ),
    store: Store = Path("graphs/store"),
    out: Path = typer.Option(
        Path("graphs/report.html"), "--out", help="Report file: .html or .pdf (printed by Chromium)."
    ),
    endpoint: Optional[str] = typer.Option(
        None, "--endpoint", help="Link facts to this `miner serve` (its evidence pages) instead of the PDFs' files."
    ),
) -> None:
    """A report per cluster: judgements per criterion and cycle, constats, members, activities, partners."""
    from miner.compare.cluster import cluster_report, write_cluster_report
    from miner.store.local import open_store

    try:
        if not store.is_dir():
            raise UsageError(f"{store}: no store there (miner build ... --store {store})")
        handle = open_store(store, read_only=True)
        data = cluster_report(handle, cluster, store_path=store, endpoint=endpoint)
        write_cluster_report(data, out)
    except MinerError as exc:
        raise fail(exc) from None
    say(
        f"{data.cluster}: {len(data.cycles)} cycle(s), {len(data.criteria)} criteria, "
        f"{sum(len(k) for k in data.constats.values())} constats"
    )
    say(f"report: {out}")


@app.command()
def compare(
    a: str = typer.Argument(..., help="Earlier evaluation: PDF, Evaluation JSON, IRI in the store, or CLUSTER@CYCLE."),
    b: str = typer.Argument(..., help="Later evaluation, or another cluster's in the same cycle."),
    out: Path = typer.Option(
        Path("graphs/compare.html"), "--out", help="Report file: .html (offline, charts), .md or .pdf."
    ),
    store: Optional[Path] = typer.Option(
        None, "--store", help="Store holding IRIs and CLUSTER@CYCLE (default graphs/store)."
    ),
    cycle_a: Optional[str] = typer.Option(
        None, "--cycle-a", help="Cycle of A when its text names none, e.g. triennat-6."
    ),
    cycle_b: Optional[str] = typer.Option(None, "--cycle-b", help="Cycle of B when its text names none."),
    threshold: Optional[float] = typer.Option(
        None, "--threshold", help="Criterion similarity threshold (default: calibrated)."
    ),
    password: Password = None,
    endpoint: Optional[str] = typer.Option(
        None,
        "--endpoint",
        help='Link each judgement and constat to its evidence page on this `miner serve` ("voir la page").',
    ),
) -> None:
    """Compare two evaluations (two cycles, or two clusters): aligned criteria, judgement changes, members, constats."""
    from miner.compare.comparison import compare_refs, write_comparison

    try:
        settings = {"criterion_threshold": threshold} if threshold is not None else None
        comparison = compare_refs(
            a, b, store=store, cycle_a=cycle_a, cycle_b=cycle_b, password=password, settings=settings
        )
        write_comparison(comparison, out, endpoint)
    except MinerError as exc:
        raise fail(exc) from None
    counts = comparison.alignment.counts()
    say(f"{comparison.a.cluster}, {comparison.a.cycle} → {comparison.b.cluster}, {comparison.b.cycle}")
    say(
        f"criteria: {counts['matched']} aligned ({counts['by_theme']} by theme, {counts['by_similarity']} by similarity), "
        f"{counts['only_a']} only in A, {counts['only_b']} only in B"
    )
    say(f"judgements: {counts['improved']} improved, {counts['same']} same, {counts['declined']} declined")
    if comparison.same_cluster:
        changed = comparison.changed_counts()
        say(
            f"changed judgements (same criterion, as the saved query judgement_changes): {changed['changed']} "
            f"({changed['up']} up, {changed['down']} down)"
        )
    say(
        f"constats: {counts['recurring']} recurring, {counts['resolved']} resolved, {counts['dropped']} dropped, {counts['new']} new"
    )
    for note in comparison.notes:
        err(f"note: {note}")
    say(f"report: {out}")


@app.command()
def cycles(
    files: Optional[list[Path]] = typer.Argument(
        None, help="Evaluation PDFs or JSON; none: the evaluations of the store."
    ),
    store: Optional[Path] = typer.Option(
        None, "--store", help="Store to list when no file is given (default graphs/store)."
    ),
    cycle: Optional[str] = typer.Option(None, "--cycle", help="Cycle to check the files against, e.g. triennat-7."),
    password: Password = None,
) -> None:
    """Show the cycle of each evaluation, what in the text says so, and any conflict."""
    from miner.cli.cycles import cycles_report

    try:
        failed = cycles_report(list(files or []), store=store, cycle=cycle, password=password, echo=say)
    except MinerError as exc:
        raise fail(exc) from None
    raise typer.Exit(1 if failed else 0)


@app.command()
def review(
    folder: Optional[Path] = typer.Option(None, "--dir", help="Session folder (default ~/.local/share/miner/review)."),
    model_dir: Optional[Path] = typer.Option(
        None, "--model-dir", help="Folder of your retrained models (default ~/.local/share/miner/models)."
    ),
    model: Optional[Path] = typer.Option(None, "--model", help="Base axis model (.npz); default: shipped."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8766, "--port", help="Port to listen on."),
    allow_host: Optional[list[str]] = typer.Option(
        None, "--allow-host", help="Extra Host header accepted (with --host 0.0.0.0)."
    ),
) -> None:
    """Review page: upload an activity list, correct its axes in one click, download it, retrain."""
    from miner.serve.review import ReviewSettings, server

    settings = ReviewSettings(host=host, port=port, model=model, allowed_hosts=tuple(allow_host or ()))
    settings.folder = folder or settings.folder
    settings.model_dir = model_dir or settings.model_dir
    try:
        instance = server(settings)
    except MinerError as exc:
        raise fail(exc) from None
    err(f"review page: http://{host}:{port}/ (session {settings.folder / 'session.json'}, models {settings.model_dir})")
    instance.run()


app.command()(settings)  # `miner settings`: its own module (miner/cli/settings.py)


def main() -> None:
    """Entry point: run the Typer app, turning stray MinerErrors into one line and an exit code."""
    try:
        app()
    except MinerError as exc:
        err(f"error: {exc}")
        sys.exit(exc.exit_code)
