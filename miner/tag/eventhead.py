"""What kind of action a row is, read from the head of its event phrase in the parse (issue 22).

An event format the sentence only names in passing is not the row's action: "voyage d'étude" is a
trip, not a study (R11); "conférence au salon X" is a talk held at a fair, not a stand (R8); "au
cours de l'année" is no course (R9). The rules read a format as the row's own when one of its terms
covers the head of the event phrase: the sentence's root and its conjuncts, passed through the light
action words that only say what the cluster did with the event ("organisation d'un afterwork",
"participation au salon", "lancement d'un cycle de webinaires"), or a word naming that head
(an adjective, an apposition, a quoted name: "petit-déjeuner « Meet the members »").
:mod:`miner.tag.facts` adds them to an activity's formats as ``head:<format>``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from miner.nlp.orgtyper import fold_name
from miner.tag.base import fold_text

__all__ = [
    "HEAD_PREFIX",
    "BARE_PREFIX",
    "OTHER_PREFIX",
    "LIGHT_ACTIONS",
    "CO_FOUNDING",
    "event_heads",
    "founded_bodies",
    "bodies_to_found",
    "head_formats",
    "idle_terms",
    "meeting_parties",
    "meeting_sides",
    "business_meetings",
    "occurrences",
    "placed_terms",
    "unparted_terms",
    "clusters_own_terms",
    "plural_clusters",
]

HEAD_PREFIX = "head:"
BARE_PREFIX = "bare:"
OTHER_PREFIX = "of_other:"
CO_FOUNDING = frozenset({"cofondation", "cofonder"})
"""Folded lemmas of founding together: a body co-founded with others is shared, not the list's own."""
BODY_FOUNDING = ("fondation", "fonder", *sorted(CO_FOUNDING), "constitution", "constituer")
"""Folded lemmas that only ever found something: light actions (the event is what is founded) and founding words."""
LIGHT_ACTIONS = frozenset(
    {
        # French nouns and verbs saying what the cluster did with an event, not what the event is
        "organisation",
        "organiser",
        "coorganisation",
        "co-organisation",
        "coorganiser",
        "co-organiser",
        "participation",
        "participer",
        "presence",
        "accueil",
        "accueillir",
        "lancement",
        "lancer",
        "tenue",
        "tenir",
        "realisation",
        "realiser",
        "animation",
        "animer",
        "preparation",
        "preparer",
        "edition",
        "creation",
        "creer",
        "mise",
        "poursuite",
        "poursuivre",
        "relance",
        "reconduction",
        "contribution",
        "contribuer",
        "publication",
        "publier",
        "diffusion",
        "diffuser",
        "proposer",
        "offrir",
        "dispenser",
        "assurer",
        "cycle",
        "serie",
        "programme",
        "premier",
        "premiere",
        # joining and founding: the event is who joins or what is founded ("admission de sept nouveaux associés")
        "admission",
        "adhesion",
        "recrutement",
        "arrivee",
        "implication",
        *BODY_FOUNDING,
        # English, Dutch, German
        "organization",
        "hosting",
        "launch",
        "series",
        "organisatie",
        "deelname",
        "reeks",
        "teilnahme",
        "durchfuhrung",
        "reihe",
    }
)
"""Folded lemmas of the words that only say what the cluster did with an event, not what the event is:
the phrase's head is then the event they govern."""
EVENT_DEPS = frozenset({"nmod", "obj", "obl:arg", "nsubj", "nsubj:pass", "obl"})
"""Relations by which a light action word governs its event ("organisation d'un gala", "a réuni")."""
EVENT_CASES = frozenset(
    {"de", "d'", "du", "des", "a", "au", "aux", "of", "in", "dans", "van", "aan", "an", "am", "zur", "zum"}
)
"""Case words by which a light word governs its event ("d'un gala", "au salon", "aan de beurs")."""
NAMING_DEPS = frozenset({"amod", "appos", "flat:name", "compound", "fixed", "flat"})
"""Relations by which a word names the head itself ("petit-déjeuner « Meet the members »")."""


def _is_light(token: Any) -> bool:
    return fold_text(token.lemma_) in LIGHT_ACTIONS


def _governed(token: Any) -> bool:
    """Whether a light word's dependent is the event it governs ("organisation d'un gala", "participer au
    salon", "organise un afterwork"), not a partner or a place beside it ("avec dix membres", "à Namur")."""
    cases = {fold_text(c.lemma_) for c in token.children if c.dep_ == "case"}
    determined = any(c.dep_ == "det" for c in token.children)  # "d'un Stammtisch" is a thing, "à Graz" a place
    return not cases or bool(cases & EVENT_CASES) and (token.pos_ == "NOUN" or determined)


