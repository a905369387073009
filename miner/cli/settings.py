"""``miner settings [SECTION]``: every heuristic setting with its default and the reason for it.

The settings are declared in ``miner/data/settings.toml`` (:mod:`miner.settings`); this prints them
as a Rich table, so a user can see what a pipeline's ``layout:`` may override and why each value
is what it is. Rich is imported on call, so ``miner --version`` stays light.
"""

from __future__ import annotations

from typing import Any

import typer

from miner.cli.output import fail
from miner.errors import MinerError

__all__ = ["settings", "settings_tables"]


def settings_tables(section: str | None = None) -> list[Any]:
    """Rich tables of the declared settings (name, default, reason): one section's, or one per section.

    >>> [table] = settings_tables("pool")
    >>> [column.header for column in table.columns], table.row_count
    (['pool', 'default', 'why'], 5)
    """
    from rich.table import Table
    from rich.text import Text

    from miner.settings import declarations, declared_section

    tables = []
    for part in [declared_section(section)] if section else declarations().values():
        table = Table(title=Text(part.about), title_justify="left")
        table.add_column(part.name, no_wrap=True, style="bold")
        table.add_column("default", max_width=28, overflow="fold")
        table.add_column("why", ratio=1)
        for item in part.settings:
            default = f"[{item.section}]" if item.section else repr(item.default)
            table.add_row(Text(item.name), Text(default), Text(item.why))  # Text: "[tables]" is no markup
        tables.append(table)
    return tables


def settings(
    section: str | None = typer.Argument(None, help="One section (layout, tables, ...); every section when left out."),
) -> None:
    """List miner's heuristic settings with their defaults and the reason for each (a pipeline's extract step overrides the layout ones)."""
    from rich.console import Console

    try:
        tables = settings_tables(section)
    except MinerError as exc:
        raise fail(exc) from None
    console = Console()
    for table in tables:
        console.print(table)
