"""Criteria written as sections, fed block by block as the structure reader does."""

from __future__ import annotations

from miner.extract.sections import SectionReader, judgement_line
from miner.records import Block, Judgement, Question


def block(kind: str, text: str, page: int = 1) -> Block:
    return Block(kind=kind, page=page, bbox=(0, 0, 10, 10), text=text, level=2 if kind == "heading" else None)


def feed(blocks: list[Block]) -> tuple[Question, dict, list[str]]:
    question = Question(number=1, text="Q ?", criteria=[], pages=[1])
    constats: dict = {}
    spilled: list[str] = []
    reader = SectionReader("sha", "r.pdf", constats, [], lambda b: spilled.append(b.text))
    for item in blocks:
        if item.kind == "heading":
            reader.heading(item, question)
        elif not reader.take(item, question):
            spilled.append(item.text)
    reader.close()
    return question, constats, spilled


def test_sub_heading_text_judgement_and_bulleted_constats() -> None:
    question, constats, spilled = feed([
        block("heading", "Critère 1.1 – Ancrage territorial"),
        block("paragraph", "Les membres sont répartis sur le territoire."),
        block("paragraph", "Jugement : Partiellement atteint"),
        block("heading", "Constats"),
        block("list_item", "• Constat 1 : Quatre membres sur cinq à Liège."),
        block("list_item", "• Constat 2 : Aucun à Namur."),
        block("paragraph", "Conclusion de la question."),
    ])  # fmt: skip
    (criterion,) = question.criteria
    assert (criterion.theme, criterion.criterion) == (
        "Ancrage territorial",
        "Les membres sont répartis sur le territoire.",
    )
    assert criterion.judgement is Judgement.PARTIEL and criterion.judgement_text == "Partiellement atteint"
    assert criterion.constats == [1, 2] and constats[2].text == "Aucun à Namur."
    assert spilled == ["Conclusion de la question."]


def test_numbered_constats_keep_their_numbers_or_follow_on() -> None:
    question, constats, _ = feed([
        block("heading", "1.1 Lisibilité"), block("paragraph", "Le plan est connu."), block("paragraph", "Jugement : Atteint"),
        block("list_item", "3. Présenté chaque année."), block("list_item", "4. Cité par neuf membres sur dix."),
        block("heading", "1.2 Coûts"), block("paragraph", "Les frais restent proportionnés."),
        block("paragraph", "Appréciation : Satisfaisant"), block("list_item", "1. Frais stables."),
    ])  # fmt: skip
    assert [c.theme for c in question.criteria] == ["Lisibilité", "Coûts"]
    assert [c.constats for c in question.criteria] == [[3, 4], [5]]  # "1." again is not constat 1
    assert constats[5].text == "Frais stables."


def test_criterion_written_as_one_labelled_paragraph() -> None:
    question, _, _ = feed([
        block("paragraph", "Critère 2.1 – Participation : Les membres participent aux activités."),
        block("paragraph", "Jugement : Non-atteint"), block("list_item", "• C5 – La moitié n'est jamais venue."),
    ])  # fmt: skip
    (criterion,) = question.criteria
    assert (criterion.theme, criterion.criterion) == ("Participation", "Les membres participent aux activités.")
    assert criterion.judgement is Judgement.NON_ATTEINT and criterion.constats == [5]


def test_a_sub_heading_without_judgement_gives_its_paragraphs_back() -> None:
    question, _, spilled = feed([block("heading", "Contexte"), block("paragraph", "Un paragraphe d'analyse.")])
    assert question.criteria == [] and spilled == ["Un paragraphe d'analyse."]


def test_judgement_lines() -> None:
    assert judgement_line("Niveau d'atteinte : Largement atteint") == "Largement atteint"
    assert judgement_line("Le jugement : bon ou mauvais ?") is None
    assert Judgement.parse("Largement atteint") is Judgement.SATISFAISANT
