"""Small evaluation reports drawn with ReportLab for the conventions the shared files do not show:
judgements as symbols, marks or colours with a legend table or line, constats given by number with
their text after the table or in an annex, a judgement cell merged over rows across a page break,
and the genre in Dutch and German. Every report is fictitious and says so on its first page; the
gold comes from the same data (``Report.expected()``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

LEVELS = ("Atteint", "Satisfaisant", "Partiel", "Non atteint")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Words:
    """A language's words as a report of that language prints them (written here, not read from
    miner's lexicons, so a lexicon gap shows)."""

    notice: str
    question: str  # "{n}" and "{text}"
    finding: str  # "{n}"
    headers: tuple[str, str, str, str]  # theme, criterion, judgement, findings
    scale: dict[str, str]
    legend: str
    annex: str
    common: str = "commun aux critères"
    range: str = "à"


WORDS = {
    "fr": Words("DOCUMENT FICTIF – rapport inventé pour tester un lecteur ; le cluster n'existe pas.",
                "Question d'évaluation {n} : {text}", "Constat {n} :", ("Thème", "Critère", "Jugement", "Constats"),
                dict(zip(LEVELS, LEVELS)), "Légende", "Annexe – Constats"),
    "nl": Words("FICTIEF DOCUMENT – verzonnen verslag om een lezer te testen; de cluster bestaat niet.",
                "Evaluatievraag {n}: {text}", "Vaststelling {n}:", ("Thema", "Criterium", "Oordeel", "Vaststellingen"),
                dict(zip(LEVELS, ("Bereikt", "Voldoende", "Gedeeltelijk", "Niet bereikt"))), "Legende", "Bijlage – Vaststellingen"),
    "de": Words("FIKTIVES DOKUMENT – erfundener Bericht zum Testen eines Lesers; den Cluster gibt es nicht.",
                "Evaluierungsfrage {n}: {text}", "Feststellung {n}:", ("Thema", "Kriterium", "Bewertung", "Feststellungen"),
                dict(zip(LEVELS, ("Erreicht", "Zufriedenstellend", "Teilweise erreicht", "Nicht erreicht"))), "Legende",
                "Anhang – Feststellungen"),
}  # fmt: skip


@dataclass(frozen=True)
class Criterion:
    theme: str
    criterion: str
    level: str
    constats: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    criteria: tuple[Criterion, ...]
    conclusion: str
    common: tuple[tuple[int, str], ...] = ()  # constats on the whole question, written after its table


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    intro: str
    questions: tuple[Question, ...]

    def expected(self) -> dict[str, Any]:
        return {"questions": [
            {"number": q.number, "text": q.text, "criteria": [
                {"theme": c.theme, "criterion": c.criterion, "judgement": c.level,
                 "constats": [{"number": n, "text": t} for n, t in (*c.constats, *q.common)]} for c in q.criteria]}
            for q in self.questions]}  # fmt: skip


