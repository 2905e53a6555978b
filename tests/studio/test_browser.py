"""The studio in a real browser (Playwright driving Debian's chromium).

`test_studio_flow_with_the_fake_pipeline` clicks through every page quickly with the fake
pipeline (live progress mid-render, Chinese UI, storyboard review). `test_make_edit_rerender_
publish_watch` runs the real pipeline on a short film: make, edit a line of dialogue in the
screenplay editor, re-render, publish, and watch it play.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.studio.browser import browser, shots  # noqa: F401 - fixtures
from tests.studio.conftest import start_server, stop_server

DESKTOP = {"width": 1440, "height": 900}


def sign_up(page, base: str, email: str, workspace: str) -> None:
    page.goto(base + "/signup")
    page.fill("input[name=name]", email.split("@")[0].title())
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.fill("input[name=workspace]", workspace)
    page.click("#signup-form button[type=submit]")
    page.wait_for_url("**/login?signed_up=1*")
    page.fill("#login-form input[name=password]", "correct horse battery")
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/projects")


def create_film(page, title: str, logline: str, genre: str, language: str, duration: int, shots=None) -> str:
    page.click("#new-film")
    page.wait_for_url("**/films/new")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=logline]", logline)
    page.click(f"label.genre-{genre}")
    page.select_option("select[name=language]", language)
    page.fill("input[name=duration]", str(duration))
    if shots:
        shots(page, "new-film-form")
    page.click("#brief-form button[type=submit]")
    page.wait_for_url("**/films/*?msg=created")
    return page.url.split("/films/")[1].split("?")[0]


def until(page, expression: str, timeout: float = 15.0, every: float = 0.1):
    """Poll a JavaScript expression until it is truthy. (Playwright's wait_for_function
    compiles its predicate with eval, which the studio's CSP rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(expression)
        except Exception:  # noqa: BLE001 - the page may be reloading
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout:.0f} s waiting for: {expression}"
        time.sleep(every)


def play_and_check(page, selector: str) -> float:
    """Start the video and return its currentTime once it has clearly advanced."""
    until(page, f"document.querySelector('{selector}').readyState >= 1")
    page.evaluate(f"(() => {{ const v = document.querySelector('{selector}'); v.muted = true; v.play(); }})()")
    until(page, f"document.querySelector('{selector}').currentTime > 0.6")
    return page.evaluate(f"document.querySelector('{selector}').currentTime")


def test_studio_flow_with_the_fake_pipeline(browser, shots, app, fake):  # noqa: F811
    fake.gate = threading.Event()
    live = start_server(app)
    try:
        ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Keyframe thumbnails 404 with the fake pipeline (it paints none); anything else,
        # a CSP violation above all, is a failure.
        page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                and errors.append(m.text))
        page.goto(live.url + "/signup")
        shots(page, "zh-signup")
        sign_up(page, live.url, "li@brand.example", "晨光影业")
        fid = create_film(page, "末班车", "女儿在除夕夜坐末班车回家，和父亲和解。", "touching-family", "zh", 30, shots)
        page.click("#make")
        until(page, "document.querySelector('.stage[data-stage=research] .stage-msg').textContent"
                    ".includes('writing research.md')")
        assert page.is_disabled("#make")
        shots(page, "zh-rendering-live-progress")
        fake.gate.set()
        page.wait_for_selector("#cut-player", timeout=15000)  # the page reloads when the render ends
        shots(page, "zh-film-brief")
        page.click("a[data-tab=storyboard]")
        page.click(".shot[data-shot=s01] form[action$='/approve'] button")
        page.wait_for_selector(".shot[data-shot=s01].approved")
        page.click(".shot[data-shot=s02] form[action$='/lock'] button")
        page.wait_for_selector(".shot[data-shot=s02].locked")
        assert page.is_disabled(".shot[data-shot=s02] form[action$='/regenerate'] button")
        shots(page, "zh-storyboard-review")
        page.click("a[data-tab=screenplay]")
        text = page.input_value("#fountain")
        page.fill("#fountain", text.replace("Is this the last bus?", "这是最后一班车吗？"))
        until(page, "document.querySelector('#fountain-preview').textContent.includes('这是最后一班车吗')")
        page.click("#save-screenplay")
        page.wait_for_selector("#editor-status[data-state=saved]")
        shots(page, "zh-screenplay-editor")
        page.click("a[data-tab=bible]")
        shots(page, "zh-bible")
        page.click("#publish")
        page.wait_for_url("**msg=published**")
        page.goto(live.url + "/watch")
        page.wait_for_selector(".watch-card")
        shots(page, "zh-watch-gallery")
        page.click(".watch-card")
        page.wait_for_url(f"**/watch/{fid}")
        t = play_and_check(page, "#watch-player")
        shots(page, "zh-watch-playing")
        assert t > 0.6
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                    is_mobile=True, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
        mobile = phone.new_page()
        mobile.goto(live.url + f"/watch/{fid}")
        shots(mobile, "zh-watch-phone")
        assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
        phone.close()
        # The English toggle switches the whole UI.
        page.click("a[href^='/lang/en']")
        page.wait_for_selector("text=Synopsis")
        assert not errors, errors
        ctx.close()
    finally:
        stop_server(live)


