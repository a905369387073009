"""KPI tables of objective contracts and their mid-term evaluations → indicators with target and
achieved values.

Since the 2024 decree a cluster is recognised for four years under a *contrat d'objectifs* whose
objectives carry indicators with target values; the mid-term evaluation sets the achieved values
beside them. Such a table is recognised by its header words (an indicator column and a target or
achieved column), never by column positions: each column's role comes from the words of its
title, and a title that could be an objective or a target ("Objectif 2028") is decided by its
cells (numbers: a target). Units come from a unit column, the column title's parentheses ("Cible
(%)") or the value itself ("35 %", "120 k€"). A row spanning the table ("Objectif 2 : …") names
the objective of the rows below it when the table has no objective column.

>>> column_role("Valeur cible 2028 (%)"), column_role("Indicateur de résultat"), column_role("Réalisé à mi-parcours")
('target', 'indicator', 'achieved')
>>> parse_value("1 250 k€"), parse_value("≥ 40 %"), parse_value("n.d.")
((1250000.0, 'EUR'), (40.0, 'percent'), (None, None))
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from miner.errors import InputError
from miner.nlp.text import squash
from miner.read.pdf import read_pdf
from miner.records import Block, Indicator, IndicatorTable, Table, TableCell

__all__ = [
    "KINDS",
    "ROLE_WORDS",
    "UNIT_WORDS",
    "KpiSettings",
    "column_role",
    "extract_indicators",
    "kpi_columns",
    "parse_value",
    "read_kpi_table",
]

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "objective": (
        "objectif",
        "objectifs",
        "objectif strategique",
        "objectif operationnel",
        "axe",
        "axe strategique",
        "mission",
        "action",
        "projet",
        "objective",
        "strategic objective",
        "goal",
    ),
    "indicator": (
        "indicateur",
        "indicateurs",
        "kpi",
        "indicateur de realisation",
        "indicateur de resultat",
        "indicateur de performance",
        "intitule de l indicateur",
        "indicator",
        "key performance indicator",
    ),
    "unit": ("unite", "unites", "unite de mesure", "unit"),
    "target": (
        "cible",
        "valeur cible",
        "valeur visee",
        "objectif chiffre",
        "a atteindre",
        "valeur a atteindre",
        "cible finale",
        "valeur attendue",
        "target",
        "target value",
    ),
    "achieved": (
        "realise",
        "realisee",
        "realises",
        "atteint",
        "atteinte",
        "valeur atteinte",
        "resultat obtenu",
        "mi parcours",
        "a mi parcours",
        "situation a mi parcours",
        "valeur mesuree",
        "constate",
        "valeur constatee",
        "achieved",
        "actual",
        "result",
        "mid term",
    ),
    "baseline": (
        "valeur de depart",
        "situation de depart",
        "valeur initiale",
        "reference",
        "valeur de reference",
        "situation initiale",
        "baseline",
    ),
    "rate": (
        "taux de realisation",
        "taux d atteinte",
        "ecart",
        "commentaire",
        "commentaires",
        "source",
        "sources",
        "achievement rate",
        "comment",
        "comments",
    ),
}
"""Folded words of column titles by role (French, and English for contracts written in it); a title
takes the role of its longest matching phrase.
``rate`` marks columns read by no one (ratios and remarks that are not the document's values)."""

UNIT_WORDS: dict[str, str] = {
    "%": "percent",
    "pourcent": "percent",
    "pourcentage": "percent",
    "pct": "percent",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "k€": "EUR",
    "keur": "EUR",
    "m€": "EUR",
    "meur": "EUR",
    "nombre": "count",
    "nb": "count",
    "n": "count",
    "#": "count",
    "unites": "count",
}
"""A unit as written (folded) → miner's unit; any other word is kept as the document writes it."""
KINDS = {
    "evaluation a mi parcours": "évaluation à mi-parcours",
    "evaluation intermediaire": "évaluation à mi-parcours",
    "evaluation finale": "évaluation finale",
    "contrat d objectifs": "contrat d'objectifs",
}
"""Folded words of the first page that name the document's kind → its kind."""
SCALE = {"k€": 1e3, "keur": 1e3, "m€": 1e6, "meur": 1e6}

_NUMBER = re.compile(r"[-+]?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?(?!\d)|[-+]?\d+(?:[.,]\d+)?")
_PARENS = re.compile(r"\(([^)]*)\)")
_PERIOD = re.compile(r"\b(20\d\d)\s*(?:[-–—/]|à|au)\s*(20\d\d)\b")
_FICTITIOUS = re.compile(r"\b(fictif|fictive|fictifs|fictives|imaginaire|invente|inventee)\b")
_LABEL = re.compile(r"^\s*(?:cluster|réseau d['’]entreprises)\s*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class KpiSettings:
    """How sure the reader must be that a title-less or two-way column holds numbers."""

    numeric_share: float = field(
        default=0.6,
        metadata={
            "why": "an 'Objectif …' column whose filled cells are mostly numbers is the target, not the objective text"
        },
    )


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch if ch.isalnum() or ch in "%€#" else " " for ch in folded if not unicodedata.combining(ch))
    return " ".join(letters.split())


def column_role(title: str) -> str | None:
    """The role of a column from its title's words (parentheses and years left aside), or None."""
    words = _fold(_PARENS.sub(" ", title))
    words = " ".join(w for w in words.split() if not re.fullmatch(r"(19|20)\d\d", w))
    best: tuple[int, str] | None = None
    for role, phrases in ROLE_WORDS.items():
        for phrase in phrases:
            if re.search(rf"(^| ){re.escape(phrase)}( |$)", words) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), role)
    return best[1] if best else None


