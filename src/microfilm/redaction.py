"""Secrets never shown: every key microfilm reads is remembered here and masked, with every
header, query and JSON shape a secret travels in, from errors, logs and the ledger.

Below the providers (which read keys) and the ledger (which stores error texts), so both
redact through one registry without importing each other.
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "[REDACTED]"

_seen: set[str] = set()
_seen_lock = threading.Lock()

# Header, query and JSON shapes in which a secret travels; the value part is masked.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|key|token|basic)\s+)([^\s'\",;]+)"),
    re.compile(r"(?i)((?:x-api-key|xi-api-key|x-goog-api-key|api-key|x-key)['\"]?\s*[:=]\s*['\"]?)([^\s'\",;]+)"),
    re.compile(r"(?i)((?:api_key|apikey|api-key|access_token|token|key|secret)=)([^\s&'\"]+)"),
    re.compile(r"(?i)(['\"](?:api_key|apiKey|secret|token|access_key|secret_key)['\"]\s*:\s*['\"])([^'\"]+)"),
    re.compile(r"(?i)(\b(?:bearer|token)\s+)([A-Za-z0-9._~+/=\-]{8,})"),
    re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,})"),
    re.compile(r"\b(r8_[A-Za-z0-9]{8,})"),
    re.compile(r"\b(AIza[0-9A-Za-z_\-]{20,})"),
    re.compile(r"\b(eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,})"),  # JWTs
]


def remember(value: str) -> None:
    """Register a secret (a key read, or one given as a constructor argument) for redaction."""
    if value and len(value) >= 4:
        with _seen_lock:
            _seen.add(value)


def redact(text: object, extra: tuple[str, ...] = ()) -> str:
    """`text` with every known key and every header/query secret shape masked."""
    out = str(text)
    with _seen_lock:
        known = sorted(set(_seen) | {e for e in extra if e}, key=len, reverse=True)
    for value in known:
        out = out.replace(value, MASK)
    for pattern in _SECRET_PATTERNS:
        if pattern.groups >= 2:
            out = pattern.sub(lambda m: m.group(1) + MASK, out)
        else:
            out = pattern.sub(MASK, out)
    return out


def redact_then_cut(text: object, limit: int) -> str:
    """`text` redacted, THEN cut to `limit` characters: cutting first could split a key
    so that neither the known value nor a secret pattern matches what is left of it."""
    return redact(text)[:limit]


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs keys from every record before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to logging's own error path
            return True
        record.msg, record.args = redact(message), None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the redacting filter to `logger` (default: the "microfilm" logger tree)."""
    target = logger or logging.getLogger("microfilm")
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(RedactingFilter())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
