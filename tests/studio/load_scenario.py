"""A studio with people, published films and renders in progress, and the load check run
against it from its own process (shared by tests/studio/test_load.py and bench/studio_load.py).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading

from fastapi.testclient import TestClient

from microfilm.studio.loadcheck import LoadPlan
from microfilm.studio.security import SESSION_COOKIE
from tests.studio.conftest import FakePipeline, LiveServer, make_and_wait, new_film, signup


@dataclasses.dataclass
class Seeded:
    plan: LoadPlan
    gate: threading.Event  # set it to let the renders the streams follow finish


def seed(app, fake: FakePipeline, live: LiveServer, people: int = 5, films_each: int = 2,
         **plan_fields) -> Seeded:
    """`people` accounts in their own workspaces, each with `films_each` films rendered and
    published (the gallery's cards), then one render per film held running or queued (the
    fake pipeline waits on the gate) with its progress stream to follow."""
    sessions, films, owners, csrfs = [], [], [], []
    for i in range(people):
        client = TestClient(app)
        csrf = signup(client, f"person{i}@studio{i}.example", workspace=f"Studio {i}")
        for j in range(films_each):
            fid = new_film(client, csrf, title=f"Film {i}-{j}")
            assert make_and_wait(client, fid, csrf)["state"] == "done"
            r = client.post(f"/films/{fid}/publish", headers={"x-csrf-token": csrf})
            assert r.status_code == 200, r.text
            films.append(fid)
            owners.append(client)
            csrfs.append(csrf)
        sessions.append(client.cookies[SESSION_COOKIE])
    fake.gate = threading.Event()
    streams, stream_sessions = [], []
    for fid, client, csrf in zip(films, owners, csrfs):
        r = client.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 202, r.text
        streams.append(f"/films/{fid}/jobs/{r.json()['job']}/events")
        stream_sessions.append(client.cookies[SESSION_COOKIE])
    film_owner_sessions = [c.cookies[SESSION_COOKIE] for c in owners]
    plan = LoadPlan(host="127.0.0.1", port=live.port, sessions=film_owner_sessions, films=films,
                    streams=streams, stream_sessions=stream_sessions, **plan_fields)
    return Seeded(plan=plan, gate=fake.gate)


def run_check(plan: LoadPlan, timeout: float = 240) -> dict:
    """The load check in a child process (its own interpreter lock), its figures parsed."""
    done = subprocess.run([sys.executable, "-m", "microfilm.studio.loadcheck"],
                          input=json.dumps(dataclasses.asdict(plan)), capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
