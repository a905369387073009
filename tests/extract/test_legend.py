"""A report's own legend, read as data: symbols, codes and colours paired with the scale."""

from __future__ import annotations

import pytest

from miner.extract.legend import Legend, form_key, read_legend
from miner.records import Block, Judgement, Table, TableCell, TableRow

A, S, P, N = Judgement.ATTEINT, Judgement.SATISFAISANT, Judgement.PARTIEL, Judgement.NON_ATTEINT


def paragraph(text: str) -> Block:
    return Block(kind="paragraph", page=1, bbox=(0, 0, 10, 10), text=text)


def table(header: list[str], rows: list[list[str]], fills: list[list[str | None]] | None = None) -> Block:
    fills = fills or [[None] * len(r) for r in rows]
    body = [
        TableRow(cells=[TableCell(text=t, pages=[1], fill=f) for t, f in zip(r, fs)], pages=[1])
        for r, fs in zip(rows, fills)
    ]
    return Block(
        kind="table",
        page=1,
        bbox=(0, 0, 10, 10),
        text="",
        table=Table(header=header, rows=body, pages=[1], bbox=(0, 0, 10, 10)),
    )


@pytest.mark.parametrize(
    "line",
    [
        "Légende : ●●● Atteint ; ●●○ Satisfaisant ; ●○○ Partiel ; ○○○ Non atteint",
        "Lecture : ++ = Atteint, + = Satisfaisant, – = Partiel, – – = Non atteint.",
        "Atteint : ◆◆◆ – Satisfaisant : ◆◆◇ – Partiel : ◆◇◇ – Non atteint : ◇◇◇",
        "Key: ★★★ Achieved; ★★☆ Satisfactory; ★☆☆ Partial; ☆☆☆ Not achieved",
        # a title holding a word of the scale before the forms
        "Légende des niveaux d'atteinte : ●●● Atteint ; ●●○ Satisfaisant ; ●○○ Partiel ; ○○○ Non atteint",
    ],
)
def test_a_legend_line_pairs_forms_with_levels(line: str) -> None:
    legend = read_legend([paragraph(line)])
    assert legend.blocks == {0}
    assert sorted(set(legend.forms.values()), key=lambda j: j.rank) == [N, P, S, A]


def test_a_legend_line_opening_with_a_bold_title_is_read_across_the_title() -> None:
    """The title and the first form in bold read as a heading, the line going on below it: the
    first pair straddles the two blocks, and both are the legend's."""
    title = Block(kind="heading", page=1, bbox=(50, 193, 280, 203), text="Légende des niveaux d'atteinte : ●●●")
    rest = Block(
        kind="paragraph",
        page=1,
        bbox=(56, 205, 280, 227),
        text="Atteint ; ●●○ Satisfaisant ; ●○○ Partiel ; ○○○ Non atteint",
    )
    legend = read_legend([title, rest])
    assert legend.blocks == {0, 1}
    assert legend.resolve("●●●") == A and legend.resolve("○○○") == N
    far = title.model_copy(update={"bbox": (50, 100, 280, 110)})  # a heading standing apart is no part of it
    assert read_legend([far, rest]).resolve("●●●") is None


def test_forms_resolve_whatever_their_spacing() -> None:
    legend = read_legend([paragraph("●●● Atteint ; ●●○ Satisfaisant ; ●○○ Partiel ; ○○○ Non atteint")])
    assert [legend.resolve(t) for t in ("● ● ●", "●●○", "●○○", "○ ○ ○", "Partiel", "◐")] == [A, S, P, N, P, None]


def test_a_legend_table_by_rows_or_by_columns() -> None:
    rows = table(
        ["Niveau d'atteinte", "Pastilles"],
        [["Atteint", "●●●"], ["Satisfaisant", "●●○"], ["Partiel", "●○○"], ["Non atteint", "○○○"]],
    )
    columns = table(["Atteint", "Satisfaisant", "Partiel", "Non atteint"], [["A", "B", "C", "D"]])
    assert read_legend([rows]).resolve("●○○") == P
    assert read_legend([columns]).resolve("C") == P


def test_a_colour_legend_gives_empty_coloured_cells_their_level() -> None:
    legend = read_legend(
        [
            table(
                ["Couleur", "Niveau"],
                [["", "Atteint"], ["", "Partiel"], ["", "Non atteint"]],
                [["#00a000", None], ["#ffa500", None], ["#d00000", None]],
            )
        ]
    )
    assert legend.resolve("", "#ffa500") == P and legend.resolve("", "#123456") is None


def test_a_line_of_coloured_squares_is_a_colour_legend() -> None:
    """Each square's colour pairs with the words after it on its line; a cell's colour within
    rounding of a legend colour (165/255 written as 0.65) resolves to it."""
    line = Block(
        kind="paragraph", page=1, bbox=(50, 100, 400, 110), text="Légende : ■ Atteint ; ■ Partiel ; ■ Non atteint"
    )
    words = [("Légende", (50, 100, 85, 110), None), (":", (87, 100, 89, 110), None), ("■", (92, 100, 99, 110), None),
             ("Atteint", (101, 100, 130, 110), None), (";", (131, 100, 133, 110), None), ("■", (136, 100, 143, 110), None),
             ("Partiel", (145, 100, 175, 110), None), (";", (176, 100, 178, 110), None), ("■", (181, 100, 188, 110), None),
             ("Non", (190, 100, 205, 110), None), ("atteint", (207, 100, 235, 110), None)]  # fmt: skip
    swatches = [((92, 101, 99, 109), "#00a000"), ((136, 101, 143, 109), "#ffa500"), ((181, 101, 188, 109), "#d00000")]
    legend = read_legend([line], {1: swatches}, {1: words})
    assert legend.blocks == {0}
    assert [legend.resolve("", c) for c in ("#00a000", "#ffa600", "#d00000", "#123456")] == [A, P, N, None]


def test_a_referentiel_is_no_legend() -> None:
    """Rows pairing a short id or theme with a level are criteria when levels repeat or the row
    holds a criterion and its constats."""
    ref = table(
        ["N°", "Thème", "Critère", "Jugement", "Constats"],
        [
            ["1.1", "Team", "L'équipe est là.", "Atteint", "Constat 1 : x."],
            ["1.2", "Budget", "Le budget tient.", "Partiel", "Constat 2 : y."],
        ],
    )
    ids = table(["N°", "Jugement"], [["1.1", "Atteint"], ["1.2", "Atteint"], ["1.3", "Partiel"]])
    prose = paragraph("Chaque critère est jugé sur quatre niveaux : Atteint, Satisfaisant, Partiel ou Non atteint.")
    assert read_legend([ref, ids, prose]).forms == {}


def test_form_key() -> None:
    assert form_key("● ● ○") == form_key("●●○") and isinstance(Legend().forms, dict)