def event_heads(doc: Any) -> list[int]:
    """Token indices of the heads of the row's event phrases: the root and its conjuncts, each passed
    through its light action words to the event it governs."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    todo = [c for r in roots for c in (r, *(c for c in r.children if c.dep_ == "conj"))]
    heads: list[int] = []
    seen: set[int] = set()
    while todo:
        token = todo.pop(0)
        if token.i in seen:
            continue
        seen.add(token.i)
        if token.pos_ in {"NOUN", "PROPN", "VERB", "X"}:
            heads.append(token.i)
        if _is_light(token) or token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in EVENT_DEPS and child.pos_ in {"NOUN", "PROPN"} and _governed(child):
                    todo.append(child)
                    todo.extend(c for c in child.children if c.dep_ == "conj")
    return sorted(heads)


FOUNDING_WORDS = frozenset(
    {
        "creation",
        "creer",
        *BODY_FOUNDING,
        "lancement",
        "lancer",
        "launch",
        "founding",
        "oprichting",
        "grundung",
    }
)
"""Folded lemmas of the words that found a body ("création du cluster", "fondation de l'association")."""
BODY_WORDS = frozenset(
    {"cluster", "association", "reseau", "club", "groupe", "grappe", "communaute", "network", "netwerk", "verein"}
)
"""Folded words that name a body of members, the thing a founding word founds (R11: setting up the membership)."""


def founded_bodies(doc: Any) -> list[tuple[int, int]]:
    """The row's action founding a body of members: (founding word, body word) token indices where a founding
    word (:data:`FOUNDING_WORDS`) heading the row governs a body word ("Création du cluster avec 14 entreprises",
    "Fondation de l'association par quinze membres", "Cofondation du BIG-Cluster"). Founding a project, a call or
    a label is not setting up a membership."""
    heads = set(event_heads(doc))
    out = []
    for i in sorted(heads):
        token, word = doc[i], doc[i].head
        body = fold_text(token.lemma_)
        if word.i in heads and word.i != i and fold_text(word.lemma_) in FOUNDING_WORDS:
            if body in BODY_WORDS or any(part in BODY_WORDS for part in body.replace("-", " ").split()):
                out.append((word.i, i))
    return out


def bodies_to_found(doc: Any) -> set[int]:
    """Body words a founding word founds away from the row's head, as its aim or mission ("avec pour mission la
    création d'un cluster européen", "pour créer un cluster"): a body that does not exist yet, no counterpart of
    the row. Founding words heading the row are :func:`founded_bodies`'; co-founding is shared with partners."""
    heads = set(event_heads(doc))
    return {
        t.i
        for t in doc
        if t.dep_ in {"obj", "nmod"}
        and t.head.i not in heads
        and fold_text(t.head.lemma_) in FOUNDING_WORDS - CO_FOUNDING
        and fold_text(t.lemma_).removesuffix("s") in BODY_WORDS
    }


def _named_tokens(doc: Any, heads: Sequence[int]) -> set[int]:
    """The heads and the words that name them: their adjectives, appositions and the names they carry."""
    out = set(heads)
    for i in heads:
        for child in doc[i].children:
            if child.dep_ in NAMING_DEPS or (
                child.dep_ == "nmod" and child.pos_ == "PROPN" and not any(c.dep_ == "case" for c in child.children)
            ):
                out |= {t.i for t in child.subtree}
    return out


OWNER_CASES = frozenset({"de", "d'", "d’", "du", "des", "of", "van", "von", "vom", "der", "del", "di"})
"""Case words by which a name owns the event it follows ("l'assemblée générale de l'ESCA")."""


def _owned_by(doc: Any, i: int, others: set[int]) -> bool:
    """Whether the event at token ``i`` is tied by a genitive complement to another organisation's name
    (``others``: its tokens): "l'assemblée générale de l'ESCA", "la conférence annuelle du TCI Network"
    are that body's events, which the cluster attends."""
    return any(
        child.dep_ in {"nmod", "flat:name"}
        and child.i in others
        and any(fold_text(c.text) in OWNER_CASES for c in child.children if c.dep_ == "case")
        for child in doc[i].children
    )


