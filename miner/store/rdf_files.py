"""RDF files from outside, parsed whole and safely before anything is written.

Nothing remote is fetched and nothing expands: RDF/XML is parsed by defusedxml first, which
refuses a DTD or entity wherever it stands, and JSON-LD naming a remote ``@context`` or ``@import``
is refused before Oxigraph sees it. A malformed file is an InputError naming its line.

>>> sorted(RDF_SUFFIXES)[:3]
['.jsonld', '.n3', '.nq']
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from miner.errors import InputError

__all__ = ["RDF_SUFFIXES", "parse_rdf_file", "check_xml"]

RDF_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
"""RDF files `miner build` imports as they are, by suffix."""


def parse_rdf_file(path: Path, *, allow_graphs: bool = True) -> dict[str | None, list[Any]]:
    """Every triple of an RDF file by graph (None for its default graph); errors name file and line.

    Nothing remote is fetched and nothing expands: RDF/XML is first parsed by defusedxml, which
    refuses a DTD or entity wherever it is, and JSON-LD naming a remote ``@context`` is refused
    before Oxigraph sees it (Oxigraph's own parsers have no document loader either).
    """
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"not an RDF file miner knows (suffixes: {', '.join(RDF_SUFFIXES)})")
    _refuse_fetching(path, fmt)
    graphs: dict[str | None, list[Any]] = {None: []}
    try:
        for quad in ox.parse(path=str(path), format=fmt, without_named_graphs=not allow_graphs):
            name = None if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name.value)
            graphs.setdefault(name, []).append((quad.subject, quad.predicate, quad.object))
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        where = f"line {line}" + (f", column {column}" if column else "") + ": " if line else ""
        raise InputError(path, f"{where}malformed {path.suffix[1:].upper()}: {exc.msg or exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    return graphs


def _remote_contexts(node: Any) -> list[str]:
    """IRIs of the contexts a JSON-LD document would fetch (string contexts and ``@import``)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found.append(item)
                    elif isinstance(item, dict):
                        if isinstance(item.get("@import"), str):
                            found.append(item["@import"])
                        found += _remote_contexts(item)
            else:
                found += _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            found += _remote_contexts(item)
    return found


def check_xml(path: Path, data: bytes) -> None:
    """Parse XML once with defusedxml, which refuses any DTD, entity declaration or external
    reference by construction, wherever it stands (after comments, processing instructions, a BOM).

    Streaming (SAX), so a large but harmless file costs no tree in memory; Oxigraph parses it
    afterwards only if this pass found nothing to refuse. Imported here: the XML stack (it pulls in
    urllib.request and http.client) is paid by RDF/XML imports, not by every query worker.
    """
    import xml.sax

    import defusedxml
    import defusedxml.sax

    try:
        defusedxml.sax.parse(
            io.BytesIO(data),
            xml.sax.handler.ContentHandler(),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            path,
            f"{type(exc).__name__}: DOCTYPE, ENTITY and external references are refused "
            "(entity expansion, fetching); remove the DOCTYPE",
        ) from None
    except xml.sax.SAXParseException as exc:
        raise InputError(
            path, f"line {exc.getLineNumber()}, column {exc.getColumnNumber() + 1}: malformed XML: {exc.getMessage()}"
        ) from None


def _refuse_fetching(path: Path, fmt: Any) -> None:
    """Refuse what would make a parser fetch or expand: DOCTYPE/ENTITY in RDF/XML, remote JSON-LD contexts.

    A few hundred bytes of nested entities keep an XML parser busy for minutes, and SYSTEM entities
    or a remote ``@context`` are network requests; miner's RDF has no use for either.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(path, data)
    elif fmt == ox.RdfFormat.JSON_LD:
        try:
            remote = _remote_contexts(json.loads(data))
        except (ValueError, RecursionError) as exc:
            raise InputError(path, f"malformed JSONLD: {exc}") from None
        if remote:
            raise InputError(
                path, f"remote JSON-LD context {remote[0]!r} is refused (never fetched); inline the context in the file"
            )
