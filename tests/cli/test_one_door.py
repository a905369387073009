"""`miner cycles` and `miner organisations` read their files through the registered steps and the
one runner (the extract step's isolated reader for PDFs), and write nothing beside them."""

from __future__ import annotations

import pytest
from evalfixture import evaluation_from_expected

import miner.pipeline.build as build_module
from miner.cli.cycles import cycles_report
from miner.cli.organisations import organisations_report
from miner.extract.organisations import Organisation, OrganisationIndex


@pytest.fixture
def runs(monkeypatch):
    """The step names each run of the runner was given."""
    seen: list[list[str]] = []
    run_steps = build_module.run_steps

    def spy(ctx, steps):  # noqa: ANN001, ANN202
        seen.append([spec.name for spec, _ in steps])
        return run_steps(ctx, steps)

    monkeypatch.setattr(build_module, "run_steps", spy)
    return seen


@pytest.fixture
def record(tmp_path):
    """The shared report's record cut to its first constats: the route is tested, not the reading."""
    evaluation = evaluation_from_expected()
    evaluation = evaluation.model_copy(update={"constats": evaluation.constats[:3], "blocks": []})
    path = tmp_path / "in" / "evaluation.json"
    path.parent.mkdir()
    path.write_text(evaluation.model_dump_json(), encoding="utf-8")
    return path


def test_cycles_runs_registered_steps(runs, record, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    missing = tmp_path / "absent.pdf"
    assert cycles_report([record, missing], echo=lines.append) == 1
    assert runs == [["miner.extract.v1", "miner.records.v1", "miner.cycles.v1"]]
    assert "7e triennat" in lines[0]
    assert f"error: {missing}:" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no cache, no outputs, no store


def test_organisations_runs_registered_steps(runs, record, tmp_path, monkeypatch):
    """What the step found is what the command prints (the finding itself, spaCy's, is tested in extract/)."""
    found = OrganisationIndex(
        organisations={"a": Organisation(key="a", name="Agence Test", type="agence publique")}, warnings=["one warning"]
    )
    monkeypatch.setattr("miner.extract.organisations.organisations_of_evaluation", lambda evaluation, nlp: found)
    monkeypatch.setattr("miner.nlp.french.get_entity_nlp", lambda: None)  # the step's spaCy: not needed here
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    assert organisations_report([record], echo=lines.append) == 0
    assert runs == [["miner.extract.v1", "miner.records.v1", "miner.cycles.v1", "miner.organisations.v1"]]
    assert lines[0].endswith(": 1 organisations, 0 relations")
    assert "Agence Test" in lines[1] and lines[-1] == "  warning: one warning"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