def head_formats(
    doc: Any,
    lemmas: Sequence[str],
    terms: Mapping[str, Sequence[tuple[str, str]]],
    others: set[int] | frozenset[int] = frozenset(),
) -> dict[str, list[str]]:
    """``head:<format>`` → the terms of that format whose words in the sentence cover an event head or a
    word naming it; ``bare:<format>`` → the terms found only as a bare complement of another noun, the
    French compound noun ("voyage d'étude", "centre de formation", "bureau d'études": a trip, a centre, a
    firm, not a study or a training). ``terms`` are :func:`miner.tag.facts.load_event_formats`'s;
    ``of_other:<format>`` → the head terms whose every head is another organisation's event (``others``: the
    tokens of other bodies' names)."""
    heads = event_heads(doc)
    named = _named_tokens(doc, heads)
    by_lemma = [fold_text(lemma) for lemma in lemmas]
    by_text = [fold_name(t.text) for t in doc]
    out: dict[str, list[str]] = {}
    for key, pairs in terms.items():
        found, bare, free, owned = [], [], False, []
        for term, folded in pairs:
            starts = [
                (start, len(seq))
                for seq, words in ((folded.split(), by_lemma), (fold_name(term).split(), by_text))
                for start in occurrences(words, seq)
            ]
            if not starts:
                continue
            covering = [i for s, n in starts for i in range(s, s + n) if i in heads or i in named]
            if covering:
                found.append(term)
                if all(_owned_by(doc, i, others) for i in covering):
                    owned.append(term)
            if all(_bare_complement(doc[s]) for s, _ in starts):
                bare.append(term)
            else:
                free = True
        if found:
            out[HEAD_PREFIX + key] = found
        if owned:
            out[OTHER_PREFIX + key] = owned
        if bare and not free:
            out[BARE_PREFIX + key] = bare
    return out


TOPIC_CASES = frozenset({"sur", "about", "on", "over", "uber"})
"""Case words by which a noun is the subject matter of another word ("une question sur la formation"), not an
event of the row."""


def _bare_complement(token: Any) -> bool:
    """A noun hung by a bare "de" on another noun that is no light action word: "voyage d'étude",
    "centre de formation" (with a determiner, "organisation d'une formation", it is the event); or the subject
    matter of another word ("une question parlementaire sur la formation")."""
    if (
        token.head.i != token.i
        and token.head.pos_ == "NOUN"
        and not _is_light(token.head)
        and {fold_text(c.text) for c in token.children if c.dep_ == "case"} & TOPIC_CASES
    ):  # "présence sur un salon": a light action's place, not a subject matter
        return True
    head = token.head
    if token.dep_ != "nmod" or head.pos_ != "NOUN" or head.i == token.i or _is_light(head):
        return False
    cases = [c for c in token.children if c.dep_ == "case"]
    return (
        bool(cases)
        and all(fold_text(c.text) in {"de", "d'", "d’"} for c in cases)
        and not any(c.dep_ in {"det", "nummod"} for c in token.children)
    )


def occurrences(words: Sequence[str], seq: Sequence[str]) -> list[int]:
    """Where ``seq`` starts in ``words``, in order. Each of the ~500 terms is looked for in every
    sentence: the first word is found by ``list.index`` (C), so most terms cost one scan instead
    of a slice per position (this was 40 % of the features' CPU in classify, issue 27).

    >>> occurrences("a b a b c".split(), ["a", "b"]), occurrences(["a"], [])
    ([0, 2], [])
    """
    n = len(seq)
    if not n or seq[0] not in words:  # most terms: one scan in C, no exception raised
        return []
    words = words if isinstance(words, list) else list(words)
    seq = seq if isinstance(seq, list) else list(seq)
    found, last = [], len(words) - n + 1
    start = 0
    while start < last:
        try:
            start = words.index(seq[0], start, last)
        except ValueError:
            break
        if words[start : start + n] == seq:
            found.append(start)
        start += 1
    return found


ADVERBIAL_CASES = frozenset({"au", "en"})
"""Case words that, before a noun with no determiner of its own, make a fixed adverbial phrase of it:
"au cours de l'année", "en cours", "collaborer en formation" (a time or a field, not an event)."""


def _in_adverbial(token: Any) -> bool:
    """A noun of a fixed adverbial phrase: "en" or "sans" and a bare noun ("en formation", "en cours", "sans
    distinction"), or "au" and a
    bare noun tied to a determined complement ("au cours de la première année", "au cours du mois"; "au
    cours de management" stays a course)."""
    if token.pos_ != "NOUN" or any(c.dep_ in {"det", "nummod"} for c in token.children):
        return False
    cases = {fold_text(c.text) for c in token.children if c.dep_ == "case"}
    if cases & {"en", "sans"}:
        return True
    if "au" not in cases:
        return False
    return any(
        c.dep_ == "nmod"
        and any(fold_text(g.text) in {"du", "des"} or g.dep_ == "det" for g in c.children if g.dep_ in {"case", "det"})
        for c in token.children
    )


