"""The JSON API mirrors the CLI: new, make, status, shot review, screenplay, publish."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from tests.studio.conftest import csrf_of, signup


def _api(app) -> tuple[TestClient, dict]:
    browser = TestClient(app)
    signup(browser, "ci@brand.example", workspace="Brand")
    page = browser.get("/account")
    r = browser.post("/account/tokens", data={"csrf": csrf_of(page.text), "name": "ci"})
    token = r.text.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("mft_")
    return TestClient(app), {"Authorization": f"Bearer {token}"}


def test_api_round_trip(app, fake):
    api, h = _api(app)
    r = api.post("/api/v1/films", headers=h, json={"title": "末班车", "genre": "温情亲情", "logline": "女儿坐末班车回家。",
                                                   "language": "zh", "duration": 30, "platform": "douyin"})
    assert r.status_code == 201, r.text
    film = r.json()
    assert film["genre"] == "touching-family" and film["published"] is False
    fid = film["id"]
    bad = api.post("/api/v1/films", headers=h, json={"title": "x", "genre": "western", "logline": "x"})
    assert bad.status_code == 422 and "genre" in bad.json()["detail"]

    status = api.get(f"/api/v1/films/{fid}/status", headers=h).json()
    assert [s["state"] for s in status["stages"]] == ["missing"] * 6 and status["title"] == "末班车"

    job = api.post(f"/api/v1/films/{fid}/make", headers=h).json()["job"]
    deadline = time.monotonic() + 20
    while (snap := api.get(f"/api/v1/jobs/{job}", headers=h).json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert snap["state"] == "done"
    assert api.post(f"/api/v1/films/{fid}/make", headers=h, json={"policy": "sometimes"}).status_code == 422

    shot = api.post(f"/api/v1/films/{fid}/shots/s01/approve", headers=h, json={"value": True}).json()
    assert shot == {"id": "s01", "take": 0, "approved": True, "locked": False}
    assert api.post(f"/api/v1/films/{fid}/shots/s01/regenerate", headers=h).json()["take"] == 1
    assert api.post(f"/api/v1/films/{fid}/shots/nope/lock", headers=h).status_code == 404

    text = api.get(f"/api/v1/films/{fid}/screenplay", headers=h).text
    assert "Is this the last bus?" in text
    put = api.put(f"/api/v1/films/{fid}/screenplay", headers=h, content=text.replace("last bus", "final bus"))
    assert put.status_code == 200
    assert "final bus" in api.get(f"/api/v1/films/{fid}/screenplay", headers=h).text
    assert api.put(f"/api/v1/films/{fid}/screenplay", headers=h, content=b"\xff\xfe").status_code == 422

    pub = api.post(f"/api/v1/films/{fid}/publish", headers=h).json()
    assert pub["published"] and pub["watch_url"] == f"/watch/{fid}"
    assert api.get(f"/watch/{fid}").status_code == 200
    info = api.get(f"/api/v1/films/{fid}", headers=h).json()
    assert "film" in info["outputs"] and info["job"]["state"] == "done"


def test_api_docs_are_served(app):
    spec = TestClient(app).get("/api/openapi.json").json()
    assert "/api/v1/films/{fid}/make" in spec["paths"]
