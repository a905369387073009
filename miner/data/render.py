"""Pages and reports from templates: Jinja2 with autoescape, so a value is text, never markup.

A value is put into a template once and never read as template again: a label ``{{SCRIPTS}}``
in the data stays those eleven characters (chained ``str.replace`` filled placeholders inside
earlier values). Trusted fragments (miner's own CSS and scripts, JSON already made safe for a
``<script>`` element) are passed as :func:`trusted`; everything else is escaped.

>>> render_string("<title>{{ TITLE }}</title>", TITLE="<b>{{SCRIPTS}}</b>")
'<title>&lt;b&gt;{{SCRIPTS}}&lt;/b&gt;</title>'
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

__all__ = ["render_template", "render_string", "trusted", "markdown_text", "markdown_href"]

ASSETS = Path(__file__).resolve().parent / "assets"
"""miner's templates (the package data beside this module)."""


@functools.lru_cache(maxsize=4)
def _environment(folder: str) -> Any:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_template(name: str, folder: Path = ASSETS, **values: Any) -> str:
    """Fill the template ``folder/name``; a placeholder without a value is an error, not blank."""
    return _environment(str(folder)).get_template(name).render(**values)


def render_string(source: str, **values: Any) -> str:
    return _environment(str(ASSETS)).from_string(source).render(**values)


def trusted(text: str) -> Any:
    """Mark miner's own fragment (CSS, script, safe JSON) as markup: inserted as it is."""
    return Markup(text)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
"""What opens markup mid-line: code, emphasis, links and images (``[``, ``]``; a ``(`` alone
opens nothing), table cells, strike-through. Line-start markers (``#``, ``-``) cannot occur: a
value is never put at the start of a line."""


def markdown_text(value: Any) -> str:
    r"""A value as Markdown text: HTML escaped (Markdown renderers pass raw HTML through), the
    punctuation that opens Markdown mid-line backslash-escaped (no link, emphasis or table cell
    can be opened from a value), line breaks as spaces (a table row stays one line).

    >>> markdown_text("<img src=x onerror=alert(1)> | [a](javascript:x)")
    '&lt;img src=x onerror=alert(1)&gt; \\| \\[a\\](javascript:x)'
    """
    text = " ".join(("" if value is None else str(value)).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def markdown_href(href: str) -> str:
    """A link target in angle brackets, with the characters that would end it percent-encoded."""
    return "<" + quote(href, safe="/#=.:-_~%?&+,;@!$'*") + ">"
