"""The cycle record: its identity is kind and ordinal (or year), not the period the text states."""

from __future__ import annotations

import datetime as dt

from miner.records.cycles import Cycle, CycleInference


def test_identity_labels_and_the_cycle_before():
    stated = Cycle("triennat", 7, start=dt.date(2023, 1, 1), end=dt.date(2025, 6, 30))
    assert stated == Cycle("triennat", 7) and stated.slug == "triennat-7" and stated.label == "7e triennat"
    assert Cycle("quadriennat", 1).label == "1er quadriennat" and Cycle("quadriennat", 1).previous() is None
    assert Cycle("triennat", None, 2011).slug == "triennat-2011" and Cycle("annee", None, 2011).label == "année 2011"
    assert not CycleInference(Cycle("triennat", None, 2025), "date").has_ordinal
