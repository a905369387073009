"""Extraction of the real INFOPOLE 2025 evaluation: exact structure, as the expected file says."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import EVAL_EXPECTED

from miner.extract.evaluation import find_constats, outline
from miner.nlp.text import squash
from miner.records import Evaluation, Judgement


@pytest.fixture(scope="module")
def evaluation(report) -> Evaluation:
    return report


@pytest.fixture(scope="module")
def expected(shared) -> dict:
    return json.loads(EVAL_EXPECTED.read_text(encoding="utf-8"))


def expected_constats(expected: dict) -> dict[int, str]:
    return {
        c["number"]: c["text"]
        for q in expected["questions"]
        for crit in q["criteria"]
        for c in crit["constats"]
        if "text" in c
    }


def test_metadata(evaluation, expected):
    meta = evaluation.metadata
    assert meta.cluster == expected["cluster"]
    assert str(meta.date) == expected["date"]
    assert meta.evaluator == expected["evaluator"]
    assert meta.commissioner == expected["commissioner"]
    assert meta.fictitious is False


def test_counts(evaluation):
    assert len(evaluation.questions) == 5
    assert sum(len(q.criteria) for q in evaluation.questions) == 18
    assert len(evaluation.constats) == 29
    judgements = Counter(c.judgement for q in evaluation.questions for c in q.criteria)
    assert judgements == {Judgement.ATTEINT: 13, Judgement.SATISFAISANT: 3, Judgement.PARTIEL: 2}


def test_questions_and_criteria_exact(evaluation, expected):
    for question, exp_q in zip(evaluation.questions, expected["questions"], strict=True):
        assert question.number == exp_q["number"]
        assert question.text == exp_q["text"]
        for criterion, exp_c in zip(question.criteria, exp_q["criteria"], strict=True):
            assert criterion.theme == squash(exp_c["theme"])
            assert criterion.criterion == squash(exp_c["criterion"])
            assert criterion.judgement.value == exp_c["judgement"]
            assert criterion.constats == [c["number"] for c in exp_c["constats"]]


def test_constat_texts_exact(evaluation, expected):
    texts = expected_constats(expected)
    got = {c.number: c.text for c in evaluation.constats}
    assert sorted(got) == sorted(texts) == list(range(1, 30))
    for number, text in texts.items():
        assert squash(got[number]) == squash(text), number


def test_constats_split_across_pages(evaluation):
    by_number = {c.number: c for c in evaluation.constats}
    # constat 3 starts at the foot of page 2 and ends on page 3; constat 16 likewise on 6 → 7
    assert by_number[3].pages == [2, 3]
    assert by_number[16].pages == [6, 7]
    assert all(c.pages and c.provenance and c.provenance.page == c.pages[0] for c in evaluation.constats)


def test_merged_cell_and_long_row(evaluation):
    q2 = evaluation.questions[1]
    assert all(c.constats == [9] for c in q2.criteria) and len(q2.criteria) == 6
    constat9 = next(c for c in evaluation.constats if c.number == 9)
    assert constat9.criteria == [c.id for c in q2.criteria]
    quality = next(c for q in evaluation.questions for c in q.criteria if c.theme == "Qualité des réalisations")
    assert set(range(15, 23)) <= set(quality.constats)


def test_no_running_header_or_page_number_in_text(evaluation):
    header = "Synthèse du rapport final d'évaluation"
    texts = [c.text for c in evaluation.constats]
    texts += [c.criterion for q in evaluation.questions for c in q.criteria]
    texts += [q.conclusion for q in evaluation.questions] + [q.introduction for q in evaluation.questions]
    texts += [b.text for b in evaluation.blocks if b.page > 1]
    for text in texts:
        assert "INFOPOLE cluster TIC –" not in text
        assert not (header in text and "–" in text)
        assert not re.search(r"(?:^|\n)\s*\d{1,2}\s*(?:$|\n)", text)


def test_conclusions_and_phases(evaluation):
    assert [p.number for p in evaluation.phases] == [1, 2, 3, 4, 5]
    assert evaluation.phases[1].name == "Observer"
    q1 = evaluation.questions[0]
    assert "183 membres" in q1.conclusion
    assert q1.conclusion.count("\n\n") == 1  # two concluding paragraphs
    assert "3 critères" in q1.introduction or "3\ncritères" in q1.introduction
    assert evaluation.questions[4].conclusion.startswith("Les critères définis")


def test_blocks_have_kinds_pages_and_boxes(evaluation):
    kinds = Counter(b.kind for b in evaluation.blocks)
    assert kinds["table"] == 5 and kinds["heading"] >= 6 and kinds["paragraph"] > 20
    for block in evaluation.blocks:
        x0, top, x1, bottom = block.bbox
        assert block.page in range(1, 10) and x0 < x1 and top < bottom
    q1_table = next(b.table for b in evaluation.blocks if b.kind == "table")
    assert q1_table.pages == [2, 3] and q1_table.header == ["Thème", "Critère", "Jugement", "Justification"]
    assert q1_table.caption.startswith("Question d'évaluation 1 :")


def test_json_round_trip(evaluation):
    again = Evaluation.model_validate_json(evaluation.model_dump_json())
    assert again == evaluation


def test_outline(evaluation):
    text = outline(evaluation)
    assert "5 questions, 18 criteria, 29 constats" in text
    assert "[Partiel     ] Pérennité  (constats 28, 29)" in text


def test_find_constats_offsets():
    text = "Constat 1 : Un texte. Constat 12 : Un autre."
    found = find_constats(text)
    assert [(n, t) for n, t, _, _ in found] == [(1, "Un texte."), (12, "Un autre.")]
    assert text[found[1][2] :].startswith("Constat 12")
