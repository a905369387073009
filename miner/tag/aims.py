"""What a row's action is for, read from the parse: the stated aims of rule R0 ("tag every axis that a
stated aim or distinct strand serves") that belong to axes 2 and 3.

The decree defines its axes by purpose (« visant à », « en vue de »), so a row that states its aim says
which axis it serves even when its format names none: "mission … pour nouer des contacts d'affaires" serves
commercial links (axis 2), "voyage … pour explorer des coopérations" a partnership's aim (axis 3, which
CONVENTIONS lets the aim state). An aim is a clause the parse opens by a purpose word ("pour", "afin de",
"en vue de", "visant à", "destiné à"); its words are read as lemmas, never as the row's surface text.
:mod:`miner.tag.facts` puts what is found among an activity's formats; the rules decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from miner.data.lexicon import detect_language, lexicon
from miner.settings import check_fields, setting
from miner.tag.audience import ARTICLES, MEMBERS_ABROAD
from miner.tag.base import fold_text
from miner.tag.eventhead import event_heads, term_spans
from miner.tag.jointwork import GATHERING_VERBS, MEMBER_WORDS

__all__ = [
    "AimSettings",
    "COMMERCE_WORDS",
    "PARTNERING",
    "aim_verbs",
    "answered_calls",
    "CALLS",
    "commercial_aims",
    "discussed_terms",
    "firm_partnerships",
    "firms_access",
    "foreign_aims",
    "helped_firms",
    "market_sides",
    "partnership_aims",
    "supported_projects",
    "test_beds",
]

PURPOSE_MARKS = frozenset({"pour", "afin", "vue", "for", "um", "om", "zu", "to"})
"""Folded words that open a purpose clause ("pour rapprocher", "afin d'accroître", "en vue de", "in order to",
"um … zu", "om … te")."""
PURPOSE_VERBS = frozenset({"viser", "destiner", "aim", "beogen", "zielen"})
"""Folded lemmas of the verbs whose complement is the aim ("visant à exporter", "destiné à faciliter")."""


REACH_DEPS = frozenset({"obj", "obl", "obl:arg", "obl:mod", "nmod", "conj", "iobj"})
"""Relations by which an aim's verb reaches what it aims at ("faciliter l'accès au marché"); a relative clause
or an agent ("les compétences attendues par le marché") says something else."""


@dataclass(frozen=True)
class AimSettings:
    """How far down the parse an aim's verb reaches for what it aims at (:mod:`miner.tag.aims`)."""

    commerce_reach: int = setting(
        2, "object and its complement ('l'accès au marché'); deeper words describe the object, not the aim"
    )
    partnership_reach: int = setting(
        1, "the verb's own object ('explorer des coopérations'), not a complement ('la confiance nécessaire à')"
    )
    test_holders: int = setting(
        3,
        "nouns a test word complements, up to its beneficiary ('mise à disposition d'installations d'essai pour "
        "les PME': the PME hang on 'mise', three up); higher is the row's action, not the facility",
    )

    def __post_init__(self) -> None:
        check_fields(self)


OBJECT = frozenset({"obj"})
"""The one relation by which an aim's verb takes a partnership as its aim."""


def aim_verbs(doc: Any) -> list[Any]:
    """The verbs of the row's stated aims: those a purpose word opens ("pour nouer des contacts", "afin
    d'accroître les exportations"), the complements of an aiming verb ("visant à exporter"), and their conjuncts
    ("pour échanger … et identifier des coopérations"). A noun after "pour" names an audience as often as an aim
    ("formation pour les membres"), so only verbs are read."""
    out: list[Any] = []
    for t in doc:
        if t.pos_ not in {"VERB", "AUX"} and t.dep_ not in {"acl", "advcl"}:
            continue
        marks = {fold_text(c.text) for c in t.children if c.dep_ in {"mark", "case"}}
        marks |= {fold_text(g.text) for c in t.children if c.dep_ == "mark" for g in c.children if g.dep_ == "fixed"}
        aimed = t.dep_ in {"xcomp", "obl", "ccomp"} and fold_text(t.head.lemma_) in PURPOSE_VERBS
        aimed = aimed or (t.head.i != t.i and fold_text(t.head.text) in PURPOSE_MARKS)  # "afin d'accroître": the
        # parse may hang the verb on "afin" itself
        aimed = aimed or (
            t.head in out and bool(marks & LIST_MARKS) and marks & _marks_of(t.head) == marks & LIST_MARKS
        )
        # "visant à réduire …, à augmenter … et à renforcer": an aim's list repeats its mark, the parse hangs each
        # item on the one before
        if marks & PURPOSE_MARKS or aimed:
            out.extend(v for v in (t, *(c for c in t.children if _coordinated_verb(c))) if v not in out)
    return out


LIST_MARKS = frozenset({"a", "de", "d'", "d’"})
"""Folded marks an aim's infinitive repeats on each item of a list of aims ("visant à réduire …, à augmenter …")."""


def _marks_of(t: Any) -> set[str]:
    return {fold_text(c.text) for c in t.children if c.dep_ == "mark"}


def _coordinated_verb(t: Any) -> bool:
    """A verb coordinated with the one it hangs on: a conjunct, or an "xcomp" the parse gives a coordinating word
    ("pour développer et commercialiser des ingrédients": the French model hangs "commercialiser" as a complement
    of "développer", with "et" as its own child)."""
    return t.pos_ == "VERB" and (t.dep_ == "conj" or (t.dep_ == "xcomp" and any(c.dep_ == "cc" for c in t.children)))


TOPIC_CASES = frozenset({"sur", "concernant", "about", "over", "uber", "betreffende"})
"""Folded case words that make a complement the subject of what the verb does ("échanger sur l'export", "talk
about markets"): a subject discussed, not the thing the aim reaches for (R9 decides a subject's axis)."""


def _topic(t: Any) -> bool:
    return any(c.dep_ == "case" and fold_text(c.text) in TOPIC_CASES for c in t.children)


def _reached(verb: Any, steps: int, deps: frozenset[str] = REACH_DEPS) -> list[Any]:
    """The words an aim's verb aims at: down ``deps`` at most ``steps`` steps, a conjunct standing for the word it
    is coordinated with ("rapprocher l'offre et la demande"; an object the tagger takes for a verb, "l'offre",
    still counts); not into a subject the verb discusses (:data:`TOPIC_CASES`)."""
    found, layer = [], [verb]
    for _ in range(steps):
        layer = [
            c
            for t in layer
            for c in t.children
            if c.dep_ in deps and (c.pos_ != "VERB" or c.dep_ == "obj") and not _topic(c)
        ]
        layer += [c for t in layer for c in t.children if c.dep_ == "conj" and c.pos_ != "VERB"]
        layer += [
            g
            for t in layer
            if _cases_of(t) & GENITIVE and (_lemma(t) in MEMBER_WORDS or fold_text(t.text) in MEMBER_WORDS)
            for g in t.children
            if _cases_of(g) & DATIVE
        ]
        found.extend(layer)
    return found


