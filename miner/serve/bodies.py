"""The JSON bodies the review page accepts, as pydantic models: every field checked before use.

A probe sent ``{"row": Infinity}`` to ``/api/toggle`` and got a 500 with a traceback: Python's
``json`` reads ``Infinity`` and ``NaN`` as floats and ``int()`` fails on them. Here each body is
parsed by pydantic's own JSON parser into a strict model (no coercion from strings, floats or
booleans, no unknown field, bounded numbers and strings), and whatever does not fit is one line
naming the field, for a 400.

>>> parse_body(Toggle, b'{"row": 0, "axis": 3}')
Toggle(row=0, axis=3, scheme=None)
>>> parse_body(Toggle, b'{"row": Infinity, "axis": 3}')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
miner.errors.UsageError: row: Input should be a valid integer
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from miner.errors import UsageError

__all__ = ["Toggle", "ModelName", "Retraining", "SchemeChoice", "parse_body"]

MAX_ROWS = 100_000
"""Rows of a list at most (the list readers refuse more), so a row number above is no row."""


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Toggle(_Body):
    """One click on the page: add or remove concept ``axis`` (its position from 1) of ``scheme``
    (None: the 2007 axes) on row ``row`` (from 0); the session checks the position against the scheme."""

    row: int = Field(ge=0, lt=MAX_ROWS)
    axis: int = Field(ge=1, le=64)
    scheme: str | None = Field(default=None, min_length=1, max_length=100)


class ModelName(_Body):
    """The model chosen in the page's list, by its name (for ``scheme``; None: the axes)."""

    model: str = Field(min_length=1, max_length=200)
    scheme: str | None = Field(default=None, min_length=1, max_length=100)


class Retraining(_Body):
    """Which scheme's model to retrain on its corrections (None: the axes)."""

    scheme: str | None = Field(default=None, min_length=1, max_length=100)


class SchemeChoice(_Body):
    """The schemes the page tags under: ``axes-2007``, ``missions-2024`` or ``both``."""

    scheme: str = Field(min_length=1, max_length=100)


Body = TypeVar("Body", bound=_Body)


def parse_body(model: type[Body], raw: bytes) -> Body:
    """``raw`` as ``model``, or UsageError with the first problem and the field it is in."""
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"] if first["type"] != "json_invalid" else "request body is not JSON"
        raise UsageError(f"{where}: {message}" if where else message) from None
