"""What goes wrong in the studio, as types, and the HTTP status of each, in one table.

Routes and the service layer raise what went wrong (a film that is not there or not yours,
a render in the way, a brief or screenplay that does not validate, an image refused); the
status comes from `STATUS` by the exception's type, its message and extra fields from here,
and `studio.answers` gives every error answer its one shape.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from microfilm.errors import MicrofilmError, SpecError
from microfilm.media.images import ImageRefused
from microfilm.studio.films import NoSuchReference
from microfilm.studio.i18n import Translator, negotiate
from microfilm.studio.jobs import JobConflict
from microfilm.studio.security import LANG_COOKIE


class StudioError(Exception):
    """A studio operation refused; `extra` goes into a JSON answer beside the message."""

    def __init__(self, message: str = "", **extra: Any):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(StudioError):
    """Not there, or not the asker's to see (the same answer, so a draft does not leak)."""

    def __init__(self, message: str = "Not Found", **extra: Any):
        super().__init__(message, **extra)


class Conflict(StudioError):
    """The film's state does not allow it now (e.g. its folder holds a link that leads out)."""


class Rendering(Conflict):
    """A render of the film is queued or running: its files are not changed under it."""

    def __init__(self, job: str | None = None):
        super().__init__("", **({"job": job} if job else {}))


class Invalid(StudioError):
    """The request's values are refused (a bad policy, a screenplay that is not UTF-8)."""


class LoginRequired(Exception):
    """Raised by page routes; the app answers with a redirect to /login?next=..."""


# The one table: the first class in an exception's MRO found here gives its status.
STATUS: dict[type[BaseException], int] = {
    NotFound: 404,
    NoSuchReference: 404,
    Conflict: 409,
    Invalid: 422,
    JobConflict: 409,
    SpecError: 422,
    MicrofilmError: 422,
}


def status_of(exc: BaseException) -> int:
    if isinstance(exc, ImageRefused):
        return exc.status  # 413 too large, 415 not an image we take
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def _lang(request: Request) -> str:
    if request.url.path.startswith("/api/"):
        return "en"
    return negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def message_of(exc: BaseException, request: Request) -> str:
    if isinstance(exc, (Rendering, JobConflict)):
        return Translator(_lang(request))("error.rendering")
    if isinstance(exc, StudioError):
        return exc.message
    return str(exc)


def extra_of(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, JobConflict):
        return {"job": exc.job_public_id}
    return dict(exc.extra) if isinstance(exc, StudioError) else {}
