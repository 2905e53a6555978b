"""Sign up, log in, log out, and the language toggle."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy import func, select

from microfilm.studio import security
from microfilm.studio.i18n import LANGS
from microfilm.studio.models import User, Workspace, utcnow
from microfilm.studio.web import Ctx, csrf_protect, login, logout, page_ctx, redirect, release, render, safe_next

router = APIRouter()
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


def _slug(name: str, db) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "ws"
    slug, n = base, 1
    while db.scalars(select(Workspace).where(Workspace.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


@router.get("/")
def home(ctx: Ctx = Depends(page_ctx)):
    return redirect("/projects" if ctx.user else "/watch", 303)


@router.get("/signup")
def signup_form(ctx: Ctx = Depends(page_ctx), invite: str = ""):
    return render(ctx, "signup.html", form={"invite": invite[:64]}, errors=[])


@router.post("/signup", dependencies=[Depends(csrf_protect)])
def signup(ctx: Ctx = Depends(page_ctx), name: str = Form(""), email: str = Form(""),
           password: str = Form(""), workspace: str = Form(""), invite: str = Form("")):
    t = ctx.t
    settings = ctx.request.app.state.settings
    email = email.strip().lower()
    name, workspace, invite = name.strip()[:120], workspace.strip()[:120], invite.strip()[:64]
    errors = []
    if not settings.allow_signup:
        errors.append(t("signup.closed"))
    if not name:
        errors.append(t("signup.need_name"))
    if not EMAIL.match(email):
        errors.append(t("signup.bad_email"))
    if len(password) < security.MIN_PASSWORD:
        errors.append(t("signup.short_password", n=security.MIN_PASSWORD))
    if not workspace and not invite:
        errors.append(t("signup.need_workspace"))
    ws = None
    if invite:
        ws = ctx.db.scalars(select(Workspace).where(Workspace.invite_code == invite)).first()
        if ws is None:
            errors.append(t("signup.bad_invite"))
    if errors:
        return render(ctx, "signup.html", status_code=400, errors=errors,
                      form={"name": name, "email": email, "workspace": workspace, "invite": invite})
    wait = ctx.request.app.state.login_throttle.begin_signup(_client(ctx))
    if wait:
        return _throttled(render(ctx, "signup.html", status_code=429, errors=[t("signup.throttled")],
                                 form={"name": name, "email": email, "workspace": workspace, "invite": invite}),
                          wait)
    # The same answer whether or not the e-mail has an account (a hash either way, so the
    # same time too): sign-up never says who is a user. The person then logs in.
    release(ctx.db)  # no connection held while the password is hashed
    password_hash = security.hash_password(password)
    taken = ctx.db.scalar(select(func.count()).select_from(User).where(User.email == email))
    if not taken:
        if ws is None:
            ws = Workspace(name=workspace, slug=_slug(workspace, ctx.db), invite_code=security.new_invite_code(),
                           created_at=utcnow())
            ctx.db.add(ws)
            ctx.db.flush()
        ctx.db.add(User(email=email, name=name, password_hash=password_hash, workspace_id=ws.id,
                        created_at=utcnow()))
        ctx.db.commit()
    return redirect(f"/login?signed_up=1&email={quote(email)}")


def _client(ctx: Ctx) -> str:
    return ctx.request.client.host if ctx.request.client else "unknown"


def _throttled(response, wait: int):
    response.headers["Retry-After"] = str(wait)
    return response


@router.get("/login")
def login_form(ctx: Ctx = Depends(page_ctx), next: str = "", email: str = "", signed_up: str = ""):
    return render(ctx, "login.html", next=safe_next(next), errors=[], email=email[:254],
                  notice=ctx.t("signup.done") if signed_up else "")


@router.post("/login", dependencies=[Depends(csrf_protect)])
def login_post(ctx: Ctx = Depends(page_ctx), email: str = Form(""), password: str = Form(""),
               next: str = Form("")):
    email = email.strip().lower()
    throttle = ctx.request.app.state.login_throttle
    client = _client(ctx)
    wait, attempt = throttle.begin(email, client)  # counted now, before any hashing
    if wait:
        return _throttled(render(ctx, "login.html", status_code=429, next=safe_next(next), email=email,
                                 errors=[ctx.t("login.throttled", minutes=max(1, round(wait / 60)))]), wait)
    user = ctx.db.scalars(select(User).where(User.email == email)).first()
    release(ctx.db)  # no connection held while the password is hashed
    ok, rehash = security.verify_password(user.password_hash if user else security.DUMMY_HASH, password)
    if user is None or not ok:
        return render(ctx, "login.html", status_code=400, next=safe_next(next),
                      errors=[ctx.t("login.failed")], email=email)
    throttle.succeeded(email, client, attempt)
    if rehash:
        user.password_hash = rehash
        ctx.db.commit()
    response = redirect(safe_next(next))
    login(ctx, user, response)
    return response


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout_post(ctx: Ctx = Depends(page_ctx)):
    response = redirect("/watch")
    logout(ctx, response)
    return response


@router.get("/lang/{code}")
def set_lang(code: str, request: Request, next: str = "/"):
    """The header's 中文 / EN toggle: a preference cookie, then back where the user was."""
    response = redirect(safe_next(next, "/"))
    if code in LANGS:
        response.set_cookie(security.LANG_COOKIE, code, max_age=365 * 86400, samesite="lax",
                            httponly=True, secure=request.url.scheme == "https", path="/")
    return response
