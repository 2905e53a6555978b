"""Session cookies are signed by the studio (issue 9): one it never issued, however well
shaped, is refused by its MAC before any catalogue lookup, so a flood of made-up cookies
costs the catalogue nothing; a real one still logs in, and one altered by a byte does not."""

from __future__ import annotations

import secrets

from fastapi.testclient import TestClient
from sqlalchemy import event

from microfilm.studio.security import SESSION_COOKIE, session_key
from tests.studio.conftest import signup


def _session_queries(app) -> list[str]:
    seen: list[str] = []

    @event.listens_for(app.state.engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args):
        if "auth_sessions" in statement:
            seen.append(statement)

    return seen


def test_made_up_cookies_never_reach_the_catalogue(app):
    owner = TestClient(app)
    signup(owner, "ann@brand.example", workspace="Brand")
    real = owner.cookies[SESSION_COOKIE]
    body, _, mac = real.partition(".")
    assert len(body) == 43 and len(mac) == 22
    queries = _session_queries(app)
    visitor = TestClient(app)
    for _ in range(30):  # each one new: no "recently unknown" memory can help
        junk = secrets.token_urlsafe(32) + "." + secrets.token_urlsafe(16)[:22]
        for path in ("/watch", "/projects"):
            visitor.cookies.set(SESSION_COOKIE, junk)
            r = visitor.get(path, follow_redirects=False)
            assert r.status_code in (200, 303), (path, r.status_code)
    forged = body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    visitor.cookies.set(SESSION_COOKIE, forged)
    r = visitor.get("/projects", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert queries == []
    visitor.cookies.set(SESSION_COOKIE, real)
    r = visitor.get("/projects", follow_redirects=False)
    assert r.status_code == 200 and len(queries) == 1  # the real one is looked up, once


def test_the_signing_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "home" / "session.key"
    key = session_key(path)
    assert len(key) == 32 and session_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["session.key"]  # no temp file left
