"""A seeded generator of varied evaluation reports, each with its gold written from the same data.

One data model per report (``Report``: fictitious cluster, questions, criteria, judgements,
constats) is laid out by a ``Combination`` of factors, the conventions consultancies use:

- ``producer``: ReportLab (platypus), Chromium printing an HTML page, or fpdf2 (its own line
  breaking, justification, table borders and column flow: ``corpora/render/variety_fpdf.py``);
  "scan", the ReportLab report printed and scanned (``corpora/render/scan.py``), and "scan-colour",
  scanned in colour under a fresh red stamp, are read apart (``SCANNED_SAMPLE``): OCR takes a
  minute a report;
- ``layout``: a référentiel table ruled as a grid, with vertical rules only, with horizontal
  rules only, or no table: criteria as sub-headings with the judgement in a framed tag, on one
  page column or two;
- ``judgement``: the scale word, a sequence of filled and empty dots explained by a legend, an
  "X" in one of four judgement columns, or an empty cell coloured as a legend says;
- ``legend``: the key to dots or colours as a table, or as a line of text (coloured squares);
- ``numbering``: constats numbered through the report, per question ("Constat 2.3 :"), or one
  constat written once for several criteria (a merged cell, or "Constat commun aux critères");
- ``language``: the genre's words in French, English, Dutch or German;
- ``content``: one of several fictitious clusters (page 1 says the document is fictitious);
- ``place``: the constats written in the table's cells, or the cells listing only their numbers
  ("1, 2") and their texts in an annex at the end of the report (tables only; drawn apart from the
  other factors, so a seed draws the same combinations it drew before this factor existed).

``gold(report)`` writes the ``*.expected.json`` of ``../shared`` (numbers in order of appearance,
the printed per-question label in ``label``, a shared constat given to each criterion).
``python -m corpora.render.variety --count 200 --seed 1`` renders that many combinations, reads
each one back and prints the share read exactly per factor (``make test-long``); ``FIXED_SAMPLE``
is the small set ``make test`` reads. ``known_gap`` names what the reader does not handle yet, so
those combinations are expected failures with their reason, not silent ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

__all__ = [
    "FACTORS",
    "FIXED_SAMPLE",
    "SCANNED_SAMPLE",
    "Combination",
    "Report",
    "gold",
    "known_gap",
    "make_report",
    "read_exactly",
    "render",
    "sample",
]

SCALE = ("Atteint", "Satisfaisant", "Partiel", "Non atteint")
DOTS = {"Atteint": "●●●", "Satisfaisant": "●●○", "Partiel": "●○○", "Non atteint": "○○○"}
COLOURS = {"Atteint": "#2e8b3a", "Satisfaisant": "#9ccc4c", "Partiel": "#f5a623", "Non atteint": "#d0312d"}

FACTORS: dict[str, tuple[str, ...]] = {
    "producer": ("reportlab", "chromium", "fpdf2"),
    "layout": ("grid", "vrules", "hrules", "tags", "tags-twocol"),
    "judgement": ("word", "dots", "x-columns", "colour"),
    "numbering": ("report", "per-question", "shared"),
    "language": ("fr", "en", "nl", "de"),
    "content": ("lumivia", "aquaterra", "ferrovita"),
    "legend": ("table", "line"),
    "place": ("inline", "annex"),
}

# The genre's words per language, as a report of that language prints them.
WORDS: dict[str, dict[str, Any]] = {
    "fr": {
        "question": "Question d'évaluation {n} : {text}", "finding": "Constat {label} :",
        "header": ("Thème", "Critère", "Jugement", "Constats"), "level": "Niveau d'atteinte",
        "scale": dict(zip(SCALE, SCALE)), "common": "Constat commun aux critères {a} à {b} :",
        "legend": "Légende des niveaux d'atteinte", "annex": "Annexe – constats détaillés", "overall": "Appréciation d'ensemble de la question {n}",
        "title": "Évaluation du cluster {name} – synthèse", "date": "Rapport remis le {day} {month} {year}",
        "notice": "DOCUMENT FICTIF – rapport inventé pour éprouver un outil de lecture ; le cluster {name} n'existe pas.",
        "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
        "intro": "{k} critères ont été examinés.", "method": "Méthode",
    },
    "en": {
        "question": "Evaluation question {n}: {text}", "finding": "Finding {label}:",
        "header": ("Theme", "Criterion", "Rating", "Findings"), "level": "Level of achievement",
        "scale": dict(zip(SCALE, ("Achieved", "Satisfactory", "Partial", "Not achieved"))),
        "common": "Finding common to criteria {a} to {b}:", "legend": "Key to the ratings", "annex": "Annex – detailed findings",
        "overall": "Answer to question {n}", "title": "Evaluation of the {name} cluster – summary",
        "date": "Report delivered on {day} {month} {year}",
        "notice": "FICTITIOUS DOCUMENT – a report invented to test a reading tool; the {name} cluster does not exist.",
        "months": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
        "intro": "{k} criteria were examined.", "method": "Method",
    },
    "nl": {
        "question": "Evaluatievraag {n}: {text}", "finding": "Vaststelling {label}:",
        "header": ("Thema", "Criterium", "Oordeel", "Vaststellingen"), "level": "Mate van realisatie",
        "scale": dict(zip(SCALE, ("Bereikt", "Voldoende", "Gedeeltelijk", "Niet bereikt"))),
        "common": "Vaststelling gemeenschappelijk voor criteria {a} tot {b}:", "legend": "Legende",
        "annex": "Bijlage – uitgewerkte vaststellingen",
        "overall": "Antwoord op vraag {n}", "title": "Evaluatie van de cluster {name} – samenvatting",
        "date": "Rapport afgeleverd op {day} {month} {year}",
        "notice": "FICTIEF DOCUMENT – een verzonnen rapport om een leesprogramma te testen; de cluster {name} bestaat niet.",
        "months": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"),
        "intro": "{k} criteria werden onderzocht.", "method": "Methode",
    },
    "de": {
        "question": "Evaluierungsfrage {n}: {text}", "finding": "Feststellung {label}:",
        "header": ("Thema", "Kriterium", "Bewertung", "Feststellungen"), "level": "Zielerreichung",
        "scale": dict(zip(SCALE, ("Erreicht", "Zufriedenstellend", "Teilweise", "Nicht erreicht"))),
        "common": "Gemeinsame Feststellung zu den Kriterien {a} bis {b}:", "legend": "Legende",
        "annex": "Anhang – ausführliche Feststellungen",
        "overall": "Antwort auf Frage {n}", "title": "Evaluierung des Clusters {name} – Zusammenfassung",
        "date": "Bericht übergeben am {day}. {month} {year}",
        "notice": "FIKTIVES DOKUMENT – ein erfundener Bericht zum Testen eines Lesewerkzeugs; den Cluster {name} gibt es nicht.",
        "months": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"),
        "intro": "{k} Kriterien wurden untersucht.", "method": "Methode",
    },
}  # fmt: skip

# Fictitious clusters: name, sector word per language, and what their members make.
CLUSTERS = {
    "lumivia": {
        "name": "LUMIVIA",
        "sector": {"fr": "l'éclairage", "en": "lighting", "nl": "verlichting", "de": "Beleuchtung"},
    },
    "aquaterra": {
        "name": "AQUATERRA",
        "sector": {"fr": "l'irrigation", "en": "irrigation", "nl": "irrigatie", "de": "Bewässerung"},
    },
    "ferrovita": {
        "name": "FERROVITA",
        "sector": {"fr": "la ferronnerie", "en": "ironwork", "nl": "smeedwerk", "de": "Kunstschmiede"},
    },
}

# Question, theme, criterion and constat patterns per language; {s} is the sector, {n} a figure.
TEXTS: dict[str, dict[str, list[str]]] = {
    "fr": {
        "questions": [
            "Dans quelle mesure le cluster rassemble-t-il les entreprises de {s} ?",
            "Dans quelle mesure les services du cluster répondent-ils aux besoins des membres ?",
            "Dans quelle mesure la gestion du cluster est-elle efficiente ?",
            "Dans quelle mesure le cluster favorise-t-il l'innovation collaborative ?",
        ],
        "themes": ["Représentativité", "Adhésion des petites entreprises", "Veille technologique", "Projets collaboratifs",
                   "Formation continue", "Communication", "Gouvernance", "Financement", "Visibilité internationale",
                   "Partenariats académiques"],
        "criteria": ["Le cluster réunit une part importante des entreprises du secteur de {s}.",
                     "Les membres jugent utiles les activités organisées par le cluster.",
                     "Le cluster diffuse une information régulière à ses membres.",
                     "Les ressources du cluster sont employées selon le programme prévu."],
        "constats": ["{n} entreprises ont participé aux rencontres organisées en {y}.",
                     "Le cluster a publié {n} notes de veille consacrées au secteur de {s}.",
                     "Seules {n} entreprises de moins de dix personnes sont membres.",
                     "Le conseil d'administration s'est réuni {n} fois pendant la période évaluée.",
                     "Un appel à projets a permis de financer {n} projets de recherche en {y}.",
                     "L'enquête menée auprès des membres a recueilli {n} réponses."],
    },
    "en": {
        "questions": ["To what extent does the cluster bring together the firms of the {s} sector?",
                      "To what extent do the cluster's services meet the needs of its members?",
                      "To what extent is the cluster managed efficiently?",
                      "To what extent does the cluster foster joint innovation?"],
        "themes": ["Representativeness", "Small firms", "Technology watch", "Joint projects", "Training", "Communication",
                   "Governance", "Funding", "International visibility", "Academic partners"],
        "criteria": ["The cluster gathers a large share of the firms of the {s} sector.",
                     "Members find the cluster's activities useful.",
                     "The cluster informs its members regularly.",
                     "The cluster's resources are used as planned."],
        "constats": ["{n} firms took part in the meetings held in {y}.",
                     "The cluster published {n} technology notes on {s}.",
                     "Only {n} firms with fewer than ten staff are members.",
                     "The board met {n} times during the period under review.",
                     "A call for projects funded {n} research projects in {y}.",
                     "The members' survey received {n} answers."],
    },
    "nl": {
        "questions": ["In welke mate brengt de cluster de bedrijven uit de sector {s} samen?",
                      "In welke mate beantwoorden de diensten van de cluster aan de noden van de leden?",
                      "In welke mate wordt de cluster efficiënt beheerd?",
                      "In welke mate bevordert de cluster gezamenlijke innovatie?"],
        "themes": ["Representativiteit", "Kleine bedrijven", "Technologische monitoring", "Gezamenlijke projecten",
                   "Opleiding", "Communicatie", "Bestuur", "Financiering", "Internationale zichtbaarheid", "Academische partners"],
        "criteria": ["De cluster verenigt een groot deel van de bedrijven uit de sector {s}.",
                     "De leden vinden de activiteiten van de cluster nuttig.",
                     "De cluster informeert zijn leden regelmatig.",
                     "De middelen van de cluster worden volgens plan ingezet."],
        "constats": ["{n} bedrijven namen deel aan de bijeenkomsten van {y}.",
                     "De cluster publiceerde {n} nota's over {s}.",
                     "Slechts {n} bedrijven met minder dan tien werknemers zijn lid.",
                     "De raad van bestuur kwam {n} keer samen tijdens de periode.",
                     "Een projectoproep financierde {n} onderzoeksprojecten in {y}.",
                     "De ledenenquête leverde {n} antwoorden op."],
    },
    "de": {
        "questions": ["Inwieweit vereint der Cluster die Unternehmen der Branche {s}?",
                      "Inwieweit entsprechen die Dienste des Clusters dem Bedarf der Mitglieder?",
                      "Inwieweit wird der Cluster effizient verwaltet?",
                      "Inwieweit fördert der Cluster gemeinsame Innovation?"],
        "themes": ["Repräsentativität", "Kleine Unternehmen", "Technologiebeobachtung", "Gemeinsame Projekte",
                   "Weiterbildung", "Kommunikation", "Steuerung", "Finanzierung", "Internationale Sichtbarkeit",
                   "Hochschulpartner"],
        "criteria": ["Der Cluster vereint einen großen Teil der Unternehmen der Branche {s}.",
                     "Die Mitglieder halten die Aktivitäten des Clusters für nützlich.",
                     "Der Cluster informiert seine Mitglieder regelmäßig.",
                     "Die Mittel des Clusters werden wie geplant eingesetzt."],
        "constats": ["{n} Unternehmen nahmen an den Treffen des Jahres {y} teil.",
                     "Der Cluster veröffentlichte {n} Notizen zur Branche {s}.",
                     "Nur {n} Unternehmen mit weniger als zehn Beschäftigten sind Mitglied.",
                     "Der Vorstand trat im Bewertungszeitraum {n} Mal zusammen.",
                     "Ein Projektaufruf finanzierte {y} insgesamt {n} Forschungsprojekte.",
                     "Die Mitgliederbefragung ergab {n} Antworten."],
    },
}  # fmt: skip


@dataclass(frozen=True)
class Combination:
    """One choice per factor, and the seed of the report's content."""

    producer: str = "reportlab"
    layout: str = "grid"
    judgement: str = "word"
    numbering: str = "report"
    language: str = "fr"
    content: str = "lumivia"
    seed: int = 0
    legend: str = "table"
    place: str = "inline"

    @property
    def name(self) -> str:
        return "-".join(str(v) for v in asdict(self).values())


