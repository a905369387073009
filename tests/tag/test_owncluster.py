"""The own-cluster pass reads only the words (issue 27): the same mentions as the lemmas-and-actors
analysis it replaced, on real rows."""

from __future__ import annotations

from collections import Counter

from conftest import ROOT

from miner.nlp.french import analyse
from miner.tag.classify import gold_rows
from miner.tag.owncluster import OWN_TYPES, mention_counts, most_frequent


def test_mentions_are_those_of_the_full_analysis_on_real_rows():
    texts = gold_rows(ROOT / "corpora" / "activities" / "real.csv")[0][:120]
    expected: Counter[str] = Counter()
    for analysis in analyse(texts, full=False):
        expected.update(a.name or a.text for a in analysis.actors if a.type in OWN_TYPES)
    assert sum(expected.values()) >= 10  # the rows do name clusters: the comparison is not empty
    assert mention_counts(texts) == expected


def test_the_most_named_cluster_is_proposed():
    texts = ["Atelier du Cluster Bois avec Wagralim", "Visite organisée par Wagralim", "Réunion du comité"]
    assert most_frequent(texts) == "Wagralim"
    assert most_frequent(["Réunion du comité"]) is None
