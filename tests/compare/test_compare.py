"""miner compare: the two CHANVRELIA cycles and the INFOPOLE fictitious 2021 vs the real 2025 report,
against the on-purpose differences written down in corpora/sources/EXPECTED-CHANGES*.md."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import EVAL_PDF, ROOT

from miner.compare.align import AlignSettings, calibrate_threshold, read_pairs
from miner.compare.comparison import compare_refs, write_comparison
from miner.errors import UsageError
from miner.records import Judgement

SOURCES = ROOT / "corpora" / "sources"
PDF = ROOT / "corpora" / "pdf"


def expected(name: str) -> dict:
    text = (SOURCES / name).read_text(encoding="utf-8")
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))


@pytest.fixture(scope="module")
def chanvrelia():
    # given latest first on purpose: A must come out as the earlier cycle
    return compare_refs(PDF / "evaluation-chanvrelia-2025.pdf", PDF / "evaluation-chanvrelia-2021.pdf")


@pytest.fixture(scope="module")
def infopole(shared):
    return compare_refs(PDF / "evaluation-infopole-2021-fictif.pdf", EVAL_PDF)


def check_criteria_and_deltas(comparison, facts):
    al = comparison.alignment
    judgements = facts["judgements"]
    pairs = {m.a: (m.b, m.method) for m in al.criteria}
    renamed = {r["id"] for r in facts["renamed"]}
    for cid, (before, _after) in judgements.items():
        if before is None:
            assert cid in al.unmatched_b and cid not in pairs.values()
            continue
        assert pairs[cid] == (cid, "semantic" if cid in renamed else "theme"), cid
    assert al.unmatched_a == [] and al.unmatched_b == facts["only_2025"]
    for delta in al.deltas:
        before, after = judgements[delta.a]
        assert (delta.judgement_a, delta.judgement_b) == (before, after)
        assert delta.steps == Judgement(after).rank - Judgement(before).rank
    semantic = [m for m in al.criteria if m.method == "semantic"]
    assert len(semantic) == 1 and semantic[0].score >= AlignSettings().criterion_threshold


def check_constats(comparison, facts, *, misses_allowed: int, extras_allowed: int):
    """Constat matching is statistical: at most a known number of misses and extra pairs."""
    al = comparison.alignment
    want = {**facts["constats"]["recurring"], **facts["constats"]["resolved"]}
    got = {m.a: m.b for m in al.recurring + al.resolved}
    missed = {a: b for a, b in want.items() if got.get(a) != b}
    extra = {a: b for a, b in got.items() if want.get(a) != b}
    assert len(missed) <= misses_allowed, missed
    assert len(extra) <= extras_allowed, extra
    resolved = {m.a: m.b for m in al.resolved}
    for a, b in resolved.items():
        assert facts["constats"]["resolved"].get(a) == b, (a, b)  # no recurring finding called resolved
    for a in facts["constats"]["recurring"]:
        assert a not in resolved, a


def test_chanvrelia_cycles(chanvrelia):
    facts = expected("EXPECTED-CHANGES.md")
    assert (chanvrelia.a.cycle, chanvrelia.b.cycle) == ("6e triennat", "7e triennat")
    assert chanvrelia.notes[0].startswith("The two evaluations were given latest first")
    check_criteria_and_deltas(chanvrelia, facts)
    counts = chanvrelia.alignment.counts()
    assert (counts["improved"], counts["same"], counts["declined"]) == (7, 7, 2)
    check_constats(chanvrelia, facts, misses_allowed=1, extras_allowed=1)
    assert {m.a: m.b for m in chanvrelia.alignment.resolved} == facts["constats"]["resolved"]


def test_chanvrelia_members_and_indicators(chanvrelia):
    facts = expected("EXPECTED-CHANGES.md")["members"]
    stated = {
        (r["cycle"], r["value"]) for r in chanvrelia.timeline if r["measure"] == "members" and r["status"] == "actual"
    }
    assert stated == {("6e triennat", facts["2021"]["total"]), ("7e triennat", facts["2025"]["total"])}
    derived = {(r["cycle"], r["value"]) for r in chanvrelia.timeline if r["status"] == "derived"}
    assert ("6e triennat", 77.0) in derived  # 96 / 1.25, the 2021 figure
    growth = {(r["cycle"], r["value"], int(r["page"])) for r in chanvrelia.timeline if r["measure"] == "member_growth"}
    assert growth == {("6e triennat", 10.0, 2), ("7e triennat", 25.0, 2)}
    targets = {(r["cycle"], r["value"]) for r in chanvrelia.indicators if r["status"] == "target"}
    assert targets == {("6e triennat", 25.0), ("7e triennat", 35.0)}


def test_infopole_fictitious_2021_against_the_real_2025(infopole):
    facts = expected("EXPECTED-CHANGES-infopole.md")
    assert (infopole.a.fictitious, infopole.b.fictitious) == (True, False)
    assert (infopole.a.cycle, infopole.b.cycle) == ("6e triennat", "7e triennat")
    check_criteria_and_deltas(infopole, facts)
    counts = infopole.alignment.counts()
    assert (counts["improved"], counts["same"], counts["declined"]) == (6, 9, 2)
    check_constats(infopole, facts, misses_allowed=2, extras_allowed=0)
    members = {(r["cycle"], r["status"], r["value"], r["file"]) for r in infopole.timeline if r["measure"] == "members"}
    assert ("6e triennat", "actual", 122.0, "evaluation-infopole-2021-fictif.pdf") in members
    assert ("6e triennat", "derived", 122.0, EVAL_PDF.name) in members  # 183 / 1.5 agrees with 2021
    assert ("7e triennat", "actual", 183.0, EVAL_PDF.name) in members


def test_report_html_and_markdown(infopole, tmp_path):
    html = write_comparison(infopole, tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert 'class="banner fictitious" data-side="a"' in html
    assert html.count('data-side="a" data-id=') == 17 and html.count('data-side="b" data-id=') == 18
    assert re.search(r'href="[^"]*evaluation-infopole-2025-synthese\.pdf#page=2"', html)  # the +50 % constat
    assert 'id="members-chart"' in html and 'data-value="183"' in html and 'data-derived="true"' in html
    md = write_comparison(infopole, tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| 3 | Amélioration des réalisations (A : Suivi et évaluation des activités) |" in md
    with pytest.raises(UsageError, match=r"\.html, \.md or \.pdf, not \.docx"):
        write_comparison(infopole, tmp_path / "report.docx")


def test_two_clusters_same_cycle(shared):
    comparison = compare_refs(PDF / "evaluation-chanvrelia-2025.pdf", EVAL_PDF)
    assert not comparison.same_cluster and comparison.a.cycle == comparison.b.cycle == "7e triennat"
    assert {m.method for m in comparison.alignment.criteria} >= {"theme"}
    assert any(m.a == "4.3" and m.b == "4.3" for m in comparison.alignment.criteria)  # Communication in both


def _evaluation(cluster: str, themes: list[tuple[str, str]], ordinal_word: str = "septième"):
    from miner.records import Constat, Criterion, Evaluation, Metadata, Question, SourceInfo

    criteria = [
        Criterion(id=f"1.{i}", theme=t, criterion=c, judgement=Judgement.PARTIEL, constats=[i], pages=[2])
        for i, (t, c) in enumerate(themes, 1)
    ]
    constats = [
        Constat(
            number=i,
            text=f"{c} Au cours de son {ordinal_word} triennat, rien à signaler.",
            question=1,
            criteria=[f"1.{i}"],
            pages=[2],
        )
        for i, (_, c) in enumerate(themes, 1)
    ]
    return Evaluation(
        source=SourceInfo(path=f"{cluster}.pdf", sha256=(cluster.encode().hex() * 64)[:64], pages=3),
        metadata=Metadata(cluster=cluster),
        questions=[Question(number=1, text="Les élèves mangent-ils mieux ?", criteria=criteria, pages=[2])],
        constats=constats,
    )


def test_nothing_alignable_says_so(chanvrelia, tmp_path):
    canteens = _evaluation(
        "Cantines scolaires",
        [
            ("Menus équilibrés", "Les repas servis aux élèves suivent les recommandations nutritionnelles."),
            ("Produits de saison", "Les cuisines achètent des légumes de saison à des maraîchers proches."),
            ("Gaspillage", "Les restes des assiettes sont pesés chaque semaine pour réduire le gaspillage."),
        ],
    )
    comparison = compare_refs(canteens, PDF / "evaluation-chanvrelia-2025.pdf")
    assert comparison.alignment.nothing_alignable
    assert any(n.startswith("Nothing alignable") for n in comparison.notes)
    html = write_comparison(comparison, tmp_path / "none.html").read_text(encoding="utf-8")
    assert 'id="nothing-alignable"' in html and "Rien d'alignable" in html


def test_missing_cycle_asks_for_the_flag():
    undated = _evaluation("Cluster sans cycle", [("Gouvernance", "Les organes décident.")], ordinal_word="dernier")
    with pytest.raises(UsageError, match="give it with --cycle-a triennat-N"):
        compare_refs(undated, PDF / "evaluation-chanvrelia-2025.pdf")
    comparison = compare_refs(undated, PDF / "evaluation-chanvrelia-2025.pdf", cycle_a="triennat-7")
    assert comparison.a.cycle == "7e triennat" and comparison.a.source == "pipeline"


def test_calibration_figures():
    result = calibrate_threshold(read_pairs())
    assert (result.pairs, result.positives) == (40, 18)
    assert result.low <= AlignSettings().criterion_threshold <= result.high
    assert result.f1 >= 0.69 and result.recall >= 0.9


def test_markdown_report_names_both_cycles_and_every_aligned_criterion(chanvrelia):
    from miner.compare.report import render_markdown, title_of

    text = render_markdown(chanvrelia)
    assert title_of(chanvrelia) in text
    for match in chanvrelia.alignment.criteria:
        if match.a is not None:
            assert chanvrelia.a.criterion(match.a).theme in text