@dataclass
class Finding:
    number: int
    label: str
    text: str


@dataclass
class Item:
    theme: str
    criterion: str
    judgement: str
    findings: list[Finding] = field(default_factory=list)
    shares_previous: bool = False  # its findings are those of the criterion above, written once


@dataclass
class Question:
    number: int
    text: str
    items: list[Item]


@dataclass
class Report:
    cluster: str
    name: str
    language: str
    date: tuple[int, int, int]
    questions: list[Question]


def make_report(combo: Combination) -> Report:
    """The report's content, from the combination's seed: three questions of two or three criteria,
    every judgement of the scale used, one or two constats per criterion; with ``shared`` numbering
    one run of criteria shares a constat written once.

    >>> r = make_report(Combination(numbering="shared", seed=3))
    >>> sorted({i.judgement for q in r.questions for i in q.items}) == sorted(SCALE)
    True
    >>> any(i.shares_previous for q in r.questions for i in q.items)
    True
    """
    rng = random.Random(f"{combo.content}-{combo.language}-{combo.seed}")
    texts = TEXTS[combo.language]
    cluster = CLUSTERS[combo.content]
    sector = cluster["sector"][combo.language]
    counts = [rng.randint(2, 3) for _ in range(3)]
    themes = rng.sample(texts["themes"], sum(counts))
    judgements = list(SCALE) + [rng.choice(SCALE) for _ in range(sum(counts) - 4)]
    rng.shuffle(judgements)
    questions: list[Question] = []
    number = 0
    for q_index, count in enumerate(counts, start=1):
        items: list[Item] = []
        for i_index in range(1, count + 1):
            item = Item(
                theme=themes.pop(), criterion=rng.choice(texts["criteria"]).format(s=sector), judgement=judgements.pop()
            )
            shares = combo.numbering == "shared" and q_index == 2 and i_index > 1 and i_index <= 3
            if shares:
                item.shares_previous = True
            else:
                for _ in range(rng.randint(1, 2)):
                    number += 1
                    ordinal = sum(len(x.findings) for x in items) + len(item.findings) + 1
                    label = f"{q_index}.{ordinal}" if combo.numbering == "per-question" else str(number)
                    text = rng.choice(texts["constats"]).format(
                        n=rng.randint(3, 90), y=rng.randint(2019, 2024), s=sector
                    )
                    item.findings.append(Finding(number, label, text))
            items.append(item)
        questions.append(Question(q_index, rng.choice(texts["questions"]).format(s=sector), items))
    return Report(
        cluster=f"{cluster['name']} cluster",
        name=cluster["name"],
        language=combo.language,
        date=(rng.randint(1, 28), rng.randint(1, 12), rng.randint(2021, 2025)),
        questions=questions,
    )


