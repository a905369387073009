"""Roles of organisations in a coordinated list (issue 22): "avec X, Y et Z" makes Y and Z play X's role even
where the parse hangs them on a word inside an earlier name; a name past other words is no item of that list."""

from __future__ import annotations

import pytest

from miner.nlp.french import analyse_with_docs
from miner.tag.facts import facts_of, own_cluster

CASES = [
    # (sentence, name, its role)
    (
        "Atelier avec le pôle GreenWin, la fédération Fevia, Sirris et le CETIC sur le recyclage.",
        "Sirris",
        "co-organiser",
    ),
    (
        "Atelier avec le pôle GreenWin, la fédération Fevia, Sirris et le CETIC sur le recyclage.",
        "CETIC",
        "co-organiser",
    ),
    ("Mission au Japon organisée avec l'AWEX, Agoria et la Chambre de commerce de Liège.", "Agoria", "co-organiser"),
    ("Séminaire avec Agoria sur le bois, puis visite des ateliers de Sirris à Liège.", "Sirris", None),
]


def mention_roles(cases) -> list[dict[str, str]]:
    """Each case's sentence read for the list "Cluster Bois": every mention's text and role."""
    out = []
    for analysis, doc in analyse_with_docs([c[0] for c in cases]):
        facts = facts_of(analysis, doc, own_cluster("Cluster Bois"))
        out.append({m.text: m.role for m in facts.mentions})
    return out


@pytest.fixture(scope="module")
def roles():
    return mention_roles(CASES)


@pytest.mark.parametrize("index", range(len(CASES)))
def test_a_listed_name_shares_the_role_of_the_first(index, roles):
    sentence, name, role = CASES[index]
    found = {text: r for text, r in roles[index].items() if name in text}
    assert found, (sentence, roles[index])  # the name must be found before its role can be said not to be shared
    if role is None:
        assert all(r != "co-organiser" for r in found.values()), (sentence, roles[index])
    else:
        assert role in found.values(), (sentence, roles[index])


EXACT_CASES = [
    # (sentence, name, its role): English, Dutch and German rows say a role by words the French parser cannot read
    ("Workshop coordinated by the federation Agoria on timber.", "Agoria", "co-organiser"),
    ("Workshop organised by Agoria, hosted by Sirris and funded by the Region.", "Sirris", "host"),
    ("Workshop georganiseerd door de Kamer van Koophandel van Gent.", "Kamer van Koophandel", "co-organiser"),
    ("Workshop in Zusammenarbeit mit der Handelskammer Stuttgart.", "Handelskammer", "co-organiser"),
    ("Workshop for members at the premises of Sirris.", "Sirris", "venue"),
    # the French NER takes an English row's cue words into the name; the cue says the role of the rest
    ("Coordinated by the federation Agoria, the network meets monthly.", "Agoria", "co-organiser"),
    ("Partnership with the Chamber of Commerce of Ghent on export coaching.", "Chamber of Commerce", "co-organiser"),
    ("Networking event hosted by the Chamber of Commerce of Ghent.", "Chamber of Commerce", "host"),
    # near miss: a capitalised cue word inside an English name is the name's own
    ("Training day with the Joint Research Centre on battery testing.", "Joint Research Centre", "co-organiser"),
    # near miss: a French row's "met" is "mettre", no English cue: Sirris is honoured, no co-organiser
    ("Lors de sa soirée annuelle, le cluster met Sirris à l'honneur.", "Sirris", "mention"),
    # a "de" item of a list complementing a noun plays the list's first item's role, not that noun's, even where
    # the parse makes it the noun's conjunct: "avec" makes the presidents companions, not the bodies co-organisers
    (
        "Ouverture de la Biennale à Bilbao, avec les présidents de l'AFM Cluster, de l'AIMHE et de la Chambre de "
        "commerce de Bizkaia.",
        "Chambre de commerce",
        "mention",
    ),
    # a list whose first item is a plain noun ending in a name ("avec le service économique de la ville de Graz, …")
    # gives its later names that noun's role, over a topic the parse reads from the row's head above the list
    (
        "Présentation de l'offre régionale aux investisseurs à Vienne, organisée par le cluster avec le service "
        "économique de la ville de Graz, l'agence de développement SFG et la Chambre économique de Styrie.",
        "Chambre économique",
        "co-organiser",
    ),
    # near miss: the services presented are the topic, their bodies too
    (
        "Présentation à Vienne des services de la ville de Graz, de l'agence de développement SFG et de la Chambre "
        "économique de Styrie.",
        "Chambre économique",
        "topic",
    ),
    # what support goes to ("son appui à X") is supported, no framework; the supporter ("avec l'appui de X") is one
    (
        "Forum du cluster à Namur, où le ministre annonce son appui à un centre de compétences sur les bétons.",
        "centre",
        "mention",
    ),
    ("Atelier sur les bétons organisé avec l'appui du centre de compétences Zorglub.", "Zorglub", "framework"),
    # near misses: a cue with other words between it and the name says nothing of the name
    ("Workshop with a talk by Agoria on timber.", "Agoria", "mention"),
    ("Workshop met een presentatie van Agoria.", "Agoria", "mention"),
    # the one a row is hosting is its guest, not its host
    ("Hosting the cluster Flanders Food for a study visit.", "cluster Flanders Food", "mention"),
    # what a steering body gathers sits on it (LABELLING's advisory councils: active, R2), every name of the list
    ("Comité de pilotage réunissant Agoria et le CSTC.", "Agoria", "partner"),
    ("Comité de pilotage réunissant Agoria et le CSTC.", "CSTC", "partner"),
    ("Salon réunissant Agoria et le CSTC.", "CSTC", "mention"),
    # a body listed after the members a steering body or project gathers sits on it too, not in its audience
    ("Comité de pilotage réunissant les membres et la fédération Fedustria.", "fédération Fedustria", "partner"),
    ("Projet de recherche réunissant les membres et la fédération Fedustria.", "fédération Fedustria", "partner"),
    # a panel's "avec" names its panellists, who organise nothing; the same "avec" under an organising word does
    ("Table ronde sur le recyclage avec le ministre, Agoria et le CSTC.", "CSTC", "mention"),
    ("Débat sur le bois avec Agoria.", "Agoria", "mention"),
    ("Débat sur le bois organisé avec Agoria.", "Agoria", "co-organiser"),
    ("Atelier sur le bois avec Agoria.", "Agoria", "co-organiser"),
    # who founded the list's own cluster, told in a clause on it, is its history; the row's own founding is not
    (
        "Dix ans du cluster fêtés à Quux ; le cluster, fondé en 2008 à l'initiative de la chambre de commerce de "
        "Zorglub, réunit trente firmes.",
        "chambre de commerce",
        "mention",
    ),
    ("Création du cluster à l'initiative de la chambre de commerce de Zorglub.", "chambre de commerce", "framework"),
    # a membership body the row joins takes part in its work (R2's framework): "à", the joining verb's object,
    # "membre de" with nothing else joined, an English row's cue
    ("Adhésion du cluster à la fédération européenne Zorglub.", "fédération", "framework"),
    ("Le cluster rejoint la fédération Zorglub comme membre effectif.", "fédération Zorglub", "framework"),
    ("Adhésion comme membre de la fédération Zorglub au 1er mars.", "fédération Zorglub", "framework"),
    ("The cluster joined the federation Zorglub in March.", "federation Zorglub", "framework"),
    # near misses: a new member of the cluster is no body joined; a technology platform joined is followed (watch)
    ("Adhésion de la fédération Zorglub au cluster.", "Zorglub", "mention"),
    ("Adhésion à la plateforme technologique Zorglub pour suivre les appels à projets.", "Zorglub", "mention"),
]


