"""The own-cluster pass reads only the words (issue 27): the same mentions as the lemmas-and-actors
analysis it replaced, on real rows."""

from __future__ import annotations

from collections import Counter

from conftest import ROOT

from miner.nlp.french import analyse, analyse_with_docs
from miner.tag.classify import gold_rows
from miner.tag.facts import facts_of, own_cluster
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


def test_a_bracketed_long_form_is_a_name_of_the_own_cluster_a_bracketed_place_is_not():
    hegan = own_cluster("HEGAN (Basque Aerospace Cluster)", "column")
    assert {"hegan", "basque aerospace cluster"} <= hegan.names
    austria = own_cluster("Ökoenergie-Cluster (Haute-Autriche)", "column")
    assert "okoenergie cluster" in austria.names and "haute autriche" not in austria.names
    sentences = [
        "Fusion de l'Ökoenergie-Cluster, géré par l'OÖ Energiesparverband, avec le cluster voisin.",
        "Atelier avec l'agence de développement de Haute-Autriche.",
    ]
    (a1, d1), (a2, d2) = analyse_with_docs(sentences)
    assert any(m.own and "Ökoenergie" in m.text for m in facts_of(a1, d1, austria).mentions)
    assert not any(m.own for m in facts_of(a2, d2, austria).mentions)