JOB_NOUNS = frozenset(
    {"charge", "chargee", "charger", "chef", "cheffe", "responsable", "coordinateur", "coordinatrice"}
)
"""Folded lemmas and forms of the nouns of a post whose bare "de" complement is its field, not an event: "chargée de
mission", "chef de mission", "responsable de formation"."""
MISSION_WORDS = frozenset({"mission", "missie"})
"""Folded lemmas of a mission, which names a duty or a programme as often as a trip."""
EU_WORDS = frozenset({"ue", "eu", "horizon", "h2020"})
"""Folded words that tie a mission to the European Union's research missions ("la mission Horizon Europe sur les
villes neutres", "EU Mission"): a programme the cluster works in (R3), no mission abroad (R8)."""


ESCORTING = frozenset({"accompagner", "accompagnement"})
"""Folded lemmas of accompanying, which is support for someone's project (R15) or going with a journey."""
ESCORTED = frozenset({"mission", "delegation", "visite", "voyage", "ministre", "president", "roi", "prince"})
"""Folded lemmas of the journeys and dignitaries one goes with: accompanying them is no support of a firm's project."""


def _names_no_event(token: Any) -> bool:
    """A noun that names a post's field, a purpose or an EU programme, not an event of the row: the bare "de"
    complement of a post ("chargée de mission", "responsable de formation"), a mission that "pour" governs with no
    determiner ("avec pour mission la création de…", "a pour mission de"), or a mission an EU word names ("mission
    Horizon Europe", "EU Mission"); or accompanying a journey or a dignitary ("accompagne la mission du Premier
    ministre"), no support."""
    bare = token.pos_ in {"NOUN", "PROPN"} and not any(c.dep_ in {"det", "nummod"} for c in token.children)
    cases = {fold_text(c.text) for c in token.children if c.dep_ == "case"}
    head = token.head
    if bare and cases and cases <= {"de", "d'", "d’"} and head.i != token.i:
        if fold_text(head.lemma_) in JOB_NOUNS or fold_text(head.text) in JOB_NOUNS:
            return True
    if fold_text(token.lemma_) in ESCORTING:  # "accompagne la mission du Premier ministre": goes with it
        return any(c.dep_ in {"obj", "nmod"} and fold_text(c.lemma_) in ESCORTED for c in token.children)
    if fold_text(token.lemma_) not in MISSION_WORDS:
        return False
    if bare and "pour" in cases:
        return True
    near = [*token.children, *([head] if head.i != token.i else [])]
    return any(fold_text(t.text) in EU_WORDS for t in near)


def term_spans(
    by_lemma: Sequence[str], by_text: Sequence[str], lemma_seq: Sequence[str], text_seq: Sequence[str]
) -> list[range]:
    """Every place of a format's term in a sentence, found by its folded lemmas or by its words as written (each
    sequence folded as its list of the sentence's words is): the token indices of each occurrence.

    >>> term_spans(["tenir", "un", "salon"], ["tient", "un", "salon"], ["salon"], ["un", "salon"])
    [range(2, 3), range(1, 3)]
    """
    return [
        range(start, start + len(seq))
        for seq, words in ((lemma_seq, by_lemma), (text_seq, by_text))
        for start in occurrences(words, seq)
    ]


def idle_terms(doc: Any, lemmas: Sequence[str], pairs: Sequence[tuple[str, str]], inside: set[int]) -> set[str]:
    """Terms of one format whose every occurrence in the sentence names no event: a word of a proper name
    (``inside``: "Forem Formation", "Centre de formation X"), of a fixed adverbial phrase, or a post's field, a
    purpose or an EU programme (:func:`_names_no_event`: "chargée de mission", "avec pour mission")."""
    by_lemma = [fold_text(lemma) for lemma in lemmas]
    by_text = [fold_name(t.text) for t in doc]
    idle = set()
    for term, folded in pairs:
        spans = term_spans(by_lemma, by_text, folded.split(), fold_name(term).split())
        if spans and all(
            any(i in inside or _in_adverbial(doc[i]) or _names_no_event(doc[i]) for i in span) for span in spans
        ):
            idle.add(term)
    return idle


CLUSTER_NOUNS = frozenset({"cluster", "clustre", "grappe", "klynge", "kluster", "klusteri"})
"""Folded lemmas of the noun cluster (French, English, Spanish without its accent, Nordic)."""


