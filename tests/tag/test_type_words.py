"""Type words of applied research and transfer centres serving firms (R7, LABELLING's choice for Fraunhofer
institutes and similar applied research organisations), for networks of any country: a Fraunhofer institute,
a French institut Carnot or centre technique industriel, a Québec CCTT, a technopole. Near miss: a university
institute stays excluded."""

from __future__ import annotations

import pytest
from rulecases import batch_verdicts

from miner.nlp.orgtyper import load_typer
from miner.tag.rules import SETTLES

NAMES = [
    ("Fraunhofer-Institut für Lasertechnik", "techcentre"),
    ("Institut Carnot Ingénierie des matériaux", "techcentre"),
    ("Centre technique industriel du bois", "techcentre"),
    ("Centre collégial de transfert de technologie en plasturgie", "techcentre"),
    ("Technopole de l'Arbois", "hub"),
    ("Institut de chimie de l'Université de Lausanne", "university"),
]


@pytest.mark.parametrize("name,kind", NAMES)
def test_a_type_word_types_a_name_of_any_country(name, kind):
    assert load_typer().type_name(name).type == kind


CASES = [
    ("Conférence sur l'hydrogène co-organisée avec le Fraunhofer IZM à Dresde.", True),
    ("Journée technique organisée avec le centre collégial de transfert de technologie Innofibre.", True),
    ("Conférence sur l'hydrogène co-organisée avec l'Université technique de Dresde.", False),
]


@pytest.fixture(scope="module")
def verdicts():
    return batch_verdicts([c[0] for c in CASES], "Cluster Bois")


@pytest.mark.parametrize("index", range(len(CASES)))
def test_a_typed_applied_centre_co_organising_is_axis_6(index, verdicts):
    sentence, six = CASES[index]
    settled = any(v.axis == 6 and v.add and v.strength >= SETTLES for v in verdicts[index])
    assert settled == six, (sentence, verdicts[index])
