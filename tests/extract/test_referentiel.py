"""Référentiel vocabulary on hand-made inputs: column roles, question headings, constat labels."""

from __future__ import annotations

import pytest

from miner.extract.referentiel import NUMBERED_QUESTION, column_roles, find_constats, match_question


def test_roles_from_titles_in_any_order_with_extra_columns() -> None:
    roles = column_roles(["Critère d'évaluation", "Recommandations", "Appréciation", "Dimension", "Constats"], [])
    assert (roles.criterion, roles.recommendation, roles.judgement, roles.theme, roles.justification) == (0, 1, 2, 3, 4)
    assert roles.complete and roles.how["judgement"] == "title"


def test_judgement_column_found_by_its_content() -> None:
    rows = [
        ["Gouvernance", "Le cluster …", "Partiellement atteint", "C1 – Un."],
        ["Pérennité", "…", "ATTEINT", "C2 – Deux."],
    ]
    roles = column_roles(["Axe", "Critère", "Note", "Éléments"], rows)
    assert roles.judgement == 2 and roles.how["judgement"] == "content"
    assert roles.justification == 3 and roles.how["justification"] == "content"


def test_a_table_without_judgement_is_incomplete() -> None:
    roles = column_roles(["Colonne A", "Colonne B", "Colonne C"], [["a", "b", "Vert"], ["c", "d", "Rouge"]])
    assert not roles.complete and roles.missing() == ["judgement"]


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("2 Question d'évaluation 1 : Dans quelle mesure ?", 1),
        ("Question évaluative n°2 – Dans quelle mesure ?", 2),
        ("QE3 : Dans quelle mesure ?", 3),
        ("QE 4. Dans quelle mesure ?", 4),
        ("Question 5 : Dans quelle mesure ?", 5),
    ],
)
def test_question_heading_variants(heading: str, number: int) -> None:
    assert match_question(heading) == (number, "Dans quelle mesure ?")


def test_other_headings_are_no_questions() -> None:
    assert match_question("1 Approche méthodologique") is None
    assert match_question("Questions évaluatives retenues") is None
    assert NUMBERED_QUESTION.match("3.2 Le cluster est-il utile ?") and not NUMBERED_QUESTION.match("3.2 Synthèse")


@pytest.mark.parametrize(
    "text",
    [
        "Constat 1 : Un. Constat 2 : Deux.",
        "Constat n°1 : Un. Constat n°2 : Deux.",
        "Constat 1. Un. Constat 2. Deux.",
        "C1 – Un. C2 – Deux.",
        "C.1 : Un. C.2 : Deux.",
        "• Constat 1 : Un. • Constat 2 : Deux.",
    ],
)
def test_constat_label_variants(text: str) -> None:
    assert [(n, t) for n, t, _, _ in find_constats(text)] == [(1, "Un."), (2, "Deux.")]


def test_letters_and_numbers_inside_a_sentence_are_no_labels() -> None:
    assert find_constats("Les entreprises de catégorie C3. sont nombreuses ; le constat 4 : voir plus haut.") == []
