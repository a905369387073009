"""What members hold or do together, read from the parse: the axis-3 facts of rule R14 (a shared
facility, a group offer, a joint project; a project gathering members or named firms).
:mod:`miner.tag.facts` puts them among an activity's formats; the rules decide whether members take part."""

from __future__ import annotations

from typing import Any

from miner.tag.base import fold_text

__all__ = [
    "JOINT_MODIFIERS",
    "MEMBER_WORDS",
    "joint_work",
    "members_joint",
    "members_body",
    "gathering_projects",
    "pooled_purchases",
]

JOINT_MODIFIERS = (
    "commun",
    "communs",
    "commune",
    "communes",
    "collaborati",
    "partag",
    "mutualis",
    "cooperati",
    "conjoint",
    "interentrepris",
    "inter-entrepris",
    "grouper",
    "groupe",
    "groupes",
    "groupee",
    "groupees",
    "ensemble",
)
"""Folded lemmas (or their starts) of the words that make a thing joint: "projet commun", "soufflerie
partagée", "offre groupée", "projets d'innovation collaboratifs", "utilisent ensemble"."""
JOINT_OBJECTS = frozenset(
    {
        "projet",
        "offre",
        "plateforme",
        "infrastructure",
        "equipement",
        "outil",
        "centre",
        "laboratoire",
        "soufflerie",
        "atelier",
        "espace",
        "halle",
        "ligne",
        "production",
        "produire",
        "developpement",
        "developper",
        "prototype",
        "produit",
        "service",
        "solution",
        "chantier",
        "reponse",
        "repondre",
        "candidature",
        "commande",
        "installation",
        "machine",
        "imprimante",
        "banc",
        "demonstrateur",
        "usine",
        "entrepot",
        "local",
        "stock",
        "campagne",
        "initiative",
        "programme",
        "recherche",
        "essai",
        "test",
        "brevet",
        "societe",
        "filiale",
        "cooperative",
        "consortium",
        "action",
        "mettre",
        "mise",
        "utiliser",
        "realiser",
        "chercher",
        "concevoir",
        "exploiter",
        "investir",
        "acquerir",
        "commercialiser",
        "vendre",
        "proposer",
        "fabriquer",
        "innovation",
        "travail",
    }
)
"""What members do or hold together for axis 3 (R14): a project, an offer, a facility, a production ("mise en
commun", "réalisent ensemble des chantiers"). Not a purchase: LABELLING's R14 line makes a group purchase 2
(buying terms), not a partnership (:data:`PURCHASES`)."""
PURCHASES = frozenset({"achat", "acheter", "approvisionnement", "purchase", "purchasing", "inkoop", "einkauf"})
"""Folded lemmas of buying: pooled ("mise en commun des achats", "achats groupés") they are a group purchase (axis 2),
no joint thing of axis 3."""
JOINT_SOURCES = frozenset({"cooperation", "collaboration", "partenariat", "codeveloppement", "co-developpement"})
"""Nouns that make a project joint when they qualify it ("projet de coopération")."""


POOLING = frozenset(
    {"mise", "mettre", "mutualisation", "mutualiser", "regroupement", "regrouper", "groupement", "centralisation"}
)
"""Folded lemmas of pooling something ("mise en commun", "mutualisation", "regroupement des commandes")."""


def _pools_purchases(node: Any) -> bool:
    """Whether a pooling word ("mise en commun", "mutualisation") pools purchases: its object is one."""
    return fold_text(node.lemma_) in POOLING and any(
        c.dep_ in {"nmod", "obj"} and fold_text(c.lemma_) in PURCHASES for c in node.children
    )


def pooled_purchases(doc: Any) -> list[str]:
    """Group purchases the parse shows: purchases a pooling word governs ("mise en commun des achats",
    "mutualisation des achats d'énergie") or that a joint word qualifies ("achats groupés", "achat en commun").
    LABELLING's R14 line makes them 2 (better terms from suppliers), not a partnership (3)."""
    found = [
        f"{t.text} … {c.text}" for t in doc if _pools_purchases(t) for c in t.children if c.dep_ in {"nmod", "obj"}
    ]
    found += [
        f"{t.text} {c.text}"
        for t in doc
        if fold_text(t.lemma_) in PURCHASES
        for c in t.children
        if c.dep_ in {"amod", "nmod", "advmod"} and fold_text(c.lemma_).startswith(JOINT_MODIFIERS)
    ]
    return found


AMOUNTS = frozenset(
    {"million", "milliard", "euro", "dollar", "chiffre", "emploi", "personne", "salarie", "travailleur", "tonne"}
)
"""Folded lemmas of amounts: what firms make or employ "together" as a sum ("réalisant ensemble 282 millions d'euros
de chiffre d'affaires", "emploient ensemble 3 000 personnes") is their combined size, no joint work."""


def _sums(node: Any) -> bool:
    """Whether a verb's object is an amount (:data:`AMOUNTS`): "ensemble" then adds up, it makes nothing joint."""
    return node.pos_ == "VERB" and any(
        c.dep_ in {"obj", "obl", "obl:arg"} and fold_text(c.lemma_) in AMOUNTS for c in node.children
    )


