"""miner.annotate.v1: activity lists classified, linked to the store's constats, loaded, cached."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from miner.pipeline.progress import Reporter
from miner.pipeline.runner import load_pipeline, run_pipeline
from miner.pipeline.steps.annotate import constats_in_store
from miner.rdf.activities import link_slug
from miner.store.local import open_store, run_query

CLUSTER = "CHANVRELIA cluster des éco-matériaux"
PIPELINE = f"""name: t
inputs: ["docs/*.pdf", "docs/*.csv"]
store: out/store
out: out
steps:
  - step: miner.extract.v1
  - step: miner.graph.v1
  - step: miner.annotate.v1
    params:
      cluster: {CLUSTER}
"""
ACTIVITIES = (
    "id,description\n"
    "A1,Webinaire d'échange de bonnes pratiques avec une grappe d'entreprises française des éco-matériaux.\n"
    'A2,"Stand collectif de six membres au salon Batibouw, monté avec l\'AWEX."\n'
    "A3,   \n"
)
PREFIX = "PREFIX miner: <https://w3id.org/miner/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("annotate")
    (root / "docs").mkdir()
    shutil.copy(ROOT / "corpora" / "pdf" / "evaluation-chanvrelia-2025.pdf", root / "docs")
    (root / "docs" / "activites-test.csv").write_text(ACTIVITIES, encoding="utf-8")
    (root / "pipelines").mkdir()
    path = root / "pipelines" / "t.yaml"
    path.write_text(PIPELINE, encoding="utf-8")
    run_pipeline(load_pipeline(path), reporter=Reporter("quiet"))
    return path


def select(path, text):
    store = open_store(path.parent.parent / "out" / "store", read_only=True)
    return [tuple(v.value if v is not None else None for v in row) for row in run_query(store, PREFIX + text).rows]


def test_activities_are_classified_and_loaded(project):
    rows = select(
        project,
        "SELECT ?act (GROUP_CONCAT(STR(?axis); separator=' ') AS ?axes) WHERE "
        "{ ?act a miner:ClusterActivity ; miner:servesAxis ?axis } GROUP BY ?act ORDER BY ?act",
    )
    assert [r[0].rsplit("/", 1)[-1] for r in rows] == ["a1", "a2"]  # the empty row is left out
    axes = {r[0].rsplit("/", 1)[-1]: {a.rsplit("/", 1)[-1] for a in r[1].split()} for r in rows}
    assert "5" in axes["a1"] and {"4", "6"} <= axes["a2"]


def test_activities_link_to_constats_of_their_cluster_with_provenance(project):
    links = select(
        project,
        "SELECT ?act ?k ?score WHERE { ?act miner:bearsOnConstat ?k . ?l a miner:ConstatLink ; "
        "<http://www.w3.org/ns/oa#hasTarget> ?act ; <http://purl.org/dc/terms/relation> ?k ; miner:score ?score }",
    )
    assert links and all("/chanvrelia-cluster-des-eco-materiaux/" in k for _, k, _ in links)
    assert all(0.5 <= float(s) <= 1 for _, _, s in links)
    agents = select(
        project,
        "SELECT ?v WHERE { ?act a miner:ClusterActivity ; prov:wasGeneratedBy ?run . "
        "?run prov:wasAssociatedWith ?agent . ?agent miner:softwareVersion ?v } ",
    )
    versions = {v for (v,) in agents}
    assert len(versions) == 2  # miner's version and the axis model's


def test_constats_get_a_polarity_and_axes(project):
    rows = select(project, "SELECT ?k ?p WHERE { ?k a miner:Constat ; miner:polarity ?p }")
    assert len(rows) == 26 and {p for _, p in rows} <= {"positive", "negative", "mixed"}
    assert int(select(project, "SELECT (COUNT(*) AS ?n) WHERE { ?k miner:constatAxis ?a }")[0][0]) > 0


def test_constats_of_another_cluster_are_not_candidates():
    store = open_store(None)
    assert constats_in_store(store) == []
    assert link_slug("https://x/cluster/c/triennat-7/constat/3", 3) == "triennat-7-3"
    assert link_slug("3", 3) == "3"


def test_unchanged_input_is_served_from_the_cache_without_spacy_or_torch(project):
    code = (
        "import sys\n"
        "from miner.pipeline.runner import load_pipeline, run_pipeline\n"
        "from miner.pipeline.progress import Reporter\n"
        f"ctx = run_pipeline(load_pipeline({str(project)!r}), reporter=Reporter('quiet'))\n"
        "print(ctx.cache.hits, ctx.cache.misses, 'spacy' in sys.modules, 'torch' in sys.modules, len(ctx.activity_graphs))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    hits, misses, *rest = out
    assert int(hits) >= 2 and misses == "0"  # the report's extraction and the activity list
    assert rest == ["False", "False", "1"]


def test_activities_by_axis_counts_the_annotated_activities(project):
    from miner.store.local import query_df

    store = open_store(project.parent.parent / "out" / "store", read_only=True)
    df = query_df("activities_by_axis", store)
    assert list(df.axis) == ["1", "2", "3", "4", "5", "6"]
    assert sum(df.activities) >= 2 and df.activities[df.axis == "5"].item() >= 1
