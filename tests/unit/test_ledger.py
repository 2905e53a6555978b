"""The paid-request ledger: commit before send, statuses, spend queries, duplicates, money."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from microfilm.errors import BudgetExceeded
from microfilm.ledger import Ledger, Status
from microfilm.providers.base import AnimateRequest, Capabilities, Price, ProviderInfo, SpeechRequest
from microfilm.providers.pricing import BudgetGuard, Money, billed_duration, estimate
from microfilm.spec.bible import VoiceSpec


def _record(ledger: Ledger, h: str, shot: str, provider: str = "kling", cost: Money = Money(0.35)):
    return ledger.record(h, provider=provider, model="m", capability="animator", shot_id=shot,
                         estimated=cost)


def test_lifecycle_and_spend_queries(tmp_path):
    ledger = Ledger.for_project(tmp_path)
    assert ledger.path == tmp_path / ".microfilm" / "ledger.sqlite"
    _record(ledger, "h1", "s01")
    _record(ledger, "h2", "s02", provider="ark-seedance", cost=Money(1.8, "CNY"))
    ledger.note_send("h1")
    ledger.set_job("h1", "job-1")
    assert ledger.get("h1").status == Status.SUBMITTED
    ledger.mark_done("h1", actual=Money(0.35), result_path=tmp_path / "a.mp4", result_json="{}")
    assert ledger.total("USD").amount == pytest.approx(0.35)  # h2 still in flight
    committed = ledger.committed("USD").amount
    assert committed == pytest.approx(0.35 + 1.8 / 7.2)
    assert ledger.committed("CNY").amount == pytest.approx(0.35 * 7.2 + 1.8)
    assert set(ledger.spend_by_shot()) == {"s01", "s02"}
    assert ledger.spend_by_provider()["ark-seedance"].amount == pytest.approx(0.25)
    ledger.mark_refused("h2", "SAFETY: refused")
    assert ledger.get("h2").status == Status.REFUSED and ledger.get("h2").committed == 0


def test_a_record_is_committed_before_anything_else_happens(tmp_path):
    """A process that records and is then killed leaves the row on disk."""
    db = tmp_path / "l.sqlite"
    code = (f"import os; from microfilm.ledger import Ledger; from microfilm.providers.pricing import Money; "
            f"l = Ledger({str(db)!r}); l.record('h9', provider='p', model='m', capability='animator', "
            f"shot_id='s9', estimated=Money(0.5)); l.note_send('h9'); os.kill(os.getpid(), 9)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == -9
    row = sqlite3.connect(db).execute("SELECT status, shot_id FROM paid_requests").fetchall()
    assert row == [("pending", "s9")]


def test_duplicates_count_jobs_per_attempt_not_deliberate_retries(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    _record(ledger, "h1", "s01")
    ledger.note_send("h1")
    ledger.set_job("h1", "job-a")
    ledger.mark_failed("h1", "bad media", actual=0.35)
    _record(ledger, "h1", "s01")  # a deliberate new attempt
    ledger.note_send("h1")
    ledger.set_job("h1", "job-b")
    assert ledger.duplicates() == {}
    assert ledger.get("h1").attempts == 2 and ledger.get("h1").committed == pytest.approx(0.70)
    ledger.note_send("h1")  # the same attempt sent again and given another job: a duplicate
    ledger.set_job("h1", "job-c")
    assert ledger.duplicates() == {"h1": 2}


def test_pricing_units_and_billed_durations():
    caps = Capabilities(durations=(5, 10), max_duration=10, min_duration=5)
    assert billed_duration(caps, 3.2) == 5 and billed_duration(caps, 7) == 10 and billed_duration(caps, 12) == 10
    video = ProviderInfo(id="v", capability="animator", model="m", version="1", paid=True,
                         price=Price(unit="second", amount=0.07), capabilities=caps)
    req = AnimateRequest(image="k.png", image_sha256="0" * 64, duration=3.2, width=72, height=128)
    assert estimate(video, req) == Money(0.35, "USD")
    tts = ProviderInfo(id="t", capability="voice", model="m", version="1", paid=True,
                       price=Price(unit="1k_chars", amount=0.10))
    line = SpeechRequest(text="x" * 2500, language="en", voice=VoiceSpec())
    assert estimate(tts, line).amount == pytest.approx(0.25)
    music = ProviderInfo(id="c", capability="composer", model="m", version="1", paid=True,
                         price=Price(unit="minute", amount=0.75))

    class Score:
        duration = 61.0

    assert estimate(music, Score()).amount == pytest.approx(1.50)  # billed per started minute


def test_budget_guard_stops_before_and_says_what_it_would_cost(monkeypatch):
    guard = BudgetGuard(limit=100.0, currency="CNY", spent=Money(95.0, "CNY"))
    guard.reserve(Money(0.5, "USD"))  # 3.60 CNY at the default 7.2
    assert guard.spent.amount == pytest.approx(98.6)
    with pytest.raises(BudgetExceeded, match=r"would cost \$0.50 \(¥3.60\).*¥1.40 left.*7.2"):
        guard.reserve(Money(0.5, "USD"), "kling for s07")
    monkeypatch.setenv("MICROFILM_USD_CNY", "7.0")
    assert Money(1.0, "USD").to("CNY").amount == pytest.approx(7.0)


def _claimed_by_another_machine(ledger: Ledger, h: str, age_s: float) -> None:
    """A row in flight, claimed `age_s` ago by a process on another machine of a cluster."""
    import time as _time

    _record(ledger, h, "sh01")
    with sqlite3.connect(ledger.path) as con:
        con.execute("UPDATE paid_requests SET status='submitted', job_id='job-1', claim_pid=4242,"
                    " claim_host='node-b.cluster', claim_at=? WHERE request_hash=?",
                    (_time.time() - age_s, h))


def test_another_machines_claim_is_a_lease_it_must_renew(tmp_path):
    """A claim taken on another node stands while its lease is fresh (it could be polling right
    now); once it has not been renewed for LEASE_S, its node died: the request is taken over
    (to poll its job, never to send it again)."""
    from microfilm.ledger import LEASE_S, ClaimedElsewhere

    ledger = Ledger(tmp_path / "l.sqlite")
    _claimed_by_another_machine(ledger, "fresh", age_s=LEASE_S / 2)
    with pytest.raises(ClaimedElsewhere) as held:
        ledger.claim("fresh")
    assert (held.value.pid, held.value.host) == (4242, "node-b.cluster")
    _claimed_by_another_machine(ledger, "stale", age_s=LEASE_S + 1)
    row = ledger.claim("stale")
    assert row is not None and row.claim_host != "node-b.cluster"
    assert (row.status, row.job_id, row.attempts) == (Status.SUBMITTED, "job-1", 1)  # poll it
    assert ledger.submissions("stale") == []  # taking over sent nothing


def test_a_holder_keeps_renewing_its_lease_while_it_works(tmp_path):
    import time as _time

    ledger = Ledger(tmp_path / "l.sqlite")
    _record(ledger, "h1", "sh01")  # claimed by this process
    first = ledger.get("h1").claim_at
    with ledger.holding("h1", every=0.05):
        deadline = _time.monotonic() + 10
        while ledger.get("h1").claim_at == first and _time.monotonic() < deadline:
            _time.sleep(0.05)
    renewed = ledger.get("h1").claim_at
    assert renewed > first
    _time.sleep(0.2)
    assert ledger.get("h1").claim_at == renewed  # the beat stopped with the block


def test_processes_opening_a_new_ledger_together_never_see_database_is_locked(tmp_path):
    """Found in CI: two runs starting on a new film at the same instant; one opened the
    ledger while the other switched it to WAL and got "database is locked" (a traceback).
    Six openers at once on a fresh file, many times over: every one opens it."""
    import threading

    for round_ in range(60):
        path = tmp_path / f"r{round_}" / "ledger.sqlite"
        start, errors = threading.Barrier(6), []

        def open_it() -> None:
            start.wait(timeout=10)
            try:
                Ledger(path)
            except sqlite3.OperationalError as exc:
                errors.append(exc)

        openers = [threading.Thread(target=open_it) for _ in range(6)]
        for t in openers:
            t.start()
        for t in openers:
            t.join(timeout=60)
        assert errors == [], (round_, errors)
