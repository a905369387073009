"""What an activity's sentence says, as facts the conventions' rules read: the organisations it
names (typed by :mod:`miner.nlp.orgtyper`), the role each plays in the sentence (from the
dependency parse), which of them is the list's own cluster, and the event formats it names.

The roles are those of rule R2: ``organiser``, ``co-organiser``, ``partner``, ``signatory`` and
``framework`` are active (they count for axes 5 and 6); ``venue``, ``host``, ``audience``,
``alongside`` ("aux côtés de", R2's shared stand), ``funder`` and ``topic`` are not; ``mention`` is a name whose role the parse does not say.
A role is read from the words that govern the name in the parse (the verb or noun it depends
on, its preposition) and the few words before it, so "co-organisé avec la Chambre" and "dans les
locaux de la Chambre" differ whatever the chamber is called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from miner import data
from miner.data.lexicon import detect_language
from miner.nlp.french import Analysis, analyse, participle_verb
from miner.nlp.orgtyper import LIST_WORDS, UNKNOWN, Typer, Typing, fold_name, load_typer
from miner.settings import check_fields, setting
from miner.tag.aims import (
    AimSettings,
    answered_calls,
    commercial_aims,
    discussed_terms,
    firm_partnerships,
    firms_access,
    helped_firms,
    market_sides,
    members_outside_aims,
    partnership_aims,
    supported_projects,
    test_beds,
)
from miner.tag.audience import (
    SHOWING,
    AudienceSettings,
    anniversaries,
    audience,
    hosted,
    promoted_own,
    recognitions,
    shown_outside,
)
from miner.tag.base import fold_text
from miner.tag.eventhead import (
    BARE_PREFIX,
    CO_FOUNDING,
    FOUNDING_WORDS,
    HEAD_PREFIX,
    bodies_to_found,
    business_meetings,
    clusters_own_terms,
    event_heads,
    founded_bodies,
    head_formats,
    idle_terms,
    meeting_parties,
    meeting_sides,
    placed_terms,
    plural_clusters,
    unparted_terms,
)
from miner.tag.jointwork import (
    GATHERING_VERBS,
    MEMBER_WORDS,
    PARTNER_DEPS,
    PROJECT_NOUNS,
    gathering_projects,
    joint_work,
    members_body,
    members_joint,
    pooled_purchases,
)

__all__ = [
    "FORMATS_PATH",
    "ACTIVE_ROLES",
    "OwnCluster",
    "Mention",
    "Facts",
    "load_event_formats",
    "own_cluster",
    "role_of",
    "RoleSettings",
    "facts_of",
]

FORMATS_PATH = data.path("assets", "event_formats.yaml")
ACTIVE_ROLES = frozenset({"organiser", "co-organiser", "partner", "signatory", "framework"})
"""Roles in which a body takes an active part (R2)."""

# Words before or governing a name that say its role, checked in this order (the first wins).
ROLE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "funder",
        (
            "financer",
            "financement",
            "cofinancer",
            "cofinancement",
            "subside",
            "subsidier",
            "subvention",
            "subventionner",
            "sponsor",
            "sponsoriser",
            "mécène",
            "bailleur",
        ),
    ),
    ("host", ("accueillir", "héberger", "hôte", "recevoir")),
    (
        "venue",
        ("local", "locaux", "siège", "site", "campus", "chez", "bâtiment", "auditoire", "salle", "dans les locaux"),
    ),
    (
        "audience",
        (
            "ouvert",
            "ouvrir",
            "destiner",
            "destination",
            "adhérent",
            "affilié",
            "membre",
            "public",
            "auprès",
            "devant",
            "participant",
            "employé",
            "salarié",
            "personnel",
            "étudiant",
            "client",
            "ressortissant",
        ),
    ),
    ("alongside", ("côté", "alongside")),
    (
        "signatory",
        (
            "signer",
            "signature",
            "convention",
            "accord",
            "protocole",
            "mou",
            "memorandum",
            "charte",
            "conclure",
            "renouveler",
            "contrat",
        ),
    ),
    (
        "framework",
        (
            "égide",
            "cadre",
            "initiative",
            "initier",
            "soutien",
            "soutenir",
            "appui",
            "appuyer",
            "mission",
            "pavillon",
            "programme",
            "patronage",
            "auspice",
            "invitation",
            "inviter",
            "mandat",
            "label",
            "labelliser",
            "adhésion",
            "adhérer",
            "rejoindre",
            "affiliation",
            "affilier",
        ),
    ),
    (
        "co-organiser",
        (
            "coorganiser",
            "co-organiser",
            "coorganisé",
            "co-organisé",
            "coorganisation",
            "co-organisation",
            "conjointement",
            "organiser",
            "organisation",
            "organisateur",
            "collaboration",
            "collaborer",
            "partenariat",
            "partenaire",
            "associer",
            "association",
            "coopération",
            "coopérer",
            "ensemble",
            "commun",
            "joint",
            "avec",
            "animer",
            "piloter",
            "mener",
            "porter",
            "coordonner",
            "lancer",
            "délégation",
            "fusion",
            "fusionner",
            "absorption",
            "absorber",
            "alliance",
            "rapprochement",
            "jumelage",
            "échange",
        ),
    ),
    (
        "topic",
        (
            "présentation",
            "présenter",
            "stratégie",
            "thème",
            "sujet",
            "politique",
            "plan",
            "rapport",
            "décret",
            "réforme",
            "appel",
            "outil",
            "offre",
            "service",
            "dispositif",
        ),
    ),
)
OWN_DETERMINERS = frozenset(
    {"le", "la", "l", "du", "au", "ce", "cet", "notre", "nos", "son", "sa", "ses", "leur", "leurs"}
    | {"the", "our", "its", "het", "onze", "ons", "der", "die", "das", "dem", "den", "unser", "unsere", "unserem"}
)
"""Determiners that make "cluster", "grappe", "club" the list's own: "le cluster", "nos grappes"."""
POSSESSIVES = frozenset({"notre", "nos", "son", "sa", "ses", "leur", "leurs"})
OWN_UNIT_POSSESSIVES = frozenset({"son", "sa", "ses", "notre", "nos"})
"""Possessives that make a typed body the list's own unit ("son incubateur X", "notre pépinière X"): the
cluster's ("leur incubateur" may be its members')."""
OWN_UNIT_TYPES = frozenset({"hub", "techcentre"})
"""Types of the units a cluster runs for its members (an incubator, a competence centre): "son incubateur X" is the
cluster's own, where "sa fédération Agoria" is the sector's federation, still a partner."""
OTHER_DETERMINERS = frozenset(
    {"un", "une", "des", "autre", "autres", "deux", "trois", "plusieurs", "homologue", "homologues"}
)
OWN_GROUP_WORDS = frozenset(
    {
        "cluster",
        "grappe",
        "grappes",
        "club",
        "clubs",
        "groupe",
        "groupes",
        "cellule",
        "commission",
        "comite",
        "communaute",
        "reseau",
        "membre",
        "membres",
        "adherent",
        "adherents",
    }
)
"""What "le cluster", "nos membres", "ses groupes de travail" name when an own determiner precedes."""
TEXT_HEAD_TYPES = frozenset(
    {
        "cluster",
        "pole",
        "federation",
        "chamber",
        "agency",
        "techcentre",
        "hub",
        "university",
        "administration",
        "public_buyer",
    }
)
"""Types whose head words also make a mention in running text ("un cluster danois", "la fédération")."""
WEAK_TEXT_HEADS = frozenset(
    {
        "business",
        "export",
        "invest",
        "enterprise",
        "technique",
        "technolog",
        "technologie",
        "technology",
        "tecnolog",
        "agence",
        "administration",
        "programme",
        "union des",
        "ecole",
        "laboratoire",
        "hub",
        "stadt",
        "regie",
        "societe publique",
        "plan de relance",
        "developpement economique",
        "commerce exterieur",
        "association des",
        "association$",
        "ministre",
        "gouvernement",
        "parlement",
        "fund",
        "fonds",
        "province",
        "commune",
        "purchasing",
        "clinique",
        "college",
    }
)
"""Head words too common in running text to make a mention unless the word is capitalised
("export" as a topic, "l'agence" as a pronoun-like back reference)."""
EVENT_TAILS = frozenset(
    {
        "forum",
        "day",
        "days",
        "summit",
        "week",
        "awards",
        "award",
        "conference",
        "congress",
        "meeting",
        "meetings",
        "meetup",
        "expo",
        "fair",
        "festival",
        "journee",
        "journees",
        "salon",
        "congres",
        "rencontres",
        "tour",
        "night",
        "gala",
        "cafe",
        "show",
        "challenge",
        "trophy",
        "trophees",
        "hackathon",
        "bootcamp",
    }
)
"""Last words that make a capitalised name an event, not an organisation ("Wood Cluster Forum")."""
MANAGING_VERBS = frozenset(
    {
        "gerer",
        "animer",
        "anime",
        "heberger",
        "piloter",
        "coordonner",
        "diriger",
        "administrer",
        "porter",
        "lancer",
        "creer",
        "fonder",
        "encadrer",
        "accueillir",
    }
)
"""Verbs whose agent runs the cluster they bear on ("le cluster, géré par l'agence X", "X, qui anime le
cluster"): that body is the list's own actor (R17), not a partner."""
SPAN_WORDS = 6
"""Tokens after a head word kept in a generic mention ("un cluster danois de l'éolien")."""


