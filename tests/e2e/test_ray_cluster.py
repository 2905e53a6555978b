"""Films on a real local Ray cluster (a head and a second node, separate `ray start` processes
on 127.0.0.1, one CPU each): the film is the in-process film; a worker node killed mid-render
and a driver killed with kill -9 leave nothing paid twice.

The paid animator is Runway on the local fake server, whose counters are the ground truth for
submissions; the ledger is PostgreSQL (a throwaway local server) where its programs are
installed, else SQLite. Each test prints its figures (times, submissions, retries).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("ray")
pytest.importorskip("runwayml")

from microfilm import api, pipeline
from microfilm.campaign.make import make_campaign
from microfilm.fsutil import sha256_file
from microfilm.ledger import Status, open_ledger
from microfilm.media.probe import probe
from microfilm.spec.storyboard import Storyboard
from tests.fakes import runway
from tests.fakes.server import FakeServer
from tests.pg_server import postgres
from tests.ray_cluster import RayCluster, session_pids

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "key_test_0123456789abcdef"


@pytest.fixture(scope="module")
def server():
    with FakeServer() as s:
        runway.install(s)
        s.polls_to_finish = 2  # Runway is polled every 5 s: a clip is ~10 s in flight
        yield s


@pytest.fixture(scope="module")
def ledger_url():
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        yield ""  # SQLite on the shared folder: right for one machine
        return
    with postgres() as url:
        yield url


@pytest.fixture(scope="module")
def cluster(server, tmp_path_factory):
    home = tmp_path_factory.mktemp("ray-home")
    env = dict(os.environ, RUNWAYML_API_SECRET=SECRET, RUNWAYML_BASE_URL=server.base_url,
               HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"))
    with RayCluster(env) as c:
        t0 = time.monotonic()
        c.start_head()
        c.wait_for(1)
        head_s = time.monotonic() - t0
        c.worker = c.add_node()
        node_s = c.wait_for(2)
        c.figures = f"Ray head up in {head_s:.1f} s, second node in {node_s:.1f} s"
        yield c


@pytest.fixture
def paid(server, monkeypatch, ledger_url):
    monkeypatch.setenv("RUNWAYML_API_SECRET", SECRET)
    monkeypatch.setenv("RUNWAYML_BASE_URL", server.base_url)
    if ledger_url:
        monkeypatch.setenv("MICROFILM_LEDGER_URL", ledger_url)
    return server


def _paid_film(root: Path, seed: int, duration: int = 20) -> tuple[Path, int]:
    """A tiny paid film (Runway clips, no approval wait), boarded; and its story shots. Each
    test's film has its own seed: the same requests would find the fake provider's jobs of
    an earlier test under their idempotency keys, and create none."""
    api.new(root, title="The Retried Shot", genre="youth-romance",
            logline="Two strangers share an umbrella.", language="en", duration=duration, seed=seed,
            budget=50, currency="USD")
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8").replace('animator = "house-animator"',
                                                    'animator = "runway-gen4"')
    toml.write_text(text.replace("[settings]", "[settings]\napprove_before_animating = false"),
                    encoding="utf-8")
    pipeline.make(root, stages=["research", "develop", "board"])
    return root, sum(1 for s in Storyboard.load(root / "storyboard.yaml").shots if s.kind == "shot")


def _assets(root: Path) -> dict[str, str]:
    base = root / ".microfilm" / "assets"
    return {str(p.relative_to(base)): sha256_file(p) for p in sorted(base.rglob("*")) if p.is_file()}


def test_a_film_made_on_ray_is_the_film_made_in_process(cluster, house_film, tmp_path, capsys):
    """Same storyboard as the session's in-process house film, made on the cluster's worker
    processes (other hash seeds, folders, environments, CPUs): the same cache keys, the same
    bytes for every asset (pictures, clips, voices, score, segments, the mix) and a
    byte-identical film.mp4. Two causes once broke this: eSpeak NG seeded its jitter from the
    clock (voices, so the mix, differed between any two runs) and x264's thread count followed
    the CPUs its process saw (tests/unit/test_determinism.py has a quick test of each)."""
    film = tmp_path / "film"
    api.new(film, title="The Umbrella", genre="youth-romance",
            logline="Two strangers share an umbrella at a bus stop.", duration=20, seed=7)
    t0 = time.monotonic()
    report = pipeline.make(film, executor=cluster.address)
    ray_s = time.monotonic() - t0
    local, on_ray = _assets(house_film), _assets(film)
    assert sorted(local) == sorted(on_ray)  # the same keys: nothing made twice, nothing missing
    same = [k for k in local if local[k] == on_ray[k]]
    kinds = sorted({k.split("/")[0] for k in local})
    count = {kind: (sum(1 for k in same if k.startswith(kind + "/")),
                    sum(1 for k in local if k.startswith(kind + "/"))) for kind in kinds}
    a, b = house_film / "out" / "film.mp4", film / "out" / "film.mp4"
    film_same = sha256_file(a) == sha256_file(b)
    with capsys.disabled():
        print(f"\nray identity: {cluster.figures}; film on 2 nodes x 1 CPU in {ray_s:.1f} s; "
              f"same {len(local)} cache keys; byte-identical per kind: "
              + ", ".join(f"{kind} {n}/{m}" for kind, (n, m) in count.items())
              + f"; film.mp4 identical: {film_same} ({a.stat().st_size} bytes); "
              f"made {report.made}")
    assert {kind: n for kind, (n, m) in count.items() if n != m} == {}, "assets differ"
    assert probe(a).video == probe(b).video and probe(a).audio == probe(b).audio
    assert film_same


CAMPAIGN = ('base = "../film"\nname = "umbrella"\n[matrix]\nplatforms = ["tiktok"]\n'
            'aspects = ["9:16", "1:1"]\ncuts = ["full", "teaser"]\n')


def _campaign(house_film: Path, where: Path, executor: str | None) -> dict[str, str]:
    """A 4-variant campaign over a copy of the house film: each variant's film.mp4 hash."""
    shutil.copytree(house_film, where / "film")
    (where / "camp").mkdir()
    (where / "camp" / "campaign.toml").write_text(CAMPAIGN, "utf-8")
    status = make_campaign(where / "camp" / "campaign.toml", executor=executor)
    assert status.state == "done" and all(v.qc_passed for v in status.variants), status
    return {v.name: sha256_file(where / "camp" / v.folder / "out" / "film.mp4") for v in status.variants}


