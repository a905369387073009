"""``miner settings [SECTION]``: every setting of every stage with its default and the reason for it.

The settings are the fields of the classes :data:`miner.settings.SETTINGS_CLASSES` names, each
declared by hand in the module that uses it; this prints them as Rich tables, so a user sees what
a pipeline's ``layout:`` may override and why each value is what it is. Rich is imported on call,
so ``miner --version`` stays light.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

from miner.cli.output import fail
from miner.errors import MinerError

__all__ = ["settings", "settings_tables"]


def settings_tables(section: str | None = None) -> list[Any]:
    """Rich tables of the declared settings (name, default, reason): one section's, or one per section.

    >>> from dataclasses import fields
    >>> from miner.store.pool import PoolSettings
    >>> [table] = settings_tables("pool")
    >>> [column.header for column in table.columns], table.row_count == len(fields(PoolSettings))
    (['pool', 'default', 'why'], True)
    """
    from rich.table import Table
    from rich.text import Text

    from miner.settings import described, settings_class, settings_classes

    classes = {section: settings_class(section)} if section else settings_classes()
    tables = []
    for name, cls in classes.items():
        about = (inspect.getdoc(cls) or cls.__name__).split("\n\n")[0].replace("\n", " ")
        table = Table(title=Text(f"{about} ({cls.__module__}.{cls.__name__})"), title_justify="left")
        table.add_column(name, no_wrap=True, style="bold")
        table.add_column("default", max_width=28, overflow="fold")
        table.add_column("why", ratio=1)
        for item in described(cls):
            default = f"[{item.section}]" if item.section else repr(item.default)
            table.add_row(Text(item.name), Text(default), Text(item.why))  # Text: "[tables]" is no markup
        tables.append(table)
    return tables


def settings(
    section: str | None = typer.Argument(
        None, help="One section (layout, tables, ocr, limits, ...); every section when left out."
    ),
) -> None:
    """List miner's settings with their defaults and the reason for each (a pipeline's extract step overrides the layout ones)."""
    from rich.console import Console

    try:
        tables = settings_tables(section)
    except MinerError as exc:
        raise fail(exc) from None
    console = Console()
    for table in tables:
        console.print(table)
