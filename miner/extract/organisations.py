"""Organisations named in documents: mentions → one resolved organisation each, typed, with variants.

Mentions come from the French pipeline (:mod:`miner.nlp.french`): the gazetteer's EntityRuler finds the
ecosystem actors by their known spellings (one canonical name each), spaCy's statistical NER finds
other ``ORG`` entities, kept only when they look like names. Resolution folds case, accents, legal
forms and leading articles, joins an acronym to the one name whose initials it spells, and joins a
short form of the evaluated cluster ("CHANVRELIA") to its full name, so "Infopôle", "Infopole" and
"INFOPOLE cluster TIC" become one organisation carrying the others as variants (``skos:altLabel``).

Types come from the gazetteer, else from words of the name (``TYPE_RULES``: "SRL" → entreprise,
"Haute École" → université ou école ...); a name that says nothing is typed ``inconnu`` and counted
in the warnings, never guessed.

>>> classify_name("Fibrex des Fagnes SRL"), classify_name("Haute École fictive du Hainaut")
('entreprise', 'université ou école')
>>> classify_name("Zorglub")
'inconnu'
>>> fold_name("L'Infopôle  SA")
'infopole'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from miner.nlp.french import actor_types, canonical_name, get_nlp
from miner.nlp.text import strip_accents
from miner.records.organisations import UNKNOWN, Mention, Organisation, OrganisationIndex, Relation

__all__ = [
    "GAZETTEER_TYPES",
    "ORG_TYPES",
    "TYPE_RULES",
    "UNKNOWN",
    "Mention",
    "Organisation",
    "OrganisationIndex",
    "Relation",
    "classify_name",
    "find_mentions",
    "find_organisation",
    "fold_name",
    "initials",
    "organisations_of_evaluation",
    "organisations_of_evaluations",
    "resolve_mentions",
    "text_units",
]

ORG_TYPES: dict[str, str] = {
    "entreprise": "Company",
    "PME": "SME",
    "grande entreprise": "LargeCompany",
    "centre de recherche": "ResearchCentre",
    "université ou école": "HigherEducation",
    "organisme public": "PublicBody",
    "association": "Association",
    "centre de formation": "TrainingCentre",
    "pôle de compétitivité": "CompetitivenessPole",
    "cluster": "BusinessCluster",
    "fédération": "Federation",
    "consultant": "Consultancy",
    UNKNOWN: "UnknownOrganisationType",
}
"""miner's organisation types (French label) → their concept in ontology/miner.ttl."""

GAZETTEER_TYPES: dict[str, str] = {
    "pole": "pôle de compétitivité",
    "cluster": "cluster",
    "federation": "fédération",
    "agency": "organisme public",
    "finance": "organisme public",
    "university": "université ou école",
    "research": "centre de recherche",
    "training": "centre de formation",
    "network": "association",
    "consultant": "consultant",
    "company": "entreprise",
    "large_company": "grande entreprise",
}
"""Gazetteer kinds (the ``mk:`` kinds of assets/organisations.ttl) → organisation types."""

