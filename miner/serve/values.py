"""The values present in the store for a saved query's typed parameter: ``/queries/NAME/values/PARAM``.

The query page offers them as the field's choices; each comes with its SPARQL form (the same term,
datatype and language included), so the value the page binds is one the store holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from miner.errors import MinerError
from miner.store.params import NAMED_KINDS, NUMBER_KINDS, distinct_terms, term_text
from miner.store.query import SavedQuery

__all__ = ["MAX_VALUES", "values_route"]

MAX_VALUES = 2000
"""Choices offered at most: past that a list is not read, the field is typed into."""


def values_route(saved: list[SavedQuery], query: Callable[[str], Any], reply: Callable[..., Any]) -> Route:
    """The route, over the endpoint's own (screened, pooled) query function."""
    by_name = {q.name: q for q in saved}

    def values(name: str, param: str) -> Any:
        query_ = by_name.get(name)
        declared = next((p for p in query_.params if p.name == param), None) if query_ else None
        if declared is None:
            return reply(404, f"no saved query {name!r} with a parameter {param!r}\n", "text/plain; charset=utf-8")
        if declared.type not in NAMED_KINDS + NUMBER_KINDS:
            return reply(200, "[]", "application/json")
        try:
            result = query(query_.text)
        except MinerError as exc:
            return reply(exc.http_status, str(exc) + "\n", "text/plain; charset=utf-8")
        terms = distinct_terms(result, param)[:MAX_VALUES]
        body = [{"text": term_text(t), "sparql": str(t)} for t in terms]
        return reply(200, json.dumps(body, ensure_ascii=False), "application/json")

    async def handler(request: Any) -> Any:
        return await run_in_threadpool(values, request.path_params["name"], request.path_params["param"])

    return Route("/queries/{name}/values/{param}", handler, methods=["GET", "HEAD"])
