"""`miner build`: inputs recognised by content, the default pipeline run on them, incrementally."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EVAL_PDF, INFOPOLE, ROOT
from timeouts import scaled
from typer.testing import CliRunner

from miner.cli.app import app
from miner.errors import InputError, UsageError
from miner.pipeline.build import Kind, build, recognise_table, short_name
from miner.pipeline.progress import Reporter
from miner.store.local import open_store, run_query
from miner.store.query import format_result, saved_queries

runner = CliRunner()
SAMPLE = ROOT / "corpora"
ANSWERS = Path(__file__).parent / "data" / "demo_answers.json"
"""Every saved query's answer (CSV lines, times masked) on the demo store as `miner run pipelines/demo.yaml`
built it before the standard terms: the queries rewritten on skos:notation, org:classification and the
province concepts must answer the same."""
REGENERATE = os.environ.get("MINER_REGENERATE_ANSWERS") == "1"

LABELS = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?o ?label WHERE {
  GRAPH ?g { ?o a org:Organization }
  GRAPH ?h { ?o skos:prefLabel|skos:altLabel ?label }
}"""


def labels_by_node(store_path: Path) -> dict[str, set[str]]:
    store = open_store(store_path, read_only=True)
    nodes: dict[str, set[str]] = {}
    for node, label in run_query(store, LABELS, max_rows=None).values():
        nodes.setdefault(node, set()).add(label)
    return nodes


def nodes_named(nodes: dict[str, set[str]], name: str) -> set[str]:
    return {node for node, labels in nodes.items() if name in labels}


@pytest.fixture(scope="module")
def infopole_store(tmp_path_factory, shared):
    """One command on the folder holding the shared report and the 2011 atlas."""
    store = tmp_path_factory.mktemp("infopole") / "store"
    result = runner.invoke(app, ["build", str(INFOPOLE), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.output


def test_build_of_report_and_atlas_finds_their_nine_organisations(infopole_store):
    store, output = infopole_store
    assert "atlas-infopole-2011.pdf: document" in output and "synthese.pdf: evaluation" in output
    nodes = labels_by_node(store)
    for name in ("KPMG", "AWEX", "TWIST", "IBM", "Smals", "ULB-IGEAT", "CPDT"):
        assert len(nodes_named(nodes, name)) == 1, (name, sorted(nodes))
    # the SPW under its acronym and its full name, on one node
    assert nodes_named(nodes, "SPW") == nodes_named(nodes, "Service public de Wallonie") != set()
    # INFOPOLE: one node for the report's and the atlas' spellings
    spellings = ("INFOPOLE cluster TIC", "Infopôle Cluster TIC", "Infopôle cluster TIC")
    (infopole,) = {node for name in spellings for node in nodes_named(nodes, name)}
    assert set(spellings) <= nodes[infopole]


def test_the_json_beside_them_is_left_out_with_a_note(infopole_store):
    _, output = infopole_store
    assert "expected.json: not an Evaluation record" in output


def test_second_build_redoes_nothing(infopole_store, tmp_path):
    store, _ = infopole_store
    lines: list[str] = []
    ctx, plan = build([INFOPOLE], store, reporter=Reporter("human", echo=lines.append))
    assert not ctx.failures and ctx.changed == set()
    assert ctx.cache.misses == 0 and ctx.cache.hits >= 2
    assert [step.name for step, _ in plan.steps] == [
        "miner.extract.v1",
        "miner.cycles.v1",
        "miner.graph.v1",
        "miner.organisations.v1",
        "miner.network.v1",
    ]


def test_skip_leaves_the_organisations_out(tmp_path, shared):
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(EVAL_PDF), "--store", str(store), "--skip", "organisations,network"])
    assert result.exit_code == 0, result.output
    graphs = [str(g.value) for g in open_store(store, read_only=True).named_graphs()]
    assert graphs and not [g for g in graphs if g.endswith("/organisations")]
    # only the evaluator and commissioner the report's metadata names
    assert nodes_named(labels_by_node(store), "AWEX") == set()
    assert run_query(
        open_store(store, read_only=True),
        "PREFIX miner: <https://w3id.org/miner/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a miner:Constat } }",
    ).values() == [(29,)]
    assert not (tmp_path / "network.html").exists()


def test_unknown_part_to_skip_lists_the_known_ones(tmp_path):
    result = runner.invoke(app, ["build", str(EVAL_PDF), "--store", str(tmp_path / "s"), "--skip", "tags"])
    assert result.exit_code == 2 and "organisations, members, activities, compare, network" in result.output


