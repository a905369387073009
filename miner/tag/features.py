"""What the axis classifier reads from an activity beside its embedding: cue terms, event formats,
actors and their roles, the activity's own cluster masked, and the design matrix of the blocks.

Changes here change what a model means: a model file records the settings that chose the blocks,
and its family (:data:`miner.tag.modelfile.FAMILY`) changes when a block's columns do.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import yaml

from miner import data
from miner.nlp.french import SYNERGY_TYPES, Actor, analyse, analyse_with_docs, load_gazetteer, synergy_names
from miner.tag.base import AXES, fold_text
from miner.tag.facts import Facts, facts_of, own_cluster
from miner.tag.rules import RULE_WIDTH, Verdict, apply_rules, rule_vector

__all__ = [
    "LEXICON_PATH",
    "TextFeatures",
    "load_lexicon",
    "load_formats",
    "fold_text",
    "extract_features",
    "hand_counts",
    "lemma_vocab",
    "tfidf",
    "design_blocks",
    "design_matrix",
    "design_from_spec",
    "design_spec",
    "LEXICON_WIDTH",
    "FORMATS",
]

LEXICON_PATH = data.path("assets", "axes_lexicon.yaml")

ACTOR_FEATURES = ("pole", "cluster", "federation", "agency", "university", "research", "training", "finance", "network")
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV", "X"})
# Determiners and adjectives that make "cluster" another cluster rather than the activity's own.
OTHER_CLUSTER_BEFORE = frozenset(
    {
        "un",
        "une",
        "autre",
        "autres",
        "deux",
        "trois",
        "quatre",
        "plusieurs",
        "des",
        "homologue",
        "homologues",
        "d'autres",
    }
)
OWN_CLUSTER_BEFORE = frozenset({"du", "le", "au", "ce", "notre", "son", "l'", "leur"})
# Other words for a cluster (LABELLING.md R2): the French "grappe (d'entreprises)", a technopôle,
# "réseau d'entreprises" (the decree's own term for a cluster) and a foreign "pôle".
CLUSTER_SYNONYMS = frozenset({"grappe", "grappes", "technopole", "technopoles"})
NETWORK_WORDS = frozenset({"reseau", "reseaux"})
POLE_WORDS = frozenset({"pole", "poles"})
# A "pôle" qualified by a place outside Wallonia is a foreign cluster (R2), not a Walloon pôle (axis 6).
_FOREIGN_STEMS = (
    "francais",
    "quebecois",
    "canadien",
    "lorrain",
    "alsacien",
    "lyonnais",
    "rhonalpin",
    "parisien",
    "normand",
    "breton",
    "toulousain",
    "lillois",
    "nordiste",
    "grenoblois",
    "marseillais",
    "bordelais",
    "nantais",
    "strasbourgeois",
    "auvergnat",
    "bourguignon",
    "picard",
    "champenois",
    "savoyard",
    "occitan",
    "sarrois",
    "luxembourgeois",
    "allemand",
    "bavarois",
    "rhenan",
    "neerlandais",
    "hollandais",
    "flamand",
    "bruxellois",
    "espagnol",
    "catalan",
    "basque",
    "italien",
    "portugais",
    "suedois",
    "danois",
    "finlandais",
    "norvegien",
    "polonais",
    "tcheque",
    "autrichien",
    "suisse",
    "britannique",
    "ecossais",
    "irlandais",
    "americain",
    "marocain",
    "tunisien",
    "senegalais",
    "japonais",
    "europeen",
    "etranger",
    "international",
)
FOREIGN_ADJECTIVES = frozenset(s + e for s in _FOREIGN_STEMS for e in ("", "e", "s", "es", "ne", "nes", "aux"))
ROLE_FEATURES = ("synergy_active", "synergy_passive", "other_cluster")
"""Who takes part, for axes 5 and 6: axis-6 bodies (R7) in an active role, the same bodies as
mere audience, venue or topic (R2), and other clusters."""
PASSIVE_BEFORE = frozenset(
    {
        "ouvert",
        "ouvrir",
        "adherent",
        "adherer",
        "membre",
        "ecosysteme",
        "destine",
        "destiner",
        "locaux",
        "local",
        "chez",
        "siege",
        "ressortissant",
        "affilie",
        "client",
        "sujet",
        "theme",
    }
)
"""Lemmas just before a body (determiners and prepositions skipped) that make it an audience,
a venue or a topic rather than a partner: "ouvert aux adhérents de X", "dans les locaux de X"."""
OWN_GROUP_AFTER = frozenset({"interne", "internes", "thematique", "thematiques"})
"""Words after "grappe(s)" that make it one of the cluster's own sub-networks (R6), not another cluster."""
POSSESSIVES = frozenset({"notre", "nos", "son", "sa", "ses", "leur", "leurs", "votre", "vos"})
OWN_MARK = "_own_cluster_"
"""What the cluster's own mentions ("du cluster", its name) become before cue matching, so the
axis-5 cue "clusters" (lemma "cluster") cannot fire on them."""
POLE_WINDOW = 4


@lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> dict[int, dict[str, Any]]:
    """The cue terms of each axis (axis → name, decree wording, terms)."""
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    return {int(k): v for k, v in data["axes"].items()}


@lru_cache(maxsize=2)
def load_formats(path: str | None = None) -> tuple[str, ...]:
    """The event-format words of the lexicon (``formats:``), which serve no axis by themselves."""
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    return tuple(str(t) for t in data.get("formats") or ())


FORMATS = 0
"""Key of the format words in :func:`_lexicon_keys` (the axes are 1 to 6)."""


@lru_cache(maxsize=2)
def _lexicon_keys(path: str | None = None) -> dict[int, list[tuple[str, str]]]:
    """Per axis (and :data:`FORMATS`), (term, folded lemma sequence) pairs, lemmatised like the
    activities are."""
    lexicon = load_lexicon(path)
    terms = [(axis, str(term)) for axis, spec in lexicon.items() for term in spec["terms"]]
    terms += [(FORMATS, term) for term in load_formats(path)]
    analyses = analyse([t for _, t in terms], full=False)
    keys: dict[int, list[tuple[str, str]]] = {axis: [] for axis in (FORMATS, *AXES)}
    for (axis, term), analysis in zip(terms, analyses):
        keys[axis].append((term, " " + " ".join(fold_text(l) for l in analysis.lemmas) + " "))
    return keys


@dataclass
class TextFeatures:
    """What the classifier reads from one activity beside its embedding."""

    lemmas: list[str]
    hits: dict[int, list[str]]
    actors: list[Actor]
    other_clusters: list[str] = field(default_factory=list)
    wordvec: Any = None
    formats: list[str] = field(default_factory=list)
    """Event formats named (conférence, visite…): counted apart from every axis's cues."""
    synergy: list[str] = field(default_factory=list)
    """Axis-6 bodies (conventions R7) in an active role: co-organiser, partner, framework."""
    synergy_passive: list[str] = field(default_factory=list)
    """Axis-6 bodies named only as audience, venue or topic (R2)."""

    facts: Facts | None = None
    """Organisations, their types and roles, the own cluster, the formats (:mod:`miner.tag.facts`)."""
    verdicts: list[Verdict] = field(default_factory=list)
    """What the conventions' rules say of the activity (:mod:`miner.tag.rules`)."""

    def actor_counts(self) -> list[float]:
        counts = Counter(a.type for a in self.actors if a.type != "cluster")
        counts["cluster"] = len(self.other_clusters)
        return [float(counts[t]) for t in ACTOR_FEATURES]

    def role_counts(self) -> list[float]:
        return [
            math.log1p(len(self.synergy)),
            math.log1p(len(self.synergy_passive)),
            math.log1p(len(self.other_clusters)),
        ]


def _is_own(actor: Actor, own: str | None) -> bool:
    if not own:
        return False
    own_words = set(fold_text(own).replace("cluster", " ").split())
    words = set(fold_text(actor.name or actor.text).replace("cluster", " ").split())
    return bool(words) and words <= own_words | {"tic"} or bool(own_words) and own_words <= words


