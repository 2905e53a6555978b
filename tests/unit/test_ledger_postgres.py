"""The ledger on PostgreSQL (the cluster's one authority): the same claims as on SQLite, and
two drivers racing on one film through it submit each paid request once.

Runs against a throwaway local server (tests/pg_server.py); skips, saying why, where the
PostgreSQL server programs or psycopg are absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microfilm.errors import MicrofilmError
from microfilm.ledger import ClaimedElsewhere, PgLedger, Status, open_ledger
from microfilm.providers.pricing import Money
from tests import race_worker
from tests.fakes import ark
from tests.fakes.server import FakeServer
from tests.pg_server import postgres

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pg_url():
    with postgres() as url:
        yield url


def test_claims_money_and_films_apart(pg_url, tmp_path):
    a = open_ledger(tmp_path / "a", pg_url)
    assert isinstance(a, PgLedger)
    row = a.record("h1", provider="runway-gen4", model="gen4_turbo", capability="animator",
                   shot_id="s1", estimated=Money(0.5, "USD"))
    assert row.status == Status.PENDING and row.claim_pid == os.getpid() and row.attempts == 1
    assert a.committed("USD").amount == pytest.approx(0.5)
    a.note_send("h1")
    a.set_job("h1", "job-1")
    # another process holds it: a claim from here must wait, not resend
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with a._write() as con:
            con.execute("UPDATE paid_requests SET claim_pid=? WHERE request_hash=?", (helper.pid, "h1"))
        with pytest.raises(ClaimedElsewhere):
            a.claim("h1")
    finally:
        helper.kill()
        helper.wait()
    assert a.claim("h1").claim_pid == os.getpid()  # its holder died: taken over
    a.mark_done("h1", actual=Money(0.48, "USD"), result_path=tmp_path / "c.mp4", result_json="{}")
    assert a.get("h1").status == Status.DONE and a.total("USD").amount == pytest.approx(0.48)
    assert a.submissions("h1")[0][2] == "job-1" and a.duplicates() == {}
    # another film in the same database has its own rows and its own spend
    b = open_ledger(tmp_path / "b", pg_url)
    assert b.rows() == [] and b.committed("USD").amount == 0
    assert open_ledger(tmp_path / "a", pg_url).get("h1").job_id == "job-1"  # a second driver sees it


def test_an_unreachable_ledger_names_the_setting_not_the_password(tmp_path):
    pytest.importorskip("psycopg")
    url = "postgresql://films:pw-0123456789@/postgres?host=/nonexistent&port=1&connect_timeout=2"
    with pytest.raises(MicrofilmError) as err:
        open_ledger(tmp_path, url)
    assert "ledger_url" in str(err.value) and "pw-0123456789" not in str(err.value)


def test_two_drivers_on_postgres_submit_each_request_once(pg_url, tmp_path):
    project, go = tmp_path / "film", tmp_path / "go"
    race_worker.prepare(project)
    env = dict(os.environ, PYTHONPATH=str(ROOT), MICROFILM_LEDGER_URL=pg_url)
    with FakeServer() as server:
        ark.install(server)
        server.polls_to_finish = 6  # each job stays in flight a while, so the drivers overlap
        racers = [subprocess.Popen([sys.executable, "-m", "tests.race_worker", server.base_url,
                                    str(project), str(go)], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        time.sleep(1.0)
        go.touch()
        for r, (out, err) in zip(racers, [r.communicate(timeout=120) for r in racers]):
            assert r.returncode == 0, err.decode()[-3000:]
            assert sorted(out.decode().split("\n"))[1:] == [f"done s{n} 4.00" for n in range(4)]
        assert server.counts["submit"] == race_worker.SHOTS  # counted by the fake provider
        assert server.counts["jobs_created"] == race_worker.SHOTS
    ledger = open_ledger(project, pg_url)
    rows = ledger.rows()
    assert len(rows) == race_worker.SHOTS and all(r.status == Status.DONE for r in rows)
    assert len(ledger.submissions()) == race_worker.SHOTS and ledger.duplicates() == {}
    assert not (project / ".microfilm" / "ledger.sqlite").exists()  # PostgreSQL was the authority