def test_a_named_file_of_no_kind_fails_alone(tmp_path, shared):
    stray = tmp_path / "notes.json"
    stray.write_text('{"title": "not an evaluation"}', encoding="utf-8")
    result = runner.invoke(
        app, ["build", str(stray), str(EVAL_PDF), "--store", str(tmp_path / "store"), "--skip", "organisations,network"]
    )
    assert result.exit_code == 1
    assert "notes.json: not an Evaluation record" in result.output
    assert "synthese.pdf: evaluation" in result.output


@pytest.mark.parametrize(
    "columns, kind",
    [
        (["nom", "type", "code_postal", "commune", "numero_bce"], Kind.MEMBERS),
        (["Raison sociale", "BCE"], Kind.MEMBERS),
        (["Date", "Activité", "Lieu", "Partenaires"], Kind.ACTIVITIES),
        (["Réf.", "Description"], Kind.ACTIVITIES),
    ],
)
def test_lists_are_told_apart_by_their_header(columns, kind):
    assert recognise_table(Path("list.csv"), columns)[0] is kind


@pytest.mark.parametrize(
    "columns, says",
    [
        (["Nom", "Code postal", "Description"], "both a member list"),
        (["Nom", "Commune"], "neither a member list"),
        ([], "columns found: none"),
    ],
)
def test_a_header_of_both_or_neither_kind_is_refused(columns, says):
    with pytest.raises(InputError, match=says):
        recognise_table(Path("list.csv"), columns)


def test_short_name_is_the_clusters_first_word():
    assert short_name("INFOPOLE cluster TIC") == "infopole"


def test_a_cycle_that_does_not_parse_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        build([EVAL_PDF], tmp_path / "store", cycle="septennat")


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory):
    """The sample corpus as `make demo` builds it: two evaluations, an activity report, the
    fictitious objective contract and its mid-term evaluation in one folder, a member list in
    another (its cluster and cycle come from the evaluations)."""
    root = tmp_path_factory.mktemp("demo")
    for sub in ("pdf", "members"):
        (root / sub).mkdir()
    for pdf in [
        *SAMPLE.glob("pdf/evaluation-chanvrelia-*.pdf"),
        *SAMPLE.glob("pdf/evaluation-mi-parcours-chanvrelia-*.pdf"),
        *SAMPLE.glob("pdf/contrat-chanvrelia-*.pdf"),
        *SAMPLE.glob("pdf/activites-*.pdf"),
    ]:
        shutil.copy(pdf, root / "pdf" / pdf.name)
    for csv in SAMPLE.glob("members/*.csv"):
        shutil.copy(csv, root / "members" / csv.name)
    lines: list[str] = []
    ctx, plan = build(
        [root / "pdf", root / "members"], root / "graphs" / "store", reporter=Reporter("human", echo=lines.append)
    )
    return root, ctx, plan, lines


def test_demo_corpus_kinds_and_outputs(demo_build):
    root, ctx, plan, _ = demo_build
    assert not ctx.failures, ctx.failures
    assert sorted((i.path.name, i.kind) for i in plan.inputs) == [
        ("activites-chanvrelia-2024.pdf", Kind.ACTIVITIES),
        ("contrat-chanvrelia-2024.pdf", Kind.INDICATORS),
        ("evaluation-chanvrelia-2021.pdf", Kind.EVALUATION),
        ("evaluation-chanvrelia-2025.pdf", Kind.EVALUATION),
        ("evaluation-mi-parcours-chanvrelia-2026.pdf", Kind.INDICATORS),
        ("membres-chanvrelia-2025.csv", Kind.MEMBERS),
    ]
    assert (root / "graphs" / "compare-chanvrelia.html").is_file()
    assert (root / "graphs" / "network.html").is_file()
    members = [p for s, p in plan.steps if s.name == "miner.members.v1"]
    assert [(p.cluster, p.cycle) for p in members] == [("CHANVRELIA cluster des éco-matériaux", "triennat-7")]


def test_demo_store_holds_members_activities_and_tags(demo_build):
    root, *_ = demo_build
    store = open_store(root / "graphs" / "store", read_only=True)
    prefixes = "PREFIX org: <http://www.w3.org/ns/org#> PREFIX miner: <https://w3id.org/miner/ontology#> "
    memberships = run_query(store, prefixes + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?m a org:Membership } }")
    assert memberships.values() == [(96,)]
    activities = run_query(
        store, prefixes + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a miner:ClusterActivity } }"
    )
    assert activities.values() == [(26,)]


def test_demo_rebuild_is_incremental(demo_build):
    root, _, _, first = demo_build
    lines: list[str] = []
    again, _ = build(
        [root / "pdf", root / "members"], root / "graphs" / "store", reporter=Reporter("human", echo=lines.append)
    )
    assert not again.failures and again.changed == set()
    assert again.cache.misses == 0
    # what a step loads is either read from the cache or the first build's line said again
    assert not any("triples into" in line and "(cached)" not in line and line not in first for line in lines), lines


