"""Pipeline runner: content-hash cache, failures per document, reporting modes."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from miner.cli.app import app
from miner.pipeline.progress import Reporter
from miner.pipeline.runner import load_pipeline, run_pipeline

PIPELINE = """name: t
inputs: ["docs/*.pdf"]
store: out/store
out: out
steps:
  - step: miner.extract.v1
  - step: miner.outline.v1
"""


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "docs").mkdir()
    for pdf in sorted((ROOT / "corpora" / "pdf").glob("evaluation-chanvrelia-*.pdf")):
        shutil.copy(pdf, tmp_path / "docs" / pdf.name)
    (tmp_path / "pipelines").mkdir()
    path = tmp_path / "pipelines" / "t.yaml"
    path.write_text(PIPELINE)
    return path


def run(path, **kw):
    return run_pipeline(load_pipeline(path), reporter=Reporter("quiet"), **kw)


def test_second_run_hits_the_cache(project):
    first = run(project)
    assert first.cache.misses == 2 and first.cache.hits == 0
    second = run(project)
    assert second.cache.hits == 2 and second.cache.misses == 0
    assert [e.model_dump() for e in first.evaluations] == [e.model_dump() for e in second.evaluations]
    assert second.changed == set()
    forced = run(project, force=True)
    assert forced.cache.hits == 0


def test_changed_document_is_redone_and_corrupt_entry_is_a_miss(project):
    run(project)
    entries = sorted((project.parent.parent / "out" / "cache" / "miner.extract.v1").glob("*.json"))
    assert len(entries) == 2
    entries[0].write_text('{"truncated": ')  # an interrupted write of an older miner
    again = run(project)
    assert again.cache.hits == 1 and again.cache.misses == 1
    assert len(again.evaluations) == 2


def test_failing_document_does_not_stop_the_others(project):
    (project.parent.parent / "docs" / "zz-broken.pdf").write_bytes(b"%PDF-1.7 broken")
    ctx = run(project)
    assert len(ctx.evaluations) == 2
    assert [(f.path.endswith("zz-broken.pdf"), f.step) for f in ctx.failures] == [(True, "miner.extract.v1")]


def test_log_json_events(project):
    result = CliRunner().invoke(app, ["run", str(project), "--log-json"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "step" and kinds[-1] == "summary"
    assert events[-1]["failures"] == []


def test_unchanged_documents_are_not_reloaded_and_a_new_store_is_filled(project):
    project.write_text(PIPELINE + "  - step: miner.graph.v1\n")
    first = run(project)
    assert len(first.graph) == 2
    second = run(project)
    assert second.graph == []  # both documents unchanged and their graphs present
    shutil.rmtree(project.parent.parent / "out" / "store")
    third = run(project)
    assert len(third.graph) == 2  # a rebuilt store is never taken for the old one


@pytest.mark.long
def test_a_graph_loaded_after_the_comparison_leaves_it_remembered(project):
    """The demo's shape: compare, then annotate loads the activity graph. The comparison does not read
    that graph, so a re-run replays every step (the re-run costs a few % of the cold run)."""
    shutil.copy(ROOT / "corpora" / "pdf" / "activites-chanvrelia-2024.pdf", project.parent.parent / "docs")
    project.write_text("""name: t
inputs: ["docs/*.pdf"]
store: out/store
out: out
steps:
  - step: miner.extract.v1
    params: {pattern: "evaluation-*.pdf"}
  - step: miner.graph.v1
  - step: miner.compare.v1
    params: {a: "evaluation-chanvrelia-2021.pdf", b: "evaluation-chanvrelia-2025.pdf", out: c.html}
  - step: miner.annotate.v1
    params: {pattern: "activites-*.pdf", cluster: CHANVRELIA cluster des éco-matériaux}
