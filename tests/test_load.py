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