TYPE_RULES: tuple[tuple[str, str], ...] = (
    (r"\bp[oô]le\b", "pôle de compétitivité"),
    (r"\bcluster\b", "cluster"),
    (r"\bf[ée]d[ée]ration\b|\bconf[ée]d[ée]ration\b|\bchambre de commerce\b", "fédération"),
    (
        r"\buniversit[ée]\b|\bhaute [ée]cole\b|\b[ée]cole\b|\bfacult[ée]\b|\binstitut sup[ée]rieur\b",
        "université ou école",
    ),
    (r"\bcentre de (?:comp[ée]tence|formation)\b|\bformation\b", "centre de formation"),
    (
        r"\bcentre de recherche\b|\blaboratoire\b|\binstitut\b|\bcentre (?:technique|scientifique|d'essais)\b|\br&d\b",
        "centre de recherche",
    ),
    (r"\bconsult\w*|\bconseil\b|\badvisory\b|\baudit\b", "consultant"),
    (
        r"\bintercommunale\b|\bservice public\b|\bspf\b|\bspw\b|\bminist[èe]re\b|\bagence\b|\br[ée]gie\b|"
        r"\bcommune\b|\bville de\b|\bprovince\b|\bcpas\b|\bregion\b|\br[ée]gion\b|\borganisme public\b",
        "organisme public",
    ),
    (r"\basbl\b|\bassociation\b|\bunion\b|\bf[ée]d[ée]r\w*\b", "association"),
    (r"\bpme\b|\btpe\b|\bstart-?up\b", "PME"),
    (r"\bgrande entreprise\b|\bgroupe\b|\bgroup\b", "grande entreprise"),
    (
        r"\b(?:sa|srl|sprl|sc|scrl|scs|snc|nv|bv|bvba|sas|sarl|gmbh|ltd|inc)\b|\bentreprise\b|\bsoci[ée]t[ée]\b|\bcoop[ée]rative\b",
        "entreprise",
    ),
)
"""Words of a name or of a stated type → organisation type, first match wins (order matters: a
"Centre de formation" is not a research centre, an "Union des entreprises" is an association)."""

_TYPE_PATTERNS = tuple((re.compile(p, re.IGNORECASE), t) for p, t in TYPE_RULES)
LEGAL_FORMS = frozenset(
    [
        "sa",
        "srl",
        "sprl",
        "sc",
        "scrl",
        "scs",
        "snc",
        "nv",
        "bv",
        "bvba",
        "sas",
        "sarl",
        "gmbh",
        "ltd",
        "inc",
        "asbl",
        "vzw",
    ]
)
_ARTICLES = re.compile(r"^(?:l['’]\s*|le\s+|la\s+|les\s+|du\s+|de\s+la\s+|des\s+|d['’]\s*)", re.IGNORECASE)
_SMALL_WORDS = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "d",
        "l",
        "en",
        "pour",
        "sur",
        "au",
        "aux",
        "à",
        "a",
        "the",
        "of",
        "and",
    ]
)

NER_STOPLIST = frozenset(
    [
        "r&d",
        "tic",
        "pme",
        "tpe",
        "ict",
        "constat",
        "constats",
        "phase",
        "question",
        "critere",
        "criteres",
        "cluster",
        "clusters",
        "membres",
        "membre",
        "effectif",
        "donnees",
        "entites",
        "wallonie",
        "region",
        "bruxelles",
        "europe",
        "ue",
        "tva",
        "bce",
        "kbo",
        "asbl",
        "sa",
        "srl",
    ]
)
"""Folded ORG entities of spaCy that are words of the reports, not organisations."""

MAX_NAME_WORDS = 10
"""Longer ORG spans are sentences the NER ran away with, not names."""


def classify_name(name: str) -> str:
    """The organisation type that words of ``name`` (or a stated type, "haute école") imply."""
    folded = strip_accents(name).casefold()
    for pattern, kind in _TYPE_PATTERNS:
        if pattern.search(name) or pattern.search(folded):
            return kind
    return UNKNOWN


def fold_name(name: str) -> str:
    """The resolution key of a name: no accents, case, punctuation, leading article or legal form."""
    text = _ARTICLES.sub("", " ".join(name.split()))
    text = strip_accents(text).casefold().replace("’", "'")
    words = [w for w in re.split(r"[^\w&]+", text) if w]
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def initials(name: str) -> str:
    """Upper-case initials of the significant words: "Conférence Permanente du Développement
    Territorial" → "CPDT"."""
    words = [w for w in re.split(r"[^\w]+", strip_accents(name)) if w and w.casefold() not in _SMALL_WORDS]
    return "".join(w[0] for w in words).upper()


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and " " not in text.strip()


def find_organisation(index: OrganisationIndex, name: str) -> Organisation | None:
    """The organisation a name resolves to in ``index``, by any of its variants."""
    key = index.aliases.get(fold_name(name))
    return index.organisations.get(key) if key else None


