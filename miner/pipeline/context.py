"""The typed context of one pipeline run: where things go, the store handle, what steps made.

Steps read and write named fields instead of an untyped blackboard, and the names they declare
in ``requires``/``assigns`` are these fields (:data:`PRODUCTS`), so the registry refuses a step
that declares a product nobody knows and the pipeline check refuses a step that needs one no
earlier step makes. ``graph`` is what store-loading steps assign and store-reading steps require:
a pipeline that queries before it loads is refused before it runs.

Records go in through :meth:`RunContext.add`, which knows the type of each product
(:data:`RECORD_KINDS`) and refuses any other: a step cannot hand the next one a dict or a record of
the wrong kind, and a fact one step derives (an evaluation's cycle) is read, not derived again.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

import pyoxigraph as ox

from miner.atomic import write_text_atomic
from miner.errors import MinerError, reason_of
from miner.pipeline.cache import cache_key
from miner.pipeline.progress import Reporter
from miner.pipeline.registry import PRODUCTS
from miner.records import Activity, Classified, CycleInference, Evaluation, MemberList, OrganisationIndex
from miner.store.local import open_store
from miner.store.write import drop_spent_logs

__all__ = [
    "PRODUCTS",
    "RECORD_KINDS",
    "STORE_FACTS",
    "Failure",
    "ResultCache",
    "RunContext",
    "StepInput",
    "store_digest",
    "store_files",
]

RECORD_KINDS: dict[str, str] = {
    "evaluations": "miner.records:Evaluation",
    "cycles": "miner.records:CycleInference",
    "organisations": "miner.records:OrganisationIndex",
    "members": "miner.records:MemberList",
    "activities": "miner.records:Activity",
    "activity_tags": "miner.records:Classified",
}
"""The record type of each product a step adds to the context (module:class, imported on first use)."""
KEYED = frozenset({"cycles", "organisations"})
"""Products held by the content digest of what they were read from (an evaluation, a list)."""


STORE_FACTS = "miner.run.store"
"""The cache entry, per store, of the store's files as the last run left them and the digests steps
took of what they read in it (:meth:`RunContext.store_fact`)."""
UNCOUNTED = ("LOG", "LOCK", "documents.json", "miner-store-id", ".documents-")
"""Files of the store folder no write of a graph touches: Oxigraph's (RocksDB's) logs and lock,
miner's register of documents and the store's id."""


def store_files(folder: Path) -> str:
    """A fingerprint of the store's files (name, size, modification time): every write changes one
    (the write-ahead log grows, a table file appears), so an equal fingerprint means nothing was
    written; one that differs only means the digests are taken again."""
    try:
        entries = sorted(
            (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
            for entry in Path(folder).iterdir()
            if entry.is_file() and not entry.name.startswith(UNCOUNTED)
        )
    except FileNotFoundError:
        return "no-store"
    return hashlib.sha256(json.dumps(entries).encode("utf-8")).hexdigest()


def record_type(product: str) -> type:
    """The class records of ``product`` must be; a product with no record kind is refused."""
    where = RECORD_KINDS.get(product)
    if where is None:
        raise TypeError(f"no record kind {product!r} in the run context; known: {', '.join(sorted(RECORD_KINDS))}")
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


class ResultCache(Protocol):
    """The one cache protocol steps see: text entries under (step, key); ``miner.pipeline.cache.Cache``."""

    hits: int
    misses: int

    def get(self, step: str, key: str) -> str | None: ...

    def put(self, step: str, key: str, text: str) -> None: ...


@dataclass
class Failure:
    path: str
    step: str
    reason: str


@dataclass(frozen=True)
class StepInput:
    """One unit of a step's work: what to work on, the path failures name, what its result depends
    on (digests, settings) and whether its outputs are still there."""

    value: Any
    path: str | Path
    parts: tuple[str, ...]
    present: bool = True


@dataclass
class RunContext:
    """What steps share during one run: inputs, locations, the store and the records made so far."""

    inputs: list[Path]
    store: Path
    out: Path
    root: Path
    base_iri: str | None = None
    force: bool = False
    cache: ResultCache | None = None
    jobs: int = 0  # documents processed at once (0: one per core)
    reporter: Reporter = field(default_factory=Reporter)
    failures: list[Failure] = field(default_factory=list)
    # products of the steps (PRODUCTS names them)
    evaluations: list[Evaluation] = field(default_factory=list)
    cycles: dict[str, CycleInference] = field(default_factory=dict)  # by the evaluation's sha256
    graph: list[str] = field(default_factory=list)  # named graphs loaded in this run
    organisations: dict[str, OrganisationIndex] = field(default_factory=dict)  # by the document's or list's sha256
    members: list[MemberList] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    activity_tags: list[Classified] = field(default_factory=list)
    activity_graphs: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # inputs extracted anew in this run
    read: dict[str, Evaluation] = field(default_factory=dict)  # every record extracted in this run, by path: read once
    ahead: dict[tuple[str, str], str] = field(default_factory=dict)  # results found ahead this run (recall)
    behind: list[threading.Thread] = field(default_factory=list, repr=False)  # work left running for a later step
    _handle: ox.Store | None = field(default=None, init=False, repr=False)
    _captured: list[str] | None = field(default=None, init=False, repr=False)
    _memo: tuple[str, str, int] | None = field(default=None, init=False, repr=False)
    _files: dict[str, str] = field(default_factory=dict, init=False, repr=False)  # "start", "opened"
    _facts: dict[str, tuple[str, str, Callable[[], str]]] = field(default_factory=dict, init=False, repr=False)
    _prior: dict[str, str] | None = field(default=None, init=False, repr=False)

    def add(self, product: str, record: Any, *, key: str | None = None) -> None:
        """Hand ``record`` to the steps after this one as ``product``: it must be of the product's
        record kind (TypeError otherwise); keyed products (``cycles``, ``organisations``) need the
        digest of what the record was read from."""
        kind = record_type(product)
        if not isinstance(record, kind):
            raise TypeError(f"a {product} record must be a {kind.__name__}, not a {type(record).__name__}")
        held = getattr(self, product)
        if product in KEYED:
            if key is None:
                raise TypeError(f"a {product} record needs the digest of what it was read from (key=)")
            held[key] = record
        else:
            held.append(record)

    def start_behind(self, name: str, work: Callable[[], None]) -> None:
        """Run ``work`` in a thread of this process while the next steps run: it puts its answers in
        :attr:`ahead`, which a later step reads after :meth:`settle` (a daemon thread: a run that
        stops does not wait for it, and the workers it forks die with it)."""
        thread = threading.Thread(target=work, name=name, daemon=True)
        thread.start()
        self.behind.append(thread)

    def settle(self) -> None:
        """Wait for the work :meth:`start_behind` left running, so its answers are all in :attr:`ahead`."""
        while self.behind:
            self.behind.pop().join()

    def recall(self, entry: str, key: str) -> str | None:
        """A result found ahead in this run (in a document's extraction worker), else the cache's
        entry; None when neither has it. A run with ``--force`` reads no cache but what this run found."""
        found = self.ahead.get((entry, key))
        if found is not None:
            return found
        return self.cache.get(entry, key) if self.cache is not None else None

    def remember(self, entry: str, key: str, text: str) -> None:
        """Keep a result for the rest of this run and in the cache for the runs after."""
        self.ahead[(entry, key)] = text
        if self.cache is not None:
            self.cache.put(entry, key, text)

    def cycle_of(self, evaluation: Evaluation) -> CycleInference:
        """The cycle the ``miner.cycles.v1`` step found for ``evaluation`` (a step reading it must
        require ``cycles``: it is never inferred again here)."""
        try:
            return self.cycles[evaluation.source.sha256]
        except KeyError:
            raise TypeError(
                f"no cycle for {evaluation.source.path}: the pipeline has no miner.cycles.v1 step "
                "before the step reading it"
            ) from None

    def open_store(self, *, read_only: bool = False) -> ox.Store:
        """The run's store, opened once: a writer when a step writes (one writing process at a
        time), else read-only until a writer is needed."""
        if self._handle is None:
            return open_store(self.store, read_only=True) if read_only else self._writer()
        return self._handle

    def _writer(self) -> ox.Store:
        self._files.setdefault("start", store_files(self.store))
        self._handle = open_store(self.store)
        self._files["opened"] = store_files(self.store)
        return self._handle

    def store_fact(self, name: str, compute: Callable[[], str]) -> str:
        """A digest of what a step reads in the store (the constats it links to, the figures around a
        comparison): the one the last run left when the store's files are as that run left them and
        nothing was written since this run opened it, else ``compute()`` (its queries, its imports)."""
        if self.cache is None or self._handle is None:
            return compute()
        now = store_files(self.store)
        if self._files.get("opened") == now and name in self._prior_facts():
            value = self._prior_facts()[name]
        else:
            value = compute()
        self._facts[name] = (value, now, compute)
        return value

    def _prior_facts(self) -> dict[str, str]:
        """The digests the last run left, if the store's files were as it left them when this run began."""
        if self._prior is None:
            cached = self.cache.get(STORE_FACTS, self.store_id()) if self.cache is not None else None
            left = json.loads(cached) if cached else {}
            self._prior = left.get("facts", {}) if left.get("files") == self._files.get("start") else {}
        return self._prior

    def store_handle(self) -> ox.Store | None:
        """The store handle if a step opened it for writing, else None."""
        return self._handle

    def release_store(self) -> None:
        """Close the run's writer, so another process may write; remember the store's files as this
        run leaves them and each digest a step took, taken again if a write came after it (the
        queries are screened already: only Oxigraph runs them)."""
        if self._handle is None:
            return
        now = store_files(self.store)
        facts = {name: value if at == now else compute() for name, (value, at, compute) in self._facts.items()}
        handle, self._handle, self._facts = self._handle, None, {}  # its computations hold the handle too
        held = sys.getrefcount(handle) > 2  # by more than this name and the call: a cycle the collector breaks
        del handle  # Oxigraph closes the store when the last reference goes: before its files are read
        if held:  # only then a full collection (0.1 s of CPU with spaCy loaded, at the end of every build)
            gc.collect()
        drop_spent_logs(self.store)  # the build leaves the store's tables, not its spent write-ahead logs
        if self.cache is not None:
            self.cache.put(STORE_FACTS, self.store_id(), json.dumps({"files": store_files(self.store), "facts": facts}))

    def inputs_matching(self, pattern: str | list[str]) -> list[Path]:
        """The inputs a step's ``pattern`` picks: a glob on the file name (``"evaluation-*.pdf"``),
        or on the whole path when absolute, or a list of such globs (any may match)."""
        patterns = [pattern] if isinstance(pattern, str) else list(pattern)
        return [p for p in self.inputs if any(Path(p).match(one) for one in patterns)]

    def echo(self, text: str) -> None:
        """A line for a person (hidden with --quiet, an event with --log-json)."""
        if self._captured is not None:
            self._captured.append(text)
        self.reporter.info(text)

    def _remembered(self, step: str, params: Any, *parts: str) -> tuple[str, str | None]:
        if self.cache is None:  # a command's run: nothing remembered, nothing asked of the store
            return "", None
        key = cache_key(step, params, *parts, self.store_id())
        return key, self.cache.get(step, key) if self.cache is not None else None

    def pending(self, step: str, params: Any, items: Iterable[StepInput]) -> list[StepInput]:
        """The items ``for_each`` will run ``work`` on (the others it replays), without recording
        anything: a step computes their results ahead, in parallel workers."""
        return [item for item in items if self._remembered(step, params, *item.parts)[1] is None or not item.present]

    def unchanged(self, step: str, params: Any, *parts: str, outputs_exist: bool = True) -> bool:
        """True when this step already ran on exactly these inputs and parameters and its outputs
        are still there: what it printed then is printed again and the caller skips its work.
        Otherwise start recording, so ``finished`` can remember the run."""
        key, cached = self._remembered(step, params, *parts)
        if cached is not None and outputs_exist:
            for line in json.loads(cached)["echo"]:
                self.reporter.info(line)
            return True
        self._memo = (step, key, len(self.failures))
        self._captured = []
        return False

    def store_id(self) -> str:
        """An id written into the store folder when first seen: a store deleted and rebuilt gets a
        new one, so nothing remembered about the old store is taken for the new one."""
        marker = self.store / "miner-store-id"
        try:
            return marker.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            if not self.store.is_dir():
                return "no-store"
            ident = uuid.uuid4().hex
            write_text_atomic(marker, ident)
            return ident

    def finished(self) -> None:
        """Remember a step run started by ``unchanged`` (unless an input failed in it)."""
        memo, lines = self._memo, self._captured or []
        self._memo, self._captured = None, None
        if memo is not None and self.cache is not None and len(self.failures) == memo[2]:
            self.cache.put(memo[0], memo[1], json.dumps({"echo": lines}, ensure_ascii=False))

    def for_each(self, step: str, params: Any, items: Iterable[StepInput], work: Callable[[Any], None]) -> None:
        """Run ``work`` on each item that changed since this step last ran on it (else replay what it
        printed); an item that fails is reported on one line and the others go on."""
        for item in items:
            if self.unchanged(step, params, *item.parts, outputs_exist=item.present):
                continue
            try:
                work(item.value)
            except MinerError as exc:
                self.fail(item.path, step, exc)
            self.finished()

    def evaluation_inputs(self, store: ox.Store, graph_of: Callable[[str], Any]) -> list[StepInput]:
        """Each extracted evaluation as a step input; its output is there when the named graph
        ``graph_of(sha256)`` is in the store."""
        return [
            StepInput(
                e,
                e.source.path,
                (str(self.base_iri), e.source.sha256),
                store.contains_named_graph(ox.NamedNode(str(graph_of(e.source.sha256)))),
            )
            for e in self.evaluations
        ]

    def fail(self, path: str | Path, step: str, reason: str | MinerError) -> None:
        """Record and report one input's failure; an error about that input is given by its reason
        (:func:`miner.errors.reason_of`), so the line names the file once."""
        if isinstance(reason, MinerError):
            reason = reason_of(reason, path)
        self.failures.append(Failure(str(path), step, reason))
        self.reporter.error(str(path), step, reason)


def store_digest(store: ox.Store) -> str:
    """A fingerprint of the store's content: its named graph IRIs, which derive from the content
    of the documents they were read from (a changed document gets a new graph)."""
    names = sorted(str(getattr(g, "value", g)) for g in store.named_graphs())
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()
