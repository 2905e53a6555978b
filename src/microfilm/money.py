"""Money in USD or CNY, and the rate between them: what a provider's price, a budget and the
ledger's spend are counted in.

Below the providers (which price requests) and the ledger (which sums spend), so both use
one type without importing each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from microfilm.errors import BudgetExceeded

Currency = Literal["USD", "CNY"]
DEFAULT_USD_CNY = 7.2
"""CNY per USD used for every comparison unless MICROFILM_USD_CNY says otherwise."""


def usd_cny_rate() -> float:
    raw = os.environ.get("MICROFILM_USD_CNY", "")
    try:
        rate = float(raw) if raw else DEFAULT_USD_CNY
    except ValueError:
        raise BudgetExceeded(f"MICROFILM_USD_CNY={raw!r} is not a number (e.g. 7.2)") from None
    if rate <= 0:
        raise BudgetExceeded(f"MICROFILM_USD_CNY must be positive, got {rate}")
    return rate


@dataclass(frozen=True)
class Money:
    amount: float
    currency: Currency = "USD"

    def to(self, currency: Currency, rate: float | None = None) -> "Money":
        if currency == self.currency:
            return self
        r = rate or usd_cny_rate()
        amount = self.amount * r if currency == "CNY" else self.amount / r
        return Money(round(amount, 6), currency)

    def __add__(self, other: "Money") -> "Money":
        return Money(round(self.amount + other.to(self.currency).amount, 6), self.currency)

    def __str__(self) -> str:
        sign = "$" if self.currency == "USD" else "¥"
        return f"{sign}{self.amount:,.2f}"


def zero(currency: Currency = "USD") -> Money:
    return Money(0.0, currency)
