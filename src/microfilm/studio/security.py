"""Passwords, session and API tokens, CSRF: the studio's small set of secrets.

- Passwords: argon2id (argon2-cffi defaults), rehashed on login when the parameters change.
- Session cookies and API tokens: 32 random bytes; the database holds only their SHA-256,
  so a leaked catalogue does not log anyone in. High-entropy tokens need no slow hash.
- CSRF: logged-in forms carry the session's own token; the login and sign-up forms, before a
  session exists, carry a random token that must equal the `mf_csrf` cookie (double submit).
  Cookies are SameSite=Lax as a second line.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from contextlib import contextmanager
from typing import Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

SESSION_COOKIE = "mf_session"
CSRF_COOKIE = "mf_csrf"
LANG_COOKIE = "mf_lang"
TOKEN_PREFIX = "mft_"
MIN_PASSWORD = 10

_hasher = PasswordHasher()

# Each argon2id hash holds 64 MiB while it runs: at most this many at once, whatever the number
# of logins arriving, so a flood costs time (refused after HASH_WAIT_S), never the memory.
HASH_SLOTS = 2
HASH_WAIT_S = 10.0
_slots = threading.BoundedSemaphore(HASH_SLOTS)


class HashBusy(Exception):
    """Every hash slot stayed taken for HASH_WAIT_S: the studio answers 503, try again."""


@contextmanager
def _hash_slot() -> Iterator[None]:
    if not _slots.acquire(timeout=HASH_WAIT_S):
        raise HashBusy()
    try:
        yield
    finally:
        _slots.release()


def hash_password(password: str) -> str:
    with _hash_slot():
        return _hasher.hash(password)


def verify_password(stored: str, password: str) -> tuple[bool, str | None]:
    """(ok, new_hash): new_hash is set when the stored hash should be upgraded."""
    with _hash_slot():
        try:
            _hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, None
        return True, (_hasher.hash(password) if _hasher.check_needs_rehash(stored) else None)


# A hash to verify against when the e-mail is unknown, so a login takes the same time
# whether or not the account exists.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def new_public_id() -> str:
    """Unguessable ids for films and jobs in URLs (no enumeration of drafts)."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)