def _own_cluster_tokens(analysis: Any, own: str | None) -> set[int]:
    """Token indices that name the activity's own cluster: its gazetteer or "Cluster <Name>" span
    when it is ``own``, a bare "cluster" after an own determiner ("du cluster", "notre
    cluster") that no proper noun follows (and a bare "pôle" when the activity is a pôle's), and
    its own grappes."""
    spans = _actor_token_spans(analysis)
    inside = {i for _, (start, end) in spans for i in range(start, end)}
    # the organisation's own span, whatever its type: a pôle's activity names the pôle itself
    marked = {i for actor, (start, end) in spans if _is_own(actor, own) for i in range(start, end)}
    bare = {"cluster"} | (POLE_WORDS if own and _own_is_pole(own) else set())
    for i, token in enumerate(analysis.tokens):
        low = fold_text(token)
        before = fold_text(analysis.tokens[i - 1]) if i else ""
        if low in CLUSTER_SYNONYMS and (before in OWN_CLUSTER_BEFORE or _is_own_group(analysis, i)):
            marked.add(i)  # the cluster's own grappes (R6)
        if i in inside or low not in bare:
            continue
        after_pos = analysis.pos[i + 1] if i + 1 < len(analysis.pos) else ""
        if before in OWN_CLUSTER_BEFORE | POSSESSIVES and after_pos not in {"PROPN", "ADJ"}:
            marked.add(i)
    return marked


@lru_cache(maxsize=256)
def _own_is_pole(own: str) -> bool:
    """Whether the activity's organisation is a pôle de compétitivité (by the gazetteer or its name)."""
    folded = fold_text(own)
    return "pole" in folded.split() or any(
        e.type == "pole" and fold_text(e.name) in folded for e in load_gazetteer()[1]
    )


def _actor_token_spans(analysis: Any) -> list[tuple[Actor, tuple[int, int]]]:
    """Each actor with the token range it covers (actors carry character offsets)."""
    starts, offset = [], 0
    for token in analysis.tokens:
        found = analysis.text.find(token, offset)
        starts.append(found if found >= 0 else offset)
        offset = starts[-1] + len(token)
    spans = []
    for actor in analysis.actors:
        covered = [i for i, c in enumerate(starts) if actor.start <= c < actor.end]
        if covered:
            spans.append((actor, (covered[0], covered[-1] + 1)))
    return spans


def _is_own_group(analysis: Any, i: int) -> bool:
    """Whether "grappe(s)" at token ``i`` is one of the cluster's own sub-networks (R6): a
    possessive or own determiner before it, "interne"/"thématique" after it, or "du cluster" /
    "de notre cluster" within the next few tokens."""
    tokens = [fold_text(t) for t in analysis.tokens]
    before = tokens[i - 1] if i else ""
    if before in POSSESSIVES:
        return True
    after = tokens[i + 1 : i + 1 + POLE_WINDOW + 2]
    if after[:1] and after[0] in OWN_GROUP_AFTER:
        return True
    for j, word in enumerate(after):
        if word == "cluster" and j and after[j - 1] in OWN_CLUSTER_BEFORE | POSSESSIVES:
            return True
    return False


def _bodies_by_role(analysis: Any, own: str | None = None) -> tuple[list[str], list[str]]:
    """Axis-6 bodies found by the gazetteer, split into active partners and mere audience, venue or
    topic, by the content lemma just before each (determiners and prepositions skipped). The
    activity's own organisation (a pôle's own activities) is neither."""
    names = synergy_names()
    active: list[str] = []
    passive: list[str] = []
    for actor, (start, _) in _actor_token_spans(analysis):
        qualifies = actor.name in names if actor.name else actor.type in SYNERGY_TYPES
        if not qualifies or _is_own(actor, own):
            continue
        j = start - 1
        while j >= 0 and analysis.pos[j] in {"DET", "ADP", "PUNCT", "CCONJ"}:
            j -= 1
        previous = fold_text(analysis.lemmas[j]) if j >= 0 else ""
        (passive if previous in PASSIVE_BEFORE else active).append(actor.name or actor.text)
    return list(dict.fromkeys(active)), list(dict.fromkeys(passive))