def gold(report: Report) -> dict[str, Any]:
    """The report's ``*.expected.json``: the keys of the shared golds, the judgement on the French
    scale, numbers in order of appearance, per-question labels kept in ``label``."""
    questions = []
    for q in report.questions:
        criteria = []
        shared: list[Finding] = []
        for item in q.items:
            if item.shares_previous:
                constats = [{"number": f.number, "shared_with_previous_row": True} for f in shared]
            else:
                shared = item.findings
                constats = [{"number": f.number, "text": f.text, **({"label": f.label} if f.label != str(f.number) else {})}
                            for f in item.findings]  # fmt: skip
            criteria.append(
                {"theme": item.theme, "criterion": item.criterion, "judgement": item.judgement, "constats": constats}
            )
        questions.append({"number": q.number, "text": q.text, "criteria": criteria})
    day, month, year = report.date
    return {"cluster": report.cluster, "date": f"{year:04d}-{month:02d}-{day:02d}", "evaluator": "", "commissioner": "",
            "questions": questions}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Layout: one list of parts per report, drawn by either producer


@dataclass
class Part:
    kind: str  # notice | title | heading | paragraph | table | criterion | finding | legend | overall
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: list[list[str]] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first row, last row) merged
    tag: str = ""
    italic: bool = False
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → background #rrggbb


