"""Concept schemes to tag activities with, and crosswalks between them, read from SKOS files.

The six axes of the 2007 decree (``axes-2007``) and the four missions of the 2024 decree
(``missions-2024``) ship as package data; a user adds a scheme (a cluster's own strategic axes)
by giving a Turtle file in the same form, with no code: :func:`load_scheme` checks it against
``ontology/schemes-shapes.ttl`` and refuses it with one line naming the file and the first
problem. Here in ``miner.data`` (not ``rdf``) so the tagger, below ``rdf``, can read any scheme.

>>> [c.notation for c in builtin_scheme("missions-2024").concepts]
['1', '2', '3', '4']
>>> sorted({m.relation for m in crosswalk()})
['broadMatch', 'closeMatch', 'relatedMatch']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, SKOS

from miner.data import ONTOLOGY
from miner.errors import InputError, UsageError

__all__ = [
    "BUILTIN_SCHEMES",
    "CROSSWALK",
    "DEFAULT_SCHEME",
    "SCHEME_SHAPES",
    "Concept",
    "Match",
    "Scheme",
    "builtin_scheme",
    "check_scheme_graph",
    "crosswalk",
    "disagreements",
    "load_scheme",
    "scheme",
    "schemes",
]

BUILTIN_SCHEMES = {"axes-2007": ONTOLOGY / "axes.ttl", "missions-2024": ONTOLOGY / "missions.ttl"}
"""Short name → file of the schemes miner ships."""
DEFAULT_SCHEME = "axes-2007"
SCHEME_SHAPES = ONTOLOGY / "schemes-shapes.ttl"
CROSSWALK = ONTOLOGY / "crosswalk.ttl"


@dataclass(frozen=True)
class Concept:
    """One concept of a scheme: its IRI, short code and the words a tagger and a reader need."""

    iri: str
    notation: str
    label_fr: str
    label_en: str | None
    definition_fr: str


@dataclass(frozen=True)
class Scheme:
    """A concept scheme, its concepts in notation order, and the file it came from."""

    iri: str
    name: str
    label_fr: str
    concepts: tuple[Concept, ...]
    path: Path

    def concept(self, notation: str | int) -> Concept:
        """The concept of a notation (``4`` or ``"4"``); a UsageError names the scheme otherwise."""
        for c in self.concepts:
            if c.notation == str(notation):
                return c
        raise UsageError(
            f"scheme {self.name} has no concept {str(notation)!r} "
            f"(notations: {', '.join(c.notation for c in self.concepts)})"
        )


@dataclass(frozen=True)
class Match:
    """One crosswalk link: ``source`` (an axis) ``relation`` ``target`` (a mission), and why."""

    source: str
    relation: str
    target: str
    note_fr: str
    note_en: str | None


def _parse(path: Path) -> Graph:
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 (rdflib raises several kinds; all mean the same to the user)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path, f"not readable Turtle: {first}") from None


def _text(g: Graph, subject: URIRef, predicate: URIRef, lang: str | None) -> str | None:
    values = sorted(str(o) for o in g.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang)
    return values[0] if values else None


def check_scheme_graph(g: Graph, path: Path) -> None:
    """Raise InputError(path, first violation) unless ``g`` satisfies the scheme shapes; warnings pass."""
    import pyshacl

    shapes = Graph().parse(SCHEME_SHAPES)
    _, results, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", allow_warnings=True)
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = str(results.value(result, SH.focusNode))
        problems.append((focus, str(results.value(result, SH.resultMessage))))
    if problems:
        focus, message = min(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(path, f"not a valid concept scheme: <{focus}>: {message}{more}")


def _scheme_from_graph(g: Graph, path: Path) -> Scheme:
    found = sorted(g.subjects(RDF.type, SKOS.ConceptScheme))
    if len(found) != 1:
        raise InputError(path, f"a scheme file describes exactly one skos:ConceptScheme, this one {len(found)}")
    iri = found[0]
    concepts = []
    for c in g.subjects(SKOS.inScheme, iri):
        concepts.append(
            Concept(
                str(c),
                str(g.value(c, SKOS.notation)),
                _text(g, c, SKOS.prefLabel, "fr") or "",
                _text(g, c, SKOS.prefLabel, "en"),
                _text(g, c, SKOS.definition, "fr") or "",
            )
        )
    notations = [c.notation for c in concepts]
    if len(set(notations)) != len(notations):
        raise InputError(path, f"two concepts share a notation: {sorted(notations)}")
    concepts.sort(key=lambda c: (not c.notation.isdigit(), int(c.notation) if c.notation.isdigit() else 0, c.notation))
    return Scheme(
        str(iri),
        str(g.value(iri, DCTERMS.identifier)),
        _text(g, iri, SKOS.prefLabel, "fr") or "",
        tuple(concepts),
        path,
    )


def load_scheme(path: str | Path, *, check: bool = True) -> Scheme:
    """A scheme from a Turtle file, checked against the scheme shapes (InputError naming the file)."""
    path = Path(path)
    g = _parse(path)
    if check:
        check_scheme_graph(g, path)
    return _scheme_from_graph(g, path)


@cache
def builtin_scheme(name: str) -> Scheme:
    """A shipped scheme by short name (its files are checked by the tests, not at each load)."""
    if name not in BUILTIN_SCHEMES:
        raise UsageError(f"unknown scheme {name!r}: miner ships {', '.join(BUILTIN_SCHEMES)}; give a file for another")
    return load_scheme(BUILTIN_SCHEMES[name], check=False)


def scheme(name_or_path: str | Path) -> Scheme:
    """A shipped scheme by name, or a user's scheme file (``--scheme FILE``)."""
    if str(name_or_path) in BUILTIN_SCHEMES:
        return builtin_scheme(str(name_or_path))
    if Path(name_or_path).suffix.lower() in (".ttl", ".turtle") or Path(name_or_path).exists():
        return load_scheme(name_or_path)
    return builtin_scheme(str(name_or_path))


