"""A studio with people, published films and renders in progress, and the load check run
against it from its own process (shared by tests/studio/test_load.py and bench/studio_load.py).

The studio is served the way `microfilm serve --workers N` serves it (tests/studio/multiserve.py:
forked worker processes on one port of 127.0.0.1) and seeded over HTTP, as its users would.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Callable

import httpx

from microfilm.studio.loadcheck import LoadPlan
from microfilm.studio.security import SESSION_COOKIE
from tests.studio.conftest import make_and_wait, new_film, signup
from tests.studio.multiserve import Served


@dataclasses.dataclass
class Seeded:
    plan: LoadPlan
    release: Callable[[], None]  # lets the renders the streams follow finish


def browser(served: Served) -> httpx.Client:
    """A person's browser: its own cookies, redirects followed."""
    return httpx.Client(base_url=served.url, follow_redirects=True, timeout=60)


def seed(served: Served, people: int = 5, films_each: int = 2, **plan_fields) -> Seeded:
    """`people` accounts in their own workspaces, each with `films_each` films rendered and
    published (the gallery's cards), then one render per film held running or queued (the
    fake pipeline waits while the hold file exists) with its progress stream to follow."""
    films, owners, csrfs = [], [], []
    for i in range(people):
        client = browser(served)
        csrf = signup(client, f"person{i}@studio{i}.example", workspace=f"Studio {i}")
        for j in range(films_each):
            fid = new_film(client, csrf, title=f"Film {i}-{j}")
            assert make_and_wait(client, fid, csrf)["state"] == "done"
            r = client.post(f"/films/{fid}/publish", headers={"x-csrf-token": csrf})
            assert r.status_code == 200, (r.text, served.log_tail())
            films.append(fid)
            owners.append(client)
            csrfs.append(csrf)
    served.hold_renders()
    streams, stream_sessions = [], []
    for fid, client, csrf in zip(films, owners, csrfs):
        r = client.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 202, (r.text, served.log_tail())
        streams.append(f"/films/{fid}/jobs/{r.json()['job']}/events")
        stream_sessions.append(client.cookies[SESSION_COOKIE])
    film_owner_sessions = [c.cookies[SESSION_COOKIE] for c in owners]
    for client in owners:
        client.close()
    plan = LoadPlan(host="127.0.0.1", port=served.port, sessions=film_owner_sessions, films=films,
                    streams=streams, stream_sessions=stream_sessions, **plan_fields)
    return Seeded(plan=plan, release=served.release_renders)


def run_check(plan: LoadPlan, timeout: float = 240) -> dict:
    """The load check in a child process (its own interpreter lock), its figures parsed."""
    done = subprocess.run([sys.executable, "-m", "microfilm.studio.loadcheck"],
                          input=json.dumps(dataclasses.asdict(plan)), capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
