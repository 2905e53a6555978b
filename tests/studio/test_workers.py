"""The studio served by several processes (`microfilm serve --workers N`) is still one studio:
one process runs the renders, a render's progress reaches a stream served by another process,
a publish drops the cached gallery in every process, and a killed runner's renders are taken
over by another. Each test runs the real supervisor and its forked workers on 127.0.0.1
(tests/studio/multiserve.py); every response names the worker that answered it.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from microfilm.studio import StudioSettings, create_app
from microfilm.studio.workers import default_workers
from tests.studio.conftest import make_and_wait, new_film, signup, wait_job
from tests.studio.multiserve import PID_HEADER, Served, served


def test_serve_defaults_to_one_process_on_two_cores_else_one_per_core_up_to_four():
    # A second process on two cores competes with a render and the visitors' own machines
    # for the other core (bench/studio_load.py: a visitor's p99 under load got worse).
    assert [default_workers(cores) for cores in (1, 2, 3, 4, 16)] == [1, 1, 3, 4, 4]


@pytest.fixture()
def studio(tmp_path: Path, tiny_cut: Path):
    with served(tmp_path / "studio", tiny_cut, workers=2, sse_poll_s=0.05) as running:
        yield running


def person(studio: Served, email: str = "ann@brand.example") -> tuple[httpx.Client, str]:
    """A logged-in browser that opens a new connection per request, so its requests are
    spread over the workers as a crowd's would be."""
    client = httpx.Client(base_url=studio.url, follow_redirects=True, timeout=30,
                          limits=httpx.Limits(max_keepalive_connections=0))
    return client, signup(client, email, workspace="Brand")


def until_answered_by(studio: Served, send, want, tries: int = 60):
    """Send (each time on a new connection) until a worker for which `want(pid)` answers."""
    for _ in range(tries):
        response = send()
        if want(int(response.headers[PID_HEADER])):
            return response
    raise AssertionError(f"no worker matching the test answered in {tries} requests ({studio.worker_pids()})")


def held_render(studio: Served) -> tuple[httpx.Client, str, str]:
    """A person's film with a render queued that the fake pipeline holds until released."""
    client, csrf = person(studio)
    fid = new_film(client, csrf)
    studio.hold_renders()
    r = client.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 202, r.text
    return client, fid, r.json()["job"]


def wait_for_runs(studio: Served, count: int, timeout: float = 30) -> list[tuple[int, str]]:
    deadline = time.monotonic() + timeout
    while len(studio.runs()) < count:
        assert time.monotonic() < deadline, studio.runs()
        time.sleep(0.05)
    return studio.runs()


def test_one_process_runs_every_render_whichever_process_queued_it(studio):
    client, csrf = person(studio)
    queued_by, jobs = set(), []
    for i in range(8):
        fid = new_film(client, csrf, title=f"Film {i}")
        r = client.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 202, r.text
        queued_by.add(int(r.headers[PID_HEADER]))
        jobs.append((fid, r.json()["job"]))
    assert len(queued_by) == 2  # both workers queued renders
    for fid, job in jobs:
        assert wait_job(client, fid, job, timeout=60)["state"] == "done"
    runners = {pid for pid, _ in studio.runs()}
    assert len(studio.runs()) == 8 and len(runners) == 1, studio.runs()
    assert runners <= studio.worker_pids()


def test_progress_reaches_a_stream_served_by_another_process(studio):
    client, fid, job = held_render(studio)
    [(runner, _)] = wait_for_runs(studio, 1)
    events, pids = [], set()
    for _ in range(60):  # a stream served by a worker that does not run the render
        with client.stream("GET", f"/films/{fid}/jobs/{job}/events") as stream:
            pid = int(stream.headers[PID_HEADER])
            if pid == runner:
                continue
            pids.add(pid)
            for line in stream.iter_lines():
                if line.startswith("data: ") and line != "data: {}":
                    events.append(json.loads(line[6:]))
                    if len(events) == 1:  # held at research: let it finish
                        assert events[0]["state"] == "running", events
                        assert events[0]["stages"]["research"]["message"] == "writing research.md"
                        studio.release_renders()
                if line == "event: end":
                    break
        break
    assert pids and runner not in pids
    assert events[-1]["state"] == "done" and events[-1]["stages"]["master"]["message"] == "master done"


def test_a_publish_in_one_process_drops_the_cached_gallery_in_every_process(studio):
    client, csrf = person(studio)
    fid = new_film(client, csrf, title="Harbour Lights")
    assert make_and_wait(client, fid, csrf)["state"] == "done"
    anonymous = httpx.Client(base_url=studio.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
    workers = studio.worker_pids()

    def gallery_everywhere() -> list[str]:
        """The gallery as each worker serves it (each has its own cached page)."""
        pages = []
        for pid in sorted(workers):
            r = until_answered_by(studio, lambda: anonymous.get("/watch"), lambda answered: answered == pid)
            assert r.status_code == 200
            pages.append(r.text)
        return pages

    assert not any("Harbour Lights" in page for page in gallery_everywhere())  # cached in each
    assert client.post(f"/films/{fid}/publish", headers={"x-csrf-token": csrf}).status_code == 200
    assert all("Harbour Lights" in page for page in gallery_everywhere())
    r = client.post(f"/films/{fid}/unpublish", headers={"x-csrf-token": csrf})
    assert r.status_code in (200, 303), r.text
    assert not any("Harbour Lights" in page for page in gallery_everywhere())


def test_a_killed_runner_s_render_is_taken_over_by_another_process(studio):
    client, fid, job = held_render(studio)
    [(runner, folder)] = wait_for_runs(studio, 1)
    os.kill(runner, signal.SIGKILL)
    runs = wait_for_runs(studio, 2)  # another worker holds the role now and runs it again
    assert runs[1][1] == folder and runs[1][0] != runner and runs[1][0] in studio.worker_pids()
    studio.release_renders()
    snap = wait_job(client, fid, job, timeout=60)
    assert snap["state"] == "done", snap
    assert len(studio.worker_pids()) == 2  # the supervisor started a worker in the killed one's place


def test_a_starting_studio_leaves_a_live_runner_s_renders_alone(studio, tmp_path):
    client, fid, job = held_render(studio)
    wait_for_runs(studio, 1)
    # A second server over the same studio while the first runs: its start must not mark
    # the live render interrupted, and it does not become a second runner.
    second = create_app(StudioSettings(home=tmp_path / "studio"))
    try:
        assert not second.state.jobs.is_runner
        assert client.get(f"/films/{fid}/jobs/{job}").json()["state"] == "running"
    finally:
        second.state.jobs.shutdown()
        second.state.engine.dispose()
    studio.release_renders()
    assert wait_job(client, fid, job, timeout=60)["state"] == "done"


def test_login_limits_and_sessions_hold_across_processes(studio):
    from tests.studio.conftest import csrf_of

    client, _ = person(studio)  # logged in through one worker: every worker knows the session
    for pid in studio.worker_pids():
        page = until_answered_by(studio, lambda: client.get("/projects", follow_redirects=False),
                                 lambda answered: answered == pid)
        assert page.status_code == 200
    guesser = httpx.Client(base_url=studio.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))
    answers = []
    for _ in range(12):  # 5 failures per account and address, counted wherever they land
        token = csrf_of(guesser.get("/login").text)
        r = guesser.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "not it at all"})
        answers.append((r.status_code, int(r.headers[PID_HEADER])))
    assert [status for status, _ in answers] == [400] * 5 + [429] * 7, answers
    assert len({pid for _, pid in answers}) == 2  # both workers answered; they counted together