def resolve_mentions(mentions: Iterable[Mention], *, cluster: str | None = None) -> OrganisationIndex:
    """Group mentions into organisations.

    >>> idx = resolve_mentions([Mention("Agence Fictive de Développement", "d"), Mention("AFD", "d"),
    ...                         Mention("INFOPOLE cluster TIC", "d", canonical="Infopôle Cluster TIC", type="cluster"),
    ...                         Mention("Infopole", "d", canonical="Infopôle Cluster TIC", type="cluster")])
    >>> sorted((o.name, o.type, o.variants) for o in idx.organisations.values())
    [('Agence Fictive de Développement', 'organisme public', ['AFD']), ('Infopôle Cluster TIC', 'cluster', ['INFOPOLE cluster TIC', 'Infopole'])]
    """
    mentions = list(mentions)
    groups: dict[str, list[Mention]] = defaultdict(list)
    canonical_of: dict[str, str] = {}
    for mention in mentions:
        if mention.canonical:
            key = fold_name(mention.canonical)
            canonical_of[key] = mention.canonical
        else:
            key = fold_name(mention.text)
        if key:
            groups[key].append(mention)
    # an alias folded like a gazetteer name joins it; an acronym joins the one name it abbreviates
    cluster_key = fold_name(cluster) if cluster else None
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key, group in groups.items():
        names = [m.text for m in group if not _is_acronym(m.text)]
        if names and len(key.split()) >= 2:
            by_initials[initials(names[0])].append(key)
    merged: dict[str, str] = {}
    for key, group in list(groups.items()):
        if key in canonical_of:
            continue
        target = None
        if all(_is_acronym(m.text) for m in group):
            candidates = [k for k in by_initials.get(group[0].text.upper(), []) if k != key]
            if len(candidates) == 1:
                target = candidates[0]
        if target is None and cluster_key and cluster_key != key and cluster_key.split()[0] == key:
            target = cluster_key
        if target is not None and target in groups:
            merged[key] = target
    for key, target in merged.items():
        groups[target].extend(groups.pop(key))
    index = OrganisationIndex()
    for key, group in groups.items():
        index.organisations[key] = _organisation(key, group, canonical_of.get(key))
        for mention in group:
            index.aliases[fold_name(mention.text)] = key
        index.aliases[key] = key
    for key, target in merged.items():
        index.aliases[key] = target
    unknown = index.unknown_count
    if unknown:
        names = ", ".join(sorted(o.name for o in index.organisations.values() if o.type == UNKNOWN)[:5])
        index.warnings.append(
            f"{unknown} organisation(s) could not be typed and are '{UNKNOWN}': {names}"
            + (" ..." if unknown > 5 else "")
        )
    return index


def _organisation(key: str, group: list[Mention], canonical: str | None) -> Organisation:
    surface = Counter(m.text for m in group)
    if canonical:
        name = canonical
    else:  # the most frequent spelling, a written-out name before an acronym
        name = max(surface, key=lambda t: (not _is_acronym(t), surface[t], len(t)))
    typed = [m.type for m in group if m.type]
    kind = Counter(typed).most_common(1)[0][0] if typed else UNKNOWN
    if kind == UNKNOWN:
        for text in [name, *surface]:
            kind = classify_name(text)
            if kind != UNKNOWN:
                break
    documents: dict[str, list[int]] = {}
    quotes: dict[str, str] = {}
    for mention in group:
        pages = documents.setdefault(mention.document, [])
        if mention.page is not None and mention.page not in pages:
            pages.append(mention.page)
        if mention.quote and mention.document not in quotes:
            quotes[mention.document] = mention.quote
    for pages in documents.values():
        pages.sort()
    variants = sorted(t for t in surface if t != name)
    return Organisation(key, name, kind, variants, documents, quotes, from_gazetteer=bool(canonical))


