"""One prefix table, short names from it."""

from __future__ import annotations

from miner.rdf.prefixes import PREFIXES, short_name


def test_short_names_and_unknown_iris():
    assert short_name(PREFIXES["miner"] + "Constat") == "miner:Constat"
    assert short_name("https://example.org/x") == "https://example.org/x"
    assert short_name(PREFIXES["miner"] + "a/b") == PREFIXES["miner"] + "a/b"  # not a valid local name
