"""Every paid LLM writer call through the ledger and the budget, priced by its tokens.

The writer is the one paid provider that is not a job: the develop stage asks it a dozen
structured questions (providers.llm.structured.generate), each a chat completion. Each call
is metered here where it is made: its price at most (the prompt's tokens, about four
characters each, plus the reply's token limit) is reserved against the film's budget and
recorded in the ledger before it is sent; the reply's own token counts price it after. The
develop stage opens the meter (`metering`) for its writer; outside one (a test, the studio's
assistant) calls are not metered. Token prices are data, with their dates
(providers/token_prices.yaml).
"""

from __future__ import annotations

import contextlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from microfilm.cache import cache_key
from microfilm.providers.base import ProviderInfo
from microfilm.providers.pricing import BudgetGuard, Money
from microfilm.spec._yaml import load_yaml

if TYPE_CHECKING:  # the ledger is handed in by the develop stage
    from microfilm.ledger import Ledger

PRICES = Path(__file__).with_name("token_prices.yaml")
CHARS_PER_TOKEN = 4


class TokenPrice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    input: float = Field(ge=0)  # per 1,000 prompt tokens
    output: float = Field(ge=0)  # per 1,000 reply tokens
    currency: Literal["USD", "CNY"] = "USD"
    read_on: date
    source: str

    def of(self, input_tokens: int, output_tokens: int) -> Money:
        return Money(round(input_tokens / 1000 * self.input + output_tokens / 1000 * self.output, 6),
                     self.currency)


class TokenPrices(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    models: tuple[TokenPrice, ...]


@cache
def prices() -> dict[str, TokenPrice]:
    return {p.model: p for p in load_yaml(TokenPrices, PRICES).models}


def price_of(info: ProviderInfo) -> TokenPrice | None:
    """The token price of the writer `info` names (its `model`); None when it is free (a
    local server) or not listed."""
    return prices().get(info.model) if info.paid else None


@dataclass
class Meter:
    ledger: "Ledger"
    guard: BudgetGuard | None
    info: ProviderInfo
    price: TokenPrice | None


_active: ContextVar[Meter | None] = ContextVar("writer_meter", default=None)


@contextlib.contextmanager
def metering(ledger: "Ledger", guard: BudgetGuard | None, info: ProviderInfo) -> Iterator[Meter | None]:
    """Meter the writer `info`'s calls made inside the block; a free writer is not metered."""
    meter = Meter(ledger, guard, info, price_of(info)) if info.paid else None
    token = _active.set(meter)
    try:
        yield meter
    finally:
        _active.reset(token)


def metered(messages: Sequence[Any], max_tokens: int, call: Callable[[], Any]) -> Any:
    """Run one chat call (`call`) under the active meter: reserved and recorded before it
    is sent, priced by the reply's usage after, marked failed when it raises."""
    meter = _active.get()
    if meter is None:
        return call()
    info = meter.info
    text = [(getattr(m, "role", ""), getattr(m, "content", str(m))) for m in messages]
    h = cache_key("paid:writer", {"messages": text, "max_tokens": max_tokens}, info.cache_identity())
    prompt_tokens = sum(len(c) for _, c in text) // CHARS_PER_TOKEN + 1
    most = meter.price.of(prompt_tokens, max_tokens) if meter.price else Money(0.0, info.price.currency)
    if meter.guard is not None:
        meter.guard.reserve(most, f"{info.id} ({info.model}) writing")
    meter.ledger.record(h, provider=info.id, model=info.model, capability="writer",
                        shot_id="develop", estimated=most)
    meter.ledger.note_send(h, "call")
    try:
        reply = call()
    except BaseException as exc:
        meter.ledger.mark_failed(h, str(exc)[:300])
        if meter.guard is not None:
            meter.guard.release(most)
        raise
    used_in, used_out = getattr(reply, "input_tokens", 0), getattr(reply, "output_tokens", 0)
    actual = meter.price.of(used_in, used_out) if meter.price else most
    if meter.guard is not None:  # the reservation becomes what the reply really cost
        meter.guard.settle(most, actual)
    meter.ledger.mark_done(h, actual=actual, result_path=Path("-"),
                           result_json=json.dumps({"input_tokens": used_in, "output_tokens": used_out}))
    meter.ledger.release(h)
    return reply
