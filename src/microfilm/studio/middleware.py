"""Two small ASGI middlewares: a cap on request bodies, and security headers on every answer."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class BodyTooLarge(HTTPException):
    """An HTTPException so that body parsers pass it through (FastAPI turns other errors
    while reading a body into a 400)."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BodyLimit:
    """Refuse bodies over `limit` bytes (413), whether or not Content-Length says so:
    a chunked upload is counted as it arrives, before anything spools it to disk."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _send_413(send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send)


async def _send_413(send: Send) -> None:
    body = b"request body too large"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _credentialed(scope: Scope) -> bool:
    """The request carries a login (session cookie) or an API token."""
    for name, value in scope.get("headers", []):
        if name == b"authorization" or (name == b"cookie" and b"mf_session=" in value):
            return True
    return False


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The headers every answer carries (`SecurityHeaders`, and `fastpath.CachedGallery`,
    which answers before it), `no-store` included for a credentialed request."""
    headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
               (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]
    if _credentialed(scope):
        headers.append((b"cache-control", b"no-store"))
    return headers


class SecurityHeaders:
    """nosniff, same-origin referrers, no framing, the CSP; and `Cache-Control: no-store` on
    every answer to a logged-in request that did not set its own (a private page must not
    stay in a shared or back-button cache), e.g. a thumbnail's private max-age."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {n.lower() for n, _ in headers}
                headers += [(n, v) for n, v in extra if n not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
