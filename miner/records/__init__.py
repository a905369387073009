"""Typed records passed between miner's stages, one module per family.

``from miner.records import Evaluation`` is the usual entry point; the modules are
``document`` (PDF layer: blocks, tables, provenance), ``evaluation`` (the report's structure),
``activities``, ``indicators`` (objective contracts' KPI tables), ``cycles`` (which funding
cycle an evaluation covers, and why), ``organisations`` (the organisations a document names),
``members`` (a member list as read), ``summaries`` (a criterion summary read back from the store)
and ``tagging`` (an activity list as tagged).
"""

from miner.records.activities import Activity
from miner.records.cycles import Cycle, CycleEvidence, CycleInference
from miner.records.document import (
    BBox,
    Block,
    BlockKind,
    OcrInfo,
    OcrPageInfo,
    Provenance,
    Record,
    SourceInfo,
    Table,
    TableCell,
    TableRow,
)
from miner.records.evaluation import (
    JUDGEMENT_SYNONYMS,
    Constat,
    Criterion,
    Evaluation,
    Judgement,
    Located,
    Metadata,
    Phase,
    Question,
    judgement_key,
)
from miner.records.indicators import Indicator, IndicatorTable
from miner.records.members import Member, MemberList
from miner.records.organisations import Mention, Organisation, OrganisationIndex, Relation
from miner.records.removal import KeptGraph, RemovedDocument
from miner.records.summaries import JudgedCriterion
from miner.records.tagging import Classified

__all__ = [
    "BBox",
    "Record",
    "Provenance",
    "OcrInfo",
    "OcrPageInfo",
    "SourceInfo",
    "BlockKind",
    "Block",
    "TableCell",
    "TableRow",
    "Table",
    "Judgement",
    "JUDGEMENT_SYNONYMS",
    "judgement_key",
    "Metadata",
    "Phase",
    "Located",
    "Criterion",
    "Question",
    "Constat",
    "Evaluation",
    "Activity",
    "Indicator",
    "IndicatorTable",
    "Cycle",
    "CycleEvidence",
    "CycleInference",
    "Member",
    "MemberList",
    "Mention",
    "Organisation",
    "OrganisationIndex",
    "Relation",
    "Classified",
    "JudgedCriterion",
    "KeptGraph",
    "RemovedDocument",
]
