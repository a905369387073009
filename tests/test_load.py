"""The background load of `make test-loaded` really takes the cores, and ends with the command."""

from __future__ import annotations

import sys

from load import busy_cores, main


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