GENITIVE = frozenset({"de", "des", "du", "d'", "d’"})
DATIVE = frozenset({"a", "au", "aux"})
"""Case words of a noun's two complements, the firms it is for and where it takes them ("l'accès des jeunes
entreprises aux investisseurs", "l'ouverture des PME aux marchés"): the parse often hangs the second on the firms,
one step too deep; :func:`_reached` takes it at the firms' depth, beside them. A "à" complement of anything
else ("méthodes d'appui à l'internationalisation") stays where the parse puts it."""


def _cases_of(t: Any) -> set[str]:
    return {fold_text(c.text) for c in t.children if c.dep_ == "case"}


COMMERCE_NOUNS = frozenset(
    {
        "marche",
        "debouche",
        "client",
        "clientele",
        "acheteur",
        "investisseur",
        "export",
        "exportation",
        "importateur",
        "distributeur",
        "vente",
        "internationalisation",
        "prospection",
        "affaire",
        "market",
        "customer",
        "buyer",
        "investor",
        "markt",
        "klant",
        "kunde",
    }
)
"""Folded lemmas of axis 2's objects (« liens commerciaux », the decree's « seuil de compétitivité »; CONVENTIONS:
buyers, investors, client sectors, tenders, exports): what a commercial aim reaches for."""
COMMERCE_VERBS = frozenset(
    {
        "exporter",
        "vendre",
        "commercialiser",
        "prospecter",
        "export",
        "sell",
        "verkopen",
        "exporteren",
        "exportieren",
        "verkaufen",
        "vermarkten",
    }
)
"""Folded lemmas of selling and exporting as the aim's own verb ("visant à exporter l'innovation")."""
FOREIGN_COMMERCE = frozenset(
    {
        "markets",
        "markten",
        "markte",
        "afzet",
        "afzetmarkt",
        "exports",
        "exporte",
        "sales",
        "verkoop",
        "verkauf",
        "vertrieb",
        "handel",
        "trade",
        "customers",
        "clients",
        "klanten",
        "kunden",
        "buyers",
        "inkopers",
        "einkaufer",
        "investors",
        "investeerders",
        "investoren",
        "zakelijk",
        "zakelijke",
        "geschaft",
        "geschafte",
        "geschaftlich",
        "geschaftliche",
        "commercieel",
        "commerciele",
        "kommerziell",
    }
)
"""Axis 2's strands as the French model leaves English, Dutch and German words (folded forms, not lemmas); not
"business", which names agencies ("Business Upper Austria") more often than a strand."""
COMMERCE_WORDS = (
    COMMERCE_NOUNS
    | COMMERCE_VERBS
    | {
        "commercial",
        "commerciale",
        "commercialisation",
        "financement",
        "financer",
        "subside",
        "subvention",
        "investissement",
        "investir",
        "fournisseur",
        "sous-traitant",
        "sous-traitance",
        "sous-traiter",
        "donneur",
        "opportunite",
        "achat",
        "acheter",
        "b2b",
        "tender",
        "funding",
        "financing",
        "finanzierung",
        "financiering",
    }
    | FOREIGN_COMMERCE
)
"""Folded lemmas that state a strand of axis 2 anywhere in a row (commerce, buyers and suppliers, exports, funding
and investment, tenders: axis 2's definition and R9's business subjects): a row naming none of them states no
commercial aim."""
NEGATIONS = frozenset({"pas", "ne", "n'", "n’", "point", "jamais", "not", "niet", "nicht", "kein", "geen"})
"""Folded words by which the parse negates a verb ("non pas pour vendre"): a negated aim is no aim."""
DISCUSSING_VERBS = frozenset(
    {"discuter", "debattre", "parler", "discuss", "debate", "talk", "bespreken", "diskutieren", "besprechen"}
)
"""Folded lemmas of verbs whose object is a subject talked about ("pour … discuter des besoins du marché",
"to discuss market needs"): what they reach is a topic, as under :data:`TOPIC_CASES`, not the aim's object, unless
the row meets buyers (:data:`COUNTERPARTS`, R10: "avec des importateurs pour discuter des marchés")."""
COUNTERPARTS = frozenset(
    {
        "client",
        "clientele",
        "acheteur",
        "investisseur",
        "importateur",
        "distributeur",
        "customer",
        "buyer",
        "investor",
        "importer",
    }
)
"""Folded lemmas of the buyers and investors of R10, with whom talking about markets is doing business."""
BRINGING_VERBS = frozenset({"rapprocher", "connecter", "relier", "mettre", "connect", "match", "verbinden"})
"""Folded lemmas of bringing parties together ("rapprocher l'offre et la demande", "mettre en relation"):
commercial links when a buyer's or a supplier's side is among what is brought together."""
BUYER_SIDES = frozenset(
    {
        "offre",
        "demande",
        "fournisseur",
        "acheteur",
        "client",
        "clientele",
        "utilisateur",
        "donneur",
        "groupe",
        "supply",
        "demand",
        "supplier",
        "buyer",
        "customer",
        "klant",
        "afnemer",
        "leverancier",
        "kunde",
        "lieferant",
        "kaufer",
    }
)
"""Folded lemmas of a market's sides other than firms as such: supply and demand, buyers, clients, suppliers, large
groups (the buyers open innovation brings to start-ups).
Firms brought together with one another or with laboratories are networking (1) or research (3), not a market:
firms count as a side only when one of these is the other."""
MARKET_SIDES = MEMBER_WORDS | BUYER_SIDES
"""Folded lemmas of the parties of a market: firms, their supply and the demand they meet."""
PARTNERING = frozenset(
    {
        "cooperation",
        "collaboration",
        "partenariat",
        "partenaire",
        "consortium",
        "coentreprise",
        "partnership",
        "partner",
        "samenwerking",
        "kooperation",
        "zusammenarbeit",
        "partnerschaft",
    }
)
"""Folded lemmas of a partnership (axis 3's « développement de partenariats »)."""
PARTIES = frozenset({"partenaire", "partner"})
"""Folded lemmas of a partnership's parties rather than of the partnership itself."""
SEEKING = frozenset({"recherche", "rechercher", "chercher", "identifier", "explorer", "trouver", "susciter", "search"})
"""Folded lemmas of seeking a partnership as the row's own action ("recherche de partenaires pour les projets des
membres"): the partnership is its stated aim."""


