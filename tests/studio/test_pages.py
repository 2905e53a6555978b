"""Pages: every user string escaped, both languages, the brief form, the film page's parts."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from microfilm.studio.catalogue_en import EN
from microfilm.studio.catalogue_zh import ZH
from microfilm.studio.i18n import negotiate, parse_accept_language
from tests.studio.conftest import make_and_wait, new_film, signup

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_user_strings_are_escaped_everywhere(app):
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace=XSS)
    fid = new_film(c, csrf, title=XSS[:80], logline=XSS)
    make_and_wait(c, fid, csrf)
    # The screenplay a person writes is user input too.
    text = "EXT. STREET - DAY\n\nMEI\n" + XSS + "\n"
    r = c.post(f"/films/{fid}/screenplay", data={"csrf": csrf, "text": text}, follow_redirects=False)
    assert r.status_code == 303
    c.post(f"/films/{fid}/publish", data={"csrf": csrf})
    pages = ["/projects", f"/films/{fid}", "/account", "/watch", f"/watch/{fid}"]
    for url in pages:
        page = c.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert" in page, url
    preview = c.post(f"/films/{fid}/screenplay/preview", data={"csrf": csrf, "text": text}).text
    assert "<script>" not in preview and "&lt;script&gt;" in preview
    # Research Markdown: raw HTML is shown as text, not markup.
    film = c.get(f"/films/{fid}").text
    assert "<b>raw html</b>" not in film and "&lt;b&gt;raw html&lt;/b&gt;" in film
    assert "<em>touching family</em>" in film  # Markdown itself is rendered


def test_security_headers(client: TestClient):
    r = client.get("/watch")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text.replace('<script src="/static/studio.js" defer></script>', "")


def test_the_cached_gallery_answers_as_the_rendered_one_did(app):
    """The first anonymous /watch is rendered by the route; the next ones come from the page
    cache before any middleware (`fastpath.CachedGallery`): same headers, same page, each
    visitor their own pre-login token, `no-store` once a session cookie is sent."""
    rendered = TestClient(app).get("/watch")
    cached = TestClient(app).get("/watch")
    assert app.state.page_cache.get(("gallery", "en", ""))[1]  # fresh: the second was the cache's
    for r in (rendered, cached):
        assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
        token = r.cookies["mf_csrf"]
        assert f'content="{token}"' in r.text and len(token) >= 16
        assert "cache-control" not in r.headers
    names = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")
    assert [cached.headers[n] for n in names] == [rendered.headers[n] for n in names]
    assert rendered.cookies["mf_csrf"] != cached.cookies["mf_csrf"]
    cookie_attrs = [h.split(";", 1)[1] for h in (rendered.headers["set-cookie"], cached.headers["set-cookie"])]
    assert cookie_attrs[0] == cookie_attrs[1] and "HttpOnly" in cookie_attrs[0] and "SameSite=lax" in cookie_attrs[0]
    page = cached.text.replace(cached.cookies["mf_csrf"], "T")
    assert page == rendered.text.replace(rendered.cookies["mf_csrf"], "T")
    # A visitor who has a token keeps it; a junk session cookie makes the answer private.
    again = TestClient(app, cookies={"mf_csrf": "k" * 32, "mf_session": "x" * 43 + "." + "y" * 22}).get("/watch")
    assert 'content="' + "k" * 32 + '"' in again.text and "set-cookie" not in again.headers
    assert again.headers["cache-control"] == "no-store"


def test_catalogues_have_the_same_keys_and_cover_the_templates():
    assert set(EN) == set(ZH)
    import pathlib

    from microfilm.studio import app as app_module

    used = set()
    for path in pathlib.Path(app_module.__file__).parent.rglob("*"):
        if path.suffix in (".html", ".py"):
            used |= set(re.findall(r"""\bt\(\s*['"]([a-z]+\.[a-z_]+)['"]""", path.read_text("utf-8")))
    assert used and used <= set(EN), sorted(used - set(EN))


