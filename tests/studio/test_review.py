"""Review before paid motion, in the studio: the film page lists each character's reference
sheet (name from the bible, approved or awaiting) with Approve / Reject, marks the shots the
house animator drafted, and approves every shot at once; the JSON API mirrors
`microfilm approve`. Only the film's own workspace sees or changes any of it.

The generate stage's output is written here as the stage writes it (sheets as PNG files in
the content-addressed store, `.microfilm/generated.json` naming them and what waits), so
no paid provider is needed; the approvals go through `microfilm.api` for real.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from microfilm.cache import Store
from microfilm.fsutil import sha256_file
from microfilm.review import Pending
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Storyboard
from microfilm.stages.generate import Manifest, ShotAssets
from tests.studio.conftest import BIBLE, csrf_of

XSS_NAME = '<script>alert("mei")</script>'
CAST = {"mei": "#d98e48", "driver": "#8fb996"}


def write_generated(folder: Path, sheets: dict[str, str] | None = None) -> dict[str, Path]:
    """What a generate with a reference-taking painter and a paid animator leaves behind,
    before anyone approved anything: one sheet per character, keyframes, and every story
    shot drafted by the house animator. Returns {character id: sheet file}."""
    store = Store(folder)
    files: dict[str, Path] = {}
    for cid, color in CAST.items():
        path = store.path("reference", hashlib.sha256(f"sheet {cid} take 0".encode()).hexdigest(), ".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 96), color).save(path)
        files[cid] = path
    shots = []
    for sid, color in (("s01", "#2f4f6f"), ("s02", "#6f4f2f")):
        key = hashlib.sha256(f"keyframe {sid}".encode()).hexdigest()
        kf = store.path("keyframe", key, ".png")
        kf.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (54, 96), color).save(kf)
        shots.append(ShotAssets(shot_id=sid, keyframe=str(kf.relative_to(folder)),
                                clip=f".microfilm/assets/clip/{key[:2]}/{key}.mp4", clip_key=key))
    rel = {cid: str(p.relative_to(folder)) for cid, p in files.items()}
    if sheets is not None:
        rel = sheets
    manifest = Manifest(shots=shots, score="out/score.wav", cover="out/cover.png", references=rel,
                        pending=Pending(shots=["s01", "s02"], drafts=["s01", "s02"], references=rel),
                        review=True)
    (folder / ".microfilm" / "generated.json").write_text(manifest.model_dump_json(indent=1), "utf-8")
    return files


def approvals(folder: Path) -> dict:
    path = folder / ".microfilm" / "approvals.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


@pytest.fixture()
def reviewed(two_workspaces, app):
    """The two-workspace film after a generate that left its sheets and shots to review; the
    bible names Mei with markup, which the page must show as text."""
    folder = next(app.state.settings.projects.rglob("film.toml")).parent
    (folder / "bible.yaml").write_text(BIBLE.replace("name: MEI", f"name: '{XSS_NAME}'"), "utf-8")
    sheets = write_generated(folder)
    return {**two_workspaces, "folder": folder, "sheets": sheets}


def token_for(client: TestClient) -> dict:
    page = client.get("/account")
    r = client.post("/account/tokens", data={"csrf": csrf_of(page.text), "name": "ci"})
    token = r.text.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("mft_")
    return {"Authorization": f"Bearer {token}"}


def test_page_shows_each_sheet_with_its_escaped_name_state_and_draft_badges(reviewed):
    owner, fid = reviewed["owner"], reviewed["fid"]
    page = owner.get(f"/films/{fid}").text
    assert 'id="references"' in page and ">References</h3>" in page
    assert page.count('data-character="') == 2
    assert "<script>alert(" not in page and "&lt;script&gt;alert(&#34;mei&#34;)&lt;/script&gt;" in page
    assert "<strong>DRIVER</strong>" in page  # the name from bible.yaml, not the id
    assert page.count(">awaiting approval</span>") == 2
    for cid in CAST:
        assert f'action="/films/{fid}/references/{cid}/approve"' in page
        assert f'action="/films/{fid}/references/{cid}/reject"' in page
    assert "a new sheet is painted on the next render" in page
    # The storyboard: both shots are house drafts awaiting approval, and one button approves all.
    assert page.count('class="shot-draft"') == 2 and page.count(">Draft · awaiting approval</p>") == 2
    assert "2 shot(s) are drafts awaiting approval" in page
    assert f'action="/films/{fid}/approve-shots"' in page and ">Approve all shots</button>" in page
    # The sheet's thumbnail is the sheet (its colour), scaled; the full sheet opens too.
    r = owner.get(f"/films/{fid}/references/mei/sheet.jpg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(r.content)) as im:
        assert im.size == (320, 480)
        red, green, blue = im.convert("RGB").getpixel((160, 240))
        assert abs(red - 0xd9) < 12 and abs(green - 0x8e) < 12 and abs(blue - 0x48) < 12
    rel = reviewed["sheets"]["mei"].relative_to(reviewed["folder"])
    assert f'href="/films/{fid}/media/{rel}"' in page
    full = owner.get(f"/films/{fid}/media/{rel}")
    assert full.status_code == 200 and full.content == reviewed["sheets"]["mei"].read_bytes()
    assert owner.get(f"/films/{fid}/references/nobody/sheet.jpg").status_code == 404


def test_page_speaks_chinese(reviewed):
    owner, fid = reviewed["owner"], reviewed["fid"]
    owner.get("/lang/zh?next=/projects")
    page = owner.get(f"/films/{fid}").text
    for words in ("角色参考图", "待审核", "驳回", "草稿 · 待审核", "全部镜头通过", "下次渲染时会重新绘制"):
        assert words in page, words


def test_approve_reject_and_approve_all_from_the_page(reviewed):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    sheets = reviewed["sheets"]
    # No CSRF token: refused, nothing written.
    r = owner.post(f"/films/{fid}/references/mei/approve", data={"value": "1"}, follow_redirects=False)
    assert r.status_code == 403 and approvals(folder) == {}

    r = owner.post(f"/films/{fid}/references/mei/approve", data={"csrf": csrf, "value": "1"},
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?msg=reference_approved#storyboard")
    assert approvals(folder)["references"] == {"mei": sha256_file(sheets["mei"])}
    page = owner.get(r.headers["location"]).text
    assert "Reference sheet approved." in page
    assert page.count(">approved</span>") == 1 and page.count(">awaiting approval</span>") == 1
    assert ">Withdraw approval</button>" in page

    r = owner.post(f"/films/{fid}/references/driver/reject", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert approvals(folder)["reference_takes"] == {"driver": 1}
    page = owner.get(r.headers["location"]).text
    assert "Sheet rejected: a new sheet is painted on the next render." in page
    assert ">take 1</span>" in page

    # The page's fetch (X-CSRF-Token, JSON back): withdraw Mei's approval.
    r = owner.post(f"/films/{fid}/references/mei/approve", data={"value": "0"}, headers={"x-csrf-token": csrf})
    assert r.json()["reference"] == {"character": "mei", "approved": False, "take": 0,
                                     "sheet": str(sheets["mei"].relative_to(folder))}
    assert approvals(folder)["references"] == {}

    bad = owner.post(f"/films/{fid}/references/nobody/approve", headers={"x-csrf-token": csrf})
    assert bad.status_code == 404 and "'nobody'" in bad.json()["detail"]
    assert "driver, mei" in bad.json()["detail"]  # and which sheets there are
    assert owner.post(f"/films/{fid}/references/mei/delete", headers={"x-csrf-token": csrf}).status_code == 404

    r = owner.post(f"/films/{fid}/approve-shots", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#storyboard")
    assert all(s.approved for s in Storyboard.load(folder / "storyboard.yaml").shots if s.kind == "shot")
    page = owner.get(r.headers["location"]).text
    assert "Every shot approved." in page
    # Still drafts (until the next render), but no longer awaiting anyone.
    assert page.count(">Draft · approved</p>") == 2 and "drafts awaiting approval" not in page
    assert 'id="approve-all"' not in page


def test_api_pending_and_reference_actions_mirror_the_cli(reviewed):
    owner, fid, folder, sheets = reviewed["owner"], reviewed["fid"], reviewed["folder"], reviewed["sheets"]
    h = token_for(owner)
    api = TestClient(owner.app)
    rel = {cid: str(p.relative_to(folder)) for cid, p in sheets.items()}
    waiting = api.get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert waiting["shots"] == ["s01", "s02"] and waiting["drafts"] == ["s01", "s02"]
    assert waiting["references"] == rel
    assert {s["character"]: s["name"] for s in waiting["sheets"]} == {"mei": XSS_NAME, "driver": "DRIVER"}

    r = api.post(f"/api/v1/films/{fid}/references/mei/approve", headers=h)
    assert r.status_code == 200
    assert r.json() == {"character": "mei", "name": XSS_NAME, "sheet": rel["mei"], "approved": True, "take": 0,
                        "own": False}
    assert approvals(folder)["references"]["mei"] == sha256_file(sheets["mei"])
    r = api.post(f"/api/v1/films/{fid}/references/driver/reject", headers=h)
    assert r.status_code == 200 and r.json()["take"] == 1 and not r.json()["approved"]
    waiting = api.get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert waiting["references"] == {"driver": rel["driver"]}

    r = api.post(f"/api/v1/films/{fid}/references/nobody/approve", headers=h)
    assert r.status_code == 404 and "no reference sheet for character 'nobody'" in r.json()["detail"]
    assert api.post(f"/api/v1/films/{fid}/references/mei/paint", headers=h).status_code == 422

    r = api.post(f"/api/v1/films/{fid}/approve-shots", headers=h)
    assert r.json() == {"approved": True, "shots": ["s01", "s02"]}
    waiting = api.get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert waiting["shots"] == [] and waiting["drafts"] == ["s01", "s02"]

    # A change to the sheet (a new look) needs approving again: approval is by content.
    Image.new("RGB", (64, 96), "#112233").save(sheets["mei"])
    waiting = api.get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert set(waiting["references"]) == {"mei", "driver"}


def test_only_the_films_workspace_sees_or_changes_its_review(reviewed):
    fid, folder = reviewed["fid"], reviewed["folder"]
    other, anon = reviewed["other"], reviewed["anon"]
    h = token_for(other)
    api = TestClient(other.app)
    assert api.get(f"/api/v1/films/{fid}/pending", headers=h).status_code == 404
    for action in ("approve", "reject"):
        assert api.post(f"/api/v1/films/{fid}/references/mei/{action}", headers=h).status_code == 404
        assert api.post(f"/api/v1/films/{fid}/references/mei/{action}").status_code == 401
    assert api.post(f"/api/v1/films/{fid}/approve-shots", headers=h).status_code == 404
    assert api.get(f"/api/v1/films/{fid}/pending").status_code == 401
    for client, csrf in ((other, reviewed["other_csrf"]), (anon, csrf_of(anon.get("/login").text))):
        for url in (f"/films/{fid}/references/mei/approve", f"/films/{fid}/references/mei/reject",
                    f"/films/{fid}/approve-shots"):
            r = client.post(url, data={"csrf": csrf}, headers={"x-csrf-token": csrf}, follow_redirects=False)
            assert r.status_code == 404, url
        r = client.get(f"/films/{fid}/references/mei/sheet.jpg", follow_redirects=False)
        assert r.status_code == 404 and b"JFIF" not in r.content
    assert approvals(folder) == {}
    assert not any(s.approved for s in Storyboard.load(folder / "storyboard.yaml").shots)


def picture(kind: str = "JPEG", color: str = "#336699") -> bytes:
    """A person's own picture of a character (an actor's photo, say), as a browser sends it."""
    buf = io.BytesIO()
    Image.new("RGB", (60, 90), color).save(buf, kind)
    return buf.getvalue()


def reference_of(folder: Path, cid: str) -> str:
    return Bible.load(folder / "bible.yaml").character(cid).reference


def card_of(page: str, cid: str) -> str:
    """The HTML of one character's card on the film page."""
    return page.split(f'data-character="{cid}"', 1)[1].split("</article>", 1)[0]


