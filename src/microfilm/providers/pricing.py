"""What a paid call will cost, before it is made, and a guard that stops the one too many.

Prices are declared per provider in `ProviderInfo.price` (unit and amount, with the date they
were read). `estimate()` turns a request into money in the provider's own currency: seconds
of video billed at the clip length the provider will actually render, images, characters of
speech, minutes of music. Amounts in USD and CNY are compared at a fixed, configurable rate
(default 7.2 CNY per USD, set by MICROFILM_USD_CNY), never a live one, so an estimate made
today equals the check made at send time.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from microfilm.errors import BudgetExceeded
from microfilm.money import DEFAULT_USD_CNY, Currency, Money, usd_cny_rate, zero  # noqa: F401
from microfilm.providers.base import Capabilities, ProviderInfo


def billed_duration(caps: Capabilities, requested: float) -> float:
    """The clip length a provider renders (and bills) for a requested length.

    Discrete providers render the shortest allowed length that covers the request (the cut
    trims the rest), or their longest when none does; continuous ones clamp to their range.
    """
    if caps.durations:
        allowed = sorted(caps.durations)
        for d in allowed:
            if d + 1e-6 >= requested:
                return float(d)
        return float(allowed[-1])
    return float(min(max(requested, caps.min_duration), caps.max_duration))


def units(info: ProviderInfo, request: Any) -> float:
    """How many billing units `request` uses under `info.price.unit`."""
    unit = info.price.unit
    if unit == "call":
        return 1.0
    if unit == "image":
        return float(getattr(request, "n", 1) or 1)
    if unit in ("second", "minute"):
        duration = float(getattr(request, "duration", 0.0) or 0.0)
        if info.capability == "animator":
            duration = billed_duration(info.capabilities, duration)
        if unit == "second":
            return duration
        return float(max(1, math.ceil(duration / 60.0 - 1e-9)))  # billed per started minute
    if unit == "1k_chars":
        return len(getattr(request, "text", "") or "") / 1000.0
    if unit == "1k_tokens":
        text = getattr(request, "text", "") or getattr(request, "prompt", "") or ""
        return max(1, len(text) // 4) / 1000.0
    raise ValueError(f"{info.id}: unknown price unit {unit!r}")


def estimate(info: ProviderInfo, request: Any) -> Money:
    """The price of `request` on the provider `info`, in the provider's currency."""
    if not info.paid:
        return zero(info.price.currency)
    return Money(round(units(info, request) * info.price.amount, 6), info.price.currency)


def estimate_for(provider: Any, request: Any) -> Money:
    """Ask the provider first (some price by size or quality), else price by its unit."""
    custom = getattr(provider, "price", None)
    if callable(custom):
        return custom(request)
    return estimate(provider.info, request)


class BudgetGuard:
    """A hard cap on spend. `reserve()` raises BudgetExceeded BEFORE a call that would cross it.

    `spent` is what is already committed (for a project: the ledger's committed spend, which
    counts jobs in flight at their estimate). Reservations are thread-safe so parallel shots
    cannot together cross the limit.
    """

    def __init__(self, limit: float | Money, currency: Currency = "USD",
                 spent: float | Money = 0.0, rate: float | None = None):
        self.currency: Currency = currency
        self.rate = rate
        self.limit = self._as(limit)
        self.spent = self._as(spent)
        self._lock = threading.Lock()

    def _as(self, value: float | Money) -> Money:
        if isinstance(value, Money):
            return value.to(self.currency, self.rate)
        return Money(float(value), self.currency)

    @property
    def remaining(self) -> Money:
        return Money(round(self.limit.amount - self.spent.amount, 6), self.currency)

    def check(self, cost: Money, what: str = "the next call") -> None:
        cost_here = cost.to(self.currency, self.rate)
        if self.spent.amount + cost_here.amount > self.limit.amount + 1e-9:
            shown = f"{cost}" + (f" ({cost_here})" if cost.currency != self.currency else "")
            raise BudgetExceeded(
                f"budget stop: {what} would cost {shown}; spent {self.spent} of "
                f"{self.limit}, {self.remaining} left. Raise the budget in film.toml or "
                f"choose a cheaper provider."
                + (f" (USD/CNY at {self.rate or usd_cny_rate()})" if cost.currency != self.currency else "")
            )

    def reserve(self, cost: Money, what: str = "the next call") -> None:
        """Check and count `cost` in one step."""
        with self._lock:
            self.check(cost, what)
            self.spent = Money(round(self.spent.amount + cost.to(self.currency, self.rate).amount, 6),
                               self.currency)

    def settle(self, reserved: Money, actual: Money) -> None:
        """Replace a reservation by what the call really cost (spent, even if more)."""
        with self._lock:
            delta = actual.to(self.currency, self.rate).amount - reserved.to(self.currency, self.rate).amount
            self.spent = Money(round(max(0.0, self.spent.amount + delta), 6), self.currency)

    def release(self, cost: Money) -> None:
        """Give back a reservation for a call that was never sent."""
        with self._lock:
            back = cost.to(self.currency, self.rate).amount
            self.spent = Money(round(max(0.0, self.spent.amount - back), 6), self.currency)
