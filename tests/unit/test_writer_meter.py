"""The writer's calls go through the ledger and the budget (providers.writer_meter), and
`estimate` prices the writer's tokens at the same per-token rates."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from microfilm import api
from microfilm.errors import BudgetExceeded
from microfilm.estimate import estimate_plan
from microfilm.ledger import Ledger, Status
from microfilm.project import Project
from microfilm.providers import registry, writer_meter
from microfilm.providers.llm.structured import Reply, generate
from microfilm.providers.pricing import BudgetGuard


class Title(BaseModel):
    """A film title."""

    title: str


class CountingBackend:
    """A chat transport that answers with fixed usage and counts what was sent to it."""

    label = "gpt-5.4-mini (test transport)"

    def __init__(self, replies: list[str]):
        self.replies = replies
        self.sent = 0

    def complete(self, messages, spec, max_tokens):
        self.sent += 1
        return Reply(text=self.replies.pop(0), input_tokens=1200, output_tokens=300)


def _writer():
    return registry.entries()["openai-writer"].info  # gpt-5.4-mini, paid


def test_each_call_is_ledgered_and_priced_by_its_tokens(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    guard = BudgetGuard(1.0, "USD")
    backend = CountingBackend(["not json", '{"title": "Rain"}'])  # one re-ask
    with writer_meter.metering(ledger, guard, _writer()):
        got = generate(backend, Title, name="title", system="s", prompt="a film", max_tokens=1000)
    assert got.value.title == "Rain" and backend.sent == 2
    rows = ledger.rows()
    price = writer_meter.prices()["gpt-5.4-mini"]
    each = 1.2 * price.input + 0.3 * price.output
    assert len(rows) == 2 and all(r.status == Status.DONE and r.capability == "writer" for r in rows)
    assert [r.actual_cost for r in rows] == pytest.approx([each, each])
    assert guard.spent.amount == pytest.approx(2 * each)  # reservations settled to the usage
    assert generate(CountingBackend(['{"title": "x"}']), Title, name="title", system="s",
                    prompt="p").value.title == "x"  # outside a meter: nothing recorded
    assert len(ledger.rows()) == 2


def test_the_budget_stops_a_call_before_it_is_sent(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    backend = CountingBackend(['{"title": "Rain"}'])
    with writer_meter.metering(ledger, BudgetGuard(0.0001, "USD"), _writer()):
        with pytest.raises(BudgetExceeded):
            generate(backend, Title, name="title", system="s", prompt="a film", max_tokens=4000)
    assert backend.sent == 0 and ledger.rows() == []


def test_estimate_prices_the_writers_tokens(tmp_path, monkeypatch):
    for name in ("MICROFILM_LLM_MODEL", "MICROFILM_LLM_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "film"
    api.new(root, title="Rain", genre="youth-romance", logline="Two strangers share an umbrella.",
            language="en", duration=60, seed=5, budget=20, currency="USD")
    toml = root / "film.toml"
    toml.write_text(toml.read_text().replace('writer = "house-writer"', 'writer = "openai-writer"'))
    brief = Project.at(root).brief()
    plan = estimate_plan(brief)
    line = next(ln for ln in plan.lines if ln.capability == "writer")
    from microfilm.providers.llm.stepwise import plan_calls

    calls = plan_calls(brief)
    want = writer_meter.prices()["gpt-5.4-mini"].of(calls.input_tokens, calls.output_tokens).amount
    assert line.paid and line.items == calls.calls and line.cost == pytest.approx(want, abs=1e-4)
    assert line.cost > 0
    toml.write_text(toml.read_text().replace('writer = "openai-writer"', 'writer = "house-writer"'))
    assert not any(ln.capability == "writer" for ln in estimate_plan(Project.at(root).brief()).lines)


def test_every_token_price_is_dated_and_sourced():
    for p in writer_meter.prices().values():
        assert p.read_on and p.source.startswith("https://") and p.input > 0 and p.output > 0
