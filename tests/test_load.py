"""The background load of `make test-loaded` really takes the cores, and ends with the command."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import load
from load import busy_cores, main
from timeouts import scaled


def test_the_spinners_run_during_the_block_and_stop_after():
    with busy_cores(2) as spinners:
        assert len(spinners) == 2 and all(s.is_alive() for s in spinners)
    assert not any(s.is_alive() for s in spinners)


def test_the_command_exit_code_is_returned():
    assert main([sys.executable, "-c", "raise SystemExit(3)"]) == 3
    assert main([]) == 2


def test_times_runs_the_command_again_until_one_fails(tmp_path):
    """`make test-loaded` runs the suite twice in a row under the load; a failing run ends it."""
    count = tmp_path / "runs"
    code = (
        "import pathlib, sys; p = pathlib.Path(sys.argv[1]); n = len(p.read_text()) if p.exists() else 0; "
        "p.write_text('x' * (n + 1)); raise SystemExit(int(sys.argv[2]) if n + 1 >= int(sys.argv[3]) else 0)"
    )
    assert main(["--times", "2", sys.executable, "-c", code, str(count), "0", "1"]) == 0
    assert count.read_text() == "xx"
    count.unlink()
    assert main(["--times", "3", sys.executable, "-c", code, str(count), "5", "2"]) == 5
    assert count.read_text() == "xx"  # the third run did not start


def _gone(pid: int) -> bool:
    """No such process, or a zombie waiting to be reaped (it runs no more)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_a_terminated_runner_takes_its_command_and_spinners_with_it(tmp_path):
    """Stopping `make test-loaded` (TERM to the runner) must not leave the suite or a spinner running."""
    started = tmp_path / "pid"
    command = f"import os, time; open({str(started)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    runner = subprocess.Popen([sys.executable, str(Path(load.__file__)), sys.executable, "-c", command])
    try:
        deadline = time.monotonic() + scaled(60)
        while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(started.read_text())
        tasks = Path(f"/proc/{runner.pid}/task").iterdir()
        spawned = {int(p) for task in tasks for p in (task / "children").read_text().split()}
        assert child in spawned and len(spawned) >= 2  # the command and at least one spinner
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=scaled(30))
        deadline = time.monotonic() + scaled(10)
        while not all(_gone(pid) for pid in spawned) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in spawned if not _gone(pid)] == []
    finally:
        runner.kill()
