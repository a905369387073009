"""Settings objects: declared once as data, resolved from what a caller gives.

Every stage takes one typed settings dataclass (pdfplumber's ``TableSettings.resolve`` habit). The
heuristic ones (thresholds of the readers and the query pool) are data, not code: each is declared
in ``miner/data/settings.toml`` with its default and the reason for it, checked strictly when the file
is first read, and :func:`declared_settings` makes the frozen dataclass of a section, so a module's
settings class is one line and ``miner settings`` lists them all with their reasons. Runtime
options (modes, paths, ports) stay in ordinary dataclasses, or in a base class of a declared one
(``miner.read.ocr.OcrOptions``). :func:`resolve_settings` is the one
resolver, so nested settings given as mappings become their dataclasses everywhere alike.
"""

from __future__ import annotations

import dataclasses
import sys
import tomllib
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from miner import data
from miner.errors import InputError, UsageError

__all__ = ["resolve_settings", "Declared", "Section", "check_declarations", "declarations", "declared_section", "declared_settings",
           "checked_overrides", "SETTINGS_FILE", "STUB_FILE", "stub_source"]

T = TypeVar("T")

SETTINGS_FILE = ("settings.toml",)
"""Where the declarations live in the package data (``miner.data.path``)."""

_TYPES = {bool: "bool", int: "int", float: "float", str: "str", tuple: "tuple"}
"""The types a declared setting may have: the TOML type of its default (an array becomes a tuple)."""


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


# ---------------------------------------------------------------------------------------------
# Declarations: miner/data/settings.toml


@dataclasses.dataclass(frozen=True)
class Declared:
    """One declared setting: a value with its reason, or a group of settings in another section."""

    name: str
    why: str
    default: Any = None
    section: str | None = None


@dataclasses.dataclass(frozen=True)
class Section:
    """A section of the declarations: what its settings are for, and the settings in file order."""

    name: str
    about: str
    settings: tuple[Declared, ...]


def _tuples(value: Any) -> Any:
    """TOML arrays (lists) as tuples, nested ones too, so a frozen settings object is hashable."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def check_declarations(raw: Mapping[str, Any], source: str = "settings.toml") -> dict[str, Section]:
    """The sections of parsed declarations, or one ``InputError`` naming every problem found.

    >>> sections = check_declarations({"demo": {"about": "A demo.", "gap": {"default": 2.0, "why": "Wide."}}})
    >>> sections["demo"].settings
    (Declared(name='gap', why='Wide.', default=2.0, section=None),)
    >>> check_declarations({"demo": {"gap": {"default": 2.0}, "sub": {"section": "nowhere", "why": "?"}}})
    Traceback (most recent call last):
    ...
    miner.errors.InputError: settings.toml: [demo] has no about; [demo] gap: no why; [demo] sub: unknown section 'nowhere'
    """
    problems: list[str] = []
    sections: dict[str, Section] = {}
    for name, table in raw.items():
        if not isinstance(table, Mapping):
            problems.append(f"{name}: a section must be a table ([{name}])")
            continue
        about = table.get("about")
        if not isinstance(about, str) or not about.strip():
            problems.append(f"[{name}] has no about")
        settings = []
        for key, entry in table.items():
            if key == "about":
                continue
            where = f"[{name}] {key}"
            if not isinstance(entry, Mapping):
                problems.append(f"{where}: write {{ default = ..., why = \"...\" }}")
                continue
            unknown = sorted(set(entry) - {"default", "why", "section"})
            if unknown:
                problems.append(f"{where}: unknown key {', '.join(unknown)} (default, why or section)")
            why = entry.get("why")
            if not isinstance(why, str) or not why.strip():
                problems.append(f"{where}: no why")
            if ("default" in entry) == ("section" in entry):
                problems.append(f"{where}: give a default or a section, not " + ("both" if "default" in entry else "neither"))
            elif "section" in entry and entry["section"] not in raw:
                problems.append(f"{where}: unknown section {entry['section']!r}")
            elif "default" in entry and type(_tuples(entry["default"])) not in _TYPES:
                problems.append(f"{where}: a default is a bool, integer, float, string or array")
            settings.append(Declared(key, str(why or ""), _tuples(entry.get("default")), entry.get("section")))
        sections[name] = Section(name, str(about or ""), tuple(settings))
    problems += _cycles(sections)
    if problems:
        raise InputError(source, "; ".join(problems))
    return sections


def _cycles(sections: dict[str, Section]) -> list[str]:
    """A section that contains itself, through its nested sections, cannot be built."""
    found = []
    for start in sections:
        todo, seen = [start], set()
        while todo:
            current = todo.pop()
            for item in sections[current].settings if current in sections else ():
                if item.section == start:
                    found.append(f"[{start}] contains itself (through [{current}])")
                    todo = []
                    break
                if item.section and item.section not in seen:
                    seen.add(item.section)
                    todo.append(item.section)
    return found


@cache
def declarations() -> dict[str, Section]:
    """The package's declared settings, read and checked once."""
    path = data.path(*SETTINGS_FILE)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot read the settings declarations ({exc})") from None
    return check_declarations(raw, str(path))


