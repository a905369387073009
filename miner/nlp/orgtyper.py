"""Organisations typed by what they are, for any country: the classes of the conventions' rule R7.

A name is typed, in this order, by the gazetteer (``assets/organisations.ttl``, a SKOS scheme of
the types and of known bodies of Wallonia, Brussels, Flanders, the neighbours and the EU, which a
user file extends), then by its head words in French, English, Dutch, German, Italian and Spanish
(the types' ``skos:hiddenLabel``: "Handelskammer", "Agentschap", "Centre technologique"…), then by
the words around it in the sentence ("le pôle X", "la fédération X"). A name that says nothing is
left ``unknown``: the rules never act on a guess. The scheme is data, so a type or a head word is
added without touching the code; the matching rule (a phrase beats a word, then the earliest word,
the head of a French or Italian name) is what makes "Union des groupements d'achats publics" a
public buyer and "Cluster Tecnologico Nazionale" a cluster.

>>> typer = load_typer()
>>> typer.type_name("Industrie- und Handelskammer Trier").type, typer.type_name("AWEX").type
('chamber', 'agency')
>>> typer.type_name("Zorglub").type
'unknown'
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from miner import data
from miner.errors import InputError

__all__ = [
    "ORGANISATIONS_PATH",
    "UNKNOWN",
    "LIST_WORDS",
    "OrgType",
    "Body",
    "Typing",
    "Typer",
    "fold_name",
    "load_typer",
    "USER_FILE_ENV",
]

ORGANISATIONS_PATH = data.path("assets", "organisations.ttl")
UNKNOWN = "unknown"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MO = "https://w3id.org/miner/ontology#"
LIST_WORDS = frozenset(
    {"comme", "dont", "notamment", "tel", "telle", "tels", "such", "as", "including", "wie", "zoals"}
)
"""Words between a type's context word and the names it introduces ("des entreprises comme Engie")."""
CONTEXT_WINDOW = 3
"""Words looked at before a name for a type word ("la fédération X", "le pôle X")."""
GENERIC_AGENCY = "agency"
"""The type whose single head words ("agence", "agency", "-agentur") name an agency of any mission: R7 counts only
economic ones, so a mission word in the name (a type's ``missions``) types it first ("Agence suédoise de l'énergie")."""


@lru_cache(maxsize=16384)  # the same terms and words are folded for every row (issue 27)
def fold_name(text: str) -> str:
    """Lower case, no accents, every run of punctuation a space: how names and head words meet.

    >>> fold_name("Industrie- und Handelskammer (IHK) Köln"), fold_name("S.p.A.")
    ('industrie und handelskammer ihk koln', 's p a')
    """
    plain = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@dataclass(frozen=True)
class OrgType:
    """One class of R7: its key, labels, whether it counts for axis 6 or (clusters) axis 5."""

    key: str
    label_fr: str
    label_en: str
    axis6: bool
    axis5: bool
    heads: tuple[str, ...]
    kind: str = ""
    """The ecosystem kind of its bodies (``mk:scheme``) unless a body says its own."""
    context: tuple[str, ...] = ()
    """Folded words that type a name from outside it only ("l'entreprise X", "X, fabricant de…"): inside a
    name they say nothing ("Union wallonne des entreprises" is a federation)."""
    missions: tuple[str, ...] = ()
    """Head words of a public mission of this type (``mo:missionLabel``: "spatial", "énergie"): in a name typed
    only by the bare word of a generic agency ("Agence spatiale canadienne"), they say the agency's mission."""


@dataclass(frozen=True)
class Body:
    """A known organisation of the gazetteer."""

    name: str
    type: str
    variants: tuple[str, ...] = ()
    country: str = ""
    kind: str = ""
    """Its ecosystem kind (the entity ruler's label: ``research``, ``training``, ``network``…)."""
    synergy: bool = False
    """Whether it counts for axis 6 in the learned head's actor counts (its type's ``axis6`` by default)."""
    managed_by: tuple[str, ...] = ()
    """Names of the bodies that run it (``mo:managedBy``): for a cluster, its own actor, not a partner (R17)."""