FOREIGN_PURPOSE = {
    "en": (("in", "order", "to"), ("so", "as", "to"), ("aimed", "at"), ("aiming", "at"), ("aiming", "to"), ("to",)),
    "nl": (("om",), ("met", "als", "doel"), ("gericht", "op"), ("ter",)),
    "de": (("um",), ("mit", "dem", "ziel"), ("zur",), ("zum",)),
}
"""Folded purpose marks of English, Dutch and German rows, whose words the French parser leaves unattached ("to
open new markets", "om nieuwe markten te openen", "um neue Märkte zu erschließen", "zur Erschließung neuer
Märkte"). "to" before an article, a name, a number or a plural is a preposition ("to the members", "to Norway",
"to exporters")."""
VERB_FINAL = {"nl": "te", "de": "zu"}
"""The infinitive mark of a Dutch or German purpose clause, whose verb comes last ("om nieuwe markten te openen"):
"om" or "um" with no infinitive before the clause's end is a preposition ("om 10 uur", "um den See")."""
NOUN_FIRST = frozenset({("ter",), ("zur",), ("zum",), ("gericht", "op"), ("aimed", "at"), ("aiming", "at")})
"""Marks whose aim is a noun phrase ("ter bevordering van de export", "aimed at new markets"); after the others the
aim is a verb and its object ("to open new markets")."""
ACTION_ENDINGS = {"en": ("ion", "ment", "ing"), "nl": ("ing",), "de": ("ung",)}
"""Endings of nouns that name an action ("development", "bevordering", "Erschließung"): their "of" complement is
what the aim reaches for ("ter bevordering van de export"); another noun's is not ("ter gelegenheid van de beurs":
on the occasion of the fair, no aim)."""
OF = frozenset({"of", "van", "von", "der", "des"})
"""Words that open an action noun's complement ("the opening of markets", "zur Erschließung der Märkte")."""
PREPOSITIONS = {
    "en": frozenset({"about", "into", "between", "among", "across", "towards", "through", "within", "under", "during"}),
    "nl": frozenset({"in", "aan", "uit", "over", "tussen", "tijdens", "na", "onder", "rond"}),
    "de": frozenset({"in", "an", "aus", "uber", "zwischen", "nach", "wahrend", "vor", "durch", "unter", "zur", "zum"}),
}
"""Prepositions of each language beyond its lexicon's function words (:mod:`miner.data.lexicon`): a noun phrase
ends before one ("partnerships between companies": the aim is the partnerships)."""
CLAUSE_ENDS = frozenset({",", ";", ":", ".", "(", ")", "!", "?", "–", "—"})
"""Punctuation that ends a purpose clause read word by word."""
FOREIGN_AIMS = COMMERCE_NOUNS | COMMERCE_VERBS | FOREIGN_COMMERCE
"""Folded words of axis 2's objects and verbs an English, Dutch or German aim reaches for."""
PLURALS = ("s", "en", "n", "e")
"""Endings of English, Dutch and German plurals, which the French lemmatiser leaves on the word."""


def _foreign_word(token: Any, vocabulary: frozenset[str]) -> bool:
    word = fold_text(token.text)
    return word in vocabulary or any(word.endswith(x) and word[: -len(x)] in vocabulary for x in PLURALS)


@lru_cache(maxsize=None)
def _boundaries(language: str) -> frozenset[str]:
    """Folded function words and prepositions of a language, which end a noun phrase read word by word."""
    return frozenset(fold_text(w) for w in lexicon(language).function_words) | PREPOSITIONS[language]


def _clause(doc: Any, start: int) -> list[Any]:
    """The words from ``start`` to the clause's end, a subject discussed (:data:`TOPIC_CASES`: "to talk about
    markets") or a negation ("not to sell"), which end an aim."""
    out = []
    for t in doc[start:]:
        if t.text in CLAUSE_ENDS or fold_text(t.text) in TOPIC_CASES | NEGATIONS:
            break
        out.append(t)
    return out


def _phrases(words: Sequence[Any], language: str) -> tuple[list[Any], int]:
    """The heads of the noun phrases ``words`` open, coordinated ones included ("new markets and buyers"), and
    where they stop: at a preposition or another function word of the language (its lexicon's), past which a
    word is a complement, not the aim ("the new market study to members": the head is "study", head-final as
    English, Dutch and German phrases are). An action noun's "of" complement is read on ("the opening of
    markets")."""
    function = _boundaries(language)
    coordinators = {"and", "or", "en", "of", "und", "oder"} - ({"of"} if language == "en" else set())
    heads: list[Any] = []
    last = None
    for n, t in enumerate(words):
        word = fold_text(t.text)
        if word in ARTICLES or t.pos_ in {"DET", "NUM"}:
            continue
        if word in coordinators:
            if last is not None:
                heads.append(last)
            last = None
            continue
        if word in function or t.pos_ == "ADP":
            if last is not None and word in OF and fold_text(last.text).endswith(ACTION_ENDINGS[language]):
                heads.append(last)
                last = None
                continue
            return ([*heads, last] if last is not None else heads), n
        last = t
    return ([*heads, last] if last is not None else heads), len(words)


FOREIGN_TOPICS = {
    "en": frozenset({"on", "about", "how"}),
    "nl": frozenset({"over", "hoe"}),
    "de": frozenset({"uber", "wie"}),
}
"""Folded words that open a subject discussed in an English, Dutch or German row ("Seminar on how to open new
markets", "Workshop over nieuwe markten", "Seminar über neue Märkte"): the words after them to the clause's end are
what a talk is about, not its aim. French rows are read from the parse (:data:`TOPIC_CASES`)."""


def _discussed_words(doc: Any, language: str) -> set[int]:
    """The token indices of an English, Dutch or German row that a topic word (:data:`FOREIGN_TOPICS`) opens, to the
    clause's end."""
    topics = FOREIGN_TOPICS.get(language, frozenset())
    out: set[int] = set()
    inside = False
    for t in doc:
        if t.text in CLAUSE_ENDS:
            inside = False
        elif inside:
            out.add(t.i)
        inside = inside or fold_text(t.text) in topics
    return out


def discussed_terms(doc: Any, lemmas: Sequence[str], pairs: Sequence[tuple[str, str]]) -> set[str]:
    """Terms of a format (``pairs`` of term and folded lemmas, as :func:`miner.tag.facts.load_event_formats` gives
    them) whose every occurrence is what the row talks about, not what it does or aims at: under a topic case the
    parse hangs on the row's event ("séminaire sur la manière d'ouvrir de nouveaux marchés"; not "entrer sur les
    marchés", "des offres sur de nouveaux marchés", where "sur" is where), after a topic word of an English, Dutch or
    German row ("Seminar on how to open new markets"), or, in such a row, a word describing the noun after it, which
    heads the phrase ("the new market study": a study)."""
    language = detect_language(doc.text) or ""
    foreign = language in FOREIGN_PURPOSE
    discussed = _discussed_words(doc, language) if foreign else set()
    ends = _boundaries(language) | {"and", "or", "en", "of", "und", "oder"} if foreign else frozenset()
    heads = set(event_heads(doc))
    by_lemma = [fold_text(lemma) for lemma in lemmas]
    by_text = [fold_text(t.text) for t in doc]
    out = set()
    for term, folded in pairs:
        spans = term_spans(by_lemma, by_text, folded.split(), fold_text(term).split())

        def talked(span: range) -> bool:
            path = [t for i in span for t in (doc[i], *doc[i].ancestors)]
            if any(_topic(t) and t.head.i in heads for t in path) or span[0] in discussed:
                return True
            after = doc[span[-1] + 1] if span[-1] + 1 < len(doc) else None
            return (
                foreign
                and after is not None
                and after.text not in CLAUSE_ENDS
                and not after.is_punct
                and fold_text(after.text) not in ends
            )

        if spans and all(talked(span) for span in spans):
            out.add(term)
    return out


