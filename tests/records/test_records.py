"""Records round-trip through JSON exactly and refuse unknown fields."""

from __future__ import annotations

import pydantic
import pytest

from miner.records.activities import Activity
from miner.records.document import Provenance, SourceInfo
from miner.records.evaluation import Constat, Evaluation, Judgement, Metadata


def test_evaluation_round_trips_and_typos_fail():
    ev = Evaluation(
        source=SourceInfo(path="r.pdf", sha256="0" * 64, pages=2),
        metadata=Metadata(cluster="X"),
        constats=[
            Constat(
                number=3,
                text="Un constat.",
                criteria=["1.1"],
                pages=[2],
                provenance=Provenance(document="0" * 64, page=2),
            )
        ],
    )
    assert Evaluation.model_validate_json(ev.model_dump_json()) == ev
    with pytest.raises(pydantic.ValidationError):
        Activity(id="1", description="x", colour="red")


def test_judgement_scale_is_ordered():
    assert [j.rank for j in Judgement] == [0, 1, 2, 3]
    assert Judgement.parse("SATISFAISANT") is Judgement.SATISFAISANT