@dataclass(frozen=True)
class Style:
    """How the report shows judgements and constats."""

    judgement: str = "word"  # word | symbols | marks | colour
    forms: dict[str, str] = field(
        default_factory=lambda: {"Atteint": "●●●", "Satisfaisant": "●●○", "Partiel": "●○○", "Non atteint": "○○○"}
    )
    colours: dict[str, Any] = field(
        default_factory=lambda: {
            "Atteint": colors.Color(0.2, 0.6, 0.2),
            "Satisfaisant": colors.Color(0.6, 0.8, 0.3),
            "Partiel": colors.Color(1.0, 0.65, 0.0),
            "Non atteint": colors.Color(0.85, 0.1, 0.1),
        }
    )
    legend: str | None = None  # None | table | line
    legend_after_tables: bool = False  # under every table instead of once on page 1
    constats: str = "inline"  # inline | numbers-after | numbers-annex | numbers-annex-table
    merge_judgements: bool = False  # consecutive criteria of one level share one judgement cell
    mark_columns_first: bool = False  # level columns before the findings column
    spacer: float = 0.0  # space (points) before the first question, to move page breaks
    break_in_merge: bool = False  # the first judgement shared by two rows is cut by a page break (as Word draws it)
    labels_per_question: bool = False  # "Constat 2.3": numbered within each question
    common_in_first_row: bool = (
        False  # a question's common constat written once, in its first row, "for criteria q.1 to q.n"
    )
    mark: str = "X"  # what marks the level column (judgement="marks")


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9.5, leading=12, spaceAfter=9)
    heading = ParagraphStyle(
        "heading", fontName="DejaVuSans-Bold", fontSize=13, leading=16, spaceBefore=8, spaceAfter=6
    )
    cell = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=8.5, leading=10.5)
    bold = ParagraphStyle("bold", parent=cell, fontName="DejaVuSans-Bold")
    return body, heading, cell, bold


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _legend(report: Report, style: Style, words: Words, body: ParagraphStyle, cell: ParagraphStyle) -> list[Any]:
    if style.legend == "line":
        if style.judgement == "colour":  # a square in each level's colour before its word
            pairs = " ; ".join(
                f"<font color='{style.colours[level].hexval().replace('0x', '#')}'>■</font> {escape(words.scale[level])}"
                for level in LEVELS
            )
            return [Paragraph(f"{escape(words.legend)} : {pairs}", body)]
        pairs = " ; ".join(f"{style.forms[level]} {words.scale[level]}" for level in LEVELS)
        return [_p(f"{words.legend} : {pairs}", body)]
    rows = [[_p(words.legend, cell), ""]]
    commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 0), (1, 0))]
    for index, level in enumerate(LEVELS, start=1):
        if style.judgement == "colour":
            rows.append(["", _p(words.scale[level], cell)])
            commands.append(("BACKGROUND", (0, index), (0, index), style.colours[level]))
        else:
            rows.append([_p(words.scale[level], cell), _p(style.forms[level], cell)])
    table = Table(rows, colWidths=[90, 60], hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return [table, Spacer(1, 8)]


def _table(
    question: Question,
    style: Style,
    words: Words,
    cell: ParagraphStyle,
    bold: ParagraphStyle,
    open_foot: bool = False,
    blank_first: bool = False,
) -> Table:
    """One référentiel table; ``open_foot``: no rule under the last judgement cell (it goes on
    on the next page), ``blank_first``: the first judgement cell is that continuation."""
    marks = style.judgement == "marks"
    theme_h, criterion_h, judgement_h, findings_h = words.headers
    commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if marks:
        level_h = [_p(words.scale[level], bold) for level in LEVELS]
        if style.mark_columns_first:
            head = [
                [_p(theme_h, bold), _p(criterion_h, bold), _p(judgement_h, bold), "", "", "", _p(findings_h, bold)],
                ["", "", *level_h, ""],
            ]
            commands += [
                ("SPAN", (2, 0), (5, 0)),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (1, 1)),
                ("SPAN", (6, 0), (6, 1)),
            ]
            widths = [80, 130, 38, 38, 38, 38, 150]
        else:
            head = [
                [_p(theme_h, bold), _p(criterion_h, bold), _p(findings_h, bold), _p(judgement_h, bold), "", "", ""],
                ["", "", "", *level_h],
            ]
            commands += [
                ("SPAN", (3, 0), (6, 0)),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (1, 1)),
                ("SPAN", (2, 0), (2, 1)),
            ]
            widths = [80, 130, 150, 38, 38, 38, 38]
    else:
        head = [[_p(h, bold) for h in words.headers]]
        widths = [90, 150, 75, 197]
    rows: list[list[Any]] = list(head)
    first_body = len(rows)
    for c in question.criteria:
        r = len(rows)
        if style.constats == "inline":
            findings: Any = [
                _p(f"{words.finding.format(n=_label(question, n, style))} {t}", cell) for n, t in c.constats
            ]
            if style.common_in_first_row and r == len(head):
                last = f"{question.number}.{len(question.criteria)}"
                findings += [
                    _p(
                        f"{words.finding.format(n=_label(question, n, style))[:-1].rstrip()} ({words.common} {question.number}.1 "
                        f"{words.range} {last}) : {t}",
                        cell,
                    )
                    for n, t in question.common
                ]
        else:
            findings = _p(", ".join(str(n) for n, _ in c.constats), cell)
        if marks:
            ticks = [_p(style.mark, bold) if level == c.level else "" for level in LEVELS]
            row = (
                [_p(c.theme, bold), _p(c.criterion, cell), *ticks, findings]
                if style.mark_columns_first
                else [_p(c.theme, bold), _p(c.criterion, cell), findings, *ticks]
            )
        else:
            if blank_first and r == len(head):
                judgement: Any = ""
            elif style.judgement == "word":
                judgement = _p(words.scale[c.level], bold)
            elif style.judgement == "symbols":
                judgement = _p(style.forms[c.level], bold)
            else:
                judgement = ""
                commands.append(("BACKGROUND", (2, r), (2, r), style.colours[c.level]))
            row = [_p(c.theme, bold), _p(c.criterion, cell), judgement, findings]
        rows.append(row)
    if style.merge_judgements and not marks:
        start = first_body
        for index in range(first_body + 1, len(rows) + 1):
            same = (
                index < len(rows)
                and question.criteria[index - first_body].level == question.criteria[start - first_body].level
            )
            if not same:
                if index - 1 > start:
                    commands.append(("SPAN", (2, start), (2, index - 1)))
                start = index
    if open_foot:
        commands[0] = ("GRID", (0, 0), (-1, -2), 0.5, colors.black)
        commands += [
            ("LINEBEFORE", (0, -1), (-1, -1), 0.5, colors.black),
            ("LINEAFTER", (-1, -1), (-1, -1), 0.5, colors.black),
            ("LINEBELOW", (0, -1), (1, -1), 0.5, colors.black),
            ("LINEBELOW", (3, -1), (-1, -1), 0.5, colors.black),
        ]
    table = Table(rows, colWidths=widths, repeatRows=len(head), splitInRow=1)
    table.setStyle(TableStyle(commands))
    return table