@pytest.fixture(scope="module")
def exact_roles():
    return mention_roles(EXACT_CASES)


@pytest.mark.parametrize("index", range(len(EXACT_CASES)))
def test_the_role_said_by_foreign_cues_and_gathering_bodies(index, exact_roles):
    sentence, name, role = EXACT_CASES[index]
    found = {text: r for text, r in exact_roles[index].items() if name in text}
    assert found and set(found.values()) == {role}, (sentence, exact_roles[index])


OWN_UNIT_CASES = [
    # (sentence, name, whether it is the list's own)
    ("Le 3 mai, son incubateur Zorglub organise une rencontre entre fondateurs et mentors.", "Zorglub", True),
    ("Le cluster et son centre de compétences Zorglub accueillent trois start-up.", "centre", True),
    ("Formation donnée avec son accélérateur Zorglub.", "Zorglub", True),
    # near misses: another body's incubator, the members' one, a federation the cluster works with
    ("Rencontre organisée avec l'incubateur Zorglub de la ville.", "Zorglub", False),
    ("Rencontre organisée avec leur incubateur Zorglub.", "Zorglub", False),
    ("Atelier avec sa fédération Agoria.", "Agoria", False),
]


@pytest.mark.parametrize("index", range(len(OWN_UNIT_CASES)))
def test_the_clusters_own_incubator_is_no_partner(index):
    """A hub or competence centre under the list's possessive ("son incubateur X") is the cluster's own unit (R2
    needs another body); "leur" may be the members', and a federation stays the sector's."""
    sentence, name, own = OWN_UNIT_CASES[index]
    ((analysis, doc),) = analyse_with_docs([sentence])
    found = {m.text: m.own for m in facts_of(analysis, doc, own_cluster("Cluster Bois")).mentions if name in m.text}
    assert found and set(found.values()) == {own}, (sentence, found)


def test_a_name_ending_in_meetings_is_an_event_not_a_body():
    """ "X Business Meetings" names an event (like "X Forum"), so its "Business" types no agency; a name ending in
    another word ("Quux Business Development") still is one."""
    sentences = [
        "Convention de partenariat avec le Ministère des Armées, associant l'Agence Zorglub et la DGA aux Minalogic "
        "Business Meetings et aux salons.",
        "Partenariat avec Quux Business Development.",
    ]
    found = []
    for analysis, doc in analyse_with_docs(sentences):
        found.append({m.text: m.type for m in facts_of(analysis, doc, own_cluster("Cluster Bois")).mentions})
    assert not any("Meetings" in text for text in found[0]), found[0]
    assert found[1] == {"Quux Business Development": "agency"}
