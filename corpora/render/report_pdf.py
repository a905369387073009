"""Render evaluation and activity reports to PDF the way the Walloon cluster reports are laid out.

Used to build the team's fictitious sample corpus (``corpora/build.py``) and to re-lay out the real
structure of a shared report in other page sizes, fonts and column widths, so extraction can be
tested against page breaks it has never seen. Rows of the référentiel tables break across pages
(``splitInRow``), header rows repeat on continuation pages, a flagged justification cell spans
several rows, judgement cells are shaded, and every page but the cover has a running header and a
page number. Output is byte-identical from run to run (reportlab ``invariant``).

>>> Layout(page="A5", font="Times-Roman", col_widths=(0.2, 0.3, 0.15, 0.35)).pagesize[0] < 420
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors, pagesizes
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from corpora.render.report_source import ActivityReportSource, QuestionSource, ReportSource, french_date
from miner.errors import UsageError
from miner.records import Judgement

__all__ = ["Layout", "ReportSource", "ActivityReportSource", "render_evaluation",
           "render_activity_report", "FONTS", "PAGE_SIZES"]  # fmt: skip

PAGE_SIZES = {
    "A3": pagesizes.A3,
    "A4": pagesizes.A4,
    "A5": pagesizes.A5,
    "Letter": pagesizes.LETTER,
    "Legal": pagesizes.LEGAL,
}

# Where Debian/Ubuntu put DejaVu; the DejaVu families are offered only when these files exist.
DEJAVU_DIR = Path(os.environ.get("MINER_DEJAVU_DIR", "/usr/share/fonts/truetype/dejavu"))
_BUILTIN_FONTS = {
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times-Roman": ("Times-Roman", "Times-Bold"),
    "Courier": ("Courier", "Courier-Bold"),
}
_TTF_FONTS = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
}
FONTS = tuple(_BUILTIN_FONTS) + tuple(_TTF_FONTS)

# Colours measured on the shared Infopôle synthesis (fill colours of its table cells).
NAVY = colors.Color(0.0, 0.2, 0.553)
HEADER_FILL = colors.Color(0.851, 0.882, 0.949)
HEADING_BLUE = colors.Color(0.18, 0.33, 0.59)
JUDGEMENT_FILLS = {
    Judgement.ATTEINT: colors.Color(0.776, 0.937, 0.808),
    Judgement.SATISFAISANT: colors.Color(1.0, 0.922, 0.612),
    Judgement.PARTIEL: colors.Color(0.973, 0.796, 0.678),
    Judgement.NON_ATTEINT: colors.Color(1.0, 0.78, 0.808),
}
# Rows break inside at the page boundary, as a word processor does. splitByRow=1 would first cut
# between rows and then place the remainder (repeated header rows included) on the same page, so
# the headers would appear twice on one page; splitByRow=0 tries the in-row split first and falls
# back to a cut between rows when a row cannot be split.
_ROW_SPLITTING = {"splitByRow": 0, "splitInRow": 1}
HEADER = ("Thème", "Critère", "Jugement", "Justification")
ROLES = ("theme", "criterion", "judgement", "justification")
HEADER_TITLES = {**dict(zip(ROLES, HEADER)), "recommendation": "Recommandations"}
TABLE_STYLES = ("grid", "cells", "hrules", "booktabs", "zebra", "plain", "sections")
ZEBRA_FILL = colors.Color(0.933, 0.949, 0.973)
# What the renderer writes in a recommendations column (the sources keep none).
PLACEHOLDER_RECOMMENDATION = "Poursuivre la démarche engagée."
ACTIVITY_HEADER = ("Date", "Activité", "Lieu", "Partenaires")


@dataclass
class Layout:
    """How a report is laid out; every field changes where pages break, none changes the text.

    Sizes are PDF points. ``col_widths`` are fractions of the text width for Thème, Critère,
    Jugement, Justification (the shared report uses four equal columns). ``caption_row`` draws
    "Question d'évaluation N : ..." as the table's first row (merged, dark fill, white text);
    ``repeat_header`` repeats the caption and header rows on continuation pages.
    ``running_header`` None means "<cluster> – <subtitle>"; "" draws none.
    """

    page: str = "A4"
    landscape: bool = False
    margins: tuple[float, float, float, float] = (62.0, 62.0, 62.0, 62.0)  # left, right, top, bottom
    font: str = "Helvetica"
    body_size: float = 10.0
    table_size: float = 8.5
    heading_size: float = 14.0
    title_size: float = 16.0
    small_size: float = 8.0
    col_widths: tuple[float, float, float, float] = (0.25, 0.25, 0.25, 0.25)
    activity_col_widths: tuple[float, float, float, float] = (0.13, 0.45, 0.19, 0.23)
    repeat_header: bool = True
    caption_row: bool = True
    running_header: str | None = None
    page_numbers: bool = True
    number_headings: bool = True
    question_on_new_page: bool = True
    shade_judgements: bool = True
    justify: bool = True
    # How the référentiel is drawn, the way other producers draw it: "grid" (every cell ruled),
    # "cells" (each cell boxed on its own, row by row, as browsers do), "hrules" (a rule under every
    # row), "booktabs" (top, header and bottom rules only), "zebra" (shaded bands, no lines),
    # "plain" (white space only), or "sections" (no table: criteria as sub-headings).
    table_style: str = "grid"
    columns: tuple[str, ...] = ROLES
    header: dict[str, str] = field(default_factory=dict)  # role -> title, HEADER_TITLES otherwise
    constat_label: str = "Constat {n} :"
    judgement_words: dict[str, str] = field(default_factory=dict)  # scale value -> printed word
    question_label: str = "Question d'évaluation {n} : {text}"  # "{text}" alone: the title is the question
    question_headings: bool = True  # False: the question is given only in the table caption
    line_spacing: float = 1.2  # leading as a multiple of the font size (1.8 is "1.5 lines")
    constat_list: str = "bullet"  # sections style: "bullet" or "number" (numbered by constat number)
    footnote: tuple[int, str] | None = None  # (page, text) drawn above the page number
    logo: bool = False  # a banner image at the top-left of every page but the cover
    row_padding: float | None = None  # space above and below cell text; None: the style's own
    criterion_heading: str = "Critère {q}.{i} – {theme}"  # sections style: each criterion's sub-heading
    criterion_inline: bool = False  # sections style: "<heading> : <criterion>" as one paragraph
    header_align: str = "LEFT"  # column titles LEFT or CENTRE (reportlab's names)

    def __post_init__(self) -> None:
        if self.table_style not in TABLE_STYLES:
            raise UsageError(f"unknown table style {self.table_style!r}; choose one of {', '.join(TABLE_STYLES)}")
        unknown = [c for c in self.columns if c not in (*ROLES, "recommendation")]
        if unknown or not {"theme", "criterion", "judgement", "justification"} <= set(self.columns):
            raise UsageError(
                f"columns must hold {', '.join(ROLES)} (and optionally recommendation), got {self.columns}"
            )
        if len(self.col_widths) != len(self.columns):
            self.col_widths = tuple(1 / len(self.columns) for _ in self.columns)
        if self.page not in PAGE_SIZES:
            raise UsageError(f"unknown page size {self.page!r}; choose one of {', '.join(PAGE_SIZES)}")
        if self.font not in FONTS:
            raise UsageError(f"unknown font {self.font!r}; choose one of {', '.join(FONTS)}")
        for name, count in (("col_widths", len(self.columns)), ("activity_col_widths", 4)):
            widths = tuple(getattr(self, name))
            if len(widths) != count or min(widths) <= 0 or abs(sum(widths) - 1) > 0.01:
                raise UsageError(f"{name} must be {count} positive fractions summing to 1, got {widths}")
            setattr(self, name, widths)
        width, height = self.pagesize
        left, right, top, bottom = self.margins
        if left + right >= width * 0.8 or top + bottom >= height * 0.8:
            raise UsageError(f"margins {self.margins} leave too little room on {self.page}")

    @property
    def pagesize(self) -> tuple[float, float]:
        size = PAGE_SIZES[self.page]
        return pagesizes.landscape(size) if self.landscape else pagesizes.portrait(size)

    @property
    def text_width(self) -> float:
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    def fonts(self) -> tuple[str, str]:
        """(regular, bold) font names, registering the DejaVu TTFs on first use."""
        if self.font in _BUILTIN_FONTS:
            return _BUILTIN_FONTS[self.font]
        regular, bold = _TTF_FONTS[self.font]
        names = (self.font, f"{self.font}-Bold")
        for name, filename in zip(names, (regular, bold)):
            if name not in pdfmetrics.getRegisteredFontNames():
                path = DEJAVU_DIR / filename
                if not path.is_file():
                    raise UsageError(f"font {self.font} needs {path} (set MINER_DEJAVU_DIR)")
                pdfmetrics.registerFont(TTFont(name, str(path)))
        return names


@dataclass
class _Styles:
    layout: Layout
    regular: str = field(init=False)
    bold: str = field(init=False)

    def __post_init__(self) -> None:
        self.regular, self.bold = self.layout.fonts()

    def style(self, name: str, *, size: float, bold: bool = False, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=self.bold if bold else self.regular, fontSize=size,
            leading=round(size * self.layout.line_spacing, 2), **kw,
        )  # fmt: skip

    def body(self) -> ParagraphStyle:
        align = TA_JUSTIFY if self.layout.justify else TA_LEFT
        return self.style("body", size=self.layout.body_size, alignment=align, spaceAfter=6)

    def cell(self, bold: bool = False, color: Any = colors.black) -> ParagraphStyle:
        return self.style("cell", size=self.layout.table_size, bold=bold, textColor=color)

    def heading(self) -> ParagraphStyle:
        size = self.layout.heading_size
        return self.style("h1", size=size, bold=True, textColor=HEADING_BLUE, spaceBefore=10,
                          spaceAfter=4, keepWithNext=1)  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _page_decorator(layout: Layout, styles: _Styles, header: str) -> Callable[[Any, Any], None]:
    """Running header (right-aligned, small) and centred page number, on every page but the first."""

    def draw(canvas: Any, doc: Any) -> None:
        width, height = layout.pagesize
        left, right, top, bottom = layout.margins
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.33, 0.33, 0.33))
        if header:
            canvas.setFont(styles.regular, layout.small_size)
            canvas.drawRightString(width - right, height - top / 2 - layout.small_size / 2, header)
        if layout.page_numbers:
            canvas.setFillColor(colors.black)
            canvas.setFont(styles.regular, layout.body_size)
            canvas.drawCentredString(width / 2, bottom / 2, str(doc.page))
        if layout.footnote is not None and layout.footnote[0] == doc.page:
            canvas.setFillColor(colors.black)
            canvas.setFont(styles.regular, layout.small_size - 1)
            canvas.line(left, bottom - 4, left + 120, bottom - 4)
            canvas.drawString(left, bottom - 4 - layout.small_size, layout.footnote[1])
        if layout.logo:
            # as large as consultancies' banners are (a figure to the reader, not a speck)
            canvas.drawImage(_logo(), left, height - top + 6, width=200, height=52)
        canvas.restoreState()

    return draw


def _logo() -> Any:
    """A small two-colour image standing for a consultancy's logo (drawn on every later page)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (80, 40), (0, 51, 141))
    image.paste((255, 204, 0), (40, 0, 80, 40))
    return ImageReader(image)


