"""Query workers die with the process that holds their pool, whichever of its threads started them,
even while they run a query (an idle worker ends by itself when its pipe closes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from processes import alive, descendants
from timeouts import scaled

PARENT = """
import sys, threading, time
from miner.store.local import open_store, replace_graphs
from miner.store.pool import QueryPool

folder = sys.argv[1]
rows = [(f"https://e/{i}", "https://e/p", str(i % 3)) for i in range(3000)]
replace_graphs(open_store(folder), {"https://e/g": rows})
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?x . ?c ?p ?x . ?d ?p ?x }"
pools = [QueryPool(folder, size=1)]  # a worker started by the main thread


def start():  # and one by a thread that ends once its worker runs
    pool = QueryPool(folder, size=1)
    pool.network_guards()
    pools.append(pool)


thread = threading.Thread(target=start)
thread.start()
thread.join()
for pool in pools:
    threading.Thread(target=pool.run, args=(RUNAWAY,), kwargs={"timeout": None}, daemon=True).start()
print("ready", flush=True)
time.sleep(600)
"""


def cpu_ticks(pid: int) -> int:
    """User and system clock ticks ``pid`` has used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
def test_no_query_worker_outlives_a_killed_parent(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "store")], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    workers: list[int] = []
    try:
        assert parent.stdout.readline().strip() == "ready"
        workers = sorted(descendants(parent.pid))
        assert len(workers) == 2, "the parent did not start its two workers"
        assert all(map(alive, workers)), "a worker started by a thread died when that thread ended"
        # each worker busy on the runaway query: it will not read the end of its pipe
        start = {pid: cpu_ticks(pid) for pid in workers}
        deadline = time.monotonic() + scaled(10)
        while any(cpu_ticks(pid) - start[pid] < 20 for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(map(alive, workers))
        parent.send_signal(signal.SIGKILL)  # the parent runs no cleanup of its own
        parent.wait(scaled(10))
        deadline = time.monotonic() + scaled(1)
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        parent.kill()
        parent.wait()
        for pid in workers:  # this test's own cleanup, should it fail
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_worker_started_ahead_serves_the_first_pool(tmp_path):
    """`miner query` starts its worker before parsing its command line; the pool takes that one."""
    from miner.store.local import open_store, replace_graphs
    from miner.store.pool import QueryPool
    from miner.store.spawn import prestart

    folder = tmp_path / "store"
    replace_graphs(open_store(folder), {"https://e/g": [("https://e/s", "https://e/p", "1")]})
    before = descendants(os.getpid())
    prestart()
    ahead = descendants(os.getpid()) - before
    assert len(ahead) == 1
    with QueryPool(folder, size=1) as pool:
        assert descendants(os.getpid()) - before == ahead  # no second worker
        assert pool.run("SELECT ?o WHERE { GRAPH <https://e/g> { ?s ?p ?o } }").values() == [("1",)]