@dataclass(frozen=True)
class Typing:
    """The type of a name and how it was found: ``gazetteer``, ``head word``, ``context`` or ``none``;
    ``word`` is the head word or label that decided, ``name`` the canonical name when known."""

    type: str
    how: str
    word: str = ""
    name: str = ""


@dataclass(frozen=True)
class _Head:
    type: str
    pattern: re.Pattern[str]
    words: int
    length: int
    text: str
    final: bool = False
    """It types a name only as the name's last word (an English name's head: "Latvian Biotechnology Association")."""


def _head_pattern(head: str) -> tuple[re.Pattern[str], str]:
    """A head word as a regular expression over folded names (see ``organisations.ttl``)."""
    if head.endswith("$"):
        text = fold_name(head[:-1])
        return re.compile(r"(?<![a-z0-9])" + re.escape(text) + r"$"), text
    if head.startswith("-"):
        text = fold_name(head[1:])
        return re.compile(r"[a-z0-9]*" + re.escape(text)), text
    if head.startswith("="):
        text = fold_name(head[1:])
        return re.compile(r"(?<![a-z0-9])" + re.escape(text) + r"(?![a-z0-9])"), text
    text = fold_name(head)
    return re.compile(r"(?<![a-z0-9])" + re.escape(text)), text


class Typer:
    """Types names by gazetteer, head words and context (see the module docstring)."""

    def __init__(self, types: dict[str, OrgType], bodies: list[Body], kinds: dict[str, str] | None = None):
        self.types = types
        self.bodies = bodies
        self.kinds = kinds or {}
        """Ecosystem kind key → French label (``mk:scheme``)."""
        self.index: dict[str, Body] = {}
        self.acronyms: dict[str, Body] = {}
        for body in bodies:
            for label in (body.name, *body.variants):
                key = fold_name(label)
                if key:
                    self.index.setdefault(key, body)
                if label.isupper() and " " not in label and len(label) >= 2:
                    self.acronyms.setdefault(label, body)
        self.heads: list[_Head] = []
        for t in types.values():
            for head in t.heads:
                pattern, text = _head_pattern(head)
                if text:
                    self.heads.append(_Head(t.key, pattern, len(text.split()), len(text), head, head.endswith("$")))
        self.missions = [(t.key, *_head_pattern(word)) for t in types.values() for word in t.missions]

    def lookup(self, name: str) -> Body | None:
        """The known body that ``name`` names exactly (folded), or whose acronym it is."""
        key = fold_name(name)
        stripped = re.sub(r"^(l|la|le|les|de|du|des|the|het|de|der|die|das)\s+", "", key)
        return self.index.get(key) or self.index.get(stripped) or self.acronyms.get(name.strip())

    def unit_of(self, name: str) -> Body | None:
        """The known body whose name opens ``name`` and is followed only by capitalised words: a regional
        chapter or an institute of that body ("Voka Vlaams-Brabant", "Fraunhofer IWU"), of its type.

        >>> load_typer().unit_of("Voka Limburg").name, load_typer().unit_of("Voka Academy day")
        ('Voka', None)
        """
        words = re.findall(r"[^\s\-–/]+", name.strip())
        for n in range(len(words) - 1, 0, -1):
            rest = words[n:]
            if not all(w[:1].isupper() or w.isupper() for w in rest):
                continue
            body = self.lookup(" ".join(words[:n]))
            if body is not None and len(fold_name(" ".join(words[:n]))) >= 3:
                return body
        return None

    def head_type(self, name: str, final: bool = True) -> tuple[str, str] | None:
        """(type, head word) from the name's own words, or None: a phrase beats a single word, a
        longer phrase a shorter one; among single words the earliest (the head of "Cluster de
        Automoción", the compound's tail in "Holzcluster"). ``final`` False leaves out the heads that type a
        name only as its last word (the words before a name are no name: "l'association X"). A bare agency word
        yields to a mission word of another type ("Agence spatiale X" is a public body, ``GENERIC_AGENCY``)."""
        folded = fold_name(name)
        best: tuple[tuple[int, int, int, int], _Head] | None = None
        for head in self.heads:
            if head.final and not final:
                continue
            found = head.pattern.search(folded)
            if not found:
                continue
            multi = head.words > 1
            rank = (1 if multi else 0, head.length if multi else 0, -found.start(), head.length)  # at one start,
            # the longer word is the more specific ("Technologiepark" a park, not a technology centre)
            if best is None or rank > best[0]:
                best = (rank, head)
        if best is not None and best[1].type == GENERIC_AGENCY and best[1].words == 1:
            for key, pattern, text in self.missions:
                if pattern.search(folded):
                    return key, text
        return (best[1].type, best[1].text) if best else None

    def generic(self, name: str) -> bool:
        """Whether ``name`` is only a type's head phrase ("Chambre de commerce", "CCI", "Chamber of Commerce"): it
        names the gazetteer's body of that label only where nothing qualifies it ("de Turin", "italienne")."""
        folded = fold_name(name)
        folded = re.sub(r"^(l|la|le|les|the|de|het|der|die|das)\s+", "", folded)
        return any(fold_name(h.text.lstrip("-=")) == folded for h in self.heads)

    def type_name(self, name: str, before: str = "") -> Typing:
        """Type one organisation name; ``before`` is the text just before it in its sentence."""
        body = self.lookup(name)
        if body is not None:
            return Typing(body.type, "gazetteer", body.name, body.name)
        head = self.head_type(name)
        if head is not None:
            return Typing(head[0], "head word", head[1])
        unit = self.unit_of(name)
        if unit is not None:
            return Typing(unit.type, "gazetteer", unit.name, unit.name)
        words = " ".join(fold_name(before).split()[-CONTEXT_WINDOW:])
        if words:
            head = self.head_type(words, final=False)
            if head is not None and head[0] != "firm":
                return Typing(head[0], "context", head[1])
            last = [w for w in words.split() if w not in LIST_WORDS][-1:]  # "des entreprises comme Engie"
            found = self.context_type(last[0]) if last else None
            if found is not None:
                return Typing(found[0], "context", found[1])
        return Typing(UNKNOWN, "none")

    def context_type(self, word: str) -> tuple[str, str] | None:
        """(type, word) when ``word`` (or its singular) is a type's context word: "entreprise", "Unternehmen"."""
        folded = fold_name(word)
        for t in self.types.values():
            for label in t.context:
                if folded in {label, label + "s", label + "es", label + "en"}:
                    return t.key, label
        return None

    def qualifies(self, type_key: str) -> bool:
        """Whether bodies of this type count for axis 6 (R7)."""
        t = self.types.get(type_key)
        return bool(t and t.axis6)

    def label(self, type_key: str) -> str:
        t = self.types.get(type_key)
        return t.label_fr if t else type_key