""")
    first = run(project)
    assert not first.failures and first.cache.misses > 0
    second = run(project)
    assert not second.failures
    assert second.cache.misses == 0, "a step was redone on an unchanged corpus"


def test_a_pipeline_that_queries_before_loading_is_refused(tmp_path):
    """Store-reading steps require ``graph``, which only loading steps assign."""
    from miner.errors import UsageError
    from miner.pipeline.runner import load_pipeline

    path = tmp_path / "p" / "early.yaml"
    path.parent.mkdir()
    path.write_text(
        "name: x\nsteps:\n  - step: miner.extract.v1\n  - step: miner.query.v1\n"
        "    params: {queries: [count_constats]}\n  - step: miner.graph.v1\n"
    )
    with pytest.raises(UsageError, match=r"line 4 step miner.query.v1 requires graph, which no earlier step assigns"):
        load_pipeline(path)
    path.write_text(
        "name: x\nsteps:\n  - step: miner.extract.v1\n  - step: miner.graph.v1\n"
        "  - step: miner.query.v1\n    params: {queries: [count_constats]}\n"
    )
    assert [spec.name for spec, _ in load_pipeline(path).steps] == [
        "miner.extract.v1",
        "miner.graph.v1",
        "miner.query.v1",
    ]


def test_a_step_naming_an_unknown_product_is_refused_at_registration():
    from miner.pipeline.registry import step

    with pytest.raises(RuntimeError, match="unknown products"):
        step("miner.test-bad.v1", requires=("evaluatons",))(lambda ctx, params: None)


def with_layout(project, layout):
    project.write_text(
        PIPELINE.replace(
            "  - step: miner.extract.v1\n", f"  - step: miner.extract.v1\n    params: {{layout: {layout}}}\n"
        )
    )


def test_layout_overrides_reach_the_reader_and_key_the_cache(project):
    from miner.extract.evaluation import extract_batch

    cached = project.parent.parent / "out" / "cache" / "miner.extract.v1"
    default = run(project)
    assert len(default.evaluations) == 2 and not default.failures
    with_layout(project, "{max_pages: 1}")
    small = run(project)
    assert small.cache.hits == 0 and small.evaluations == []
    assert len(small.failures) == 2 and all(
        "too large: " in f.reason and "(limit 1)" in f.reason for f in small.failures
    )
    # the key holds the settings as resolved: an override equal to the default is the default
    # (6 for 6.0 too), another value makes new entries, which hit again however it is written
    with_layout(project, "{min_gutter: 6}")
    assert run(project).cache.hits == 2
    with_layout(project, "{min_gutter: 7}")
    assert run(project).cache.misses == 2 and len(list(cached.glob("*.json"))) == 4
    with_layout(project, "{min_gutter: 7.0}")
    assert run(project).cache.hits == 2
    # back to the defaults: the first run's results are found again
    project.write_text(PIPELINE)
    assert run(project).cache.hits == 2
    # the batch API takes them too
    [(_path, evaluation, error)] = extract_batch([default.inputs[0]], layout={"max_pages": 1})
    assert evaluation is None and "too large: " in error


def test_an_unknown_layout_setting_is_refused_when_the_file_is_loaded(project):
    from miner.errors import UsageError

    with_layout(project, "{heading_ratio: 1.3}")
    with pytest.raises(UsageError, match=r"t.yaml: line 6 layout: no setting 'heading_ratio'. Known: margin_band"):
        load_pipeline(project)
    with_layout(project, "{tables: {column_tolerance: wide}}")
    with pytest.raises(UsageError, match=r"layout.tables.column_tolerance: expected float, got 'wide'"):
        load_pipeline(project)


def test_the_extract_key_holds_every_declared_default():
    """Defaults are declared in the classes: an edit of one must void cached results like an override,
    so the key holds every layout and OCR heuristic resolved, nested sections included."""
    import dataclasses

    from miner.pipeline.steps.documents import ExtractParams, reading_settings
    from miner.read.pdf import LayoutSettings

    key = reading_settings(ExtractParams())
    assert key["layout"] == dataclasses.asdict(LayoutSettings())
    assert key["layout"]["tables"]["column_tolerance"] == LayoutSettings().tables.column_tolerance
    assert "image" in key["ocr"] and key["ocr"]["mode"] == "auto" and "jobs" not in key["ocr"]
    assert reading_settings(ExtractParams(layout={"min_gutter": 7})) != key
    assert reading_settings(ExtractParams(ocr="never")) != key