def test_language_negotiation():
    assert parse_accept_language("en;q=0.5, zh-CN, zh;q=0.9") == ["zh-cn", "zh", "en"]
    assert negotiate(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert negotiate(None, "fr-FR, en;q=0.3") == "en"
    assert negotiate("en", "zh-CN") == "en"
    assert negotiate("xx", "de") == "en"


def test_ui_speaks_chinese_and_english(app):
    c = TestClient(app)
    assert "观看" in c.get("/watch", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    page = c.get("/watch", headers={"Accept-Language": "en-US"}).text
    assert 'lang="en"' in page and ">Watch<" in page
    c.get("/lang/zh?next=/watch")
    zh = c.get("/watch", headers={"Accept-Language": "en-US"}).text  # the toggle wins
    assert 'lang="zh-CN"' in zh and "工作室出品的微电影" in zh
    csrf = signup(c, "li@brand.example", workspace="品牌")
    fid = new_film(c, csrf, title="末班车", genre="温情亲情", language="zh", platform="douyin")
    film = c.get(f"/films/{fid}").text
    for word in ("末班车", "温情亲情", "抖音", "生成影片", "剧本", "分镜"):
        assert word in film, word
    assert "新建影片" in c.get("/films/new").text


def test_new_film_form_refuses_a_bad_brief_naming_the_field(app):
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    r = c.post("/films", data={"csrf": csrf, "title": "T", "genre": "western", "logline": "x", "language": "en",
                               "duration": "900", "platform": "myspace", "aspect": "4:3", "budget": "0",
                               "currency": "CNY"})
    assert r.status_code == 400
    text = html.unescape(r.text)
    for field in ("genre", "duration", "platform", "aspect"):
        assert f"field '{field}'" in text, field
    assert "10:00" in text and "touching-family" in text
    assert not any(app.state.settings.projects.rglob("film.toml"))  # nothing written
    assert 'value="T"' in r.text  # the form keeps what was typed


def test_film_page_shows_brief_bible_screenplay_board_player_and_spend(two_workspaces):
    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    page = owner.get(f"/films/{fid}").text
    assert "A daughter takes the last bus home." in page  # brief
    assert "yellow raincoat" in page and "round glasses" in page  # bible
    assert 'id="fountain"' in page and "Is this the last bus?" in page  # editor + preview
    assert 'class="sp-character">MEI' in page and 'class="sp-heading"' in page
    assert page.count('data-shot="') == 2  # storyboard grid
    assert f'src="/films/{fid}/media/out/film.mp4' in page and "<track" in page  # player + subtitles
    assert "Spend and budget" in page and "¥0.00" in page
    for stage in ("Research", "Develop", "Board", "Generate", "Cut", "Master"):
        assert f'<span class="stage-name">{stage}</span>' in page


def test_screenplay_save_refuses_fountain_that_does_not_parse(two_workspaces, app):
    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    folder = next(app.state.settings.projects.rglob("screenplay.fountain"))
    before = folder.read_text("utf-8")
    r = owner.post(f"/films/{fid}/screenplay", data={"text": "/* unclosed boneyard\nEXT. X - DAY\n"},
                   headers={"x-csrf-token": csrf})
    if r.status_code == 422:
        assert "line" in r.json()["error"]
        assert folder.read_text("utf-8") == before
    else:  # the reader may accept it leniently; then it must have been saved verbatim
        assert r.status_code == 200
    ok = owner.post(f"/films/{fid}/screenplay", data={"text": before.replace("last bus", "final bus")},
                    headers={"x-csrf-token": csrf})
    assert ok.status_code == 200 and "final bus" in folder.read_text("utf-8")


def test_shot_review_actions_change_the_storyboard(two_workspaces, app):
    from microfilm.spec.storyboard import Storyboard

    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    board_path = next(app.state.settings.projects.rglob("storyboard.yaml"))
    h = {"x-csrf-token": csrf}
    assert owner.post(f"/films/{fid}/shots/s01/approve", data={"value": "1"}, headers=h).json()["shot"]["approved"]
    assert owner.post(f"/films/{fid}/shots/s02/lock", data={"value": "1"}, headers=h).json()["shot"]["locked"]
    r = owner.post(f"/films/{fid}/shots/s01/regenerate", headers=h).json()["shot"]
    assert r["take"] == 1 and r["approved"] is False  # a new take needs a new approval
    shots = {s.id: s for s in Storyboard.load(board_path).shots}
    assert shots["s01"].take == 1 and shots["s02"].locked and not shots["s01"].approved
    assert owner.post(f"/films/{fid}/shots/s99/approve", headers=h).status_code == 404
    assert owner.post(f"/films/{fid}/shots/s01/delete", headers=h).status_code == 404
    # Plain form posts (no JavaScript) work too, and come back to the storyboard.
    r = owner.post(f"/films/{fid}/shots/s02/lock", data={"csrf": csrf, "value": "0"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#storyboard")
    assert not {s.id: s for s in Storyboard.load(board_path).shots}["s02"].locked


def test_static_assets_and_no_external_urls(client: TestClient):
    js = client.get("/static/studio.js")
    css = client.get("/static/studio.css")
    assert js.status_code == 200 and css.status_code == 200
    for text in (js.text, css.text, client.get("/watch").text, client.get("/signup").text):
        assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