def _unit_word(text: str) -> tuple[str, float] | None:
    folded = _fold(text).replace(" ", "")
    for word, unit in sorted(UNIT_WORDS.items(), key=lambda kv: -len(kv[0])):
        if folded == word or (len(word) <= 2 and folded.endswith(word) and not word.isalpha()):
            return unit, SCALE.get(word, 1.0)
    return None


def parse_value(text: str) -> tuple[float | None, str | None]:
    """A cell's number (French or English notation) and the unit written with it, scaled (k€)."""
    match = _NUMBER.search(text or "")
    if match is None:
        return None, None
    raw = match.group(0)
    digits = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+", digits):  # 1.250 as a thousands separator
        digits = digits.replace(".", "")
    value = float(digits.replace(",", "."))
    rest = text[match.end() :].strip()
    unit = _unit_word(rest.split()[0]) if rest else None
    if unit is None:
        return value, None
    return value * unit[1], unit[0]


@dataclass
class _Columns:
    roles: dict[str, int]
    units: dict[int, tuple[str, float]]


def _year(title: str) -> int:
    years = re.findall(r"\b(?:19|20)\d\d\b", title)
    return int(years[-1]) if years else 0


def kpi_columns(table: Table, settings: KpiSettings | None = None) -> _Columns | None:
    """The columns of a KPI table by role, or None when the table is not one (no indicator column,
    or neither a target nor an achieved column)."""
    settings = settings or KpiSettings()
    roles: dict[str, int] = {}
    units: dict[int, tuple[str, float]] = {}
    for index, title in enumerate(table.header):
        role = column_role(title)
        cells = [r.cells[index].text for r in table.rows if index < len(r.cells) and r.cells[index].text.strip()]
        numeric = sum(1 for c in cells if parse_value(c)[0] is not None and len(_NUMBER.sub("", c).split()) <= 2)
        if role == "objective" and cells and numeric / len(cells) >= settings.numeric_share:
            role = "target"
        if role is None:
            continue
        if role in roles:  # yearly columns (Cible 2026, Cible 2028): the latest year is the one kept
            if role not in ("target", "achieved", "baseline") or _year(title) <= _year(table.header[roles[role]]):
                continue
            units.pop(roles[role], None)
        roles[role] = index
        for inside in _PARENS.findall(title):
            found = _unit_word(inside.replace("en ", ""))
            if found:
                units[index] = found
    if "indicator" not in roles or not ({"target", "achieved"} & set(roles)):
        return None
    return _Columns(roles, units)


