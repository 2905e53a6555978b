"""The anonymous gallery page as `PageCache` keeps it: its key, how one visitor gets it, and
who counts as possibly logged in (shared by the /watch route and `fastpath.CachedGallery`).
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from html import escape as html_escape

import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response

from microfilm.studio import pagecache, security
from microfilm.studio.i18n import negotiate
from microfilm.studio.web import current_session, current_session_cookie, known_junk


def gallery_key(request: Request) -> tuple:
    """The cached page a visitor who is not logged in gets: per language and genre filter."""
    lang = negotiate(request.cookies.get(security.LANG_COOKIE), request.headers.get("accept-language"))
    return ("gallery", lang, request.query_params.get("genre", "")[:80])


def maybe_signed_in(request: Request) -> bool:
    """The session cookie could name a login: it has a token's shape and was not recently
    found unknown. Only such a request costs a catalogue lookup."""
    return current_session_cookie(request) is not None and not known_junk(request)


def anonymous_page(request: Request, html: str) -> Response:
    """The cached page with this visitor's own pre-login CSRF token put in (a new one, and
    its cookie, if they have none), so no visitor gets another's."""
    body, cookie = anonymous_answer(request, html)
    response = Response(body, media_type="text/html")
    if cookie is not None:
        response.raw_headers.append((b"set-cookie", cookie))
    return response


def anonymous_answer(request: Request, html: str) -> tuple[bytes, bytes | None]:
    """The page's bytes for this visitor and the Set-Cookie value of their new pre-login
    token (None: they sent one). Built from the page encoded once, split where the token
    goes, and the cookie Starlette writes, split likewise: under a crowd this is most of
    what a gallery page costs the studio. With the answer made before any other layer
    (`fastpath.CachedGallery`), the app's cost of an anonymous gallery page went from 44
    to 25 us (best of 7 x 500 in one process, the 2-core machine), where a new
    HTMLResponse and its `set_cookie` were most of it."""
    token = request.cookies.get(security.CSRF_COOKIE) or ""
    cookie = None
    if not (16 <= len(token) <= 128):
        token = secrets.token_urlsafe(24)
        head, tail = _csrf_cookie(request.url.scheme == "https")
        cookie = head + token.encode() + tail
    return html_escape(token).encode().join(_pieces(html)), cookie


_PLACEHOLDER = "csrf0token0placeholder0"  # a token's alphabet (URL-safe base64): never quoted
_split_pages: dict[str, list[bytes]] = {}


def _pieces(html: str) -> list[bytes]:
    """The page encoded, cut at each `pagecache.TOKEN`; kept per page (the cache hands out
    the same string until it renders a new one, and a string keeps its hash)."""
    pieces = _split_pages.get(html)
    if pieces is None:
        if len(_split_pages) >= 32:
            _split_pages.clear()
        pieces = _split_pages[html] = [part.encode() for part in html.split(pagecache.TOKEN)]
    return pieces


@functools.lru_cache(maxsize=2)
def _csrf_cookie(secure: bool) -> tuple[bytes, bytes]:
    """The Set-Cookie value of a new pre-login token as Starlette writes it, cut where the
    token goes."""
    response = Response()
    response.set_cookie(security.CSRF_COOKIE, _PLACEHOLDER, httponly=True, samesite="lax", secure=secure, path="/")
    value = next(v for n, v in response.raw_headers if n == b"set-cookie")
    head, found, tail = value.partition(_PLACEHOLDER.encode())
    if not found:
        raise RuntimeError(f"the pre-login cookie's token is not where it was put: {value!r}")
    return head, tail


async def signed_in(request: Request) -> bool:
    """Whether the session cookie names a live login: a quick catalogue lookup on threads of
    its own (never queued behind slow pages). Requests carrying the same cookie at once share
    one lookup, so a crowd repeating one junk cookie costs one query, not one each."""
    state = request.app.state
    digest = security.token_hash(current_session_cookie(request) or "")
    flight = state.session_lookups.get(digest)
    if flight is None:
        flight = asyncio.ensure_future(anyio.to_thread.run_sync(_lookup, request, limiter=state.quick_threads))
        state.session_lookups[digest] = flight
        flight.add_done_callback(lambda _done: state.session_lookups.pop(digest, None))
    return await asyncio.shield(flight)


def _lookup(request: Request) -> bool:
    with request.app.state.sessions() as db:
        return current_session(request, db) is not None
