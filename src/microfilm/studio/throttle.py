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

Sign-ups are counted per address (`signups_per_client` per `signup_window_s`). The counts
live in the catalogue (`LoginEvent`, `LoginKnownClient`), so they hold whichever of the
studio's server processes a request reaches. An attempt is written first and then counted
with the attempts written before it (`id` order): attempts arriving at once in several
processes are counted in one order, so no more than the limit get through; one past the
limit is removed again (a refused attempt does not count).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from microfilm.studio.models import LoginEvent, LoginKnownClient

Limit = tuple[str, int, float]  # key, attempts allowed, window in seconds
Attempt = tuple[int, ...]  # the attempt's rows: what `succeeded` takes back


@dataclass
class LoginThrottle:
    sessions: sessionmaker[Session]
    per_account_client: int = 5
    per_client: int = 20
    per_account: int = 100
    window_s: float = 900.0
    signups_per_client: int = 10
    signup_window_s: float = 3600.0
    max_known: int = 32  # addresses remembered per account
    clock: Callable[[], float] = time.time  # wall time: every process reads the same

    def _limits(self, db: Session, email: str, client: str) -> list[Limit]:
        limits = [(f"account-client:{client} {email}", self.per_account_client, self.window_s),
                  (f"client:{client}", self.per_client, self.window_s)]
        if db.get(LoginKnownClient, (email, client)) is None:
            limits.append((f"account:{email}", self.per_account, self.window_s))
        return limits

    def _wait(self, db: Session, limits: list[Limit], now: float, upto: dict[str, int] | None = None) -> float:
        """Seconds until every limit allows one more attempt; with `upto`, the attempts
        counted per key are those written up to that row (the one being decided)."""
        wait = 0.0
        for key, limit, window in limits:
            query = select(LoginEvent.at).where(LoginEvent.key == key, LoginEvent.at > now - window)
            if upto is not None:
                query = query.where(LoginEvent.id < upto[key])
            times = sorted(db.scalars(query).all())
            if len(times) >= limit:
                wait = max(wait, window - (now - times[len(times) - limit]))
        return wait

    def _begin(self, limits: list[Limit]) -> tuple[int, Attempt]:
        now = self.clock()
        with self.sessions.begin() as db:
            db.execute(delete(LoginEvent).where(LoginEvent.at < now - max(self.window_s, self.signup_window_s)))
            rows = [LoginEvent(key=key, at=now) for key, _, _ in limits]
            db.add_all(rows)
            db.flush()
            mine = {row.key: row.id for row in rows}
        with self.sessions() as db:
            wait = self._wait(db, limits, now, upto=mine)
        if wait > 0:
            with self.sessions.begin() as db:
                db.execute(delete(LoginEvent).where(LoginEvent.id.in_(list(mine.values()))))
            return math.ceil(wait), ()
        return 0, tuple(mine.values())

    def begin(self, email: str, client: str) -> tuple[int, Attempt]:
        """Count a login attempt before its password is checked: (seconds to wait, attempt).
        With a wait the attempt is refused and not counted; else it counts as a failure
        until `succeeded(email, client, attempt)` takes it back."""
        with self.sessions() as db:
            limits = self._limits(db, email, client)
        return self._begin(limits)

    def succeeded(self, email: str, client: str, attempt: Attempt) -> None:
        """The attempt was right: it is not a failure, this address's failures on the account
        are forgotten, and the address is remembered as the account's own."""
        with self.sessions.begin() as db:
            db.execute(delete(LoginEvent).where(LoginEvent.id.in_(list(attempt))))
            db.execute(delete(LoginEvent).where(LoginEvent.key == f"account-client:{client} {email}"))
            known = db.get(LoginKnownClient, (email, client))
            if known is None:
                db.add(LoginKnownClient(email=email, client=client, at=self.clock()))
            else:
                known.at = self.clock()
            db.flush()
            stale = db.scalars(select(LoginKnownClient.client).where(LoginKnownClient.email == email)
                               .order_by(LoginKnownClient.at.desc()).offset(self.max_known)).all()
            if stale:
                db.execute(delete(LoginKnownClient).where(LoginKnownClient.email == email,
                                                          LoginKnownClient.client.in_(stale)))

    def retry_after(self, email: str, client: str) -> int:
        """Seconds until a login attempt is allowed again; 0 when it is allowed now."""
        with self.sessions() as db:
            wait = self._wait(db, self._limits(db, email, client), self.clock())
        return math.ceil(wait) if wait > 0 else 0

    def begin_signup(self, client: str) -> int:
        """Count a sign-up from `client`; seconds to wait (the sign-up refused) or 0."""
        wait, _ = self._begin([(f"signup:{client}", self.signups_per_client, self.signup_window_s)])
        return wait