def _judgement_text(item: Item, combo: Combination) -> str:
    if combo.judgement == "dots":
        return DOTS[item.judgement]
    if combo.judgement == "colour":
        return ""  # the cell's colour says it
    return WORDS[combo.language]["scale"][item.judgement]


def parts(report: Report, combo: Combination) -> list[Part]:
    """What the page shows, in order, whatever draws it."""
    words = WORDS[combo.language]
    day, month, year = report.date
    out = [
        Part("notice", words["notice"].format(name=report.name)),
        Part("title", words["title"].format(name=report.cluster)),
        Part("paragraph", words["date"].format(day=day, month=words["months"][month - 1], year=year)),
    ]
    if combo.judgement in ("dots", "colour"):
        forms = DOTS if combo.judgement == "dots" else COLOURS
        out.append(
            Part("legend", words["legend"], rows=[[forms[v], words["scale"][v]] for v in SCALE], tag=combo.legend)
        )
    for q in report.questions:
        out.append(Part("heading", words["question"].format(n=q.number, text=q.text)))
        out.append(Part("paragraph", words["intro"].format(k=len(q.items))))
        if combo.layout.startswith("tags"):
            out += _tagged(q, combo)
        else:
            out.append(_table(q, combo))
        out.append(Part("overall", words["overall"].format(n=q.number)))
    if combo.place == "annex":
        out.append(Part("heading", words["annex"]))
        out += [Part("finding", _finding_text(f, combo)) for q in report.questions for i in q.items if not i.shares_previous
                for f in i.findings]  # fmt: skip
    return out


def _finding_text(finding: Finding, combo: Combination) -> str:
    return f"{WORDS[combo.language]['finding'].format(label=finding.label)} {finding.text}"


def _tagged(q: Question, combo: Combination) -> list[Part]:
    """Criteria as sub-headings "N.M Theme" with the judgement in a framed tag, the criterion in
    italics, then the findings; a run of criteria sharing findings is followed by a "common" line."""
    out: list[Part] = []
    pending: list[Finding] = []
    first_of_run = 0
    for index, item in enumerate(q.items, start=1):
        if not item.shares_previous and pending:
            out += _flush(q, first_of_run, index - 1, pending, combo)
            pending = []
        if not item.shares_previous:
            first_of_run = index
        out.append(Part("criterion", f"{q.number}.{index} {item.theme}", tag=_judgement_text(item, combo)))
        out.append(Part("paragraph", item.criterion, italic=True))
        pending = item.findings or pending
    out += _flush(q, first_of_run, len(q.items), pending, combo)
    return out


def _flush(q: Question, first: int, last: int, findings: list[Finding], combo: Combination) -> list[Part]:
    out = []
    if last > first:
        words = WORDS[combo.language]
        out.append(
            Part("paragraph", words["common"].format(a=f"{q.number}.{first}", b=f"{q.number}.{last}"), italic=True)
        )
    return out + [Part("finding", _finding_text(f, combo)) for f in findings]


def _table(q: Question, combo: Combination) -> Part:
    words = WORDS[combo.language]
    theme, crit, judge, finds = words["header"]
    if combo.judgement == "x-columns":
        scale = [words["scale"][v] for v in SCALE]
        header = [[theme, crit, finds, words["level"], "", "", ""], ["", "", "", *scale]]
    else:
        header = [[theme, crit, judge, finds]]
    rows: list[list[str]] = []
    spans: list[tuple[int, int, int]] = []
    fills: dict[tuple[int, int], str] = {}
    finding_column = 2 if combo.judgement == "x-columns" else 3
    for index, item in enumerate(q.items):
        text = "\n".join(_finding_text(f, combo) for f in item.findings)
        if combo.place == "annex":  # the numbers only, the texts at the end of the report
            text = ", ".join(f.label for f in item.findings)
        if combo.judgement == "x-columns":
            marks = ["X" if v == item.judgement else "" for v in SCALE]
            rows.append([item.theme, item.criterion, text, *marks])
        else:
            rows.append([item.theme, item.criterion, _judgement_text(item, combo), text])
            if combo.judgement == "colour":
                fills[(index, 2)] = COLOURS[item.judgement]
        if item.shares_previous:
            if spans and spans[-1][2] == index - 1:
                spans[-1] = (finding_column, spans[-1][1], index)
            else:
                spans.append((finding_column, index - 1, index))
    return Part("table", rows=rows, header=header, spans=spans, fills=fills)


# ---------------------------------------------------------------------------------------------
# Producers


def render(report: Report, combo: Combination, path: Path) -> Path:
    """Draw the report as a PDF at ``path`` with the combination's producer."""
    items = parts(report, combo)
    if combo.producer == "chromium":
        from corpora.render.report_html import print_pdf

        return print_pdf(_html(items, combo), path)
    if combo.producer == "fpdf2":
        from corpora.render.variety_fpdf import render_fpdf

        return render_fpdf(items, combo, path)
    if combo.producer in ("scan", "scan-colour"):
        # an office scan of the ReportLab report: 300 dpi, skewed, noisy, stamped, signed; in colour
        # the stamp is a fresh red one, as dark as print once grey
        from corpora.render.scan import make_scan

        born = _reportlab(items, combo, path.with_name(f"{path.stem}-born.pdf"))
        colour = combo.producer == "scan-colour"
        return make_scan(born, path, dpi=300, angle=0.4, noise=6.0, seed=combo.seed, marks=True, colour=colour)
    return _reportlab(items, combo, path)


