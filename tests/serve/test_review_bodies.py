"""Every JSON body of the review page is checked by a pydantic model: odd bodies get a 4xx with a
message naming the field, never a 500 (issue 24: ``{"row": Infinity}`` used to give a traceback)."""

from __future__ import annotations

import pytest

from miner.errors import UsageError
from miner.serve.bodies import Toggle, parse_body
from miner.serve.review import CLIENT_HEADER, ReviewSettings, make_app

HEADERS = {CLIENT_HEADER: "1", "content-type": "application/json"}

ODD_TOGGLES = [
    (b'{"row": Infinity, "axis": 1}', "row"),
    (b'{"row": -Infinity, "axis": 1}', "row"),
    (b'{"row": NaN, "axis": 1}', "row"),
    (b'{"row": 1e400, "axis": 1}', "row"),
    (b'{"row": 0.5, "axis": 1}', "row"),
    (b'{"row": "0", "axis": 1}', "row"),
    (b'{"row": true, "axis": 1}', "row"),
    (b'{"row": null, "axis": 1}', "row"),
    (b'{"row": -1, "axis": 1}', "row"),
    (b'{"row": 123456789012345678901234567890, "axis": 1}', "row"),
    (b'{"row": 0, "axis": 7}', "axis"),
    (b'{"row": 0, "axis": [1]}', "axis"),
    (b'{"row": 0}', "axis"),
    (b'{"row": 0, "axis": 1, "extra": 1}', "extra"),
    (b"[0, 1]", "object"),
    (b'"row"', "object"),
    (b'{"row": 0, "axis": 1', "JSON"),
    (b"\xff\xfe{}", "JSON"),
    (b"", "row"),
]

ODD_MODELS = [
    (b'{"model": 1}', "model"),
    (b'{"model": ""}', "model"),
    (b'{"model": null}', "model"),
    (b'{"model": {"name": "x"}}', "model"),
    (b'{"model": "' + b"m" * 300 + b'"}', "model"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The page with no list uploaded: a body is checked before the session is asked anything,
    so no model is trained or loaded here (the session's own checks are test_review.py's)."""
    from starlette.testclient import TestClient

    folder = tmp_path_factory.mktemp("review")
    app = make_app(ReviewSettings(folder=folder, model_dir=folder / "models"))
    return TestClient(app, base_url="http://127.0.0.1:8766", raise_server_exceptions=False)


@pytest.mark.parametrize("body,field", ODD_TOGGLES)
def test_odd_toggle_bodies_get_400_naming_the_field(client, body, field):
    response = client.post("/api/toggle", content=body, headers=HEADERS)
    assert response.status_code == 400, (body, response.status_code, response.text)
    assert field in response.json()["error"]


@pytest.mark.parametrize("body,field", ODD_MODELS)
def test_odd_model_bodies_get_400(client, body, field):
    response = client.post("/api/model", content=body, headers=HEADERS)
    assert response.status_code == 400, (body, response.text)
    assert field in response.json()["error"]


def test_a_well_formed_click_reaches_the_session(client):
    response = client.post("/api/toggle", content=b'{"row": 0, "axis": 2}', headers=HEADERS)
    assert response.status_code == 400 and "row 1 cannot be corrected" in response.json()["error"]


def test_the_models_alone():
    assert parse_body(Toggle, b'{"row": 3, "axis": 6}') == Toggle(row=3, axis=6)
    with pytest.raises(UsageError, match="^row: "):
        parse_body(Toggle, b'{"row": Infinity, "axis": 6}')
