"""Axis 5 from what the sentence says a body or a label is (CONVENTIONS R0, R13): hand-written sentences, each
with its near miss. The own cluster is "Cluster Bois"; the learned head is not involved."""

from __future__ import annotations

import pytest

from miner.nlp.french import analyse_with_docs
from miner.tag.facts import facts_of, own_cluster
from miner.tag.rules import SETTLES, apply_rules

CASES = [
    # (sentence, settled verdicts that must be there, verdicts that must not)
    # R13: a cluster-management label or audit benchmarks the cluster against other clusters
    ("Renouvellement de la certification Gold de l'ESCA avec un score de 90 %.", {"+5"}, {"-5"}),
    ("Obtention du label européen Cluster Excellence Silver après un audit de la gestion du cluster.", {"+5"}, {"-5"}),
    ("Cluster Excellence Gold label awarded after the ESCA benchmarking of the cluster management.", {"+5"}, set()),
    ("Admission au programme go-cluster du ministère fédéral de l'Économie.", {"+5"}, {"-5"}),
    # a medal or a label of the members' products is no benchmarking among clusters
    ("Obtention du label Gold de qualité pour les menuiseries des membres.", {"-5"}, {"+5"}),
    ("Création d'un label de qualité pour les maisons en bois des membres.", {"-5"}, {"+5"}),
    # managing a cluster is no label or audit: a training of the team in it compares with no other cluster
    ("Formation de l'équipe à la gestion de cluster et au management de cluster.", set(), {"+5"}),
    # a cluster the row founds or launches is the list's own, however described; one founded with another cluster
    # as partner still has that cluster as counterpart
    ("Lancement officiel du premier cluster bruxellois de l'économie circulaire avec 27 entreprises.", {"-5"}, {"+5"}),
    ("Création du cluster catalan des matériaux avancés par 21 entreprises.", {"-5"}, {"+5"}),
    ("Constitution du cluster catalan des matériaux avancés par 21 entreprises.", {"-5"}, {"+5"}),
    ("Création d'un cluster transfrontalier avec le cluster danois Wind Denmark.", {"+5"}, {"-5"}),
]


def signs(verdicts) -> set[str]:
    return {("+" if v.add else "-") + str(v.axis) for v in verdicts if v.strength >= SETTLES}


@pytest.fixture(scope="module")
def all_verdicts():
    """Every case parsed in one spaCy batch."""
    return [
        apply_rules(facts_of(a, d, own_cluster("Cluster Bois"))) for a, d in analyse_with_docs([c[0] for c in CASES])
    ]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_axis_5_on_a_hand_written_sentence(index, all_verdicts):
    sentence, must, must_not = CASES[index]
    got = signs(all_verdicts[index])
    assert must <= got, f"{sentence}: {got} lacks {must - got} ({all_verdicts[index]})"
    assert not (must_not & got), f"{sentence}: {got} has {must_not & got}"


def test_a_cluster_tied_to_a_name_by_a_sector_word_is_another_cluster():
    """ "Le cluster automobile AutomotiveDIALOG" names another cluster however the parse hangs the sector word;
    "le cluster" bare, or followed by a verb, is the list's own."""
    texts = [
        "Mission à Stuttgart avec six entreprises : visites d'usines, rencontres avec le cluster automobile "
        "AutomotiveDIALOG et forum avec Audi et Porsche.",
        "Mission à Stuttgart avec six entreprises : visites d'usines, rencontres avec le cluster et forum avec Audi.",
    ]
    (a1, d1), (a2, d2) = analyse_with_docs(texts)
    other = facts_of(a1, d1, own_cluster("Cluster Bois"))
    own = facts_of(a2, d2, own_cluster("Cluster Bois"))
    assert any(m.type == "cluster" and not m.own for m in other.mentions), other.mentions
    assert "+5" in signs(apply_rules(other))
    assert not any(m.type == "cluster" and not m.own for m in own.mentions), own.mentions
    assert "+5" not in signs(apply_rules(own))
