"""The query step on a store nothing was written to since the last run prints the answers it printed
then without running the queries again; a write to the store (here by another run) runs them."""

from __future__ import annotations

import miner.pipeline.steps.store as store_steps
from miner.pipeline.progress import Reporter
from miner.pipeline.runner import load_pipeline, run_pipeline
from miner.store.local import open_store

PIPELINE = """name: q
inputs: ["data/*.csv"]
store: out/store
out: out
steps:
  - step: miner.members.v1
    params: {cluster: Cluster Banc, cycle: triennat-7}
  - step: miner.query.v1
    params:
      queries: [queries/labels.rq]
"""
QUERY = "SELECT ?label WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } } ORDER BY ?label"


def run(path, monkeypatch) -> tuple[list[str], int]:
    """What the run printed and how many queries it ran."""
    ran = []
    real = store_steps.run_query

    def counted(store, text, **kw):
        ran.append(text)
        return real(store, text, **kw)

    monkeypatch.setattr(store_steps, "run_query", counted)
    lines: list[str] = []
    ctx = run_pipeline(load_pipeline(path), reporter=Reporter("human", echo=lines.append))
    assert not ctx.failures
    return lines, len(ran)


def test_an_unwritten_store_replays_the_answers_and_a_written_one_runs_them(tmp_path, monkeypatch):
    for folder in ("data", "queries", "pipelines"):
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "membres.csv").write_text("nom,code_postal\nAlpha SA,5000\n", encoding="utf-8")
    (tmp_path / "queries" / "labels.rq").write_text(QUERY)
    path = tmp_path / "pipelines" / "q.yaml"
    path.write_text(PIPELINE)
    monkeypatch.chdir(tmp_path)  # the query file is named from here

    first, ran = run(path, monkeypatch)
    assert ran == 1 and any("Alpha SA" in line for line in first)
    again, ran = run(path, monkeypatch)
    assert (again, ran) == (first, 0)

    store = open_store(tmp_path / "out" / "store")  # another process's write between two runs
    store.update(
        'INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "beta" } }'
    )
    store.flush()
    del store
    after, ran = run(path, monkeypatch)
    assert ran == 1 and any("beta" in line for line in after) and after != first