@pytest.mark.timeout(1800)
def test_a_campaign_made_on_ray_is_the_campaign_made_in_process(cluster, house_film, tmp_path, capsys):
    """Four variants (9:16 and 1:1, full and teaser) of the house film, made in-process and on
    the cluster (segments and windows as tasks on its workers): every variant's film.mp4 the
    same bytes."""
    t0 = time.monotonic()
    local = _campaign(house_film, tmp_path / "local", None)
    t1 = time.monotonic()
    on_ray = _campaign(house_film, tmp_path / "ray", cluster.address)
    t2 = time.monotonic()
    same = sorted(name for name in local if local[name] == on_ray.get(name))
    with capsys.disabled():
        print(f"\nray campaign: {len(local)} variants in-process in {t1 - t0:.1f} s, on 2 nodes x 1 CPU "
              f"in {t2 - t1:.1f} s; byte-identical film.mp4: {len(same)}/{len(local)} ({', '.join(same)})")
    assert sorted(local) == sorted(on_ray) and len(local) == 4
    assert same == sorted(local), "variant films differ"


def _ledger_in_flight(project: Path, url: str) -> list:
    try:
        return [r for r in open_ledger(project, url).rows() if r.status in (Status.PENDING, Status.SUBMITTED)]
    except (sqlite3.Error, Exception):  # the driver may be creating it right now
        return []


def test_the_driver_killed_with_kill_9_then_make_again_pays_nothing_twice(
        cluster, paid, ledger_url, tmp_path, capsys):
    film, shots = _paid_film(tmp_path / "film", seed=11)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-c", "from microfilm.cli.app import main; main()", "make", str(film),
            "--ray", cluster.address]
    before = dict(paid.counts)
    t0 = time.monotonic()
    driver = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        if driver.poll() is not None:
            pytest.fail(f"make ended before the kill: {driver.stderr.read().decode()[-2000:]}")
        if paid.counts["jobs_created"] - before.get("jobs_created", 0) >= 1 and \
                any(r.job_id for r in _ledger_in_flight(film, ledger_url)):
            break
        time.sleep(0.2)
    else:
        pytest.fail("no paid job was in flight within 400 s")
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(timeout=30)
    killed_at = time.monotonic() - t0
    in_flight = len(_ledger_in_flight(film, ledger_url))
    jobs_at_kill = paid.counts["jobs_created"] - before.get("jobs_created", 0)

    t1 = time.monotonic()
    again = subprocess.run(argv, env=env, capture_output=True, timeout=600)
    resume_s = time.monotonic() - t1
    assert again.returncode == 0, again.stderr.decode()[-3000:]
    jobs = paid.counts["jobs_created"] - before.get("jobs_created", 0)
    posts = paid.counts["submit"] - before.get("submit", 0)
    ledger = open_ledger(film, ledger_url)
    rows = ledger.rows()
    assert jobs == shots and posts == shots  # one provider job per story shot, in all
    assert len(rows) == shots and all(r.status == Status.DONE for r in rows)
    # the ledger notes a send before it goes out, so a send cut short by the kill is noted
    # twice; the provider's count and the job ids are what was paid for
    notes = ledger.submissions()
    assert ledger.duplicates() == {} and len({n[2] for n in notes if n[2]}) == shots
    assert probe(film / "out" / "film.mp4").video.duration > 10
    with capsys.disabled():
        print(f"\nray driver kill -9: killed {killed_at:.1f} s into make with {jobs_at_kill} job(s) "
              f"created and {in_flight} request(s) in flight; make again took {resume_s:.1f} s; "
              f"submit POSTs {posts}, provider jobs {jobs} for {shots} shots, duplicates 0 "
              f"(ledger send notes {len(notes)}); ledger {'PostgreSQL' if ledger_url else 'SQLite'}")