_CSS = """
h1,h2,.crit{break-after:avoid;break-inside:avoid;text-align:left}
body{font-family:'DejaVu Sans',sans-serif;font-size:9.5pt;text-align:justify}
h1{font-size:15pt} h2{font-size:12pt;margin:10pt 0 4pt 0;column-span:none}
.notice{border:1px solid #900;color:#900;font-weight:bold;padding:4pt}
.cols{column-count:2;column-gap:24pt} p{margin:0 0 5pt 0}
.crit{font-weight:bold;font-size:9pt;margin:8pt 0 2pt 0;display:flex;justify-content:space-between}
.tag{border:1px solid #630;background:#fbf6f0;font-weight:normal;font-size:8pt;padding:0 3pt}
table{width:100%;font-size:8.5pt;margin:4pt 0 8pt 0} td,th{vertical-align:top;padding:3pt;text-align:left}
table.grid{border-collapse:collapse} table.grid td,table.grid th{border:1px solid #000}
table.vrules{border-collapse:collapse} table.vrules td,table.vrules th{border-left:1px solid #000;border-right:1px solid #000}
table.hrules{border-collapse:collapse} table.hrules td,table.hrules th{border-bottom:1px solid #000}
table.legend{width:auto}
"""


def _html(items: list[Part], combo: Combination) -> str:
    lang = combo.language
    out = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><style>{_CSS}</style></head><body>"]
    body: list[str] = []
    for part in items:
        if part.kind == "notice":
            out.append(f"<p class='notice'>{escape(part.text)}</p>")
        elif part.kind == "title":
            out.append(f"<h1>{escape(part.text)}</h1>")
        elif part.kind == "heading":
            body.append(f"<h2>{escape(part.text)}</h2>")
        elif part.kind == "overall":
            body.append(f"<p><b>{escape(part.text)}</b></p>")
        elif part.kind == "paragraph":
            text = f"<i>{escape(part.text)}</i>" if part.italic else escape(part.text)
            body.append(f"<p>{text}</p>")
        elif part.kind == "finding":
            label, _, rest = part.text.partition(":")
            body.append(f"<p><b>{escape(label)}:</b>{escape(rest)}</p>")
        elif part.kind == "criterion":
            body.append(
                f"<div class='crit'><span>{escape(part.text)}</span><span class='tag'>{escape(part.tag)}</span></div>"
            )
        elif part.kind == "legend" and part.tag == "line":
            pairs = " ; ".join(f"{_html_form(a)} {escape(b)}" for a, b in part.rows)
            body.append(f"<p><b>{escape(part.text)} :</b> {pairs}</p>")
        elif part.kind == "legend":
            rows = "".join(
                f"<tr><td{_html_fill(a)}>{'' if a.startswith('#') else escape(a)}</td><td>{escape(b)}</td></tr>"
                for a, b in part.rows
            )
            body.append(f"<p><b>{escape(part.text)}</b></p><table class='legend grid'>{rows}</table>")
        elif part.kind == "table":
            body.append(_html_table(part, combo))
    wrapper = "<div class='cols'>" if combo.layout == "tags-twocol" else "<div>"
    out += [wrapper, *body, "</div></body></html>"]
    return "".join(out)


def _html_form(form: str) -> str:
    """A legend's form in a line: dots as text, a colour as a square of that colour."""
    return f"<span style='color:{form}'>■</span>" if form.startswith("#") else escape(form)


def _html_fill(form: str) -> str:
    return f" style='background:{form};width:40pt'" if form.startswith("#") else ""


def _html_table(part: Part, combo: Combination) -> str:
    head = ""
    for level, row in enumerate(part.header):
        cells = []
        for index, title in enumerate(row):
            if len(part.header) == 2 and level == 0 and index == 3:
                cells.append(f"<th colspan='4'>{escape(title)}</th>")
            elif len(part.header) == 2 and level == 0 and index > 3:
                continue
            elif len(part.header) == 2 and level == 0:
                cells.append(f"<th rowspan='2'>{escape(title)}</th>")
            elif len(part.header) == 2 and index < 3:
                continue
            else:
                cells.append(f"<th>{escape(title)}</th>")
        head += "<tr>" + "".join(cells) + "</tr>"
    body = ""
    for r, row in enumerate(part.rows):
        cells = []
        for c, text in enumerate(row):
            span = next((s for s in part.spans if s[0] == c and s[1] <= r <= s[2]), None)
            if span is not None and span[1] < r:
                continue
            rowspan = f" rowspan='{span[2] - span[1] + 1}'" if span is not None else ""
            inner = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n")) if text else ""
            fill = f" style='background:{part.fills[(r, c)]}'" if (r, c) in part.fills else ""
            cells.append(f"<td{rowspan}{fill}>{inner}</td>")
        body += "<tr>" + "".join(cells) + "</tr>"
    return f"<table class='{combo.layout}'><thead>{head}</thead><tbody>{body}</tbody></table>"


