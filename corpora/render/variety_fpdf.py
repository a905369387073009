"""The generator's third producer: fpdf2, a pure-Python PDF writer with its own text layout.

No LibreOffice or TeX is installed here; fpdf2 stands for the other word processors: it breaks and
justifies lines itself (word spacing written by glyph positions, not by ReportLab's or Chromium's
rules), draws its tables with its own border layouts (all rules, horizontal only, vertical only)
and flows two columns by switching the page margins at each column break, as its tutorial does.
It draws the same ``Part`` list as the other producers, so the gold is the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpora.render.variety import Combination, Part

__all__ = ["render_fpdf"]

MARGIN = 50 / 72 * 25.4  # the ReportLab producer's 50 pt, in millimetres
GAP = 24 / 72 * 25.4
BORDERS = {"grid": "ALL", "vrules": "NO_HORIZONTAL_LINES", "hrules": "HORIZONTAL_LINES"}


def render_fpdf(items: list[Part], combo: Combination, path: Path) -> Path:
    """Draw ``items`` with fpdf2 at ``path`` (A4, DejaVu Sans for the dots of a legend)."""
    from fpdf import FPDF

    from corpora.render.variety import dejavu_folder

    two = combo.layout == "tags-twocol"

    class Document(FPDF):
        column = 0
        columns_top = MARGIN  # where the columns start: under the title on page 1

        @property
        def accept_page_break(self) -> bool:  # fpdf2's tutorial column flow: left column, right, next page
            if two and self.column == 0:
                self.set_column(1)
                self.set_y(self.columns_top if self.page == 1 else MARGIN)
                return False
            if two:
                self.set_column(0)
            return True

        def set_column(self, index: int) -> None:
            self.column = index
            x = MARGIN + index * (width + GAP)
            self.set_left_margin(x)
            self.set_right_margin(self.w - x - width)
            self.set_x(x)

    pdf = Document(format="A4", unit="mm")
    pdf.set_title("rapport fictif")
    pdf.set_creator("miner variety")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    folder = dejavu_folder()
    pdf.add_font("DejaVu", "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(folder / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(folder / "DejaVuSans-Oblique.ttf"))
    full = pdf.w - 2 * MARGIN
    width = (full - GAP) / 2 if two else full
    pdf.add_page()
    started = False
    for part in items:
        if two and not started and part.kind not in ("notice", "title"):
            pdf.columns_top = pdf.get_y()  # the title spans both columns; the columns start under it
            pdf.set_column(0)
            started = True
        _draw(pdf, part, combo, width if started or not two else full)
    pdf.output(str(path))
    return path


def _draw(pdf: Any, part: Part, combo: Combination, width: float) -> None:
    line = 4.3  # mm: 12 pt leading for 9.5 pt text
    if part.kind == "notice":
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.set_text_color(153, 0, 0)
        pdf.set_draw_color(153, 0, 0)
        pdf.multi_cell(width, line, part.text, border=1, align="L", padding=1.2, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(3)
    elif part.kind == "title":
        pdf.set_font("DejaVu", "B", 15)
        pdf.multi_cell(width, 6.7, part.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    elif part.kind == "heading":
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 5.3, part.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    elif part.kind == "overall":
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.multi_cell(width, line, part.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    elif part.kind in ("paragraph", "finding"):
        _paragraph(pdf, part, width, line)
    elif part.kind == "criterion":
        _criterion(pdf, part, width)
    elif part.kind == "legend" and part.tag == "line":
        _legend_line(pdf, part)
    elif part.kind == "legend":
        from fpdf.fonts import FontFace

        pdf.set_font("DejaVu", "B", 8.5)
        pdf.multi_cell(width, 3.8, part.text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(
            col_widths=(21, 35), width=56, align="LEFT", line_height=3.8, first_row_as_headings=False
        ) as table:
            for symbol, word in part.rows:
                row = table.row()
                if symbol.startswith("#"):  # a colour's key: the cell itself in that colour
                    row.cell("", style=FontFace(fill_color=_rgb(symbol)))
                else:
                    row.cell(symbol)
                row.cell(word)
        pdf.ln(3)
    elif part.kind == "table":
        _table(pdf, part, combo, width)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _legend_line(pdf: Any, part: Part) -> None:
    """The key as one line of text: "Title : ■ word ; ■ word", a colour as a square of its colour."""
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.write(3.8, f"{part.text} : ")
    pdf.set_font("DejaVu", "", 8.5)
    for index, (symbol, word) in enumerate(part.rows):
        if symbol.startswith("#"):
            pdf.set_text_color(*_rgb(symbol))
            pdf.write(3.8, "■")
            pdf.set_text_color(0, 0, 0)
        else:
            pdf.write(3.8, symbol)
        pdf.write(3.8, f" {word}" + (" ; " if index < len(part.rows) - 1 else ""))
    pdf.ln(3.8)
    pdf.ln(3)


def _paragraph(pdf: Any, part: Part, width: float, line: float) -> None:
    """A justified paragraph; a finding's label in bold (fpdf2's markdown ``**``)."""
    pdf.set_font("DejaVu", "I" if part.italic else "", 9.5)
    text = part.text
    if part.kind == "finding":
        label, _, rest = text.partition(":")
        text = f"**{label}:**{rest}"
    pdf.multi_cell(width, line, text, align="J", markdown=part.kind == "finding", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2.5)


def _criterion(pdf: Any, part: Part, width: float) -> None:
    """The sub-heading "N.M Theme" and, at the right of its first line, the judgement in a frame."""
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 8)
    tag = pdf.get_string_width(part.tag) + 3
    pdf.set_font("DejaVu", "B", 9)
    if pdf.will_page_break(8):  # the heading and its tag move on together (asking flows to the next column)
        pdf.add_page()
    x, y = pdf.get_x(), pdf.get_y()
    pdf.multi_cell(width - tag - 2, 4, part.text, align="L", new_x="LMARGIN", new_y="NEXT")
    after = pdf.get_y()
    pdf.set_font("DejaVu", "", 8)
    pdf.set_draw_color(102, 51, 0)
    pdf.set_fill_color(251, 246, 240)
    pdf.set_xy(x + width - tag, y + 0.2)
    pdf.cell(tag, 3.6, part.tag, border=1, align="C", fill=True)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(x, max(after, y + 4) + 0.8)


def _table(pdf: Any, part: Part, combo: Combination, width: float) -> None:
    """The référentiel: rules as the layout says, the x-columns' two-level header, merged cells."""
    x_columns = combo.judgement == "x-columns"
    fractions = (0.18, 0.27, 0.39, 0.04, 0.04, 0.04, 0.04) if x_columns else (0.2, 0.3, 0.14, 0.36)
    pdf.set_font("DejaVu", "", 8.5)
    from fpdf.fonts import FontFace

    bold = FontFace(family="DejaVu", emphasis="BOLD")
    with pdf.table(
        col_widths=tuple(f * width for f in fractions), width=width, borders_layout=BORDERS[combo.layout],
        line_height=3.7, text_align="LEFT", v_align="TOP", num_heading_rows=len(part.header),
        headings_style=bold, repeat_headings=1, padding=1,
    ) as table:  # fmt: skip
        for level, titles in enumerate(part.header):
            row = table.row()
            for index, title in enumerate(titles):
                if x_columns and level == 0 and index < 3:
                    row.cell(title, rowspan=2)
                elif x_columns and level == 0 and index == 3:
                    row.cell(title, colspan=4)
                elif x_columns and (level == 0 or index < 3):
                    continue
                else:
                    row.cell(title)
        for r, cells in enumerate(part.rows):
            row = table.row()
            for c, text in enumerate(cells):
                span = next((s for s in part.spans if s[0] == c and s[1] <= r <= s[2]), None)
                if span is not None and span[1] < r:
                    continue
                rowspan = span[2] - span[1] + 1 if span is not None else 1
                fill = part.fills.get((r, c))
                row.cell(
                    text,
                    rowspan=rowspan,
                    align="CENTER" if x_columns and c >= 3 else None,
                    style=FontFace(fill_color=_rgb(fill)) if fill else None,
                )
    pdf.ln(3)