def _label(question: Question, number: int, style: Style) -> str:
    """A constat's printed label: its report-wide number, or "question.rank" within the question."""
    if not style.labels_per_question:
        return str(number)
    numbers = [n for c in question.criteria for n, _ in c.constats] + [n for n, _ in question.common]
    return f"{question.number}.{numbers.index(number) + 1}"


def render(report: Report, style: Style, path: Path) -> Path:
    """Draw ``report`` in ``style`` into ``path`` (A4, DejaVu Sans)."""
    words = WORDS[report.language]
    body, heading, cell, bold = _styles()
    story: list[Any] = [
        _p(words.notice, body),
        _p(report.title, heading),
        *[_p(t, body) for t in report.intro.split("\n")],
    ]
    if style.legend and not style.legend_after_tables:
        story += _legend(report, style, words, body, cell)
    if style.spacer:
        story.append(Spacer(1, style.spacer))
    cut = style.break_in_merge
    for question in report.questions:
        story.append(_p(words.question.format(n=question.number, text=question.text), heading))
        levels = [c.level for c in question.criteria]
        at = next((i for i in range(len(levels) - 1) if levels[i] == levels[i + 1]), None)
        if cut and at is not None:
            first, rest = (
                replace(question, criteria=question.criteria[: at + 1]),
                replace(question, criteria=question.criteria[at + 1 :]),
            )
            story += [
                _table(first, style, words, cell, bold, open_foot=True),
                PageBreak(),
                _table(rest, style, words, cell, bold, blank_first=True),
            ]
            cut = False
        else:
            story.append(_table(question, style, words, cell, bold))
        if style.legend and style.legend_after_tables:
            story += [Spacer(1, 4), *_legend(report, style, words, body, cell)]
        if not style.common_in_first_row:
            story += [_p(f"{words.finding.format(n=_label(question, n, style))} {t}", body) for n, t in question.common]
        if style.constats == "numbers-after":
            story += [_p(f"{words.finding.format(n=n)} {t}", body) for c in question.criteria for n, t in c.constats]
        story.append(_p(question.conclusion, body))
    if style.constats in ("numbers-annex", "numbers-annex-table"):
        story.append(_p(words.annex, heading))
        texts = [(n, t) for q in report.questions for c in q.criteria for n, t in c.constats]
        if style.constats == "numbers-annex":
            story += [_p(f"{words.finding.format(n=n)} {t}", body) for n, t in texts]
        else:
            annex = Table(
                [[_p("N°", bold), _p(words.headers[3], bold)], *[[_p(str(n), cell), _p(t, cell)] for n, t in texts]],
                colWidths=[40, 400],
                repeatRows=1,
            )
            annex.setStyle(
                TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
            )
            story.append(annex)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=42,
        rightMargin=42,
        topMargin=50,
        bottomMargin=50,
        title=report.title,
        invariant=1,
    )
    doc.build(story)
    return path


