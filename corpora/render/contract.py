"""Objective contracts and mid-term evaluations (2024 decree) with a KPI table: source and PDF.

A contract source (``kind: contract``) lists the cluster's objectives, each with indicators (unit,
starting value, target); a mid-term evaluation (``kind: midterm``) adds the achieved value and a
remark. The two are drawn with different tables on purpose, so a reader must find the columns by
their titles: the contract has an objective column merged down each objective's rows and a unit
column; the evaluation has one spanning row per objective, the units written with the values, and
the achieved column before the target. Rendering is deterministic (reportlab invariant mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import yaml
from pydantic import Field, ValidationError

from corpora.render.report_source import FICTITIOUS_NOTICE
from miner.errors import InputError
from miner.records import Record

__all__ = ["ContractSource", "IndicatorSource", "ObjectiveSource", "is_contract", "load_contract", "render_contract"]

UNIT_SUFFIX = {"nombre": "", "%": " %", "k€": " k€"}


class IndicatorSource(Record):
    name: str
    unit: Literal["nombre", "%", "k€"]
    baseline: float
    target: float
    achieved: float | None = None
    remark: str = ""


class ObjectiveSource(Record):
    title: str
    mission: int
    indicators: list[IndicatorSource]


class ContractSource(Record):
    kind: Literal["contract", "midterm"]
    title: str
    subtitle: str
    cluster: str
    period: str
    date: str
    authority: str
    intro: list[str]
    objectives: list[ObjectiveSource]
    closing: list[str] = Field(default_factory=list)


def is_contract(path: Path) -> bool:
    """True for a source YAML of this module's kinds (the others are report_source's)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(raw, dict) and raw.get("kind") in ("contract", "midterm")


def load_contract(path: str | Path) -> ContractSource:
    try:
        return ContractSource.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as err:
        raise InputError(path, f"invalid contract source: {str(err).splitlines()[0]}") from err


def _number(value: float, unit: str) -> str:
    text = f"{value:,.0f}".replace(",", " ") if value == int(value) else f"{value:.1f}".replace(".", ",")
    return text + UNIT_SUFFIX[unit]


def _bare(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if value == int(value) else f"{value:.1f}".replace(".", ",")


def render_contract(source: ContractSource, path: str | Path) -> Path:
    """Draw the source to ``path`` (A4): notice, title page facts, introduction, the KPI table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=8)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=10, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold", textColor=colors.white)
    notice = ParagraphStyle("notice", parent=body, fontName="Helvetica-Bold", textColor=colors.Color(0.6, 0, 0))

    def p(text: str, style: Any = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    box = Table([[p(FICTITIOUS_NOTICE, notice)]], colWidths=[471])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.Color(0.6, 0, 0)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.Color(1, 0.95, 0.95)),
            ]
        )
    )
    story: list[Any] = [
        box,
        Spacer(1, 12),
        p(source.title, title),
        p(source.subtitle, body),
        p(f"Cluster : {source.cluster}", body),
        p(f"Période du contrat : {source.period}", body),
        p(source.authority, body),
        p(source.date, body),
        Spacer(1, 8),
        p("Introduction", heading),
    ]
    story += [p(text, body) for text in source.intro]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.1, 0.25, 0.45)),
    ]
    if source.kind == "contract":
        story.append(p("Objectifs et indicateurs du contrat", heading))
        rows: list[list[Any]] = [
            [
                p(t, head)
                for t in ("Objectif stratégique", "Indicateur", "Unité", "Situation de départ (2023)", "Cible 2028")
            ]
        ]
        for objective in source.objectives:
            first = len(rows)
            for n, ind in enumerate(objective.indicators):
                rows.append(
                    [
                        p(objective.title) if n == 0 else "",
                        p(ind.name),
                        p(ind.unit),
                        p(_bare(ind.baseline)),
                        p(_bare(ind.target)),
                    ]
                )
            style.append(("SPAN", (0, first), (0, len(rows) - 1)))
        widths = [120, 170, 45, 68, 68]
    else:
        story.append(p("Indicateurs du contrat à mi-parcours", heading))
        rows = [
            [
                p(t, head)
                for t in ("Indicateur", "Réalisé au 30/06/2026", "Cible 2028", "Taux d'atteinte", "Commentaire")
            ]
        ]
        for objective in source.objectives:
            rows.append(
                [p(objective.title, ParagraphStyle("o", parent=cell, fontName="Helvetica-Bold")), "", "", "", ""]
            )
            style += [
                ("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.Color(0.9, 0.93, 0.97)),
            ]
            for ind in objective.indicators:
                achieved = ind.achieved if ind.achieved is not None else 0.0
                rate = f"{round(100 * achieved / ind.target)} %"
                rows.append(
                    [
                        p(ind.name),
                        p(_number(achieved, ind.unit)),
                        p(_number(ind.target, ind.unit)),
                        p(rate),
                        p(ind.remark),
                    ]
                )
        widths = [160, 70, 60, 50, 131]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    story += [Spacer(1, 8)] + [p(text, body) for text in source.closing]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=62,
        rightMargin=62,
        topMargin=62,
        bottomMargin=62,
        invariant=1,
        creator="miner corpora",
        producer="miner (reportlab)",
        title=source.title,
        author="équipe miner (document fictif)",
    )
    doc.build(story)
    return Path(path)
