"""The genre's lexicons: one per language, complete, and used by every reader of the genre's words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from miner.data.lexicon import LANGUAGES, all_words, detect_language, fold, lexicon, lexicons
from miner.extract.referentiel import find_labels, match_question
from miner.read.headers import header_role
from miner.records import Judgement


def test_every_language_declares_the_whole_scale_and_its_tesseract_data() -> None:
    assert [lex.language for lex in lexicons()] == list(LANGUAGES)
    for lex in lexicons():
        assert set(lex.scale) == {level.value for level in Judgement}
        assert lex.tesseract in {"fra", "eng", "nld", "deu"}
        assert lex.question and lex.finding and lex.legend


def test_an_unknown_language_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known: fr, en, nl, de"):
        lexicon("es")


def test_no_wording_means_two_levels() -> None:
    """A scale word of one language must not be another level's word in another language."""
    seen: dict[str, str] = {}
    for lex in lexicons():
        for level, words in lex.scale.items():
            for word in words:
                assert seen.setdefault(fold(word), level) == level, word


@pytest.mark.parametrize(
    ("printed", "level"),
    [
        ("Achieved", "Atteint"),
        ("Not achieved", "Non atteint"),
        ("Gedeeltelijk bereikt", "Partiel"),
        ("Voldoende", "Satisfaisant"),
        ("Nicht erreicht", "Non atteint"),
        ("Teilweise erreicht", "Partiel"),
    ],
)
def test_judgements_in_every_language_map_to_the_one_scale(printed: str, level: str) -> None:
    assert Judgement.parse(printed) == Judgement(level)


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Evaluation question 2: To what extent?", 2),
        ("Evaluatievraag 3 – In hoeverre?", 3),
        ("Evaluierungsfrage 1: Inwieweit?", 1),
        ("2. Question d'évaluation 4 : Dans quelle mesure ?", 4),
    ],
)
def test_question_headings_in_every_language(heading: str, number: int) -> None:
    found = match_question(heading)
    assert found is not None and found[0] == number


def test_finding_labels_in_every_language_and_per_question() -> None:
    text = "Vaststelling 1 : Een. Feststellung 2: Zwei. Finding 3: Three. Constat 2.4 : Quatre."
    assert [label for label, *_ in find_labels(text)] == ["1", "2", "3", "2.4"]


def test_column_titles_in_every_language() -> None:
    assert [header_role(t) for t in ("Rating", "Oordeel", "Bewertung", "Findings", "Vaststellingen", "Kriterium")] == [
        "judgement",
        "judgement",
        "judgement",
        "justification",
        "justification",
        "criterion",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le cluster réunit les entreprises de la filière et leurs partenaires.", "fr"),
        ("The members of the cluster take part in the work of the board.", "en"),
        ("De leden van het cluster nemen deel aan de werkgroepen en zijn actief.", "nl"),
        ("Die Mitglieder des Clusters nehmen an den Arbeitsgruppen teil und sind mit dem Vorstand verbunden.", "de"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_all_words_has_every_language() -> None:
    assert {"Question d'évaluation", "Evaluation question", "Evaluatievraag", "Evaluierungsfrage"} <= set(
        all_words("question")
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # short activity rows, where a count of function words ties or errs ("in" is English and Dutch)
        ("Netwerkevent voor leden in Gent", "nl"),
        ("Infosessie ter gelegenheid van de beurs", "nl"),
        ("Samenwerking tussen bedrijven en kennisinstellingen", "nl"),
        ("Netzwerkabend für Mitglieder in Eupen", "de"),
        ("Kooperation zwischen Unternehmen und Hochschulen", "de"),
        ("Seminar to present the new market study to members", "en"),
        ("Webinar about public procurement for SMEs", "en"),
        ("Atelier de veille pour les membres du cluster", "fr"),
        ("Soirée ICT meets Health avec une présentation du pôle", "fr"),
        # a French row of English loanwords: its only function words are French ("pour les", "du")
        ("Workshop design thinking pour les PME", "fr"),
        ("Kick-off meeting du projet Interreg", "fr"),
        ("B2B meetings at the fair in Hannover", "en"),
        ("Salon Batibouw", None),
        ("Batibouw Agoria Sirris Hannover", None),
    ],
)
def test_detect_language_of_short_rows(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_no_french_activity_is_called_foreign() -> None:
    """real.csv's descriptions are all French: the detector must call none of them another language (the
    function-word count it replaced called one Dutch; a French row called foreign loses its parse's aims)."""
    with open(Path(__file__).parents[2] / "corpora" / "activities" / "real.csv", encoding="utf-8") as handle:
        rows = [row["description"] for row in csv.DictReader(handle)]
    assert len(rows) > 500
    assert [(text, detect_language(text)) for text in rows if detect_language(text) not in ("fr", None)] == []