def _criteria(rows: list[tuple[str, str, str, list[str]]], start: int) -> tuple[tuple[Criterion, ...], int]:
    out = []
    for theme, criterion, level, texts in rows:
        out.append(Criterion(theme, criterion, level, tuple((start + i, t) for i, t in enumerate(texts))))
        start += len(texts)
    return tuple(out), start


def _report(
    language: str,
    title: str,
    intro: str,
    questions: list[tuple[str, list[tuple[str, str, str, list[str]]], str]],
    common: dict[int, str] | None = None,
) -> Report:
    """A report from its data; ``common``: a constat on the whole question (by question number),
    numbered after the question's criteria."""
    built, number = [], 1
    for index, (text, rows, conclusion) in enumerate(questions, start=1):
        criteria, number = _criteria(rows, number)
        shared: tuple[tuple[int, str], ...] = ()
        if common and index in common:
            shared, number = ((number, common[index]),), number + 1
        built.append(Question(index, text, criteria, conclusion, shared))
    return Report(language, title, intro, tuple(built))


FRENCH_DATA = (
    "fr",
    "Évaluation du cluster LUMINOVA (fictif)",
    "Le bureau Orme Conseil a mené l'évaluation en 2025 : revue des documents du cluster, enquête auprès "
    "des membres, entretiens avec les dirigeants de douze entreprises et avec l'équipe d'animation.\n"
    "Chaque critère reçoit un jugement sur une échelle de quatre niveaux, justifié par des constats numérotés "
    "dans l'ordre du rapport ; les constats s'appuient sur des faits vérifiés auprès de plusieurs sources.",
    [
        (
            "Dans quelle mesure le cluster rassemble-t-il les acteurs de l'éclairage ?",
            [
                (
                    "Représentativité",
                    "Les membres couvrent la chaîne de l'éclairage.",
                    "Atteint",
                    [
                        "Le cluster compte 41 membres, des fabricants aux installateurs.",
                        "Tous les maillons sont présents.",
                    ],
                ),
                (
                    "Recherche",
                    "Les centres de recherche participent aux travaux.",
                    "Partiel",
                    ["Un seul centre de recherche assiste aux réunions."],
                ),
                (
                    "Jeunes pousses",
                    "Le cluster attire des entreprises récentes.",
                    "Partiel",
                    ["Trois entreprises de moins de cinq ans ont adhéré."],
                ),
            ],
            "Le cluster est représentatif ; la recherche reste en retrait.",
        ),
        (
            "Dans quelle mesure les services aident-ils les membres à innover ?",
            [
                (
                    "Projets",
                    "Le cluster monte des projets collaboratifs.",
                    "Satisfaisant",
                    ["Cinq projets ont été déposés, dont trois retenus."],
                ),
                (
                    "Essais",
                    "Les membres accèdent à un banc d'essai photométrique.",
                    "Non atteint",
                    ["Le banc d'essai annoncé n'a pas été acheté."],
                ),
                (
                    "Veille",
                    "Une veille technique est diffusée.",
                    "Atteint",
                    ["Une note de veille paraît chaque mois.", "Les membres la jugent utile."],
                ),
            ],
            "Les projets avancent ; le banc d'essai manque.",
        ),
    ],
)
FRENCH = _report(*FRENCH_DATA)
FRENCH_COMMON = _report(
    *FRENCH_DATA, common={1: "Les membres interrogés citent tous la visibilité comme premier bénéfice."}
)