def test_a_persons_own_picture_becomes_the_reference_from_the_page(reviewed):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    page = owner.get(f"/films/{fid}").text
    for cid in CAST:  # every card offers it, a multipart form
        form = card_of(page, cid).split(f'action="/films/{fid}/references/{cid}/picture"', 1)[1].split("</form>")[0]
        assert 'enctype="multipart/form-data"' in form and 'accept="image/png,image/jpeg,image/webp"' in form
        assert ">Use my picture</button>" in form
    data = picture()
    # No CSRF token: refused, nothing written.
    r = owner.post(f"/films/{fid}/references/mei/picture", files={"file": ("mei.jpg", data, "image/jpeg")},
                   follow_redirects=False)
    assert r.status_code == 403 and reference_of(folder, "mei") == ""

    r = owner.post(f"/films/{fid}/references/mei/picture", data={"csrf": csrf},
                   files={"file": ("actor mei.jpg", data, "image/jpeg")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?msg=reference_own#storyboard")
    ref = reference_of(folder, "mei")
    assert ref == f"refs/reference/{hashlib.sha256(data).hexdigest()[:16]}.jpg"
    assert (folder / ref).read_bytes() == data
    page = owner.get(r.headers["location"]).text
    assert "Your picture is now the character&#39;s reference" in page
    assert f'src="/films/{fid}/media/{ref}"' in page and "actor mei.jpg" in page  # under Assets
    assert ">Your picture</span>" not in page  # the last render still painted Mei's sheet

    # The next render uses it as Mei's sheet: counted approved, nothing to approve.
    driver = str(reviewed["sheets"]["driver"].relative_to(folder))
    write_generated(folder, sheets={"mei": ref, "driver": driver})
    page = owner.get(f"/films/{fid}").text
    mei = card_of(page, "mei")
    assert ">Your picture</span>" in mei and ">approved</span>" in mei and "/approve" not in mei
    assert f'href="/films/{fid}/media/{ref}"' in mei and "/reject" in mei
    assert page.count(">Your picture</span>") == 1 and page.count(">awaiting approval</span>") == 1
    thumb = owner.get(f"/films/{fid}/references/mei/sheet.jpg")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    h = token_for(owner)
    waiting = TestClient(owner.app).get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert waiting["references"] == {"driver": driver}
    assert {s["character"]: (s["own"], s["approved"]) for s in waiting["sheets"]} == {
        "mei": (True, True), "driver": (False, False)}

    # The page's fetch gets JSON back; the same picture again is the same file.
    r = owner.post(f"/films/{fid}/references/mei/picture", headers={"x-csrf-token": csrf},
                   files={"file": ("again.jpg", data, "image/jpeg")})
    assert r.status_code == 200 and r.json() == {"ok": True, "reference": ref}
    assert len(list((folder / "refs" / "reference").iterdir())) == 1

    # Rejecting it drops the picture: a sheet is painted again on the next render.
    r = owner.post(f"/films/{fid}/references/mei/reject", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and reference_of(folder, "mei") == ""


def test_a_picture_that_is_not_an_image_or_for_no_character_is_refused(reviewed):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    bible = (folder / "bible.yaml").read_bytes()
    r = owner.post(f"/films/{fid}/references/mei/picture", data={"csrf": csrf},
                   files={"file": ("mei.png", b"#!/bin/sh\nrm -rf /\n", "image/png")}, follow_redirects=False)
    assert r.status_code == 415 and "only PNG, JPEG and WebP" in r.json()["detail"]
    r = owner.post(f"/films/{fid}/references/mei/picture", data={"csrf": csrf},
                   files={"file": ("mei.jpg", picture()[:40], "image/jpeg")}, follow_redirects=False)
    assert r.status_code == 415 and "does not decode" in r.json()["detail"]
    r = owner.post(f"/films/{fid}/references/nobody/picture", data={"csrf": csrf},
                   files={"file": ("n.jpg", picture(), "image/jpeg")}, follow_redirects=False)
    assert r.status_code == 422
    assert "no character 'nobody'" in r.json()["detail"] and "mei, driver" in r.json()["detail"]
    assert (folder / "bible.yaml").read_bytes() == bible and not (folder / "refs" / "reference").exists()
    assert "/media/refs/reference/" not in owner.get(f"/films/{fid}").text  # nothing under Assets


def test_only_the_films_workspace_gives_a_character_its_picture(reviewed):
    fid, folder = reviewed["fid"], reviewed["folder"]
    bible = (folder / "bible.yaml").read_bytes()
    file = {"file": ("mei.jpg", picture(), "image/jpeg")}
    for client, csrf in ((reviewed["other"], reviewed["other_csrf"]),
                         (reviewed["anon"], csrf_of(reviewed["anon"].get("/login").text))):
        r = client.post(f"/films/{fid}/references/mei/picture", data={"csrf": csrf}, files=file,
                        follow_redirects=False)
        assert r.status_code == 404
    api = TestClient(reviewed["other"].app)
    r = api.post(f"/api/v1/films/{fid}/references/mei/picture", headers=token_for(reviewed["other"]), files=file)
    assert r.status_code == 404
    assert api.post(f"/api/v1/films/{fid}/references/mei/picture", files=file).status_code == 401
    assert (folder / "bible.yaml").read_bytes() == bible and not (folder / "refs" / "reference").exists()
    assert "/media/refs/reference/" not in reviewed["owner"].get(f"/films/{fid}").text


def test_api_gives_a_character_its_own_picture(reviewed):
    owner, fid, folder, sheets = reviewed["owner"], reviewed["fid"], reviewed["folder"], reviewed["sheets"]
    h = token_for(owner)
    api = TestClient(owner.app)
    data = picture("PNG", "#8fb996")
    r = api.post(f"/api/v1/films/{fid}/references/driver/picture", headers=h,
                 files={"file": ("driver.png", data, "image/png")})
    assert r.status_code == 200
    ref = f"refs/reference/{hashlib.sha256(data).hexdigest()[:16]}.png"
    assert r.json() == {"character": "driver", "reference": ref}
    assert reference_of(folder, "driver") == ref and (folder / ref).read_bytes() == data
    bad = api.post(f"/api/v1/films/{fid}/references/driver/picture", headers=h,
                   files={"file": ("d.png", b"GIF89a not allowed", "image/png")})
    assert bad.status_code == 415 and reference_of(folder, "driver") == ref
    bad = api.post(f"/api/v1/films/{fid}/references/nobody/picture", headers=h,
                   files={"file": ("d.png", data, "image/png")})
    assert bad.status_code == 422 and "characters are mei, driver" in bad.json()["detail"]

    write_generated(folder, sheets={"mei": str(sheets["mei"].relative_to(folder)), "driver": ref})
    waiting = api.get(f"/api/v1/films/{fid}/pending", headers=h).json()
    assert set(waiting["references"]) == {"mei"}
    driver = next(s for s in waiting["sheets"] if s["character"] == "driver")
    assert driver == {"character": "driver", "name": "DRIVER", "sheet": ref, "approved": True, "take": 0,
                      "own": True}


@pytest.mark.parametrize("sheet", ["../../../../etc/passwd", "/etc/hostname", "film.toml", "out/../../x.png"])
def test_a_sheet_outside_the_folder_or_not_an_image_is_never_served(two_workspaces, app, sheet):
    """A hand-edited (or hostile) manifest cannot make the sheet route read another file."""
    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    folder = next(app.state.settings.projects.rglob("film.toml")).parent
    write_generated(folder, sheets={"mei": sheet})
    assert owner.get(f"/films/{fid}/references/mei/sheet.jpg").status_code == 404
    assert owner.get(f"/films/{fid}/references/..%2F..%2Ffilm.toml/sheet.jpg").status_code == 404
    page = owner.get(f"/films/{fid}").text  # the page still renders; the sheet awaits approval
    assert page.count('data-character="') == 1 and ">awaiting approval</span>" in page


def test_before_any_generate_there_is_nothing_to_review(two_workspaces):
    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    page = owner.get(f"/films/{fid}").text
    assert 'id="references"' not in page and 'class="shot-draft"' not in page
    h = token_for(owner)
    api = TestClient(owner.app)
    assert api.get(f"/api/v1/films/{fid}/pending", headers=h).json() == {
        "shots": [], "references": {}, "drafts": [], "sheets": []}
    r = api.post(f"/api/v1/films/{fid}/references/mei/approve", headers=h)
    assert r.status_code == 404 and "'mei'" in r.json()["detail"] and "none yet" in r.json()["detail"]


@contextlib.contextmanager
def owner_browser(reviewed, app):
    """The film page's owner in headless Chromium on a live studio: (page, errors), where
    errors collects page errors and console errors; skips without Playwright or Chromium."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    from microfilm.studio.security import SESSION_COOKIE
    from tests.studio.browser import CHROMIUM_ARGS, chromium_path
    from tests.studio.conftest import start_server, stop_server

    exe = chromium_path()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests need it")
    live = start_server(app)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            ctx.add_cookies([{"name": SESSION_COOKIE, "value": reviewed["owner"].cookies[SESSION_COOKIE],
                              "url": live.url}])
            page = ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            yield page, errors, live.url
            browser.close()
    finally:
        stop_server(live)


def test_review_in_a_browser(reviewed, app, tmp_path):
    """The page as a person uses it: approve a sheet, approve every shot, then withdraw one
    shot's approval in place (its draft badge follows). Screenshots under tmp_path."""
    from tests.studio.browser import Shots

    fid, shots = reviewed["fid"], Shots(tmp_path, "review")
    with owner_browser(reviewed, app) as (page, errors, base):
        page.goto(f"{base}/films/{fid}#storyboard")
        page.wait_for_selector("#references .ref[data-character=mei].awaiting")
        assert page.evaluate("document.querySelector('.ref[data-character=mei] img').naturalWidth") == 320
        page.evaluate("window.scrollTo(0, 0)")
        shots(page, "storyboard-awaiting", full_page=True)
        page.click(".ref[data-character=mei] form[action$='/approve'] button")
        page.wait_for_selector(".ref[data-character=mei].approved")
        page.click("#approve-all")
        page.wait_for_url("**msg=shots_approved**")
        assert page.locator(".shot.approved").count() == 2
        page.click(".shot[data-shot=s01] form[action$='/approve'] button")
        page.wait_for_selector(".shot[data-shot=s01]:not(.approved)")
        assert page.inner_text(".shot[data-shot=s01] .shot-draft") == "Draft · awaiting approval"
        assert page.inner_text(".shot[data-shot=s02] .shot-draft") == "Draft · approved"
        page.evaluate("window.scrollTo(0, 0)")
        shots(page, "storyboard-reviewed", full_page=True)
        assert not errors, errors
    shots.keep()


def test_own_picture_in_a_browser(reviewed, app, tmp_path):
    """A person picks a file on Mei's card and uses it; after the next render her card shows
    it as her sheet, marked as their picture. Screenshots under tmp_path."""
    from tests.studio.browser import Shots

    fid, folder, shots = reviewed["fid"], reviewed["folder"], Shots(tmp_path, "own-picture")
    actor = tmp_path / "actor.jpg"
    actor.write_bytes(picture(color="#4a7fb5"))
    with owner_browser(reviewed, app) as (page, errors, base):
        page.goto(f"{base}/films/{fid}#storyboard")
        card = ".ref[data-character=mei]"
        page.wait_for_selector(f"{card}.awaiting")
        page.set_input_files(f"{card} form.ref-picture input[type=file]", str(actor))
        page.click(f"{card} form.ref-picture button")
        page.wait_for_url("**msg=reference_own**")
        assert "Your picture is now the character's reference" in page.inner_text("#flash")
        ref = reference_of(folder, "mei")
        write_generated(folder, sheets={"mei": ref,
                                        "driver": str(reviewed["sheets"]["driver"].relative_to(folder))})
        page.goto(f"{base}/films/{fid}#storyboard")
        page.wait_for_selector(f"{card}.approved .chip.own")
        assert page.inner_text(f"{card} .chip.own") == "Your picture"
        assert page.evaluate(f"document.querySelector('{card} img').naturalWidth") == 320
        page.evaluate("window.scrollTo(0, 0)")  # at the top, the sticky header covers nothing below
        box = page.locator("#references").bounding_box()
        shots.n += 1
        page.screenshot(path=str(shots.dir / f"{shots.n:02d}-references.png"), full_page=True,
                        clip={"x": box["x"] - 8, "y": box["y"] - 8, "width": box["width"] + 16,
                              "height": box["height"] + 16})
        assert not errors, errors
    shots.keep()
