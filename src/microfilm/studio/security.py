"""Passwords, session and API tokens, CSRF: the studio's small set of secrets.

- Passwords: argon2id (argon2-cffi defaults), rehashed on login when the parameters change.
- Session cookies and API tokens: 32 random bytes; the database holds only their SHA-256,
  so a leaked catalogue does not log anyone in. High-entropy tokens need no slow hash.
- CSRF: logged-in forms carry the session's own token; the login and sign-up forms, before a
  session exists, carry a random token that must equal the `mf_csrf` cookie (double submit).
  Cookies are SameSite=Lax as a second line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
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


def session_token(key: bytes) -> str:
    """A login's cookie value: 32 random bytes, then a MAC of them under the studio's key.
    A cookie the studio never issued is refused by `session_token_valid`, arithmetic only:
    a flood of made-up cookies costs no catalogue lookup (the catalogue stores the whole
    value's hash, as before, so a stolen catalogue still yields no cookie)."""
    body = secrets.token_urlsafe(32)
    return f"{body}.{_mac(key, body)}"


def session_token_valid(key: bytes, token: str) -> bool:
    body, dot, mac = token.partition(".")
    return bool(dot) and hmac.compare_digest(mac, _mac(key, body))


def _mac(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def session_key(path: Path) -> bytes:
    """The studio's cookie-signing key, made once (0600) beside its catalogue and shared by
    every server process of that studio; whichever process makes it first wins, the others
    read it (a link is atomic and never replaces an existing file)."""
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".session.key.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_bytes(32).hex())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return bytes.fromhex(path.read_text("ascii").strip())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def new_public_id() -> str:
    """Unguessable ids for films and jobs in URLs (no enumeration of drafts)."""
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)