def foreign_aims(doc: Any) -> list[list[Any]]:
    """The words each stated aim of an English, Dutch or German row reaches for (:data:`FOREIGN_PURPOSE`), read in
    the sentence's order where the French parse has no heads for them: the aim's verb and the heads of its
    object's noun phrases ("to open new markets": open, markets; "om nieuwe markten te openen": markten,
    openen), or the head of the noun phrase a noun mark opens (:data:`NOUN_FIRST`), never every word to the
    clause's end ("to present the new market study to members" aims at a study, "ter gelegenheid van de beurs"
    at no market). French rows give none: their parse decides (:func:`aim_verbs`)."""
    language = detect_language(doc.text) or ""
    marks = FOREIGN_PURPOSE.get(language, ())
    words = [fold_text(t.text) for t in doc]
    discussed = _discussed_words(doc, language)
    out, i = [], 0
    while i < len(doc):
        mark = next((m for m in marks if tuple(words[i : i + len(m)]) == m), None)
        if mark is None:
            i += 1
            continue
        if i in discussed:  # "Seminar on how to open new markets": the subject of a seminar, not its aim
            i += len(mark)
            continue
        start = i + len(mark)
        after = doc[start] if start < len(doc) else None
        preposition = mark == ("to",) and (
            after is None
            or words[start] in ARTICLES
            or after.text[:1].isupper()
            or after.like_num
            or (words[start].endswith("s") and not words[start].endswith("ss"))  # a plural: "to exporters"
        )
        clause = [] if preposition or (i and words[i - 1] in NEGATIONS) else _clause(doc, start)
        aimed: list[Any] = []
        if clause and mark in NOUN_FIRST:
            if mark[0] == "aimed" or mark[0] == "aiming":  # "aimed at increasing exports": a verb
                gerund = fold_text(clause[0].text).endswith("ing")
                aimed = [clause[0], *_phrases(clause[1:], language)[0]] if gerund else _phrases(clause, language)[0]
            else:
                aimed = _phrases(clause, language)[0]
        elif clause and language in VERB_FINAL:
            mark_at = next((n for n, t in enumerate(clause) if fold_text(t.text) == VERB_FINAL[language]), None)
            if mark_at is not None:
                aimed = [*_phrases(clause[:mark_at], language)[0], *clause[mark_at + 1 : mark_at + 2]]
        elif clause:
            aimed = [clause[0], *_phrases(clause[1:], language)[0]]
        talk = aimed and _foreign_word(aimed[-1] if language in VERB_FINAL else aimed[0], DISCUSSING_VERBS)
        if talk and not any(_foreign_word(t, COUNTERPARTS) for t in doc):
            aimed = []  # "to discuss market needs": a subject talked about, no aim
        if aimed:
            out.append(aimed)
        i = start
    return out


def _lemma(t: Any) -> str:
    return fold_text(t.lemma_)


def _negated(verb: Any) -> bool:
    """Whether the parse negates the verb ("non pas pour vendre", "not to sell")."""
    return any(c.dep_ == "advmod" and fold_text(c.text) in NEGATIONS for c in verb.children)


def commercial_aims(doc: Any, settings: AimSettings | None = None) -> list[str]:
    """The commercial links a stated aim reaches for (axis 2): selling or exporting as the aim's verb ("visant à
    exporter"), a market, buyers, investors, exports or business as what it aims at ("pour ouvrir de nouveaux
    marchés", "afin d'accroître les exportations"), or firms, supply and demand brought together ("pour
    rapprocher l'offre et la demande"). Bringing parties together into a partnership ("rapprocher PME et
    instituts dans des coopérations de R&D") is axis 3's aim, not commerce, and firms brought only to one another
    or to laboratories no market. A market aimed at under an information or study head is that session's
    subject (R9: 1;2), which the rules weigh; a negated aim ("non pas pour vendre") is none. Words as they
    stand in the sentence."""
    found = []
    buyers_met = any(t.pos_ in {"NOUN", "PROPN"} and _lemma(t) in COUNTERPARTS for t in doc)
    for verb in aim_verbs(doc):
        if _negated(verb) or (_lemma(verb) in DISCUSSING_VERBS and not buyers_met):
            continue
        reached = _reached(verb, (settings or AimSettings()).commerce_reach)
        low = _lemma(verb)
        if low in COMMERCE_VERBS:
            found.append(verb.text)
        for t in reached:
            if t.pos_ in {"NOUN", "PROPN"} and _lemma(t) in COMMERCE_NOUNS:
                if _lemma(t) == "marche" and any(_lemma(c) in {"public", "travail"} for c in t.children):
                    continue  # a public procurement market is R9's subject, the labour market no market of firms
                found.append(t.text)
        if _brings(verb, reached):
            sides, buyers = _sides(reached)
            if buyers and not any(_lemma(t) in PARTNERING for t in reached):
                found.append(f"{verb.text} {sides[0].text}")
    return found + [t.text for window in foreign_aims(doc) for t in window if _foreign_word(t, FOREIGN_AIMS)]


def _brings(verb: Any, reached: Sequence[Any]) -> bool:
    """Whether the verb brings parties together ("rapprocher", "mettre en relation")."""
    low = _lemma(verb)
    return low in BRINGING_VERBS and (low != "mettre" or any(_lemma(c) == "relation" for c in reached))