def _cell(cells: list[TableCell], index: int | None) -> TableCell | None:
    return cells[index] if index is not None and index < len(cells) else None


def read_kpi_table(table: Table, columns: _Columns, caption: str | None = None) -> list[Indicator]:
    """The indicators of one KPI table (rows spanning the table name the objective below them)."""
    out: list[Indicator] = []
    roles = columns.roles
    objective_now = caption
    for row in table.rows:
        texts = [squash(c.text) for c in row.cells]
        filled = {t for t in texts if t}
        indicator = _cell(row.cells, roles["indicator"])
        if len(filled) == 1 and (
            indicator is None or not squash(indicator.text) or all(c.merged_from_left for c in row.cells[1:])
        ):
            objective_now = filled.pop()  # a row spanning the table: the objective of the rows below
            continue
        if indicator is None or not squash(indicator.text):
            continue
        given_unit = _cell(row.cells, roles.get("unit"))
        row_unit = _unit_word(given_unit.text) if given_unit is not None and given_unit.text.strip() else None
        values: dict[str, float | None] = {}
        unit: str | None = (
            row_unit[0]
            if row_unit
            else (squash(given_unit.text).lower() if given_unit is not None and given_unit.text.strip() else None)
        )
        for role in ("target", "achieved", "baseline"):
            cell = _cell(row.cells, roles.get(role))
            if cell is None:
                values[role] = None
                continue
            value, written = parse_value(cell.text)
            header_unit = columns.units.get(roles[role])
            if value is not None and written is None and header_unit is not None:
                value, written = value * header_unit[1], header_unit[0]
            if value is not None and row_unit is not None and written is None:
                value *= row_unit[1]
            values[role] = value
            unit = unit or written
        objective = _cell(row.cells, roles.get("objective"))
        out.append(
            Indicator(
                indicator=squash(indicator.text),
                objective=squash(objective.text) if objective is not None and objective.text.strip() else objective_now,
                unit=unit or ("count" if values["target"] is not None or values["achieved"] is not None else None),
                target=values["target"],
                achieved=values["achieved"],
                baseline=values["baseline"],
                page=(indicator.pages or row.pages)[0],
                bbox=indicator.boxes[0] if indicator.boxes else None,
                quote=" | ".join(t for t in texts if t),
            )
        )
    return out


def _first_page_facts(blocks: list[Block]) -> tuple[str | None, str | None, str | None, bool]:
    first = min((b.page for b in blocks), default=1)
    lines = [squash(line) for b in blocks if b.page == first for line in b.text.splitlines()]
    text = " ".join(lines)
    folded = _fold(text)
    cluster = next((squash(m.group(1)) for m in map(_LABEL.match, lines) if m and m.group(1).strip()), None)
    period = next((f"{a}-{b}" for a, b in _PERIOD.findall(text) if 1 <= int(b) - int(a) <= 6), None)
    kinds = [(folded.find(words), name) for words, name in KINDS.items() if words in folded]
    kind = min(kinds)[1] if kinds else None  # the first named: the title's, not the introduction's
    return cluster, period, kind, bool(_FICTITIOUS.search(folded))


def extract_indicators(path: str | Path, settings: KpiSettings | None = None) -> IndicatorTable:
    """Every KPI table of a contract or evaluation PDF, with the cluster and period of its first
    page. A document with no KPI table is an InputError naming it."""
    document = read_pdf(path)
    blocks = document.blocks
    cluster, period, kind, fictitious = _first_page_facts(blocks)
    indicators: list[Indicator] = []
    heading: str | None = None
    for block in blocks:
        if block.kind == "heading":
            heading = squash(block.text)
        if block.table is None:
            continue
        columns = kpi_columns(block.table, settings)
        if columns is not None:
            caption = block.table.caption or (heading if "objective" not in columns.roles else None)
            indicators.extend(read_kpi_table(block.table, columns, caption))
    if not indicators:
        raise InputError(
            path, "no table of indicators: a KPI table needs an 'Indicateur' column and a 'Cible' or 'Réalisé' column"
        )
    return IndicatorTable(
        source=document.source, cluster=cluster, period=period, kind=kind, fictitious=fictitious, indicators=indicators
    )
