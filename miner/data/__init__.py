"""Package data: the ontology, SHACL shapes, saved queries, page assets, lexicons and models.

Read through :func:`path` (``importlib.resources``), so an installed wheel finds its data wherever it
lives; the repository's top-level ``ontology`` is a link to ``miner/data/ontology``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["path", "ONTOLOGY", "QUERIES", "ASSETS", "CONTEXT"]


def path(*parts: str) -> Path:
    """A file or folder of the package data, as a filesystem path (wheels are installed unzipped).

    >>> path("ontology", "miner.ttl").name
    'miner.ttl'
    """
    return Path(str(files(__name__).joinpath(*parts)))


ONTOLOGY = path("ontology")
QUERIES = path("ontology", "queries")
ASSETS = path("assets")
CONTEXT = path("context.jsonld")
"""The JSON-LD context of miner's graphs (its prefixes and short names of the common properties),
published beside the ontology; `miner export --format jsonld` compacts with it."""
