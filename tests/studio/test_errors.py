"""Errors map to HTTP statuses by type, in one place (studio.errors + studio.answers), and each
error gets the answer its asker reads: the API's JSON, a page script's JSON, or the error page.
"""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from microfilm.errors import MicrofilmError, SpecError
from microfilm.media.images import ImageRefused
from microfilm.studio.errors import Conflict, Invalid, NotFound, Rendering, status_of
from microfilm.studio.films import NoSuchReference
from microfilm.studio.jobs import JobConflict
from tests.studio.conftest import csrf_of, new_film, signup


def test_each_type_has_its_status():
    assert status_of(NotFound()) == 404 and status_of(NoSuchReference("no sheet")) == 404
    assert status_of(Rendering(job="j1")) == 409 and status_of(Conflict("a link leads out")) == 409
    assert status_of(JobConflict("j1")) == 409
    assert status_of(SpecError("bible.yaml: bad")) == 422 and status_of(Invalid("policy")) == 422
    assert status_of(MicrofilmError("any refusal of the core")) == 422
    assert status_of(ImageRefused("too big", status=413)) == 413 and status_of(ImageRefused("not an image")) == 415
    assert status_of(RuntimeError("a bug")) == 500


def test_one_error_three_askers(app, fake):
    """A render in the way: the page's script, a plain form post and the JSON API each get 409
    in their own shape, naming the render; another workspace's film is 404 to all three."""
    fake.gate = threading.Event()
    try:
        owner = TestClient(app)
        csrf = signup(owner, "ann@brand.example", workspace="Brand")
        fid = new_film(owner, csrf)
        job = owner.post(f"/films/{fid}/make", headers={"x-csrf-token": csrf}).json()["job"]

        script = owner.post(f"/films/{fid}/screenplay", data={"text": "INT. ROOM - DAY\n\nHi.\n"},
                            headers={"x-csrf-token": csrf, "accept": "application/json"})
        assert script.status_code == 409
        body = script.json()
        assert body["ok"] is False and "rendering" in body["error"] and body["detail"] == body["error"]
        again = owner.post(f"/films/{fid}/make", headers={"x-csrf-token": csrf})
        assert again.status_code == 409 and again.json()["job"] == job and again.json()["ok"] is False

        form = owner.post(f"/films/{fid}/approve-shots", data={"csrf": csrf}, headers={"accept": "text/html"})
        assert form.status_code == 409 and form.headers["content-type"].startswith("text/html")
        assert "rendering" in form.text and "<html" in form.text.lower()

        page = owner.get("/account")
        token = owner.post("/account/tokens", data={"csrf": csrf_of(page.text), "name": "ci"}).text
        token = token.split('id="new-token">')[1].split("<")[0]
        api = TestClient(app)
        h = {"Authorization": f"Bearer {token}"}
        made = api.post(f"/api/v1/films/{fid}/make", headers=h, json={})
        assert made.status_code == 409 and made.json()["job"] == job and "rendering" in made.json()["detail"]
        assert "ok" not in made.json()

        rival = TestClient(app)
        rival_csrf = signup(rival, "rival@agency.example", workspace="Agency")
        theirs = rival.post(f"/films/{fid}/make", headers={"x-csrf-token": rival_csrf})
        assert theirs.status_code == 404 and theirs.json()["ok"] is False
        html = rival.get(f"/films/{fid}", headers={"accept": "text/html"})
        assert html.status_code == 404 and "not yours to see" in html.text
        assert api.get("/api/v1/films/nosuchfilm", headers=h).json() == {"detail": "Not Found"}
    finally:
        fake.gate.set()
