"""Settings objects from what a caller gives: None, an instance, or a mapping (pipeline files, JSON).

Every stage takes one typed settings dataclass (pdfplumber's ``TableSettings.resolve`` habit); this is
the one resolver, so nested settings given as mappings become their dataclasses everywhere alike.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["resolve_settings"]

T = TypeVar("T")


def resolve_settings(cls: type[T], value: T | Mapping[str, Any] | None) -> T:
    """``cls()`` for None, ``value`` itself for an instance, else ``cls(**value)`` with nested
    settings mappings resolved by their field's declared type.

    >>> from miner.read.pdf import LayoutSettings
    >>> resolve_settings(LayoutSettings, {"tables": {"column_tolerance": 9.0}}).tables.column_tolerance
    9.0
    >>> resolve_settings(LayoutSettings, None) == LayoutSettings()
    True
    """
    if value is None:
        return cls()
    if isinstance(value, cls):
        return value
    kwargs = dict(value)  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints.get(field.name)
        if isinstance(kwargs.get(field.name), Mapping) and dataclasses.is_dataclass(kind):
            kwargs[field.name] = resolve_settings(kind, kwargs[field.name])
    return cls(**kwargs)
