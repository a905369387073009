"""The CLI's one printing path: control characters of values read from documents never reach the
terminal, and an error is one line with the exit code its class carries."""

from __future__ import annotations

import pytest

from miner.cli.output import fail, say, terminal_text
from miner.errors import InputError, UsageError


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("Pôle\x1b]0;title\x07 Démo", "Pôle]0;title Démo"),  # OSC: would set the terminal's title
        ("a\x9b31mb", "a31mb"),  # C1 CSI
        ("over\rwrite", "overwrite"),  # a bare CR would overwrite the line
        ("two\r\nlines\ttab", "two\r\nlines\ttab"),
    ],
)
def test_terminal_text_strips_controls_but_line_ends_and_tabs(raw, shown):
    assert terminal_text(raw) == shown


def test_say_and_fail_print_one_clean_line(capsys):
    say("x\x1b[2Jy")
    exit_ = fail(InputError("list.csv", "not UTF-8\x1b]8;;http://e\x07"))
    out, err = capsys.readouterr()
    assert out == "x[2Jy\n" and err == "error: list.csv: not UTF-8]8;;http://e\n"
    assert exit_.exit_code == 1 and fail(UsageError("bad")).exit_code == 2
