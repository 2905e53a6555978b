"""Smaller hardening of the studio (issue 9, point 8): no server path in an error, no
logged-in page kept in a cache, /api/docs working under the studio's own CSP, and one size
limit on a screenplay for the editor and the JSON API."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from microfilm.studio.films import MAX_SCREENPLAY_BYTES
from microfilm.studio.middleware import CSP
from tests.studio.browser import browser  # noqa: F401 - fixture
from tests.studio.conftest import SCREENPLAY
from tests.studio.test_review import reviewed, token_for, write_generated  # noqa: F401 - fixtures


def test_errors_name_the_films_file_never_the_servers_path(reviewed, app, fake):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    home = str(app.state.settings.home.resolve())
    r = owner.post(f"/films/{fid}/references/nobody/picture", headers={"x-csrf-token": csrf},
                   files={"file": ("n.jpg", _jpeg(), "image/jpeg")})
    assert r.status_code == 422 and "bible.yaml: no character 'nobody'" in r.json()["detail"]
    assert home not in r.text and str(folder) not in r.text
    (folder / "bible.yaml").write_text("characters: [unclosed\n", "utf-8")
    page = owner.get(f"/films/{fid}")
    assert page.status_code == 200 and "bible.yaml" in page.text
    assert home not in page.text and "/tmp/" not in page.text
    fake.fail = f"{folder / 'storyboard.yaml'}: shot s01: width must be positive"
    r = owner.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
    from tests.studio.conftest import wait_job

    snap = wait_job(owner, fid, r.json()["job"])
    assert snap["error"] == "storyboard.yaml: shot s01: width must be positive"


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "#336699").save(buf, "JPEG")
    return buf.getvalue()


def test_logged_in_answers_are_never_stored_in_a_cache(two_workspaces, app):
    owner, anon, fid = two_workspaces["owner"], two_workspaces["anon"], two_workspaces["fid"]
    for url in ("/projects", f"/films/{fid}", "/account", "/watch", f"/films/{fid}/jobs/{two_workspaces['job']}",
                "/films/new", "/nothing-here"):
        r = owner.get(url)
        assert r.headers.get("cache-control") == "no-store", (url, r.headers.get("cache-control"))
    api = TestClient(app).get("/api/v1/films", headers=token_for(owner))
    assert api.status_code == 200 and api.headers["cache-control"] == "no-store"
    assert "no-store" not in anon.get("/watch").headers.get("cache-control", "")
    # A route's own choice stands (a thumbnail may be kept privately for a while).
    thumb = owner.get(f"/films/{fid}/cover.jpg")
    assert thumb.status_code == 200 and thumb.headers["cache-control"].startswith("private")


def test_api_docs_page_has_no_inline_script_and_serves_its_own_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all(src.strip().startswith('src="/') and not body.strip() for src, body in scripts)
    for url in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    assert "https://" not in page.text  # nothing from a CDN


def test_api_docs_work_in_a_browser_under_the_csp(browser, live):  # noqa: F811 - fixture
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live.url + "/api/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock").count()
    page.close()
    assert operations >= 10 and not problems, (operations, problems)


def test_one_screenplay_size_limit_for_the_editor_and_the_api(two_workspaces, app):
    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    big = SCREENPLAY + "\n" + "Rain on the shelter roof. " * ((MAX_SCREENPLAY_BYTES // 26) + 10)
    assert MAX_SCREENPLAY_BYTES < len(big.encode()) < 1024 * 1024
    editor = owner.post(f"/films/{fid}/screenplay", headers={"x-csrf-token": csrf},
                        files={"text": (None, big)})
    api = TestClient(app).put(f"/api/v1/films/{fid}/screenplay", headers=token_for(owner), content=big.encode())
    assert editor.status_code == 422 and api.status_code == 422
    assert "at most 1 MB" in editor.json()["error"] and "at most 1 MB" in api.json()["detail"]
    ten_mb = TestClient(app).put(f"/api/v1/films/{fid}/screenplay", headers=token_for(owner),
                                 content=b"x" * (10 * 1024 * 1024))
    assert ten_mb.status_code == 422 and "at most 1 MB" in ten_mb.json()["detail"]
    fine = owner.post(f"/films/{fid}/screenplay", headers={"x-csrf-token": csrf}, files={"text": (None, SCREENPLAY)})
    assert fine.status_code == 200 and fine.json() == {"ok": True}