def plural_clusters(doc: Any) -> list[str]:
    """Clusters named as a plural common noun ("entre clusters", "les clusters européens", "inter-clusters"): the
    row speaks of other clusters even when it names none. Read from the parse (a noun and its number), not
    from the letters: "Cluster" in a name or the list's own "le cluster" is no such plural."""
    out = []
    for token in doc:
        lemma, text = fold_text(token.lemma_), fold_text(token.text)
        if text.startswith(("inter-cluster", "intercluster")):
            out.append(token.text)
        elif token.pos_ == "NOUN" and lemma.removesuffix("s") in CLUSTER_NOUNS and "Plur" in token.morph.get("Number"):
            out.append(token.text)
    return out


MEETING_VERBS = frozenset({"meet", "meets", "ontmoet", "ontmoeten", "trifft", "treffen"})
"""Folded forms of the verb of an "X meets Y" title, in English, Dutch and German (a title's language whatever
the row's). Not the French "rencontre", as often the noun of any meeting ("rencontre entre membres")."""
NOT_PARTY = frozenset({"ADP", "CCONJ", "SCONJ", "PRON", "AUX", "DET", "PUNCT", "NUM", "SYM"})
"""Tags of a word that cannot open a party: a title's party is a content word, however the French parser
tags an English noun (X, ADJ, PROPN, even VERB for "Santé")."""
TITLE_FUNCTION_WORDS = frozenset(
    {"in", "at", "on", "for", "with", "to", "and", "up", "met", "voor", "op", "mit", "im", "am", "fur", "und"}
)
"""English, Dutch and German prepositions and conjunctions, which the French parser does not tag as such: a
verb followed by one names an event ("Meet in Italy", "Meet up"), not a meeting of two parties."""
TITLE_PRONOUNS = frozenset(
    {"i", "we", "you", "they", "he", "she", "it", "us", "them"}
    | {"ik", "wij", "jij", "jullie", "zij", "hij", "ze", "u"}
    | {"ich", "wir", "du", "ihr", "sie", "er", "es", "uns"}
)
"""English, Dutch and German personal pronouns, which the French parser tags as nouns or verbs: a sentence
whose subject is one ("We meet again next year") tells of a meeting, it names no party ("IT", in capitals, is
one: "IT meets Health")."""


def _party(doc: Any, i: int, step: int) -> tuple[int, int] | None:
    """The token span of the party on one side of a meeting verb at ``i``: its words up to the title's edge (a
    punctuation mark, a preposition or the sentence's end, :func:`_party_edge`), determiners next to the verb aside; None when the first word beside
    the verb is no content word ("« Meet the members »": nothing stands before the verb)."""
    j = i + step
    while 0 <= j < len(doc) and (
        doc[j].pos_ == "DET" or fold_text(doc[j].text) in {"the", "de", "het", "die", "das", "den"}
    ):
        j += step
    if (
        not (0 <= j < len(doc))
        or doc[j].pos_ in NOT_PARTY
        or fold_text(doc[j].text) in TITLE_FUNCTION_WORDS
        or (fold_text(doc[j].text) in TITLE_PRONOUNS and not doc[j].text.isupper())
        or not doc[j].text[:1].isalnum()
    ):
        return None
    k = j
    while 0 <= k + step < len(doc) and not _party_edge(doc[k + step]):
        k += step
    return (min(j, k), max(j, k) + 1)


PARTY_LINKS = frozenset({"de", "du", "des", "d'", "d’", "of", "van", "von", "vom"})
"""Small words by which a party's name goes on ("Santé de demain", "Internet of Things"): no edge of it."""


def _party_edge(token: Any) -> bool:
    """Whether a word ends a party: a punctuation mark, another meeting verb, or a preposition (French by its tag,
    English, Dutch, German by :data:`TITLE_FUNCTION_WORDS`) where a title the row does not close goes on into the
    sentence ("ICT meets Health avec une présentation du pôle X": the pôle presents, it is no party)."""
    word = fold_text(token.text)
    if token.is_punct or word in MEETING_VERBS:
        return True
    return (token.pos_ == "ADP" or word in TITLE_FUNCTION_WORDS) and word not in PARTY_LINKS


