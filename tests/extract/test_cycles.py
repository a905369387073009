"""Cycles: inferred from the text (ordinal, period, date), given by the pipeline, conflicts kept."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from miner.errors import UsageError
from miner.extract.cycles import Cycle, cycle_inference_of_evaluation, infer_cycle_details, parse_cycle, require_ordinal


def test_shared_report_cycle_from_its_text(report):
    found = cycle_inference_of_evaluation(report)
    assert found.source == "text" and found.conflicts == []
    assert found.cycle == Cycle("triennat", 7, 2025)
    assert (found.cycle.start, found.cycle.end) == (dt.date(2023, 1, 1), dt.date(2025, 6, 30))
    ordinal = next(e for e in found.evidence if e.what == "ordinal")
    assert ordinal.page == 2 and "septième triennat" in ordinal.quote
    period = next(e for e in found.evidence if e.what == "period")
    assert period.page == 5 and "de janvier 2023 à juin 2025" in period.quote
    assert {e.value for e in found.evidence if e.what == "next"} == {"quadriennat"}


def test_sample_corpus_cycles():
    from miner.extract.evaluation import extract_evaluation

    for name, ordinal, start, end in (("2021", 6, "2019-01-01", "2021-06-30"), ("2025", 7, "2022-07-01", "2025-06-30")):
        found = cycle_inference_of_evaluation(
            extract_evaluation(ROOT / f"corpora/pdf/evaluation-chanvrelia-{name}.pdf")
        )
        assert found.cycle.slug == f"triennat-{ordinal}"
        assert (str(found.cycle.start), str(found.cycle.end)) == (start, end)
        assert found.conflicts == []


def test_other_cycles_do_not_vote():
    found = infer_cycle_details(
        [("lors du prochain quadriennat", 3), ("à la fin du triennat précédent", 2), ("pendant son 3e triennat", 4)]
    )
    assert found.cycle.slug == "triennat-3"


def test_pipeline_override_wins_and_the_disagreement_is_reported(report):
    found = cycle_inference_of_evaluation(report, "quadriennat-1")
    assert found.source == "pipeline" and found.cycle.slug == "quadriennat-1"
    assert found.conflicts == ["cycle given as 1er quadriennat but the text says 7e triennat (p. 2)"]
    agreeing = cycle_inference_of_evaluation(report, "triennat-7")
    assert agreeing.source == "pipeline" and agreeing.conflicts == []


def test_conflicts_are_reported_not_resolved():
    found = infer_cycle_details(
        [
            ("Au cours de son septième triennat", 2),
            ("au cours de son septième triennat", 3),
            ("le sixième triennat du cluster", 6),
            ("les activités de janvier 2023 à juin 2025", 5),
        ],
        date=dt.date(2025, 3, 1),
    )
    assert found.cycle.slug == "triennat-7"
    assert "the text names more than one cycle: 7e triennat (p. 2), 6e triennat (p. 6)" in found.conflicts
    assert "the report is dated 2025-03-01, before the end of the period it analyses (2025-06-30)" in found.conflicts
    kind = infer_cycle_details([("son deuxième quadriennat", 1)], kind_hint="évaluation triennale")
    assert kind.conflicts == ["the title says 'évaluation triennale' but the text names a quadriennat"]


def test_missing_cycle_asks_for_the_flag():
    found = infer_cycle_details(
        [("Le cluster a bien travaillé.", 1)], date=dt.date(2019, 5, 1), kind_hint="évaluation triennale"
    )
    assert found.source == "date" and found.cycle.slug == "triennat-2019"
    with pytest.raises(UsageError, match=r"cannot tell which cycle old\.pdf covers.*give it with --cycle-a triennat-N"):
        require_ordinal(found, "old.pdf", "--cycle-a")


def test_parse_cycle_refuses_nonsense():
    assert parse_cycle("annee-2011").label == "année 2011"
    with pytest.raises(UsageError, match="triennat-N"):
        parse_cycle("septième")
    assert Cycle("triennat", 7).previous() == Cycle("triennat", 6)
