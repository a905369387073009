"""Column titles by role: the usual French wordings, broken words, the earliest role word wins."""

from __future__ import annotations

import pytest

from miner.read.headers import ROLE_WORDS, fold, header_role, starts_with_role


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Thème", "theme"), ("Thématique", "theme"), ("Dimension", "theme"),
        ("Critère", "criterion"), ("Critère d'évaluation", "criterion"), ("Critères de jugement", "criterion"),
        ("Jugement", "judgement"), ("Jugeme nt", "judgement"), ("Appréciation", "judgement"),
        ("Niveau d'atteinte du critère", "judgement"), ("Degré d'atteinte", "judgement"),
        ("Justification", "justification"), ("Principaux constats", "justification"),
        ("Éléments de constat", "justification"), ("Observations", "justification"),
        ("Recommandations", "recommendation"),
    ],
)  # fmt: skip
def test_usual_titles_name_their_role(title: str, role: str) -> None:
    assert header_role(title) == role


def test_no_role_for_other_words_and_sentences() -> None:
    assert header_role("Date") is None and header_role("Partenaires") is None and header_role("") is None
    # a short role word ("as": axis in Dutch) names a role only as a word of its own
    assert header_role("Repräsentativität") is None and header_role("As") == "theme"
    # a role word read across a space must join the pieces of one broken word: "The members" is no "theme"
    assert header_role("The members") is None and header_role("Jugeme nts") == "judgement"
    sentence = "Les critères retenus pour cette question figurent dans le tableau ci-dessous avec leur jugement"
    assert header_role(sentence) is None


def test_labels_open_with_a_role_word() -> None:
    assert starts_with_role("Appréciation globale", "judgement")
    assert not starts_with_role("Le jugement", "judgement")
    assert fold("Éléments d'analyse") == "elementsdanalyse"
    assert all(word == fold(word) for words in ROLE_WORDS.values() for word in words)