def _cover_page(canvas: Any, doc: Any) -> None:
    """The cover carries neither running header nor page number."""


def _build(path: str | Path, layout: Layout, story: list[Flowable], header: str, meta: dict[str, str]) -> None:
    styles = _Styles(layout)
    left, right, top, bottom = layout.margins
    doc = SimpleDocTemplate(
        str(path), pagesize=layout.pagesize, leftMargin=left, rightMargin=right,
        topMargin=top, bottomMargin=bottom, invariant=1, creator="miner report_pdf",
        producer="miner (reportlab)", **meta,
    )  # fmt: skip
    later = _page_decorator(layout, styles, header)
    doc.build(story, onFirstPage=_cover_page, onLaterPages=later)


def _notice(text: str, styles: _Styles) -> Table:
    """The fictitious-document notice: a boxed paragraph on the first page."""
    para = _p(text, styles.style("notice", size=styles.layout.body_size, bold=True,
                                 textColor=colors.Color(0.6, 0.0, 0.0)))  # fmt: skip
    box = Table([[para]], colWidths=[styles.layout.text_width])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1, colors.Color(0.6, 0.0, 0.0)),
        ("BACKGROUND", (0, 0), (-1, -1), colors.Color(1.0, 0.95, 0.95)),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))  # fmt: skip
    return box


