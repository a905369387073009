"""The shared 2025 INFOPOLE report as an Evaluation record, for the graph, store and query tests.

By default the record is the real extraction of the shared PDF (``miner.extract.evaluation``). With
``MINER_FIXTURE=expected`` it is rebuilt from the ``expected.json`` beside the PDF instead (what a
correct extraction gives), to tell a graph bug from an extraction bug. That file keeps the
structure, not the prose around the tables, so question conclusions are then read from the seed text
at run time, as the corpus README allows (nothing of it is copied into the project); pages are
unknown there: [1].
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from conftest import EVAL_EXPECTED, EVAL_PDF, SHARED

from miner.records import Constat, Criterion, Evaluation, Judgement, Metadata, Question, SourceInfo

SEED = SHARED / "corpora" / "seeds" / "000_104bdba3bf2549ad.txt"


def _conclusions(seed: Path) -> dict[int, str]:
    """Paragraphs after each question's table up to the next page number or heading."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    out: dict[int, str] = {}
    number = None
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = re.match(r"Question d'évaluation (\d) :.*\t", line)
        if heading and index + 1 < len(lines) and lines[index + 1].startswith("Thème\t"):
            number = int(heading.group(1))
            index += 2
            while index < len(lines) and (
                "\t" in lines[index] or not lines[index].strip() or lines[index].startswith("--")
            ):
                index += 1
            paragraphs = []
            while (
                index < len(lines)
                and not re.fullmatch(r"\d+", lines[index].strip())
                and not lines[index].startswith("Question d'évaluation")
            ):
                if lines[index].strip():
                    paragraphs.append(lines[index].strip())
                index += 1
            out[number] = "\n\n".join(paragraphs)
            continue
        index += 1
    return out


def evaluation_from_expected(
    expected: Path = EVAL_EXPECTED, pdf: Path = EVAL_PDF, seed: Path | None = SEED
) -> Evaluation:
    """Build the Evaluation record an extractor should give for the shared report."""
    data = json.loads(expected.read_text(encoding="utf-8"))
    conclusions = _conclusions(seed) if seed is not None and seed.exists() else {}
    constats: dict[int, Constat] = {}
    questions = []
    for q in data["questions"]:
        criteria = []
        previous: list[int] = []
        for row, c in enumerate(q["criteria"], 1):
            cid = f"{q['number']}.{row}"
            numbers = []
            for k in c["constats"]:
                if k.get("shared_with_previous_row"):
                    numbers.extend(previous)
                    for n in previous:
                        constats[n].criteria.append(cid)
                    continue
                numbers.append(k["number"])
                constats[k["number"]] = Constat(
                    number=k["number"], text=k["text"], question=q["number"], criteria=[cid], pages=[1]
                )
            numbers = list(dict.fromkeys(numbers))
            previous = numbers
            criteria.append(
                Criterion(
                    id=cid,
                    theme=c["theme"],
                    criterion=c["criterion"],
                    judgement=Judgement.parse(c["judgement"]),
                    constats=numbers,
                    pages=[1],
                )
            )
        questions.append(
            Question(
                number=q["number"],
                text=q["text"],
                criteria=criteria,
                pages=[1],
                conclusion=conclusions.get(q["number"], ""),
            )
        )
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    return Evaluation(
        source=SourceInfo(path=str(pdf), sha256=digest, pages=pages),
        metadata=Metadata(
            cluster=data["cluster"],
            date=dt.date.fromisoformat(data["date"]),
            evaluator=data["evaluator"],
            commissioner=data["commissioner"],
            kind="évaluation triennale",
        ),
        questions=questions,
        constats=[constats[n] for n in sorted(constats)],
    )


@lru_cache(maxsize=1)
def shared_evaluation() -> Evaluation:
    """The shared report's Evaluation: the real extraction, or expected.json with MINER_FIXTURE=expected."""
    if os.environ.get("MINER_FIXTURE") == "expected":
        return evaluation_from_expected()
    from miner.extract.evaluation import extract_evaluation

    return extract_evaluation(EVAL_PDF)


GENERATED_AT = "2025-11-01T12:00:00+00:00"
"""A fixed run time so graphs built in tests are identical from run to run."""


def load_shared(store, evaluation: Evaluation | None = None, **settings):  # noqa: ANN001, ANN201
    """Load the shared report (and the ontology) into a pyoxigraph store; returns the store."""
    from miner.rdf.vocab import Minter
    from miner.store.load import load_evaluations
    from miner.store.local import load_ontology

    load_evaluations(store, [evaluation or shared_evaluation()], generated_at=GENERATED_AT, **settings)
    load_ontology(store, str(Minter(settings.get("base_iri")).ontology_graph()))
    return store


def shared_store_folder(folder: Path) -> Path:
    """An on-disk store at ``folder`` holding the shared report, flushed and released, so that a test's
    query workers can open it read-only; returns ``folder``."""
    from miner.store.local import open_store

    store = load_shared(open_store(folder))
    store.flush()
    del store
    return folder
