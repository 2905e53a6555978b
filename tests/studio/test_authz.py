"""The authorization matrix: a workspace's drafts, assets and jobs are its own.

Another workspace and anonymous visitors get 404 (a draft's existence does not leak) on
every page, file, job and action of a film; the JSON API answers 401 without a token and
404 for another workspace's film. Published films are public on /watch; drafts are not.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.studio.conftest import csrf_of


def film_gets(fid: str, job: str) -> list[str]:
    return [f"/films/{fid}", f"/films/{fid}/media/out/film.mp4", f"/films/{fid}/media/screenplay.fountain.md",
            f"/films/{fid}/media/out/cover.png", f"/films/{fid}/media/out/film.vtt", f"/films/{fid}/cover.jpg",
            f"/films/{fid}/jobs/{job}", f"/films/{fid}/jobs/{job}/events", f"/films/{fid}/screenplay/preview"]


def film_posts(fid: str) -> list[str]:
    return [f"/films/{fid}/make", f"/films/{fid}/publish", f"/films/{fid}/unpublish", f"/films/{fid}/screenplay",
            f"/films/{fid}/screenplay/preview", f"/films/{fid}/shots/s01/approve", f"/films/{fid}/shots/s01/lock",
            f"/films/{fid}/shots/s01/regenerate"]


def test_owner_sees_their_draft_and_its_files(two_workspaces):
    owner, fid, job = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["job"]
    for url in film_gets(fid, job):
        if url.endswith(".md"):
            continue
        r = owner.get(url)
        assert r.status_code == 200, (url, r.status_code)
    assert "The Last Bus" in owner.get("/projects").text


@pytest.mark.parametrize("who", ["other", "anon"])
def test_others_get_404_on_every_draft_page_file_and_job(two_workspaces, who):
    client: TestClient = two_workspaces[who]
    fid, job = two_workspaces["fid"], two_workspaces["job"]
    for url in film_gets(fid, job):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 404, (who, url, r.status_code)
        assert "The Last Bus" not in r.text
    token = two_workspaces["other_csrf"] if who == "other" else csrf_of(client.get("/login").text)
    for url in film_posts(fid):
        r = client.post(url, data={"csrf": token, "text": "x"}, headers={"x-csrf-token": token},
                        follow_redirects=False)
        assert r.status_code == 404, (who, url, r.status_code)
    r = client.post(f"/films/{fid}/uploads", data={"csrf": token, "kind": "reference"},
                    files={"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "image/png")})
    assert r.status_code == 404
    # Nothing in their own lists either.
    if who == "other":
        assert "The Last Bus" not in client.get("/projects").text
    else:
        assert client.get("/projects", follow_redirects=False).status_code == 303


def test_drafts_are_not_on_watch_until_published(two_workspaces):
    owner, anon, other = two_workspaces["owner"], two_workspaces["anon"], two_workspaces["other"]
    fid, csrf = two_workspaces["fid"], two_workspaces["csrf"]
    assert "The Last Bus" not in anon.get("/watch").text
    for url in (f"/watch/{fid}", f"/watch/{fid}/film.mp4", f"/watch/{fid}/card.jpg"):
        assert anon.get(url).status_code == 404
    r = owner.post(f"/films/{fid}/publish", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    for client in (anon, other, owner):
        assert "The Last Bus" in client.get("/watch").text
        page = client.get(f"/watch/{fid}")
        assert page.status_code == 200 and "The Last Bus" in page.text
        video = client.get(f"/watch/{fid}/film.mp4")
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    # Publishing does not open the draft: the studio pages stay private.
    assert anon.get(f"/films/{fid}").status_code == 404
    assert other.get(f"/films/{fid}/media/out/film.mp4").status_code == 404
    owner.post(f"/films/{fid}/unpublish", data={"csrf": csrf})
    assert anon.get(f"/watch/{fid}").status_code == 404
    assert anon.get(f"/watch/{fid}/film.mp4").status_code == 404


def _token(client: TestClient) -> str:
    page = client.get("/account")
    r = client.post("/account/tokens", data={"csrf": csrf_of(page.text), "name": "ci"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    return r.text.split('id="new-token">')[1].split("<")[0]


def test_api_tokens_scope_the_json_api_to_a_workspace(two_workspaces, app):
    owner, other, anon = two_workspaces["owner"], two_workspaces["other"], two_workspaces["anon"]
    fid, job = two_workspaces["fid"], two_workspaces["job"]
    mine = {"Authorization": f"Bearer {_token(owner)}"}
    theirs = {"Authorization": f"Bearer {_token(other)}"}
    api = TestClient(app)  # no cookies: the API runs on tokens alone
    urls = [f"/api/v1/films/{fid}", f"/api/v1/films/{fid}/status", f"/api/v1/jobs/{job}",
            f"/api/v1/films/{fid}/screenplay"]
    for url in urls:
        assert api.get(url, headers=mine).status_code == 200, url
        assert api.get(url, headers=theirs).status_code == 404, url
        r = api.get(url)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", url
        assert api.get(url, headers={"Authorization": "Bearer mft_forged"}).status_code == 401
    for url in (f"/api/v1/films/{fid}/make", f"/api/v1/films/{fid}/publish", f"/api/v1/films/{fid}/shots/s01/approve"):
        assert api.post(url, headers=theirs, json={}).status_code == 404, url
        assert api.post(url, json={}).status_code == 401, url
    assert [f["id"] for f in api.get("/api/v1/films", headers=theirs).json()] == []
    assert [f["id"] for f in api.get("/api/v1/films", headers=mine).json()] == [fid]
    # A session cookie is not an API credential (so the API needs no CSRF token).
    assert owner.get(f"/api/v1/films/{fid}").status_code == 401
    assert anon.get("/api/v1/films").status_code == 401


def test_revoked_tokens_stop_working(two_workspaces, app):
    owner = two_workspaces["owner"]
    token = _token(owner)
    api = TestClient(app)
    assert api.get("/api/v1/films", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page = owner.get("/account").text
    token_id = page.split("/account/tokens/")[1].split("/revoke")[0]
    owner.post(f"/account/tokens/{token_id}/revoke", data={"csrf": csrf_of(page)})
    assert api.get("/api/v1/films", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # Another user's token id cannot be revoked by guessing it.
    other = two_workspaces["other"]
    r = other.post(f"/account/tokens/{token_id}/revoke", data={"csrf": two_workspaces["other_csrf"]})
    assert r.status_code == 404