def _reportlab(items: list[Part], combo: Combination, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    regular, bold, italic = _dejavu()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12, alignment=TA_JUSTIFY, spaceAfter=8)
    ital = ParagraphStyle("italic", parent=body, fontName=italic)
    cell = ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4, keepWithNext=1)
    notice = ParagraphStyle("notice", parent=body, fontName=bold, textColor=colors.Color(0.6, 0, 0))
    width, height = A4
    margin = 50.0
    two = combo.layout == "tags-twocol"
    gap = 24.0
    column = (width - 2 * margin - gap) / 2 if two else width - 2 * margin

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list[Any] = []
    for part in items:
        if part.kind == "notice":
            box = Table([[para(part.text, notice)]], colWidths=[column])
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.Color(0.6, 0, 0))]))
            story += [box, Spacer(1, 8)]
        elif part.kind == "title":
            story.append(para(part.text, h1))
        elif part.kind == "heading":
            story.append(para(part.text, h2))
        elif part.kind == "overall":
            story.append(para(part.text, ParagraphStyle("overall", parent=body, fontName=bold, spaceBefore=6)))
        elif part.kind == "paragraph":
            story.append(para(part.text, ital if part.italic else body))
        elif part.kind == "finding":
            label, _, rest = part.text.partition(":")
            story.append(Paragraph(f"<font name='{bold}'>{escape(label)}:</font>{escape(rest)}", body))
        elif part.kind == "criterion":
            sub = ParagraphStyle(
                "sub", parent=body, fontName=bold, fontSize=9, spaceBefore=0, spaceAfter=0, alignment=0
            )
            tag_style = ParagraphStyle("tag", parent=cell, fontSize=8, leading=9.5)
            tag_width = _text_width(part.tag, regular, 8) + 16
            tag = Table([[para(part.tag, tag_style)]], colWidths=[tag_width], hAlign="RIGHT")
            tag.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.Color(0.4, 0.2, 0)),
                                     ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
            row = Table([[para(part.text, sub), tag]], colWidths=[column - tag_width - 4, tag_width + 4])
            row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)]))  # fmt: skip
            story.append(row)
        elif part.kind == "legend" and part.tag == "line":
            pairs = " ; ".join(
                (f"<font color='{a}'>■</font>" if a.startswith("#") else escape(a)) + f" {escape(b)}"
                for a, b in part.rows
            )
            story.append(Paragraph(f"<font name='{bold}'>{escape(part.text)} :</font> {pairs}", body))
        elif part.kind == "legend":
            story.append(para(part.text, head))
            legend = Table(
                [[para("" if a.startswith("#") else a, cell), para(b, cell)] for a, b in part.rows],
                colWidths=[60, 100],
                hAlign="LEFT",
            )
            commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            commands += [
                ("BACKGROUND", (0, r), (0, r), colors.HexColor(a))
                for r, (a, _b) in enumerate(part.rows)
                if a.startswith("#")
            ]
            legend.setStyle(TableStyle(commands))
            story += [legend, Spacer(1, 8)]
        elif part.kind == "table":
            story.append(_rl_table(part, combo, column, cell, head))
    frames = [Frame(margin, margin, column, height - 2 * margin, id="left")]
    if two:
        frames.append(Frame(margin + column + gap, margin, column, height - 2 * margin, id="right"))
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title="rapport fictif", creator="miner variety")
    doc.addPageTemplates([PageTemplate(id="page", frames=frames)])
    doc.build(story)
    return path


def _rl_table(part: Part, combo: Combination, width: float, cell: Any, head: Any) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    x_columns = combo.judgement == "x-columns"
    fractions = (0.18, 0.27, 0.39, 0.04, 0.04, 0.04, 0.04) if x_columns else (0.2, 0.3, 0.14, 0.36)
    widths = [f * width for f in fractions]

    def p(text: str, style: Any) -> Any:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    header = [[p(t, head) for t in row] for row in part.header]
    rows = [[p(t, cell) for t in row] for row in part.rows]
    n_head = len(header)
    commands: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if x_columns:
        commands += [("SPAN", (3, 0), (6, 0))] + [("SPAN", (c, 0), (c, 1)) for c in range(3)]
        commands.append(("ALIGN", (3, n_head), (6, -1), "CENTER"))
    for column, first, last in part.spans:
        commands.append(("SPAN", (column, first + n_head), (column, last + n_head)))
    for (row, column), colour in part.fills.items():
        commands.append(("BACKGROUND", (column, row + n_head), (column, row + n_head), colors.HexColor(colour)))
    black = colors.black
    if combo.layout == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, black))
    elif combo.layout == "vrules":
        commands += [("LINEBEFORE", (0, 0), (-1, -1), 0.5, black), ("LINEAFTER", (-1, 0), (-1, -1), 0.5, black)]
    elif combo.layout == "hrules":
        commands += [("LINEBELOW", (0, 0), (-1, -1), 0.5, black), ("LINEABOVE", (0, 0), (-1, 0), 0.5, black)]
    table = Table(
        header + rows, colWidths=widths, repeatRows=n_head
    )  # rows move whole: ReportLab draws no rule under a repeated header above a split row
    table.setStyle(TableStyle(commands))
    return table


