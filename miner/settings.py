"""Settings: one way to declare a tunable, one registry that lists them all.

Every stage takes one typed settings class (pdfplumber's ``TableSettings.resolve`` habit), written by
hand in the module that uses it: a frozen dataclass whose fields carry their default and the reason
for it, ``field(default=..., metadata={"why": "..."})`` (:func:`setting` and :func:`nested` write
that shorter), or a pydantic model whose fields carry a ``description``. :data:`SETTINGS_CLASSES`
names each class by section, so ``miner settings`` lists every field of every class without
depending on what happens to be imported. :func:`resolve_settings` is the one resolver, so nested
settings given as mappings become their classes everywhere alike; :func:`check_fields` gives a
declared class the checks of its field types (an int is taken for a float, a list for a tuple).
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from miner.errors import UsageError

__all__ = [
    "SETTINGS_CLASSES",
    "Described",
    "check_fields",
    "checked_overrides",
    "declared",
    "described",
    "nested",
    "resolve_settings",
    "section_of",
    "setting",
    "settings_class",
    "settings_classes",
]

T = TypeVar("T")

SETTINGS_CLASSES = {
    "layout": "miner.read.pdf:LayoutSettings",
    "tables": "miner.read.tables:TableSettings",
    "unruled": "miner.read.unruled:UnruledSettings",
    "ocr": "miner.read.ocr:OcrSettings",
    "image": "miner.read.scan_image:ImageSettings",
    "image_search": "miner.read.scan_image:ReducedSearch",
    "image_marks": "miner.read.scan_marks:MarkSettings",
    "words": "miner.read.words:WordSettings",
    "ocr_text": "miner.read.ocr_text:TextSettings",
    "limits": "miner.read.isolate:Limits",
    "kpi": "miner.extract.indicators:KpiSettings",
    "encoder": "miner.nlp.embeddings:EncoderSettings",
    "names": "miner.nlp.french:NameSettings",
    "pool": "miner.store.pool:PoolSettings",
    "query_text": "miner.store.pool:QueryTextLimit",
    "serving": "miner.store.serving:ServingSettings",
    "network": "miner.network.network:NetworkSettings",
    "links": "miner.tag.links:LinkSettings",
    "axes": "miner.tag.axes:AxesSettings",
    "aims": "miner.tag.aims:AimSettings",
    "audience": "miner.tag.audience:AudienceSettings",
    "roles": "miner.tag.facts:RoleSettings",
    "uncertainty": "miner.tag.prediction:Uncertainty",
    "scheme_tagging": "miner.tag.schemes:SchemeTagging",
    "tagging_batches": "miner.tag.classify:TaggingBatches",
    "evidence": "miner.serve.evidence:EvidenceSettings",
    "progress": "miner.serve.progress:ProgressSettings",
    "print": "miner.compare.pdf:PrintSettings",
}
"""Every settings class by section name (``module:Class``): what ``miner settings`` lists, in this
order. A new class is added here; a test finds any declared class left out."""

_SIMPLE = (bool, int, float, str, tuple)


def setting(default: Any, why: str) -> Any:
    """A dataclass field with its default and the one-line reason for it."""
    return dataclasses.field(default=default, metadata={"why": why})


def nested(cls: type, why: str) -> Any:
    """A dataclass field holding another settings class (its own section), defaulting to its defaults."""
    return dataclasses.field(default_factory=cls, metadata={"why": why})


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def check_fields(self: Any) -> None:
    """For ``__post_init__`` of a frozen settings dataclass: each declared field (one with a
    ``why``) holds a value of its type, so a wrong value fails where it is given, not deep in a
    reader. An int is taken for a float and a list for a tuple (as TOML or YAML give them).

    >>> from miner.store.pool import PoolSettings
    >>> PoolSettings(open_backoff=1).open_backoff
    1.0
    >>> PoolSettings(size="3")
    Traceback (most recent call last):
    ...
    TypeError: PoolSettings.size: expected int, got '3'
    """
    hints = _hints(type(self))
    for field in dataclasses.fields(self):
        kind = hints.get(field.name)
        if "why" not in field.metadata or not (kind in _SIMPLE or dataclasses.is_dataclass(kind)):
            continue  # an option typed otherwise (a choice among words) is checked by its class
        value = getattr(self, field.name)
        if kind is float and type(value) is int:
            object.__setattr__(self, field.name, float(value))
        elif kind is tuple and isinstance(value, list):
            object.__setattr__(self, field.name, _tuples(value))
        elif not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            expected = getattr(kind, "__name__", str(kind))
            raise TypeError(f"{type(self).__name__}.{field.name}: expected {expected}, got {value!r}")


def _tuples(value: Any) -> Any:
    """Lists as tuples, nested ones too, so a frozen settings object is hashable."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


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
    hints = _hints(cls)
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints.get(field.name)
        if isinstance(kwargs.get(field.name), Mapping) and dataclasses.is_dataclass(kind):
            kwargs[field.name] = resolve_settings(kind, kwargs[field.name])
    return cls(**kwargs)