def _literal(term) -> tuple[str, str]:
    return term.value, getattr(term, "language", None) or ""


def _triples(path: Path) -> list:
    import pyoxigraph

    try:
        return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(path, f"not a Turtle organisation scheme ({exc})") from None


def _read_scheme(triples: list) -> tuple[dict[str, OrgType], list[tuple[str, Body]], dict[str, str]]:
    """The types, the bodies (with their IRI) and the ecosystem kinds (key → French label) of a scheme."""
    by_subject: dict[str, dict[str, list]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject.value, {}).setdefault(triple.predicate.value, []).append(triple.object)
    types: dict[str, OrgType] = {}
    type_of_iri: dict[str, str] = {}
    kinds = {
        props[MO + "kindKey"][0].value: {lang: v for v, lang in map(_literal, props.get(SKOS + "prefLabel", []))}.get(
            "fr", ""
        )
        for props in by_subject.values()
        if MO + "kindKey" in props
    }
    for iri, props in by_subject.items():
        if MO + "key" not in props:
            continue
        key = props[MO + "key"][0].value
        labels = dict((lang, value) for value, lang in map(_literal, props.get(SKOS + "prefLabel", [])))
        flag = lambda name, props=props: any(o.value == "true" for o in props.get(MO + name, []))  # noqa: E731
        heads = tuple(o.value for o in props.get(SKOS + "hiddenLabel", []))
        kind = props.get(MO + "actorKind", [None])[0]
        types[key] = OrgType(
            key,
            labels.get("fr", key),
            labels.get("en", key),
            flag("axis6"),
            flag("axis5"),
            heads,
            kind.value if kind is not None else key,
            tuple(fold_name(o.value) for o in props.get(MO + "contextLabel", [])),
            tuple(o.value for o in props.get(MO + "missionLabel", [])),
        )
        type_of_iri[iri] = key
    bodies = []
    for iri, props in by_subject.items():
        broader = [type_of_iri.get(o.value) for o in props.get(SKOS + "broader", [])]
        names = [o.value for o in props.get(SKOS + "prefLabel", [])]
        if not broader or not broader[0] or not names:
            continue
        variants = tuple(o.value for o in props.get(SKOS + "altLabel", []))
        country = props.get(MO + "country", [None])[0]
        kind = props.get(MO + "actorKind", [None])[0]
        synergy = props.get(MO + "synergy", [None])[0]
        managers = tuple(
            by_subject.get(o.value, {}).get(SKOS + "prefLabel", [o])[0].value for o in props.get(MO + "managedBy", [])
        )
        bodies.append(
            (
                iri,
                Body(
                    names[0],
                    broader[0],
                    variants,
                    country.value if country is not None else "",
                    kind.value if kind is not None else types[broader[0]].kind,
                    synergy.value == "true" if synergy is not None else types[broader[0]].axis6,
                    managers,
                ),
            )
        )
    return types, bodies, kinds