DUTCH = _report(
    "nl",
    "Evaluatie van de cluster LUMINOVA (fictief)",
    "Het bureau Orme Advies voerde de evaluatie uit in 2025 met een enquête bij de leden, een analyse van de "
    "documenten van de cluster en gesprekken met de bestuurders van twaalf bedrijven en met het team.\n"
    "Elk criterium krijgt een oordeel op een schaal van vier niveaus, onderbouwd met genummerde vaststellingen "
    "die op feiten uit meerdere bronnen steunen.",
    [
        (
            "In hoeverre brengt de cluster de spelers van de verlichtingssector samen?",
            [
                (
                    "Representativiteit",
                    "De leden dekken de hele keten van de verlichting.",
                    "Atteint",
                    [
                        "De cluster telt 41 leden, van fabrikanten tot installateurs.",
                        "Alle schakels zijn vertegenwoordigd.",
                    ],
                ),
                (
                    "Onderzoek",
                    "De onderzoekscentra nemen deel aan de werkzaamheden.",
                    "Partiel",
                    ["Slechts een onderzoekscentrum woont de vergaderingen bij."],
                ),
            ],
            "De cluster is representatief; het onderzoek blijft achter.",
        ),
        (
            "In hoeverre helpen de diensten van de cluster de leden om te innoveren?",
            [
                (
                    "Projecten",
                    "De cluster zet samenwerkingsprojecten op.",
                    "Satisfaisant",
                    ["Er werden vijf projecten ingediend, waarvan drie goedgekeurd."],
                ),
                (
                    "Testbank",
                    "De leden hebben toegang tot een fotometrische testbank.",
                    "Non atteint",
                    ["De aangekondigde testbank werd niet aangekocht."],
                ),
            ],
            "De projecten vorderen; de testbank ontbreekt.",
        ),
    ],
)

GERMAN = _report(
    "de",
    "Evaluierung des Clusters LUMINOVA (fiktiv)",
    "Das Büro Orme Beratung hat die Evaluierung im Jahr 2025 mit einer Umfrage bei den Mitgliedern, einer "
    "Analyse der Unterlagen des Clusters und Gesprächen mit den Leitern von zwölf Unternehmen durchgeführt.\n"
    "Jedes Kriterium erhält eine Bewertung auf einer Skala mit vier Stufen, begründet durch nummerierte "
    "Feststellungen, die sich auf Fakten aus mehreren Quellen stützen.",
    [
        (
            "Inwieweit bringt der Cluster die Akteure der Beleuchtungsbranche zusammen?",
            [
                (
                    "Repräsentativität",
                    "Die Mitglieder decken die gesamte Kette der Beleuchtung ab.",
                    "Atteint",
                    [
                        "Der Cluster zählt 41 Mitglieder, von Herstellern bis zu Installateuren.",
                        "Alle Glieder der Kette sind vertreten.",
                    ],
                ),
                (
                    "Forschung",
                    "Die Forschungszentren beteiligen sich an den Arbeiten.",
                    "Partiel",
                    ["Nur ein Forschungszentrum nimmt an den Sitzungen teil."],
                ),
            ],
            "Der Cluster ist repräsentativ; die Forschung bleibt zurück.",
        ),
        (
            "Inwieweit helfen die Dienste des Clusters den Mitgliedern bei der Innovation?",
            [
                (
                    "Projekte",
                    "Der Cluster baut Kooperationsprojekte auf.",
                    "Satisfaisant",
                    ["Fünf Projekte wurden eingereicht, drei davon bewilligt."],
                ),
                (
                    "Prüfstand",
                    "Die Mitglieder haben Zugang zu einem photometrischen Prüfstand.",
                    "Non atteint",
                    ["Der angekündigte Prüfstand wurde nicht gekauft."],
                ),
            ],
            "Die Projekte kommen voran; der Prüfstand fehlt.",
        ),
    ],
)

REPORTS = {"fr": FRENCH, "nl": DUTCH, "de": GERMAN, "fr-common": FRENCH_COMMON}

__all__ = ["Report", "Style", "render", "REPORTS", "WORDS", "LEVELS", "replace"]