def joint_work(doc: Any) -> list[str]:
    """The joint things and actions the parse shows (R14, axis 3): a word of :data:`JOINT_MODIFIERS`
    hung (up to two levels) on one of :data:`JOINT_OBJECTS` ("en commun" too, which the tagger takes for a noun:
    "mise en commun de campagnes"), or a project qualified by cooperation
    ("projet de coopération PolyCycle"). Not a sum made together (:func:`_sums`). Whether members take part is the
    rules' question."""
    found = []
    for t in doc:
        low = fold_text(t.lemma_)
        pooled = low == "commun" and any(c.dep_ == "case" and fold_text(c.text) == "en" for c in t.children)
        if low.startswith(JOINT_MODIFIERS) and (t.pos_ in {"ADJ", "VERB", "ADV"} or low == "ensemble" or pooled):
            if t.pos_ == "VERB" and t.dep_ not in {"amod", "acl"}:
                continue  # "partager", "grouper" as the row's own verb is no joint thing
            node = t
            for _ in range(2):
                if node.head.i == node.i:
                    break
                node = node.head
                if fold_text(node.lemma_) in JOINT_OBJECTS and not _pools_purchases(node) and not _sums(node):
                    found.append(
                        f"{node.text} … {t.text}"
                        if abs(node.i - t.i) > 2
                        else doc[min(node.i, t.i) : max(node.i, t.i) + 1].text
                    )
                    break
        elif low == "projet" and any(fold_text(c.lemma_) in JOINT_SOURCES for c in t.children if c.dep_ == "nmod"):
            found.append(doc[t.i : max(c.i for c in t.children if fold_text(c.lemma_) in JOINT_SOURCES) + 1].text)
    return found


GATHERING_VERBS = frozenset({"reunir", "associer", "rassembler", "regrouper", "impliquer", "federer", "mobiliser"})
"""Verbs by which a project or consortium takes its partners ("projet X réunissant des organisations membres")."""
PROJECT_NOUNS = frozenset(
    {"projet", "consortium", "partenariat", "programme", "initiative", "cooperation", "collaboration"}
)
MEMBER_WORDS = frozenset(
    {
        "membre",
        "entreprise",
        "pme",
        "associe",
        "adherent",
        "industriel",
        "start-up",
        "startup",
        "artisan",
        "fabricant",
        "producteur",
        "entrepreneur",
        "societe",
        "firme",
        "equipementier",
        "sous-traitant",
    }
)
"""Lemmas that name members or firms (axis 3 needs a partnership involving members)."""


def members_joint(doc: Any) -> list[str]:
    """Members or firms as the joint partners of a project the parse shows (R14, axis 3): a project,
    consortium or partnership that gathers (:data:`GATHERING_VERBS`) members, firms, or several named
    firms ("projet Biovertol associant Oleon, 3M, Proviron et Ecover")."""
    found = []
    for t in doc:
        if fold_text(t.lemma_) not in PROJECT_NOUNS:
            continue
        heads = [t] + ([doc[t.i + 1]] if t.i + 1 < len(doc) and doc[t.i + 1].dep_ == "ROOT" else [])  # "Projet X": the
        # parse may make the project's name a root of its own and hang the verb on it
        for verb in (
            c
            for h in heads
            for c in h.children
            if c.dep_ in {"acl", "acl:relcl"} and fold_text(c.lemma_) in GATHERING_VERBS
        ):
            partners = [c for c in verb.children if c.dep_ in PARTNER_DEPS]
            named = [w for w in partners if w.pos_ == "PROPN"]
            named += [
                w
                for p in partners
                for w in p.subtree
                if w.pos_ == "PROPN" and w.dep_ == "conj" and w.head in partners + named
            ]
            members = [w for p in partners for w in p.subtree if fold_text(w.lemma_) in MEMBER_WORDS]
            if members or len(set(named)) >= 2:
                found.append(f"{t.text} … {verb.text} {(members or named)[0].text}")
    return found


PARTNER_DEPS = frozenset({"obj", "obl:arg", "obl:mod", "nsubj:pass", "xcomp", "iobj"})


def members_body(doc: Any) -> list[str]:
    """Project nouns that name the body members belong to, not a partnership among them: the complement of a
    member word ("les membres du consortium", "aux associés de la coopérative"; an Italian consorzio is the
    cluster itself). Folded lemmas, so the rules can set those words apart from R14's joint projects."""
    return [
        fold_text(t.lemma_)
        for t in doc
        if fold_text(t.lemma_) in PROJECT_NOUNS | {"cooperative", "groupement"}
        and t.dep_ == "nmod"
        and fold_text(t.head.lemma_) in MEMBER_WORDS
    ]


def gathering_projects(doc: Any) -> list[str]:
    """Projects the parse shows gathering partners of any kind ("projet MATTER réunissant Borealis, l'Université
    de Gand et des recycleurs"): the project may be joint, so R15's "3 only if joint" cannot rule it out. The
    parse may hang the gathering verb on the word that governs the project ("Facilitation du projet X
    réunissant…"). :func:`members_joint` says when the partners are members or firms."""
    found = []
    for verb in doc:
        if verb.dep_ not in {"acl", "acl:relcl"} or fold_text(verb.lemma_) not in GATHERING_VERBS:
            continue
        if not any(c.dep_ in PARTNER_DEPS for c in verb.children):
            continue
        near = [verb.head, *(c for c in verb.head.children if c.dep_ == "nmod")]
        projects = [t for t in near if fold_text(t.lemma_) in PROJECT_NOUNS]
        if projects:
            found.append(f"{projects[0].text} … {verb.text}")
    return found