def _busy(node) -> bool:
    """The node is running a task now (Ray titles a worker process by the task it runs)."""
    for pid in session_pids(node.pid):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::_run"):
                return True
        except OSError:
            pass
    return False


def test_a_worker_node_killed_mid_render_retries_elsewhere_and_pays_nothing_twice(
        cluster, paid, ledger_url, tmp_path, capsys):
    film, shots = _paid_film(tmp_path / "film", seed=12)
    before = dict(paid.counts)
    result: dict = {}

    def drive() -> None:
        try:
            result["report"] = pipeline.make(film, executor=cluster.address)
        except BaseException as exc:  # surfaced by the assertion below
            result["error"] = exc

    t0 = time.monotonic()
    driver = threading.Thread(target=drive, daemon=True)
    driver.start()
    node = cluster.worker
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline and driver.is_alive():
        node_pids = set(session_pids(node.pid))
        theirs = [r for r in _ledger_in_flight(film, ledger_url) if r.job_id and r.claim_pid in node_pids]
        if theirs and _busy(node):  # a paid clip is in flight on the second node
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"no paid request was in flight on the second node: {result}")
    killed = cluster.kill(node)
    killed_at = time.monotonic() - t0
    retried = {r.request_hash for r in theirs}
    driver.join(timeout=600)
    assert not driver.is_alive() and "error" not in result, result.get("error")
    total_s = time.monotonic() - t0
    jobs = paid.counts["jobs_created"] - before.get("jobs_created", 0)
    posts = paid.counts["submit"] - before.get("submit", 0)
    ledger = open_ledger(film, ledger_url)
    rows = {r.request_hash: r for r in ledger.rows()}
    assert jobs == shots and posts == shots  # counted by the fake provider: none twice
    assert all(r.status == Status.DONE and r.attempts == 1 for r in rows.values())
    notes = ledger.submissions()
    assert retried <= set(rows) and ledger.duplicates() == {}
    assert len({n[2] for n in notes if n[2]}) == shots
    assert probe(film / "out" / "film.mp4").video.duration > 10
    with capsys.disabled():
        print(f"\nray worker node killed: {killed} processes of node 2 killed {killed_at:.1f} s into "
              f"make; {len(retried)} paid request(s) it had in flight finished elsewhere (polled, "
              f"not resent); make took {total_s:.1f} s in all; submit POSTs {posts}, provider "
              f"jobs {jobs} for {shots} shots, duplicates 0 (ledger send notes {len(notes)}); ledger "
              f"{'PostgreSQL' if ledger_url else 'SQLite'}")


def test_paid_calls_on_ray_hold_no_cpu_and_share_one_lane_per_provider(cluster, paid, tmp_path, capsys):
    """A paid clip waits on its provider, not on a core: on 2 nodes x 1 CPU, more clips are out
    at once than there are CPUs, but never more than the provider's lane (one for the whole
    cluster, whichever node each clip's task runs on)."""
    from microfilm.lanes import DEFAULT_PAID_CONCURRENCY

    film, shots = _paid_film(tmp_path / "film", seed=21, duration=45)
    assert shots > 2  # more clips than the cluster's 2 CPUs
    before = dict(paid.counts)
    paid.peak_in_flight = paid.in_flight = 0
    paid.polls_to_finish = 3  # each clip ~15 s in flight (polled every 5 s): they overlap
    try:
        t0 = time.monotonic()
        pipeline.make(film, executor=cluster.address)
        took = time.monotonic() - t0
    finally:
        paid.polls_to_finish = 2
    jobs = paid.counts["jobs_created"] - before.get("jobs_created", 0)
    assert jobs == shots  # none twice
    assert 2 < paid.peak_in_flight <= min(shots, DEFAULT_PAID_CONCURRENCY), paid.peak_in_flight
    with capsys.disabled():
        print(f"\nray paid lanes: {shots} paid clips on 2 nodes x 1 CPU, at most "
              f"{paid.peak_in_flight} out at once (the lane: {DEFAULT_PAID_CONCURRENCY}); "
              f"make took {took:.1f} s; provider jobs {jobs}")
