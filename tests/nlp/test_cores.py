"""The encoder's threads follow the cores other processes leave free: read at the first batch,
again between batches, never counting our own threads as load."""

from __future__ import annotations

import os

import pytest
from load import busy_cores

from miner.nlp.cores import CpuSample, allowed_cores, others_busy, take_sample
from miner.nlp.embeddings import EncoderSettings, ThreadChooser


class Counters:
    """Made-up /proc/stat readings of a 2-core machine: each ``tick(others, own)`` lets one second
    pass with ``others`` cores busy with other processes and ``own`` with this one."""

    def __init__(self, *script: tuple[float, float]) -> None:
        self.now = CpuSample(2, busy=0, total=0, own=0.0, at=0.0)
        self.script = list(script)
        """Seconds that pass by themselves after each reading, as the first watch's sleep does."""

    def tick(self, others: float, own: float = 0.0) -> None:
        n = self.now
        self.now = CpuSample(2, n.busy + round(100 * (others + own)), n.total + 200, n.own + own, n.at + 1.0)

    def __call__(self) -> CpuSample:
        now = self.now
        if self.script:
            self.tick(*self.script.pop(0))
        return now


FAST = EncoderSettings(sample_seconds=0.0, redecide_seconds=1.0)


def test_the_counters_of_this_machine_read_and_stay_in_range():
    before = take_sample()
    if before is None:
        pytest.skip("no /proc/stat")
    assert before.cores == len(allowed_cores()) and 0 <= before.busy <= before.total
    sum(i * i for i in range(200_000))  # a little of our own time
    after = take_sample()
    assert after is not None and after.own >= before.own and after.total >= before.total
    found = others_busy(before, after)
    assert found is None or 0 <= found <= before.cores


def test_a_missing_stat_file_reads_as_no_counters(tmp_path):
    assert take_sample(stat_path=str(tmp_path / "none")) is None


def test_only_cores_of_the_affinity_mask_are_counted(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text(
        "cpu  30 0 0 70 0 0 0 0 0 0\ncpu0 10 0 0 40 0 0 0 0 0 0\ncpu1 20 0 0 30 0 0 0 0 0 0\nintr 5\n",
        encoding="ascii",
    )
    one = take_sample([1], stat_path=str(stat))
    assert (one.cores, one.busy, one.total) == (1, 20, 50)
    both = take_sample([0, 1], stat_path=str(stat))
    assert (both.cores, both.busy, both.total) == (2, 30, 100)


def test_our_own_threads_are_not_load_so_the_chooser_takes_both_cores():
    counters = Counters((0.0, 2.0))  # the watch before the first batch: only our threads ran
    assert ThreadChooser(FAST, cores=2, sample=counters).threads() == 2
    counters = Counters((0.0, 0.0))  # nothing ran
    assert ThreadChooser(FAST, cores=2, sample=counters).threads() == 2
    counters = Counters((1.8, 0.2))  # another process
    assert ThreadChooser(FAST, cores=2, sample=counters).threads() == 1


def test_the_choice_follows_a_load_that_starts_and_stops_between_batches():
    counters = Counters()
    chooser = ThreadChooser(FAST, cores=2, sample=counters)
    seen = [chooser.threads()]  # first watch: nothing ran (no time passed): stays as it was
    for others, own in [(0.0, 1.9), (2.0, 0.0), (1.0, 1.0), (0.7, 1.3), (0.1, 1.9), (0.0, 1.0)]:
        counters.tick(others, own)
        seen.append(chooser.threads())
    assert seen == [1, 2, 1, 1, 1, 2, 2]
    assert chooser.used == {1: 4, 2: 3}


def test_the_choice_waits_for_a_window_of_redecide_seconds():
    counters = Counters((0.0, 0.0))
    chooser = ThreadChooser(EncoderSettings(sample_seconds=0.0, redecide_seconds=2.0), cores=2, sample=counters)
    assert chooser.threads() == 2
    counters.tick(2.0)
    assert chooser.threads() == 2  # one second: too short to choose again
    counters.tick(2.0)
    assert chooser.threads() == 1  # two seconds, both busy


def test_one_thread_asked_or_one_core_is_never_watched():
    def no_reading() -> CpuSample:
        raise AssertionError("watched")

    assert ThreadChooser(EncoderSettings(max_threads=1), cores=4, sample=no_reading).threads() == 1
    assert ThreadChooser(EncoderSettings(), cores=1, sample=no_reading).threads() == 1


def test_under_a_busy_process_per_core_the_chooser_takes_one_thread():
    if take_sample() is None:
        pytest.skip("no /proc/stat")
    cores = len(allowed_cores())
    with busy_cores(cores):
        chooser = ThreadChooser(EncoderSettings(sample_seconds=0.5))
        assert chooser.threads() == 1
        assert os.cpu_count() is None or chooser.cores <= os.cpu_count()


def test_settings_refuse_a_negative_window():
    from miner.errors import UsageError

    with pytest.raises(UsageError, match="redecide_seconds"):
        EncoderSettings(redecide_seconds=-1)
    with pytest.raises(UsageError, match="stale_seconds"):
        EncoderSettings(stale_seconds=0.5, redecide_seconds=1.0)


def test_numpys_blas_is_on_one_thread_inside_the_block_and_as_it_was_after():
    from threadpoolctl import threadpool_info, threadpool_limits

    from miner.nlp.cores import numpy_blas_on_one_thread

    def openblas() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["internal_api"] == "openblas"]

    if not openblas():
        pytest.skip("numpy is not built on OpenBLAS here")
    with threadpool_limits(limits=2, user_api="blas"):
        with numpy_blas_on_one_thread():
            assert set(openblas()) == {1}
        assert set(openblas()) == {2}


def test_after_a_stale_gap_the_last_choice_is_kept_without_waiting_and_the_window_starts_anew(monkeypatch):
    """An encoder kept loaded between two lists (serve, the benchmark's rounds): the first batch of the
    next list does not wait sample_seconds with both encoder threads idle; the batch after the window
    chooses from what happened since."""
    from miner.nlp import embeddings

    waits: list[float] = []
    monkeypatch.setattr(embeddings.time, "sleep", waits.append)
    counters = Counters((0.0, 2.0))  # the first watch: only our own threads
    chooser = ThreadChooser(EncoderSettings(sample_seconds=0.2, redecide_seconds=1.0), cores=2, sample=counters)
    assert chooser.threads() == 2 and waits == [0.2]  # the first choice ever is watched for
    for _ in range(40):  # forty idle seconds: the last look is stale
        counters.tick(0.0)
    counters.tick(2.0)  # then another process per core starts
    assert chooser.threads() == 2 and waits == [0.2]  # kept, not waited for
    counters.tick(2.0)
    assert chooser.threads() == 1  # a window of one second under the new load