# ---------------------------------------------------------------- reading documents


@dataclass(frozen=True)
class TextUnit:
    text: str
    page: int | None


def text_units(evaluation: Any) -> list[TextUnit]:
    """The texts of a document to look for organisations in, with their pages.

    An evaluation report's tables are read through its criteria and constats (a table block's text
    repeats them all); any other document is read block by block, tables included.
    """
    units: list[TextUnit] = []
    structured = bool(evaluation.questions)
    for block in evaluation.blocks:
        if structured and block.kind == "table":
            continue
        if block.text.strip():
            units.append(TextUnit(block.text, block.page))
    for question in evaluation.questions:
        for criterion in question.criteria:
            units.append(TextUnit(criterion.criterion, (criterion.pages or [None])[0]))
    for constat in evaluation.constats:
        units.append(TextUnit(constat.text, (constat.pages or [None])[0]))
    return units


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]|\n|$)")


def _sentence_of(text: str, start: int, end: int) -> tuple[int, str]:
    for match in _SENTENCE.finditer(text):
        if match.start() <= start and end <= match.end():
            return match.start(), " ".join(match.group().split())
    return 0, " ".join(text.split())


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or not any(c.isupper() for c in text):
        return False
    if fold_name(text) in NER_STOPLIST or not fold_name(text):
        return False
    if len(words) == 1:  # one word: an acronym or a camel-case brand, not a capitalised common noun
        return sum(c.isupper() for c in text) >= 2
    return words[0][0].isupper()


PARTNERSHIP_CUES = re.compile(
    r"partenari\w*|collabor\w*|coop[ée]r\w*|\bli[ée]e?s?\s+(?:au|à|avec)\b|conjointement|co-?organis\w*|"
    r"en association avec|synergies?\s+avec|convention\s+avec|projets?\s+communs?",
    re.IGNORECASE,
)
"""Words that make a sentence naming two organisations a stated partnership."""


@dataclass
class DocumentMentions:
    mentions: list[Mention]
    sentences: list[tuple[str, int | None, list[Mention]]]


def find_mentions(units: list[TextUnit], document: str, *, nlp: Any = None) -> DocumentMentions:
    """Gazetteer actors and name-like ORG entities of each text unit, with the sentence around each."""

    nlp = nlp or get_nlp()
    known_types = actor_types()
    mentions: list[Mention] = []
    sentences: dict[tuple[int, int], tuple[str, int | None, list[Mention]]] = {}
    for unit_index, (unit, doc) in enumerate(zip(units, nlp.pipe([u.text for u in units], batch_size=64))):
        for ent in doc.ents:
            label = ent.label_.lower()
            if label in known_types:
                canonical = canonical_name(ent)
                kind = GAZETTEER_TYPES.get(label, UNKNOWN)
                source = "gazetteer" if canonical else "pattern"
            elif ent.label_ == "ORG" and _looks_like_name(ent.text.strip()):
                canonical, kind, source = "", None, "ner"
            else:
                continue
            text = " ".join(ent.text.split()).strip(" «»\"'")
            if source == "pattern":  # "Cluster Eau Vive": keep the name, drop a trailing quote mark
                text = text.rstrip(" «")
            if not text:
                continue
            offset, quote = _sentence_of(unit.text, ent.start_char, ent.end_char)
            mention = Mention(text, document, unit.page, quote, canonical, kind, source)
            mentions.append(mention)
            sentences.setdefault((unit_index, offset), (quote, unit.page, []))[2].append(mention)
    return DocumentMentions(mentions, list(sentences.values()))


