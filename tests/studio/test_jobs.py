"""Background renders: live progress, one render per film, and restarts."""

from __future__ import annotations

import json
import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from microfilm.studio import create_app
from microfilm.studio.jobs import RunFailed, RunRequest, pipeline_runner
from microfilm.studio.models import Film, Job, utcnow
from tests.studio.conftest import csrf_of, new_film, signup, wait_job


def _wait_running(client, fid, job):
    deadline = time.monotonic() + 10
    while client.get(f"/films/{fid}/jobs/{job}").json()["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_second_render_of_a_rendering_film_is_refused(app, fake):
    fake.gate = threading.Event()
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    fid = new_film(c, csrf)
    other_fid = new_film(c, csrf, title="Another film")
    h = {"x-csrf-token": csrf}
    first = c.post(f"/films/{fid}/make", headers=h)
    assert first.status_code == 202
    job = first.json()["job"]
    _wait_running(c, fid, job)
    second = c.post(f"/films/{fid}/make", headers=h)
    assert second.status_code == 409 and second.json()["job"] == job
    form = c.post(f"/films/{fid}/make", data={"csrf": csrf}, headers={"accept": "text/html"})
    assert form.status_code == 409 and "rendering" in form.text
    # Nothing a render reads may change under it.
    assert c.post(f"/films/{fid}/screenplay", data={"text": "EXT. X - DAY\n"}, headers=h).status_code == 409
    assert c.post(f"/films/{fid}/publish", headers=h).status_code == 409
    # Another film is not blocked (it queues behind the render).
    queued = c.post(f"/films/{other_fid}/make", headers=h)
    assert queued.status_code == 202
    # The page survives a reload mid-render and shows where the render is.
    page = c.get(f"/films/{fid}").text
    assert 'data-active="1"' in page and f'data-job="{job}"' in page and "writing research.md" in page
    fake.gate.set()
    assert wait_job(c, fid, job)["state"] == "done"
    assert wait_job(c, other_fid, queued.json()["job"])["state"] == "done"
    again = c.post(f"/films/{fid}/make", headers=h)
    assert again.status_code == 202  # allowed once the first one finished
    wait_job(c, fid, again.json()["job"])


def test_progress_streams_as_server_sent_events(app, fake):
    fake.gate = threading.Event()
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    fid = new_film(c, csrf)
    job = c.post(f"/films/{fid}/make", headers={"x-csrf-token": csrf}).json()["job"]
    _wait_running(c, fid, job)
    deadline = time.monotonic() + 10  # running is set a moment before the render's first tick
    while "research" not in c.get(f"/films/{fid}/jobs/{job}").json()["stages"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    threading.Timer(0.3, fake.gate.set).start()
    events = []
    with c.stream("GET", f"/films/{fid}/jobs/{job}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name == "job":
                events.append(json.loads(line[6:]))
    assert events[0]["state"] == "running" and events[0]["stages"]["research"]["message"] == "writing research.md"
    assert events[-1]["state"] == "done" and events[-1]["stages"]["master"] == {"done": 1, "total": 1,
                                                                                 "message": "master done"}
    versions = [e["version"] for e in events]
    assert versions == sorted(versions)


def test_restart_marks_running_jobs_interrupted_and_they_resume(settings, fake, tiny_cut):
    app = create_app(settings)
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    fid = new_film(c, csrf)
    with app.state.sessions.begin() as db:  # the state a server killed mid-render leaves behind
        film = db.scalars(select(Film)).one()
        db.add(Job(public_id="crashedjob01", film_id=film.id, kind="make", edit_policy="ask", state="running",
                   progress_json='{"stages": {"generate": {"done": 3, "total": 9, "message": "shot 3"}}}',
                   message="", error="", error_kind="", created_at=utcnow(), started_at=utcnow()))
    app.state.jobs.shutdown()
    app.state.engine.dispose()

    restarted = create_app(settings)  # a new server over the same catalogue
    c = TestClient(restarted)
    token = csrf_of(c.get("/login").text)
    c.post("/login", data={"csrf": token, "email": "ann@brand.example", "password": "correct horse battery"})
    snap = c.get(f"/films/{fid}/jobs/crashedjob01").json()
    assert snap["state"] == "interrupted" and "server stopped" in snap["error"]
    assert snap["stages"]["generate"]["done"] == 3  # where it was is kept
    page = c.get(f"/films/{fid}").text
    assert 'id="resume"' in page and "interrupted" in page
    csrf = csrf_of(page)
    r = c.post(f"/films/{fid}/make", headers={"x-csrf-token": csrf})  # resume: not refused as running
    assert r.status_code == 202
    assert wait_job(c, fid, r.json()["job"])["state"] == "done"
    restarted.state.jobs.shutdown(wait=5)
    restarted.state.engine.dispose()


def test_auto_resume_restarts_interrupted_renders(settings, fake):
    import dataclasses

    app = create_app(settings)
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    fid = new_film(c, csrf)
    app.state.jobs.shutdown()  # first: a live runner would run the queued row below
    with app.state.sessions.begin() as db:
        film = db.scalars(select(Film)).one()
        db.add(Job(public_id="crashedjob02", film_id=film.id, kind="make", edit_policy="keep", state="queued",
                   progress_json="{}", message="", error="", error_kind="", created_at=utcnow()))
    calls = fake.calls
    again = create_app(dataclasses.replace(settings, auto_resume=True))
    deadline = time.monotonic() + 10
    with again.state.sessions() as db:
        while True:
            jobs = db.scalars(select(Job).order_by(Job.id)).all()
            if len(jobs) == 2 and jobs[1].state == "done":
                break
            assert time.monotonic() < deadline, [(j.public_id, j.state) for j in jobs]
            time.sleep(0.05)
            db.expire_all()
        assert jobs[0].state == "interrupted" and jobs[1].edit_policy == "keep"
    assert fake.calls == calls + 1
    again.state.jobs.shutdown(wait=5)


def test_a_conflict_offers_keep_or_force(app, fake):
    fake.fail, fake.fail_kind = "screenplay.fountain was edited by hand and its inputs changed", "conflict"
    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    fid = new_film(c, csrf)
    job = c.post(f"/films/{fid}/make", headers={"x-csrf-token": csrf}).json()["job"]
    snap = wait_job(c, fid, job)
    assert snap["state"] == "failed" and snap["error_kind"] == "conflict"
    page = c.get(f"/films/{fid}").text
    assert "edited by hand" in page
    assert 'class="conflict-actions "' in page and 'name="policy" value="keep"' in page
    fake.fail = ""
    r = c.post(f"/films/{fid}/make", data={"policy": "keep"}, headers={"x-csrf-token": csrf})
    with app.state.sessions() as db:
        assert db.scalars(select(Job).where(Job.public_id == r.json()["job"])).one().edit_policy == "keep"
    wait_job(c, fid, r.json()["job"])


def test_pipeline_runner_maps_errors_to_actionable_failures(monkeypatch, tmp_path):
    from microfilm import pipeline
    from microfilm.errors import BudgetExceeded, ConflictError

    for exc, kind in ((ConflictError("edited"), "conflict"), (BudgetExceeded("over"), "budget")):
        def boom(*a, _exc=exc, **k):
            raise _exc

        monkeypatch.setattr(pipeline, "make", boom)
        try:
            pipeline_runner(RunRequest(folder=tmp_path), lambda t: None)
        except RunFailed as failed:
            assert failed.kind == kind
        else:
            raise AssertionError("no failure")


def test_a_render_submitted_while_the_runner_claims_another_is_queued_not_deadlocked(app, monkeypatch):
    """The runner claims a render inside the catalogue's write transaction, then notes it in
    memory under the manager's lock; a submit meanwhile waits for the write lock. It used to
    wait holding that same lock: each waited for the other until SQLite's busy timeout (30 s),
    then the submit failed with a 500 (seen seeding the load test's studio)."""
    from microfilm.studio import jobs as jobs_module

    c = TestClient(app)
    csrf = signup(c, "ann@brand.example", workspace="Brand")
    first, second = new_film(c, csrf), new_film(c, csrf, title="Another film")
    claiming, go_on = threading.Event(), threading.Event()
    from_row = jobs_module.Snapshot.from_row

    def held_in_the_claim(job):  # called in the claim's write transaction, before `_lock`
        if threading.current_thread() is not threading.main_thread() and not claiming.is_set():
            claiming.set()
            assert go_on.wait(20)
        return from_row(job)

    monkeypatch.setattr(jobs_module.Snapshot, "from_row", staticmethod(held_in_the_claim))
    h = {"x-csrf-token": csrf}
    assert c.post(f"/films/{first}/make", headers=h).status_code == 202
    assert claiming.wait(10), "the runner never claimed the render"
    answer: list = []
    submit = threading.Thread(target=lambda: answer.append(c.post(f"/films/{second}/make", headers=h)))
    submit.start()
    time.sleep(0.5)  # the submit is now waiting for the catalogue's write lock
    go_on.set()
    started = time.monotonic()
    submit.join(25)
    assert answer and answer[0].status_code == 202, answer and answer[0].text
    assert time.monotonic() - started < 10  # not after a busy timeout
    assert wait_job(c, second, answer[0].json()["job"])["state"] == "done"