def _read_user_csv(path: Path, types: dict[str, OrgType]) -> list[Body]:
    """A user's bodies as CSV: ``name,type[,variants separated by |][,country][,managed by: names separated by |]``."""
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the organisations file ({exc})") from None
    bodies = []
    for n, row in enumerate(rows, 1):
        if not row or row[0].startswith("#") or (n == 1 and row[0].strip().lower() == "name"):
            continue
        if len(row) < 2 or row[1].strip() not in types:
            raise InputError(path, f"line {n}: expected name,type with a type among {', '.join(types)}")
        variants = tuple(v.strip() for v in (row[2] if len(row) > 2 else "").split("|") if v.strip())
        t = types[row[1].strip()]
        managers = tuple(v.strip() for v in (row[4] if len(row) > 4 else "").split("|") if v.strip())
        bodies.append(
            Body(row[0].strip(), t.key, variants, row[3].strip() if len(row) > 3 else "", t.kind, t.axis6, managers)
        )
    return bodies


USER_FILE_ENV = "MINER_ORGANISATIONS"
"""Environment variable naming a user's organisations file, used when no ``extra`` is given
(``miner classify --organisations FILE`` sets it for its run)."""


def load_typer(extra: str | None = None) -> Typer:
    """The typer over the shipped scheme, extended by ``extra`` (a Turtle file of the same shape or a
    CSV ``name,type,variants,country``; default: the file ``$MINER_ORGANISATIONS`` names); the
    user's bodies come first, so they override."""
    return _typer(extra or os.environ.get(USER_FILE_ENV) or None)


@lru_cache(maxsize=8)
def _typer(extra: str | None) -> Typer:
    shipped = _triples(ORGANISATIONS_PATH)
    if not extra:
        types, bodies, kinds = _read_scheme(shipped)
        return Typer(types, [b for _, b in bodies], kinds)
    path = Path(extra)
    if path.suffix.lower() == ".csv":
        types, bodies, kinds = _read_scheme(shipped)
        return Typer(types, _read_user_csv(path, types) + [b for _, b in bodies], kinds)
    theirs = _triples(path)  # its bodies may name the shipped types (skos:broader mt:agency) or its own
    types, bodies, kinds = _read_scheme(shipped + theirs)
    mine = {t.subject.value for t in theirs}
    return Typer(types, [b for i, b in bodies if i in mine] + [b for i, b in bodies if i not in mine], kinds)
