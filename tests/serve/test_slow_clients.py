"""300 slow sockets on loopback leave the endpoint and the review page serving normal requests
(issue 24: they used to answer 503 to most of them). The attack is bounded: it stops when the
normal requests are done and the server has closed one of its sockets, or after a minute at most,
and only ever connects to 127.0.0.1."""

from __future__ import annotations

import os
import selectors
import socket
import threading
import time
import urllib.request

from timeouts import scaled

from miner.serve.endpoint import ServeSettings, make_server
from miner.serve.guard import SlowClientGuard
from miner.serve.review import ReviewSettings, server
from miner.store.local import open_store, replace_graphs

SCALE = float(os.environ.get("MINER_TEST_TIMEOUT_SCALE", "1") or 1)
SLOW_SOCKETS = 300
NORMAL_REQUESTS = 20


class SlowLoris(threading.Thread):
    """Holds ``count`` sockets to 127.0.0.1:``port``, each sending one header byte every half
    second and never ending its head; a socket the server closes is reopened at the next tick."""

    def __init__(self, port: int, count: int = SLOW_SOCKETS, longest: float = 60.0):
        super().__init__(daemon=True)
        self.port, self.count, self.longest = port, count, longest
        self.stop = threading.Event()
        self.opened = self.closed_by_server = self.most_open = 0
        self.ready = threading.Event()

    def _open(self, selector: selectors.BaseSelector) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", self.port))
        selector.register(sock, selectors.EVENT_READ, data=[b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 0])
        self.opened += 1

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        end = time.monotonic() + self.longest
        try:
            for _ in range(self.count):
                self._open(selector)
            self.ready.set()
            next_byte = time.monotonic()
            reopen = 0
            while not self.stop.is_set() and time.monotonic() < end:
                for key, _ in selector.select(timeout=scaled(0.05)):
                    try:
                        gone = key.fileobj.recv(4096) == b""
                    except (BlockingIOError, InterruptedError):
                        gone = False
                    except OSError:
                        gone = True
                    if gone:
                        selector.unregister(key.fileobj)
                        key.fileobj.close()
                        self.closed_by_server += 1
                        reopen += 1
                self.most_open = max(self.most_open, len(selector.get_map()))
                if time.monotonic() >= next_byte:
                    next_byte = time.monotonic() + 0.5
                    for _ in range(reopen):
                        self._open(selector)
                    reopen = 0
                    for key in list(selector.get_map().values()):
                        head, sent = key.data
                        chunk = head[sent : sent + 1] if sent < len(head) else b"a"
                        try:
                            key.fileobj.send(chunk)
                            key.data[1] = sent + 1
                        except (BlockingIOError, InterruptedError, OSError):
                            pass  # not connected yet, or closed: the read side sees it
        finally:
            for key in list(selector.get_map().values()):
                key.fileobj.close()
            selector.close()


def _normal_requests(url: str) -> list[int]:
    statuses = []
    for _ in range(NORMAL_REQUESTS):
        try:
            with urllib.request.urlopen(url, timeout=15 * SCALE) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except OSError as exc:
            statuses.append(repr(exc))
        time.sleep(0.05)
    return statuses


def _attack_while(port: int, url: str) -> tuple[list, SlowLoris]:
    loris = SlowLoris(port)
    loris.start()
    try:
        assert loris.ready.wait(30 * SCALE)
        time.sleep(1.0)  # every slow socket connected and trickling
        statuses = _normal_requests(url)
        # The cap closes only connections that had settle_seconds (2 s) to send their head, when one
        # of that IP's connections next stirs: on a fast machine the normal requests may be done
        # before that, so the attack goes on (bounded) until the server has closed one slow socket.
        deadline = time.monotonic() + scaled(30)
        while loris.closed_by_server == 0 and loris.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        loris.stop.set()
        loris.join(scaled(30))
    return statuses, loris


def test_endpoint_serves_through_300_slow_sockets(tmp_path):
    folder = tmp_path / "store"
    store = open_store(folder)
    replace_graphs(store, {"https://e/g": [("https://e/s", "https://e/p", "1")]})
    del store
    endpoint = make_server(folder, ServeSettings(port=0, max_concurrent=1))
    thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
    thread.start()
    host, port = endpoint.server_address[:2]
    try:
        statuses, loris = _attack_while(port, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")
    finally:
        endpoint.shutdown()
        endpoint.server_close()
        thread.join(scaled(10))
    assert statuses == [200] * NORMAL_REQUESTS, statuses
    assert loris.opened >= SLOW_SOCKETS and loris.closed_by_server > 0 and endpoint.guard.evicted > 0


def test_review_page_serves_through_300_slow_sockets(tmp_path):
    settings = ReviewSettings(folder=tmp_path, model_dir=tmp_path / "models", port=0)  # no list: no model loads
    instance = server(settings)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30 * SCALE
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = instance.servers[0].sockets[0].getsockname()[1]
    try:
        statuses, loris = _attack_while(port, f"http://127.0.0.1:{port}/api/status")
    finally:
        instance.should_exit = True
        thread.join(scaled(10))
    assert statuses == [200] * NORMAL_REQUESTS, statuses
    assert loris.opened >= SLOW_SOCKETS and loris.closed_by_server > 0


def test_the_cap_never_closes_a_newcomer_nor_a_connection_being_served():
    class Conn:
        def __init__(self, state):
            self.conn = type("C", (), {"their_state": state})()

    import h11

    guard = SlowClientGuard(head_seconds=10, per_ip=2, settle_seconds=0.0)
    old_body, old_head, new = Conn(h11.SEND_BODY), Conn(h11.IDLE), Conn(h11.IDLE)
    assert guard.admit("127.0.0.1", old_body) == [] and guard.admit("127.0.0.1", old_head) == []
    assert guard.admit("127.0.0.1", new) == [old_head]  # one still waiting for its head goes first
    assert guard.admit("10.0.0.1", Conn(h11.IDLE)) == []  # another IP has its own count
    young = SlowClientGuard(head_seconds=10, per_ip=1, settle_seconds=60.0)
    young.admit("127.0.0.1", Conn(h11.IDLE))
    assert young.admit("127.0.0.1", Conn(h11.IDLE)) == []  # nobody has settled yet: nobody is closed