def meeting_sides(doc: Any) -> list[tuple[tuple[int, int], int, tuple[int, int]]]:
    """The token spans of the two parties of each "X meets Y" the row names (R5: "ICT meets health", "Industrie
    trifft Forschung") and the verb's index: a meeting verb with a content word on both sides, each side running
    to the title's edge. Spans, so that a name is a party by where it stands, not by sharing words with one."""
    out = []
    for token in doc:
        if fold_text(token.text) not in MEETING_VERBS:
            continue
        before, after = _party(doc, token.i, -1), _party(doc, token.i, 1)
        if before is not None and after is not None:
            out.append((before, token.i, after))
    return out


def meeting_parties(doc: Any) -> list[tuple[str, str, str]]:
    """The texts of each side and of the verb of :func:`meeting_sides`."""
    return [(doc[b[0] : b[1]].text, doc[v].text, doc[a[0] : a[1]].text) for b, v, a in meeting_sides(doc)]


APPOINTMENT_NOUNS = frozenset(
    {"rendez", "rendez-vous", "rdv", "entretien", "meeting", "appointment", "afspraak", "afspraken", "gesprek"}
    | {"gesprekken", "termin", "termine", "gesprach", "gesprache", "bourse", "convention"}
)
"""Folded forms of nouns of pre-arranged meetings (French, English, Dutch, German; "rendez-vous" as the French
tokenizer splits it). Not "rencontre", "réunion", "Treffen": any meeting of two bodies is one of those."""
BUSINESS_QUALIFIERS = frozenset(
    {"affaire", "affaires", "partenariat", "partenariats", "business", "partnering", "zakelijk", "zakelijke"}
    | {"geschaftlich", "geschaftliche", "kooperation", "cooperation"}
)
"""Folded lemmas and forms of the complement that makes such meetings business ones: what the appointments are for."""
AGREEMENT_NOUNS = frozenset({"convention"})
"""Appointment nouns that also name an agreement: one signed or with parties is the agreement ("signature d'une
convention de partenariat", "convention de coopération avec l'université"); without, the event ("la convention de
partenariat BIO-Europe", a partnering convention)."""
SIGNING = frozenset({"signature", "signer", "conclure", "conclusion", "ratifier", "renouveler", "sign", "signing"})
PARTY_CASES = frozenset({"avec", "entre", "with", "between"})


def _agreement(token: Any) -> bool:
    """Whether an agreement noun is the agreement: signed ("convention signée", "signature d'une convention") or
    made with or between parties, on it or on its complement ("convention de partenariat avec X")."""
    if fold_text(token.lemma_) not in AGREEMENT_NOUNS and fold_text(token.text) not in AGREEMENT_NOUNS:
        return False
    near = [token, *(c for c in token.children if c.dep_ == "nmod")]
    return (
        fold_text(token.head.lemma_) in SIGNING
        or any(fold_text(c.lemma_) in SIGNING for c in token.children if c.dep_ in {"acl", "amod"})
        or any(
            fold_text(g.text) in PARTY_CASES for t in near for c in t.children for g in c.children if g.dep_ == "case"
        )
    )


RENDEZ_VOUS = frozenset({"rendez", "rendez-vous", "rdv"})
"""Folded forms of the French pre-arranged appointment proper: set one by one, unlike an interview ("entretien")."""
ONE_TO_ONE = frozenset({"bilateral", "bilaterale", "bilaterales", "bilateraux", "one-to-one", "b2b"})
"""Folded forms of the qualifiers that make a meeting a one-to-one business appointment ("rendez-vous bilatéraux",
"rencontres bilatérales"): said of "rencontre" too, which alone is any meeting."""
SINGLY = frozenset({"individuel", "individuelle", "individuels", "individuelles"})
"""Folded forms of "individual", a business appointment only on a rendez-vous ("rendez-vous individuels"): "entretiens
individuels" are as often interviews or coaching."""
BUSINESS_PARTIES = frozenset(
    {"partenaire", "acheteur", "client", "investisseur", "fournisseur", "distributeur", "importateur", "donneur"}
    | {"entreprise", "exposant", "industriel", "partner", "buyer", "investor", "supplier", "customer"}
)
"""Folded lemmas of the parties a rendez-vous held with them makes a business one ("des rendez-vous avec des
partenaires", "avec des acheteurs")."""
TRADE_WORDS = frozenset({"branche", "secteur", "industrie", "filiere", "entreprise", "industry", "sector"})
"""Folded lemmas of a trade whose representatives a rendez-vous is held with ("des représentants de la branche")."""


