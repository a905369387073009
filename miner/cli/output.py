"""What the CLI prints, and how: every line through :func:`say`, so no value read from a document
reaches the terminal with its control characters; errors as one line with the exit code they carry."""

from __future__ import annotations

import typer

from miner.errors import MinerError

__all__ = ["err", "fail", "say", "terminal_text"]


_CONTROLS = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}
"""C0 and C1 control characters but tab, LF and CR: ESC, OSC (0x9D), CSI (0x9B) and BEL would let a
name from a document set the terminal's title, hide text or write a link."""


def terminal_text(text: object) -> str:
    r"""Text safe to print: control characters removed, and a CR kept only before an LF (a bare CR
    would let a value overwrite what was printed before it on the line).

    >>> terminal_text("Pôle\x1b]8;;http://x\x07 Démo\r\n\rok")
    'Pôle]8;;http://x Démo\r\nok'
    """
    cleaned = str(text).translate(_CONTROLS)
    return "\r\n".join(part.replace("\r", "") for part in cleaned.split("\r\n"))


def say(message: object = "", *, nl: bool = True, err: bool = False) -> None:
    """Everything the CLI prints goes through here (see terminal_text)."""
    typer.echo(terminal_text(message), nl=nl, err=err)


def err(message: str) -> None:
    """One line on stderr."""
    say(message, err=True)


def fail(exc: MinerError) -> "typer.Exit":
    err(f"error: {exc}")
    return typer.Exit(exc.exit_code)