def _metadata_mentions(evaluation: Any, document: str, nlp: Any) -> list[Mention]:
    """The evaluated cluster, the evaluator and the commissioner named by the report's metadata."""

    meta = evaluation.metadata
    found: list[Mention] = []
    for role, name in (("cluster", meta.cluster), ("evaluator", meta.evaluator), ("commissioner", meta.commissioner)):
        if not name:
            continue
        doc = nlp(name)
        actors = [e for e in doc.ents if e.label_.lower() in actor_types() and canonical_name(e)]
        if actors:
            ent = actors[0]
            kind = GAZETTEER_TYPES.get(ent.label_.lower(), UNKNOWN)
            # the whole field is a spelling of the actor when it starts with it ("Service Public de
            # Wallonie Economie ..."); otherwise it holds more (a person: "Simon De Muynck (ULB-IGEAT)")
            text = name if fold_name(name).startswith(fold_name(ent.text)) else ent.text
            found.append(Mention(text, document, 1, name, canonical_name(ent), kind, "metadata:" + role))
        else:
            # the report's roles type what the gazetteer does not know: evaluators are consultancies
            kind = {"cluster": "cluster", "evaluator": "consultant", "commissioner": "organisme public"}[role]
            found.append(Mention(name, document, 1, name, "", kind, "metadata:" + role))
    return found


def organisations_of_evaluation(evaluation: Any, *, nlp: Any = None) -> OrganisationIndex:
    """The organisations a document (evaluation report or any PDF) names, and the relations it states:
    partnerships (two organisations in a sentence with a partnership word) and, for a report, who
    evaluated the cluster and who commissioned the evaluation."""

    nlp = nlp or get_nlp()
    document = evaluation.source.sha256
    found = find_mentions(text_units(evaluation), document, nlp=nlp)
    meta_mentions = _metadata_mentions(evaluation, document, nlp)
    index = resolve_mentions(meta_mentions + found.mentions, cluster=evaluation.metadata.cluster)
    roles = {m.source.split(":", 1)[1]: index.aliases[fold_name(m.canonical or m.text)] for m in meta_mentions}
    relations: dict[tuple[str, str, str], Relation] = {}
    cluster = roles.get("cluster")
    for role, kind in (("evaluator", "évaluation"), ("commissioner", "commande")):
        if cluster and role in roles and roles[role] != cluster:
            a, b = sorted((roles[role], cluster))
            relations[(a, b, kind)] = Relation(a, b, kind, document, 1, getattr(evaluation.metadata, role))
    for quote, page, group in found.sentences:
        keys = list(dict.fromkeys(index.aliases[fold_name(m.canonical or m.text)] for m in group))
        if len(keys) < 2 or not PARTNERSHIP_CUES.search(quote):
            continue
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                a, b = sorted((first, second))
                relations.setdefault((a, b, "partenariat"), Relation(a, b, "partenariat", document, page, quote))
    index.relations = list(relations.values())
    return index


def organisations_of_evaluations(
    evaluations: list[Any], *, limits: Any = None, nlp: Any = None
) -> list[tuple[OrganisationIndex | None, str | None]]:
    """:func:`organisations_of_evaluation` for many documents, one forked worker each, up to
    ``limits.jobs`` at once (:func:`miner.read.isolate.run_isolated`): the spaCy pipeline is loaded
    once, here, and every worker shares it, so the step scales with the cores. Returns, in order,
    (index, None) or (None, the one-line reason a document failed)."""
    from pydantic import TypeAdapter

    from miner.read.isolate import Limits, run_isolated

    nlp = nlp or get_nlp()
    if len(evaluations) < 2 or (limits is not None and limits.workers() == 1):
        return [(organisations_of_evaluation(e, nlp=nlp), None) for e in evaluations]
    adapter = TypeAdapter(OrganisationIndex)  # the index crosses the process boundary as JSON, typed

    def work(key: str) -> str:
        return adapter.dump_json(organisations_of_evaluation(evaluations[int(key)], nlp=nlp)).decode()

    outcomes = {o.key: o for o in run_isolated(work, [str(i) for i in range(len(evaluations))], limits or Limits())}
    return [
        (adapter.validate_json(o.value), None) if o.ok and o.value is not None else (None, o.error or "failed")
        for o in (outcomes[str(i)] for i in range(len(evaluations)))
    ]