def _sides(tokens: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """The market's sides among ``tokens``, and those of them that are a buyer's or a supplier's side."""
    sides = [t for t in tokens if _lemma(t) in MARKET_SIDES or fold_text(t.text) in MARKET_SIDES]
    return sides, [t for t in sides if _lemma(t) in BUYER_SIDES or fold_text(t.text) in BUYER_SIDES]


def market_sides(doc: Any, settings: AimSettings | None = None) -> list[str]:
    """Two sides of a market brought together by the row's own action, not only as its aim (axis 2's « liens
    commerciaux »; R10's meetings with buyers and client sectors): the parties a word opens by "entre"
    (:data:`BETWEEN`: "rencontre annuelle entre les fabricants et leurs fournisseurs", "intermédiaire entre des
    fournisseurs de technologies et des entreprises"), or what a verb of bringing together reaches ("mettant en
    relation les entreprises avec des fournisseurs"). One side must be a buyer's or a supplier's
    (:data:`BUYER_SIDES`) and another a side of the market too: suppliers with researchers ("échange entre
    fournisseurs et chercheurs") are no market, a partnership between the sides is axis 3's
    (:func:`firm_partnerships`), and sides a talk is about ("conférence sur les relations entre fournisseurs et
    clients") are its subject. The parties must meet in the row's own action: "entre" hangs on an event head of
    the row (:func:`miner.tag.eventhead.event_heads`), a verb, or a verb's predicative complement ("servant
    d'intermédiaire entre"), not on a thing the row compares or studies ("comparaison des prix entre fournisseurs
    et clients": the prices lie between them, the row brings no one together)."""
    found = []
    actions = set(event_heads(doc))
    for t in doc:
        if t.dep_ not in {"nmod", "obl", "obl:mod"} or _lemma(t.head) in PARTNERING:
            continue
        if not (t.head.i in actions or t.head.pos_ in {"VERB", "AUX"} or t.head.dep_ == "obl:arg"):
            continue
        if not any(c.dep_ == "case" and fold_text(c.text) in BETWEEN for c in t.children):
            continue
        # the parse often hangs the next party on the first one's complement ("entre les fabricants de meubles et
        # leurs fournisseurs"): every conjunct under the first party is a party
        sides, buyers = _sides([t, *(c for c in t.subtree if c.dep_ == "conj")])
        if buyers and len(sides) > 1 and not any(_topic(a) for a in [t.head, *t.head.ancestors]):
            found.append(f"{t.head.text} … {buyers[0].text}")
    for verb in doc:
        if verb.pos_ not in {"VERB", "AUX"} or _negated(verb) or any(_topic(a) for a in verb.ancestors):
            continue
        reached = _reached(verb, (settings or AimSettings()).commerce_reach)
        if _brings(verb, reached) and not any(_lemma(t) in PARTNERING for t in reached):
            sides, buyers = _sides(reached)
            if buyers and len(sides) > 1:
                found.append(f"{verb.text} … {buyers[0].text}")
    return list(dict.fromkeys(found))


def _after_pour(token: Any) -> bool:
    """A partnership that "pour" governs, itself ("pour des coopérations") or as the "de" complement of the noun it
    governs ("pour des actions de coopération entre firmes"): an aim, not an audience, since a partnership
    is no public. Partners after "pour" ("pour quinze partenaires", "pour X avec des partenaires") are a public."""

    def cases(t: Any) -> set[str]:
        return {fold_text(c.text) for c in t.children if c.dep_ == "case"}

    if _lemma(token) in PARTIES:
        return False
    if cases(token) & PURPOSE_MARKS:
        return True
    return token.dep_ == "nmod" and bool(cases(token) & {"de", "d'", "d’"}) and bool(cases(token.head) & PURPOSE_MARKS)


INTO_CASES = frozenset({"dans", "en", "autour", "vers", "into", "in"})
"""Folded case words of what an aim brings parties together into ("rapprocher PME et instituts dans des coopérations
de R&D", "réunir … autour de projets"): a partnership there is the aim, as a verb's object is."""


def partnership_aims(doc: Any, settings: AimSettings | None = None) -> list[str]:
    """A partnership a stated aim reaches for (axis 3: « the text must state a partnership, or its aim »): a
    partnership noun the aim's verb aims at ("pour explorer des coopérations", "pour susciter de nouveaux
    partenariats") or that "pour" governs ("pour des activités de coopération"), or one the row seeks as its own action ("recherche de partenaires pour les projets des
    membres"). Whether members take part is the rules' question. Words as they stand in the sentence."""
    aimed = [
        t
        for verb in aim_verbs(doc)
        for t in _reached(verb, (settings or AimSettings()).partnership_reach, OBJECT)
        if _lemma(t) in PARTNERING
    ]
    aimed += [
        t
        for verb in aim_verbs(doc)
        if _lemma(verb) in BRINGING_VERBS
        for t in _reached(verb, (settings or AimSettings()).commerce_reach)
        if _lemma(t) in PARTNERING and _cases_of(t) & INTO_CASES and t not in aimed
    ]
    aimed += [t for t in doc if _lemma(t) in PARTNERING and t not in aimed and _after_pour(t)]
    sought = [t for t in doc if _lemma(t) in PARTNERING and _lemma(t.head) in SEEKING and t.dep_ in {"obj", "nmod"}]
    found = [t.text for t in aimed] + [f"{t.head.text} {t.text}" for t in sought if t not in aimed]
    found += [t.text for window in foreign_aims(doc) for t in window if _foreign_word(t, PARTNERING - PARTIES)]
    return list(dict.fromkeys(found))


BETWEEN = frozenset({"entre", "between", "among", "tussen", "zwischen", "unter"})
"""Folded case words that name a partnership's parties ("coopérations entre PME et laboratoires")."""
FIRM_PARTIES = MEMBER_WORDS | MEMBERS_ABROAD | {"industrie", "industry", "industries"}
"""Folded lemmas (and the English, Dutch, German plurals the French model leaves as they are) of firms as a
partnership's party: an industry is its firms."""


def members_outside_aims(doc: Any) -> list[str]:
    """Member or firm words that stand outside every stated aim (:func:`aim_verbs`' subtrees). Firms an aim is
    for ("pour internationaliser ces clusters et leurs entreprises", "visant à soutenir les PME") benefit from a
    joint action of organisations; they are not its partners (axis 3 needs « partenariats impliquant des
    membres »). An aim that reaches for a partnership or brings firms together ("pour rapprocher PME et instituts
    dans des coopérations", "pour réunir les membres dans des projets") makes its firms parties: their words count. English, Dutch and German aims are read as
    :func:`foreign_aims` reads them."""
    aims = [
        v
        for v in aim_verbs(doc)
        if _lemma(v) not in BRINGING_VERBS | GATHERING_VERBS and not any(_lemma(w) in PARTNERING for w in v.subtree)
    ]
    inside = {w.i for v in aims for w in v.subtree}
    inside |= {
        t.i for window in foreign_aims(doc) if not any(_foreign_word(t, PARTNERING) for t in window) for t in window
    }
    words = MEMBER_WORDS | MEMBERS_ABROAD
    return [t.text for t in doc if t.i not in inside and (fold_text(t.lemma_) in words or fold_text(t.text) in words)]


def firm_partnerships(doc: Any) -> list[str]:
    """Partnerships whose stated parties include firms or members ("coopérations entre l'industrie et les
    laboratoires", "partnerships between companies of both regions"): axis 3's « partenariats impliquant des
    membres » even when the row's partner is another cluster, whose own cooperation with the cluster (« la
    coopération entre les deux clusters ») is R13's 5 alone. The parties are the partnership noun's complements the
    parse opens by "entre" (:data:`BETWEEN`) and their conjuncts; not a partnership the row discusses
    (:data:`TOPIC_CASES`: "échange sur la coopération entre l'industrie et la recherche"), as for the market's
    sides and test beds."""
    found = []
    for t in doc:
        if _lemma(t) not in PARTNERING or _topic(t) or any(_topic(a) for a in t.ancestors):
            continue
        for c in t.children:
            if c.dep_ not in {"nmod", "obl", "obl:mod"} or not any(
                g.dep_ == "case" and fold_text(g.text) in BETWEEN for g in c.children
            ):
                continue
            parties = [c, *(g for g in c.children if g.dep_ == "conj")]
            if any(_lemma(p) in FIRM_PARTIES or fold_text(p.text) in FIRM_PARTIES for p in parties):
                found.append(doc[t.i : c.i + 1].text if c.i - t.i < 6 else f"{t.text} … {c.text}")
    return found + _foreign_firm_partnerships(doc)


FOREIGN_BETWEEN = BETWEEN - {"entre", "unter"}
"""The words that open a partnership's parties when read word by word: not the German "unter", as often "under"
("Kooperation unter der Leitung des Ministeriums mit zehn Unternehmen") as "among", which the parse alone tells
apart."""


def _foreign_firm_partnerships(doc: Any) -> list[str]:
    """:func:`firm_partnerships` in an English, Dutch or German row, whose words the French parser leaves
    unattached ("partnerships between companies of both regions", "samenwerking tussen bedrijven"): a
    partnership word, "between" right after it, and firms among the words up to the clause's end; as
    :func:`foreign_aims` reads an aim, word by word, and not in a clause about a subject (:data:`TOPIC_CASES`)."""
    if (detect_language(doc.text) or "") not in FOREIGN_PURPOSE:
        return []
    found, topic = [], False
    for i, t in enumerate(doc[:-1]):
        if t.text in CLAUSE_ENDS:
            topic = False
        topic = topic or fold_text(t.text) in TOPIC_CASES
        if topic or not _foreign_word(t, PARTNERING) or fold_text(doc[i + 1].text) not in FOREIGN_BETWEEN:
            continue
        for u in doc[i + 2 :]:
            if u.text in CLAUSE_ENDS or fold_text(u.text) in TOPIC_CASES:
                break
            if _foreign_word(u, FIRM_PARTIES):
                found.append(f"{t.text} {doc[i + 1].text} … {u.text}")
                break
    return found


TESTING = frozenset(
    {
        "tester",
        "test",
        "essai",
        "experimenter",
        "experimentation",
        "demonstrateur",
    }
)
"""Folded lemmas of testing, trying out or demonstrating a product before it is sold ("tester", "installations
d'essai", "démonstrateur"): not "pilote", which names steering ("copilotage") as often as a trial."""
TRYING_BUYERS = frozenset({"client", "acheteur", "utilisateur"})
"""Folded lemmas of buyers, who try out a product as the subject of a test ("des clients testent"): firms or
members testing their own product run a project (R14, R15 decide), not a step to a buyer."""
TESTED_FOR = FIRM_PARTIES | TRYING_BUYERS
"""Folded lemmas of those a test facility or a trial is offered to, or run with ("avec des entrepreneurs")."""
TESTER_DEPS = frozenset({"nsubj", "nsubj:pass", "obl:agent"})


def _holders(token: Any, steps: int) -> list[Any]:
    """The word and the nouns it complements, up to ``steps`` up ("la mise à disposition d'installations d'essai
    pour les PME": the PME are the offer's, so the test facility's, beneficiary)."""
    out = [token]
    while len(out) <= steps and out[-1].dep_ == "nmod" and out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _word_in(token: Any, vocabulary: frozenset[str]) -> bool:
    return _lemma(token) in vocabulary or fold_text(token.text) in vocabulary


def _own_product(test: Any) -> bool:
    """Whether firms or members test their own product: the testing word's subject is firms ("quatre membres
    testent"), or what is tested is theirs ("leurs produits", "produits des membres"). Firms beside them are then
    partners in a project (R14, R15 decide), not buyers trying it out: only clients or users make it a step to
    a market."""
    if any(c.dep_ in TESTER_DEPS and _word_in(c, FIRM_PARTIES) for c in test.children):
        return True
    tested = [
        c
        for c in test.children
        if c.dep_ in {"obj", "nmod"} and not _cases_of(c) - GENITIVE and not _word_in(c, TESTED_FOR)
    ]
    return any(
        any(d.dep_ == "det" and "Poss=Yes" in d.morph for d in c.children)
        or any(g.dep_ == "nmod" and _cases_of(g) & GENITIVE and _word_in(g, FIRM_PARTIES) for g in c.children)
        for c in tested
    )


def test_beds(doc: Any, settings: AimSettings | None = None) -> list[str]:
    """Firms' products tried out with users, or test facilities offered to firms (R15's support for members'
    innovation projects, 2: a trial is a step to the market): a testing word (:data:`TESTING`) whose subject or
    companion is firms or clients ("des clients testent de nouveaux matériaux", "tester avec des entrepreneurs des
    solutions"), or whose owner or beneficiary is ("les installations d'essai des entreprises", "un démonstrateur
    pour les PME"). A test run by a laboratory or a university alone, or whose subject is discussed, is not
    one."""
    found = []
    for t in doc:
        if _lemma(t) not in TESTING or _topic(t) or any(_topic(a) for a in t.ancestors):
            continue
        companions = TRYING_BUYERS if _own_product(t) else TESTED_FOR
        for h in _holders(t, (settings or AimSettings()).test_holders):
            users = [
                c
                for c in h.children
                if c.dep_ in TESTER_DEPS | {"obl", "obl:mod", "obl:arg", "nmod"}
                and _word_in(c, TRYING_BUYERS if c.dep_ in TESTER_DEPS else companions)
            ]
            if users:
                u = users[0]
                found.append(
                    f"{t.text} … {u.text}" if abs(u.i - t.i) > 2 else doc[min(t.i, u.i) : max(t.i, u.i) + 1].text
                )
                break
    return list(dict.fromkeys(found))


SUPPORTING = frozenset(
    {
        "soutien",
        "soutenir",
        "financement",
        "financer",
        "cofinancement",
        "cofinancer",
        "facilitation",
        "faciliter",
        "labellisation",
        "labelliser",
        "accompagnement",
        "accompagner",
        "suivi",
        "suivre",
        "encadrement",
        "encadrer",
        "selection",
        "selectionner",
        "coaching",
        "aide",
        "aider",
        "appui",
        "appuyer",
        "support",
        "funding",
        "fund",
        "begeleiding",
        "forderung",
        "unterstutzung",
    }
)
"""Folded lemmas of supporting, funding, labelling or selecting something (R15's « support for members' own
innovation or investment projects »), not of carrying it out ("montage", "conduite", "portage" of a project are
the cluster's own work)."""
SUPPORTED = frozenset({"projet", "project", "candidature", "demande", "investissement", "creation"})
"""Folded lemmas of what R15's support is given to: projects, applications, investments, new firms."""


HELPING = frozenset({"aider", "soutenir", "accompagner", "encourager", "appuyer", "inciter", "stimuler", "permettre"})
"""Folded lemmas of helping someone do something ("aider les PME à développer", "permettre aux entreprises de")."""
HELPED_DEPS = frozenset({"obj", "iobj", "obl:arg"})
"""Relations by which a helping verb takes whom it helps ("aider les PME", "permettre aux entreprises")."""
DOING_MARKS = frozenset({"a", "de", "d'", "d’"})
"""Marks of the infinitive saying what the helped do ("à concevoir", "de valoriser")."""


KNOWING_VERBS = frozenset({"visiter", "decouvrir", "connaitre", "apprendre", "observer"})
"""Folded lemmas of what members do to get to know the domain (axis 1): a trip "permettant aux membres de visiter des
usines" lets them learn, it helps no project of theirs. Not meeting: meeting clients is R10's 2."""


def _firms_project(t: Any) -> bool:
    """Whether the word is a project, an investment or an application whose "de" complement is firms or members
    ("les projets de R&D des entreprises", "les investissements des PME"), one step down through the project's own
    kind ("projets de R&D")."""
    if not _word_in(t, SUPPORTED):
        return False
    owners = [c for c in t.children if c.dep_ == "nmod" and _cases_of(c) & GENITIVE]
    owners += [g for c in owners for g in c.children if g.dep_ == "nmod" and _cases_of(g) & GENITIVE]
    return bool(_firms_among(owners))


def _helping(t: Any) -> bool:
    """A helping verb, also where the French model leaves a present form as its lemma ("qui aide membres et clients
    à accéder": lemma "aide"), read only on a verb so that the noun "aide" is not one."""
    return _lemma(t) in HELPING or (t.pos_ == "VERB" and _lemma(t) + "r" in HELPING)


def helped_firms(doc: Any) -> list[str]:
    """Firms or members helped to do something of their own (R15's support for members' own innovation or
    investment projects, 2): a helping verb (:data:`HELPING`) whose object is firms or members and that governs, by
    "à" or "de", the infinitive of what they do ("pour aider les entreprises à concevoir des produits", "aidant les
    PME à valoriser leurs innovations", "encourager les entreprises membres à s'impliquer dans des projets"), or
    whose object is the firms' own projects ("encourager de nouveaux projets de R&D des entreprises"). Firms
    helped with nothing they do ("accompagner de jeunes entreprises, protéger l'océan": a list of aims) or only to
    get to know something (:data:`KNOWING_VERBS`), a public helped, or the subject of a talk (:data:`TOPIC_CASES`)
    are not."""
    found = []
    for t in doc:
        if not _helping(t) or _negated(t) or any(_topic(a) for a in t.ancestors):
            continue
        projects = [c for c in t.children if c.dep_ in HELPED_DEPS and _firms_project(c)]
        if projects:
            found.append(f"{t.text} … {projects[0].text}")
            continue
        firms = [c for c in t.children if c.dep_ in HELPED_DEPS and _word_in(c, FIRM_PARTIES)]
        if not firms:
            continue
        doing = [
            v
            for v in (*t.children, *firms[0].children)
            if v.pos_ == "VERB" and any(m.dep_ == "mark" and fold_text(m.text) in DOING_MARKS for m in v.children)
        ]
        if doing and _lemma(doing[0]) not in KNOWING_VERBS:
            found.append(f"{t.text} … {doing[0].text}" if doing[0].i - t.i > 3 else doc[t.i : doing[0].i + 1].text)
    return found


ACCESS = frozenset({"acces", "acceder"})
"""Folded lemmas of access ("l'accès des PME aux technologies", "accéder aux financements")."""
ACCESS_GOODS = frozenset(
    {
        "technologie",
        "innovation",
        "equipement",
        "infrastructure",
        "laboratoire",
        "expertise",
        "financement",
        "fonds",
        "aide",
        "subvention",
        "subside",
        "capital",
        "credit",
        "investisseur",
        "marche",
        "client",
        "acheteur",
        "commande",
    }
)
"""Folded lemmas of what the decree's axis 2 lets firms reach (« leur permettant d'accéder à une capacité
innovatrice et à un seuil de compétitivité accrus »): technology and its facilities, funding and investors,
markets and buyers. Trainings, events or a website the firms reach are other axes' things."""
GIVING = frozenset({"donner", "donne", "ouvrir", "offrir", "faciliter", "permettre", "garantir", "elargir"})
"""Folded lemmas (and the form the French model leaves for "donne") of giving someone access ("donner aux PME accès
à", "ouvrir aux entreprises l'accès à"): the "à" complement of the verb is who gets it."""
HOLDER_DEPS = frozenset({"obj", "iobj", "obl:arg", "obl", "nsubj"})
"""Relations by which a verb of giving, helping or accessing takes who gets the access."""


def _firms_among(tokens: Sequence[Any]) -> list[Any]:
    """The firms or members among ``tokens`` and their conjuncts ("membres et clients extérieurs")."""
    every = [*tokens, *(c for t in tokens for c in t.children if c.dep_ == "conj")]
    return [t for t in every if _word_in(t, FIRM_PARTIES)]


def _access_holders(access: Any) -> list[Any]:
    """Who gets the access, as the parse says it: the noun's "de" complement ("l'accès des PME"); the "à"
    complement of the verb giving it ("donner aux entreprises accès", also where the parse hangs the access on
    them); the subject of "accéder", or the object of the verb that helps them to it ("aider les membres à
    accéder")."""
    holders = [c for c in access.children if c.dep_ == "nmod" and _cases_of(c) & GENITIVE]
    if access.pos_ == "VERB":
        holders += [c for c in access.children if c.dep_ in {"nsubj", "nsubj:pass"}]
        if access.dep_ == "xcomp":
            holders += [c for c in access.head.children if c.dep_ in HOLDER_DEPS - {"nsubj"}]
        return _firms_among(holders)
    giver = access.head
    if _cases_of(giver) & DATIVE and access.dep_ in {"amod", "nmod", "appos"}:
        holders.append(giver)  # "donner aux entreprises accès à": the parse hangs "accès" on the firms
        giver = giver.head
    if _lemma(giver) in GIVING or fold_text(giver.text) in GIVING:
        holders += [c for c in giver.children if c.dep_ in HOLDER_DEPS and _cases_of(c) & DATIVE]
    return _firms_among(holders)


def firms_access(doc: Any) -> list[str]:
    """Firms or members given access to technology, funding, investors or markets (axis 2 in the decree's own
    words: « leur permettant d'accéder à une capacité innovatrice et à un seuil de compétitivité accrus »): an
    access word (:data:`ACCESS`) whose "à" complement is one of :data:`ACCESS_GOODS` and whose holder the parse
    shows as firms or members (:func:`_access_holders`). Access the cluster gets ("ouvre au
    cluster l'accès aux aides"), access of things to people ("l'accès des technologies de santé aux soignants"),
    and access as a talk's subject ("conférence sur l'accès des PME au crédit") are not."""
    found = []
    for t in doc:
        if _lemma(t) not in ACCESS or _negated(t) or any(_topic(a) for a in [t, *t.ancestors]):
            continue
        goods = [c for c in t.children if c.dep_ in {"nmod", "obl", "obl:arg"} and _cases_of(c) & DATIVE]
        goods += [c for g in goods for c in g.children if c.dep_ == "conj"]
        reached = [g for g in goods if _word_in(g, ACCESS_GOODS)]
        if reached and _access_holders(t):
            found.append(
                doc[t.i : reached[0].i + 1].text if reached[0].i - t.i <= 3 else f"{t.text} … {reached[0].text}"
            )
    return list(dict.fromkeys(found))


PUBLIC_OWNERS = frozenset(
    {
        "commune",
        "ville",
        "municipalite",
        "province",
        "region",
        "etat",
        "gouvernement",
        "ministere",
        "administration",
        "cpas",
        "ecole",
        "lycee",
        "athenee",
        "college",
        "universite",
        "haute",
        "hopital",
        "musee",
        "bibliotheque",
        "municipality",
        "town",
        "city",
        "school",
        "university",
        "hospital",
        "gemeente",
        "stad",
        "provincie",
        "universiteit",
        "ziekenhuis",
        "gemeinde",
        "stadt",
        "schule",
        "universitat",
        "hochschule",
        "krankenhaus",
    }
)
"""Folded lemmas of public bodies, schools and universities: a project they own ("le projet de la commune de
Namur") is not a firm's, and support to it is not R15's support for members' projects."""


def _public_owner(project: Any) -> bool:
    """Whether the parse gives the project (or the support itself) a public body, a school or a university as its
    owner or beneficiary (its "de" complement)."""
    return any(
        c.dep_ == "nmod"
        and (_lemma(c) in PUBLIC_OWNERS or fold_text(c.text) in PUBLIC_OWNERS)
        and bool({fold_text(g.text) for g in c.children if g.dep_ == "case"} & OWNER_CASES)
        for c in project.children
    )


OWNER_CASES = frozenset({"de", "du", "des", "d'", "d’", "a", "au", "aux", "of", "to", "van", "aan", "von", "der"})
"""Case words by which a project or a support names its owner or beneficiary ("le projet de la commune", "soutien
aux écoles"); a body gathered in it ("réunissant l'Université de Gand") or a place it serves ("pour la
région") is not its owner."""


CALLS = frozenset({"appel", "call", "oproep", "aufruf"})
"""Folded lemmas of a call, which funds the projects it is for ("Appel conjoint … pour des projets collaboratifs")."""
LAUNCHING = frozenset({"lancement", "lancer", "ouverture", "ouvrir", "publication", "publier", "launch"})
"""Folded lemmas of the row's action putting a call out ("Lancement d'un appel …")."""
CALLED = frozenset({"projet", "project", "proposition", "proposal"})
CALL_CASES = frozenset({"pour", "a", "for", "voor", "fur"})
"""Case words of what a call is for ("pour des projets", "à propositions", "for projects")."""
CALL_REACH = 2
"""How deep under a call its projects may hang: the parse often hangs them on the call's adjective ("Appel conjoint
avec X, doté de …, pour des projets": on "conjoint"); deeper words are its complements' own."""


def called_projects(doc: Any) -> list[str]:
    """Projects a call the row puts out is for (R15's call for projects): a call heading the sentence, or under a
    launching word heading it ("Appel conjoint … pour des projets collaboratifs", "Lancement d'un call for projects"),
    with projects or proposals under it by a "for" case. A call the row only follows or answers ("pour suivre les
    appels à projets") is not its action."""
    found = []
    for t in doc:
        if _lemma(t) not in CALLS:
            continue
        root = t.dep_ == "ROOT" or (t.head.dep_ == "ROOT" and _lemma(t.head) in LAUNCHING)
        if not root:
            continue
        layer = [t]
        for _ in range(CALL_REACH):
            layer = [c for u in layer for c in u.children if c.dep_ not in {"conj", "acl:relcl"}]
            hit = next((c for c in layer if _lemma(c) in CALLED and _cases_of(c) & CALL_CASES), None)
            if hit is not None:
                found.append(f"{t.text} … {hit.text}" if hit.i - t.i > 2 else doc[t.i : hit.i + 1].text)
                break
    return found


ANSWER_CASES = frozenset({"a", "au", "aux", "pour"})
"""Case words of a call the row answers or takes part in ("réponse … à un appel à projets", "participation à l'appel",
"collaboration pour l'appel"): the call is another's, the row's action is the answer."""


def answered_calls(doc: Any) -> list[str]:
    """Calls the row answers or takes part in, not one it puts out (R15 funds the projects of its own call): a call
    word (:data:`CALLS`) the parse gives an answering case (:data:`ANSWER_CASES`)."""
    return [t.text for t in doc if _lemma(t) in CALLS and _cases_of(t) & ANSWER_CASES]


def supported_projects(doc: Any, heads: Sequence[int]) -> list[str]:
    """Projects the row's own action supports (R15): a supporting word heading the row (``heads``: the event
    heads of :func:`miner.tag.eventhead.event_heads`, or the sentence's root) that governs a project
    ("Soutien au projet X", "Cofinancement de projets menés à plusieurs", "Suivi de douze projets"). A
    project supported in passing ("bilan : 70 projets accompagnés") is not the row's action, nor a project a town,
    a school or a university owns (:data:`PUBLIC_OWNERS`) a firm's."""
    found = called_projects(doc)
    for i in heads:
        t = doc[i]
        if _lemma(t) not in SUPPORTING or _public_owner(t):
            continue  # "accompagnement de la commune … dans son projet": the projects are the town's
        for c in t.children:
            if c.dep_ in {"nmod", "obj", "obl", "obl:arg"} and _lemma(c) in SUPPORTED and not _public_owner(c):
                found.append(f"{t.text} … {c.text}" if c.i - t.i > 2 else doc[t.i : c.i + 1].text)
    return found
