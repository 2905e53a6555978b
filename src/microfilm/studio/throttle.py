"""Failed logins and sign-ups are limited, so a password cannot be guessed at the speed of
the network, nor the server's memory spent on password hashes.

Each attempt is counted when it starts, before its password is hashed (argon2id takes 64 MiB
and tens of ms): 40 attempts sent at once from one address are counted as they come, and
those past a limit are refused with 429 and Retry-After without being hashed. A success
takes its own attempt back. The limits, within `window_s`:

- `per_account_client` failures for one account from one address: that address may not try
  that account again (even with the right password, else the refusal would tell a guesser
  when it guessed right). Other addresses are not affected, so nobody can lock a known user
  out of their account by failing on purpose.
- `per_client` failures from one address, whatever the accounts.
- `per_account` failures for one account from all addresses together (a guess spread over
  many addresses): the account is then closed to addresses that have not logged in to it
  before. The studio has no e-mail to send a link with, so the proof it accepts is the one
  it has: an address this account has logged in from (a person's own office or home) still
  gets in with the right password.

Sign-ups are counted per address (`signups_per_client` per `signup_window_s`). Kept in
memory: the studio serves from one process, and a restart forgetting the counts only gives
a guesser one more window.
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
    per_account_client: int = 5
    per_client: int = 20
    per_account: int = 100
    window_s: float = 900.0
    signups_per_client: int = 10
    signup_window_s: float = 3600.0
    max_known: int = 32  # addresses remembered per account
    clock: Callable[[], float] = time.monotonic
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _known: dict[str, deque[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _limits(self, email: str, client: str) -> list[tuple[str, int, float]]:
        limits = [(f"account-client:{email}\x00{client}", self.per_account_client, self.window_s),
                  (f"client:{client}", self.per_client, self.window_s)]
        if client not in self._known.get(email, ()):
            limits.append((f"account:{email}", self.per_account, self.window_s))
        return limits

    def _wait(self, limits: list[tuple[str, int, float]], now: float) -> float:
        wait = 0.0
        for key, limit, window in limits:
            times = self._events.get(key)
            if times is None:
                continue
            while times and now - times[0] >= window:
                times.popleft()
            if not times:
                self._events.pop(key, None)
            elif len(times) >= limit:
                wait = max(wait, window - (now - times[len(times) - limit]))
        return wait

    def _begin(self, limits: list[tuple[str, int, float]]) -> tuple[int, float]:
        now = self.clock()
        with self._lock:
            wait = self._wait(limits, now)
            if wait > 0:
                return math.ceil(wait), now
            for key, _, _ in limits:
                self._events.setdefault(key, deque()).append(now)
        return 0, now

    def begin(self, email: str, client: str) -> tuple[int, float]:
        """Count a login attempt before its password is checked: (seconds to wait, attempt).
        With a wait the attempt is refused and not counted; else it counts as a failure
        until `succeeded(email, client, attempt)` takes it back."""
        with self._lock:
            limits = self._limits(email, client)
        return self._begin(limits)

    def succeeded(self, email: str, client: str, attempt: float) -> None:
        """The attempt was right: it is not a failure, this address's failures on the account
        are forgotten, and the address is remembered as the account's own."""
        with self._lock:
            for key in (f"client:{client}", f"account:{email}"):
                times = self._events.get(key)
                if times is not None and attempt in times:
                    times.remove(attempt)
            self._events.pop(f"account-client:{email}\x00{client}", None)
            known = self._known.setdefault(email, deque(maxlen=self.max_known))
            if client not in known:
                known.append(client)

    def retry_after(self, email: str, client: str) -> int:
        """Seconds until a login attempt is allowed again; 0 when it is allowed now."""
        with self._lock:
            wait = self._wait(self._limits(email, client), self.clock())
        return math.ceil(wait) if wait > 0 else 0

    def begin_signup(self, client: str) -> int:
        """Count a sign-up from `client`; seconds to wait (the sign-up refused) or 0."""
        wait, _ = self._begin([(f"signup:{client}", self.signups_per_client, self.signup_window_s)])
        return wait
