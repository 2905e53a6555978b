"""The studio's script import (upload, paste) and the assist page: propose, see the change
side by side, accept chosen hunks; and the same in a real browser."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from microfilm.assist import proposals
from microfilm.project import Project
from tests.studio.browser import browser, shots  # noqa: F401 - fixtures
from tests.studio.conftest import signup, start_server, stop_server
from tests.studio.test_browser import DESKTOP, sign_up

SCRIPTS = Path(__file__).parent.parent / "scripts"


def _folder(app, client: TestClient, fid: str) -> Path:
    from sqlalchemy import select

    from microfilm.studio.models import Film

    with app.state.sessions() as db:
        film = db.scalars(select(Film).where(Film.public_id == fid)).one()
        return app.state.settings.projects / film.folder


def test_upload_paste_and_errors(app, client: TestClient) -> None:
    csrf = signup(client, "ann@brand.example", workspace="Brand")
    page = client.get("/films/new/script")
    assert page.status_code == 200 and 'name="file"' in page.text
    up = client.post("/films/from-script", data={"csrf": csrf},
                     files={"file": ("dumplings.zh.fountain", (SCRIPTS / "dumplings.zh.fountain").read_bytes())},
                     follow_redirects=False)
    assert up.status_code == 303, up.text
    fid = up.headers["location"].split("/films/")[1].split("?")[0]
    folder = _folder(app, client, fid)
    assert (folder / "screenplay.fountain").read_bytes() == (SCRIPTS / "dumplings.zh.fountain").read_bytes()
    assert "外婆的饺子" in client.get(f"/films/{fid}").text
    pasted = client.post("/films/from-script", data={
        "csrf": csrf, "genre": "youth-romance",
        "text": "Title: Rain\nLogline: Two strangers share an umbrella.\n\nEXT. STREET - NIGHT\n\n"
                "Rain.\n\nMIA: Want to share?\n\nLEO: Only if you hold it.\n"}, follow_redirects=False)
    assert pasted.status_code == 303, pasted.text
    bad = client.post("/films/from-script", data={"csrf": csrf, "genre": "youth-romance", "logline": "x"},
                      files={"file": ("s.fdx", b"<FinalDraft>\n<Content>\n<Paragraph>\n</Content>")})
    assert bad.status_code == 400 and "s.fdx, line 4" in bad.text
    none = client.post("/films/from-script", data={"csrf": csrf})
    assert none.status_code == 400


def test_assist_page_propose_accept_some_hunks(app, client: TestClient) -> None:
    csrf = signup(client, "bo@brand.example", workspace="Brand")
    r = client.post("/films/from-script", data={"csrf": csrf, "genre": "youth-romance"},
                    files={"file": ("coffee.md", (SCRIPTS / "coffee.md").read_bytes())}, follow_redirects=False)
    fid = r.headers["location"].split("/films/")[1].split("?")[0]
    folder = _folder(app, client, fid)
    raw = (folder / "film.toml").read_text("utf-8").replace("duration = 29.0", "duration = 45.0")
    (folder / "film.toml").write_text(raw, "utf-8")
    before = (folder / "screenplay.fountain").read_text("utf-8")
    page = client.post(f"/films/{fid}/assist", data={"csrf": csrf, "kind": "fix"})
    assert page.status_code == 200, page.text
    assert (folder / "screenplay.fountain").read_text("utf-8") == before  # only proposed
    project = Project.at(folder)
    (p,) = proposals.listed(project)
    numbers = [h.number for h in proposals.hunks(project, p)]
    assert len(numbers) >= 2 and 'class="add"' in page.text
    ok = client.post(f"/films/{fid}/assist/{p.id}/accept", data={"csrf": csrf, "hunks": [str(numbers[0])]},
                     follow_redirects=False)
    assert ok.status_code == 303
    after = (folder / "screenplay.fountain").read_text("utf-8")
    assert after.startswith("Time: ") and after.count("\n") < before.count("\n") + 4
    other = TestClient(app)
    signup(other, "eve@agency.example", workspace="Agency")
    assert other.get(f"/films/{fid}/assist").status_code == 404
    assert client.post(f"/films/{fid}/assist", data={"csrf": csrf, "kind": "tone", "tone": "noir"}).status_code == 400


def test_browser_assist_diff_accept(app, browser, shots) -> None:  # noqa: F811
    live = start_server(app)
    try:
        page = browser.new_context(viewport=DESKTOP).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_up(page, live.url, "cy@brand.example", "Brand")
        page.goto(live.url + "/films/new")
        page.click("#from-script")
        page.wait_for_url("**/films/new/script")
        page.set_input_files("input[name=file]", str(SCRIPTS / "coffee.md"))
        page.select_option("select[name=genre]", "youth-romance")
        shots(page, "script-form")
        page.click("#script-form button[type=submit]")
        page.wait_for_url("**/films/*?msg=created")
        fid = page.url.split("/films/")[1].split("?")[0]
        page.goto(f"{live.url}/films/{fid}")
        page.click("a[data-tab=screenplay]")
        shots(page, "screenplay-editor")
        page.click("#assist-link")
        page.wait_for_url(f"**/films/{fid}/assist")
        page.select_option("select[name=kind]", "fix")
        page.click("#ask")
        page.wait_for_selector(".proposal .diff-side td.add")
        added = page.inner_text(".proposal .diff-side td.add")
        assert added.startswith("Time: ")
        shots(page, "proposal-side-by-side", full_page=True)
        folder = _folder(app, None, fid)
        assert "Time: " not in (folder / "screenplay.fountain").read_text("utf-8")
        page.click(".accept-form button[type=submit]")
        page.wait_for_url("**/assist?done=*")
        assert page.is_visible("#accepted") and page.is_visible("#no-proposals")
        shots(page, "accepted")
        assert (folder / "screenplay.fountain").read_text("utf-8").startswith("Time: ")
        assert errors == []
    finally:
        stop_server(live)
