"""The public gallery answered before routing, for a visitor who is not logged in.

Under a crowd the studio's own cost per request is what queues the next visitor: FastAPI's
router matches a path against some sixty routes and resolves dependencies before the
gallery route even starts (about 0.8 ms a request on a shared 2-core machine, most of the
gallery's cost once its page is in memory). This middleware answers `GET /watch` from
`PageCache` when the page is there and fresh and the request carries no session cookie
that could be a login (none, one that cannot be a token, or one the catalogue recently did
not know): a plain dictionary lookup. Anything else (a miss, a stale page, a possible
login) goes on to the route, which renders, refreshes the cache and serves logged-in
visitors their own page. Security headers still apply: the middleware sits inside them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from microfilm.studio.gallery import anonymous_page, gallery_key, maybe_signed_in


class CachedGallery:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/watch":
            request = Request(scope)
            if not maybe_signed_in(request):
                html, fresh = request.app.state.page_cache.get(gallery_key(request))
                if html is not None and fresh:
                    await anonymous_page(request, html)(scope, receive, send)
                    return
        await self.app(scope, receive, send)
