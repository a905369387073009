"""Reading order and table text on hand-built inputs (no PDF needed)."""

from __future__ import annotations

from miner.read.pdf import LayoutSettings
from miner.read.reading_order import Line, order_page
from miner.read.tables import table_text
from miner.records import Table, TableCell, TableRow


def line(text: str, x0: float, top: float) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x0 + 5.5 * len(text), bottom=top + 10, size=10.0, bold=False, page=1)


def test_two_columns_are_read_left_column_first():
    left = [line(f"gauche ligne {i} du texte", 50, 100 + 13 * i) for i in range(8)]
    right = [line(f"droite ligne {i} du texte", 330, 100 + 13 * i) for i in range(8)]
    items = order_page(1, right + left, [], [], LayoutSettings())
    texts = [item.line.text for item in items if item.line is not None]
    assert texts.index("gauche ligne 7 du texte") < texts.index("droite ligne 0 du texte")
    assert {item.column for item in items} == {1, 2}


def cell(text: str) -> TableCell:
    return TableCell(text=text, pages=[1])


def test_table_text_is_tab_separated_caption_header_rows():
    table = Table(
        caption="Référentiel",
        header=["Thème", "Jugement"],
        pages=[1],
        bbox=(0, 0, 10, 10),
        rows=[TableRow(cells=[cell("Pérennité"), cell("Partiel")], pages=[1])],
    )
    assert table_text(table) == "Référentiel\nThème\tJugement\nPérennité\tPartiel"
