"""Error answers, one shape for every route (the status comes from `studio.errors`):

- under /api/: JSON `{"detail": message, ...}`;
- a page's own fetch (it asks for JSON or sends the X-CSRF-Token header): JSON
  `{"ok": false, "error": message, "detail": message, ...}`;
- anything else: the studio's error page in the visitor's language (JSON `{"detail": ...}`
  for a client that does not take HTML).

Every message loses the server's absolute paths on the way out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from microfilm.errors import MicrofilmError
from microfilm.studio.errors import LoginRequired, StudioError, extra_of, message_of, status_of
from microfilm.studio.jobs import JobConflict
from microfilm.studio.security import HashBusy
from microfilm.studio.web import page_ctx, render, without_server_paths


def wants_json(request: Request) -> bool:
    """A page's own fetch call: it asks for JSON, or carries the CSRF header only scripts send."""
    return "application/json" in request.headers.get("accept", "") or request.headers.get("x-csrf-token") is not None


def answer(request: Request, status: int, message: str, extra: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> Response:
    """The one shape of an error answer, for every route (see the module's docstring)."""
    message = without_server_paths(message, request.app.state.settings)
    extra = extra or {}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message, **extra}, status_code=status, headers=headers)
    if wants_json(request):
        return JSONResponse({"ok": False, "error": message, "detail": message, **extra}, status_code=status,
                            headers=headers)
    if "text/html" not in request.headers.get("accept", "text/html"):
        return JSONResponse({"detail": message, **extra}, status_code=status, headers=headers)
    return error_page(request, status, message)


def error_page(request: Request, status: int, detail: str) -> Response:
    with request.app.state.sessions() as db:
        ctx = page_ctx(request, db)
        key = {404: "error.404", 403: "error.403", 409: "error.409", 413: "error.413"}.get(status, "")
        message = ctx.t(key) if key and (status == 404 or not detail) else detail
        return render(ctx, "error.html", status_code=status, status=status, message=message)


def jsonable_errors(exc: RequestValidationError) -> list[dict]:
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()]


def install(app: FastAPI) -> None:
    """Register the handlers: every mapped type, HTTPException, and the few special answers."""

    async def _mapped(request: Request, exc: Exception) -> Response:
        return answer(request, status_of(exc), message_of(exc, request), extra_of(exc))

    for cls in (StudioError, JobConflict, MicrofilmError):
        app.add_exception_handler(cls, _mapped)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if not isinstance(exc.detail, str):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return answer(request, exc.status_code, exc.detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(PoolTimeout)
    async def _busy(_request: Request, _exc: PoolTimeout):
        # Only if every connection stays taken for db_wait_s: a short, retryable answer.
        return PlainTextResponse("the studio is busy; try again in a few seconds", status_code=503,
                                 headers={"Retry-After": "5"})

    @app.exception_handler(HashBusy)
    async def _hashing_busy(_request: Request, _exc: HashBusy):
        return PlainTextResponse("too many logins at once; try again in a few seconds", status_code=503,
                                 headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        return error_page(request, 422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                                   for e in exc.errors()))
