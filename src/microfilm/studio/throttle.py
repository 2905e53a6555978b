"""Failed logins are limited, so a password cannot be guessed at the speed of the network.

A sliding window per account (e-mail) and per client address: after `per_account` failures
for one e-mail, or `per_client` from one address, within `window_s`, further attempts are
refused with 429 and Retry-After until the oldest failure leaves the window, even with the
right password (else the refusal would tell a guesser when it guessed right). A success
clears the account's failures. Kept in memory: the studio serves from one process, and a
restart forgetting the counts only gives a guesser one more window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class LoginThrottle:
    per_account: int = 5
    per_client: int = 20
    window_s: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _keys(self, email: str, client: str) -> list[tuple[str, int]]:
        return [(f"account:{email}", self.per_account), (f"client:{client}", self.per_client)]

    def _trim(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= self.window_s:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def retry_after(self, email: str, client: str) -> int:
        """Seconds until an attempt is allowed again; 0 when it is allowed now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key, limit in self._keys(email, client):
                times = self._trim(key, now)
                if len(times) >= limit:
                    wait = max(wait, self.window_s - (now - times[len(times) - limit]))
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, email: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(email, client):
                self._trim(key, now)
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(f"account:{email}", None)
