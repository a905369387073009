"""The review page's server: foreign Host and cross-site changes refused, uploads capped and read by
the list reader with one clear line on a bad file, corrections kept on disk across a restart, the
corrected list written by the classify writer."""

from __future__ import annotations

import io
import json

import pytest
from reviewfixture import TINY_LIST, build_small_model
from timeouts import scaled

from miner.serve.review import CLIENT_HEADER, CSP, ReviewSettings, make_app

HEADERS = {CLIENT_HEADER: "1"}


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    return build_small_model(tmp_path_factory.mktemp("model"))


def client_for(folder, model, **limits):
    from starlette.testclient import TestClient

    settings = ReviewSettings(folder=folder, model_dir=folder / "models", model=model, **limits)
    return TestClient(make_app(settings), base_url="http://127.0.0.1:8766")


@pytest.fixture
def client(tmp_path, small_model):
    return client_for(tmp_path, small_model, max_upload_bytes=4096)


def upload(client, body, name="list.csv", **headers):
    return client.post(f"/api/upload?name={name}", content=body, headers={**HEADERS, **headers})


def test_page_headers_and_foreign_host(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "Aucune liste" in page.text
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"host": "attacker.example:8766"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8766"}).status_code == 200


def test_changes_need_the_page_header_and_origin(client, tmp_path):
    assert client.post("/api/upload?name=list.csv", content=TINY_LIST.encode()).status_code == 403
    foreign = upload(client, TINY_LIST.encode(), origin="http://attacker.example")
    assert foreign.status_code == 403
    assert not (tmp_path / "session.json").exists()
    assert upload(client, TINY_LIST.encode(), origin="http://127.0.0.1:8766").status_code == 200


def test_too_large_body_refused_before_reading(client, tmp_path):
    response = upload(client, b"description\n" + b"x" * 5000)
    assert response.status_code == 413
    streamed = client.post(
        "/api/upload?name=list.csv", headers=HEADERS, content=iter([b"description\n", b"y" * 3000, b"z" * 3000])
    )
    assert streamed.status_code == 413
    toggle = client.post("/api/toggle", headers=HEADERS, content=json.dumps({"row": 0, "axis": 1, "pad": "x" * 5000}))
    assert toggle.status_code == 413
    assert not (tmp_path / "session.json").exists()


def test_bad_upload_gets_one_line_naming_the_file(client, tmp_path):
    broken = upload(client, b"PK\x03\x04 not really a workbook", name="activites.xlsx")
    assert broken.status_code == 400
    message = broken.json()["error"]
    assert message.startswith("activites.xlsx: ") and "\n" not in message
    assert str(tmp_path) not in message  # the upload's temporary path is not shown
    unknown = upload(client, b"hello", name="notes.docx")
    assert unknown.status_code == 400 and unknown.json()["error"].startswith("notes.docx: unsupported file type")
    assert upload(client, b"", name="empty.csv").json()["error"] == "empty.csv: empty file"
    assert client.get("/download.xlsx").status_code == 404
    assert not (tmp_path / "session.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".upload-")]


def test_corrections_survive_a_restart_and_reach_the_xlsx(client, tmp_path, small_model):
    import openpyxl

    assert upload(client, TINY_LIST.encode()).json()["rows"] == 4
    page = client.get("/").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    tagged = (tmp_path / "session.json").read_bytes()
    first = json.loads(tagged)["rows"][0]["axes"]
    toggled = client.post("/api/toggle", headers=HEADERS, content=json.dumps({"row": 0, "axis": 4})).json()
    assert (tmp_path / "session.json").read_bytes() == tagged  # a click rewrites only corrections.json
    saved = json.loads((tmp_path / "corrections.json").read_text(encoding="utf-8"))
    assert saved["corrections"] == {"0": toggled["axes"]} and saved["list"] == json.loads(tagged)["list"]
    assert toggled["axes"] == sorted(set(first) ^ {4}) and toggled["corrected"] and toggled["corrections"] == 1
    assert client.post("/api/toggle", headers=HEADERS, content=json.dumps({"row": 0, "axis": 9})).status_code == 400
    assert client.post("/api/toggle", headers=HEADERS, content=json.dumps({"row": 99, "axis": 1})).status_code == 400

    restarted = client_for(tmp_path, small_model)
    state = restarted.get("/api/status").json()
    assert state["corrections"] == 1
    body = restarted.get("/download.xlsx")
    assert body.status_code == 200 and "attachment" in body.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(body.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [r["id"] for r in rows] == ["A1", "A2", "A3", "A4"]
    assert rows[0]["axes"] == ";".join(map(str, toggled["axes"]))
    assert rows[0]["model_axes"] == ";".join(map(str, first))
    assert not str(rows[3]["description"]).startswith("=")  # a formula stays text
    assert (
        restarted.post("/api/model", headers=HEADERS, content=json.dumps({"model": "../../etc/passwd"})).status_code
        == 400
    )


def test_retrain_without_corrections_says_so(client, tmp_path, small_model):
    upload(client, TINY_LIST.encode())
    client.post("/api/toggle", headers=HEADERS, content=json.dumps({"row": 1, "axis": 2}))
    upload(client, TINY_LIST.encode())  # a new list: the old list's corrections do not carry over
    assert client.get("/api/status").json()["corrections"] == 0
    assert client_for(tmp_path, small_model).get("/api/status").json()["corrections"] == 0
    refused = client.post("/api/retrain", headers=HEADERS, content=b"{}")
    assert refused.status_code == 400 and "no corrections yet" in refused.json()["error"]


def test_session_file_checked_and_user_folder(tmp_path, monkeypatch):
    from miner.errors import InputError
    from miner.serve.review_session import ReviewSession, user_data_dir

    (tmp_path / "session.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"session.json: not a review session .*move it away"):
        ReviewSession.open(tmp_path)
    (tmp_path / "session.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(InputError, match="miner.review.v1 expected"):
        ReviewSession.open(tmp_path)
    monkeypatch.setenv("MINER_HOME", str(tmp_path / "home"))
    assert user_data_dir() == tmp_path / "home"
    monkeypatch.delenv("MINER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_data_dir() == tmp_path / "xdg" / "miner"
    assert ReviewSession.open(tmp_path / "fresh").models()[0].name == "shipped"


def test_workbook_of_two_sheets_needs_the_sheet_field(tmp_path, small_model):
    import openpyxl

    client = client_for(tmp_path, small_model)  # a workbook is over the other tests' 4 kB cap
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["rien"])
    sheet = book.create_sheet("activités")
    sheet.append(["description"])
    sheet.append(["Organisation d'un atelier de formation à la cybersécurité pour les PME membres"])
    buffer = io.BytesIO()
    book.save(buffer)
    asked = upload(client, buffer.getvalue(), name="liste.xlsx")
    assert asked.status_code == 400
    message = asked.json()["error"]
    assert (
        message.startswith("liste.xlsx: the workbook has 2 sheets (notes, activités)") and str(tmp_path) not in message
    )
    chosen = client.post("/api/upload?name=liste.xlsx&sheet=activités", content=buffer.getvalue(), headers=HEADERS)
    assert chosen.status_code == 200 and chosen.json()["rows"] == 1


def test_slow_request_head_dropped(tmp_path, small_model):
    import socket
    import threading
    import time

    from miner.serve.review import server

    settings = ReviewSettings(
        folder=tmp_path, model_dir=tmp_path / "models", model=small_model, port=0, header_seconds=1.0
    )
    instance = server(settings)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    while not instance.started:
        time.sleep(0.05)
    port = instance.servers[0].sockets[0].getsockname()[1]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=scaled(10)) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the head never ends
            assert slow.recv(100) == b""  # closed by the server (before the socket's own time limit)
        with socket.create_connection(("127.0.0.1", port), timeout=scaled(10)) as quick:
            quick.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert quick.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        instance.should_exit = True
        thread.join(scaled(10))


def test_miner_review_command_serves_on_loopback(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MINER_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "miner", "review", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith(f"review page: http://127.0.0.1:{port}/ (session {tmp_path / 'home' / 'review'}")
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=scaled(5)) as answer:
                    assert json.load(answer)["state"] == "idle"
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        else:
            pytest.fail("miner review did not answer")
        listening = [c for c in listening_sockets(process.pid) if c[1] == port]
        assert listening and all(address == "127.0.0.1" for address, _ in listening)
    finally:
        process.terminate()
        process.wait(scaled(10))


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """(address, port) of the listening TCP sockets of ``pid``, read from /proc (Linux)."""
    import os

    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as handle:
            for line in list(handle)[1:]:
                fields = line.split()
                if fields[9] in inodes and fields[3] == "0A":  # 0A: LISTEN
                    address, port = fields[1].split(":")
                    if len(address) == 8:
                        address = ".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0))
                    found.append((address, int(port, 16)))
    return found


def test_pdf_list_uploaded_and_tagged(tmp_path, small_model):
    from reviewfixture import ROOT

    client = client_for(tmp_path, small_model)
    pdf = (ROOT / "corpora" / "pdf" / "activites-chanvrelia-2024.pdf").read_bytes()
    answer = upload(client, pdf, name="activites-chanvrelia-2024.pdf")
    assert answer.status_code == 200 and answer.json()["rows"] == 26
    page = client.get("/").text
    assert page.count('class="axis') == 26 * 6
    assert "Atelier technique sur la mise en œuvre des blocs de chanvre-chaux" in page


def test_uncertain_rows_are_listed_first(tmp_path):
    from miner.serve.review_session import ReviewSession

    session = ReviewSession.open(tmp_path / "fresh")
    session.data["rows"] = [
        {"axes": [1], "uncertain": False},
        {"axes": [2], "uncertain": True},
        {"axes": [3], "uncertain": False},
    ]
    assert [r["index"] for r in session.ordered_rows()] == [1, 0, 2]
    assert [r["index"] for r in session.rows()] == [0, 1, 2]  # clicks address rows by their place in the list
