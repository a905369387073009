"""Fuzzing the query screener with hypothesis: a short run in every test run, a long one with
MINER_FUZZ=1 (``make test-long``).

Two properties. Whatever the text, screening answers a CheckedQuery or a QueryError, never another
exception. And the differential one that the SERVICE bypasses broke: queries assembled from the
lexical corners where two SPARQL parsers may disagree (comments ended by CR, LF, CRLF, VT, FF,
U+2028; strings with ``\\u0022`` / ``\\u0027`` / backslash escapes; escaped keywords; odd
whitespace), wrapped around a SERVICE call to a local listener: whenever the screener accepts
one, Oxigraph runs the screened text, in this process, with the network open, and the listener
must receive nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from miner.store.query import QueryError  # noqa: E402
from miner.store.screening import check_query  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))  # the local listener of the endpoint tests
from test_endpoint_safety import Listener  # noqa: E402

LONG = os.environ.get("MINER_FUZZ") == "1"
RUNS = 20_000 if LONG else 300
"""Examples per property: 300 keeps `make test` within seconds; the long run is for make test-long."""

FUZZ = settings(
    max_examples=RUNS,
    deadline=None,
    database=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

check_query("ASK {}")  # screening raises the recursion limit once; before hypothesis watches it
LISTENER = Listener()
URL = f"{LISTENER.url}/sparql"

LINE_ENDS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\u2028", "\u0085", ""]
SPACES = [" ", "\t", "\u00a0", "\u3000", "\ufeff", ""]
ESCAPES = ["\\u0022", "\\u0027", "\\\\", '\\"', "\\'", "\\u005C", "\\U00000022", "\\u0023", "\\u000A", "\\u000D", "x"]
SERVICE_WORDS = [
    "SERVICE",
    "service",
    "SeRvIcE",
    "\\u0053ERVICE",
    "S\\u0045RVICE",
    "\\U00000053ERVICE",
    "SERVICE SILENT",
]


@st.composite
def corner(draw) -> str:
    """One lexical corner: a comment, a string with escapes, an IRI, punctuation or space."""
    kind = draw(st.sampled_from(["comment", "string", "long", "iri", "punct", "space", "prefix"]))
    if kind == "comment":
        body = draw(st.lists(st.sampled_from(ESCAPES + [" ", "x", '"', "'", "{"]), max_size=4))
        return "#" + "".join(body) + draw(st.sampled_from(LINE_ENDS))
    if kind == "string":
        quote = draw(st.sampled_from(['"', "'"]))
        return quote + "".join(draw(st.lists(st.sampled_from(ESCAPES), max_size=3))) + quote
    if kind == "long":
        quote = draw(st.sampled_from(['"""', "'''"]))
        return quote + "".join(draw(st.lists(st.sampled_from(ESCAPES + LINE_ENDS), max_size=3))) + quote
    if kind == "iri":
        return "<" + draw(st.sampled_from(["http://e/a", "http://e/\\u003e", "x#y"])) + ">"
    if kind == "punct":
        return draw(st.sampled_from([".", ";", ",", "{", "}", "(", ")", "?s", "$s", "a", "e:x", ". ", "\\u002E"]))
    if kind == "prefix":
        return draw(st.sampled_from(["", "PREFIX e: <http://e/>", "BASE <http://e/>"]))
    return draw(st.sampled_from(SPACES + LINE_ENDS))


@st.composite
def service_query(draw) -> str:
    before = "".join(draw(st.lists(corner(), max_size=5)))
    after = "".join(draw(st.lists(corner(), max_size=3)))
    word = draw(st.sampled_from(SERVICE_WORDS))
    inner = draw(st.sampled_from(["?s ?p ?o .", "?s ?p ?o", ""]))
    # The closing brace on its own line: a SERVICE a parser reads as inside a comment still leaves
    # a whole query, so the other parser's reading is what the listener tests.
    return f"SELECT * WHERE {{ {inner}{before}{word} <{URL}> {{ ?a ?b ?c }} {after}\n}}"


def _screen(text: str):
    try:
        return check_query(text)
    except QueryError:
        return None


@FUZZ
@given(st.text(max_size=300) | st.builds("".join, st.lists(corner(), max_size=12)))
def test_screening_answers_or_refuses(text):
    outcome = _screen(text)
    assert outcome is None or outcome.form in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


@FUZZ
@given(service_query())
def test_no_accepted_query_reaches_the_listener(text):
    import pyoxigraph as ox

    checked = _screen(text)
    if checked is None:
        return
    before = LISTENER.connections
    try:
        list(ox.Store().query(checked.text))
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass  # Oxigraph refused it too: fine, as long as it did not call out
    import time

    time.sleep(0.01)
    assert LISTENER.connections == before, f"screened query reached the network: {text!r}"


def test_listener_was_never_called():
    """Runs after the properties (file order): the listener saw no connection at all."""
    LISTENER.close()
    assert LISTENER.connections == 0