def _heading(number: int, text: str, layout: Layout, styles: _Styles, keep_with_next: bool = True) -> Paragraph:
    """A numbered section heading. Not kept with what follows when that is a table: reportlab would
    then move the heading and the whole table to the next page instead of splitting the table."""
    label = f"{number} {text}" if layout.number_headings else text
    style = styles.heading()
    style.keepWithNext = int(keep_with_next)
    return _p(label, style)


def _judgement_word(criterion: Any, layout: Layout) -> str:
    if not criterion.judgement:
        return ""
    return layout.judgement_words.get(criterion.judgement.value, criterion.judgement.value)


def _question_title(question: QuestionSource, layout: Layout) -> str:
    return layout.question_label.format(n=question.number, text=question.text)


def _criteria_table(question: QuestionSource, layout: Layout, styles: _Styles) -> Table:
    """The référentiel of one question as a table that may break inside rows, drawn in the
    layout's ``table_style`` with its columns in the layout's order."""
    widths = [f * layout.text_width for f in layout.col_widths]
    cell, bold_cell = styles.cell(), styles.cell(bold=True)
    style = layout.table_style
    last = len(layout.columns) - 1
    jcol = layout.columns.index("judgement")
    kcol = layout.columns.index("justification")
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]  # fmt: skip
    if style == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    if style in ("zebra", "plain", "booktabs", "hrules"):
        commands += [("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if layout.row_padding is not None:  # LaTeX sets rows with no padding at all
        pad = layout.row_padding
        commands += [("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]
    if layout.caption_row:
        caption = _question_title(question, layout)
        rows.append([_p(caption, styles.cell(bold=True, color=colors.white))] + [""] * last)
        commands += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), NAVY)]
    header_row = len(rows)
    titles = {**HEADER_TITLES, **layout.header}
    head_style = styles.cell(bold=True)
    head_style.alignment = TA_CENTER if layout.header_align.upper().startswith("CENT") else TA_LEFT
    rows.append([_p(titles[role], head_style) for role in layout.columns])
    if style != "plain":
        commands.append(("BACKGROUND", (0, header_row), (-1, header_row), HEADER_FILL))
    if style in ("booktabs", "hrules"):
        commands += [("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                     ("LINEBELOW", (0, header_row), (-1, header_row), 0.5, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black)]  # fmt: skip
    span_start: int | None = None
    spans: dict[int, tuple[int, int]] = {}
    for index, criterion in enumerate(question.criteria):
        r = len(rows)
        label = layout.constat_label
        justification: Any = [_p(f"{label.format(n=k.number)} {k.text}", cell) for k in criterion.constats]
        content = {
            "theme": _p(criterion.theme, bold_cell), "criterion": _p(criterion.criterion, cell),
            "judgement": _p(_judgement_word(criterion, layout), bold_cell), "justification": justification or "",
            "recommendation": _p(PLACEHOLDER_RECOMMENDATION, cell),
        }  # fmt: skip
        rows.append([content[role] for role in layout.columns])
        if layout.shade_judgements and criterion.judgement and style not in ("zebra", "plain"):
            commands.append(("BACKGROUND", (jcol, r), (jcol, r), JUDGEMENT_FILLS[criterion.judgement]))
        if style == "zebra" and index % 2 == 1:
            # a justification merged over several rows is one cell: the bands stop at it
            merged = criterion.merged_with_previous or (
                index + 1 < len(question.criteria) and question.criteria[index + 1].merged_with_previous
            )
            ranges = [(0, kcol - 1), (kcol + 1, last)] if merged else [(0, last)]
            commands += [("BACKGROUND", (a, r), (b, r), ZEBRA_FILL) for a, b in ranges if a <= b]
        if criterion.merged_with_previous and r > header_row + 1:
            span_start = r - 1 if span_start is None else span_start
            spans[span_start] = (span_start, r)
        else:
            span_start = None
    for first, end in spans.values():
        commands.append(("SPAN", (kcol, first), (kcol, end)))
    if style == "hrules":
        for r in range(header_row + 1, len(rows) - 1):
            covered = any(first <= r < end for first, end in spans.values())
            # a rule under the row, except across a justification merged over the next row
            if covered:
                for c in range(len(layout.columns)):
                    if c != kcol:
                        commands.append(("LINEBELOW", (c, r), (c, r), 0.5, colors.black))
            else:
                commands.append(("LINEBELOW", (0, r), (-1, r), 0.5, colors.black))
    if style == "cells":
        merged = {(kcol, r) for first, end in spans.values() for r in range(first + 1, end + 1)}
        for r in range(len(rows)):
            for c in range(len(layout.columns)):
                if (c, r) in merged or (r < header_row and c > 0):
                    continue
                end_c = last if r < header_row else c
                end_r = next((end for first, end in spans.values() if c == kcol and first == r), r)
                commands.append(("BOX", (c, r), (end_c, end_r), 0.5, colors.black))
    repeat = (header_row + 1) if layout.repeat_header else 0
    table = Table(rows, colWidths=widths, repeatRows=repeat, **_ROW_SPLITTING)
    table.setStyle(TableStyle(commands))
    return table


def _criteria_sections(
    question: QuestionSource, layout: Layout, styles: _Styles, body: ParagraphStyle
) -> list[Flowable]:
    """The référentiel without a table: per criterion a sub-heading, its text, a "Jugement :" line
    and its constats as a bulleted or numbered list (a merged justification is repeated)."""
    sub = styles.style("h2", size=layout.body_size + 1, bold=True, spaceBefore=6, spaceAfter=2, keepWithNext=1)
    item = styles.style("item", size=layout.body_size, leftIndent=14, bulletIndent=2, spaceAfter=2)
    story: list[Flowable] = []
    shared: list[Any] = []
    for index, criterion in enumerate(question.criteria, start=1):
        title = layout.criterion_heading.format(q=question.number, i=index, theme=criterion.theme)
        if layout.criterion_inline:
            story.append(_p(f"{title} : {criterion.criterion}", body))
        else:
            story += [_p(title, sub), _p(criterion.criterion, body)]
        story.append(_p(f"Jugement : {_judgement_word(criterion, layout)}", body))
        constats = criterion.constats or (shared if criterion.merged_with_previous else [])
        shared = constats
        for k in constats:
            text = f"{layout.constat_label.format(n=k.number)} {k.text}" if layout.constat_list == "bullet" else k.text
            mark = "•" if layout.constat_list == "bullet" else f"{k.number}."
            story.append(Paragraph(escape(text), item, bulletText=mark))
    return story


def render_evaluation(report: ReportSource, path: str | Path, layout: Layout | None = None) -> Path:
    """Write ``report`` as a PDF at ``path`` laid out by ``layout``; returns the path."""
    layout = layout or Layout()
    styles = _Styles(layout)
    body = styles.body()
    blue = colors.Color(0.12, 0.29, 0.49)
    story: list[Flowable] = []
    if report.fictitious:
        story += [_notice(report.notice, styles), Spacer(1, 12)]
    story += [
        _p(report.commissioner, styles.style("commissioner", size=layout.small_size, textColor=blue)),
        Spacer(1, 100),
        _p(report.cover_title, styles.style("title", size=layout.title_size, bold=True, spaceAfter=18)),
        _p(report.subtitle, styles.style("subtitle", size=layout.body_size + 2, bold=True, spaceAfter=14)),
        _p(french_date(report.date), styles.style("date", size=layout.small_size + 1)),
    ]  # fmt: skip
    if report.evaluator:
        story.append(_p(f"Évaluateur : {report.evaluator}", styles.style("ev", size=layout.small_size + 1)))
    story.append(PageBreak())
    section = 1
    if report.methodology or report.phases:
        story.append(_heading(section, "Approche méthodologique", layout, styles))
        story += [_p(text, body) for text in report.methodology]
        story += [_p(f"Phase {ph.number} – {ph.name} : {ph.text}", body) for ph in report.phases]
        section += 1
    for i, question in enumerate(report.questions):
        if layout.question_on_new_page and i > 0:
            story.append(PageBreak())
        title = _question_title(question, layout) if layout.question_headings else "Référentiel d'évaluation"
        story.append(_heading(section + i, title, layout, styles))
        story += [_p(text, body) for text in question.intro]
        if layout.table_style == "sections":
            story += _criteria_sections(question, layout, styles, body)
        else:
            story += [Spacer(1, 4), _criteria_table(question, layout, styles), Spacer(1, 10)]
        story += [_p(text, body) for text in question.conclusion]
    header = report.cluster + " – " + report.subtitle if layout.running_header is None else layout.running_header
    meta = {"title": report.cover_title, "author": report.evaluator,
            "subject": report.subtitle, "keywords": "fictif" if report.fictitious else ""}  # fmt: skip
    _build(path, layout, story, header, meta)
    return Path(path)


def render_activity_report(report: ActivityReportSource, path: str | Path, layout: Layout | None = None) -> Path:
    """Write an activity report: title block, intro, a ruled Date | Activité | Lieu | Partenaires
    table whose rows may break across pages, then a dated bullet list of highlights."""
    layout = layout or Layout()
    styles = _Styles(layout)
    body, cell, bold_cell = styles.body(), styles.cell(), styles.cell(bold=True)
    story: list[Flowable] = []
    if report.fictitious:
        story += [_notice(report.notice, styles), Spacer(1, 12)]
    story += [
        _p(report.title, styles.style("title", size=layout.title_size, bold=True, spaceAfter=8)),
        _p(f"{report.cluster} – {report.period}", styles.style("sub", size=layout.body_size + 1, bold=True)),
        _p(french_date(report.date), styles.style("date", size=layout.small_size + 1, spaceAfter=12)),
    ]  # fmt: skip
    story += [_p(text, body) for text in report.intro]
    story.append(_heading(1, "Activités", layout, styles, keep_with_next=False))
    rows: list[list[Any]] = [[_p(h, bold_cell) for h in ACTIVITY_HEADER]]
    for act in report.activities:
        rows.append([_p(act.date, cell), _p(act.activity, cell), _p(act.place, cell),
                     _p(", ".join(act.partners), cell)])  # fmt: skip
    widths = [f * layout.text_width for f in layout.activity_col_widths]
    table = Table(rows, colWidths=widths, repeatRows=1 if layout.repeat_header else 0,
                  **_ROW_SPLITTING)  # fmt: skip
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ]))  # fmt: skip
    story += [table, Spacer(1, 10)]
    if report.highlights:
        story.append(_heading(2, report.highlights_title, layout, styles))
        bullet = styles.style("bullet", size=layout.body_size, leftIndent=14, bulletIndent=2, spaceAfter=3)
        story += [Paragraph(escape(f"{h.date} : {h.text}"), bullet, bulletText="•") for h in report.highlights]
    header = f"{report.cluster} – {report.title}" if layout.running_header is None else layout.running_header
    meta = {"title": report.title, "author": report.cluster, "subject": report.period,
            "keywords": "fictif" if report.fictitious else ""}  # fmt: skip
    _build(path, layout, story, header, meta)
    return Path(path)