@pytest.mark.e2e
def test_make_edit_rerender_publish_watch(browser, shots, tmp_path):  # noqa: F811
    """The real pipeline, end to end from the browser, on a 20 s film."""
    from microfilm.spec import fountain
    from microfilm.spec.screenplay import Dialogue
    from microfilm.studio import StudioSettings, create_app

    app = create_app(StudioSettings(home=tmp_path / "studio"))
    live = start_server(app)
    try:
        ctx = browser.new_context(viewport=DESKTOP, locale="en-US")
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_up(page, live.url, "ann@brand.example", "Northwind Films")
        shots(page, "projects-empty")
        fid = create_film(page, "The Last Bus", "A daughter takes the last bus home on New Year's Eve.",
                          "touching-family", "en", 20, shots)
        t0 = time.monotonic()
        page.click("#make")
        until(page, "document.querySelector('#stages .stage.active') !== null", timeout=60)
        shots(page, "rendering")
        page.wait_for_selector("#cut-player", timeout=240000)
        first_make = time.monotonic() - t0
        shots(page, "film-page-made")
        folder = next(app.state.settings.projects.rglob(f"{fid}"))
        first_src = page.get_attribute("#cut-player", "src")
        page.click("a[data-tab=storyboard]")
        until(page, "[...document.querySelectorAll('.shot img')].every(i => i.complete)"
                    " && [...document.querySelectorAll('.shot img')].some(i => i.naturalWidth > 0)")
        shots(page, "storyboard", full_page=True)
        # Edit one line of dialogue in the screenplay editor.
        page.click("a[data-tab=screenplay]")
        text = page.input_value("#fountain")
        play = fountain.parse(text)
        line = next(e for sc in play.scenes for e in sc.elements if isinstance(e, Dialogue))
        new_line = "I kept every ticket you ever bought me."
        assert text.count(line.text) >= 1
        page.fill("#fountain", text.replace(line.text, new_line, 1))
        until(page, f"document.querySelector('#fountain-preview').textContent.includes({new_line!r})")
        page.click("#save-screenplay")
        page.wait_for_selector("#editor-status[data-state=saved]")
        shots(page, "screenplay-edited")
        assert new_line in (folder / "screenplay.fountain").read_text("utf-8")
        # Re-render: the new line is in the film's subtitles and the player shows the new cut.
        t1 = time.monotonic()
        page.click("#make")
        until(page, f"document.querySelector('#cut-player') && "
                    f"document.querySelector('#cut-player').getAttribute('src') !== {first_src!r}", timeout=240, every=0.5)
        rerender = time.monotonic() - t1
        srt = (folder / "out" / "film.srt").read_text("utf-8")
        assert new_line in srt.replace("\n", " ")
        play_and_check(page, "#cut-player")
        shots(page, "film-page-rerendered")
        # Publish, then watch it as the public does.
        page.click("#publish")
        page.wait_for_url("**msg=published**")
        public = browser.new_context(viewport=DESKTOP)
        viewer = public.new_page()
        viewer.goto(live.url + "/watch")
        viewer.wait_for_selector(".watch-card img")
        until(viewer, "document.querySelector('.watch-card img').naturalWidth > 0")
        shots(viewer, "watch-gallery")
        viewer.click(".watch-card")
        viewer.wait_for_url(f"**/watch/{fid}")
        t = play_and_check(viewer, "#watch-player")
        time.sleep(0.5)
        later = viewer.evaluate("document.querySelector('#watch-player').currentTime")
        assert later > t
        shots(viewer, "watch-playing")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        mobile = phone.new_page()
        mobile.goto(live.url + f"/watch/{fid}")
        shots(mobile, "watch-phone")
        assert not errors, errors
        print(f"studio e2e: first make {first_make:.1f} s, re-render after a dialogue edit {rerender:.1f} s")
        for c in (ctx, public, phone):
            c.close()
    finally:
        stop_server(live)
        app.state.jobs.shutdown(wait=30)