def declared_section(name: str) -> Section:
    """One declared section; an unknown name is a ``UsageError`` listing the known ones."""
    found = declarations().get(name)
    if found is None:
        raise UsageError(f"no settings section {name!r}. Known sections: {', '.join(declarations())}")
    return found


# ---------------------------------------------------------------------------------------------
# Settings classes from the declarations

def _check_values(self: Any) -> None:
    """Each declared value has its setting's type (an int is taken for a float, a list for a
    tuple), so a wrong value fails where it is given rather than deep in a reader; then the
    runtime options' own checks, where a base class has them."""
    for field in dataclasses.fields(self):
        if "why" not in field.metadata:
            continue  # a runtime option of a base class, typed and checked there
        value, kind = getattr(self, field.name), field.type
        if kind is float and type(value) is int:
            object.__setattr__(self, field.name, float(value))
        elif kind is tuple and isinstance(value, list):
            object.__setattr__(self, field.name, _tuples(value))
        elif not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            expected = _TYPES.get(kind, getattr(kind, "__name__", str(kind)))
            raise TypeError(f"{type(self).__name__}.{field.name}: expected {expected}, got {value!r}")
    for base in type(self).__mro__[1:]:
        post_init = vars(base).get("__post_init__")
        if post_init is not None and post_init is not _check_values:  # a subclass of a declared class
            post_init(self)
            break


def _resolve(cls: type[T], value: T | Mapping[str, Any] | None) -> T:
    return resolve_settings(cls, value)


def _docstring(section: Section, base: type | None) -> str:
    lines = [section.about, ""]
    if base is not None:
        options = ", ".join(f.name for f in dataclasses.fields(base))
        lines += [f"Runtime options first ({options}: ``{base.__name__}``), then the heuristics", ""]
    lines += [f"Declared in miner/data/settings.toml [{section.name}] (``miner settings {section.name}``):", ""]
    for item in section.settings:
        value = f"[{item.section}]" if item.section else repr(item.default)
        lines.append(f"- {item.name} = {value}: {item.why}")
    return "\n".join(lines)


def declared_settings(name: str, section: str, *, module: str | None = None, base: type | None = None,
                      nested: Mapping[str, type] | None = None) -> type:
    """The frozen dataclass of a declared section: one field per setting, typed by its default,
    with its reason in the field's ``metadata["why"]``; a nested section is a field holding that
    section's class. ``module`` (the caller's by default, as ``collections.namedtuple`` does) is
    where the class is found again by pickle: settings cross into forked and spawned workers.
    ``base``: a frozen dataclass of runtime options (modes, languages) whose fields come first and
    whose ``__post_init__`` and ``resolve`` are kept. ``nested``: the class of each section this one
    holds, by section name (given, not looked up, so a class never depends on import order).

    >>> from miner.store.pool import PoolSettings  # PoolSettings = declared_settings("PoolSettings", "pool")
    >>> PoolSettings().size, PoolSettings(size=3).size, PoolSettings.__module__
    (2, 3, 'miner.store.pool')
    >>> dataclasses.fields(PoolSettings)[0].metadata["why"][:8]
    'Workers,'
    >>> PoolSettings(size="3")
    Traceback (most recent call last):
    ...
    TypeError: PoolSettings.size: expected int, got '3'
    """
    found = declared_section(section)
    fields = []
    for item in found.settings:
        if item.section is not None:
            held = (nested or {}).get(item.section)
            if getattr(held, "__settings_section__", None) != item.section:
                raise TypeError(f"[{section}] {item.name} holds [{item.section}]: pass its declared class as "
                                f"nested={{{item.section!r}: ...}}")
            fields.append((item.name, held, dataclasses.field(
                default_factory=held, metadata={"why": item.why, "section": item.section})))
        else:
            fields.append((item.name, type(item.default), dataclasses.field(default=item.default, metadata={"why": item.why})))
    namespace: dict[str, Any] = {"__doc__": _docstring(found, base), "__post_init__": _check_values,
                                 "__settings_section__": section}
    if not hasattr(base, "resolve"):
        namespace["resolve"] = classmethod(_resolve)
    cls = dataclasses.make_dataclass(name, fields, bases=(base,) if base else (), frozen=True, namespace=namespace)
    cls.__module__ = module or sys._getframe(1).f_globals.get("__name__", __name__)
    return cls


