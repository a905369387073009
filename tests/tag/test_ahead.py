"""The encoder ahead of the tagging (issue 27): batches come back in order, an encoder error reaches
the caller, leaving early stops the thread, and classify's rows are what tagging the list in one
call gives, bit for bit."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import ROOT
from timeouts import scaled

from miner.read.activities import read_table, row_problems
from miner.tag import axes as ax
from miner.tag.ahead import EncoderAhead
from miner.tag.classify import TaggingBatches, classify_table


class Counting:
    """A stand-in encoder: one row per text (its length), counting the batches it was asked for."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.threads: set[str] = set()
        self.calls_of: list[int] = []
        """How many texts each call had."""

    def encode_batch(self, part: list[str]) -> np.ndarray:
        self.calls += 1
        self.calls_of.append(len(part))
        self.threads.add(threading.current_thread().name)
        if self.calls == self.fail_at:
            raise ValueError("the engine failed")
        return np.array([[float(len(t))] for t in part], dtype=np.float32)

    def get_sentence_embedding_dimension(self) -> int:
        return 1


def test_batches_come_back_in_order_from_the_encoders_own_thread():
    texts = ["x" * (i + 1) for i in range(10)]
    fake = Counting()
    with EncoderAhead(texts, 3, embedder=fake, ahead=1) as ahead:  # a queue of one: the thread waits for us
        got = [ahead.next().ravel().tolist() for _ in range(4)]
    assert got == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]
    assert fake.threads == {"miner-encoder-ahead"}


def test_ahead_the_encoder_takes_whole_batches_by_about_its_own_batch_size():
    """The first and last batches alone (the tagging starts at once and has one batch left at the
    end), between them calls of about BATCH_SIZE texts cut back into the caller's batches: fewer
    ends of calls where one encoder thread waits for the other."""
    from miner.nlp.embeddings import BATCH_SIZE

    texts = [f"t{i}" for i in range(300)]  # none repeats: embed encodes a repeated text once
    fake = Counting()
    with EncoderAhead(texts, 16, embedder=fake) as ahead:
        got = [ahead.next() for _ in range(-(-300 // 16))]
    assert [len(v) for v in got] == [16] * 18 + [12]
    assert np.vstack(got).ravel().tolist() == [float(len(t)) for t in texts]
    assert BATCH_SIZE == 64 and fake.calls_of == [16, 64, 64, 64, 64, 16, 12]


def test_with_no_batch_ahead_each_batch_is_encoded_in_turn_on_the_callers_thread():
    texts = ["x" * (i + 1) for i in range(7)]
    fake = Counting()
    with EncoderAhead(texts, 3, embedder=fake, ahead=0) as inline:
        assert fake.calls == 0  # nothing encoded before it is asked for
        first = inline.next().ravel().tolist()
        assert fake.calls == 1
        got = [first] + [inline.next().ravel().tolist() for _ in range(2)]
        with pytest.raises(RuntimeError, match="no more batches"):
            inline.next()
    assert got == [[1, 2, 3], [4, 5, 6], [7]]
    assert fake.threads == {threading.current_thread().name}


def test_an_encoder_error_is_raised_in_the_callers_thread_at_its_batch():
    fake = Counting(fail_at=2)
    with EncoderAhead(["a", "b", "c", "d"], 2, embedder=fake) as ahead:
        assert ahead.next().ravel().tolist() == [1, 1]
        with pytest.raises(ValueError, match="the engine failed"):
            ahead.next()


def test_leaving_early_stops_the_thread_and_asking_past_the_end_fails():
    fake = Counting()
    ahead = EncoderAhead([f"t{i}" for i in range(1000)], 1, embedder=fake, ahead=2)
    with ahead:
        ahead.next()
    assert not ahead._thread.is_alive() and sum(fake.calls_of) < 1000  # stopped, not run to the end
    failing = EncoderAhead(["t"] * 100, 1, embedder=Counting(), ahead=2)
    with pytest.raises(KeyError), failing:  # an error leaving the block: stopped, not waited for
        failing.next()
        raise KeyError("in the tagging")
    failing._thread.join(timeout=scaled(5))
    assert not failing._thread.is_alive()
    with EncoderAhead(["a"], 1, embedder=Counting()) as short:
        short.next()
        with pytest.raises(RuntimeError, match="no more batches"):
            short.next()


@pytest.mark.parametrize("ahead", [32, 0], ids=["encoder ahead", "encoder in turn"])
def test_classify_tags_rows_as_one_predict_call_does(shared, ahead):
    """Vectors ahead (or in turn, as before issue 27), features and heads batch by batch: the same
    axes, scores, evidence and uncertainty as :func:`miner.tag.axes.predict` over the whole list
    (main's way), on real rows."""
    table = read_table(ROOT / "corpora" / "activities" / "real.csv")
    table.rows = table.rows[:12]
    batches = TaggingBatches(min_rows=1, steps=6, ahead=ahead)  # by 2 rows; ahead, encoder calls of 2, 8 and 2
    result = classify_table(table, batches=batches)
    texts = [row_problems(row[table.columns.index("description")])[0] for row in table.rows]
    clusters = [row[table.columns.index("cluster")] for row in table.rows]
    alone = ax.predict(ax.load_model(), texts, clusters=clusters)
    assert [(p.axes, p.scores, p.evidence, p.uncertain, p.head_axes) for p in result.predictions] == [
        (p.axes, p.scores, p.evidence, p.uncertain, p.head_axes) for p in alone
    ]


class Remembering:
    """The shipped model's encoder, each text's vector kept: classifying the same rows again costs
    no encoding (the e5 engine encodes each text on its own, so a kept row is the one it gives)."""

    def __init__(self) -> None:
        from miner.nlp.embeddings import load_model

        self.encoder = load_model(ax.load_model().settings.encoder)
        self.kept: dict[str, np.ndarray] = {}

    def encode_batch(self, part: list[str]) -> np.ndarray:
        missing = [t for t in part if t not in self.kept]
        if missing:
            self.kept.update(zip(missing, self.encoder.encode_batch(missing)))
        return np.stack([self.kept[t] for t in part])

    def get_sentence_embedding_dimension(self) -> int:
        return self.encoder.dimension


def test_numpys_products_on_one_thread_and_in_the_pipeline_change_no_row(shared, monkeypatch):
    """classify keeps numpy's BLAS on one thread (its idle worker spun on the encoder's second core)
    and has the French pipeline multiply through it: every output cell of real rows (with their
    cluster column) and of the benchmark's rows (none) is what thinc's blis products and numpy's
    split over two BLAS threads give, bit for bit."""
    from contextlib import nullcontext

    from threadpoolctl import threadpool_limits

    from miner.read.activities import ActivityTable
    from miner.tag import classify

    real = read_table(ROOT / "corpora" / "activities" / "real.csv")
    real.rows = real.rows[:12]
    trained = read_table(ROOT / "corpora" / "activities" / "train.csv")
    text = trained.columns.index("description")
    bench = ActivityTable("", ["description"], [[f"{row[text]} (édition 2)"] for row in trained.rows[:12]])
    encoder = Remembering()
    for table in (real, bench):
        one = classify_table(table, embedder=encoder)
        with monkeypatch.context() as patched, threadpool_limits(limits=2, user_api="blas"):
            patched.setattr(classify, "numpy_blas_on_one_thread", nullcontext)
            patched.setattr(classify, "numpy_products", lambda nlp: nullcontext())  # thinc's blis products
            split = classify_table(table, embedder=encoder)
        assert one.rows == split.rows and all(row["predicted_axes"] for row in one.rows)