def _business_party(token: Any) -> bool:
    """A rendez-vous's "avec" complement that is a business party: buyers, partners, firms, or the representatives
    of a trade ("représentants polonais de la branche"), not of a ministry."""
    if not {fold_text(c.text) for c in token.children if c.dep_ == "case"} & {"avec", "with"}:
        return False
    lemma = fold_text(token.lemma_)
    if lemma in BUSINESS_PARTIES:
        return True
    return lemma == "representant" and any(
        c.dep_ == "nmod" and fold_text(c.lemma_) in TRADE_WORDS for c in token.children
    )


def _meeting_qualifier(token: Any) -> Any | None:
    """The word that makes an appointment noun a business meeting: a business complement ("rendez-vous de
    partenariats", "zakelijke gesprekken"), a one-to-one qualifier ("rendez-vous bilatéraux", "rendez-vous
    individuels"), or business parties it is held with, on itself or on the noun or verb it complements ("programme
    de rendez-vous avec des représentants de la branche", "tenir des rendez-vous avec des partenaires")."""
    word, lemma = fold_text(token.text), fold_text(token.lemma_)
    appointment = word in APPOINTMENT_NOUNS or lemma in APPOINTMENT_NOUNS
    linked = [*token.children, token.head] if token.head.i != token.i else list(token.children)
    # a modifier right after the noun qualifies it wherever a long list makes the parser hang it ("tables de café,
    # rendez-vous bilatéraux réservés": hung on "tables")
    doc = token.doc
    after = [doc[token.i + 1]] if token.i + 1 < len(doc) and doc[token.i + 1].dep_ == "amod" else []
    for other in [*linked, *after]:
        texts = {fold_text(other.lemma_), fold_text(other.text)}
        if appointment and other in linked and texts & BUSINESS_QUALIFIERS:
            return other
        if (other.head.i == token.i or other in after) and (
            texts & ONE_TO_ONE or (texts & SINGLY and word in RENDEZ_VOUS)
        ):
            return other
    clause = _business_clause(token) if appointment else None
    if clause is not None:
        return clause
    if word not in RENDEZ_VOUS:
        return None
    holders = [token, token.head] if token.dep_ in {"nmod", "obj"} and token.head.i != token.i else [token]
    return next(
        (
            c
            for h in holders
            for c in h.children
            if c.dep_ in {"nmod", "obl", "obl:mod", "obl:arg"} and _business_party(c)
        ),
        None,
    )


CLAUSE_REACH = 3
"""How far down a participle clause's object a business word may hang ("posant les bases de relations d'affaires":
bases, relations, affaires); deeper words describe the object's own complements."""


def _business_clause(token: Any) -> Any | None:
    """A participle clause saying what appointments lead to, when it reaches a business word ("entretiens
    professionnels posant les bases de relations d'affaires"): on the noun, or on the first item of the list the noun
    ends when the clause follows the noun (the parse hangs a list's shared modifier on its first item)."""
    holders = [token]
    if token.dep_ == "conj" and token.head.i < token.i:
        holders.append(token.head)
    clauses = [c for h in holders for c in h.children if c.dep_ == "acl" and c.pos_ == "VERB" and c.i > token.i]
    for clause in clauses:
        layer = [clause]
        for _ in range(CLAUSE_REACH):
            layer = [c for t in layer for c in t.children if c.dep_ in {"obj", "nmod"}]
            found = next((t for t in layer if fold_text(t.lemma_) in BUSINESS_QUALIFIERS), None)
            if found is not None:
                return found
    return None


def business_meetings(doc: Any) -> list[str]:
    """Business meetings named by a pre-arranged meeting noun tied in the parse to what makes it a business one
    (:func:`_meeting_qualifier`: "rendez-vous de partenariats", "entretiens d'affaires", "rendez-vous bilatéraux",
    "rencontres bilatérales", "rendez-vous avec des acheteurs", "partnering meetings", "zakelijke gesprekken"): the
    format's name read as B2B (R8's "2 if B2B is stated") however the list of set terms spells it."""
    out = []
    for token in doc:
        word, lemma = fold_text(token.text), fold_text(token.lemma_)
        if word not in APPOINTMENT_NOUNS and lemma not in APPOINTMENT_NOUNS and lemma != "rencontre":
            continue
        if _agreement(token):
            continue
        other = _meeting_qualifier(token)
        if other is not None:
            first, last = sorted((token.i, other.i))
            out.append(doc[first : last + 1].text)
    return out


BRINGING_TERMS = frozenset({" mise en relation ", " mettre en relation "})
"""Folded lemma sequences of the set terms of bringing parties together (R10's "mise en relation"): a business
meeting only when the parse gives them parties (:func:`unparted_terms`)."""
PARTY_DEPS = frozenset({"obj", "nmod", "obl", "obl:arg", "obl:mod", "iobj"})
PARTY_LINKS_CASES = frozenset({"de", "d'", "d’", "des", "du", "avec", "entre", "with", "between"})
"""Case words by which a bringing word names whom it brings together ("des membres", "avec des acheteurs"), not
where or when ("à Győr", "en 2023")."""


