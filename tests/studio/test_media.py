"""Media routes: range requests for seeking, no path traversal, upload type and size limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from microfilm.studio.films import resolve_inside


def test_video_answers_range_requests_with_206(two_workspaces, tiny_cut: Path):
    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    data = tiny_cut.read_bytes()
    size = len(data)
    for url, client in ((f"/films/{fid}/media/out/film.mp4", owner), (f"/watch/{fid}/film.mp4", owner)):
        if url.startswith("/watch"):
            owner.post(f"/films/{fid}/publish", data={"csrf": csrf})
        full = client.get(url)
        assert full.status_code == 200 and full.headers["accept-ranges"] == "bytes"
        assert full.content == data
        part = client.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1099/{size}"
        assert part.content == data[100:1100]
        tail = client.get(url, headers={"Range": "bytes=-500"})
        assert tail.status_code == 206 and tail.content == data[-500:]
        open_end = client.get(url, headers={"Range": f"bytes={size - 10}-"})
        assert open_end.status_code == 206 and open_end.content == data[-10:]
        bad = client.get(url, headers={"Range": f"bytes={size + 10}-{size + 20}"})
        assert bad.status_code == 416


TRAVERSALS = [
    "../film.toml.png", "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "out/../../x.mp4", "out/%2e%2e/%2e%2e/x.png", "%2Fetc%2Fpasswd",
    "..%5C..%5Cetc%5Cpasswd", "out%00.mp4", "..%252F..%252Fetc%252Fpasswd", "C:%5Cwindows%5Cwin.ini",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_media_route_never_leaves_the_project(two_workspaces, app, path):
    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    # A file just outside the project folder that a traversal would reach.
    projects = app.state.settings.projects
    (projects / "x.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    (projects / "x.mp4").write_bytes(b"secret")
    r = owner.get(f"/films/{fid}/media/{path}")
    assert r.status_code == 404, (path, r.status_code)
    assert b"secret" not in r.content and b"root:" not in r.content


def test_resolve_inside_refuses_escapes_and_symlinks(tmp_path: Path):
    root = tmp_path / "film"
    (root / "out").mkdir(parents=True)
    (root / "out" / "film.mp4").write_bytes(b"ok")
    (tmp_path / "secret.png").write_bytes(b"no")
    (root / "out" / "link.png").symlink_to(tmp_path / "secret.png")
    (root / "film.toml").write_text("title='x'")
    assert resolve_inside(root, "out/film.mp4") == (root / "out" / "film.mp4").resolve()
    for bad in ("../secret.png", "/etc/passwd", str(tmp_path / "secret.png"), "out/link.png", "film.toml",
                "out//film.mp4", "out\\film.mp4", "out/film.mp4\x00", "", "out", "c:/x.png"):
        assert resolve_inside(root, bad) is None, bad


def _png(size=(64, 64), fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "#336699").save(buf, fmt)
    return buf.getvalue()


def test_uploads_accept_real_images_only(two_workspaces, app):
    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    url = f"/films/{fid}/uploads"
    hdr = {"x-csrf-token": csrf}
    for fmt, mime in (("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")):
        r = owner.post(url, data={"kind": "reference"}, headers=hdr,
                       files={"file": (f"../../evil.{fmt.lower()}", _png(fmt=fmt), "application/octet-stream")})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["mime"] == mime and body["path"].startswith("refs/reference/")
        assert "evil" not in body["path"]
        served = owner.get(f"/films/{fid}/media/{body['path']}")
        assert served.status_code == 200 and served.headers["content-type"] == mime
    logo = owner.post(url, data={"kind": "logo"}, headers=hdr, files={"file": ("logo.png", _png(), "image/png")})
    assert logo.status_code == 200 and logo.json()["path"].startswith("refs/logo/")
    refused = {
        "gif": (b"GIF89a" + b"\x00" * 40, "image/png"),
        "html as png": (b"<html><script>alert(1)</script></html>", "image/png"),
        "svg": (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "image/svg+xml"),
        "truncated png": (_png()[:40], "image/png"),
        "empty": (b"", "image/png"),
    }
    for name, (data, mime) in refused.items():
        r = owner.post(url, data={"kind": "reference"}, headers=hdr, files={"file": ("x.png", data, mime)})
        assert r.status_code in (400, 415), (name, r.status_code)
    bad_kind = owner.post(url, data={"kind": "script"}, headers=hdr, files={"file": ("x.png", _png(), "image/png")})
    assert bad_kind.status_code == 422
    page = owner.get(f"/films/{fid}").text
    assert page.count("/media/refs/") == 4  # three references and a logo, shown on the Assets tab


def test_uploads_over_the_cap_are_refused(two_workspaces, app):
    owner, fid, csrf = two_workspaces["owner"], two_workspaces["fid"], two_workspaces["csrf"]
    cap = app.state.settings.max_upload_bytes
    big = _png() + b"\x00" * (cap + 1 - len(_png()))  # a valid PNG head, one byte over the cap
    r = owner.post(f"/films/{fid}/uploads", data={"kind": "reference"}, headers={"x-csrf-token": csrf},
                   files={"file": ("big.png", big, "image/png")})
    assert r.status_code == 413
    huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * (app.state.settings.max_body_bytes + 10)
    r = owner.post(f"/films/{fid}/uploads", data={"kind": "reference"}, headers={"x-csrf-token": csrf},
                   files={"file": ("huge.png", huge, "image/png")})
    assert r.status_code == 413
    assert not any((app.state.settings.projects).rglob("refs/reference/*"))


def test_chunked_bodies_are_counted_too(app):
    """Without Content-Length the body limit still holds (counted as it streams in)."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    limit = app.state.settings.max_body_bytes

    def chunks():
        for _ in range(limit // 65536 + 4):
            yield b"\x00" * 65536

    r = client.post("/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


RAW = ["/films/{fid}/media/../../../../etc/passwd", "/films/{fid}/media/out/../../x.mp4",
       "/films/{fid}/media/..%2f..%2fx.png", "/films/{fid}/media/%2e%2e/%2e%2e/x.png",
       "/films/{fid}/media/out/..%5c..%5cx.png", "/films/{fid}/media//etc/passwd"]


def test_raw_request_lines_cannot_traverse(two_workspaces, app, live):
    """Literal `../` is normalised away by HTTP client libraries; send the raw request line
    to a real server so the route itself has to refuse it."""
    import http.client

    fid = two_workspaces["fid"]
    cookie = two_workspaces["owner"].cookies.get("mf_session")
    projects = app.state.settings.projects
    (projects / "x.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    (projects / "x.mp4").write_bytes(b"secret")
    for template in RAW:
        conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
        conn.putrequest("GET", template.format(fid=fid), skip_accept_encoding=True)
        conn.putheader("Cookie", f"mf_session={cookie}")
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        assert resp.status in (400, 404), (template, resp.status)
        assert b"secret" not in body and b"root:" not in body
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.request("GET", f"/films/{fid}/media/out/film.mp4", headers={"Cookie": f"mf_session={cookie}"})
    assert conn.getresponse().status == 200  # the same connection route serves a file inside
