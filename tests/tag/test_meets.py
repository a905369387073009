"""R5 "X meets Y" read from the tokens of a title, not a pattern over the text (issue 22): a meeting verb with a
content word on both sides ("Drones meets GreenWin", "Industrie trifft Forschung", "Bouw ontmoet Zorg"); the
party Y decides 6 (a pôle or an R7 body) or 5 (a cluster). Near misses: a networking format whose verb has no
party before it ("« Meet the members »"), an event named "Meet in …", a French meeting noun."""

from __future__ import annotations

import pytest
from rulecases import batch_verdicts

from miner.nlp.french import analyse_with_docs
from miner.tag.eventhead import meeting_parties
from miner.tag.rules import SETTLES

CASES = [
    # (sentence, settled R5 verdicts that must be there, R5 verdicts that must not)
    ("Rencontre « Drones meets GreenWin » : exposés et démonstrations.", {"+2", "+6"}, {"+5"}),
    ("Soirée « Capteurs meets Cluster Eco-construction » : exposés.", {"+2", "+5"}, {"+6"}),
    ("Forum « Industrie trifft Forschung » in Linz mit 80 Teilnehmern.", {"+2"}, set()),
    ("Bijeenkomst « Bouw ontmoet Zorg » in Gent.", {"+2"}, set()),
    ("Petit-déjeuner « Meet the members » pour les nouveaux adhérents.", set(), {"+2"}),
    ("Quatrième édition du Meet in Wallonia for Wood à Namur.", set(), {"+2"}),
    ("Rencontre entre les membres et la fédération Agoria sur le bois.", set(), {"+2", "+6"}),
    # a title the row does not close: the party ends at the sentence's next preposition, so a pôle presenting
    # after it is no party (a talk adds nothing, R4), while one named in the party is
    ("Soirée ICT meets Health avec une présentation du pôle BioWin sur la télémédecine.", {"+2"}, {"+6"}),
    ("Soirée ICT meets BioWin avec une présentation sur la télémédecine.", {"+2", "+6"}, set()),
    ("Soirée ICT meets Health in Liège with BioWin.", {"+2"}, {"+6"}),
    # a pronoun is no party: the sentence tells of a meeting, it names none
    ("We meet again next year in Namur with the members.", set(), {"+2"}),
    ("Wir treffen uns wieder im Mai.", set(), {"+2"}),
    ("IT meets Health : soirée de démonstrations.", {"+2"}, set()),
    # a name is a party by where it stands, not by sharing letters with one: the federation present after the
    # title is no party of "Agoriana"
    ("Soirée « Bois meets Agoriana » en présence d'Agoria.", {"+2"}, {"+6"}),
]


@pytest.fixture(scope="module")
def all_verdicts():
    return batch_verdicts([c[0] for c in CASES], "Cluster Bois")


@pytest.mark.parametrize("index", range(len(CASES)))
def test_r5_reads_the_two_parties_of_a_title(index, all_verdicts):
    sentence, must, must_not = CASES[index]
    got = {
        ("+" if v.add else "-") + str(v.axis) for v in all_verdicts[index] if v.rule == "R5" and v.strength >= SETTLES
    }
    assert must <= got and not (must_not & got), (sentence, got)


def test_the_parties_are_each_side_of_the_verb():
    [(_, doc)] = analyse_with_docs(["Atelier « Smart Farming meets IA » avec dix membres."])
    assert meeting_parties(doc) == [("Smart Farming", "meets", "IA")]
