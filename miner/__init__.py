"""miner: knowledge graph and French NLP miner for the evaluations of Walloon business clusters.

Heavy libraries (torch, spaCy, sentence-transformers, pyvis) are imported only by the stages that
need them, so ``import miner`` and ``miner --help`` stay fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
