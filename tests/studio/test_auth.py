"""Accounts: argon2 hashes, session cookies, CSRF on every browser POST, safe redirects."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from microfilm.studio.models import AuthSession, User
from tests.studio.conftest import csrf_of, signup


def test_signup_stores_argon2_and_sets_a_strict_session_cookie(app, client: TestClient):
    token = csrf_of(client.get("/signup").text)
    r = client.post("/signup", data={"csrf": token, "name": "Ann", "email": "Ann@Brand.example",
                                     "password": "correct horse battery", "workspace": "Brand"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?signed_up=1&email=ann%40brand.example"
    assert "mf_session=" not in r.headers.get("set-cookie", "")  # sign-up never logs in
    r = client.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "correct horse battery"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/projects"
    cookie = r.headers["set-cookie"]
    assert "mf_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1
    raw = cookie.split("mf_session=")[1].split(";")[0]
    with app.state.sessions() as db:
        user = db.scalars(select(User)).one()
        assert user.email == "ann@brand.example"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        stored = db.scalars(select(AuthSession)).one()
        assert stored.token_hash != raw and len(stored.token_hash) == 64  # only the hash is kept


def test_cookie_is_secure_over_https(app):
    client = TestClient(app, base_url="https://studio.example")
    token = csrf_of(client.get("/signup").text)
    client.post("/signup", data={"csrf": token, "name": "Ann", "email": "a@b.example",
                                 "password": "correct horse battery", "workspace": "W"})
    r = client.post("/login", data={"csrf": token, "email": "a@b.example", "password": "correct horse battery"},
                    follow_redirects=False)
    assert "Secure" in r.headers["set-cookie"]


def test_login_logout_and_wrong_password(app):
    first = TestClient(app)
    signup(first, "ann@brand.example", workspace="Brand")
    c = TestClient(app)
    token = csrf_of(c.get("/login").text)
    bad = c.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "wrong password!"})
    assert bad.status_code == 400 and "do not match" in bad.text
    assert c.get("/projects", follow_redirects=False).status_code == 303
    ok = c.post("/login", data={"csrf": token, "email": "ANN@brand.example", "password": "correct horse battery",
                                "next": "/account"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/account"
    page = c.get("/projects")
    assert page.status_code == 200 and "Brand" in page.text
    out = c.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert c.get("/projects", follow_redirects=False).headers["location"].startswith("/login")


def test_signup_validation_and_invites(app):
    c = TestClient(app)
    token = csrf_of(c.get("/signup").text)
    r = c.post("/signup", data={"csrf": token, "name": "", "email": "nope", "password": "short"})
    assert r.status_code == 400
    assert "e-mail" in r.text and "10 characters" in r.text and "workspace" in r.text
    owner = TestClient(app)
    signup(owner, "ann@brand.example", workspace="Brand")
    invite = owner.get("/account").text.split('id="invite-code">')[1].split("<")[0]
    colleague = TestClient(app)
    signup(colleague, "bo@brand.example", invite=invite)
    assert "ann@brand.example" in colleague.get("/account").text  # same workspace
    r = TestClient(app)
    token = csrf_of(r.get("/signup").text)
    fresh = r.post("/signup", data={"csrf": token, "name": "x", "email": "new@brand.example",
                                    "password": "another horse battery", "workspace": "X"}, follow_redirects=False)
    dup = r.post("/signup", data={"csrf": token, "name": "x", "email": "ann@brand.example",
                                  "password": "another horse battery", "workspace": "X"}, follow_redirects=False)
    # The same answer whether or not the e-mail has an account; the account is untouched.
    assert (dup.status_code, dup.text, dup.headers.get("set-cookie")) == (
        fresh.status_code, fresh.text, fresh.headers.get("set-cookie"))
    assert dup.headers["location"].replace("ann", "new") == fresh.headers["location"]
    page = r.get(dup.headers["location"]).text
    assert "If this e-mail had no account" in page and 'value="ann@brand.example"' in page
    with app.state.sessions() as db:
        assert db.scalar(select(func.count()).select_from(User).where(User.email == "ann@brand.example")) == 1
    bad = r.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "another horse battery"})
    assert bad.status_code == 400


def test_every_browser_post_needs_the_csrf_token(two_workspaces):
    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    posts = ["/logout", "/films", f"/films/{fid}/make", f"/films/{fid}/publish", f"/films/{fid}/unpublish",
             f"/films/{fid}/screenplay", f"/films/{fid}/screenplay/preview", f"/films/{fid}/shots/s01/approve",
             f"/films/{fid}/uploads", "/account/tokens"]
    for url in posts:
        missing = owner.post(url, data={"text": "x", "title": "t"})
        assert missing.status_code == 403, (url, missing.status_code)
        wrong = owner.post(url, data={"csrf": "not-the-token", "text": "x"})
        assert wrong.status_code == 403, url
        header = owner.post(url, headers={"x-csrf-token": "forged"})
        assert header.status_code == 403, url
    # The anonymous login form's token must match its own cookie (double submit).
    anon = TestClient(owner.app)
    anon.get("/login")
    forged = anon.post("/login", data={"csrf": "x" * 32, "email": "a@b.c", "password": "p" * 12})
    assert forged.status_code == 403


def test_a_session_token_is_not_valid_for_another_session(two_workspaces):
    owner, other, fid = two_workspaces["owner"], two_workspaces["other"], two_workspaces["fid"]
    stolen = two_workspaces["other_csrf"]
    r = owner.post(f"/films/{fid}/publish", headers={"x-csrf-token": stolen})
    assert r.status_code == 403


def test_redirects_stay_on_this_site(app):
    c = TestClient(app)
    signup(c, "ann@brand.example", workspace="Brand")
    for evil in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        r = c.get("/lang/zh", params={"next": evil}, follow_redirects=False)
        assert r.headers["location"] == "/", evil
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "correct horse battery",
                               "next": "//evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/projects"


def test_failed_logins_are_throttled_per_account_even_with_the_right_password(app):
    from microfilm.studio.throttle import LoginThrottle

    now = [1000.0]
    app.state.login_throttle = LoginThrottle(app.state.sessions, per_account_client=3, per_client=10,
                                             window_s=600, clock=lambda: now[0])
    signup(TestClient(app), "ann@brand.example", workspace="Brand")
    signup(TestClient(app), "bob@agency.example", workspace="Agency")
    def attempt(email: str, password: str):
        c = TestClient(app)  # a fresh browser each time, from the same address
        token = csrf_of(c.get("/login").text)
        return c.post("/login", data={"csrf": token, "email": email, "password": password},
                      follow_redirects=False)

    for _ in range(3):
        assert attempt("ann@brand.example", "wrong password!").status_code == 400
    locked = attempt("ann@brand.example", "correct horse battery")
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 600
    assert "Too many failed attempts" in locked.text
    assert attempt("bob@agency.example", "correct horse battery").status_code == 303  # another account
    now[0] += 601  # the failures leave the window
    assert attempt("ann@brand.example", "correct horse battery").status_code == 303
    # From one address, failures across accounts add up to the per-client limit (the
    # earlier three have left the window).
    for i in range(10):
        assert attempt(f"guess{i}@x.example", "wrong password!").status_code == 400
    assert attempt("bob@agency.example", "correct horse battery").status_code == 429
