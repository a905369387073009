"""The few calls a notebook needs, behind ``import miner``: extract, build, query, classify, network.

Each is a thin door onto what the commands run (the same functions, the same isolated reader and
the same limits), returning records or pandas DataFrames rather than printing. Every import is
inside the call, so ``import miner`` stays light; ``miner/__init__.py`` loads this module only when
one of these names is first used.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any

__all__ = ["build", "callable_package", "classify", "extract", "network", "query"]

DEFAULT_STORE = Path("graphs/store")
"""Where ``build`` writes and ``query`` and ``network`` read when no store is given (as the CLI)."""


def extract(path: str | Path, *, password: str | None = None, ocr: str = "auto", **layout: Any) -> Any:
    """The structure of one evaluation report (a :class:`miner.records.Evaluation`), read in an
    isolated worker with the declared time and memory limits (``miner settings limits``); a file
    that cannot be read raises :class:`miner.errors.InputError` naming it and the reason.
    ``layout``: layout settings other than their defaults (``miner settings layout``)."""
    from miner.errors import InputError
    from miner.extract.evaluation import extract_batch

    [(source, evaluation, error)] = extract_batch([Path(path)], password=password, ocr=ocr, layout=layout or None)
    if evaluation is None:
        raise InputError(source, error or "failed")
    return evaluation


def build(*paths: str | Path, store: str | Path = DEFAULT_STORE, **options: Any) -> list[Any]:
    """`miner build` without the printing: recognise each input, run the default pipeline into
    ``store`` (incremental). Returns the failures (``path``, ``step``, ``reason``); an empty list
    when everything was built. ``options``: those of :func:`miner.pipeline.build.build` (``cluster``,
    ``cycle``, ``skip``, ``jobs``...)."""
    from miner.pipeline.build import build as run_build
    from miner.pipeline.progress import Reporter

    ctx, _plan = run_build(
        [Path(p) for p in paths], Path(store), reporter=Reporter("quiet", echo=lambda *a, **k: None), **options
    )
    return list(ctx.failures)


def query(
    text: str,
    store: str | Path = DEFAULT_STORE,
    *,
    timeout: float | None = 30.0,
    max_rows: int | None = 10_000,
    **bindings: Any,
) -> Any:
    """A SPARQL SELECT (its text, or the name of a saved query as ``miner queries`` lists them) on
    ``store`` as a pandas DataFrame, one column per variable, values as Python values; run in a
    killable worker as `miner query` runs it. ``bindings`` give the saved query's parameters."""
    from miner.store.pool import query_store
    from miner.store.query import find_saved_query

    if re.fullmatch(r"[\w-]+", text.strip()):
        text = find_saved_query(text.strip()).text
    return query_store(store, text, timeout=timeout, max_rows=max_rows, bindings=bindings or None).to_dataframe()


def classify(path: str | Path, **options: Any) -> Any:
    """An activity list (CSV, XLSX or PDF) tagged with the decree's axes, as a pandas DataFrame: the
    input columns unchanged, then the output columns `miner classify` writes. ``options``: those of
    :func:`miner.tag.classify.classify_file` (``text_column``, ``sheet``, ``model_path``...)."""
    import pandas as pd

    from miner.tag.classify import classify_file

    result = classify_file(path, **options)
    return pd.DataFrame(result.rows, columns=result.columns)


def network(out: str | Path, store: str | Path = DEFAULT_STORE, **options: Any) -> Any:
    """The partnership network of the store written to ``out`` (page, GraphML, GEXF, metrics CSV)
    as `miner network` writes it; returns its report (``nodes``, ``edges``, ``files``).
    ``options``: ``cluster``, ``cycle``, ``axis``."""
    from miner.network.network import network as write

    return write(store, out, **options)


def callable_package(package: str, call: str) -> None:
    """Make the wing ``package`` callable as the library call of the same name.

    ``miner.extract`` and ``miner.network`` are both wings (packages) and library calls: once a
    wing is imported, Python binds its name on ``miner`` to the package, hiding the call. Each of
    these two packages makes itself callable (its module's class gains ``__call__``), so
    ``miner.extract(path)`` works whatever was imported before.
    """
    module = sys.modules[package]
    doc = globals()[call].__doc__

    class CallablePackage(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return globals()[call](*args, **kwargs)

    CallablePackage.__call__.__doc__ = doc
    module.__class__ = CallablePackage
