"""The anonymous gallery page as `PageCache` keeps it: its key, how one visitor gets it, and
who counts as possibly logged in (shared by the /watch route and `fastpath.CachedGallery`).
"""

from __future__ import annotations

import asyncio
import secrets
from html import escape as html_escape

import anyio.to_thread
from fastapi import Request
from fastapi.responses import HTMLResponse

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


def anonymous_page(request: Request, html: str) -> HTMLResponse:
    """The cached page with this visitor's own pre-login CSRF token put in (a new one, and
    its cookie, if they have none), so no visitor gets another's."""
    token = request.cookies.get(security.CSRF_COOKIE) or ""
    new_token = not (16 <= len(token) <= 128)
    if new_token:
        token = secrets.token_urlsafe(24)
    response = HTMLResponse(html.replace(pagecache.TOKEN, html_escape(token)))
    if new_token:
        response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


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
