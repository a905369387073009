"""The organisations a document names, as the finder hands them to the graph builders and the
steps after (``ctx.organisations``): mentions, resolved organisations, stated relations."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["UNKNOWN", "Mention", "Organisation", "OrganisationIndex", "Relation"]

UNKNOWN = "inconnu"
"""The type of an organisation nothing could type."""


@dataclass(frozen=True)
class Mention:
    """One mention of an organisation in a document."""

    text: str
    document: str
    page: int | None = None
    quote: str = ""
    canonical: str = ""
    type: str | None = None
    source: str = "ner"


@dataclass
class Organisation:
    """A resolved organisation: ``name`` (preferred label), ``type``, the other spellings met, and
    the documents (sha256 → pages) that mention it."""

    key: str
    name: str
    type: str
    variants: list[str] = field(default_factory=list)
    documents: dict[str, list[int]] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)
    from_gazetteer: bool = False

    @property
    def is_cluster(self) -> bool:
        return self.type == "cluster"


@dataclass(frozen=True)
class Relation:
    """A link a document states between two organisations (keys), with where it says so."""

    first: str
    second: str
    kind: str
    document: str
    page: int | None
    quote: str


@dataclass
class OrganisationIndex:
    """The organisations of a set of mentions, by key, and what could not be typed."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unknown_count(self) -> int:
        return sum(o.type == UNKNOWN for o in self.organisations.values())