def _brought(doc: Any, span: range) -> list[Any]:
    """The parties a bringing term's words govern: their objects and their "de", "avec", "entre" complements
    (conjuncts too), outside the term itself."""
    out = []
    for i in span:
        for c in doc[i].children:
            cases = {fold_text(g.text) for g in c.children if g.dep_ == "case"}
            if (
                c.i not in span
                and c.dep_ in PARTY_DEPS
                and c.pos_ in {"NOUN", "PROPN", "PRON"}
                and (not cases or cases & PARTY_LINKS_CASES)
            ):
                out += [c, *(g for g in c.children if g.dep_ == "conj")]
    return out


def unparted_terms(doc: Any, lemmas: Sequence[str], pairs: Sequence[tuple[str, str]]) -> set[str]:
    """Terms of bringing parties together (:data:`BRINGING_TERMS`) whose every occurrence brings no one the parse
    shows ("200 actions d'information, de mise en relation et de valorisation": a kind of action, no meeting), or
    only clusters ("rencontre de mise en relation de clusters": clusters meeting one another, R13's): no business
    meeting of members' firms (R10)."""
    by_lemma = [fold_text(lemma) for lemma in lemmas]
    out = set()
    for term, folded in pairs:
        if folded not in BRINGING_TERMS:
            continue
        seq = folded.split()
        spans = [range(s, s + len(seq)) for s in occurrences(by_lemma, seq)]
        if spans and all(
            all(fold_text(p.lemma_).removesuffix("s") in CLUSTER_NOUNS for p in _brought(doc, span)) for span in spans
        ):
            out.add(term)
    return out


def clusters_own_terms(doc: Any, lemmas: Sequence[str], pairs: Sequence[tuple[str, str]]) -> set[str]:
    """One-word terms of a subject (``pairs`` of term and folded lemmas) whose every occurrence the parse gives to
    clusters as their owner ("les besoins de financement des clusters TIC", "le financement du cluster"): the
    clusters' own funding or internationalisation is not business won by members (R9's 2)."""
    by_lemma = [fold_text(lemma) for lemma in lemmas]
    out = set()
    for term, folded in pairs:
        seq = folded.split()
        found = [doc[s] for s in occurrences(by_lemma, seq)] if len(seq) == 1 else []
        if found and all(_owned_by_cluster(t) for t in found):
            out.add(term)
    return out


def _owned_by_cluster(token: Any) -> bool:
    return any(
        c.dep_ == "nmod"
        and fold_text(c.lemma_).removesuffix("s") in CLUSTER_NOUNS
        and any(g.dep_ == "case" and fold_text(g.text) in OWNER_CASES for g in c.children)
        for c in token.children
    )


PLACE_CASES = frozenset({"a", "au", "aux", "at", "during", "op", "auf", "bei", "beim", "am", "pendant", "durant"})
"""Case words by which a fair is where something else happens ("signé au salon", "at the fair")."""


def placed_terms(doc: Any, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """Terms of a format (``pairs`` of term and folded lemmas, as :func:`miner.tag.facts.load_event_formats`
    gives them) whose every occurrence is a place the parse hangs another word on: a place case ("au salon",
    "lors du salon", "at the fair") under a word that is no term of the same format ("accord signé au salon",
    "conférence au salon"; "stand au salon" is the fair's own), and one fair, as a place is ("aux salons" names
    fairs in general)."""
    heads = {folded.split()[0] for _, folded in pairs if folded.split()}
    out = []
    for term, folded in pairs:
        first = folded.split()[:1]
        found = [t for t in doc if first and fold_text(t.lemma_) == first[0]]
        if found and all(_placed(t, heads) for t in found):
            out.append(term)
    return out


def _placed(token: Any, heads: set[str]) -> bool:
    cases = [c for c in token.children if c.dep_ == "case"]
    place = any(fold_text(c.text) in PLACE_CASES for c in cases) or any(
        fold_text(c.text) in {"du", "de", "des"} and c.i and fold_text(token.doc[c.i - 1].text) == "lors" for c in cases
    )
    single = "Plur" not in token.morph.get("Number")  # "aux salons comme le FIC": fairs in general, no place
    return place and single and token.head.i != token.i and fold_text(token.head.lemma_) not in heads