def declared(cls: type[T], **given: Any) -> T:
    """``cls`` with the values a caller gave, None standing for "the declared default": a CLI or
    step option defaults to None, so the value declared in the class is the one used.

    >>> from miner.read.isolate import Limits
    >>> declared(Limits, timeout=None, jobs=2) == Limits(jobs=2)
    True
    """
    return cls(**{name: value for name, value in given.items() if value is not None})


# ---------------------------------------------------------------------------------------------
# The registry


def settings_class(section: str) -> type:
    """The class of one section; an unknown name is a ``UsageError`` listing the known ones."""
    where = SETTINGS_CLASSES.get(section)
    if where is None:
        raise UsageError(f"no settings section {section!r}. Known sections: {', '.join(SETTINGS_CLASSES)}")
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


def settings_classes() -> dict[str, type]:
    """Every settings class by section, in :data:`SETTINGS_CLASSES` order."""
    return {section: settings_class(section) for section in SETTINGS_CLASSES}


def section_of(cls: type) -> str | None:
    """The section a class is registered under (None for an unregistered class)."""
    return next((s for s, c in settings_classes().items() if c is cls), None)


@dataclasses.dataclass(frozen=True)
class Described:
    """One field of a settings class as ``miner settings`` shows it: a default, or a nested section."""

    name: str
    default: Any
    why: str
    section: str | None = None


def described(cls: type) -> list[Described]:
    """The fields of a settings class (dataclass or pydantic model) with their defaults and reasons.

    >>> from miner.store.pool import PoolSettings
    >>> described(PoolSettings)[0].name, described(PoolSettings)[0].default
    ('size', 2)
    """
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        out = []
        for field in dataclasses.fields(cls):
            if not field.init:
                continue
            kind = hints.get(field.name)
            held = section_of(kind) if dataclasses.is_dataclass(kind) else None
            default = field.default if field.default is not dataclasses.MISSING else field.default_factory()  # type: ignore[misc]
            out.append(Described(field.name, default, str(field.metadata.get("why", "")), held))
        return out
    fields = getattr(cls, "model_fields", {})  # a pydantic model
    return [Described(name, info.default, info.description or "") for name, info in fields.items()]


def checked_overrides(cls: type, overrides: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Overrides of a settings class as given in a pipeline file, checked: an unknown name or a
    wrong value is a ``UsageError`` naming it; values come back as the settings hold them (an
    integer for a float setting is that float), so equal overrides key the cache alike.

    >>> from miner.read.pdf import LayoutSettings
    >>> checked_overrides(LayoutSettings, {"min_gutter": 8, "tables": {"column_tolerance": 9}}, "layout")
    {'min_gutter': 8.0, 'tables': {'column_tolerance': 9.0}}
    >>> checked_overrides(LayoutSettings, {"gutter": 8}, "layout")
    Traceback (most recent call last):
    ...
    miner.errors.UsageError: layout: no setting 'gutter'. Known: margin_band, running_share, ...
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = _hints(cls)
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        field = fields.get(name)
        if field is None:
            raise UsageError(f"{where}: no setting {name!r}. Known: {', '.join(fields)}")
        kind = hints.get(name)
        if dataclasses.is_dataclass(kind):
            if not isinstance(value, Mapping):
                raise UsageError(f"{where}.{name}: a mapping of its settings (miner settings {section_of(kind)})")
            out[name] = checked_overrides(kind, value, f"{where}.{name}")
            continue
        try:
            out[name] = getattr(cls(**{name: value}), name)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"{where}.{name}: {str(exc).split(': ', 1)[-1]}") from None
    return out
