"""One exception family with messages a user can act on; the CLI turns them into one line."""

from __future__ import annotations

from pathlib import Path

__all__ = ["MinerError", "InputError", "UsageError", "ExtractionError", "reason_of"]


class MinerError(Exception):
    """Base of miner's errors. ``exit_code`` is what the CLI returns for it, ``http_status`` what the
    SPARQL endpoint answers for it (so neither keeps its own table of error classes; the review page
    answers 400 for any, its errors all come from the file a user uploaded)."""

    exit_code = 1
    http_status = 500


class UsageError(MinerError):
    """The command or pipeline was called wrongly (bad option, unknown step, bad query)."""

    exit_code = 2
    http_status = 400


class InputError(MinerError):
    """A given file cannot be used; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ExtractionError(InputError):
    """A document was read but its structure could not be extracted."""


def reason_of(exc: MinerError, path: str | Path) -> str:
    """What went wrong with ``path``, for a report line that already names it: an InputError about that
    same file gives its reason alone (its message starts with the file, which the line would print
    twice), any other error its whole message."""
    if isinstance(exc, InputError) and Path(exc.path) == Path(path):
        return exc.reason
    return str(exc)
