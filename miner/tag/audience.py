"""To whom an action is shown, read from the parse (issue 22, axis 4): promotion is for an audience outside the
cluster (R12: the public, the press, officials, schools), while the same presentation or anniversary held for the
members is their own meeting (axis 1, R1). A word of such a public counts when the parse ties it to the action
as the one it is addressed to ("devant la presse", "ouvertes au public", "pour des écoles") or as the one
present ("en présence du ministre", "avec les associés", "posée par le gouverneur"); a word inside another body's
name ("l'École des Mines", "le ministère") or a subject of the action ("formation sur l'accueil du public") is
not an audience. :mod:`miner.tag.facts` adds the words to an activity's formats under :data:`AUDIENCE_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from miner.settings import check_fields, setting
from miner.tag.base import fold_text

__all__ = [
    "AUDIENCE_KEYS",
    "OUTSIDERS",
    "MEMBERS",
    "MEMBERS_ABROAD",
    "AudienceSettings",
    "audience",
    "anniversaries",
    "recognitions",
    "hosted",
    "promoted_own",
    "shown_outside",
    "SHOWING",
]


@dataclass(frozen=True)
class AudienceSettings:
    """How the audience of an action is read where the parse leaves its words unattached."""

    case_gap: int = setting(
        3,
        "determiners and adjectives between a case word and its public ('to all the young pupils'); further, the "
        "word before them is no case of it",
    )

    promoted_depth: int = setting(
        2,
        "parse steps from a promoting word down to what it promotes ('promotion des produits des membres': members "
        "two steps down); further, the word is some complement's complement",
    )

    recognition_depth: int = setting(
        3,
        "parse steps from a granting word down to the status it grants ('remise du certificat renouvelant le "
        "statut': three); further, the status is some complement's",
    )

    def __post_init__(self) -> None:
        check_fields(self)


AUDIENCE_KEYS = ("audience_outside", "audience_members", "present_outside", "present_members")
"""Format keys: outsiders or members the action is addressed to, outsiders or members present at it."""

OFFICES = frozenset(
    {
        "ministre",
        "gouverneur",
        "bourgmestre",
        "maire",
        "echevin",
        "depute",
        "senateur",
        "ambassadeur",
        "consul",
        "roi",
        "reine",
        "prince",
        "princesse",
        "minister",
        "mayor",
        "ambassador",
        "burgemeester",
        "burgermeister",
    }
)
"""Folded lemmas of offices whose holder is named with them ("le Ministre Borsus", "le ministre de l'Économie"): a
mention the typer reads as a body, but a person from outside the cluster all the same."""

OUTSIDERS = OFFICES | frozenset(
    {
        # French: the public, the press, officials (and the offices above) and young people, whom the cluster shows itself to (R12)
        "public",
        "presse",
        "journaliste",
        "media",
        "parlementaire",
        "elu",
        "autorite",
        "ecole",
        "ecolier",
        "eleve",
        "lyceen",
        "collegien",
        "etudiant",
        "jeune",
        "citoyen",
        "habitant",
        "visiteur",
        "consommateur",
        # English, Dutch, German
        "press",
        "journalist",
        "school",
        "pupil",
        "student",
        "citizen",
        "visitor",
        "publiek",
        "pers",
        "leerling",
        "scholier",
        "jongere",
        "bezoeker",
        "burger",
        "offentlichkeit",
        "schule",
        "schuler",
        "jugendliche",
        "besucher",
    }
)
"""Folded lemmas of people and publics outside the cluster: an action shown to them promotes it (R12)."""
OFFICIAL_QUALIFIERS = frozenset(
    {"institutionnel", "politique", "public", "officiel", "gouvernemental", "europeen", "royal", "gouvernement"}
)
"""Folded words that make representatives officials ("représentants institutionnels", "de la politique", "le
commissaire européen")."""
REPRESENTATIVES = frozenset(
    {"representant", "responsable", "delegue", "commissaire", "pouvoir", "representative", "vertegenwoordiger"}
)
"""Folded lemmas of people who stand for a body: outsiders only when an official qualifier says so (a
"commissaire aux comptes" is the members' own auditor, a "commissaire européen" an official; "les pouvoirs
publics" are the authorities)."""

MEMBERS = frozenset(
    {
        "membre",
        "adherent",
        "associe",
        "affilie",
        "cotisant",
        "member",
        "lid",
        "leden",
        "mitglied",
        "mitglieder",
        "mitgliedern",
    }
)
"""Folded lemmas of the cluster's members as an audience (EN members, NL leden, DE Mitglieder)."""

MEMBERS_ABROAD = frozenset(
    {
        "member",
        "members",
        "company",
        "companies",
        "firm",
        "firms",
        "sme",
        "smes",
        "lid",
        "leden",
        "bedrijf",
        "bedrijven",
        "onderneming",
        "ondernemingen",
        "kmo",
        "kmo's",
        "mitglied",
        "mitglieder",
        "mitgliedern",
        "unternehmen",
        "firma",
        "firmen",
        "kmu",
    }
)
"""Folded words for members and firms in English, Dutch and German, as the French lemmatiser leaves them (the
French ones are :data:`miner.tag.jointwork.MEMBER_WORDS`)."""

ADDRESS_CASES = frozenset(
    {"a", "au", "aux", "devant", "pour", "aupres", "to", "for", "before", "voor", "aan", "fur", "vor"}
)
"""Case words by which an action names whom it is for or shown to."""
PRESENCE_CASES = frozenset({"avec", "par", "with", "by", "met", "door", "mit", "von"})
"""Case words by which an action names who attends or performs it ("avec les associés", "par le ministre")."""
PRESENCE_HEADS = frozenset(
    {"presence", "intervention", "introduction", "discours", "allocution", "message", "visite", "venue", "accueil"}
    | {"presence", "visit", "aanwezigheid", "anwesenheit", "besuch"}
)
"""Folded lemmas whose genitive complement is someone present ("en présence du ministre", "visite du roi")."""

ADDRESS_HEADS = frozenset({"aupres", "intention", "direction", "destination"})
"""Folded heads of the complex prepositions that address an action ("auprès de", "à l'intention de")."""
TRAINING_HEADS = frozenset({"formation", "sensibilisation", "training", "opleiding", "schulung", "ausbildung"})
"""Folded lemmas whose genitive complement is whom they train ("formation des élèves")."""


def _cases(token: Any) -> set[str]:
    return {fold_text(c.text) for c in token.children if c.dep_ in {"case", "fixed", "mark"}}


def _in_name(token: Any, inside: set[int] | frozenset[int]) -> bool:
    """A word of a body's proper name ("l'École des Mines de Nantes"): inside a name the mentions found
    (``inside``) that holds a proper noun besides the word. A common noun the typer reads as a body ("des
    écoles de la région") is still a public, and so is an office naming its holder ("en présence du Ministre
    Borsus", "le ministre de l'Économie"), whatever its capital letter."""
    if token.i not in inside or _public_word(token, OFFICES):
        return False
    start, end = token.i, token.i + 1
    while start - 1 in inside:
        start -= 1
    while end in inside:
        end += 1
    return any(t.pos_ == "PROPN" and t.i != token.i for t in token.doc[start:end])


def _public_word(token: Any, vocabulary: frozenset[str]) -> bool:
    lemma, text = fold_text(token.lemma_), fold_text(token.text)
    if lemma in vocabulary or text in vocabulary or text[-1:] == "s" and text[:-1] in vocabulary:
        return True  # the French lemmatiser leaves English and Dutch plurals whole ("pupils", "members")
    if vocabulary is OUTSIDERS and lemma in REPRESENTATIVES:  # "représentants institutionnels, de la politique"
        return any(fold_text(c.lemma_) in OFFICIAL_QUALIFIERS for c in token.children if c.dep_ in {"amod", "nmod"})
    return False


COMMUNITY = frozenset({"communaute", "community", "gemeenschap", "gemeinschaft"})
"""Folded lemmas of the cluster's community: its members when the cluster's possessive owns it ("sa communauté")."""


def _own_community(token: Any) -> bool:
    return fold_text(token.lemma_) in COMMUNITY and any(
        c.dep_ == "det" and "Poss=Yes" in str(c.morph) for c in token.children
    )


GENITIVE_CASES = frozenset({"de", "du", "des", "d'", "of", "van", "von", "vom", "der"})
"""Case words by which a body owns its members ("les membres du Wirtschaftsforum")."""


def _members_of_another(token: Any, inside: set[int] | frozenset[int]) -> bool:
    """Members owned by another body ("les membres du Wirtschaftsforum"): not the cluster's own."""
    return any(
        c.dep_ == "nmod" and (c.i in inside or c.pos_ == "PROPN") and bool(_cases(c) & GENITIVE_CASES)
        for c in token.children
    )


def _link(token: Any, settings: AudienceSettings) -> str:
    """How a public word is tied to the action: "address", "presence", or "" (a subject matter, a part of a
    name). A conjunct takes the link of the first word of its list ("aux écoliers, aux élèves et aux
    étudiants")."""
    first = token
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    for word in (token, first):
        cases = _cases(word)
        if cases & ADDRESS_CASES:
            return "address"
        if cases & PRESENCE_CASES or word.dep_ in {"obl:agent", "nsubj", "nsubj:pass"}:
            return "presence"
        if cases & {"de", "du", "des", "d'", "of", "van"} and fold_text(word.head.lemma_) in ADDRESS_HEADS:
            return "address"  # "auprès du grand public", "à l'intention des élèves"
        if cases & {"de", "du", "des", "d'", "of", "van"} and fold_text(word.head.lemma_) in TRAINING_HEADS:
            return "address"  # the trainees: "formation des élèves"
        if cases & {"de", "du", "des", "d'", "of", "van"} and fold_text(word.head.lemma_) in PRESENCE_HEADS:
            return "presence"
    return _link_before(token, settings.case_gap)


ARTICLES = frozenset({"the", "a", "an", "de", "het", "een", "der", "die", "das", "dem", "den", "des", "ein", "eine"})
"""English, Dutch and German articles, which the French parser does not know as determiners."""


def _link_before(token: Any, gap: int) -> str:
    """The case word just before a public word the French parser did not attach (an English, Dutch or German
    sentence: "to the pupils", "met de minister", "mit den Mitgliedern"): skipping its determiners and
    adjectives (at most ``gap`` words), the word before them."""
    i = token.i - 1
    while i >= 0 and (token.doc[i].pos_ in {"DET", "ADJ", "NUM"} or fold_text(token.doc[i].text) in ARTICLES):
        if token.i - i > gap:
            return ""
        i -= 1
    if i < 0:
        return ""
    word = fold_text(token.doc[i].text)
    if word in ADDRESS_CASES:
        return "address"
    if word in PRESENCE_CASES or word == "of" and i and fold_text(token.doc[i - 1].text) in PRESENCE_HEADS:
        return "presence"
    return ""


def audience(
    doc: Any, inside: set[int] | frozenset[int] = frozenset(), settings: AudienceSettings | None = None
) -> dict[str, list[str]]:
    """The outsiders and members an action is addressed to or held with (:data:`AUDIENCE_KEYS`), as words of
    the sentence; ``inside`` are the tokens of the organisations' names."""
    settings = settings or AudienceSettings()
    out: dict[str, list[str]] = {key: [] for key in AUDIENCE_KEYS}
    for token in doc:
        if token.pos_ not in {"NOUN", "PROPN", "X"} or _in_name(token, inside):
            continue
        if _public_word(token, OUTSIDERS):
            side = "outside"
        elif (_public_word(token, MEMBERS) or _own_community(token)) and not _members_of_another(token, inside):
            side = "members"
        elif _public_word(token, MEMBERS):
            side = "outside"  # another body's members are outsiders to the cluster
        else:
            continue
        link = _link(token, settings)
        if link:
            out[("audience_" if link == "address" else "present_") + side].append(token.text)
    return out


YEAR_NOUNS = frozenset({"an", "annee", "year", "jaar", "jahr"})
"""Folded lemmas of the year, counted in an anniversary ("les dix ans du cluster")."""
COUNTING_CASES = frozenset({"en", "sur", "depuis", "pendant", "durant", "dans", "de", "d'", "par", "in", "over"})
"""Case words that make a count of years a duration ("en dix ans", "sur trois ans", "de trois ans"), not an
anniversary."""


def anniversaries(doc: Any, others: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """An anniversary the row celebrates, read from the parse: a count of years with a definite determiner or
    "des" ("les dix ans du cluster", "Fête des vingt ans", "Soirée des trois ans"), not a duration ("en dix
    ans", "pendant trois ans", "un bilan de deux ans"), nor another body's (``others``: the tokens of other
    bodies' names; "les 50 ans de la fédération" is a party the cluster attends)."""
    out = []
    for token in doc:
        if fold_text(token.lemma_) not in YEAR_NOUNS or token.pos_ != "NOUN":
            continue
        counted = [c for c in token.children if c.dep_ == "nummod"]
        cases = _cases(token)
        definite = any(c.dep_ == "det" and fold_text(c.lemma_) in {"le", "les"} for c in token.children)
        owner = [c for c in token.children if c.dep_ == "nmod" and c.i in others]
        if counted and not owner and not cases & COUNTING_CASES and (definite or "des" in cases):
            out.append(f"{counted[0].text} {token.text}")
    return out


GRANTING = frozenset(
    {"obtention", "obtenir", "attribution", "attribuer", "admission", "admettre", "designation", "designer"}
    | {"accreditation", "accrediter"}
    | {"selection", "selectionner", "reconnaissance", "reconnaitre", "renouvellement", "renouveler", "remise"}
    | {"octroi", "octroyer", "accorder", "decerner", "recevoir", "award", "grant", "toekenning", "verleihung"}
)
"""Folded lemmas of granting, winning or renewing something ("obtention", "admission", "renouvellement", "le
cluster obtient"): with a status (:data:`STATUSES`) they say the cluster was recognised."""
STATUSES = frozenset(
    {"statut", "certification", "certificat", "accreditation", "label", "titre", "status", "zertifizierung"}
)
"""Folded lemmas of a status or a recognition granted to a body ("le statut de cluster clé national", "la
certification du programme")."""
PROGRAMMES = frozenset({"programme", "program", "programm"})
"""Folded lemmas of a programme one is admitted or selected to (LABELLING: admission to a national cluster
programme is a recognition, 4)."""
ENTRY = frozenset({"admission", "admettre", "selection", "selectionner", "designation", "designer", "accreditation"})
"""Granting words that admit to a programme or name one as something ("désignation comme Spitzencluster")."""
RECOGNITION_DEPS = frozenset({"nmod", "obj", "nsubj", "nsubj:pass", "obl", "obl:arg", "acl"})


def _granted(token: Any, depth: int, entry: bool) -> str:
    """A status ``depth`` parse steps under a granting word, or for an entry word a programme or an "as" phrase."""
    for child in token.children:
        if child.dep_ not in RECOGNITION_DEPS:
            continue
        lemma = fold_text(child.lemma_)
        if lemma in STATUSES or entry and (lemma in PROGRAMMES or _cases(child) & {"comme", "as", "als"}):
            return child.text
        if depth > 1:
            found = _granted(child, depth - 1, entry)
            if found:
                return found
    return ""


def recognitions(doc: Any, heads: Sequence[int], settings: AudienceSettings | None = None) -> list[str]:
    """The row's action as a recognition of the cluster (LABELLING: prizes and distinctions received, admission to
    a national cluster programme: promotion of the cluster, R12): a granting word heading the row with a status
    under it within ``depth`` steps ("Admission au programme Arena", "Remise du certificat renouvelant le statut de
    cluster clé national", "Le cluster obtient le statut …"), or a status heading it, singular, with a granting
    participle in its phrase ("Statut de Norwegian Centre of Expertise obtenu en 2016"). A candidacy is no recognition ("Candidature au statut
    …"), nor a status under another action ("Vote de nouveaux statuts"), nor one the cluster creates ("Création
    d'un label")."""
    depth = (settings or AudienceSettings()).recognition_depth
    out = []
    for i in heads:
        token = doc[i]
        lemma = fold_text(token.lemma_)
        if lemma in GRANTING and not _someone_else(token):
            found = token.text if lemma in STATUSES else _granted(token, depth, lemma in ENTRY)
            if found:
                out.append(f"{token.text} {found}")
        elif lemma in STATUSES and "Plur" not in token.morph.get("Number"):
            granted = [t for t in token.subtree if t.dep_ == "acl" and fold_text(t.lemma_) in GRANTING]
            # a participle the parser cut off as a head of its own ("Statut de projet Arena accordé en 2016 …")
            granted += [doc[j] for j in heads if _granting_participle(doc[j])]
            out += [f"{token.text} {c.text}" for c in granted[:1]]
    return out


def _granting_participle(token: Any) -> bool:
    """A bare granting participle ("accordé en 2016"), not a conjugated verb ("a reçu")."""
    return (
        fold_text(token.lemma_) in GRANTING
        and "Part" in token.morph.get("VerbForm")
        and not any(c.dep_.startswith("aux") for c in token.children)
    )


def _someone_else(token: Any) -> bool:
    """A granting verb whose subject is not the row's: a relative pronoun, or none where the verb is conjugated
    with an auxiliary and joined to an earlier clause ("participation au partenariat …, qui réunit … et a reçu le
    label ESCP-4i": the partnership was granted it, not the cluster)."""
    subjects = [c for c in token.children if c.dep_.startswith("nsubj")]
    if any(c.pos_ == "PRON" for c in subjects):
        return True
    return not subjects and token.dep_ == "conj" and any(c.dep_.startswith("aux") for c in token.children)


HOSTING = frozenset({"accueil", "accueillir", "hosting", "host", "ontvangst", "ontvangen", "empfang", "empfangen"})
"""Folded lemmas of hosting visitors ("Accueil d'une délégation", "accueille un voyage d'étude")."""


def hosted(doc: Any) -> list[str]:
    """The row's own action as hosting others: a hosting word at the root of the sentence ("Accueil, du 6 au 8
    novembre, d'une délégation …", "Accueil à Bilbao du Silicon Europe Cluster Forum"), with what it hosts when
    the parse gives it; a hosting word elsewhere (a venue, "lieu d'accueil") is not the row's action."""
    out = []
    for token in doc:
        if token.dep_ == "ROOT" and fold_text(token.lemma_) in HOSTING:
            guests = [c for c in token.children if c.dep_ in {"nmod", "obj"} and c.pos_ in {"NOUN", "PROPN"}]
            out.append(" ".join([token.text, *(c.text for c in guests[:1])]))
            break
    return out


PROMOTING = frozenset(
    {"promouvoir", "promotion", "visibilite", "valoriser", "rayonnement", "notoriete", "promote", "visibility"}
    | {"promoten", "promotie", "zichtbaarheid", "sichtbarkeit", "bewerben"}
)
"""Folded lemmas of promoting (French, English, Dutch, German): what is promoted is read from the parse."""
PROMOTED = frozenset(
    {"entreprise", "societe", "pme", "secteur", "filiere", "savoir", "competence", "expertise", "cluster", "capacite"}
    | {"pole", "industriel", "sector", "industry", "know-how", "expertise", "sektor", "branche", "kompetenz"}
    | {"kompetenzen", "bedrijf", "bedrijven"}
)
"""Folded lemmas of what a cluster promotes of its own besides its members (:data:`MEMBERS`): its firms, its
sector, its know-how and skills, itself (R12: "promoting the cluster or its members"). A technique, a material or
a practice ("promouvoir l'aquaponie", "promotion de la rénovation durable") is a subject, not the cluster's own."""
DIRECT_PROMOTING = frozenset({"valoriser"})
"""Promoting words with another sense in the field ("valoriser les déchets des entreprises": recover them; research
results: exploit them): they promote only what is their own object, not some thing of the members'."""
LIGHT_PROMOTING = frozenset({"donner", "accroitre", "offrir", "renforcer", "assurer", "augmenter", "give", "geven"})
"""Verbs whose object is the promoting noun, the promoted beside it ("donner une visibilité aux membres")."""
PROMOTED_DEPS = frozenset({"obj", "nmod", "obl", "obl:arg", "obl:mod", "iobj", "amod"})


BENEFICIARY_CASES = frozenset({"a", "au", "aux", "to", "aan"})
"""Case words of whom a promotion serves ("une visibilité aux membres"); any other case word (a place, a time, a
subject: "au sein de", "dans", "sur") says no object of the promotion."""


def _promoted(
    token: Any, inside: set[int] | frozenset[int], own: set[int] | frozenset[int], depth: int, served: bool = True
) -> str:
    """The word of the cluster's own (its members, firms, sector, know-how, or the own cluster's tokens ``own``)
    that the parse hangs under ``token`` within ``depth`` steps, or "". ``served``: whom a beneficiary case
    names is promoted ("une visibilité aux membres"); for a showing word they are the audience ("présentation
    des normes aux entreprises": the norms are shown, the firms informed)."""
    allowed = GENITIVE_CASES | (BENEFICIARY_CASES if served else frozenset())
    for child in token.children:
        if child.dep_ not in PROMOTED_DEPS or _cases(child) - allowed:
            continue  # "présentation au siège du cluster": a place, not what is shown
        lemma = fold_text(child.lemma_)
        if child.i in own or (
            child.i not in inside
            and (lemma in PROMOTED or _public_word(child, MEMBERS) or fold_text(child.text) in MEMBERS_ABROAD)
            and not _members_of_another(child, inside)
        ):
            return child.text
        if depth > 1:
            found = _promoted(child, inside, own, depth - 1, served)
            if found:
                return found
    return ""


SHOWING = frozenset({"presenter", "presentation", "present", "presentatie", "voorstellen", "vorstellen", "showcase"})
"""Folded lemmas of showing something to others: promotion when what is shown is the cluster's own (its members'
skills, its firms), unless the members alone are its audience (then it is their own meeting, axis 1)."""


FOREIGN_PROMOTING = frozenset({"promote", "promoting", "visibility", "promoten", "promotie", "zichtbaarheid"})
FOREIGN_PROMOTING |= frozenset({"sichtbarkeit", "bewerben", "present", "presenting", "presenteren", "vorstellen"})
"""English, Dutch and German promoting and showing words, whose object the French parser does not attach."""


def _promoted_after(token: Any, inside: set[int] | frozenset[int], gap: int) -> str:
    """The cluster's own word right after a foreign promoting word, past articles and up to ``gap`` other words
    ("to promote the member companies", "om de leden te promoten" is not read: its object comes first)."""
    for t in token.doc[token.i + 1 : token.i + 2 + gap]:
        if t.is_punct or t.i in inside:
            return ""
        word = fold_text(t.text)
        if word in MEMBERS_ABROAD or word in PROMOTED or word.removesuffix("s") in PROMOTED:
            return t.text
    return ""


SUBJECT_CASES = frozenset({"sur", "about", "over", "uber"})
"""Case words of a subject discussed ("atelier sur la promotion des produits"): a promoting word under one is what
a talk or a workshop is about, not the row's own promotion."""


def promoted_own(
    doc: Any,
    inside: set[int] | frozenset[int] = frozenset(),
    own: set[int] | frozenset[int] = frozenset(),
    words: frozenset[str] = PROMOTING,
    settings: AudienceSettings | None = None,
) -> list[str]:
    """Promotion of the cluster's own (R12, axis 4: "promoting the cluster or its members"): a promoting word
    whose object in the parse is the members, their firms, their sector or know-how, or the cluster itself
    ("pour promouvoir les membres wallons du secteur", "donner une visibilité internationale aux membres"), as
    "word object"; not a promoting word inside a body's name ("l'agence de promotion CIIPA": ``inside``) nor one
    whose object is a subject matter ("promouvoir l'aquaponie")."""
    settings = settings or AudienceSettings()
    out = []
    for token in doc:
        if fold_text(token.lemma_) not in words or token.i in inside or _cases(token) & SUBJECT_CASES:
            continue
        served = not words & SHOWING
        depth = 1 if fold_text(token.lemma_) in DIRECT_PROMOTING else settings.promoted_depth
        found = _promoted(token, inside, own, depth, served)
        if not found and token.dep_ == "obj" and fold_text(token.head.lemma_) in LIGHT_PROMOTING:
            found = _promoted(token.head, inside, own, 1, served)
        if not found and fold_text(token.text) in FOREIGN_PROMOTING:
            found = _promoted_after(token, inside, settings.case_gap)
        if found:
            out.append(f"{token.text} {found}")
    return out


def shown_outside(doc: Any, inside: set[int] | frozenset[int] = frozenset()) -> list[str]:
    """Outsiders a showing word addresses by a beneficiary case, the list's later items too ("présentation aux
    entreprises et aux médias des actions du réseau"), wherever the showing stands in the row: a presentation to
    outsiders (R12), as "word outsider"."""
    out = []
    for token in doc:
        if fold_text(token.lemma_) not in SHOWING:
            continue
        for child in token.children:
            if child.dep_ not in PROMOTED_DEPS or not _cases(child) or _cases(child) - BENEFICIARY_CASES:
                continue
            told = [x for x in (child, *child.conjuncts) if x.i not in inside and _public_word(x, OUTSIDERS)]
            out += [f"{token.text} {x.text}" for x in told[:1]]
    return out
