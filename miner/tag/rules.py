"""The labelling conventions (``shared/corpora/activities/CONVENTIONS.md``, R0-R19) as declared rules
over the facts of an activity (:mod:`miner.tag.facts`): the organisations it names, their type
and role, the list's own cluster, the event formats.

Each rule returns verdicts: an axis to add or to remove, how firmly (``SETTLES`` where the
convention squarely covers the case, ``HINT`` where it only leans), and the words that made it
fire, so the evidence reads "axe 6 : R2/R7, co-organisé avec la Chambre de commerce (chambre de
commerce)". A learned head decides every axis no settling verdict covers; the hints are features
of that head (:mod:`miner.tag.features`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from miner.nlp.orgtyper import UNKNOWN, Typer, load_typer
from miner.tag.aims import CALLS, COMMERCE_WORDS, PARTIES, PARTNERING
from miner.tag.audience import MEMBERS_ABROAD
from miner.tag.base import AXES, fold_text
from miner.tag.eventhead import BARE_PREFIX, HEAD_PREFIX, OTHER_PREFIX
from miner.tag.facts import Facts, Mention, load_event_formats
from miner.tag.jointwork import MEMBER_WORDS

__all__ = [
    "SETTLES",
    "HINT",
    "Verdict",
    "Rule",
    "RULES",
    "apply_rules",
    "verdict_key",
    "settle",
    "rule_vector",
    "RULE_WIDTH",
]

SETTLES = 2
"""A verdict the convention squarely covers: it decides the axis over the learned head."""
HINT = 1
"""A verdict the convention only leans to: a feature of the learned head, never a decision."""


@dataclass(frozen=True)
class Verdict:
    rule: str
    axis: int
    add: bool
    strength: int
    words: str
    function: str = ""
    """Which of the convention's functions said it, where a new function adds an axis an older one of the same
    convention adds too (R10's market sides beside R10's buyers, R15's test beds beside R15's projects): each is
    trusted on its own record (:func:`verdict_key`), so a new function's first misfires do not lower the trust in
    an established one; evidence names the convention alone."""


@dataclass(frozen=True)
class Rule:
    id: str
    says: str
    check: Callable[[Facts, Typer], list[Verdict]]


def _named(m: Mention, typer: Typer) -> str:
    cue = f"{m.cue} " if m.cue and m.cue.casefold() not in m.text.casefold() else ""
    return f"{cue}{m.text} ({m.word or typer.label(m.type)})"


def _unplaced_named(m: Mention) -> str:
    cue = f"{m.cue} " if m.cue and m.cue.casefold() not in m.text.casefold() else ""
    return f"{cue}{m.text} ({ROLE_WORDS.get(m.role, m.role)} non typé)"


ROLE_WORDS = {"co-organiser": "co-organisateur", "partner": "partenaire", "signatory": "signataire"}


def _qualifying(facts: Facts, typer: Typer) -> list[Mention]:
    return [m for m in facts.others() if typer.qualifies(m.type)]


def _clusters(facts: Facts) -> list[Mention]:
    return facts.others("cluster")


def _head(facts: Facts, *keys: str) -> bool:
    """Whether one of the formats is the row's own action: a term over the head of its event phrase
    (:mod:`miner.tag.eventhead`)."""
    return facts.has(*(HEAD_PREFIX + k for k in keys))


OTHER_ACTIONS = (
    "information",
    "training",
    "agreement",
    "merger",
    "study",
    "joint_project",
    "eu_project",
    "support",
    "networking",
    "group",
)
"""Formats that, as the head of the row's event phrase, make another format the sentence names only its place
or its background ("conférence au salon X", "accord signé au salon", "fusion annoncée au salon")."""


def _own_action(facts: Facts, *keys: str) -> bool:
    """Whether a format the sentence names is the row's action: over the head of its event phrase, or named
    freely (not only as a compound's complement, "voyage d'étude") while no other kind of action heads it."""
    if _head(facts, *keys):
        return True
    if all(facts.has(BARE_PREFIX + k) or not facts.has(k) for k in keys):
        return False
    return not _head(facts, *(k for k in OTHER_ACTIONS if k not in keys))


def _joint_output(facts: Facts) -> bool:
    return facts.has("joint_project", "partnership")


def r0(facts: Facts, typer: Typer) -> list[Verdict]:
    """No other cluster or cluster network named: no 5 (pôles are not clusters, nothing unstated)."""
    if (
        _clusters(facts)
        or facts.has("merger", "cluster_benchmark")
        or re.search(r"\bclusters\b|inter-?clusters?", facts.text, re.I)
    ):
        return []
    return [Verdict("R0", 5, False, SETTLES, "aucun autre cluster nommé")]


def r1(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster's own working groups, clubs, grappes: 1; 3 only for a stated joint output."""
    own_group = [
        w for w in facts.own_words if re.search(r"grappe|club|groupe|cellule|commission|comit|communaut", w, re.I)
    ]
    groups = facts.words("group")
    if not groups or (not own_group and any(m.type == "cluster" for m in _clusters(facts))):
        return []
    words = ", ".join(own_group or groups[:2])
    # a group word that is neither the cluster's own nor the head of the row's action names another body
    # ("la commission de l'Économie du Parlement", "la communauté d'agglomération"): it only leans
    firm = SETTLES if own_group or _head(facts, "group") else HINT
    if _joint_output(facts):
        return [
            Verdict("R1", 1, True, firm, words),
            Verdict("R1", 3, True, SETTLES, ", ".join(facts.words("joint_project", "partnership"))),
        ]
    return [Verdict("R1", 1, True, firm, words), Verdict("R1", 3, False, HINT, words)]


PROMOTING = ("promotion", "press", "contest", "showcase")
"""Formats of the cluster's own promotion (R12)."""


def r1_meet(facts: Facts, typer: Typer) -> list[Verdict]:
    """Members getting to know one another (axis 1's definition, R1's reasoning for clubs): a networking event
    (an afterwork, a breakfast, a gala, a world café) or a visit of firms' sites heading the row: 1. Not when a
    business-meeting strand is stated (R4: the meeting serves commercial links) or a delegation of visitors
    is shown the sites (R13's 4)."""
    if facts.has("b2b", "delegation"):
        return []
    words = facts.words(HEAD_PREFIX + "networking")
    if words and _members_involved(facts) and not facts.has(*PROMOTING) and not _clusters(facts):
        # members meeting members; an evening that launches a magazine or celebrates the cluster promotes it
        # (R12), one with another cluster is R13's and only leans here
        return [Verdict("R1", 1, True, SETTLES, ", ".join(words[:2]))]
    if _own_action(facts, "networking", "site_visit"):
        return [Verdict("R1", 1, True, HINT, ", ".join(facts.words("networking", "site_visit")[:2]))]
    return []


def r2_r7(facts: Facts, typer: Typer) -> list[Verdict]:
    """Axis 6 needs an R7 body (firms as members or users, economic mission) in an active role;
    not a venue, host, audience or funder, not a university, administration or public buyer. A named
    organisation nothing types, that the parse makes the cluster's co-organiser or partner ("organisé
    avec proHolz Steiermark"), is a counterpart: R2 decides on its role."""
    bodies = _qualifying(facts, typer)
    active = [m for m in bodies if m.active]
    if active:
        return [Verdict("R2/R7", 6, True, SETTLES, _named(m, typer)) for m in active]
    unplaced = [m for m in _unplaced_partners(facts) if m.joint]
    others = [m for m in facts.others() if m.type in {"university", "administration", "public_buyer", "funding"}]
    if unplaced:  # a named partner nothing types is a counterpart: R2 on its role decides when the parse
        # says it organises with the cluster, unless a body that does not qualify, a firm or another cluster
        # stands beside it (it may be one of that body's units, or one more firm or cluster)
        firm = HINT if others or facts.others("firm") or _clusters(facts) else SETTLES
        return [Verdict("R2/R7", 6, True, firm, _unplaced_named(m)) for m in unplaced]
    if bodies and all(m.role not in {"mention"} for m in bodies):
        return [Verdict("R2", 6, False, SETTLES, "; ".join(f"{m.text} ({m.role})" for m in bodies))]
    if bodies:
        return [Verdict("R2/R7", 6, True, HINT, _named(m, typer)) for m in bodies]
    if others:  # firm only when no named partner the typer cannot place stands beside them
        return [
            Verdict(
                "R7",
                6,
                False,
                HINT if _unplaced_partners(facts) else SETTLES,
                "; ".join(f"{m.text} ({typer.label(m.type)})" for m in others),
            )
        ]
    return [Verdict("R7", 6, False, HINT, "aucun organisme R7")]


def r7_clusters(facts: Facts, typer: Typer) -> list[Verdict]:
    """Another cluster is no « autre forme d'organisation d'entreprises » (axis 6's definition): when the only
    counterparts the row names are clusters in an active role, and every other name is typed and none
    qualifies (R7), the action is between clusters (axis 5), not a synergy with other bodies."""
    clusters = [m for m in _clusters(facts) if m.active]
    rest = [m for m in facts.others() if m.type != "cluster" and not m.place]
    if not clusters or any(m.type == UNKNOWN or typer.qualifies(m.type) for m in rest):
        return []
    return [Verdict("R7", 6, False, SETTLES, "; ".join(f"{m.text} (cluster)" for m in clusters[:3]))]


UNPLACED_ROLES = frozenset({"co-organiser", "partner", "signatory"})
"""Roles in which a named organisation the typer cannot place is still a counterpart of the cluster (R2)."""


def _unplaced_partners(facts: Facts) -> list[Mention]:
    """Organisations named as co-organiser, partner or signatory that no gazetteer entry, head word or
    context types: proper names (a capital inside the name), never the own cluster (R2 decides on the role)."""
    return [
        m
        for m in facts.others("unknown", active=True)
        if m.role in UNPLACED_ROLES and m.how == "none" and m.start > 0 and not m.place
    ]


def r3(facts: Facts, typer: Typer) -> list[Verdict]:
    """EU or Interreg projects and platforms with no cluster named: no 5; a project partnership is 3."""
    if not facts.has("eu_project"):
        return []
    out, head = [], HEAD_PREFIX + "eu_project"
    if not _clusters(facts):
        out.append(Verdict("R3", 5, False, SETTLES, ", ".join(facts.words("eu_project"))))
    # the project's partnership must be stated beyond the programme's name ("projet européen" named in passing is
    # not one; heading the row, it is: below), and another cluster as the partner makes it a partnership between
    # clusters (5, R13), not members
    stated = [w for w in facts.words("joint_project") if w not in facts.words("eu_project")]
    if not _clusters(facts) and (stated or re.search(r"partenai|partenariat|consortium", facts.folded)):
        # the project is the row's action, unless another action heads it (informing members about a programme's
        # projects and their partners, hosting a delegation within a project): then the project only leans to 3
        firm = HINT if _head(facts, *PROJECT_BACKGROUND) or _own_action(facts, "delegation") else SETTLES
        firm = firm if _transnational(facts.words("eu_project")) else HINT  # a regional fund's project: a lean
        out.append(
            Verdict("R3", 3, True, firm, ", ".join(facts.words("eu_project")[:1] + (stated or ["partenariat"])[:1]))
        )
    elif (
        not _clusters(facts)
        and not _head(facts, *PROJECT_BACKGROUND)
        and _transnational(facts.words(head))
        and not facts.has("helped_firms", "firm_access")
    ):
        # taking part in an EU project as the row's action: the project is a consortium of partners from several
        # countries, so R3's default for "a transnational project partnership" applies as the row states it; EU
        # programmes the row helps firms reach ("aide les membres à accéder aux programmes Horizon Europe") are
        # what the firms are helped to, no project the row takes part in
        out.append(Verdict("R3", 3, True, SETTLES, ", ".join(facts.words(head)[:1])))
    return out


REGIONAL_FUNDS = frozenset({"feder", "efro", "efre", "erdf", "fesr"})
"""Folded names of the EU's regional development funds: they fund a region's own projects, no transnational
partnership by themselves (R3's default 3 is for the transnational ones: Interreg, Horizon, COSME…)."""


def _transnational(words: Sequence[str]) -> bool:
    """Whether the EU programmes named include a transnational one, not only a regional fund."""
    return any(fold_text(w) not in REGIONAL_FUNDS for w in words)


PROJECT_BACKGROUND = ("information", "training", "study", "delegation", "fair", "contest", "showcase", "press")
"""Actions that, heading the row, make the EU project it names their subject or frame, not the partnership the
row states (R3's 3 is for a transnational project partnership)."""


def r4(facts: Facts, typer: Typer) -> list[Verdict]:
    """Talks inside a B2B or business-meeting event add no 1; the members' own assembly or networking beside them
    is a strand of axis 1 of its own (R1), which the talks do not take away."""
    if (
        facts.has("b2b")
        and facts.has("talk", "information")
        and not facts.has("training", "study", "group", "assembly", "networking", "membership")
    ):
        return [
            Verdict("R4", 1, False, SETTLES, ", ".join(facts.words("b2b")[:1] + facts.words("talk", "information")[:1]))
        ]
    return []


def r5(facts: Facts, typer: Typer) -> list[Verdict]:
    """ "X meets Y" (a meeting verb between two parties of a title, :func:`miner.tag.eventhead.meeting_sides`):
    2; 6 if the party Y names a pôle or an R7 body (the counterpart in the title is a partner); 5 if a party or
    a co-organiser is a cluster."""
    if not facts.meeting_sides:
        return []
    out = [Verdict("R5", 2, True, SETTLES, "; ".join(facts.words("meets")))]
    for m in facts.others():
        if typer.qualifies(m.type) and facts.in_party(m, 1):
            out.append(Verdict("R5", 6, True, SETTLES, _named(m, typer)))
        elif m.type == "cluster" and (m.active or facts.in_party(m)):
            out.append(Verdict("R5", 5, True, SETTLES, _named(m, typer)))
    return out


def r6(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster's own grappes are not other clusters (never 5); a grappe named as a separate
    co-organiser is."""
    own = [w for w in facts.own_words if re.search(r"grappe", w, re.I)]
    if own and not _clusters(facts):
        return [Verdict("R6", 5, False, SETTLES, ", ".join(own))]
    separate = [m for m in _clusters(facts) if re.search(r"grappe", m.text, re.I) and m.active]
    return [Verdict("R6", 5, True, SETTLES, _named(m, typer)) for m in separate]


def r8(facts: Facts, typer: Typer) -> list[Verdict]:
    """Trade fairs and missions abroad: 4 (6 when an R7 body runs them: R2; 5 for an inter-cluster
    mission: R13); 2 when B2B is stated. An inbound mission ("mission inverse": buyers or partners brought to the
    members, LABELLING's reverse mission `2;6`) goes abroad nowhere: no 4."""
    if not facts.has("fair", "mission") or facts.has("study_trip"):
        return []
    if facts.has("inbound_mission") and not facts.has("fair"):  # visitors brought to the members: R10's, not R8's
        return [Verdict("R8", 4, False, SETTLES, facts.words("inbound_mission")[0], function="inbound")] + (
            [Verdict("R8", 2, True, SETTLES, facts.words("b2b")[0])] if facts.has("b2b") else []
        )
    # a fair or mission the sentence names only as the place of another action ("conférence au salon X",
    # "accord signé au salon") is no stand: it leans
    firm = SETTLES if _own_action(facts, "fair", "mission") and not _fair_among_clusters(facts) else HINT
    out = [Verdict("R8", 4, True, firm, ", ".join(facts.words("fair", "mission")[:2]))]
    if _head(facts, "fair") and not facts.has("information", "talk", *KNOWING_STRANDS):
        # a stand or a presence at a fair heading the row, with no talk, training or meeting of members stated,
        # serves promotion alone (R0: a format serving another aim adds no axis): no 1
        out.append(Verdict("R8", 1, False, SETTLES, facts.words(HEAD_PREFIX + "fair")[0], function="fair"))
    if facts.has("b2b"):  # matchmaking among clusters at a fair is R13's, as for R10: it only leans to 2
        out.append(Verdict("R8", 2, True, HINT if _b2b_among_clusters(facts) else SETTLES, facts.words("b2b")[0]))
    return out


STAND_TERMS = frozenset({"stand", "pavillon", "stands", "pavillons"})
"""Fair terms that name the cluster's own presence at a fair, not only the fair as a place."""
SHOWING_KEYS = ("showing", "promoted_own", "shown_own", "promotion", "press", "contest", "showcase")


def _fair_among_clusters(facts: Facts) -> bool:
    """A fair that is only where clusters meet: every fair word a place ("au salon", "pendant la foire") or another
    body's event ("le Salon de l'automobile de Barcelone"), other clusters as the counterparts, no member or firm, no
    stand and nothing shown or promoted there ("réunion au salon des sept clusters automobiles", "lancement, au salon
    Medica, d'une coopération avec seize clusters"): knowledge sharing between clusters (R13), no stand (R8's 4)."""
    fairs = set(facts.words("fair"))
    placed = set(facts.words("fair_placed")) | set(facts.words(OTHER_PREFIX + "fair"))
    return (
        bool(fairs)
        and fairs <= placed
        and not {w.casefold() for w in fairs} & STAND_TERMS
        and not facts.has("mission", *SHOWING_KEYS)
        and (facts.has("plural_clusters") or any(m.active for m in _clusters(facts)))
        and not _members_involved(facts)
    )


def _b2b_among_clusters(facts: Facts) -> bool:
    """Business meetings whose parties are clusters ("matchmaking entre clusters", "rencontre de matchmaking des
    clusters de l'ECCP"): clusters named as a plural noun (:func:`miner.tag.eventhead.plural_clusters`, read from
    the parse), and no member or firm; a cluster co-organising a fair's partnering meetings is no party to them."""
    return not _members_involved(facts) and facts.has("plural_clusters")


def r9(facts: Facts, typer: Typer) -> list[Verdict]:
    """Trainings and information sessions: 1, and 2 when they are about winning business
    (procurement, export, funding); alert services passing on business opportunities: 2 only. A training
    for the staff of clusters is not the members' learning: it only leans. An alert is such a service when it heads
    the row, is about business or goes to members (:func:`_business_alert`)."""
    if _business_alert(facts):
        return [
            Verdict("R9", 2, True, SETTLES, ", ".join(facts.words("alert")[:1])),
            Verdict("R9", 1, False, HINT, ", ".join(facts.words("alert")[:1])),
        ]
    if not facts.has("training", "information") or facts.has("b2b", "fair", "mission"):
        return []
    out = [
        Verdict(
            "R9",
            1,
            True,
            SETTLES if facts.has("training") and _own_action(facts, "training") and not _for_outsiders(facts) else HINT,
            ", ".join(facts.words("training", "information")[:1]),
        )
    ]
    if facts.has("business_subject"):  # a conference's subject is what is presented, not business won: a lean
        out.append(
            Verdict(
                "R9", 2, True, HINT if facts.has("talk") else SETTLES, ", ".join(facts.words("business_subject")[:1])
            )
        )
    return out


def _business_alert(facts: Facts) -> bool:
    """An alert service of R9: heading the row ("veille des appels d'offres"), about business ("alertes sur les
    marchés publics") or for members; an alert a product sends ("une plateforme … avec alertes aux soignants") is
    what the product does, no business opportunity passed on."""
    return facts.has("alert") and (_head(facts, "alert") or facts.has("business_subject", "audience_members"))


def _for_outsiders(facts: Facts) -> bool:
    """A training that is not the members' learning (R9 is for members): for the staff of clusters, for pupils
    or the public (:mod:`miner.tag.audience`), or named beside the cluster's showcase, prize or press action."""
    return facts.has("for_clusters", "audience_outside") or _head(facts, "showcase", "contest", "press")


def r10(facts: Facts, typer: Typer) -> list[Verdict]:
    """Meetings between members and buyers, investors or client sectors: 2 (public buyers are not R7)."""
    if facts.has("b2b"):  # matchmaking among clusters with no members or firms stated is R13's, it only leans to 2
        firm = HINT if _b2b_among_clusters(facts) else SETTLES
        return [Verdict("R10", 2, True, firm, ", ".join(facts.words("b2b")[:1]))]
    if facts.has("market_access"):  # commercial links or access to markets as the stated aim (axis 2's words)
        # markets a seminar is about ("séminaire sur la manière d'ouvrir de nouveaux marchés", "the new market study")
        # are its subject, no contact between parties: R9 weighs a business subject, R10 only leans
        talked = set(facts.words("market_access")) <= set(facts.words("market_discussed"))
        return [Verdict("R10", 2, True, HINT if talked else SETTLES, ", ".join(facts.words("market_access")[:1]))]
    buyers = [m for m in facts.others("public_buyer")]
    if facts.has("buyers") or buyers:
        words = facts.words("buyers")[:1] + [m.text for m in buyers]
        return [Verdict("R10", 2, True, HINT, ", ".join(words))]
    return []


def r11(facts: Facts, typer: Typer) -> list[Verdict]:
    """Knowledge products (roadmaps, studies, inventories, member profiles): 1."""
    if facts.has("study"):  # a study named beside the row's action ("voyage d'étude", "projet … étude") leans
        return [
            Verdict(
                "R11", 1, True, SETTLES if _own_action(facts, "study") else HINT, ", ".join(facts.words("study")[:2])
            )
        ]
    return []


def r12(facts: Facts, typer: Typer) -> list[Verdict]:
    """Promotion (a forum presentation of the cluster, inaugurations, showcases, contests, a
    representative abroad): 4."""
    if facts.has("contest", "showcase", "press"):
        firm = SETTLES if _own_action(facts, "contest", "showcase", "press") else HINT
        return [Verdict("R12", 4, True, firm, ", ".join(facts.words("contest", "showcase", "press")[:2]))]
    if facts.has("promotion"):  # promoting to outsiders (the public, the press, officials) settles it
        outside = facts.words("audience_outside")
        firm = SETTLES if outside and not facts.has("training") else HINT
        return [Verdict("R12", 4, True, firm, ", ".join(facts.words("promotion")[:2] + outside[:1]))]
    return []


def r13(facts: Facts, typer: Typer) -> list[Verdict]:
    """A joint action with another cluster or cluster network: 5; its delegation touring members'
    sites adds 4; benchmarking among clusters: 5."""
    clusters = _clusters(facts)
    active = [m for m in clusters if m.active or m.role == "mention"]
    out = [Verdict("R13", 5, True, SETTLES if m.active else HINT, _named(m, typer)) for m in active]
    if clusters and not active:
        out.append(Verdict("R13", 5, False, HINT, "; ".join(f"{m.text} ({m.role})" for m in clusters)))
    if active and facts.has("delegation"):
        firm = SETTLES if _members_shown(facts) else HINT
        out.append(Verdict("R13", 4, True, firm, ", ".join(facts.words("delegation")[:1])))
    if not clusters and facts.has("benchmarking") and re.search(r"\bclusters\b", facts.text, re.I):
        out.append(Verdict("R13", 5, True, SETTLES, ", ".join(facts.words("benchmarking")[:1])))
    return out


def _members_shown(facts: Facts) -> bool:
    """Whether a visiting delegation is shown the members (CONVENTIONS R13's 4: visits to members' sites):
    a site visit, or the members or firms named in the row; a delegation that only meets the cluster's
    team or explores cooperation shows no member."""
    named = " ".join(facts.own_words).lower().split() + facts.folded.split()
    return facts.has("site_visit") or any(
        fold_text(w) in MEMBER_WORDS | MEMBERS_ABROAD or fold_text(w)[:-1] in MEMBER_WORDS for w in named
    )


AGENDA_HEADS = ("assembly", "talk")
"""Formats whose action, heading the row, only names joint work as an item of its agenda or the subject of a talk
("assemblée générale : approbation du programme d'actions (projets communs…)", "présentation de l'agenda … qui
s'appuie sur la recherche commune"): the joint work is planned or presented there, not made by the row."""


def r14(facts: Facts, typer: Typer) -> list[Verdict]:
    """Partnership mechanisms among members (exchanges, joint production, shared platforms): 3. A joint
    thing the parse shows (a shared facility, a group offer, a joint project) settles it when
    members or firms take part, never with another cluster as the partner (R13's 5). A group
    purchase is 2 by LABELLING's R14 line, not a partnership: pooled purchases are no 3 (and lean 2) unless the
    parse shows a joint thing besides them (a machine bought together "que les membres se partagent")."""
    if facts.has("pooled_purchases") and not facts.has("joint_work"):
        words = facts.words("pooled_purchases")[0]
        return [Verdict("R14", 3, False, SETTLES, f"{words} (achat groupé)"), Verdict("R14", 2, True, HINT, words)]
    if facts.has("partnership"):  # a pooling named only as a complement ("plateforme … de mutualisation des
        # flux", a university's project the row selects) describes that thing, not the row's partnership, and one
        # a talk presents is its subject: a lean
        firm = SETTLES if _own_action(facts, "partnership") and not _presented(facts) else HINT
        return [Verdict("R14", 3, True, firm, ", ".join(facts.words("partnership")[:1]))]
    if facts.has("members_joint") and not _clusters(facts):
        return [Verdict("R14", 3, True, SETTLES, ", ".join(facts.words("members_joint")[:1]))]
    if facts.has("joint_work") and not facts.has("eu_project") and not _clusters(facts):
        # the parse's joint thing ("projets collaboratifs", "soufflerie partagée") states the partnership; an
        # R7 body beside it, and no member or firm seen, makes it organisation-to-organisation (R16: 6)
        firm = (_members_involved(facts) or not _qualifying(facts, typer)) and not _head(facts, *AGENDA_HEADS)
        return [Verdict("R14", 3, True, SETTLES if firm else HINT, ", ".join(facts.words("joint_work")[:1]))]
    projects = [w for w in facts.words("joint_project") if not _members_body_term(facts, w)]
    if projects and not facts.has("eu_project") and not _clusters(facts):
        # a joint project settles 3 when members or firms take part (the decree's « impliquant des membres »),
        # or when its own words say it is a partnership ("projets collaboratifs", "consortium") and no R7 body
        # is the partner (R16: that is 6); with another cluster as the partner it is R13's 5, not 3. The body
        # the members belong to ("les membres du consortium") is no partnership of theirs
        stated = [w for w in projects if w not in PROJECT_ONLY]
        firm = _members_involved(facts) or (stated and not any(m.active for m in _qualifying(facts, typer)))
        firm = firm and not _head(facts, *AGENDA_HEADS)
        return [
            Verdict(
                "R14",
                3,
                True,
                SETTLES if firm else HINT,
                ", ".join((stated or projects)[:1]),
            )
        ]
    return []


def r15_support(facts: Facts, typer: Typer) -> list[Verdict]:
    """Support for members' own projects as the row's action (R15: 2): an accompaniment, coaching or individual
    advice heading the row's event phrase, given to members, firms or their projects ("accompagnement de 60
    entreprises", "conseil individuel aux entrepreneurs"), or a supporting, funding or labelling word heading the
    row that governs projects ("soutien au projet X", "financement de projets collaboratifs"). Support named beside another action (an assembly's
    record of projects supported, a project "accompanying" a sector) only leans (:func:`r15`); support to
    others than firms (towns, clusters' staff) is not R15's."""
    words = facts.words(HEAD_PREFIX + "support")
    projects = facts.words("supported_projects")  # "Soutien au projet X", "Cofinancement de projets menés à plusieurs"
    firms = _members_involved(facts) or facts.has("innovation_project") or bool(projects)
    if facts.has("for_clusters") or _clusters(facts) or not firms:
        return []
    return [Verdict("R15", 2, True, SETTLES, (words or projects)[0])] if words or projects else []


def r0_commercial_aim(facts: Facts, typer: Typer) -> list[Verdict]:
    """A stated commercial aim (R0: tag every axis a stated aim serves; axis 2 « visant à renforcer les liens
    commerciaux »): the row's purpose clause reaches for markets, buyers, investors, exports, or brings firms,
    supply and demand together (:mod:`miner.tag.aims`). A fair or a mission serves markets by nature and R8 adds 2
    only for business meetings stated: there the aim only leans. Under an information session, a training or a
    study the aim is the subject's, and R9 adds 2 only when the subject is winning business: it leans too."""
    words = facts.words("commercial_aim")
    if not words:
        return []
    leans = _own_action(facts, "fair", "mission") or _head(facts, *INFORMING_HEADS)
    firm = HINT if leans else SETTLES
    return [Verdict("R0", 2, True, firm, ", ".join(words[:2]))]


def r0_partnership_aim(facts: Facts, typer: Typer) -> list[Verdict]:
    """A partnership stated as the row's aim (axis 3: « the text must state a partnership, or its aim, that
    involves members »): the purpose clause aims at cooperations, partnerships or consortia, or the row seeks
    partners (:mod:`miner.tag.aims`). It settles only when members or firms are stated, if only as the
    partnership's parties ("coopérations entre l'industrie et …"): without them the
    partnership may be between organisations (another cluster: R13's 5; a pôle or another R7 body: R16's and
    R7's 6), and it only leans. Under an information session, a training, a study or a contest the partnership
    is a subject presented or rewarded, not the row's aim: it leans too."""
    words = facts.words("partnership_aim")
    if not words:
        return []
    involved = _members_involved(facts) or facts.has("firm_partnership")  # "coopérations entre l'industrie et …"
    firm = SETTLES if involved and not _head(facts, *INFORMING_HEADS, "contest") else HINT
    return [Verdict("R0", 3, True, firm, words[0])]


def r10_market_sides(facts: Facts, typer: Typer) -> list[Verdict]:
    """Two sides of a market brought together as the row's own action (R10's meetings with buyers, suppliers and
    client sectors: 2): members and their suppliers, firms and their clients met, put in touch, brokered
    (:func:`miner.tag.aims.market_sides`). Under an information session, a training or a study the sides are the
    subject presented: it leans."""
    words = facts.words("market_sides")
    if not words:
        return []
    firm = HINT if _head(facts, *INFORMING_HEADS) else SETTLES
    return [Verdict("R10", 2, True, firm, words[0], "sides")]


def r15_test_beds(facts: Facts, typer: Typer) -> list[Verdict]:
    """Firms' products tried out with users, or test facilities offered to firms (:func:`miner.tag.aims.test_beds`):
    support for members' innovation projects on their way to a market (R15: 2). Shown (an open day, a
    demonstration) or presented in a session, the facility is the subject (R12, R9 decide): it leans; tried out in a joint project
    of members, R14 says what the partnership is and the trial adds no 2 by itself: it leans."""
    words = facts.words("test_beds")
    if not words:
        return []
    leans = _head(facts, *INFORMING_HEADS) or facts.has(*PROMOTING, "showing", "joint_work", "members_joint")
    return [Verdict("R15", 2, True, HINT if leans else SETTLES, words[0], "tests")]


def r15_helped_firms(facts: Facts, typer: Typer) -> list[Verdict]:
    """Firms or members helped to do something of their own (:func:`miner.tag.aims.helped_firms`: "pour aider les
    entreprises à concevoir des produits", "encourager les entreprises membres à s'impliquer dans des projets"):
    support for members' own projects (R15: 2). Under a session or a talk it is the subject presented (R9 decides):
    it leans; not for clusters' staff."""
    words = facts.words("helped_firms")
    if not words or facts.has("for_clusters"):
        return []
    return [Verdict("R15", 2, True, HINT if _head(facts, *INFORMING_HEADS) else SETTLES, words[0], "firms")]


def r0_firm_access(facts: Facts, typer: Typer) -> list[Verdict]:
    """Firms or members given access to technology, funding, investors or markets (:func:`miner.tag.aims.firms_access`):
    axis 2 as the decree words it, actions « leur permettant d'accéder à une capacité innovatrice et à un seuil de
    compétitivité accrus » (R0: tag the axis a stated aim serves). Under an information session, a training, a
    study or a talk the access is the subject presented (R9 decides): it leans; not for clusters' staff."""
    words = facts.words("firm_access")
    if not words or facts.has("for_clusters"):
        return []
    return [Verdict("R0", 2, True, HINT if _head(facts, *INFORMING_HEADS) else SETTLES, words[0], "access")]


INFORMING_HEADS = ("information", "training", "study", "talk", "showing")
"""Formats whose action, heading the row, informs members about a subject or shows it (R9, R4): an aim stated under them is
the subject's, not the row's own."""


OTHER_AXIS_HEADS = (
    "membership",
    "assembly",
    "study",
    "group",
    "networking",
    "joint_project",
    "eu_project",
    "partnership",
    "merger",
    "agreement",
    "showcase",
    "contest",
    "press",
    "lobbying",
    "information",
    "training",
    "delegation",
    "site_visit",
    "cluster_benchmark",
    "talk",
    "promotion",
    "showing",
    "anniversary",
)
"""Formats whose action serves another axis than 2 when it heads the row (knowing one another and the domain,
partnerships, promotion, clusters): with no commercial strand stated, such a row serves no commercial link."""
COMMERCE_STRANDS = (
    "b2b",
    "buyers",
    "market_access",
    "business_subject",
    "alert",
    "support",
    "innovation_project",
    "incubation",
    "commercial_aim",
    "market_sides",
    "test_beds",
    "helped_firms",
    "firm_access",
    "supported_projects",
    "fair",
    "mission",
)
"""Formats and facts that state a strand of axis 2 (R8, R9, R10, R15, R0's aims), or may (a fair, a mission)."""


def _heading_formats(facts: Facts) -> list[str]:
    """The formats heading the row's event phrase (:mod:`miner.tag.eventhead`), without their prefix."""
    return [k[len(HEAD_PREFIX) :] for k, words in facts.formats.items() if k.startswith(HEAD_PREFIX) and words]


def r0_no_commerce(facts: Facts, typer: Typer) -> list[Verdict]:
    """A row whose actions are all of other axes (a members' meeting, a study, a joint project, an agreement, a
    contest…) and that states no commercial strand (no business meeting, buyer, market, export, funding, support
    for firms' projects, commercial aim, nor a word of them) serves no commercial link: no 2 (R0: tag every stated
    aim, do not infer unstated parts). Information on EU programmes is about funding (R9's business subjects)."""
    heads = _heading_formats(facts)
    if not heads or any(k not in OTHER_AXIS_HEADS for k in heads):
        return []
    firm = _no_commerce(facts, typer, COMMERCE_STRANDS)
    if firm is None or (facts.has("eu_project") and _head(facts, "information", "training")):
        return []
    return [Verdict("R0", 2, False, firm, f"{facts.words(HEAD_PREFIX + heads[0])[0]} (aucun volet commercial)")]


FUNDING_WORDS = frozenset({"aide", "prime", "cheque", "grant", "subsidie", "zuschuss", "foerderung", "forderung"})
"""Folded lemmas of funding for firms: a session's subject that R9 makes 1;2 ("les aides régionales aux PME"), or
a word in passing ("avec l'aide de"): a row naming one is not settled as serving no commercial link."""


def _no_commerce(facts: Facts, typer: Typer, strands: Sequence[str]) -> int | None:
    """How firmly a row states no commercial strand: ``None`` when it states one (a format or fact of ``strands``, an
    "X meets Y" business meeting as R5 reads it, a commercial word of any language :data:`COMMERCE_WORDS` holds),
    :data:`HINT` when only a funding word may be one, else :data:`SETTLES`."""
    words = set(facts.folded.split())
    if facts.has(*strands) or r5(facts, typer) or words & COMMERCE_WORDS:
        return None
    return HINT if words & FUNDING_WORDS else SETTLES


def _members_body_term(facts: Facts, term: str) -> bool:
    """Whether a joint-project term names the body the members belong to ("les membres du consortium", "les
    associés du projet commun"): the head lemma of the term (its first word, lemmatised like the rows) is a
    lemma :func:`miner.tag.jointwork.members_body` found, lemma against lemma ("consortia" is a "consortium")."""
    lemmas = dict(load_event_formats()["joint_project"]).get(term, f" {fold_text(term)} ").split()
    return bool(lemmas) and lemmas[0] in facts.words("members_body")


def r8_no_business(facts: Facts, typer: Typer) -> list[Verdict]:
    """A fair or a mission abroad as the row's action is 4, and 2 only "if B2B is stated" (R8): with no business
    meeting, buyer, market, export or other commercial strand stated (nor a word of them), no 2."""
    if not _own_action(facts, "fair", "mission") or facts.has("study_trip"):
        return []
    firm = _no_commerce(facts, typer, tuple(k for k in COMMERCE_STRANDS if k not in {"fair", "mission"}))
    if firm is None:
        return []
    return [Verdict("R8", 2, False, firm, f"{facts.words('fair', 'mission')[0]} (aucun rendez-vous d'affaires)")]


PARTNERSHIP_STRANDS = (
    "joint_project",
    "partnership",
    "joint_work",
    "members_joint",
    "partnership_aim",
    "eu_project",
    "supported_projects",
    "innovation_project",
    "incubation",
    "gathering_project",
    "merger",
)
"""Formats and facts that state a partnership, a joint thing, a project or its aim (axis 3, R3, R14, R15)."""
PARTNERSHIP_LEMMAS = PARTNERING | {
    "projet",
    "project",
    "consortia",
    "alliance",
    "reseau",
    "plateforme",
    "recherche",
    "r&d",
    "synergie",
    "groupement",
    "codeveloppement",
    "co-developpement",
    "cooperative",
    "jumelage",
}
"""Folded lemmas that may state a partnership anywhere in a row (axis 3's « partenariats … production …
recherche-développement … création d'activités nouvelles »)."""


def r0_no_partnership(facts: Facts, typer: Typer) -> list[Verdict]:
    """Axis 3 needs the text to state a partnership, or its aim, involving members ("Meeting is not enough"): a row
    whose action the parse finds and that names no partnership, joint thing, project, consortium, network or
    research, nor joint work the parse shows (:func:`miner.tag.jointwork.joint_work`, not a lemma's first letters:
    "commune" is no "commun"), serves no partnership: no 3 (R0: infer no unstated part)."""
    heads = _heading_formats(facts)
    lemmas = facts.folded.split()
    if not heads or facts.has(*PARTNERSHIP_STRANDS) or set(lemmas) & PARTNERSHIP_LEMMAS:
        return []
    return [Verdict("R0", 3, False, SETTLES, f"{facts.words(HEAD_PREFIX + heads[0])[0]} (aucun partenariat énoncé)")]


PROJECT_ONLY = frozenset({"projet pilote", "projet européen", "montage de projet", "projet de recherche", "projet R&D"})
"""Joint-project words that name a project without saying it is a partnership: members must be seen in it."""


def _members_involved(facts: Facts) -> bool:
    return (
        bool(set(facts.folded.split()) & (MEMBER_WORDS | MEMBERS_ABROAD))
        or "_own_cluster_" in facts.folded
        and any("membre" in w.casefold() for w in facts.own_words)
        or bool(facts.others("firm"))
    )


def _members_partners(facts: Facts) -> bool:
    """Members or firms the row involves beyond the firms a stated aim is for: a joint action of clusters "pour
    internationaliser ces clusters et leurs entreprises" serves firms it does not make partners."""
    return (
        facts.has("members_outside_aims")
        or "_own_cluster_" in facts.folded
        and any("membre" in w.casefold() for w in facts.own_words)
        or bool(facts.others("firm"))
    )


def _joint_stated(facts: Facts) -> bool:
    """Whether the row states a partnership or a joint thing (axis 3's « partenariats »), not only a meeting."""
    return facts.has("partnership", "members_joint", "joint_work", "joint_project")


PRESENTING_HEADS = ("information", "talk", "showing")
"""Formats whose action, heading the row, presents or explains a subject: a partnership under them is what is
presented, not one the row makes."""


def _presented(facts: Facts) -> bool:
    return _head(facts, *PRESENTING_HEADS)


def r13_not_members(facts: Facts, typer: Typer) -> list[Verdict]:
    """A joint action with another cluster and no partnership of members stated is between the organisations
    (5), not a partnership involving members (3): axis 3 needs « partenariats impliquant des membres », as
    R16 says for a pôle. A partnership whose parties are firms (:func:`miner.tag.aims.firm_partnerships`) is the
    members'. A partnership only presented or explained (a seminar presenting the two clusters' joint platform)
    states none the row makes: it does not lift the "no 3"."""
    clusters = [m for m in _clusters(facts) if m.active]
    stated = facts.has("partnership", "firm_partnership") and not _presented(facts)
    if not clusters or _members_partners(facts) or stated or facts.has("members_joint"):
        return []
    return [Verdict("R13", 3, False, SETTLES, "; ".join(f"{m.text} (cluster)" for m in clusters[:2]))]


def r15_not_joint(facts: Facts, typer: Typer) -> list[Verdict]:
    """Support for members' own innovation projects, a call for projects, or support heading the row for firms'
    projects is 2; 3 only if the projects are stated to be joint (R15): none of the row's lemmas makes them joint.
    A transnational EU project is a partnership by itself (R3)."""
    partners = set(facts.folded.split()) & (PARTNERING | {"consortia"})
    supported = facts.words("innovation_project", "supported_projects")
    if not supported or _joint_stated(facts) or _clusters(facts) or partners or facts.has("gathering_project"):
        return []  # projects with partners or consortia, or gathering several bodies, may be joint: the head decides
    if _transnational(facts.words("eu_project")) or _answered_call(facts):
        return []  # a call the row answers says nothing of whether the bids are joint
    return [Verdict("R15", 3, False, SETTLES, supported[0])]


def r15_joint(facts: Facts, typer: Typer) -> list[Verdict]:
    """Support for members' innovation projects, or a call for them, where the row states the projects joint (R15:
    "add 3 only if the projects are stated to be joint"): a partnership, a cooperation or consortia named beside them
    ("appel ouvert à projets … qui a suscité 29 consortia", "matchmaking pour constituer des consortia d'innovation
    et aide aux demandes de financement"), the very words whose absence makes :func:`r15_not_joint` settle "no 3".
    A joint project the parse shows is R14's; projects a talk or a session presents lean."""
    supported = facts.words("innovation_project", "supported_projects")
    partners = sorted(set(facts.folded.split()) & (PARTNERING - PARTIES | {"consortia"}))
    if not supported or not partners or _joint_stated(facts) or facts.has("for_clusters"):
        return []
    return [Verdict("R15", 3, True, HINT if _presented(facts) else SETTLES, f"{supported[0]}, {partners[0]}", "joint")]


def r15_incubation(facts: Facts, typer: Typer) -> list[Verdict]:
    """An incubator or acceleration programme supports firms' own innovation projects (R15): 2. Not when the
    row only presents it, at a fair or in a contest (R8, R12 say what such a row does)."""
    if not facts.has("incubation") or facts.has("fair", "mission", "contest", "talk") or _clusters(facts):
        return []
    return [Verdict("R15", 2, True, SETTLES, ", ".join(facts.words("incubation")[:1]))]


def _answered_call(facts: Facts) -> bool:
    """Whether the row's only innovation projects are a call it answers or takes part in ("réponse commune de cinq
    membres à un appel à projets", :func:`miner.tag.aims.answered_calls`): another's call, no support of the row's."""
    heads = [fold_text(w).split()[0] for w in facts.words("innovation_project")]
    return facts.has("answered_call") and all(h in CALLS or h[:-1] in CALLS for h in heads)  # "appels à projets"


def r15(facts: Facts, typer: Typer) -> list[Verdict]:
    """Support for members' own innovation or investment projects: 2 (3 only if joint). Innovation
    projects or a call for projects named settle it (not with another cluster: R13), unless a talk or a session
    only presents them (their subject: it leans), or the call is one the row answers (:func:`_answered_call`: it
    leans); support alone leans."""
    if facts.has("innovation_project") and not _clusters(facts):  # members' innovation projects, or a call for them
        firm = HINT if _presented(facts) or _answered_call(facts) else SETTLES
        return [Verdict("R15", 2, True, firm, ", ".join(facts.words("innovation_project")[:1]))]
    if facts.has("support") and not facts.has("training"):
        return [Verdict("R15", 2, True, HINT, ", ".join(facts.words("support")[:1]))]
    return []


def r16(facts: Facts, typer: Typer) -> list[Verdict]:
    """Cluster-pôle collaboration with no members' partnership stated: 6, not 3. A pôle the cluster acts "aux
    côtés" of (role "alongside") is its partner in the action as much as a co-organiser is."""
    poles = [m for m in facts.others("pole") if m.active or m.role == "alongside"]
    if poles and not facts.has("partnership") and not re.search(r"membre", facts.folded):
        return [Verdict("R16", 3, False, SETTLES, _named(poles[0], typer))]
    return []


def r16_bodies(facts: Facts, typer: Typer) -> list[Verdict]:
    """R16's reasoning for every R7 body, not only a pôle: a joint project or joint work whose active partner is a
    body of the R7 classes (a federation, a research centre, an agency…), with no member, firm or partnership of
    theirs stated, is organisation-to-organisation collaboration: 6, not 3 (axis 3 needs « partenariats impliquant
    des membres »). Not a transnational EU project (R3: a project partnership defaults to 3), nor with another
    cluster (R13) or a pôle (R16 itself); with no joint thing stated R0 already says no 3. A body the parse links to
    the row's action ("mené en collaboration avec la Confédération Construction", :attr:`Mention.joint`) makes the
    action joint work with it though no joint noun is named."""
    bodies = [m for m in _qualifying(facts, typer) if m.active]
    joint = facts.has("joint_work", "joint_project") or any(m.joint for m in bodies)
    if not bodies or _clusters(facts) or facts.others("pole") or not joint:
        return []
    if _members_involved(facts) or facts.has("partnership", "members_joint", "firm_partnership"):
        return []
    if _transnational(facts.words("eu_project")):
        return []
    return [Verdict("R16", 3, False, SETTLES, _named(bodies[0], typer), "bodies")]


def r17(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster's own managing body (an agency or chamber that runs it) is the cluster: no 6 for it."""
    own_bodies = [m for m in facts.mentions if m.own and typer.qualifies(m.type)]
    if not own_bodies or _qualifying(facts, typer):
        return []
    # R17's own exception: "another unit or programme of that body" acting as a separate partner is 6. A
    # managing body (an agency, a chamber, not the cluster or pôle itself) named as the framework of the
    # action ("lors d'une mission de l'agence", "dans le programme de la chambre"), or a named partner the
    # parse ties to the action beside it, may be that: the rule only leans
    framed = [m for m in own_bodies if m.type not in {"cluster", "pole"} and m.role == "framework"]
    beside = [m for m in _unplaced_partners(facts) if m.joint]
    firm = HINT if framed or beside else SETTLES
    return [Verdict("R17", 6, False, firm, ", ".join(m.text for m in own_bodies))]


def r18(facts: Facts, typer: Typer) -> list[Verdict]:
    """Mergers, alliances and joint governance of clusters: 5."""
    if facts.has("merger") and (_clusters(facts) or re.search(r"\bclusters\b", facts.text, re.I)):
        return [Verdict("R18", 5, True, SETTLES, ", ".join(facts.words("merger")[:1]))]
    return []


def r19(facts: Facts, typer: Typer) -> list[Verdict]:
    """Pôles de compétitivité of any country are pôles: 6 (R2), never 5 by themselves."""
    poles = facts.others("pole")
    if poles and not _clusters(facts):
        return [Verdict("R19", 5, False, SETTLES, ", ".join(m.text for m in poles))]
    return []


def r1_assembly(facts: Facts, typer: Typer) -> list[Verdict]:
    """The members' general assembly heading the row: the members meet one another and their association (axis
    1, as R1 says of clubs). Another body's assembly the cluster attends ("l'assemblée de l'ESCA") only leans."""
    words = facts.words(HEAD_PREFIX + "assembly")
    if not words:
        return []
    firm = HINT if facts.has(OTHER_PREFIX + "assembly") else SETTLES
    return [Verdict("R1", 1, True, firm, ", ".join(words[:1]))]


def r11_membership(facts: Facts, typer: Typer) -> list[Verdict]:
    """New members joining as the row's action ("accueil de dix nouveaux membres"): setting up the membership
    (R11: 1)."""
    words = facts.words(HEAD_PREFIX + "membership")
    return [Verdict("R11", 1, True, SETTLES, ", ".join(words[:1]))] if words else []


INFO_STRANDS = ("b2b", "buyers", "market_access", "fair", "mission", "study_trip", "delegation") + PROMOTING
"""Strands that make an information event serve business (R4), promotion (R12, R8) or a visit (R13) instead."""


def r11_founding(facts: Facts, typer: Typer) -> list[Verdict]:
    """Founding a body of members as the row's action ("création du cluster avec 14 entreprises"): setting up the
    membership (R11: 1). Not an alliance or federation of clusters (R18 says what that is)."""
    words = facts.words("founding")
    return [Verdict("R11", 1, True, SETTLES, words[0])] if words and not facts.has("merger") else []


KNOWING_STRANDS = ("training", "study", "group", "networking", "site_visit", "assembly", "membership", "founding")
"""Strands of axis 1 (members meeting one another, learning the domain) besides information events."""


def r12_promotion_only(facts: Facts, typer: Typer) -> list[Verdict]:
    """A showcase, a contest or the cluster's press heading the row (an inauguration, a prize-giving, a press
    conference) serves its promotion (R12): no 1 of its own (R0: a format serving another stated aim adds no
    axis), unless the row states a strand of axis 1 (a training, a study, an information event, a networking
    moment, a working group)."""
    words = facts.words(HEAD_PREFIX + "contest", HEAD_PREFIX + "showcase", HEAD_PREFIX + "press")
    informing = [w for w in facts.words("information") if w in facts.words("information_apart")]  # not the press's
    if not words or informing or facts.has(*KNOWING_STRANDS):
        return []
    return [Verdict("R12", 1, False, SETTLES, words[0])]


OTHER_AIMS = ("innovation_project", "support", "incubation", "merger", "agreement")
"""Actions of another axis by themselves: support for members' projects and calls for them (R15: 2), mergers of
clusters (R18: 5), agreements (with the counterpart's axis, R2, R13, R16)."""


def r0_no_knowing(facts: Facts, typer: Typer) -> list[Verdict]:
    """A row whose action is of another axis (a call for projects, support, an incubator, a merger, an agreement)
    and that states no strand of axis 1 (a training, a study, an information event, a networking moment, a
    working group, new members) does not serve members knowing one another or the domain: no 1 (R0: tag every
    stated aim, infer no unstated part)."""
    words = facts.words(*(HEAD_PREFIX + k for k in OTHER_AIMS))
    if not words or facts.has("information", "talk", *KNOWING_STRANDS):
        return []
    return [Verdict("R0", 1, False, SETTLES, words[0])]


def r4_information(facts: Facts, typer: Typer) -> list[Verdict]:
    """An information event heading the row (a conference, a seminar, a workshop, a congress, a round table) with
    no business-meeting, promotion or fair strand: information about the domain, 1 (R4's second half, R9). Not
    another body's event the cluster attends, nor one between clusters or for cluster staff (R13's), nor one for
    pupils or the public (LABELLING's talent events: promotion of the sector, 4; :func:`_for_outsiders`)."""
    words = facts.words(HEAD_PREFIX + "information")
    if (
        not words
        or facts.has(OTHER_PREFIX + "information", "plural_clusters", *INFO_STRANDS)
        or _clusters(facts)
        or _for_outsiders(facts)
    ):
        return []
    return [Verdict("R4", 1, True, SETTLES, ", ".join(words[:1]))]


def r13_label(facts: Facts, typer: Typer) -> list[Verdict]:
    """A cluster-management label or audit (ESCA's Bronze, Silver, Gold; a national excellence programme for
    clusters) benchmarks the cluster against other clusters: R13's "benchmarking among clusters → 5, even if
    it leads to a label"."""
    words = facts.words("cluster_benchmark")
    return [Verdict("R13", 5, True, SETTLES, ", ".join(words[:2]))] if words else []


def _audience(facts: Facts) -> tuple[list[str], list[str]]:
    """The outsiders and the members the row's action is addressed to or held with (:mod:`miner.tag.audience`)."""
    return (
        facts.words("audience_outside", "present_outside"),
        facts.words("audience_members", "present_members"),
    )


def r12_anniversary(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster's anniversary (LABELLING's choice): celebrated before outsiders (officials, the press, the
    public) it shows the cluster off, R12's promotion: 4; held with the members alone it is their own party,
    members meeting one another (R1): 1 and no 4. With no audience stated the head decides."""
    words = facts.words("anniversary")
    if not words:
        return []
    outside, members = _audience(facts)
    if outside:
        return [Verdict("R12", 4, True, SETTLES, f"{words[0]} ; {', '.join(outside[:2])}")]
    if members and not facts.has("contest", "showcase", "press"):  # a prize-giving or the press make it promotion
        said = f"{words[0]} ; {', '.join(members[:2])}"
        return [Verdict("R1", 1, True, SETTLES, said), Verdict("R12", 4, False, SETTLES, said)]
    return []


def r12_shown_outside(facts: Facts, typer: Typer) -> list[Verdict]:
    """A presentation, an open day or a visit of the members' firms addressed to outsiders (the public, schools,
    officials, another body's members) promotes the cluster and its members (R12; LABELLING: talent events for
    pupils, officials visiting): 4. The same presentation addressed to the members alone is their own meeting,
    no promotion (axis 1): no 4. Not a training or information event for them (R9 says what that is). A showing
    that does not head the row counts when its own case word addresses outsiders ("présentation aux médias")."""
    shown = facts.words(HEAD_PREFIX + "showing", HEAD_PREFIX + "site_visit")
    if facts.has(HEAD_PREFIX + "training", HEAD_PREFIX + "information"):
        return []
    if not shown:  # a showing elsewhere in the row, addressed to outsiders by its own case word
        told = facts.words("shown_to_outside")
        return [Verdict("R12", 4, True, SETTLES, told[0], function="told")] if told else []
    outside = facts.words("audience_outside")
    if _head(facts, "site_visit"):  # officials visiting the members' firms ("par le ministre") are shown them
        outside += facts.words("present_outside")
    if outside:
        return [Verdict("R12", 4, True, SETTLES, f"{shown[0]} ; {', '.join(outside[:2])}")]
    members = facts.words("audience_members")
    if members and not facts.has(*PROMOTING, "fair", "mission", "anniversary"):
        return [Verdict("R12", 4, False, SETTLES, f"{shown[0]} ; {', '.join(members[:2])}")]
    return []


OUTSIDERS_KNOWING = ("training", "information", "study", "group", "networking", "assembly", "membership", "founding")
"""Strands of axis 1 that keep a row addressed to outsiders the members' own too (a training, a study, a working
group, an information event as the row's action); a visit of the members' firms is not one: for outsiders it is
the showing itself."""


def r12_outsiders_only(facts: Facts, typer: Typer) -> list[Verdict]:
    """An action addressed to outsiders alone (the public, pupils, young people, officials, another body's
    members: :mod:`miner.tag.audience`), with no member among those it is for and no other cluster (R13's), shows
    the cluster and its members off (R12; LABELLING: open days, talent events for pupils, officials visiting): 4,
    and no 1 of its own, since members do not get to know one another or the domain there (R0: a format that
    serves another aim adds no axis), unless the row states a strand of axis 1 as its own action."""
    outside = facts.words("audience_outside")
    if not outside or facts.has("audience_members") or _clusters(facts):
        return []
    if any(_own_action(facts, k) for k in OUTSIDERS_KNOWING if facts.has(k)):
        return []
    said = f"{', '.join(outside[:2])} (public extérieur)"
    return [
        Verdict("R12", 4, True, SETTLES, said, function="outsiders"),
        Verdict("R12", 1, False, SETTLES, said, function="outsiders"),
    ]


def r12_recognition(facts: Facts, typer: Typer) -> list[Verdict]:
    """A status or distinction the cluster is granted, heading the row (LABELLING: prizes and distinctions the
    cluster receives; admission to a national cluster programme, "plus 4 for the recognition"): promotion of the
    cluster, 4. Not a cluster-management label or audit, which is benchmarking among clusters (R13's 5)."""
    words = facts.words("recognition")
    if not words or facts.has("cluster_benchmark"):
        return []
    return [Verdict("R12", 4, True, SETTLES, words[0], function="recognised")]


def r12_promoted_own(facts: Facts, typer: Typer) -> list[Verdict]:
    """Promoting the cluster or its members (axis 4's definition, R12): a promoting word whose object the parse
    says is the members, their firms, sector or know-how, or the cluster (:func:`miner.tag.audience.promoted_own`):
    4, whatever the format. Promoting a subject matter, or a body named "de promotion", is no such row."""
    words = facts.words("promoted_own")
    if words and not facts.has(HEAD_PREFIX + "assembly"):  # an assembly approves a promotion: an item of its plan
        return [Verdict("R12", 4, True, SETTLES, words[0], function="promoted")]
    # showing the cluster's own (its members' skills, its projects) is the same promotion, unless the members
    # alone are its audience (their own meeting: axis 1), the row trains or informs (R9) or welcomes a new member
    # (R11), or another cluster's delegation is shown how the cluster works (R13's knowledge sharing)
    shown = facts.words("shown_own")
    if (
        shown
        and not facts.words("audience_members")
        and not facts.has(HEAD_PREFIX + "training", HEAD_PREFIX + "information", "membership")
        and not (facts.has("delegation") and _clusters(facts))  # another cluster learning how it works: R13
    ):
        return [Verdict("R12", 4, True, SETTLES, shown[0], function="shown")]
    return []


OWN_PROMOTION = ("promoted", "shown", "told")
"""Functions of R12 that promote or show the cluster's own (:func:`r12_promoted_own`, :func:`r12_shown_outside`)."""


def r12_own_promotion_only(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster promoting or showing its own (its members, their skills, itself: R12's 4) with no strand of axis 1
    stated serves its promotion alone: no 1 (R0: tag the stated aims; CONVENTIONS R3 and R12: speaking at an event
    is 4). A conference or forum named only as where the cluster presents itself ("présentation du cluster à la
    conférence X", "au congrès IAC pour présenter …") is no information event of the row (R9, R4)."""
    promoted = [
        v
        for rule in (r12_promoted_own, r12_shown_outside)
        for v in rule(facts, typer)
        if v.add and v.axis == 4 and v.function in OWN_PROMOTION
    ]
    informing = set(facts.words("information")) - set(facts.words("information_placed"))
    if not promoted or informing or facts.has(*KNOWING_STRANDS):
        return []
    return [Verdict("R12", 1, False, SETTLES, promoted[0].words, function="own")]


HOSTED_OWN = ("membership", "incubation", "support", "innovation_project")
"""What a hosting word also heads when it is the cluster's own service, no visit: new members ("accueil de dix
nouveaux membres", R11), firms' projects in an incubator (R15)."""


def r12_hosting(facts: Facts, typer: Typer) -> list[Verdict]:
    """The cluster hosting visitors as the row's action (a delegation, a study trip, another body's forum or
    meeting): the visitors learn, not the members, so no 1 (R0); with the members' sites or firms shown to them it
    shows the members off (R13's "members are showcased", LABELLING: visiting delegations of officials are 4): 4.
    Not the welcome of new members (R11) or of firms' projects in an incubator (R15), nor the members' own assembly
    or evening held somewhere (R1)."""
    words = facts.words("hosting")
    if not words or facts.has(*HOSTED_OWN, "audience_members"):
        return []
    if any(v.add and v.strength >= SETTLES for rule in (r1_assembly, r1_meet) for v in rule(facts, typer)):
        return []  # the members' own assembly or evening, hosted somewhere: their meeting (R1), no visitors'
    out = [Verdict("R12", 1, False, SETTLES, words[0], function="hosting")]
    if _members_shown(facts):
        out.append(Verdict("R12", 4, True, SETTLES, words[0], function="hosting"))
    return out


def r8_place_only(facts: Facts, typer: Typer) -> list[Verdict]:
    """A fair the parse reads only as the place of another action heading the row ("protocole signé au salon",
    "conférence au salon", every fair word under a place case, :func:`miner.tag.eventhead.placed_terms`): no 4
    (LABELLING's format table: "a fair that is only the place of a talk, an agreement or a merger is not"), unless
    the row promotes or shows the cluster's own there (R12)."""
    fairs, placed = facts.words("fair"), facts.words("fair_placed")
    if _fair_among_clusters(facts):
        return [Verdict("R8", 4, False, SETTLES, f"{fairs[0]} (lieu d'une rencontre de clusters)", function="place")]
    if (
        not fairs
        or set(fairs) - set(placed)
        or facts.has("mission")
        or _own_action(facts, "fair")
        or not _head(facts, *OTHER_ACTIONS)
        or facts.has("promoted_own", "shown_own", "press", "contest", "showcase", "promotion")
    ):
        return []
    return [Verdict("R8", 4, False, SETTLES, f"{placed[0]} (lieu d'une autre action)", function="place")]


def r13_delegation_unshown(facts: Facts, typer: Typer) -> list[Verdict]:
    """Another cluster's delegation that is shown no member (it meets the cluster's team, hears how the cluster
    works, explores cooperation) is knowledge sharing between clusters, not promotion: R13 gives 4 only for
    "visits to members' sites" (members are showcased), so no 4 unless the row shows members, a fair, a
    mission or the cluster's own promotion to outsiders."""
    clusters = [m for m in _clusters(facts) if m.active or m.role == "mention"]
    if not clusters or not facts.has("delegation") or _members_shown(facts):
        return []
    if facts.has(*PROMOTING, "fair", "mission", "audience_outside", "anniversary", "business_subject", "market_access"):
        return []  # joint export actions promote the members abroad (R8's reasoning)
    return [Verdict("R13", 4, False, SETTLES, ", ".join(facts.words("delegation")[:1]))]


RULES: tuple[Rule, ...] = (
    Rule("R0", "Tag every stated aim; another cluster is needed for 5; each row at least one axis.", r0),
    Rule("R1", "Own working groups, clubs, grappes: 1; add 3 only for a stated joint output.", r1),
    Rule("R1", "Members' networking events and visits of firms' sites: 1.", r1_meet),
    Rule("R2/R7", "6 needs an R7 body in an active role (not venue, host, audience, funder).", r2_r7),
    Rule("R7", "Only other clusters as active counterparts: 5, not 6 (a cluster is no other form).", r7_clusters),
    Rule("R3", "EU projects and platforms with no cluster named: no 5; a project partnership: 3.", r3),
    Rule("R4", "Talks inside a business meeting add no 1.", r4),
    Rule("R5", "'X meets Y': 2; 6 for a pôle or R7 body, 5 for a cluster.", r5),
    Rule("R6", "Own grappes are not other clusters; a separate grappe co-organising is.", r6),
    Rule("R8", "Fairs and missions abroad: 4; 2 with B2B.", r8),
    Rule("R9", "Trainings and information sessions: 1; 2 on procurement, export, funding; alerts 2.", r9),
    Rule("R10", "Meetings with buyers, investors, client sectors: 2.", r10),
    Rule("R11", "Knowledge products: 1.", r11),
    Rule("R12", "Promotion, showcases, contests: 4.", r12),
    Rule("R13", "Joint action with another cluster: 5; its delegation visiting members: 4;5.", r13),
    Rule("R14", "Partnership mechanisms among members: 3.", r14),
    Rule("R15", "Support heading the row, for members, firms or their projects: 2.", r15_support),
    Rule("R0", "A stated commercial aim (markets, buyers, investors, exports): 2.", r0_commercial_aim),
    Rule("R0", "A partnership stated as the row's aim, involving members: 3.", r0_partnership_aim),
    Rule(
        "R10", "Two sides of a market (members and suppliers, firms and clients) brought together: 2.", r10_market_sides
    ),
    Rule("R15", "Firms' products tried out with users, test facilities offered to firms: 2.", r15_test_beds),
    Rule("R15", "Firms or members helped to do something of their own: 2.", r15_helped_firms),
    Rule("R0", "Firms given access to technology, funding, investors or markets: 2.", r0_firm_access),
    Rule("R0", "Actions of other axes only, no commercial strand stated: no 2.", r0_no_commerce),
    Rule("R8", "Fairs and missions with no business meeting stated: no 2.", r8_no_business),
    Rule("R0", "No partnership, joint thing or project stated: no 3.", r0_no_partnership),
    Rule("R15", "Support for members' own projects: 2.", r15),
    Rule("R15", "Members' own innovation projects, none stated joint: no 3.", r15_not_joint),
    Rule("R15", "Members' innovation projects stated joint (partners, consortia): 3.", r15_joint),
    Rule("R15", "Incubators and acceleration programmes for firms' projects: 2.", r15_incubation),
    Rule("R13", "Another cluster as the partner, no members' partnership stated: 5, not 3.", r13_not_members),
    Rule("R16", "Cluster-pôle collaboration without members' partnership: 6, not 3.", r16),
    Rule("R16", "Joint work with an R7 body and no members' partnership: 6, not 3.", r16_bodies),
    Rule("R17", "The cluster's own managing body is the cluster: no 6 for it.", r17),
    Rule("R18", "Mergers, alliances, joint governance of clusters: 5.", r18),
    Rule("R19", "Pôles of any country are pôles (6), not clusters (5).", r19),
    Rule("R1", "The members' general assembly: 1.", r1_assembly),
    Rule("R11", "New members joining (setting up the membership): 1.", r11_membership),
    Rule("R11", "Founding a body of members (setting up the membership): 1.", r11_founding),
    Rule("R4", "An information event with no business, promotion or fair strand: 1.", r4_information),
    Rule("R12", "A showcase, contest or press action with no strand of axis 1: no 1.", r12_promotion_only),
    Rule("R0", "An action of another axis with no strand of axis 1: no 1.", r0_no_knowing),
    Rule("R13", "A cluster-management label or audit (benchmarking among clusters): 5.", r13_label),
    Rule("R12", "The cluster's anniversary: 4 before outsiders; 1 and no 4 with the members alone.", r12_anniversary),
    Rule("R12", "A presentation or visit shown to outsiders: 4; to the members alone: no 4.", r12_shown_outside),
    Rule("R12", "An action addressed to outsiders alone, no strand of axis 1: 4, no 1.", r12_outsiders_only),
    Rule("R12", "A status or distinction granted to the cluster (not a cluster-management label): 4.", r12_recognition),
    Rule("R12", "Promoting the members, their firms, sector or know-how, or the cluster: 4.", r12_promoted_own),
    Rule("R12", "The cluster promoting or showing its own, no strand of axis 1: no 1.", r12_own_promotion_only),
    Rule("R12", "Hosting visitors: no 1; with the members shown to them: 4.", r12_hosting),
    Rule("R8", "A fair only the place of another action: no 4.", r8_place_only),
    Rule("R13", "Another cluster's delegation shown no member: no 4.", r13_delegation_unshown),
)


def apply_rules(facts: Facts, typer: Typer | None = None) -> list[Verdict]:
    """Every verdict of every rule on one activity."""
    typer = typer or load_typer()
    return [v for rule in RULES for v in rule.check(facts, typer)]


RULE_WIDTH = 2 * len(AXES)
"""Rule features: per axis, the strongest verdict to add it, then the strongest to remove it."""


def rule_vector(verdicts: Sequence[Verdict]) -> list[float]:
    row = [0.0] * RULE_WIDTH
    for v in verdicts:
        k = (v.axis - 1) + (0 if v.add else len(AXES))
        row[k] = max(row[k], float(v.strength))
    return row


def verdict_key(v: Verdict) -> str:
    """A verdict's kind, the unit a model trusts or not: "R8+4", "R0-5", and "R15.tests+2" for a function keyed
    apart (:attr:`Verdict.function`), so that a weak one does not lower the trust in a strong one."""
    return f"{v.rule}{'.' + v.function if v.function else ''}{'+' if v.add else '-'}{v.axis}"


def settle(
    axes: Sequence[int], verdicts: Sequence[Verdict], trusted: Sequence[str] | None = None
) -> tuple[list[int], dict[int, list[Verdict]]]:
    """The learned head's ``axes`` (best first) with the settling verdicts applied (an add and a remove of the
    same axis cancel out, the head decides), and per axis the verdicts that explain it."""
    chosen = set(axes)
    by_axis: dict[int, list[Verdict]] = {}
    trust = set(trusted) if trusted is not None else None
    for axis in AXES:
        firm = [
            v
            for v in verdicts
            if v.axis == axis and v.strength >= SETTLES and (trust is None or verdict_key(v) in trust)
        ]
        adds = [v for v in firm if v.add]
        removes = [v for v in firm if not v.add]
        if adds and not removes:
            chosen.add(axis)
        elif removes and not adds:
            chosen.discard(axis)
        by_axis[axis] = [v for v in verdicts if v.axis == axis and v.add == (axis in chosen)]
    if not chosen:  # R0: every activity serves at least one axis: the head's best one
        chosen.add(axes[0] if axes else 1)
    return sorted(chosen), by_axis