@lru_cache(maxsize=2)
def load_event_formats(path: str | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Format key → (term, folded lemma sequence) pairs, lemmatised like the activities are."""
    raw = yaml.safe_load(Path(path or FORMATS_PATH).read_text(encoding="utf-8"))
    terms = [(key, str(term)) for key, values in raw.items() for term in values]
    analyses = analyse([t for _, t in terms], full=False)
    out: dict[str, list[tuple[str, str]]] = {key: [] for key in raw}
    for (key, term), analysis in zip(terms, analyses):
        out[key].append((term, " " + " ".join(fold_text(l) for l in analysis.lemmas) + " "))
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class OwnCluster:
    """The organisation that runs the listed activities: its names (folded) and how it was known
    (``option``, ``column``, ``title``, ``file name``, ``evaluation`` or ``most frequent``)."""

    name: str
    names: frozenset[str]
    source: str = "option"
    kind: str = ""
    """Its type in the typer (``pole`` makes "le pôle", "du pôle" the list's own, like "le cluster")."""


def _bracketed_names(name: str, typer: Typer) -> set[str]:
    """The names of "X (Y)", the usual shape of a list's cluster column ("HEGAN (Basque Aerospace Cluster)",
    "Ökoenergie-Cluster (Haute-Autriche)"): X always, Y only when the typer reads it as a cluster or a pôle (a
    long form), not a place or a note ("Haute-Autriche" would make every body of the region the list's own)."""
    match = re.fullmatch(r"\s*([^()]+?)\s*\(([^()]+)\)\s*", name)
    if match is None:
        return set()
    outer, inner = match.group(1), match.group(2)
    names = {fold_name(outer)}
    if typer.type_name(inner).type in {"cluster", "pole"}:
        names.add(fold_name(inner))
    return names


def own_cluster(name: str | None, source: str = "option", typer: Typer | None = None) -> OwnCluster | None:
    """The list's own cluster from its name: the name, its variants and acronyms in the gazetteer,
    its initials, and the name without the word "cluster" ("Cluster Bois" is also "Bois")."""
    if not name or not name.strip():
        return None
    typer = typer or load_typer()
    names = {fold_name(name)} | _bracketed_names(name, typer)
    body = typer.lookup(name)
    if body is not None:
        names |= {fold_name(v) for v in (body.name, *body.variants)}
        for manager in (typer.lookup(m) for m in body.managed_by):  # the body that runs it is the actor (R17)
            if manager is not None:
                names |= {fold_name(v) for v in (manager.name, *manager.variants)}
    for n in list(names):
        bare = " ".join(w for w in n.split() if w not in {"cluster", "pole", "le", "la", "du", "de", "des", "d"})
        if bare and len(bare) > 2:
            names.add(bare)
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ]+", name) if w[0].isupper()]
    if len(words) >= 2:
        names.add("".join(w[0] for w in words).casefold())
    kind = body.type if body is not None else typer.type_name(name).type
    return OwnCluster(name.strip(), frozenset(n for n in names if n), source, kind)


@dataclass(frozen=True)
class Mention:
    """An organisation named in an activity, its type, its role and whether it is the list's own."""

    text: str
    start: int
    end: int
    type: str
    how: str
    word: str
    role: str
    cue: str
    own: bool = False
    name: str = ""
    joint: bool = False
    """The parse links it to a joint action: the case "avec" or "par" of an organising or partnering word
    (:data:`JOINT_WORDS`), for it or the first conjunct it is coordinated with."""
    place: bool = False
    """The NER reads it as a place only, in one word ("Namur", "Flandre"): not an organisation by itself."""

    @property
    def active(self) -> bool:
        return self.role in ACTIVE_ROLES


@dataclass
class Facts:
    """What the rules read from one activity."""

    text: str
    folded: str
    """Folded lemmas of the sentence, own-cluster words masked, space-padded (cue matching)."""
    mentions: list[Mention] = field(default_factory=list)
    formats: dict[str, list[str]] = field(default_factory=dict)
    own_words: list[str] = field(default_factory=list)
    """How the sentence names its own cluster or members ("du cluster", "nos membres")."""
    meeting_sides: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    """The character spans of the two parties of each "X meets Y" (:func:`miner.tag.eventhead.meeting_sides`),
    so a mention is a party by where it stands."""

    def in_party(self, m: Mention, side: int | None = None) -> bool:
        """Whether ``m`` overlaps a party of an "X meets Y" (``side`` 0: X, 1: Y; None: either)."""
        return any(
            m.start < end and start < m.end
            for pair in self.meeting_sides
            for n, (start, end) in enumerate(pair)
            if side is None or n == side
        )

    def has(self, *keys: str) -> bool:
        return any(self.formats.get(k) for k in keys)

    def words(self, *keys: str) -> list[str]:
        return [w for k in keys for w in self.formats.get(k, [])]

    def others(self, *types: str, active: bool | None = None) -> list[Mention]:
        """Mentions of other organisations of ``types`` (all types if none), by role if asked."""
        return [
            m
            for m in self.mentions
            if not m.own and (not types or m.type in types) and (active is None or m.active == active)
        ]


def _names_another_body(token: Any) -> bool:
    """Whether "la commission", "le groupe" is tied by its complement to another body, which makes it that
    body's, not the list's own: a name, a count or a determined noun other than members ("la commission de
    l'Économie du Parlement", "du groupe de travail des 30 biorégions")."""
    if fold_name(token.text) in {"membre", "membres", "adherent", "adherents", "cluster"}:
        return False
    for child in token.children:
        cases = {fold_text(c.text) for c in child.children if c.dep_ == "case"}
        if child.dep_ != "nmod" or child.i < token.i or not cases & {"de", "d'", "du", "des"}:
            continue  # "la commission sur les façades" says its subject, "de l'Économie" whose it is
        for t in child.subtree:
            if t.pos_ in {"PROPN", "NUM"} or (
                t.pos_ == "NOUN"
                and fold_text(t.lemma_) not in {"membre", "adherent", "cluster"}
                and any(c.dep_ == "det" for c in t.children)
            ):
                return True
    return False


def _before_words(doc: Any, start: int, n: int = 5) -> str:
    return " ".join(fold_text(t.lemma_) for t in doc[max(0, start - n) : start])


def _first_conjunct(
    doc: Any, start: int, end: int, names: Sequence[tuple[int, int]] = (), own_tokens: set[int] = frozenset()
) -> tuple[Any, bool]:
    """The token whose role a name coordinated with others plays ("avec X et Y": Y plays X's role),
    and whether the chain passed the list's own cluster ("le cluster et le pôle X rédigent…"). When
    the parse hangs Y on a word inside another name ("avec un cluster français du numérique et
    l'AWEX": "AWEX" on "numérique"), Y is coordinated with that name, so it plays that name's role."""
    root = doc[start:end].root
    for _ in range(len(doc)):
        joiner = [c.i for c in root.children if c.dep_ in {"cc", "punct"} and c.i < start]
        beside = next(((s, e) for s, e in names if joiner and e == joiner[0] and s < start), None)
        if beside is not None and root.dep_ in {"conj", "dep", "ROOT"}:
            head = doc[beside[0] : beside[1]].root  # "avec X et Y" where the parse hangs Y elsewhere: its "et"
            # follows X's last word, so Y is X's conjunct
            if head.i in own_tokens:
                return head, True
            root, start, end = head, beside[0], beside[1]
            continue
        if not (root.dep_ == "conj" and root.head.i < root.i and root.head.i not in range(start, end)):
            break
        head = _genitive_mate(root) or root.head
        inside = next(((s, e) for s, e in names if s <= head.i < e and (s, e) != (start, end)), None)
        if inside is not None:
            head = doc[inside[0] : inside[1]].root
        if head.i in own_tokens:
            return head, True
        if head.i == root.i:
            break
        root = head
    return root, False


GENITIVE_CASES = frozenset({"de", "d'", "d’", "du", "des"})


def _genitive_mate(token: Any) -> Any:
    """The list item a "de" conjunct really follows when the parse hangs it on the noun the list complements
    ("avec les présidents de l'AFM Cluster, de l'AIMHE et de la Chambre X": "Chambre" a conjunct of
    "présidents"): its own "de" says it is that noun's complement, as the earlier "de" item is, so it plays that
    item's role, not the noun's ("avec" makes the presidents companions, not the chamber a co-organiser)."""
    head = token.head

    def cases(t: Any) -> set[str]:
        return {fold_text(c.text) for c in t.children if c.dep_ == "case"}

    if not cases(token) & GENITIVE_CASES or cases(head) & GENITIVE_CASES:
        return None
    return next(
        (c for c in head.children if c.dep_ == "nmod" and c.i < token.i and cases(c) & GENITIVE_CASES),
        None,
    )


FOREIGN_ROLE_CUES: dict[str, dict[str, str]] = {
    "en": {
        **dict.fromkeys(
            ("organised", "organized", "co-organised", "co-organized", "coorganised", "coorganized", "organiser")
            + ("organizer", "coordinated", "led", "partnership", "partner", "partners", "cooperation")
            + ("co-operation", "collaboration", "together", "jointly", "joint", "with"),
            "co-organiser",
        ),
        **dict.fromkeys(("hosted", "host"), "host"),  # not "hosting": "hosting the cluster X" names the guest
        **dict.fromkeys(("funded", "co-funded", "cofunded", "financed", "sponsored", "sponsor"), "funder"),
        **dict.fromkeys(("premises", "headquarters"), "venue"),
        **dict.fromkeys(("auspices", "framework", "initiative", "supported", "support", "umbrella"), "framework"),
        **dict.fromkeys(("joined", "joins", "membership", "affiliation"), "framework"),
        **dict.fromkeys(("signed", "agreement", "memorandum"), "signatory"),
    },
    "nl": {
        **dict.fromkeys(
            ("georganiseerd", "co-georganiseerd", "organisator", "gecoordineerd", "samenwerking", "partnerschap")
            + ("partner", "samen", "gezamenlijk", "met"),
            "co-organiser",
        ),
        **dict.fromkeys(("gastheer", "ontvangen"), "host"),
        **dict.fromkeys(("gefinancierd", "gesponsord", "gesubsidieerd", "medegefinancierd"), "funder"),
        **dict.fromkeys(("initiatief", "steun", "gesteund"), "framework"),
        **dict.fromkeys(("ondertekend", "overeenkomst", "akkoord"), "signatory"),
    },
    "de": {
        **dict.fromkeys(
            ("veranstaltet", "organisiert", "koordiniert", "zusammenarbeit", "kooperation", "partnerschaft")
            + ("gemeinsam", "zusammen", "mit"),
            "co-organiser",
        ),
        **dict.fromkeys(("gastgeber",), "host"),
        **dict.fromkeys(("gefordert", "finanziert", "gesponsert", "kofinanziert"), "funder"),
        **dict.fromkeys(("initiative", "unterstutzung", "unterstutzt", "schirmherrschaft"), "framework"),
        **dict.fromkeys(("unterzeichnet", "vereinbarung", "abkommen"), "signatory"),
    },
}
"""Role cues of English, Dutch and German rows (folded word forms, keyed by language), read from the words
themselves: the French parser reads such a row's words as foreign tokens ("coordinated by the federation X":
"coordinated" an X hung nowhere) and its lemmatizer makes "met", "mit" into "mettre", so neither the parse nor
the lemmas of :data:`ROLE_CUES` can say the role."""
FOREIGN_LINKS = frozenset(
    {"by", "the", "a", "an", "of", "door", "de", "het", "een", "van", "von", "vom", "durch", "der", "die", "dem"}
    | {"den", "das", "des", "einer", "eines", "einem"}
)
"""English, Dutch and German articles and the agent's prepositions, the only words that may stand between a role
cue and the name it gives the role ("organised by the X"; "with a talk by X" says no role of X)."""


@lru_cache(maxsize=4096)
def _row_language(text: str) -> str:
    """The row's language (:func:`miner.data.lexicon.detect_language`), "" when it cannot say; cached, as every
    name of a row asks it."""
    return detect_language(text) or ""


def _foreign_role(doc: Any, start: int) -> tuple[str, str] | None:
    """The role an English, Dutch or German cue word just before a name gives it, with only
    :data:`FOREIGN_LINKS` between them ("hosted by Sirris, funded by the Region": the Region is funder). Only in a
    row of that language: in a French row "met", "joint" or "support" are French words ("le cluster met Sirris à
    l'honneur" makes Sirris no co-organiser), and the parse and :data:`ROLE_CUES` say the roles."""
    cues = FOREIGN_ROLE_CUES.get(_row_language(doc.text))
    if cues is None:
        return None
    for t in reversed(doc[:start]):
        role = cues.get(fold_text(t.text))
        if role is not None:
            return role, t.text
        if fold_text(t.text) not in FOREIGN_LINKS:
            return None
    return None


def _context_words(doc: Any, start: int, n: int = 3) -> str:
    """The words just before a name that may say its type ("la fédération X"), up to the last comma or
    conjunction or a preposition other than "de": in "avec le cluster, l'IG Passivhaus et…" the own cluster is
    a list's other item, not a word about the IG."""
    words = []
    for t in reversed(doc[max(0, start - n) : start]):
        if fold_name(t.text) in LIST_WORDS:
            words.append(fold_name(t.text))  # "des entreprises comme Engie": the list's noun still types it
            continue
        if t.pos_ in {"PUNCT", "CCONJ"} or (t.pos_ == "ADP" and fold_text(t.text).strip("'") not in QUALIFIER_LINKS):
            break  # "… des districts technologiques ADiTe avec CBM": "avec" opens CBM's own noun phrase
        words.append(fold_text(t.lemma_))
    return " ".join(reversed(words))


def _governor_words(token: Any) -> list[str]:
    """The lemma of a word governing a name, and the verb's when it is a past participle the tagger read as an
    adjective ("coordonné par la fédération X": the adjective keeps its form, the verb says the role), or as a
    noun its parse gives an agent ("financé par la Région et piloté par la fédération X": "piloté" a noun
    conjunct, its "par" complement an agent; a noun without one, "les invités de X", stays a noun)."""
    words = [fold_text(token.lemma_)]
    verb = participle_verb(token.text) if token.pos_ == "ADJ" or _has_agent(token) else None
    return words + [fold_text(verb)] if verb else words


def _has_agent(token: Any) -> bool:
    """Whether a noun has an agent complement in the parse (an "obl:agent", or a "par" case word under it)."""
    return token.pos_ == "NOUN" and any(
        c.dep_ == "obl:agent" or any(g.dep_ == "case" and g.lower_ == "par" for g in c.children) for c in token.children
    )


def role_of(
    doc: Any, start: int, end: int, own_tokens: set[int] = frozenset(), names: Sequence[tuple[int, int]] = ()
) -> tuple[str, str]:
    """The role of the tokens ``start:end`` of ``doc`` and the words that say it: the lemmas that
    govern the span's root in the parse (up to two levels, following coordination to its first
    conjunct, see :func:`_first_conjunct`; ``names`` are the token spans of the sentence's other
    organisations), its case word, and the words just before it."""
    span = doc[start:end]
    root, with_own = _first_conjunct(doc, start, end, names, own_tokens)
    if with_own:
        return "co-organiser", "avec le cluster"
    if root.dep_ in {"nsubj", "nsubj:pass"} and root.head.pos_ == "VERB":
        verb = fold_text(root.head.lemma_)
        for role, cues in ROLE_CUES:
            if role in {"host", "funder", "signatory"} and verb in cues:
                return role, root.head.text
        return "organiser", root.head.text
    levels = []
    node = root
    for _ in range(2):
        if node.head is node:
            break
        node = node.head
        levels.append(_governor_words(node))
    cases = [fold_text(c.lemma_) for c in root.children if c.dep_ in {"case", "mark"}]
    before = _before_words(doc, span.start, 3)
    for node in (root.head, root.head.head)[: len(levels)]:  # "à la demande de l'agence X": X asked for the action,
        # it frames it (R2); "la demande de reconnaissance comme cluster" asks nothing of a body
        if fold_text(node.text) == "demande" and any(
            c.dep_ == "case" and fold_text(c.text) == "a" for c in node.children
        ):
            return "framework", "à la demande"
    if "avec" in cases and root.head is not root and _panel(root.head):
        return "mention", "panel"  # "table ronde avec le Fraunhofer IFAM": a panellist speaks, organises nothing
    if _own_founding(root, own_tokens):
        return "mention", "history"
    held = [root] + ([root.head] if root.dep_ in PHRASE_DEPS else [])  # "au centre technologique | X"
    supported = any(fold_text(c.lemma_) in BENEFICIARY_CASES for t in held for c in t.children if c.dep_ == "case")
    for words in (cases + levels[0] if levels else cases, levels[1] if len(levels) > 1 else [], before.split()):
        for role, cues in ROLE_CUES:
            for cue in cues:
                folded = fold_text(cue)
                if supported and folded in SUPPORT_CUES:
                    continue  # "son appui à un centre de compétences": the centre is supported, it frames nothing
                if folded in words or (" " in folded and folded in before):
                    return role, cue
    return _foreign_role(doc, span.start) or ("mention", "")


PANEL_HEADS = frozenset({"debat", "panel"})
"""Talk formats whose "avec" complements are their panellists, no co-organisers ("débat avec Agoria et le CSTC");
a round table is "table" with its "ronde" (``_panel``). French rows only: other languages' roles are read by
``_foreign_role``."""


def _panel(node: Any) -> bool:
    """Whether a word is a panel's head: a debate or panel, or a round table ("table ronde")."""
    lemma = fold_text(node.lemma_)
    return lemma in PANEL_HEADS or (
        lemma == "table" and any(fold_text(c.lemma_) in {"rond", "ronde"} for c in node.children)
    )


def _own_founding(root: Any, own_tokens: set[int]) -> bool:
    """Whether a name sits in a clause on how the list's own cluster was founded ("le cluster, fondé en 2007 à
    l'initiative des chambres de commerce X"): the cluster's history, no part in the row's action (R2). The row's
    own founding ("Création du cluster à l'initiative de X") heads the row, no clause on a cluster word."""
    node = root
    for _ in range(3):
        if node.head is node:
            return False
        node = node.head
        if node.dep_ in {"acl", "acl:relcl"} and fold_text(node.lemma_) in FOUNDING_WORDS and node.head.i in own_tokens:
            return True
    return False


SUPPORT_CUES = frozenset({"soutien", "soutenir", "appui", "appuyer"})
"""Framework cues that name support: their "à" complement is what is supported, their "de" or "par" one the
supporter (R2: "states its support")."""
BENEFICIARY_CASES = frozenset({"a", "au", "aux"})


def _is_own(text: str, own: OwnCluster | None, before: str, whole: bool = False) -> bool:
    """Whether a name is the list's own cluster: one of its names, or (unless ``whole``) a name holding one of
    its one-word names or its multi-word names; or a group word after an own determiner ("le cluster")."""
    folded = fold_name(text)
    if whole:
        return own is not None and folded in own.names
    if (
        own is not None
        and folded
        and (
            folded in own.names
            or any(n and n in folded.split() for n in own.names if " " not in n and len(n) > 3)
            or any(len(n) > 3 and n in folded for n in own.names if " " in n)
        )
    ):
        return True
    words = folded.split()
    if not words or words[0] not in OWN_GROUP_WORDS:
        return False
    last = before.split()[-1:] if before else []
    return bool(last) and last[0] in OWN_DETERMINERS and len(words) == 1


def _own_unit(doc: Any, start: int, end: int) -> bool:
    """Whether a name its own type word opens hangs under the list's possessive ("son incubateur Emergence
    organise…"): the cluster's own unit acts, no partner (R2 needs another body)."""
    det = doc[start - 1] if start > 0 else None
    return (
        det is not None
        and "Yes" in det.morph.get("Poss")
        and fold_text(det.text) in OWN_UNIT_POSSESSIVES
        and det.head.i in range(start, end)
    )


NAME_LINKS = frozenset({"de", "du", "des", "d'", "of", "and", "&", "und", "für", "-", "van", "voor", "del", "di"})
"""Small words a proper name may hold between capitalised words ("Chambre de Commerce", "Berlin und Brandenburg")."""


def _proper_spans(doc: Any, taken: set[int]) -> list[tuple[int, int]]:
    """Runs of proper nouns and capitalised words the NER left out or called a place or a person
    ("Wallonie Espace", "proHolz Steiermark", "l'Awex"), joined across :data:`NAME_LINKS`; a lone
    capitalised common noun opening the sentence ("Organisation") is not a name."""

    def named(t: Any) -> bool:
        return (
            t.i not in taken
            and t.pos_ != "PUNCT"
            and (t.pos_ == "PROPN" or (t.i > 0 and t.text[:1].isupper()) or any(c.isupper() for c in t.text[1:]))
        )

    found = []
    i = 0
    while i < len(doc):
        if not named(doc[i]):
            i += 1
            continue
        end = i + 1
        while end < len(doc):
            if named(doc[end]):
                end += 1
            elif fold_text(doc[end].text) in NAME_LINKS and end + 1 < len(doc) and named(doc[end + 1]):
                end += 2
            else:
                break
        if not (end == i + 1 and i == 0 and doc[i].pos_ != "PROPN"):
            found.append((i, end))
        i = end
    return found


QUALIFIER_LINKS = frozenset({"de", "d", "du", "des", "of", "di", "del", "van", "fur", "in"})
"""Small words between a generic head phrase and the place that qualifies it ("Chambre de commerce de Turin")."""


def _qualified_end(doc: Any, start: int, end: int) -> int:
    """Where a generic head phrase at ``start:end`` ends once its qualifiers are taken in (an adjective or a
    proper name the parse hangs on it: "Chambre de commerce italienne", "Chamber of Commerce of Turin"), or 0
    when nothing qualifies it (it may then name the gazetteer's body of that label)."""
    inside = range(start, end)
    n = end
    if n < len(doc) and doc[n].pos_ == "ADJ" and doc[n].head.i in inside:
        n += 1
    if n + 1 < len(doc) and fold_text(doc[n].text).strip("'") in QUALIFIER_LINKS:
        k = n + 1 + (doc[n + 1].pos_ == "DET")
        if k < len(doc) and (doc[k].pos_ == "PROPN" or doc[k].text[:1].isupper()) and doc[k].head.i in range(start, k):
            n = k + 1
            while n < len(doc) and doc[n].text[:1].isupper() and doc[n].pos_ != "PUNCT" and n - k < 3:
                n += 1
    return n if n > end else 0


def _type_words_end(doc: Any, start: int, end: int, typer: Typer, taken: set[int]) -> int:
    """Where a name ends when the NER or the capitals cut it before its lower-case type words ("Chambre |
    économique de Kirchdorf", "Agence | wallonne à l'exportation"): the one or two words after it that the parse
    hangs inside it and that, with it, make a head phrase; then the "de X" qualifying it. Else ``end``."""
    if typer.head_type(doc[start:end].text) is not None:
        return end
    for n in (end + 1, end + 2):
        words = doc[end:n]
        if (
            n > len(doc)
            or any(
                t.i in taken or t.head.i not in range(start, n) or t.pos_ not in {"ADJ", "NOUN", "ADP"} for t in words
            )
            or typer.head_type(doc[start:n].text) is None
        ):
            continue
        qualified = _qualified_end(doc, start, n)
        return qualified if qualified and not taken & set(range(n, qualified)) else n
    return end


def _name_start(doc: Any, start: int, end: int) -> int:
    """Where the name of an entity starts once a capitalised common noun opening the sentence is left out
    ("Organisation d'un atelier", "Fusion du cluster avec l'Association basque X": the tagger reads the first
    word as a noun, not a proper name): the next capitalised word, or ``end`` when there is none. In an English,
    Dutch or German row, the words after the name's last role cue and its articles (:data:`FOREIGN_ROLE_CUES`)."""
    cues = FOREIGN_ROLE_CUES.get(_row_language(doc.text), {})
    for i in range(end - 1, start - 1, -1):  # "Coordinated by the federation | Agoria", "Partnership with the |
        # Chamber…": the French NER takes an English row's cue words into the name; a capitalised cue inside
        # the name ("Netherlands Water Partnership") is the name's own word
        if fold_text(doc[i].text) in cues and (doc[i].is_lower or doc[i].is_sent_start):
            k = i + 1
            while k < end and fold_text(doc[k].text) in FOREIGN_LINKS:
                k += 1
            return k
    first = doc[start]
    if not (
        first.is_sent_start
        and first.pos_ == "NOUN"
        and not first.is_upper
        and not any(c.isupper() for c in first.text[1:])
    ):
        return start
    return next((t.i for t in doc[start + 1 : end] if t.text[:1].isupper()), end)


def _typed_by_its_noun(doc: Any, start: int, end: int, typer: Typer) -> tuple[Typing, int] | None:
    """A name the typer does not know, typed by the noun it hangs on in the parse ("la fédération du
    transport routier VSH", "l'agence sino-allemande CIIPA"), with that noun's index."""
    root = doc[start:end].root
    after = [t for t in doc[end : end + 3] if t.pos_ != "DET"][:2]
    appositions = [c for c in root.children if c.dep_ == "appos" and c.i >= end and c.pos_ == "NOUN"]
    if len(after) == 2 and after[0].text in {",", "("} and after[1].pos_ == "NOUN":
        appositions.append(after[1])  # the apposition's own shape when the parse hangs it elsewhere
    for noun in appositions:  # "IBA, spécialiste de la protonthérapie": the noun in apposition says a firm
        found = typer.context_type(noun.text)
        if found is not None:
            return Typing(found[0], "context", found[1]), noun.i
        # "CzechTrade, l'agence de promotion des exportations": the apposition's head phrase says the body's type
        head = typer.head_type(doc[noun.i : min(noun.right_edge.i + 1, noun.i + SPAN_WORDS)].text, final=False)
        if head is not None and head[0] in TEXT_HEAD_TYPES and fold_name(noun.text).startswith(head[1][:4]):
            return Typing(head[0], "context", head[1]), noun.i
    for level in range(2):
        if root.dep_ not in {"appos", "nmod", "flat:name", "amod", "nummod", "compound"} or root.head is root:
            return None
        root = root.head
        if root.pos_ == "NOUN" and typer.lookup(root.text) is None:  # a known body tagged as a noun
            # ("mission de hub.brussels en Suède") is another name, not a type word for the place after it
            head = typer.head_type(root.text, final=False)  # a noun before the name, no name's last word
            if head is not None and head[0] in TEXT_HEAD_TYPES:
                return Typing(head[0], "context", head[1]), root.i
            # a firm only by the one noun the name names ("l'entreprise Arteche"), not by one further up or a
            # plural ("l'association des entreprises d'innovation FIN" groups firms)
            single = level == 0 and "Plur" not in root.morph.get("Number")
            found = typer.context_type(root.text) if single else None
            if found is not None:
                return Typing(found[0], "context", found[1]), root.i
    return None


PHRASE_DEPS = frozenset({"appos", "nmod", "flat:name", "amod", "nummod", "compound"})
"""Dependencies by which a name hangs inside the noun phrase that types it ("l'agence d'export X")."""


@dataclass(frozen=True)
class RoleSettings:
    """How far the parse is read for the role a name plays (R2)."""

    phrase_levels: int = setting(
        3,
        "a name's type phrase has up to three nouns above it ('l'agence basque de développement X'); higher is "
        "the sentence's action, not the phrase",
    )

    def __post_init__(self) -> None:
        check_fields(self)


def _phrase_role(
    doc: Any, start: int, end: int, typer: Typer, own_tokens: set[int], settings: RoleSettings | None = None
) -> tuple[str, str]:
    """The role of the type phrase a name sits in ("avec l'agence d'export X", "avec l'appui de l'agence basque
    de développement X"): the parse hangs the name on the phrase's words, so the words saying the role govern
    the phrase's head noun, not the name. A head is a noun from which the words up to the name make a type's
    head phrase for the typer, or up to the name's end a longer one than the name's own ("le centre collégial
    de transfert de | technologie X", where the NER took the phrase's last word into the name); the nearest
    such head whose role the parse says gives it."""
    root = doc[start:end].root
    own_head = typer.head_type(doc[start:end].text)
    for _ in range((settings or RoleSettings()).phrase_levels):
        if root.dep_ not in PHRASE_DEPS or root.head is root or root.head.i > start:
            break
        root = root.head
        if root.pos_ != "NOUN" or (
            typer.head_type(doc[root.i : start].text) is None
            and typer.head_type(doc[root.i : end].text) in {None, own_head}
        ):
            continue
        role, cue = role_of(doc, root.i, root.i + 1, own_tokens)
        if role != "mention":
            return role, cue
    return "mention", ""


GOVERNING_NOUNS = frozenset(
    {"comite", "conseil", "board", "stuurgroep", "raad", "beirat", "lenkungskreis", "lenkungsausschuss", "gremium"}
)
"""Folded lemmas of steering and advisory bodies: the bodies one gathers sit on it and frame the work it steers
(LABELLING's advisory councils: an R7 body on a steering board takes an active part, R2), as a project's
partners do."""


def _gathered_partners(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """Names a gathering verb takes as what a project, a partnership or a steering body (:data:`GOVERNING_NOUNS`)
    gathers ("le partenariat X réunissant A, B et C", :data:`miner.tag.jointwork.GATHERING_VERBS`) are its
    partners (R2) when the parse gives them no
    other role; the list's later names share it (:func:`_listed_roles`). Not what a fair or a meeting gathers
    ("salon réunissant cent entreprises": participants)."""
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        item = span.root if span is not None else None
        while item is not None and item.dep_ == "conj" and item.head is not item:
            item = item.head  # "réunissant les membres et la fédération X": the list's first item is the object
        verb = item.head if item is not None else None
        if (
            (m.role == "mention" or (m.role == "audience" and item is not span.root))
            and not m.own
            and verb is not None
            and item.dep_ in PARTNER_DEPS
            and fold_text(verb.lemma_) in GATHERING_VERBS
            and any(
                fold_text(t.lemma_) in PROJECT_NOUNS | GOVERNING_NOUNS
                for t in (verb.head, *(c for c in verb.head.children if c.dep_ == "nmod"))
            )
        ):
            m = replace(m, role="partner", cue=verb.text)
        out.append(m)
    return out


def _founded_own(doc: Any, mentions: list[Mention], founded: set[int]) -> list[Mention]:
    """A cluster the row's action founds or launches ("Lancement du premier cluster bruxellois de l'économie
    circulaire", "Création du cluster catalan des matériaux avancés") is the list's own: the list tells that
    cluster's own story, however the sentence describes it (no 5 for its own founding). Not a body founded with
    partners ("cofondation du BIG-Cluster avec BE-Basic et CLIB"): a new body shared with them."""
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.type == "cluster" and not m.own and span is not None and span.root.i in founded:
            m = replace(m, own=True, role="own body")
        out.append(m)
    return out


def _not_yet_founded(doc: Any, mentions: list[Mention], to_found: set[int]) -> list[Mention]:
    """A cluster the row aims to found (:func:`miner.tag.eventhead.bodies_to_found`: "avec pour mission la création
    d'un cluster européen") does not exist yet: it takes no part in the row (role "to be founded", not active)."""
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.type == "cluster" and not m.own and span is not None and span.root.i in to_found:
            m = replace(m, role="to be founded")
        out.append(m)
    return out


def _another_cluster(token: Any, typer: Typer) -> bool:
    """A cluster or pôle word tied by the words after it to one body (:func:`_qualified_after`): another
    cluster, not the list's own; the own groups ("le club drones de nos membres") keep their topic words."""
    head = typer.head_type(token.text)
    return head is not None and head[0] in {"cluster", "pole"} and _qualified_after(token)


def _qualified_after(token: Any) -> bool:
    """A group word that the words after it tie to one body: a name ("le cluster NCE Maritime CleanTech"),
    an adjective ("le cluster automobile AutomotiveDIALOG") or a "de" complement ("du cluster d'innovation
    de Jeleznogorsk", "le cluster de mobilité du Bade-Wurtemberg"); bare, "le cluster" is the list's own."""
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is not None and (nxt.pos_ == "PROPN" or nxt.text[:1].isupper()):
        return True
    after = doc[token.i + 2] if token.i + 2 < len(doc) else None
    if nxt is not None and after is not None and nxt.pos_ in {"ADJ", "NOUN"} and after.text[:1].isupper():
        return True  # "le cluster automobile AutomotiveDIALOG" however the parse hangs the sector word
    for child in token.children:
        if child.i < token.i:
            continue
        if child.dep_ in {"amod", "flat:name", "appos"} and child.pos_ in {"ADJ", "PROPN", "NOUN"}:
            return True
        cases = {fold_text(c.text) for c in child.children if c.dep_ == "case"}
        if child.dep_ == "nmod" and cases & {"de", "d'", "d’", "du", "des"}:
            return True
    return False


def _runs_own(doc: Any, start: int, end: int, own_index: set[int]) -> bool:
    """Whether the body at tokens ``start:end`` runs the list's own cluster (R17): it is the agent of
    a managing verb (:data:`MANAGING_VERBS`) whose object, passive subject or noun it qualifies is
    the own cluster, or whose nearest noun before it is ("du cluster animé par la fédération X")."""
    if not own_index:
        return False
    root = doc[start:end].root
    if (
        root.dep_ in {"amod", "appos", "flat:name", "nummod", "nmod"}
        and root.head.pos_ in {"NOUN", "PROPN"}
        and 0 < start - root.head.i <= 2
    ):
        root = root.head  # "l'agence hub.brussels", "la fédération Agoria": the noun the name hangs on
    verbs = []
    agent = root.dep_ == "obl:agent" or (root.dep_ == "obl" and any(fold_text(c.text) == "par" for c in root.children))
    if (root.dep_ == "nsubj" or agent) and root.head.pos_ in {"VERB", "AUX"}:
        verbs.append(root.head)
    verbs += [
        c for c in root.children if c.dep_ in {"acl:relcl", "acl"} and c.pos_ == "VERB"
    ]  # "X, qui anime le cluster"
    for verb in verbs:
        if fold_text(verb.lemma_) not in MANAGING_VERBS:
            continue
        targets = [c for c in verb.children if c.dep_ in {"obj", "nsubj:pass"}]
        if verb.dep_ in {"acl", "acl:relcl"} and verb.head.i not in range(start, end):
            targets.append(verb.head)
        if any(t.i in own_index for t in targets):
            return True
        before = [t for t in doc[max(0, verb.i - 3) : verb.i] if t.pos_ not in {"PUNCT", "AUX"}]
        if agent and before and before[-1].i in own_index:
            return True
    return False


def _own_facility(doc: Any, start: int, end: int, own_index: set[int]) -> bool:
    """A body named only by its head word and qualified by the own cluster is the cluster's own
    ("l'incubateur du pôle", "le centre de compétences du cluster")."""
    span = doc[start:end]
    if any(t.text[:1].isupper() for t in span[1:]) or span[0].pos_ == "PROPN":
        return False
    if any(c.dep_ == "nmod" and c.i in own_index for c in span.root.children):
        return True
    after = [t for t in doc[end : end + 3] if t.pos_ != "DET"]
    return len(after) >= 2 and fold_text(after[0].text) in {"du", "de", "d"} and after[1].i in own_index


def _generic_spans(doc: Any, covered: set[int], typer: Typer) -> list[tuple[int, int, str, str]]:
    """Organisations named by a head word in running text: "un cluster danois", "la fédération
    belge du bois", "l'agence de développement de Montréal" (start, end, type, head word)."""
    found = []
    i = 0
    tokens = list(doc)
    while i < len(tokens):
        token = tokens[i]
        if i in covered or token.pos_ not in {"NOUN", "PROPN"}:
            i += 1
            continue
        end = i + 1
        while (
            end < len(tokens)
            and end - i < SPAN_WORDS
            and end not in covered
            and token in tokens[end].ancestors
            and tokens[end].pos_ not in {"VERB", "PUNCT", "CCONJ"}
            and tokens[end].dep_ != "conj"
        ):
            end += 1
        while end > i + 1 and tokens[end - 1].pos_ in {"ADP", "DET", "PUNCT", "CCONJ"}:
            end -= 1
        head = typer.head_type(doc[i:end].text)
        if (
            head is None
            or head[0] not in TEXT_HEAD_TYPES
            or not fold_name(token.text).startswith(fold_name(head[1].lstrip("-=")).split()[0][:4])
        ):
            i += 1
            continue
        if head[1] in WEAK_TEXT_HEADS and not token.text[:1].isupper():
            i += 1
            continue
        tail = end
        while tail < len(tokens) and tokens[tail].text[:1].isupper() and tail - end < 3:
            tail += 1
        if {fold_name(t.text) for t in tokens[i + 1 : tail]} & EVENT_TAILS:
            i = tail  # "Wood Cluster Forum", "Cluster Days": an event's name, not an organisation
            continue
        found.append((i, end, head[0], head[1]))
        i = end
    return found


JOINT_CASES = frozenset({"avec", "par", "with", "met", "mit", "conjointement"})
"""Case words that make a name the cluster's partner in the action a joint word names ("organisé avec X")."""
JOINT_WORDS = frozenset(
    {
        "organiser",
        "coorganiser",
        "co-organiser",
        "organisation",
        "coorganisation",
        "co-organisation",
        "copiloter",
        "copilotage",
        "codiriger",
        "partenariat",
        "collaboration",
        "collaborer",
        "cooperation",
        "cooperer",
        "protocole",
        "accord",
        "convention",
        "signer",
        "lancer",
        "colancer",
        "co-lancer",
        "conduire",
        "conduite",
        "monter",
        "montage",
        "mener",
        "preparer",
        "creation",
        "creer",
        "fonder",
    }
)
"""Organising and partnering words (folded lemmas) whose "avec X" or "par X" makes X a co-organiser of the
row's action, not only a name beside it ("stand commun avec Kaya", "voyage avec Airbus" do not)."""


def _coordinated(doc: Any, mentions: list[Mention], own_tokens: set[int]) -> list[Mention]:
    """Each mention with its role read again now that every name of the sentence is known (a conjunct hung
    inside another name takes that name's role), whether the parse ties it to a joint action
    (:data:`JOINT_WORDS` with :data:`JOINT_CASES`) and whether the NER reads it as a place only."""
    spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions]
    names = [(s.start, s.end) for s in spans]
    out = []
    for m, span in zip(mentions, spans):
        root, _ = _first_conjunct(doc, span.start, span.end, names, own_tokens)
        if root.i != span.root.i:
            role, cue = role_of(doc, span.start, span.end, own_tokens, names)
            if role != "mention":
                m = replace(m, role=role, cue=cue)
        cases = {fold_text(c.lemma_) for c in root.children if c.dep_ in {"case", "advmod"}}
        word = root.head
        if root.dep_ == "ROOT" and span.start > 1 and not cases:  # the parse hangs the name nowhere ("organisée
            # avec Creative Industries Styria" with "Styria" as the sentence's root): its case word just before it
            # and the word that case word follows
            before = [t for t in doc[: span.start] if t.pos_ not in {"DET", "PUNCT"}][-3:]
            if len(before) >= 2 and before[-1].pos_ == "ADP":
                cases, word = {fold_text(before[-1].lemma_)}, before[-2]
        joint = bool(cases & JOINT_CASES) and fold_text(word.lemma_) in JOINT_WORDS
        if joint and not cases - {"par"} and word.dep_ != "ROOT" and word.head.dep_ != "ROOT":
            joint = False  # "salon organisé par X" inside another action ("participation au salon…") is not the row's
        labels = {e.label_ for e in doc.ents if e.start < span.end and span.start < e.end}
        out.append(replace(m, joint=joint, place=labels == {"LOC"} and len(span) == 1))
    return out


LIST_JOINERS = frozenset({",", "et", "and", "und", "en", "y", "e", "ou", "or"})


JOINING_CUES = frozenset(
    {"adhesion", "adherer", "rejoindre", "affiliation", "affilier", "joined", "joins", "membership"}
)
"""Role cues, folded, that say a body is joined: "adhésion à X", "rejoint X", "joined X" (Dutch and German rows
name the joined body in words the French NER misses: no cue for them yet)."""
MEMBERSHIP_TYPES = frozenset({"federation", "chamber", "pole"})
"""Bodies whose members are firms: joining one is taking part in its work (its councils, its lobbying: R2's
framework), where joining a technology platform or a programme is following its news (watch, axis 1) and joining
another cluster is axis 5's business."""
JOINED_CASES = frozenset({"a", "au", "aux"})
"""Case words of the body joined under a joining noun ("adhésion à X"); its "de" names the joiner ("adhésion de X
au cluster") unless nothing else is joined ("adhésion comme membre de X")."""


def _joined_body(doc: Any, m: Mention, bodies: set[int]) -> Mention:
    """A body the row joins is an active framework only when it is a membership body (:data:`MEMBERSHIP_TYPES`)
    and the parse makes it the one joined, not the joiner: "adhésion à la fédération X" and "rejoint la fédération
    X" are, "adhésion de la fédération X au cluster" (a new member) and "adhésion à la plateforme X" are not."""
    if fold_text(m.cue) not in JOINING_CUES:
        return m
    if m.type not in MEMBERSHIP_TYPES:
        return replace(m, role="mention")
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    root = span.root
    if fold_text(root.head.lemma_) not in JOINING_CUES or root.dep_ == "obj":
        return m  # a foreign row's cue read from its words, or the joining verb's object
    # the case word of any word of the name: the parse may hang "de la fédération | Zorglub" in two pieces
    cases = {fold_text(c.lemma_) for t in span for c in t.children if c.dep_ == "case"}
    joined_elsewhere = any(  # another named body joined beside it, not a date ("au 1er mars")
        fold_text(c.lemma_) in JOINED_CASES
        for k in root.head.children
        if k.i != root.i and k.i in bodies
        for c in k.children
    )
    if cases & JOINED_CASES or ("de" in cases and not joined_elsewhere):
        return m
    return replace(m, role="mention")


def _listed_firms(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """Names nothing types, listed right after a name its context made a firm ("des entreprises comme
    Engie, Fluxys et Sonaca"), are firms of the same list: only commas and conjunctions stand between them."""
    out = sorted(mentions, key=lambda m: m.start)
    for n in range(1, len(out)):
        before, m = out[n - 1], out[n]
        between = doc.text[before.end : m.start].split()
        if (
            m.type == UNKNOWN
            and before.type == "firm"
            and before.how == "context"
            and all(fold_text(w) in LIST_JOINERS for w in between)
        ):
            out[n] = replace(m, type="firm", how="context", word=before.word)
    return out


LIST_DETERMINERS = frozenset(
    {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "the", "de", "het", "die", "der", "das"}
)
"""Determiners that may open a list's next item ("avec X, la fédération Y et l'AWEX")."""


def _listed_roles(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """Names listed after a name whose role the parse gave ("avec X, Y et Z"), with only commas, conjunctions
    and determiners between them, are conjuncts of it and share its role when the parse gives them none: a
    list's later items are often hung on a word inside an earlier name, or on nothing."""
    out = sorted(mentions, key=lambda m: m.start)
    for n in range(1, len(out)):
        before, m = out[n - 1], out[n]
        between = [fold_text(w) for w in doc.text[before.end : m.start].replace("'", "' ").split()]
        if (
            (m.role == "mention" or m.role == "topic" and before.role in ACTIVE_ROLES)  # a topic read from above
            # the list ("Présentation …, avec X, Y et Z") yields to the active role of the item before
            and before.role != "mention"
            and not before.own
            and between
            and any(w in LIST_JOINERS for w in between)
            and all(w in LIST_JOINERS or w in LIST_DETERMINERS for w in between)
        ):
            out[n] = replace(m, role=before.role, cue=before.cue, joint=before.joint)
    return out


def _listed_after_noun(doc: Any, mentions: list[Mention], own_tokens: set[int]) -> list[Mention]:
    """A name listed after a plain noun that opens the list ("avec des chercheurs, l'agence AWEX et le cluster
    Skywin") takes that noun's role when the parse gives it none: the parse hangs such later items anywhere (here
    "agence" on the row's head), while the list's first item, no organisation's name, still has its case word.
    Going back from the name: its own type phrase ("l'agence"), then list joiners and determiners only, then the
    first item's noun phrase (its head, past an adjective or a bare noun: "des entreprises membres"), no name. The
    list's later names follow by :func:`_listed_roles`."""
    spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions]
    named = {t.i for span in spans for t in span}
    out = []
    for m, span in zip(mentions, spans):
        if m.role not in {"mention", "topic"} or m.own:
            out.append(m)
            continue
        i = span.start - 1
        while i >= 0 and (
            doc[i].pos_ in {"DET", "ADJ"}
            or fold_text(doc[i].text) in LIST_DETERMINERS
            or doc[i].pos_ == "NOUN"
            and any(t.head.i == i for t in span)
        ):
            i -= 1
        joiners = 0
        while i >= 0 and fold_text(doc[i].text) in LIST_JOINERS:
            joiners, i = joiners + 1, i - 1
        first = _item_head(doc[i], named) if i >= 0 and joiners else None
        while (
            first is not None
            and first.head.i < first.i
            and (
                first.dep_ in {"amod", "flat", "compound"}
                or first.dep_ == "nmod"
                and not any(c.dep_ == "case" for c in first.children)
            )
        ):
            first = first.head  # "des entreprises membres": the item is "entreprises"; not past a case word
        if first is None or first.i in named or first.pos_ != "NOUN":
            out.append(m)
            continue
        role, cue = role_of(doc, first.i, first.i + 1, own_tokens)
        # a topic the parse reads from the row's head above the list ("Présentation …, organisée avec le bureau de
        # la ville de Niš, l'Agence X") yields only to an active role of the list's first item
        taken = role != "mention" and (m.role == "mention" or role in ACTIVE_ROLES)
        out.append(replace(m, role=role, cue=cue) if taken else m)
    return out


def _item_head(token: Any, named: set[int]) -> Any:
    """The head noun of the list item ending at ``token``: ``token`` itself, or when it is a name ending a chain of
    "de" complements ("le bureau de la diaspora de la ville de Niš"), the noun that chain hangs on ("bureau"),
    whose case word says the item's role; None when the chain leads nowhere but names."""
    node = token
    for _ in range(4):
        genitive = {fold_text(c.text) for c in node.children if c.dep_ == "case"} & GENITIVE_CASES
        if node.i not in named and not genitive:
            return node
        if node.dep_ not in {"nmod", "flat:name"} or node.head.i >= node.i or node.head.right_edge.i != token.i:
            break
        node = node.head
    return None if node.i in named else node


def _share_roles(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """A name that hangs on another mention ("le cluster danois Wind Denmark") is that mention:
    it takes its role, and its type when the name's own is only guessed from context; the two
    are then one organisation, so the inner one is dropped."""
    by_token = {}
    for n, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        for t in span:
            by_token[t.i] = n
    keep = []
    for n, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        outer = by_token.get(span.root.head.i)
        if (
            outer is not None
            and outer != n
            and span.root.dep_ in {"nmod", "appos", "flat:name", "amod", "conj"}
            and span.root.dep_ != "conj"
            and abs(mentions[outer].end - m.start) <= 2
        ):
            o = mentions[outer]
            kind = m.type if m.how in {"gazetteer", "head word"} else o.type
            mentions[outer] = Mention(
                f"{o.text} {m.text}",
                o.start,
                m.end,
                kind,
                o.how if kind == o.type else m.how,
                o.word or m.word,
                o.role,
                o.cue,
                o.own or m.own,
                m.name or o.name,
            )
            continue
        keep.append(n)
    return [mentions[n] for n in keep]


def facts_of(
    analysis: Analysis,
    doc: Any,
    own: OwnCluster | None,
    *,
    own_tokens: set[int] | None = None,
    typer: Typer | None = None,
    aims: AimSettings | None = None,
    roles: RoleSettings | None = None,
    audiences: AudienceSettings | None = None,
) -> Facts:
    """The facts of one activity from its full spaCy analysis and ``Doc``; ``aims`` says how far a stated aim
    reaches (:class:`miner.tag.aims.AimSettings`), ``roles`` how far a name's type phrase is read for its role
    (:class:`RoleSettings`), ``audiences`` how the public is read (:class:`miner.tag.audience.AudienceSettings`):
    a user's settings reach every reader."""
    typer = typer or load_typer()
    own_tokens = set(own_tokens or ())
    group_words = OWN_GROUP_WORDS | ({"pole"} if own is not None and own.kind == "pole" else set())
    for i, token in enumerate(doc):  # "le cluster", "nos membres": the list's own, before any role is read
        if (
            i
            and fold_name(token.text) in group_words
            and fold_name(doc[i - 1].text) in OWN_DETERMINERS
            and (i + 1 >= len(doc) or (doc[i + 1].pos_ not in {"PROPN", "ADJ"} and not doc[i + 1].text[:1].isupper()))
            and not _names_another_body(token)
            and not _another_cluster(token, typer)
        ):
            own_tokens.add(i)
    folded = (
        " "
        + " ".join("_own_cluster_" if i in own_tokens else fold_text(l) for i, l in enumerate(analysis.lemmas))
        + " "
    )
    raw = " " + fold_name(analysis.text) + " "
    formats = {
        key: [term for term, k in keys if k in folded or _padded_term(term) in raw]
        for key, keys in load_event_formats().items()
    }
    formats["information_apart"] = _apart_from(folded, raw, formats, "information", "press")
    formats["b2b"] = formats["b2b"] + [w for w in business_meetings(doc) if w not in formats["b2b"]]
    mentions: list[Mention] = []
    covered: set[int] = set()
    char_to_token = {t.idx: t.i for t in doc}
    spans: list[tuple[int, int, str]] = []
    for actor in analysis.actors:
        first = char_to_token.get(actor.start)
        span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
        if first is None and span is None:
            continue
        qualified = _qualified_end(doc, span.start, span.end) if actor.name and typer.generic(actor.text) else 0
        if qualified:  # "la Chambre de commerce de Turin" is a chamber of Turin, not the gazetteer's body so called
            spans.append((span.start, qualified, ""))
            continue
        spans.append((span.start, span.end, actor.name or actor.text))
    for ent in doc.ents:
        first = _name_start(doc, ent.start, ent.end)  # "Organisation d'un atelier…": the row's action, no name
        if first < ent.end and ent.label_ in {"ORG", "MISC"} and not any(s <= first < e for s, e, _ in spans):
            text = doc[first : ent.end].text
            if ent.label_ == "MISC" and typer.lookup(text) is None and typer.head_type(text) is None:
                continue
            if doc[ent.end - 1].pos_ in {"ADP", "DET"} or fold_text(doc[ent.end - 1].text) in NAME_LINKS:
                continue  # a name cut before its end ("the Chamber of Commerce of | Ghent"): the capitals find it
            spans.append((first, ent.end, ""))
    taken = {i for s_, e_, _ in spans for i in range(s_, e_)}
    for start, end in _proper_spans(doc, taken):
        typing = typer.type_name(doc[start:end].text, _context_words(doc, start))
        role, _ = role_of(doc, start, end, own_tokens)
        if typing.how == "gazetteer" or role in ACTIVE_ROLES or (typing.how == "head word" and role != "mention"):
            # a known name NER missed, a named partner, or a name its own words type in a role the row says
            # ("hosted by the Chamber of Commerce of Ghent": the French NER reads English names poorly)
            spans.append((start, end, ""))
    for start, end, name in spans:
        if not name:
            others = {i for s_, e_, _ in spans if (s_, e_) != (start, end) for i in range(s_, e_)}
            end = _type_words_end(doc, start, end, typer, others)
        text = doc[start:end].text
        if fold_name(text).split()[-1:] and fold_name(text).split()[-1] in EVENT_TAILS:
            continue  # "Wood Cluster Forum" is an event, not another cluster
        typing = typer.type_name(name or text, _context_words(doc, start))
        noun = None
        if typing.type == UNKNOWN:
            typing, noun = _typed_by_its_noun(doc, start, end, typer) or (typing, None)
        if typing.type == UNKNOWN and name == "" and not any(t.is_upper or t.is_title for t in doc[start:end]):
            continue
        before = _before_words(doc, start, 1)
        role, cue = role_of(doc, start, end, own_tokens)
        if noun is not None and role == "mention":  # the name plays the role of the noun it names
            role, cue = role_of(doc, noun, noun + 1, own_tokens)
        if role == "mention":
            role, cue = _phrase_role(doc, start, end, typer, own_tokens, roles)
        is_own = (
            _is_own(name or text, own, before)
            or bool(own_tokens & set(range(start, end)))
            or (typing.how == "head word" and typing.type in OWN_UNIT_TYPES and _own_unit(doc, start, end))
        )
        mentions.append(
            Mention(
                text,
                doc[start].idx,
                doc[end - 1].idx + len(doc[end - 1]),
                typing.type,
                typing.how,
                typing.word,
                role,
                cue,
                is_own,
                typing.name or name,
            )
        )
        covered |= set(range(start, end))
    for start, end, type_, word in _generic_spans(doc, covered, typer):
        if _a_kind(doc[start:end]):
            continue
        text = doc[start:end].text
        before = _before_words(doc, start, 1)
        last = before.split()[-1:] if before else []
        # a generic body of another kind is the own cluster only by its full name: "la fédération du bois" is no
        # "Cluster Bois" for sharing a word with it
        named_own = _is_own(text, own, before) if type_ in {"cluster", "pole"} else _is_own(text, own, "", whole=True)
        is_own = named_own or bool(own_tokens & set(range(start, end)))
        if (
            type_ == "cluster"
            and last
            and last[0] in OWN_DETERMINERS
            and not (last[0] in {"le", "la", "l"} and end - start > 1)
        ):
            is_own = True
        if is_own and _another_cluster(doc[start], typer) and not _is_own(text, own, ""):
            is_own = False  # "le cluster NCE Maritime CleanTech", "le cluster automobile X": another cluster
        if fold_name(doc[start].text) in OWN_GROUP_WORDS and set(_before_words(doc, start, 3).split()) & POSSESSIVES:
            is_own = True  # "nos cinq grappes", "ses clubs"
        if type_ in OWN_UNIT_TYPES and _own_unit(doc, start, end):
            is_own = True  # "son incubateur Emergence"
        role, cue = role_of(doc, start, end, own_tokens)
        mentions.append(
            Mention(
                text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), type_, "head word", word, role, cue, is_own
            )
        )
    mentions = _coordinated(doc, mentions, own_tokens)
    mentions = _listed_roles(doc, _gathered_partners(doc, _listed_firms(doc, _share_roles(doc, mentions))))
    bodies = {doc.char_span(m.start, m.end, alignment_mode="expand").root.i for m in mentions}
    mentions = [_joined_body(doc, m, bodies) for m in mentions]
    mentions = _listed_roles(doc, _listed_after_noun(doc, mentions, own_tokens))
    founded = founded_bodies(doc)
    alone = [b for w, b in founded if fold_text(doc[w].lemma_) not in CO_FOUNDING]  # a co-founded body is shared
    mentions = _founded_own(doc, mentions, set(alone) if not any(m.joint for m in mentions) else set())
    mentions = _not_yet_founded(doc, mentions, bodies_to_found(doc))
    own_index = set(own_tokens)
    for m in mentions:
        if m.own:
            own_index |= {t.i for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    for n, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if not m.own and (
            _runs_own(doc, span.start, span.end, own_index)
            or (m.how in {"head word", "context"} and _own_facility(doc, span.start, span.end, own_index))
        ):
            mentions[n] = replace(m, own=True, role="own body")
    mentions.sort(key=lambda m: m.start)
    own_words = [m.text for m in mentions if m.own]
    for i, token in enumerate(doc):
        low = fold_text(token.text)
        prev = fold_text(doc[i - 1].text) if i else ""
        if (
            low in group_words
            and (i in own_tokens or prev in POSSESSIVES)
            and not any(m.start <= token.idx < m.end for m in mentions)
        ):
            own_words.append(f"{doc[i - 1].text} {token.text}")
    formats = _outside_names(doc, analysis, mentions, formats, typer, roles)
    formats["joint_work"] = joint_work(doc)
    formats["members_joint"] = members_joint(doc)
    formats["members_body"] = members_body(doc)
    formats["members_outside_aims"] = members_outside_aims(doc)
    formats["pooled_purchases"] = pooled_purchases(doc)
    formats["commercial_aim"] = commercial_aims(doc, aims)
    discussed = discussed_terms(doc, analysis.lemmas, load_event_formats()["market_access"])
    formats["market_discussed"] = [t for t in formats["market_access"] if t in discussed]
    formats["partnership_aim"] = partnership_aims(doc, aims)
    formats["firm_partnership"] = firm_partnerships(doc)
    formats["market_sides"] = market_sides(doc, aims)
    formats["test_beds"] = test_beds(doc, aims)
    formats["helped_firms"] = helped_firms(doc)
    formats["firm_access"] = firms_access(doc)
    formats["answered_call"] = answered_calls(doc)
    formats["supported_projects"] = supported_projects(doc, event_heads(doc))
    formats["gathering_project"] = gathering_projects(doc)
    formats["founding"] = [f"{doc[w].text} {doc[b].text}" for w, b in founded]
    others = {t.i for m in mentions if not m.own for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    formats.update(head_formats(doc, analysis.lemmas, load_event_formats(), others))
    formats = _without_idle_terms(doc, analysis, mentions, formats)
    formats["for_clusters"] = cluster_staff_audience(doc, typer)
    formats["inbound_mission"] = inbound_missions(doc)
    formats.update(audience(doc, others, audiences))
    formats["anniversary"] = formats.get("anniversary", []) + anniversaries(doc, others)
    formats["recognition"] = recognitions(doc, event_heads(doc), audiences)
    formats["hosting"] = hosted(doc)
    own_index |= {t.i for m in mentions if m.own for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    kinds = others | _kind_nouns(doc, typer)
    formats["promoted_own"] = promoted_own(doc, kinds, own_index, settings=audiences)
    formats["shown_own"] = promoted_own(doc, others, own_index, SHOWING, audiences)
    formats["shown_to_outside"] = shown_outside(doc, others)
    for key in ("fair", "information"):  # a fair, a conference that is only where another action happens
        formats[f"{key}_placed"] = [t for t in placed_terms(doc, load_event_formats()[key]) if t in formats[key]]
    formats["plural_clusters"] = plural_clusters(doc)
    parties = meeting_parties(doc)
    formats["meets"] = [" ".join(p) for p in parties]
    formats["meets_from"], formats["meets_with"] = [x for x, _, _ in parties], [y for _, _, y in parties]
    sides = [(_char_span(doc, *b), _char_span(doc, *a)) for b, _, a in meeting_sides(doc)]
    return Facts(analysis.text, folded, mentions, formats, own_words, sides)


KIND_CASES = frozenset({"de", "d'", "d’", "comme", "en"})


def _a_kind(span: Any) -> bool:
    """Whether a type phrase names a kind, no body: a singular head noun with no determiner after "de", "comme"
    or "en" and no name in it ("le label de pôle de compétitivité", "le statut de cluster", "reconnu comme
    cluster"), where a body would be determined ("du pôle", "avec un cluster")."""
    head = span[0]
    return (
        "Sing" in head.morph.get("Number")
        and not any(c.dep_ == "det" for c in head.children)
        and any(c.dep_ == "case" and fold_text(c.text) in KIND_CASES for c in head.children)
        and not any(t.text[:1].isupper() for t in span)
    )


def _kind_nouns(doc: Any, typer: Typer) -> set[int]:
    """Nouns that complete a body's type phrase ("l'agence bulgare de promotion des PME": the agency's kind, no
    action of the row), named or not: the typer reads the phrase from its head noun to them as a body's type."""
    return {
        t.i
        for t in doc
        if t.dep_ == "nmod"
        and t.head.pos_ == "NOUN"
        and t.head.i < t.i
        and typer.head_type(doc[t.head.i : t.i + 1].text) is not None
    }


def _char_span(doc: Any, start: int, end: int) -> tuple[int, int]:
    """The character offsets of tokens ``start`` to ``end``, as a mention's."""
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


AUDIENCE_CASES = frozenset({"pour", "a", "au", "aux", "des", "for", "voor", "fur"})
"""Case words by which an action names whom it is for ("destiné aux managers", "pour les chefs de projet")."""


INBOUND = frozenset({"inverse", "reverse", "inbound"})
"""Folded qualifiers of a mission whose visitors come to the members ("mission inverse", "reverse mission"): buyers
or partners brought in, no mission abroad (R8's 4)."""


def inbound_missions(doc: Any) -> list[str]:
    """Missions the parse qualifies as inbound: "mission (commerciale) inverse" by an adjective on the mission, or
    "reverse mission" by the word just before it (English the French parser leaves unattached)."""
    out = []
    for token in doc:
        if fold_text(token.lemma_) not in {"mission", "missions"}:
            continue
        near = [c for c in token.children if c.dep_ == "amod"] + list(doc[max(token.i - 2, 0) : token.i])
        out += [f"{token.text} {w.text}" for w in near[:3] if fold_text(w.lemma_) in INBOUND][:1]
    return out


def cluster_staff_audience(doc: Any, typer: Typer) -> list[str]:
    """The people an action is for when they are the staff of clusters, not members or firms: a noun
    governed by an audience case with a complement typed as clusters ("aux managers de clusters", "pour
    les chefs de projet de clusters catalans"). Such a training or visit is among clusters (R13's 5), not
    the members' learning (R9's 1)."""
    out = []
    for token in doc:
        cases = {fold_text(c.text) for c in token.children if c.dep_ == "case"}
        if token.pos_ != "NOUN" or not cases & AUDIENCE_CASES or fold_text(token.lemma_) in MEMBER_WORDS:
            continue
        chain = [c for c in token.subtree if c.dep_ == "nmod" and c.i != token.i and c.i - token.i <= 4]
        for c in chain:
            typed = typer.head_type(c.text)
            if typed is not None and typed[0] == "cluster" and "Plur" in c.morph.get("Number"):
                out.append(doc[token.i : c.i + 1].text)
                break
    return out


IDLE_CHECKED_FORMATS = ("training", "assembly", "contest", "mission", "support")
"""Formats whose words often name no event: a word of a name ("Forem Formation") or of a fixed adverbial
phrase ("au cours de l'année", "collaborer en formation", "sans distinction") is no training (R9) and no award
(R12); "l'Assemblée nationale" is a parliament, no members' assembly; a job ("chargée de mission"), a purpose ("avec
pour mission") or an EU research mission is no mission abroad (R8); accompanying a mission is no support (R15)."""


OTHERS_NAME_FORMATS = ("group",)
"""Formats whose words in another body's name name no group of the cluster's: "la Commission européenne" is no
working group (R1), while "le club Drones" of the list's own is one."""


def _without_idle_terms(
    doc: Any, analysis: Analysis, mentions: list[Mention], formats: dict[str, list[str]]
) -> dict[str, list[str]]:
    inside = {t.i for m in mentions for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    others = {t.i for m in mentions if not m.own for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    out = dict(formats)
    terms = load_event_formats()
    for key in (*IDLE_CHECKED_FORMATS, *OTHERS_NAME_FORMATS):
        words = others if key in OTHERS_NAME_FORMATS else inside
        idle = idle_terms(doc, analysis.lemmas, terms.get(key, ()), words)
        for k in (key, HEAD_PREFIX + key, BARE_PREFIX + key):
            if k in out:
                out[k] = [t for t in out[k] if t not in idle]
    unparted = unparted_terms(doc, analysis.lemmas, terms.get("b2b", ()))
    for k in ("b2b", HEAD_PREFIX + "b2b", BARE_PREFIX + "b2b"):
        if k in out:
            out[k] = [t for t in out[k] if t not in unparted]
    owned = clusters_own_terms(doc, analysis.lemmas, terms.get("business_subject", ()))
    for k in ("business_subject", HEAD_PREFIX + "business_subject", BARE_PREFIX + "business_subject"):
        if k in out:
            out[k] = [t for t in out[k] if t not in owned]
    return out


NAME_BLIND_FORMATS = ("business_subject",)
"""Formats that say what an action is about, so a word of an organisation's name does not count for
them ("l'agence d'export Asturex" is no export subject)."""


def _apart_from(folded: str, raw: str, formats: dict[str, list[str]], key: str, wider: str) -> list[str]:
    """The terms of ``key`` found once every occurrence of a ``wider`` term is taken out of the row: "conférence"
    in "conférence de presse" is the press's, one more "conférence" beside it is an information event."""
    found = set(formats.get(wider, ()))
    if not found:
        return list(formats.get(key, ()))
    everything = load_event_formats()
    for term, k in everything[wider]:
        if term in found:
            folded, raw = folded.replace(k, " _ "), raw.replace(_padded_term(term), " _ ")
    return [
        term
        for term, k in everything[key]
        if term in formats.get(key, ()) and (k in folded or _padded_term(term) in raw)
    ]


@lru_cache(maxsize=4096)
def _padded_term(term: str) -> str:
    """An event-format term folded as names are, between spaces: the terms are few and fixed, the rows many,
    so each is folded once (it was ~400 folds a row, an eighth of classify's CPU)."""
    return f" {fold_name(term)} "


def _type_phrases(doc: Any, mentions: list[Mention], typer: Typer, settings: RoleSettings | None = None) -> set[int]:
    """The tokens of the type phrases the names sit in ("l'agence d'export | Asturex", "la fédération | X"): the
    nouns the parse hangs a name on, up to :class:`RoleSettings`' levels, from which the words up to the name make
    a type's head phrase for the typer. They designate the organisation, as its name does."""
    out: set[int] = set()
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        for _ in range((settings or RoleSettings()).phrase_levels):
            if root.dep_ not in PHRASE_DEPS or root.head is root or root.head.i > span.start:
                break
            root = root.head
            if root.pos_ == "NOUN" and typer.head_type(doc[root.i : span.start].text) is not None:
                out |= set(range(root.i, span.start))
    return out


def _outside_names(
    doc: Any,
    analysis: Analysis,
    mentions: list[Mention],
    formats: dict[str, list[str]],
    typer: Typer,
    roles: RoleSettings | None = None,
) -> dict[str, list[str]]:
    """:data:`NAME_BLIND_FORMATS` found once the names and the type phrases they sit in are taken out."""
    inside = {t.i for m in mentions for t in doc.char_span(m.start, m.end, alignment_mode="expand")}
    inside |= _type_phrases(doc, mentions, typer, roles)
    if not inside:
        return formats
    masked = " " + " ".join("_name_" if i in inside else fold_text(l) for i, l in enumerate(analysis.lemmas)) + " "
    raw = " " + " ".join("_name_" if t.i in inside else fold_name(t.text) for t in doc) + " "
    keys = load_event_formats()
    out = dict(formats)
    for key in NAME_BLIND_FORMATS:
        out[key] = [
            term
            for term, k in keys.get(key, ())
            if term in formats.get(key, ()) and (k in masked or _padded_term(term) in raw)
        ]
    return out


def mentions_summary(facts: Sequence[Facts]) -> list[str]:
    """Every organisation named in a list, most frequent first (the list's own cluster when no
    other source says it)."""
    from collections import Counter

    counts = Counter(
        m.name or m.text for f in facts for m in f.mentions if m.type in {"cluster", "pole"} or m.how == "gazetteer"
    )
    return [name for name, _ in counts.most_common()]
