"""Oxigraph's SPARQL syntax errors in plain words: line, column, what stands there, what could.

>>> syntax_message(SyntaxError("error at 1:25: expected one of LATERAL, SERVICE"), "SELECT * WHERE { ?s ?p }")
'SPARQL syntax error at line 1, column 25 (at the end of the query): expected one of LATERAL, SERVICE'
"""

from __future__ import annotations

import re

import pyoxigraph as ox

__all__ = ["explain_syntax_error", "syntax_message"]


_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _expected_items(text: str) -> list[str]:
    """Oxigraph's list of what the parser expected, split at top-level commas (quoted tokens and
    bracketed character classes may hold commas)."""
    items, current, quote, depth, escaped = [], [], "", 0, False
    for char in text:
        if quote:
            current.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == "[":
            depth += 1
            current.append(char)
        elif char == "]":
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [i for i in items if i]


def _plain_expected(item: str) -> str | None:
    """One expected item in words: character classes named, "any character" dropped."""
    if item == "[_]":
        return None
    if item.startswith("["):
        if "'0'..='9'" in item.replace(" ", "") and "'a'" not in item:
            return "a digit"
        return "a letter"
    if item == "IRI parsing failed":
        return 'a valid IRI (no space, <, >, " or { } inside < >)'
    return item


def explain_syntax_error(text: str) -> str | None:
    """Oxigraph's own words about a query the screening parser could not read, or None when
    Oxigraph reads it. Oxigraph would run a query it can parse, so this runs it on an empty store
    and only where the process has no network (an isolated query worker): the caller checks."""
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        return syntax_message(exc, text)
    except (OSError, RuntimeError, ValueError):
        return None
    return None


def syntax_message(exc: SyntaxError, text: str = "") -> str:
    """Oxigraph's parse error in plain words: line, column, what stands there, what could."""
    match = _SYNTAX.match(str(exc))
    if not match:
        return f"SPARQL syntax error: {exc}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3).strip()
    lines = text.splitlines()
    rest = lines[line - 1][column - 1 :] if 0 < line <= len(lines) else ""
    rest = rest.strip() or " ".join(lines[line:]).strip() if lines else rest
    found = f"before {rest.split()[0][:20]!r}" if rest.strip() else "at the end of the query"
    if detail.startswith("expected"):
        body = detail[len("expected") :].strip()
        body = body[len("one of") :].strip() if body.startswith("one of") else body
        words = list(dict.fromkeys(w for w in map(_plain_expected, _expected_items(body)) if w))
        detail = (
            ("expected " + (words[0] if len(words) == 1 else "one of " + ", ".join(words)))
            if words
            else "something else was expected here"
        )
    return f"SPARQL syntax error at line {line}, column {column} ({found}): {detail}"
