"""The SPARQL endpoint's latency: miner's endpoint (Starlette + uvicorn, Host check, body cap,
screened queries) against a bare baseline in the same run: the standard library's
``ThreadingHTTPServer`` answering from the same query pool with nothing but ``parse_qs`` in front
(the shape of miner's endpoint before issue 13). Same store, same 1,000 requests from 20 threads,
same query mix as the load test; p50 / p95 of each and the ratio; then one client at a time, which
shows what a request costs without queueing. Also the screening parser's cost
per saved query, uncached (repeated queries hit its cache).

    python bench/bench_endpoint.py [--requests 1000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "corpora" / "pdf" / "evaluation-chanvrelia-2025.pdf"
sys.path.insert(0, str(ROOT / "bench"))
from goals import TINY  # noqa: E402

QUERIES = [
    (ROOT / "ontology" / "queries" / "partial_criteria.rq").read_text(encoding="utf-8"),
    "ASK { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?c WHERE { ?c a <https://w3id.org/miner/ontology#Constat> } LIMIT 20",
]


def bare_server(pool):
    """The baseline: stdlib HTTP, the query string parsed, the pool asked, JSON written."""
    from miner.store.query import format_result

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # noqa: ANN002
            pass

        def do_GET(self):  # noqa: N802
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0]
            body = format_result(pool.run(query, timeout=10, max_rows=10_000, wait=10), "json").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    return server


def load(base: str, requests: int, concurrency: int) -> tuple[list[float], int, float]:
    """Latencies (sorted), errors, and requests per second of a closed loop of ``concurrency`` clients."""

    def one(i: int) -> tuple[int, float]:
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERIES[i % len(QUERIES)]})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=30
            ) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        return status, time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        results = list(executor.map(one, range(requests)))
    rate = requests / (time.perf_counter() - start)
    return sorted(s for _, s in results), sum(1 for status, _ in results if status != 200), rate


def percentile(values: list[float], q: float) -> float:
    return values[max(0, int(q * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    single = 200
    if args.tiny:
        args.requests, args.concurrency, single = 24, 4, 8

    from miner.pipeline.build import build
    from miner.serve.endpoint import ServeSettings, make_server
    from miner.store.pool import PoolSettings, QueryPool
    from miner.store.screening import check_query

    folder = Path(tempfile.mkdtemp()) / "store"
    build([SAMPLE], folder, out=folder.parent, skip=["organisations", "network", "compare"] if args.tiny else [])
    rows = []
    pool = QueryPool(folder, PoolSettings(size=2))
    bare = bare_server(pool)
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    load(f"http://127.0.0.1:{bare.server_address[1]}", 40, 4)  # warm the workers
    rows.append(
        (
            "bare stdlib server, same pool",
            *load(f"http://127.0.0.1:{bare.server_address[1]}", args.requests, args.concurrency),
        )
    )
    alone = [("bare stdlib server, same pool", *load(f"http://127.0.0.1:{bare.server_address[1]}", single, 1))]
    bare.shutdown()
    bare.server_close()
    pool.close()

    endpoint = make_server(folder, ServeSettings(port=0, max_concurrent=2))
    threading.Thread(target=endpoint.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{endpoint.server_address[1]}"
    load(base, 40, 4)
    rows.append(("miner serve (Starlette + uvicorn)", *load(base, args.requests, args.concurrency)))
    alone.append(("miner serve (Starlette + uvicorn)", *load(base, single, 1)))
    endpoint.shutdown()
    endpoint.server_close()

    print(f"endpoint: {args.requests} requests, {args.concurrency} concurrent, sample report store")
    for name, latencies, errors, rate in rows:
        print(
            f"  {name:36s} p50 {statistics.median(latencies) * 1000:6.1f} ms   "
            f"p95 {percentile(latencies, 0.95) * 1000:6.1f} ms   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms   "
            f"mean {statistics.mean(latencies) * 1000:6.1f} ms   "
            f"{rate:5.0f} req/s   errors {errors}"
        )
    (_, bare_lat, _, bare_rate), (_, new_lat, _, new_rate) = rows
    print(
        f"  ratio miner / bare: p50 {statistics.median(new_lat) / statistics.median(bare_lat):.2f}x, "
        f"p95 {percentile(new_lat, 0.95) / percentile(bare_lat, 0.95):.2f}x, throughput {new_rate / bare_rate:.2f}x"
    )
    print(f"one client at a time, {single} requests (the cost of a request without queueing):")
    for name, latencies, _, _ in alone:
        print(
            f"  {name:36s} p50 {statistics.median(latencies) * 1000:6.1f} ms   "
            f"p95 {percentile(latencies, 0.95) * 1000:6.1f} ms"
        )
    from miner.store.query import saved_queries

    costs = []
    for saved in saved_queries():
        start = time.perf_counter()
        check_query.__wrapped__(saved.text)
        costs.append(time.perf_counter() - start)
    print(
        f"  screening, uncached, {len(costs)} saved queries: p50 {statistics.median(costs) * 1000:.1f} ms, "
        f"max {max(costs) * 1000:.1f} ms (a repeated query is answered from the cache)"
    )


if __name__ == "__main__":
    main()
