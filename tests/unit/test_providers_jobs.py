"""execute(): record before send, poll instead of resubmit, retries, refusals, bad media.

All against the fake Runway server on 127.0.0.1 through the real `runwayml` SDK.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

pytest.importorskip("runwayml")

from microfilm.errors import BudgetExceeded
from microfilm.ledger import Ledger, Status
from microfilm.providers import jobs
from microfilm.providers.base import AnimateRequest
from microfilm.providers.jobs import BadMediaError, PollTimeoutError, RefusedError, RetryPolicy, execute
from microfilm.providers.media_check import probe_video
from microfilm.providers.pricing import BudgetGuard, Money
from microfilm.providers.runway import RunwayGen4
from tests.fakes import media, runway
from tests.fakes.server import FakeServer, Resp

FAST = RetryPolicy(retries=4, base_delay=0.01, max_delay=0.05, poll_interval=0.01,
                   max_poll_interval=0.02, max_wait=10.0)


@pytest.fixture()
def fake():
    with FakeServer() as server:
        runway.install(server)
        yield server


def _request(tmp_path: Path, n: int = 0, duration: float = 2.0) -> AnimateRequest:
    key = media.keyframe(tmp_path / f"k{n}.png")
    return AnimateRequest(out=tmp_path / f"shot{n}.mp4", image=key, image_sha256=f"{n:064x}",
                          duration=duration, width=72, height=128, fps=24,
                          prompt=f"shot {n}: she turns to the window")


def _provider(fake: FakeServer, timeout: float = 5.0) -> RunwayGen4:
    return RunwayGen4(api_key="rw-test-secret-123456", base_url=fake.base_url, timeout=timeout)


def test_async_happy_path_records_and_stores(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    req = _request(tmp_path)
    result = execute(_provider(fake), req, ledger=ledger, shot_id="s01", policy=FAST)
    assert result.path == req.out and req.out.exists()
    info = probe_video(req.out)
    assert (info.width, info.height) == (72, 128) and abs(info.duration - 2.0) < 0.1
    row = ledger.rows()[0]
    assert row.status == Status.DONE and row.job_id and row.shot_id == "s01"
    assert row.actual_cost == pytest.approx(0.10)  # 10 credits reported by the task
    assert fake.counts["submit"] == 1
    # a second run is a pure ledger hit: nothing is sent, nothing polled
    polls = fake.counts["poll"]
    again = execute(_provider(fake), req, ledger=ledger, shot_id="s01", policy=FAST)
    assert again.path == req.out and fake.counts["submit"] == 1 and fake.counts["poll"] == polls
    assert ledger.duplicates() == {}


def test_submitted_job_is_polled_not_resubmitted(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    req = _request(tmp_path)
    fake.polls_to_finish = 1000  # never finishes within the first run's wait
    short = RetryPolicy(retries=1, base_delay=0.01, poll_interval=0.01, max_poll_interval=0.01,
                        max_wait=0.1)
    with pytest.raises(PollTimeoutError):
        execute(_provider(fake), req, ledger=ledger, policy=short)
    row = ledger.rows()[0]
    assert row.status == Status.SUBMITTED and row.job_id
    fake.jobs[row.job_id].polls_to_finish = 1
    execute(_provider(fake), req, ledger=ledger, policy=FAST)
    assert fake.counts["submit"] == 1 and ledger.rows()[0].status == Status.DONE


def test_429_honours_retry_after_and_500_and_timeout_are_retried(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    fake.inject("submit", "429")
    fake.inject("poll", "500", "timeout")
    t0 = time.monotonic()
    execute(_provider(fake, timeout=1.0), _request(tmp_path), ledger=ledger, policy=FAST)
    stamps = [t for t, name, *_ in fake.log if name == "submit"]
    assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.95  # waited the Retry-After: 1
    assert fake.counts["jobs_created"] == 1  # the 429 created nothing; one job in all
    assert fake.counts["poll"] >= 4  # 500, stalled, then the real polls
    assert time.monotonic() - t0 < 8


def test_refusal_is_typed_and_carries_the_prompt(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    fake.inject("submit", "refuse")
    req = _request(tmp_path)
    with pytest.raises(RefusedError) as info:
        execute(_provider(fake), req, ledger=ledger, shot_id="s07", policy=FAST)
    assert info.value.prompt == req.prompt and info.value.shot_id == "s07"
    assert "SAFETY" in str(info.value)
    assert ledger.rows()[0].status == Status.REFUSED
    with pytest.raises(RefusedError):  # not resent with the same prompt
        execute(_provider(fake), req, ledger=ledger, shot_id="s07", policy=FAST)
    assert fake.counts["submit"] == 1


def test_truncated_download_is_fetched_again_not_resubmitted(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    fake.inject("download", "truncate")
    req = _request(tmp_path)
    execute(_provider(fake), req, ledger=ledger, policy=FAST)
    assert fake.counts["download"] == 2 and fake.counts["submit"] == 1
    assert probe_video(req.out).duration == pytest.approx(2.0, abs=0.1)


def test_bad_media_every_time_fails_the_job_without_publishing(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    fake.inject("download", "truncate", "truncate", "truncate")
    req = _request(tmp_path)
    with pytest.raises(BadMediaError):
        execute(_provider(fake), req, ledger=ledger, policy=FAST)
    assert not req.out.exists()
    row = ledger.rows()[0]
    assert row.status == Status.FAILED and row.actual_cost == pytest.approx(0.10)
    # the caller retries: a new, deliberate attempt (not a duplicate)
    execute(_provider(fake), req, ledger=ledger, policy=FAST)
    row = ledger.rows()[0]
    assert row.status == Status.DONE and row.attempts == 2 and fake.counts["submit"] == 2
    assert ledger.duplicates() == {}
    assert ledger.total().amount == pytest.approx(0.20)  # both attempts were billed


def test_budget_stops_before_the_call(fake, tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    guard = BudgetGuard(limit=0.15, currency="USD", spent=ledger.committed("USD"))
    execute(_provider(fake), _request(tmp_path, 0, 2.0), ledger=ledger, budget_guard=guard,
            policy=FAST)
    with pytest.raises(BudgetExceeded, match=r"would cost \$0.10"):
        execute(_provider(fake), _request(tmp_path, 1, 2.0), ledger=ledger, budget_guard=guard,
                policy=FAST)
    assert fake.counts["submit"] == 1 and len(ledger.rows()) == 1


def test_bad_key_is_not_retried_and_never_echoed(fake, tmp_path):
    # a server that echoes the Authorization header back in its error, as some do
    deny = lambda req: Resp(401, {"error": f"bad key {req.header('authorization')}"})  # noqa: E731
    fake.routes.insert(0, ("POST", re.compile("^/v1/image_to_video$"), "denied", deny))
    ledger = Ledger(tmp_path / "ledger.sqlite")
    with pytest.raises(jobs.ProviderError) as info:
        execute(_provider(fake), _request(tmp_path), ledger=ledger, policy=FAST)
    assert "rw-test-secret-123456" not in str(info.value) and "REDACTED" in str(info.value)
    assert fake.counts["denied"] == 1  # a 401 is not retried
    row = ledger.rows()[0]
    assert row.status == Status.FAILED and "rw-test-secret-123456" not in row.error
    assert "rw-test-secret-123456".encode() not in (tmp_path / "ledger.sqlite").read_bytes()
