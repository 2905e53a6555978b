"""The public gallery answered first, for a visitor who is not logged in.

Under a crowd the studio's own cost per request is what queues the next visitor: FastAPI's
router matches a path against some sixty routes and resolves dependencies before the
gallery route even starts, and every middleware wraps the answer on its way out. This
middleware, the outermost, answers `GET /watch` from `PageCache` when the page is there
and fresh and the request carries no session cookie that could be a login (none, one that
cannot be a token, or one the catalogue recently did not know): a dictionary lookup, the
page's bytes joined around the visitor's CSRF token, the security headers every answer
carries. Anything else (a miss, a stale page, a possible login) goes on to the route,
which renders, refreshes the cache and serves logged-in visitors their own page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from microfilm.studio.gallery import anonymous_answer, gallery_key, maybe_signed_in
from microfilm.studio.middleware import security_headers


class CachedGallery:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/watch":
            request = Request(scope)
            if not maybe_signed_in(request):
                html, fresh = request.app.state.page_cache.get(gallery_key(request))
                if html is not None and fresh:
                    body, cookie = anonymous_answer(request, html)
                    headers = [(b"content-type", b"text/html; charset=utf-8"),
                               (b"content-length", str(len(body)).encode()), *security_headers(scope)]
                    if cookie is not None:
                        headers.append((b"set-cookie", cookie))
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)
