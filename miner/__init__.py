"""miner: knowledge graph and French NLP miner for the evaluations of Walloon business clusters.

A notebook needs five calls, loaded on first use (:mod:`miner.api`)::

    import miner
    report = miner.extract("evaluation.pdf")          # an Evaluation record
    failures = miner.build("reports/", store="graphs/store")
    frame = miner.query("evaluation_cycles", store="graphs/store")   # a pandas DataFrame
    tagged = miner.classify("activities.csv")         # a DataFrame with the axis columns
    miner.network("graphs/network", store="graphs/store")

Heavy libraries (torch, spaCy, sentence-transformers, pyvis, pandas) are imported only by the
stages that need them, so ``import miner`` and ``miner --help`` stay fast.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "classify", "extract", "network", "query"]

_API = frozenset({"build", "classify", "extract", "network", "query"})


def __getattr__(name: str) -> Any:
    """The library calls, imported from :mod:`miner.api` when first asked for (PEP 562)."""
    if name in _API:
        from miner import api

        return getattr(api, name)
    raise AttributeError(f"module 'miner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