def _other_cluster_mentions(analysis: Any, own: str | None) -> list[str]:
    found = [a.name or a.text for a in analysis.actors if a.type == "cluster" and not _is_own(a, own)]
    # Networks of clusters (ECCP, ESCP-4i, Euroclusters) bring other clusters in; EEN does not.
    found += [
        a.name or a.text for a in analysis.actors if a.type == "network" and "cluster" in fold_text(a.name or a.text)
    ]
    covered = {i for a in analysis.actors for i in range(a.start, a.end)}
    offset = 0
    for i, token in enumerate(analysis.tokens):
        start = analysis.text.find(token, offset)
        offset = start + len(token) if start >= 0 else offset
        low = fold_text(token)
        if start in covered:
            continue
        before = fold_text(analysis.tokens[i - 1]) if i else ""
        if low in {"inter-clusters", "interclusters", "intercluster", "inter-cluster"}:
            found.append(token)
        elif low in CLUSTER_SYNONYMS and before not in OWN_CLUSTER_BEFORE and not _is_own_group(analysis, i):
            found.append(" ".join(analysis.tokens[i : i + 3]))
        elif (
            low in NETWORK_WORDS
            and fold_text(" ".join(analysis.tokens[i + 1 : i + 3]))
            in {"d' entreprises", "d' entreprise", "de clusters"}
            and before not in OWN_CLUSTER_BEFORE
        ):
            found.append(" ".join(analysis.tokens[i : i + 3]))
        elif low in POLE_WORDS and any(
            fold_text(t) in FOREIGN_ADJECTIVES for t in analysis.tokens[i + 1 : i + 1 + POLE_WINDOW]
        ):
            found.append(" ".join(analysis.tokens[i : i + 1 + POLE_WINDOW]))
        elif low in {"cluster", "clusters"}:
            before = fold_text(analysis.tokens[i - 1]) if i else ""
            after_pos = analysis.pos[i + 1] if i + 1 < len(analysis.pos) else ""
            if before in OWN_CLUSTER_BEFORE and low == "cluster":
                continue
            if low == "clusters" or before in OTHER_CLUSTER_BEFORE or after_pos == "ADJ":
                found.append(" ".join(analysis.tokens[max(0, i - 1) : i + 2]))
    return found


def extract_features(texts: Sequence[str], clusters: Sequence[str | None] | None = None) -> list[TextFeatures]:
    """Lemmas, cue-term hits, actors, other-cluster mentions, the facts (organisations typed, their
    roles from the parse) and the rules' verdicts of each text (spaCy, full pipeline)."""
    keys = _lexicon_keys()
    clusters = list(clusters) if clusters is not None else [None] * len(texts)
    feats = []
    for (analysis, doc), own in zip(analyse_with_docs(texts), clusters):
        own_tokens = _own_cluster_tokens(analysis, own)
        folded = (
            " " + " ".join(OWN_MARK if i in own_tokens else fold_text(l) for i, l in enumerate(analysis.lemmas)) + " "
        )
        hits = {axis: [term for term, key in keys[axis] if key in folded] for axis in AXES}
        formats = [term for term, key in keys[FORMATS] if key in folded]
        content = [fold_text(l) for l, p in zip(analysis.lemmas, analysis.pos) if p in CONTENT_POS and len(l) > 1]
        active, passive = _bodies_by_role(analysis, own)
        facts = facts_of(analysis, doc, own_cluster(own), own_tokens=own_tokens)
        feats.append(
            TextFeatures(
                content,
                hits,
                analysis.actors,
                _other_cluster_mentions(analysis, own),
                analysis.vector,
                formats,
                active,
                passive,
                facts,
                apply_rules(facts),
            )
        )
    return feats


LEXICON_WIDTH = len(AXES) + 1
"""Lexicon block: cue counts of the six axes, then the format count."""


