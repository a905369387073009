"""A killed `miner build` leaves no worker behind: its per-file workers die with it (PR_SET_PDEATHSIG)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import hostile
import pytest
from conftest import ROOT
from processes import alive, descendants
from timeouts import scaled


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
def test_no_worker_of_a_killed_build_is_alive_a_second_after(tmp_path):
    documents = [
        hostile.long_text(tmp_path / f"long-{n}.pdf", 300 + n) for n in range(2)
    ]  # a worker each, busy for seconds
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "miner",
            "build",
            *map(str, documents),
            "--jobs",
            "2",
            "--store",
            str(tmp_path / "store"),
            "--skip",
            "network",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + scaled(60)
        workers: set[int] = set()
        while not workers and build.poll() is None and time.monotonic() < deadline:
            workers = descendants(build.pid)
            time.sleep(0.01)
        assert workers, "the build started no worker (or ended before one was seen)"
        build.kill()  # SIGKILL: the parent runs no cleanup of its own
        build.wait(scaled(10))
        time.sleep(1)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)  # this test's own cleanup, should it fail
        except ProcessLookupError:
            pass


def test_a_child_whose_parent_is_already_gone_exits():
    """The race the kernel cannot cover: a parent dead before the child asked to die with it."""
    code = "import os, sys; from miner.read.isolate import die_with_parent; die_with_parent({}); print('still here')"
    for parent, expected in ((os.getpid() + 100_000, ""), (os.getpid(), "still here\n")):
        result = subprocess.run(
            [sys.executable, "-c", code.format(parent)], cwd=ROOT, capture_output=True, text=True, timeout=scaled(60)
        )
        assert result.stdout == expected, result.stderr