def checked_overrides(cls: type, overrides: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Overrides of a declared settings class as given in a pipeline file, checked: an unknown name
    or a wrong value is a ``UsageError`` naming it; values come back as the settings hold them
    (an integer for a float setting is that float), so equal overrides key the cache alike.

    >>> from miner.read.pdf import LayoutSettings
    >>> checked_overrides(LayoutSettings, {"min_gutter": 8, "tables": {"column_tolerance": 9}}, "layout")
    {'min_gutter': 8.0, 'tables': {'column_tolerance': 9.0}}
    >>> checked_overrides(LayoutSettings, {"gutter": 8}, "layout")
    Traceback (most recent call last):
    ...
    miner.errors.UsageError: layout: no setting 'gutter'. Known: margin_band, running_share, ...
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        field = fields.get(name)
        if field is None:
            raise UsageError(f"{where}: no setting {name!r}. Known: {', '.join(fields)}")
        if dataclasses.is_dataclass(field.type):
            if not isinstance(value, Mapping):
                raise UsageError(f"{where}.{name}: a mapping of its settings (miner settings {field.metadata['section']})")
            out[name] = checked_overrides(field.type, value, f"{where}.{name}")
            continue
        try:
            out[name] = getattr(cls(**{name: value}), name)
        except TypeError as exc:
            raise UsageError(f"{where}.{name}: {str(exc).split(': ', 1)[-1]}") from None
    return out


# ---------------------------------------------------------------------------------------------
# The declared classes as a type checker sees them

STUB_FILE = "settings_types.pyi"
"""The stub beside this module (``miner/settings_types.pyi``): the declared classes made at run
time are invisible to mypy or an editor, so their fields are written out for them, generated from
the classes themselves and checked against them by a test (``python scripts/settings_stub.py``)."""


def _stub_type(kind: Any) -> str:
    if kind is tuple:
        return "tuple[Any, ...]"
    return getattr(kind, "__name__", str(kind))


def stub_source(classes: list[type]) -> str:
    """The stub of declared settings classes: one line a class, fields with their types, frozen
    dataclasses (a declared class's base is named from its module)."""
    lines = ['"""Generated by scripts/settings_stub.py from miner/data/settings.toml: do not edit."""', "",
             "from collections.abc import Callable", "from dataclasses import dataclass", "from typing import Any, ClassVar", ""]
    for base in sorted({b for cls in classes for b in cls.__bases__ if b is not object}, key=lambda b: b.__name__):
        lines.append(f"from {base.__module__} import {base.__name__}")
    lines.append("")
    for cls in classes:
        own = [f for f in dataclasses.fields(cls) if "why" in f.metadata]
        body = [f"{f.name}: {_stub_type(f.type)} = ..." for f in own]
        if "resolve" in vars(cls):  # made by declared_settings, not inherited from a base
            body.append(f"resolve: ClassVar[Callable[[Any], {cls.__name__}]]")
        bases = ", ".join(b.__name__ for b in cls.__bases__ if b is not object)
        lines += ["", "@dataclass(frozen=True)", f"class {cls.__name__}{f'({bases})' if bases else ''}: {'; '.join(body)}"]
    return "\n".join(lines).rstrip() + "\n"
