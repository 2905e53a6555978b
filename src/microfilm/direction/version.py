"""The direction code's own version: a digest of the rules that decide what each shot shows.

The board is cached on its inputs (the script, the bible, the brief, the animator). The rules
that turn those into shots live in this package, and a fix to them (a heard-only character
kept off screen, a Chinese word for an English template) must reach boards made before the
fix: so the board's cache key carries this digest, and a change in any source or data file
of the package re-boards (a hand-edited storyboard still goes through the usual edit policy).
A digest rather than a hand-bumped number, because nobody remembers to bump it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).parent
SOURCES = ("*.py", "*.yaml")


def sources_digest(root: Path = PACKAGE) -> str:
    """A short sha256 over every rule file under `root`, by relative path and contents."""
    digest = hashlib.sha256()
    files = sorted(p for pattern in SOURCES for p in root.rglob(pattern) if p.is_file())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """This installation's direction digest (read once per process)."""
    return sources_digest()