def hand_counts(feats: Sequence[TextFeatures]) -> np.ndarray:
    rows = [
        [math.log1p(len(f.hits[a])) for a in AXES] + [math.log1p(len(f.formats))] + f.actor_counts() + f.role_counts()
        for f in feats
    ]
    width = LEXICON_WIDTH + len(ACTOR_FEATURES) + len(ROLE_FEATURES)
    return np.asarray(rows, dtype=np.float32).reshape(len(feats), width)


def lemma_vocab(feats: Sequence[TextFeatures], min_df: int) -> tuple[list[str], np.ndarray]:
    df = Counter(lemma for f in feats for lemma in set(f.lemmas))
    vocab = sorted(lemma for lemma, n in df.items() if n >= min_df)
    n = len(feats)
    idf = np.asarray([math.log((1 + n) / (1 + df[v])) + 1 for v in vocab], dtype=np.float32)
    return vocab, idf


def tfidf(feats: Sequence[TextFeatures], vocab: Sequence[str], idf: np.ndarray) -> np.ndarray:
    index = {v: i for i, v in enumerate(vocab)}
    matrix = np.zeros((len(feats), len(vocab)), dtype=np.float32)
    for row, f in enumerate(feats):
        for lemma, count in Counter(f.lemmas).items():
            if lemma in index:
                matrix[row, index[lemma]] = 1 + math.log(count)
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def design_spec(feats: Sequence[TextFeatures], settings: Any) -> dict[str, Any]:
    """What a fit learns of its rows to build a design: the hand counts' scaling, the lemma vocabulary
    and its idf (:func:`design_from_spec` builds new rows' designs with it)."""
    hand = hand_counts(feats)
    scale = hand.std(axis=0)
    vocab, idf = lemma_vocab(feats, settings.min_df) if "lemmas" in settings.blocks else ([], np.zeros(0, np.float32))
    return {
        "hand_mean": hand.mean(axis=0),
        "hand_scale": np.where(scale < 1e-6, 1.0, scale).astype(np.float32),
        "vocab": vocab,
        "idf": idf,
    }


def design_blocks(feats, vectors, settings, hand_mean, hand_scale, vocab, idf) -> dict[str, np.ndarray]:
    blocks: dict[str, np.ndarray] = {}
    if "embedding" in settings.blocks:
        blocks["embedding"] = np.asarray(vectors, dtype=np.float32) * settings.embedding_weight
    if "wordvec" in settings.blocks:
        blocks["wordvec"] = np.stack([f.wordvec for f in feats]) * settings.wordvec_weight
    hand = (hand_counts(feats) - hand_mean) / hand_scale
    actors_end = LEXICON_WIDTH + len(ACTOR_FEATURES)
    if "lexicon" in settings.blocks:
        blocks["lexicon"] = hand[:, :LEXICON_WIDTH] * settings.hand_weight
    if "actors" in settings.blocks:
        blocks["actors"] = hand[:, LEXICON_WIDTH:actors_end] * settings.hand_weight
    if "roles" in settings.blocks:
        blocks["roles"] = hand[:, actors_end:] * settings.role_weight
    if "rules" in settings.blocks:
        rows = [rule_vector(f.verdicts) for f in feats]
        blocks["rules"] = np.asarray(rows, dtype=np.float32).reshape(len(feats), RULE_WIDTH) * settings.rule_weight
    if "lemmas" in settings.blocks and vocab:
        blocks["lemmas"] = tfidf(feats, vocab, idf) * settings.lemma_weight
    return blocks


def design_matrix(feats, vectors, settings, hand_mean, hand_scale, vocab, idf) -> np.ndarray:
    blocks = design_blocks(feats, vectors, settings, hand_mean, hand_scale, vocab, idf)
    return np.hstack(list(blocks.values())) if blocks else np.zeros((len(feats), 0), dtype=np.float32)


def design_from_spec(feats, vectors, settings, spec: dict) -> np.ndarray:
    """The design matrix of new rows with the scaling and vocabulary a fit recorded in ``spec``."""
    return design_matrix(feats, vectors, settings, spec["hand_mean"], spec["hand_scale"], spec["vocab"], spec["idf"])
