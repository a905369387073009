"""Names listed after a plain noun that opens the list take its role (issue 22): the parse hangs a list's later
items anywhere, while its first item, no organisation's name, keeps its case word."""

from __future__ import annotations

import pytest

from miner.nlp.french import analyse_with_docs
from miner.tag.facts import facts_of, own_cluster

CASES = [
    # (sentence, name, the role it must have, or None for "no active role")
    ("Atelier organisé avec des chercheurs, l'agence AWEX et le cluster Skywin.", "AWEX", "co-organiser"),
    ("Atelier organisé avec des chercheurs, l'agence AWEX et le cluster Skywin.", "Skywin", "co-organiser"),
    # near misses: the item before the name is no list's first noun with a role (a place visited, a name)
    ("Visite des laboratoires, de l'agence AWEX et du cluster Skywin.", "AWEX", None),
    ("Présentation aux élèves, puis visite de l'agence AWEX.", "AWEX", None),
    # the item before is a name ("l'entreprise Dubois"): the noun it hangs on ("visites") is not the list's first
    (
        "Présentation de la région par l'agence AWEX, visites de l'entreprise Dubois et du centre technologique Sirris.",
        "Sirris",
        None,
    ),
]


@pytest.fixture(scope="module")
def parsed():
    return [facts_of(a, d, own_cluster("Cluster Bois")) for a, d in analyse_with_docs([c[0] for c in CASES])]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_a_list_opened_by_a_plain_noun_shares_its_role(index, parsed):
    sentence, name, role = CASES[index]
    found = [m for m in parsed[index].mentions if name in m.text]
    assert found, (sentence, parsed[index].mentions)
    if role is None:
        assert not any(m.active for m in found), found
    else:
        assert {m.role for m in found} == {role}, found
