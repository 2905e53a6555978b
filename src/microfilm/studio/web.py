"""What every route shares: the database session, who is asking, their language, CSRF,
page rendering, and the film lookup that turns "not yours" into 404.

Authorization has one rule, applied in `film_for`: a film is visible to members of the
workspace that owns it, and to nobody else (a 404, so a draft's existence does not leak).
Published films are read from their public snapshot by the /watch routes only.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Iterator

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from microfilm.studio import security
from microfilm.studio.errors import LoginRequired, NotFound
from microfilm.studio.i18n import Translator, negotiate
from microfilm.studio.models import AuthSession, Film, User, aware, utcnow
from microfilm.studio.settings import StudioSettings


def settings_of(request: Request) -> StudioSettings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


def release(db: Session) -> None:
    """End the session's transaction so its connection goes back to the pool now.

    A request holds a pooled connection only while it talks to the catalogue, never across
    slow work (reading a film's files, rendering a template, streaming a file): with
    `expire_on_commit=False` the rows already loaded stay readable, and a later query simply
    takes a connection again. Call it before slow work; it commits what the route added."""
    db.commit()


@dataclass
class Ctx:
    request: Request
    db: Session
    user: User | None
    session: AuthSession | None
    lang: str
    t: Translator
    anon_csrf: str  # the pre-login double-submit token (cookie value, or a new one)
    set_anon_csrf: bool

    @property
    def csrf(self) -> str:
        return self.session.csrf_token if self.session else self.anon_csrf

    @property
    def secure(self) -> bool:
        return self.request.url.scheme == "https"

    def require_user(self) -> User:
        if self.user is None:
            raise LoginRequired()
        return self.user


# What `security.session_token()` makes: 32 random bytes and a 16-byte MAC, URL-safe base64.
SESSION_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$")


def current_session_cookie(request: Request) -> str | None:
    """The session cookie if the studio issued it (its shape, and its MAC under the
    studio's key), else None: a made-up cookie never reaches the catalogue."""
    token = request.cookies.get(security.SESSION_COOKIE)
    if not token or not SESSION_TOKEN.match(token):
        return None
    return token if security.session_token_valid(request.app.state.session_key, token) else None


class UnknownTokens:
    """Session tokens the catalogue did not know, recently: a client repeating a junk cookie
    is answered from memory, not with a query each time. Bounded (oldest forgotten first);
    a real token cannot be in it, since tokens are 256 random bits issued once."""

    def __init__(self, size: int = 10_000):
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def __contains__(self, digest: str) -> bool:
        with self._lock:
            return digest in self._seen

    def add(self, digest: str) -> None:
        with self._lock:
            self._seen[digest] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)


def known_junk(request: Request) -> bool:
    """The request's session cookie is one the catalogue recently did not know."""
    token = current_session_cookie(request)
    return token is not None and security.token_hash(token) in request.app.state.unknown_tokens


def current_session(request: Request, db: Session) -> AuthSession | None:
    """The login the session cookie names, with its user and workspace loaded (the page
    header shows both), in one query. A cookie that cannot be one of our tokens never
    reaches the catalogue: a flood of junk cookies costs a regex, not a connection."""
    token = current_session_cookie(request)
    if token is None:
        return None
    digest = security.token_hash(token)
    unknown = request.app.state.unknown_tokens
    if digest in unknown:
        return None
    row = db.scalars(select(AuthSession).options(joinedload(AuthSession.user).joinedload(User.workspace))
                     .where(AuthSession.token_hash == digest)).first()
    if row is None:
        unknown.add(digest)
    if row is None or aware(row.expires_at) < utcnow():
        return None
    return row


def page_ctx(request: Request, db: Session = Depends(get_db)) -> Ctx:
    session = current_session(request, db)
    release(db)
    lang = negotiate(request.cookies.get(security.LANG_COOKIE), request.headers.get("accept-language"))
    cookie = request.cookies.get(security.CSRF_COOKIE) or ""
    fresh = not (16 <= len(cookie) <= 128)
    return Ctx(request=request, db=db, user=session.user if session else None, session=session,
               lang=lang, t=Translator(lang), anon_csrf=secrets.token_urlsafe(24) if fresh else cookie,
               set_anon_csrf=fresh)


async def csrf_protect(request: Request, ctx: Ctx = Depends(page_ctx)) -> None:
    """Every state-changing browser request carries the CSRF token, as a form field `csrf`
    or an `X-CSRF-Token` header (the page's fetch calls)."""
    sent = request.headers.get("x-csrf-token")
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form(max_part_size=2 * 1024 * 1024)
            value = form.get("csrf")
            sent = value if isinstance(value, str) else None
    if ctx.session is not None:
        ok = security.same(sent, ctx.session.csrf_token)
    else:
        ok = security.same(sent, request.cookies.get(security.CSRF_COOKIE))
    if not ok:
        raise HTTPException(403, ctx.t("error.csrf"))


def login(ctx: Ctx, user: User, response: Response) -> None:
    token = security.session_token(ctx.request.app.state.session_key)
    days = settings_of(ctx.request).session_days
    ctx.db.add(AuthSession(token_hash=security.token_hash(token), csrf_token=secrets.token_urlsafe(32),
                           user_id=user.id, created_at=utcnow(), expires_at=utcnow() + timedelta(days=days)))
    ctx.db.commit()
    response.set_cookie(security.SESSION_COOKIE, token, max_age=days * 86400, httponly=True,
                        samesite="lax", secure=ctx.secure, path="/")


def logout(ctx: Ctx, response: Response) -> None:
    if ctx.session is not None:
        ctx.db.delete(ctx.session)
        ctx.db.commit()
    response.delete_cookie(security.SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=ctx.secure)


def render(ctx: Ctx, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates = ctx.request.app.state.templates
    release(ctx.db)
    response = templates.TemplateResponse(
        ctx.request, name, {"ctx": ctx, "t": ctx.t, "user": ctx.user, "lang": ctx.lang, **context},
        status_code=status_code)
    if ctx.set_anon_csrf:
        response.set_cookie(security.CSRF_COOKIE, ctx.anon_csrf, httponly=True, samesite="lax",
                            secure=ctx.secure, path="/")
    return response


def redirect(url: str, status_code: int = 303) -> RedirectResponse:
    return RedirectResponse(url, status_code=status_code)


def without_server_paths(text: str, settings: StudioSettings) -> str:
    """An error for a person, without the server's absolute paths: a film's file is named
    relative to the film's folder (`bible.yaml`), anything else of the studio's by what it is."""
    projects = str(settings.projects)
    text = re.sub(re.escape(projects) + r"/[^/\s'\"]+/[^/\s'\"]+/?", "", text)
    text = text.replace(projects, "the studio's projects folder")
    return text.replace(str(settings.home.expanduser().resolve()), "the studio's folder")


def safe_next(value: str | None, default: str = "/projects") -> str:
    """Only local paths: `//evil.example` and `https://...` would be open redirects."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def film_for(db: Session, user: User | None, public_id: str) -> Film:
    if user is None or len(public_id) > 32:
        raise NotFound()
    film = db.scalars(select(Film).where(Film.public_id == public_id)).first()
    release(db)  # film routes go on to the film's files
    if film is None or film.workspace_id != user.workspace_id:
        raise NotFound()
    return film