STAGES = (
    "spacy",
    "torch",
    "sentence_transformers",
    "networkx",
    "miner.extract.evaluation",
    "miner.extract.indicators",
    "miner.extract.organisations",
    "miner.extract.members",
    "miner.read.activities",
    "miner.store.load",
    "miner.tag.classify",
    "miner.compare.comparison",
    "miner.network.network",
)
"""What the steps' work needs (the readers, spaCy and the encoder, the graph builders, the comparison and the
network page): none of it is imported by a re-build of unchanged inputs. (The PDF layer's module is: its
layout settings are part of what a record read before is remembered under.)"""

REBUILD = """
import json, sys
from pathlib import Path
import miner.read.isolate as isolate
reads = []
real = isolate.run_isolated
isolate.run_isolated = lambda *a, **k: reads.append(a) or real(*a, **k)
from miner.pipeline.build import build
from miner.pipeline.progress import Reporter
lines = []
ctx, plan = build([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), reporter=Reporter("human", echo=lines.append))
print(json.dumps({"reads": len(reads), "failures": [f.reason for f in ctx.failures], "lines": lines,
                  "kinds": sorted((i.path.name, i.kind.value) for i in plan.inputs),
                  "imported": sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "torch", "sentence_transformers",
                                                                                  "networkx") or m.startswith("miner."))}))
"""


def test_an_unchanged_rebuild_runs_no_stage_code(demo_build):
    """Structural, not timed: a fresh process re-building the unchanged demo reads no file in the
    isolated reader and imports none of the stage code (spaCy, the PDF reader, the tagger, the
    comparison, the network page), yet says what each input is and what each step holds."""
    root, _, first, first_lines = demo_build
    run = subprocess.run(
        [sys.executable, "-c", REBUILD, str(root / "graphs" / "store"), str(root / "pdf"), str(root / "members")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=scaled(60),
    )
    assert run.returncode == 0, run.stderr
    again = json.loads(run.stdout.splitlines()[-1])
    assert again["failures"] == [] and again["reads"] == 0
    assert not set(STAGES) & set(again["imported"]), sorted(set(STAGES) & set(again["imported"]))
    assert again["kinds"] == sorted([i.path.name, i.kind.value] for i in first.inputs)
    said = [
        line for line in again["lines"] if "triples" in line or "organisations" in line or "criteria aligned" in line
    ]
    assert said and all(line in first_lines for line in said)


def test_saved_queries_answer_on_the_demo_store_as_before(demo_build):
    root, *_ = demo_build
    store = open_store(root / "graphs" / "store", read_only=True)
    answers = {
        q.name: re.sub(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?", "<time>", format_result(run_query(store, q.text, max_rows=None), "csv")
        ).splitlines()
        for q in saved_queries()
    }
    if REGENERATE:
        ANSWERS.write_text(json.dumps(answers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(ANSWERS.read_text(encoding="utf-8"))
    assert sorted(answers) == sorted(expected)
    for name, lines in expected.items():
        assert answers[name] == lines, name


def test_the_regenerate_switch_is_off():
    assert not REGENERATE, "MINER_REGENERATE_ANSWERS=1 rewrites the expected answers; unset it for a real run"


def test_a_limit_met_while_telling_a_kind_is_not_remembered(tmp_path, monkeypatch):
    """A file's kind is remembered by its content, but not a time limit met on a loaded machine."""
    import miner.read.activities as lists
    from miner.errors import InputError as Refused

    table = tmp_path / "in" / "membres.csv"
    table.parent.mkdir()
    table.write_text("nom,code_postal\nFibre SA,5000\n", encoding="utf-8")
    real = lists.read_table
    monkeypatch.setattr(
        lists, "read_table", lambda path, **kw: (_ for _ in ()).throw(Refused(path, "timed out after 1 s"))
    )
    first, _ = build([table], tmp_path / "graphs" / "store", skip=["network", "compare"])
    assert [f.reason for f in first.failures] == ["timed out after 1 s"]  # the file is named once, by the line
    monkeypatch.setattr(lists, "read_table", real)
    again, plan = build([table], tmp_path / "graphs" / "store", skip=["network", "compare"])
    assert [i.kind for i in plan.inputs] == [Kind.MEMBERS]


def test_a_failed_input_is_named_once_on_its_line(tmp_path):
    """An error about the input itself gives its reason alone to the report, which names the file; an
    error about another file keeps its whole message (the other file's name)."""
    from miner.errors import InputError, MinerError, reason_of

    bad = tmp_path / "liste.csv"
    assert reason_of(InputError(bad, "no header row"), bad) == "no header row"
    assert (
        reason_of(InputError(tmp_path / "other.csv", "no header row"), bad)
        == f"{tmp_path / 'other.csv'}: no header row"
    )
    assert reason_of(MinerError("the store is locked"), bad) == "the store is locked"
