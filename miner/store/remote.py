"""External SPARQL stores: push named graphs (Graph Store HTTP Protocol) and query endpoints.

For users past one machine: the local Oxigraph store stays the working copy, and each named
graph is sent whole to the organisation's store with ``PUT <graph-store>?graph=<iri>``, which
replaces that graph there (so a re-push never duplicates). Transient failures are retried a
bounded number of times with back-off; when the store stays unreachable the error says which
graphs were sent and which were not, so nothing is left half-pushed without a word.
Only the standard library's HTTP client is used.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from miner.errors import MinerError, UsageError
from miner.store.owners import OWNERS_GRAPH
from miner.store.query import QueryResult, check_query

__all__ = ["Remote", "PushReport", "push_store", "remote_query", "graph_store_url"]


@dataclass(frozen=True)
class Remote:
    """Where and how to reach a store. ``auth`` is "user:password" (Basic) or "Bearer TOKEN"."""

    endpoint: str
    graph_store: str | None = None
    auth: str | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    def headers(self) -> dict[str, str]:
        if not self.auth:
            return {}
        if self.auth.lower().startswith("bearer "):
            return {"Authorization": self.auth}
        if ":" not in self.auth:
            raise UsageError("--auth takes USER:PASSWORD or 'Bearer TOKEN'")
        token = base64.b64encode(self.auth.encode("utf-8")).decode("ascii")
        return {"Authorization": f"Basic {token}"}


def graph_store_url(endpoint: str) -> str:
    """Guess the Graph Store endpoint from a query endpoint (Oxigraph /query → /store,
    Fuseki /ds/sparql or /ds/query → /ds/data, GraphDB /repositories/R → .../rdf-graphs/service).

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://localhost:3030/ds/sparql")
    'http://localhost:3030/ds/data'
    >>> graph_store_url("http://localhost:7200/repositories/miner")
    'http://localhost:7200/repositories/miner/rdf-graphs/service'
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if "/repositories/" in path:
        new = path + "/rdf-graphs/service"
    elif path == "/query":
        new = "/store"
    elif path.endswith(("/sparql", "/query")):
        new = path.rsplit("/", 1)[0] + "/data"
    else:
        raise UsageError(f"cannot tell the graph store URL of {endpoint}; give it with --graph-store")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def _check_url(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise UsageError(f"{url}: only http(s) endpoints are supported")


def _request(remote: Remote, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    """One HTTP call with bounded retries on connection errors and 5xx answers."""
    last = ""
    for attempt in range(remote.retries + 1):
        request = urllib.request.Request(url, data=body, method=method, headers={**remote.headers(), **headers})
        try:
            with urllib.request.urlopen(request, timeout=remote.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip()
            if exc.code < 500:
                raise MinerError(f"{url}: HTTP {exc.code} {exc.reason}: {detail}") from None
            last = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt < remote.retries:
            time.sleep(remote.backoff * (2**attempt))
    raise MinerError(f"{url}: unreachable after {remote.retries + 1} attempts ({last})")


@dataclass
class PushReport:
    pushed: list[tuple[str, int]] = field(default_factory=list)
    not_pushed: list[str] = field(default_factory=list)


def push_store(
    store: Any,
    remote: Remote,
    *,
    graphs: list[str] | None = None,
    echo: Callable[[str], Any] = print,
) -> PushReport:
    """Replace each named graph of the local store (or those listed) in the remote store; the
    graphs' owners (:mod:`miner.store.owners`) stay local, as in exports."""

    target = remote.graph_store or graph_store_url(remote.endpoint)
    _check_url(target)
    names = graphs or sorted(
        g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value != OWNERS_GRAPH
    )  # owners name local files
    report = PushReport()
    for index, name in enumerate(names):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        count = data.count(b"\n")
        url = f"{target}?{urllib.parse.urlencode({'graph': name})}"
        try:
            _request(remote, "PUT", url, data, {"Content-Type": "application/n-triples"})
        except MinerError as exc:
            report.not_pushed = names[index:]
            sent = ", ".join(g for g, _ in report.pushed) or "none"
            raise MinerError(
                f"{exc}. Pushed before the failure: {sent}. Not pushed: {', '.join(report.not_pushed)}"
            ) from None
        report.pushed.append((name, count))
        echo(f"{name}: {count} triples pushed")
    return report


def remote_query(remote: Remote, text: str, *, max_rows: int | None = None) -> Any:
    """Run a read-only query on a SPARQL 1.1 endpoint; returns a ``miner.store.query.QueryResult``.

    The query is checked locally first (updates, SERVICE, LOAD are refused), as for the local store.
    """

    _check_url(remote.endpoint)
    checked = check_query(text)
    if checked.form in ("CONSTRUCT", "DESCRIBE"):
        raw = _request(
            remote,
            "POST",
            remote.endpoint,
            urllib.parse.urlencode({"query": checked.text}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/n-triples"},
        )
        result = QueryResult(checked.form)
        result.triples = list(ox.parse(raw, format=ox.RdfFormat.N_TRIPLES))
        return result
    raw = _request(
        remote,
        "POST",
        remote.endpoint,
        urllib.parse.urlencode({"query": checked.text}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    )
    try:
        answer = json.loads(raw)
    except ValueError:
        raise MinerError(f"{remote.endpoint}: the answer is not SPARQL JSON results") from None
    if "boolean" in answer:
        return QueryResult("ASK", boolean=bool(answer["boolean"]))
    variables = answer["head"]["vars"]
    result = QueryResult("SELECT", variables)
    for binding in answer["results"]["bindings"]:
        if max_rows is not None and len(result.rows) >= max_rows:
            result.truncated = True
            break
        result.rows.append(tuple(_term(binding.get(v)) for v in variables))
    return result


def _term(value: dict[str, str] | None) -> Any:

    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])
