"""The learned head's view of the parsed facts: named fact columns learnt from the training rows, and
thresholds calibrated on the rows the trusted rules leave to the head."""

from __future__ import annotations

import numpy as np

from miner.tag import axes as ax
from miner.tag.facts import Facts, Mention
from miner.tag.features import FACT_MARK, TextFeatures, design_blocks, design_spec, fact_names, fact_vocab
from miner.tag.modelfile import AxesModel
from miner.tag.rules import HINT, SETTLES, Verdict
from miner.tag.training import calibrate_thresholds, settled_matrix


def _row(formats=None, mentions=(), verdicts=(), own_words=(), lemmas=("salon",)) -> TextFeatures:
    facts = Facts("", "", list(mentions), dict(formats or {}), list(own_words))
    return TextFeatures(
        list(lemmas), {a: [] for a in ax.AXES}, [], wordvec=np.zeros(2), facts=facts, verdicts=list(verdicts)
    )


def _mention(type_: str, role: str, own: bool = False, joint: bool = False) -> Mention:
    return Mention("X", 0, 1, type_, "gazetteer", "", role, "", own, joint=joint)


def test_facts_name_the_format_by_its_place_the_body_by_its_role_and_every_verdict():
    row = _row(
        formats={"fair": ["salon"], "head:fair": ["salon"], "bare:study": ["étude"], "study": ["étude"], "talk": []},
        mentions=[
            _mention("chamber", "co-organiser", joint=True),
            _mention("university", "venue"),
            _mention("cluster", "organiser", own=True),
        ],
        verdicts=[Verdict("R8", 4, True, SETTLES, "salon"), Verdict("R9", 1, True, HINT, "")],
        own_words=["nos membres"],
    )
    names = {n.removeprefix(FACT_MARK) for n in fact_names(row)}
    assert {"head fair", "named fair", "bare study", "named study"} <= names
    assert "named talk" not in names  # a format with no words found is no fact
    assert {"org chamber active", "org chamber joint", "org university passive", "org any active"} <= names
    assert not any(n.startswith("org cluster") for n in names)  # the list's own cluster is the actor, not a counterpart
    assert {"own named", "own words", "rule R8+4 settles", "rule R9+1 leans"} <= names
    assert all(n.startswith(FACT_MARK) for n in fact_names(row))


def test_fact_columns_are_learnt_from_the_training_rows_and_follow_the_lemmas():
    fair = _row(formats={"head:fair": ["salon"]}, verdicts=[Verdict("R8", 4, True, SETTLES, "salon")])
    rows = [fair, fair, _row(formats={"head:training": ["formation"]})]
    assert fact_vocab(rows, 2) == [FACT_MARK + "head fair", FACT_MARK + "rule R8+4 settles"]
    settings = ax.AxesSettings(blocks=("lemmas", "facts"), min_df=2, fact_weight=0.5)
    spec = design_spec(rows, settings)
    assert spec["vocab"] == ["salon", *fact_vocab(rows, 2)] and len(spec["idf"]) == 1  # idf covers the lemmas
    blocks = design_blocks(rows, np.zeros((3, 2)), settings, **spec_args(spec))
    assert blocks["lemmas"].shape == (3, 1)
    assert blocks["facts"].tolist() == [[0.5, 0.5], [0.5, 0.5], [0.0, 0.0]]
    plain = design_spec(rows, ax.AxesSettings(blocks=("lemmas",), min_df=2))
    assert plain["vocab"] == ["salon"]  # without the block, no fact column


def spec_args(spec):
    return {k: spec[k] for k in ("hand_mean", "hand_scale", "vocab", "idf")}


def test_a_model_with_fact_columns_round_trips_through_its_file(tmp_path):
    fair = _row(formats={"head:fair": ["salon"]})
    rows = [fair, fair, _row(formats={"head:training": ["formation"]}, lemmas=("formation",))]
    settings = ax.AxesSettings(blocks=("lemmas", "facts"), min_df=1)
    spec = design_spec(rows, settings)
    width = len(spec["vocab"])
    model = AxesModel(
        version="t",
        settings=settings,
        coef=np.zeros((1, 6, width), np.float32),
        intercept=np.zeros((1, 6), np.float32),
        thresholds=np.full(6, 0.5, np.float32),
        examples=[],
        example_vectors=np.zeros((0, 2), np.float32),
        **spec,
    )
    back = AxesModel.load(model.save(tmp_path))
    assert back.vocab == spec["vocab"] and back.settings.blocks == ("lemmas", "facts")
    assert np.array_equal(back.matrix(rows, np.zeros((3, 2))), model.matrix(rows, np.zeros((3, 2))))


def test_settled_matrix_reads_the_trusted_verdicts_as_the_rules_settle():
    rows = [
        _row(verdicts=[Verdict("R8", 4, True, SETTLES, ""), Verdict("R0", 5, False, SETTLES, "")]),
        _row(verdicts=[Verdict("R8", 4, True, SETTLES, ""), Verdict("R12", 4, False, SETTLES, "")]),  # cancel out
        _row(verdicts=[Verdict("R9", 1, True, HINT, "")]),  # a lean settles nothing
    ]
    fixed = settled_matrix(rows, None)
    assert fixed[0].tolist() == [-1, -1, -1, 1, 0, -1]
    assert fixed[1].tolist() == [-1] * 6 and fixed[2].tolist() == [-1] * 6
    assert settled_matrix(rows, ["R0-5"])[0].tolist() == [-1, -1, -1, -1, 0, -1]  # untrusted R8 leaves 4 free


def test_thresholds_are_chosen_for_the_rows_the_head_decides():
    # axis 1: three rows a trusted rule settles on (rightly) score low; on all rows the threshold
    # would sink to catch them and let the free negatives in, on the free rows it parts them cleanly
    scores = np.array([[0.2], [0.2], [0.2], [0.4], [0.4], [0.6], [0.6]], dtype=np.float32)
    y = np.array([[1], [1], [1], [0], [0], [1], [1]])
    fixed = np.array([[1], [1], [1], [-1], [-1], [-1], [-1]], dtype=np.int8)
    everywhere = calibrate_thresholds(scores, y, floor=0.15)
    free = calibrate_thresholds(scores, y, floor=0.15, fixed=fixed)
    assert everywhere[0] <= 0.2 and 0.4 < free[0] <= 0.6
    picked = np.where(fixed[:, 0] < 0, scores[:, 0] >= free[0], fixed[:, 0] == 1)
    assert picked.tolist() == y[:, 0].astype(bool).tolist()  # every row right once the rules take theirs
