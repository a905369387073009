"""Roles the parse hides (issue 22, axis 6): a past participle the tagger reads as an adjective still says the
role its verb says ("coordonné par la fédération X"), and a name inside an organisation's type phrase plays the
role of the phrase's head ("avec l'agence d'export X": the case word governs "agence", not the name). Near
misses: a verb that says no role, a name the parse hangs outside the phrase, a phrase that is a topic or an
audience. What a project or partnership gathers ("le partenariat X réunissant A, B et C") are its partners; what
a fair gathers is no partner."""

from __future__ import annotations

import pytest

from miner.nlp.french import analyse_with_docs, participle_verb
from miner.tag.facts import ACTIVE_ROLES, facts_of, own_cluster
from miner.tag.rules import SETTLES, apply_rules, verdict_key

CASES = [
    # (sentence, name, its role or None for "no active role")
    (
        "Pavillon collectif dans l'espace italien coordonné par la fédération Anima au salon de Hanovre.",
        "Anima",
        "co-organiser",
    ),
    (
        "Pavillon collectif dans l'espace belge coordonné par la Chambre de commerce NORVEXA au salon de Milan.",
        "NORVEXA",
        "co-organiser",
    ),
    ("Stand collectif dans l'espace belge visité par la fédération Anima au salon de Hanovre.", "Anima", None),
    # a participle the tagger reads as a noun conjunct, its "par" complement an agent: its verb's role, not the
    # first conjunct's ("financé": funder); a noun without an agent ("les invités de") says no verb's role
    ("Projet financé par la Région wallonne et piloté par la fédération Anima.", "Anima", "co-organiser"),
    ("Projet de recherche subsidié par la Région et coordonné par la fédération Anima.", "Anima", "co-organiser"),
    ("Cocktail avec les invités de la fédération Anima au salon de Hanovre.", "Anima", None),
    ("Atelier sur la robotique initié par la fédération Anima.", "Anima", "framework"),
    ("Projet pilote monté avec l'agence d'export NAVEX sur l'usinage de précision.", "NAVEX", "co-organiser"),
    (
        "Présence des membres au salon de Hanovre avec l'appui de l'agence régionale de développement Idexa.",
        "Idexa",
        "framework",
    ),
    ("Présentation aux membres de la stratégie de l'agence d'export NAVEX.", "NAVEX", None),
    ("Atelier ouvert aux conseillers de l'agence d'export NAVEX.", "NAVEX", None),
    ("Visite du siège de l'agence d'export NAVEX par les membres.", "NAVEX", None),
    # what a project or partnership gathers are its partners; what a fair gathers are participants
    (
        "Pilotage du partenariat d'innovation Lumen réunissant Sonexa, Vertalis, le CETIC et six PME membres.",
        "CETIC",
        "partner",
    ),
    (
        "Projet de recherche Lumen réunissant la fédération Anima et quatre PME membres autour du recyclage.",
        "Anima",
        "partner",
    ),
    ("Salon professionnel réunissant Sonexa, Vertalis, le CETIC et cent exposants à Namur.", "CETIC", None),
]


@pytest.fixture(scope="module")
def parsed():
    out = []
    for analysis, doc in analyse_with_docs([c[0] for c in CASES]):
        facts = facts_of(analysis, doc, own_cluster("Cluster Bois"))
        out.append((facts, apply_rules(facts)))
    return out


@pytest.mark.parametrize("index", range(len(CASES)))
def test_the_role_a_participle_or_a_type_phrase_says(index, parsed):
    sentence, name, role = CASES[index]
    facts, verdicts = parsed[index]
    found = [m for m in facts.mentions if name in m.text]
    assert found, (sentence, facts.mentions)  # the name must be found before its role can be said
    settled6 = [v for v in verdicts if v.axis == 6 and v.add and v.strength >= SETTLES]
    if role is None:
        assert all(m.role not in ACTIVE_ROLES for m in found), (sentence, found)
        assert not settled6, (sentence, [verdict_key(v) for v in verdicts])
    else:
        assert role in {m.role for m in found}, (sentence, found)
        assert settled6 and settled6[0].words, (sentence, [verdict_key(v) for v in verdicts])


def test_participle_verb_reads_participles_only():
    assert participle_verb("coordonné") == "coordonner"
    assert participle_verb("initiées") == "initier"
    assert participle_verb("commun") is None  # no verb's participle: the adjective keeps its own lemma
    assert participle_verb("collectif") is None
