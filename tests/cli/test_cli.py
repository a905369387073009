"""The command line: exit codes, batch behaviour, help texts and README entries."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import EVAL_PDF, ROOT
from typer.testing import CliRunner

from miner.cli.app import app

runner = CliRunner()


def test_extract_one_file_json_on_stdout(shared):
    result = runner.invoke(app, ["extract", str(EVAL_PDF)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"source", "metadata", "questions", "constats", "blocks"}
    assert data["source"]["pages"] == 9 and len(data["source"]["sha256"]) == 64
    assert data["questions"][0]["criteria"][0]["constats"] == [1, 2, 3, 4, 5]
    assert {"kind", "page", "bbox", "text"} <= set(data["blocks"][0])


def test_extract_batch_goes_on_after_bad_files(tmp_path, shared):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(EVAL_PDF.read_bytes()[:5000])
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(bad), str(EVAL_PDF), str(truncated), "--out", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert f"error: {bad}: not a PDF file (no %PDF header)" in errors
    assert any(str(truncated) in e and "corrupt or truncated PDF" in e for e in errors)
    assert (out / f"{EVAL_PDF.stem}.json").exists()
    assert not (out / "broken.json").exists()


def test_extract_text_outline(shared):
    result = runner.invoke(app, ["extract", str(EVAL_PDF), "--format", "text"])
    assert result.exit_code == 0
    assert "5 questions, 18 criteria, 29 constats" in result.stdout


def test_usage_errors_exit_2(tmp_path, shared):
    assert runner.invoke(app, ["extract", str(EVAL_PDF), "--format", "yaml"]).exit_code == 2
    assert runner.invoke(app, ["extract", str(EVAL_PDF), str(EVAL_PDF)]).exit_code == 2
    pipeline = tmp_path / "p" / "bad.yaml"
    pipeline.parent.mkdir()
    pipeline.write_text("name: x\nsteps:\n  - step: miner.extract.v1\n  - step: miner.nope.v9\n")
    result = runner.invoke(app, ["run", str(pipeline)])
    assert result.exit_code == 2
    assert "line 4" in result.stderr and "no step named 'miner.nope.v9'" in result.stderr
    assert "Known steps:" in result.stderr


def test_pipeline_unknown_key_and_bad_param(tmp_path):
    from miner.errors import UsageError
    from miner.pipeline.runner import load_pipeline

    path = tmp_path / "p.yaml"
    path.write_text("name: x\nsteps:\n  - step: miner.extract.v1\n    params:\n      pattern: 3\n      colour: red\n")
    with pytest.raises(UsageError, match=r"line 3 step miner.extract.v1: parameter"):
        load_pipeline(path)
    path.write_text("name: x\nstpes: []\n")
    with pytest.raises(UsageError, match="stpes"):
        load_pipeline(path)


def test_every_command_has_help_and_readme_entry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert command.callback.__doc__, f"miner {name} has no help text"
        assert re.search(rf"miner {name}\b", readme), f"README has no entry for miner {name}"


def test_help_is_fast_and_light():
    code = "import sys, miner.cli.app; print(sorted(m for m in ('torch','spacy','sentence_transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_version_and_short_help():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0
        assert result.stdout.strip() == f"miner {version}"
    short, long = runner.invoke(app, ["-h"]), runner.invoke(app, ["--help"])
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and "query" in short.stdout
    sub = runner.invoke(app, ["query", "-h"])
    assert sub.exit_code == 0 and "--bind" in sub.stdout


def test_version_imports_no_heavy_module():
    from miner import __version__

    code = (
        "import sys, runpy; sys.argv = ['miner', '--version'];\n"
        "try:\n    runpy.run_module('miner', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('rich', 'typer.rich_utils', 'pyoxigraph', 'rdflib', 'networkx') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.splitlines() == [f"miner {__version__}", "[]"], done.stderr


def test_the_objects_a_command_leaves_are_not_collected_at_exit():
    """A build leaves spaCy's objects: the interpreter's last collections walked them for ~0.5 s of CPU."""
    code = (
        "import gc, sys, runpy; sys.argv = ['miner', '--version'];\n"
        "try:\n    runpy.run_module('miner', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "True", done.stderr