def schemes(files: tuple[str | Path, ...] | list[str | Path] = ()) -> dict[str, Scheme]:
    """The shipped schemes and the users' files, by short name; a file may not reuse a taken name."""
    found = {name: builtin_scheme(name) for name in BUILTIN_SCHEMES}
    for f in files:
        s = load_scheme(f)
        if s.name in found:
            raise InputError(f, f"scheme name {s.name!r} is already taken by {found[s.name].path.name}")
        found[s.name] = s
    return found


@cache
def crosswalk(path: Path = CROSSWALK) -> tuple[Match, ...]:
    """The crosswalk's links in source, target order (the 2007 axes to the 2024 missions by default)."""
    g = _parse(path)
    links = []
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        links.append(
            Match(
                str(s),
                str(p).rsplit("#", 1)[-1],
                str(o),
                _text(g, st, SKOS.note, "fr") or "",
                _text(g, st, SKOS.note, "en"),
            )
        )
    return tuple(sorted(links, key=lambda m: (m.source, m.target)))


def disagreements(sources: set[str], targets: set[str], links: tuple[Match, ...] | None = None) -> list[str]:
    """Why a row's two tags (concept IRIs under the crosswalk's source and target schemes)
    disagree with the crosswalk: a source concept reaching none of the row's targets, or a target
    reached by none of its sources (any link counts, related ones too). Empty when they agree or
    when either side is empty (one framework only: nothing to compare).

    >>> axes, missions = "https://w3id.org/miner/axes/", "https://w3id.org/miner/missions/"
    >>> disagreements({axes + "4"}, {missions + "3"})
    []
    >>> disagreements({axes + "4"}, {missions + "1", missions + "3"})
    ['mission 1 is reached by none of the axes tagged']
    """
    links = crosswalk() if links is None else links
    if not sources or not targets:
        return []
    reach = {s: {m.target for m in links if m.source == s} for s in sources}
    out = [f"axis {_local(s)} reaches none of the missions tagged" for s in sorted(sources) if not reach[s] & targets]
    reached = set().union(*reach.values())
    out += [f"mission {_local(t)} is reached by none of the axes tagged" for t in sorted(targets) if t not in reached]
    return out


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