def _dejavu() -> tuple[str, str, str]:
    """DejaVu Sans (it has the dots ● ○ of a legend), registered once with ReportLab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = dejavu_folder()
    names = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
    for name in names:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    return names


def dejavu_folder() -> Path:
    """Where the DejaVu fonts are (``MINER_DEJAVU_DIR`` or Debian's folder)."""
    import os

    return Path(os.environ.get("MINER_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu"))


def _text_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


# ---------------------------------------------------------------------------------------------
# Sampling, known gaps and the per-factor table

# Scanned reports are read through OCR (a minute a report on a loaded machine): they are not drawn
# among the 200 combinations but read in their own long test (tests/corpora/test_variety.py).
SCANNED_SAMPLE = [
    Combination("scan", "grid", "word", "report", "fr", "lumivia", 5),
    # framed judgement tags: the frames come from the page image (miner.read.scan_image.frames)
    Combination("scan", "tags", "word", "report", "fr", "lumivia", 7),
    Combination("scan", "tags-twocol", "word", "report", "en", "lumivia", 500004),
    # judgement dots measured in the image and mapped through the scanned legend (a table, a line)
    Combination("scan", "grid", "dots", "report", "fr", "lumivia", 9),
    Combination("scan", "tags", "dots", "per-question", "de", "ferrovita", 15, legend="line"),
    Combination("scan", "tags-twocol", "dots", "per-question", "nl", "ferrovita", 18, legend="line"),
    # tables ruled on one axis only: rows from the rules, or from the text under column rules
    Combination("scan", "hrules", "word", "report", "fr", "ferrovita", 8),
    Combination("scan", "vrules", "word", "report", "fr", "aquaterra", 2),
    Combination("scan", "vrules", "dots", "shared", "fr", "ferrovita", 13, legend="line"),
    # a colour scan under a fresh red stamp as dark as print: told apart by its colour
    Combination("scan-colour", "grid", "word", "report", "fr", "lumivia", 5),
]


FIXED_SAMPLE = [
    # every case of the list, each with both producers where it has a layout
    Combination("reportlab", "grid", "word", "report", "fr", "lumivia", 1),
    Combination("chromium", "vrules", "word", "report", "fr", "aquaterra", 2),
    Combination("reportlab", "vrules", "word", "shared", "fr", "ferrovita", 3),
    Combination("chromium", "grid", "word", "shared", "fr", "lumivia", 4),
    Combination("reportlab", "tags-twocol", "word", "shared", "fr", "aquaterra", 5),
    Combination("chromium", "tags-twocol", "word", "report", "fr", "ferrovita", 6),
    Combination("reportlab", "tags", "word", "report", "fr", "lumivia", 7),
    Combination("chromium", "hrules", "word", "report", "fr", "ferrovita", 8),
    Combination("reportlab", "grid", "dots", "report", "fr", "aquaterra", 9),
    Combination("chromium", "grid", "dots", "report", "fr", "lumivia", 10),
    Combination("reportlab", "grid", "x-columns", "report", "fr", "ferrovita", 11),
    Combination("chromium", "grid", "x-columns", "report", "fr", "aquaterra", 12),
    Combination("reportlab", "grid", "word", "per-question", "fr", "lumivia", 13),
    Combination("chromium", "hrules", "word", "per-question", "fr", "ferrovita", 14),
    Combination("reportlab", "tags-twocol", "word", "report", "en", "aquaterra", 15),
    Combination("chromium", "grid", "word", "report", "en", "lumivia", 16),
    Combination("reportlab", "grid", "word", "report", "nl", "ferrovita", 17),
    Combination("chromium", "tags", "word", "report", "de", "aquaterra", 18),
    Combination("reportlab", "hrules", "word", "shared", "fr", "lumivia", 19),
    # X columns outside a full grid: rules on one axis only, a two-level header
    Combination("reportlab", "vrules", "x-columns", "report", "en", "lumivia", 20),
    Combination("chromium", "hrules", "x-columns", "per-question", "fr", "aquaterra", 21),
    # a constat cell merged over rows without rules, with each producer
    Combination("chromium", "vrules", "dots", "shared", "fr", "lumivia", 22),
    # a coloured judgement cell, its legend a table or a line of coloured squares
    Combination("reportlab", "vrules", "colour", "shared", "de", "ferrovita", 23, legend="table"),
    Combination("chromium", "hrules", "colour", "report", "fr", "lumivia", 24, legend="line"),
    Combination("reportlab", "grid", "colour", "per-question", "en", "aquaterra", 25, legend="line"),
    # a dots legend as a line, with each producer; Dutch in a table ruled across only
    Combination("reportlab", "hrules", "dots", "report", "nl", "aquaterra", 26, legend="line"),
    Combination("chromium", "vrules", "dots", "report", "fr", "ferrovita", 27, legend="line"),
    # a constat cell merged over rows and cut by a page break; a theme holding a short role word
    Combination("chromium", "grid", "x-columns", "shared", "de", "ferrovita", 100011),
    Combination("chromium", "grid", "x-columns", "shared", "de", "aquaterra", 700053),
    # flow: a title's tall line beside the other column's paragraph; lines justified so wide that
    # their word spaces pass for gutters and cells; Dutch words cut by a narrow column
    Combination("reportlab", "tags-twocol", "word", "per-question", "fr", "aquaterra", 100000),
    Combination("chromium", "tags-twocol", "word", "shared", "nl", "ferrovita", 100024),
    Combination("chromium", "hrules", "word", "shared", "nl", "aquaterra", 100019),
    # fpdf2, a third text layout: every layout it reads, and a legend table above a table's header
    Combination("fpdf2", "grid", "x-columns", "shared", "en", "aquaterra", 13),
    Combination("fpdf2", "tags", "dots", "shared", "nl", "ferrovita", 14),
    Combination("fpdf2", "tags-twocol", "word", "per-question", "fr", "lumivia", 16),
    # two framed tags at one height, one per column: two boxes, no table between them
    Combination("fpdf2", "tags-twocol", "word", "per-question", "fr", "lumivia", 15),
    # a question's heading cut by the column break, going on at the top of the next column
    Combination("fpdf2", "tags-twocol", "word", "shared", "en", "lumivia", 100166, legend="line"),
    # fpdf2's frame with column rules and a ruled header, its body rows set apart by white space
    # only; a constat merged over rows in it; a dots legend line whose bold title holds "●●●"
    Combination("fpdf2", "vrules", "word", "shared", "fr", "lumivia", 100035),
    Combination("fpdf2", "vrules", "x-columns", "per-question", "en", "aquaterra", 700063, legend="line"),
    # X columns whose mark opens the second row, its constat cell written once for both rows
    Combination("fpdf2", "vrules", "x-columns", "shared", "de", "aquaterra", 100167, legend="line"),
    Combination("reportlab", "tags-twocol", "dots", "per-question", "fr", "lumivia", 100094, legend="line"),
    # a row's last constat carried alone onto the next page, under the repeated header
    Combination("chromium", "vrules", "dots", "shared", "fr", "aquaterra", 700181, legend="line"),
    # the table lists only the constats' numbers or per-question labels, their texts in an annex;
    # Dutch rows of one line each under column rules only, a constat merged over them
    Combination("reportlab", "grid", "word", "report", "fr", "lumivia", 1, place="annex"),
    Combination("fpdf2", "hrules", "dots", "per-question", "en", "aquaterra", 2, legend="line", place="annex"),
    Combination("chromium", "vrules", "word", "shared", "nl", "ferrovita", 3, place="annex"),
    # rows of one line each, the judgement only a coloured cell: the fills open the rows
    Combination("chromium", "vrules", "colour", "shared", "fr", "ferrovita", 100004, place="annex"),
    Combination("fpdf2", "tags-twocol", "dots", "report", "en", "aquaterra", 3),
    Combination("fpdf2", "hrules", "dots", "per-question", "nl", "lumivia", 12),
    Combination("fpdf2", "hrules", "word", "report", "fr", "aquaterra", 21),
    # a finding cut by the column break before a figure ("finanzierte / 2023 insgesamt")
    Combination("fpdf2", "tags-twocol", "dots", "report", "de", "ferrovita", 100015),
    # fpdf2 with a coloured judgement cell and legends as a line or a table of colours
    Combination("fpdf2", "grid", "colour", "report", "fr", "lumivia", 31, legend="line"),
    Combination("fpdf2", "hrules", "colour", "shared", "en", "aquaterra", 32, legend="table"),
]


def sample(count: int, seed: int) -> list[Combination]:
    """``count`` combinations drawn with ``seed``; an X column or a coloured cell needs a table, so
    a tagged layout draws its judgement among the others.

    >>> len(sample(5, 1)), sample(3, 7) == sample(3, 7)
    (5, True)
    """
    rng = random.Random(seed)
    out = []
    for index in range(count):
        choice = {name: rng.choice(values) for name, values in FACTORS.items() if name != "place"}
        if choice["layout"].startswith("tags") and choice["judgement"] in ("x-columns", "colour"):
            choice["judgement"] = rng.choice(("word", "dots"))
        # drawn apart, so the other factors are those drawn before it existed; a table's convention
        choice["place"] = (
            "inline"
            if choice["layout"].startswith("tags")
            else random.Random(f"{seed}-{index}").choice(FACTORS["place"])
        )
        out.append(Combination(**choice, seed=seed * 100_000 + index))
    return out


def known_gap(combo: Combination) -> str | None:
    """Why the reader is not expected to read this combination exactly yet (None: it must)."""
    return None


def read_exactly(pdf: Path, expected: dict[str, Any]) -> tuple[bool, str]:
    """Whether the reader gives the gold exactly (questions, criteria with judgement and constat
    numbers, constat texts), and what differs first."""
    from miner.errors import MinerError
    from miner.extract.evaluation import extract_evaluation

    try:
        evaluation = extract_evaluation(pdf)
    except MinerError as err:
        return False, str(err)
    want = [(q["number"], " ".join(q["text"].split()),
             [(c["theme"], c["criterion"], c["judgement"], [k["number"] for k in c["constats"]]) for c in q["criteria"]])
            for q in expected["questions"]]  # fmt: skip
    have = [(q.number, " ".join(q.text.split()),
             [(c.theme, c.criterion, c.judgement.value if c.judgement else None, c.constats) for c in q.criteria])
            for q in evaluation.questions]  # fmt: skip
    if want != have:
        for w, h in zip(want, have):
            if w != h:
                return False, f"question {w[0]}: expected {w} got {h}"
        return False, f"{len(want)} questions expected, {len(have)} read"
    texts = {
        k["number"]: k["text"]
        for q in expected["questions"]
        for c in q["criteria"]
        for k in c["constats"]
        if "text" in k
    }
    got = {c.number: " ".join(c.text.split()) for c in evaluation.constats}
    if texts != got:
        wrong = sorted(n for n in texts.keys() | got.keys() if texts.get(n) != got.get(n))
        return False, f"constat texts differ: {wrong[:5]}"
    return True, ""


def main(argv: list[str] | None = None) -> int:
    """Render ``--count`` combinations drawn with ``--seed``, read each back and print the share
    read exactly per factor value (and, for known gaps, apart)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs and golds here")
    args = parser.parse_args(argv)
    from corpora.render.report_html import chromium

    combos = sample(args.count, args.seed)
    if chromium() is None:
        print("chromium not found: its combinations are skipped", file=sys.stderr)
        combos = [c for c in combos if c.producer != "chromium"]
    results: list[tuple[Combination, bool, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        out = args.out or Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for combo in combos:
            report = make_report(combo)
            expected = gold(report)
            pdf = render(report, combo, out / f"{combo.name}.pdf")
            (out / f"{combo.name}.expected.json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            ok, why = read_exactly(pdf, expected)
            results.append((combo, ok, why))
    print(table(results))
    exact = sum(ok for _c, ok, _w in results)
    print(f"\n{exact}/{len(results)} read exactly ({100 * exact / max(1, len(results)):.0f} %)")
    return 0


def table(results: list[tuple[Combination, bool, str]]) -> str:
    """Share read exactly per factor value: all combinations, and those without a known gap.

    >>> print(table([(Combination(), True, ""), (Combination(layout="tags"), False, "x")]).splitlines()[3])
    | layout | grid | 1/1 | 100 % | 1/1 |
    """
    lines = ["| factor | value | exact | share | exact without known gap |", "|---|---|---|---|---|"]
    by: dict[tuple[str, str], list[tuple[bool, bool]]] = defaultdict(list)
    for combo, ok, _why in results:
        for name in FACTORS:
            by[(name, getattr(combo, name))].append((ok, known_gap(combo) is None))
    for name, values in FACTORS.items():
        for value in values:
            runs = by.get((name, value), [])
            if not runs:
                continue
            exact = sum(ok for ok, _ in runs)
            clean = [ok for ok, free in runs if free]
            lines.append(
                f"| {name} | {value} | {exact}/{len(runs)} | {100 * exact / len(runs):.0f} % | {sum(clean)}/{len(clean)} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
