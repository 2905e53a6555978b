"""The errors a user sees: each names the file, field or line and says what to do."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import ValidationError


class MicrofilmError(Exception):
    """Base for errors shown to a user as one clear message (no traceback)."""


class SpecError(MicrofilmError):
    """A project file or a brief is malformed; the message names the file and field."""

    @classmethod
    def from_validation(cls, source: str, exc: ValidationError) -> "SpecError":
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(root)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            elif err["type"] == "missing":
                msg = "required field is missing"
            elif err["type"] == "literal_error":
                msg = msg.replace("Input should be", "allowed values are")
            problems.append(f"{source}: field '{where}': {msg}")
        return cls("\n".join(problems))


def shown(message: str, base: Path | None = None) -> str:
    """`message` with absolute paths under `base` (default: the working folder) made
    relative, and the home folder written `~`: a user sees the path they typed, and a
    message pasted into a bug report does not show the machine's layout."""
    out = message
    for prefix, short in ((str(Path.cwd() if base is None else base), ""), (str(Path.home()), "~/")):
        if len(prefix) > 1:
            pattern = r"(?<![\w.~/-])" + re.escape(prefix.rstrip(os.sep)) + r"(/|(?![\w./-]))"
            out = re.sub(pattern, lambda m: short if m.group(1) else (short.rstrip("/") or "."),
                         out)
    return out


class ConflictError(MicrofilmError):
    """A hand-edited file would be overwritten by an upstream change."""


class BudgetExceeded(MicrofilmError):
    """The next paid call would cross the brief's budget."""


class ProviderError(MicrofilmError):
    """A provider failed in a way a retry will not fix (bad key, refused content...)."""


class MediaError(MicrofilmError):
    """ffmpeg failed or produced something that does not meet the spec."""


class BadMediaError(MediaError):
    """A provider's file is undecodable, truncated or otherwise unusable: retry, never stitch.

    Here, not in providers/jobs.py, because providers/media_check.py raises it and jobs
    catches it: both import it from below instead of from each other."""
