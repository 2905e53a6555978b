"""One run per film: two processes never pay for the same asset, a second run names the first.

- Two processes started together on one film's ledger, against the fake Ark server (which
  counts every submission): exactly one submission per asset, the second process waits for
  the first one's requests and uses their results.
- A second `microfilm make` while another process holds the film's run lock exits non-zero
  with one line naming the holder (pid, command); once the holder is killed with SIGKILL
  its lock is taken over.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from microfilm import api, runlock
from microfilm.ledger import Ledger, Status
from tests import race_worker
from tests.fakes import ark
from tests.fakes.server import FakeServer

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def _racer(base_url: str, project: Path, go: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.race_worker", base_url, str(project), str(go)],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_processes_started_together_submit_each_asset_once(tmp_path):
    project, go = tmp_path / "film", tmp_path / "go"
    race_worker.prepare(project)
    with FakeServer() as server:
        ark.install(server)
        server.polls_to_finish = 6  # each job stays in flight a while, so the racers overlap
        racers = [_racer(server.base_url, project, go) for _ in range(2)]
        time.sleep(1.0)  # both have imported and are waiting on the start file
        go.touch()
        outputs = [r.communicate(timeout=120) for r in racers]
        for r, (out, err) in zip(racers, outputs):
            assert r.returncode == 0, err.decode()[-3000:]
            assert sorted(out.decode().split("\n"))[1:] == [f"done s{n} 4.00" for n in range(4)]
        assert server.counts["submit"] == race_worker.SHOTS  # counted by the fake
        assert server.counts["jobs_created"] == race_worker.SHOTS
    ledger = Ledger.for_project(project)
    rows = ledger.rows()
    assert len(rows) == race_worker.SHOTS and all(r.status == Status.DONE for r in rows)
    assert all(r.attempts == 1 and r.claim_pid is None for r in rows)
    assert len(ledger.submissions()) == race_worker.SHOTS and ledger.duplicates() == {}
    assert all((project / "clips" / f"s{n}.mp4").stat().st_size > 0 for n in range(4))


def test_a_second_make_names_the_holder_and_a_killed_holder_is_taken_over(tmp_path):
    film = tmp_path / "film"
    api.new(film, title="Lock", genre="touching-family", logline="A test of the run lock.",
            duration=30)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from microfilm import runlock\n"
         "with runlock.hold(sys.argv[1], command='microfilm make film'):\n"
         "    print('held', flush=True); time.sleep(120)", str(film)],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"held"
        second = subprocess.run([sys.executable, "-c", "from microfilm.cli.app import main; main()",
                                 "make", "film"], cwd=tmp_path, env=ENV, capture_output=True,
                                timeout=120)
        err = second.stderr.decode()
        assert second.returncode == 2, err
        assert f"pid {holder.pid}" in err and "`microfilm make film`" in err and "film is already" in err
        assert "Traceback" not in err and str(tmp_path) not in err
        assert not (film / "research.md").exists()  # the second run did nothing
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    assert runlock.read_holder(film).pid == holder.pid  # the dead holder's note is still there
    with runlock.hold(film) as me:  # ...and its lock is taken over
        assert me.pid == os.getpid() and runlock.read_holder(film).pid == os.getpid()
