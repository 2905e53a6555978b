"""Studio test helpers: an app over a temporary home, accounts, films, and a fake pipeline.

The fake runner writes what the real pipeline writes (research, bible, screenplay,
storyboard, a real tiny H.264 cut, cover, subtitles) so the web layer is tested on real
files in a fraction of a second; the browser tests run the real pipeline.
"""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from microfilm.studio import StudioSettings, create_app
from microfilm.studio.jobs import RunRequest, RunResult, Tick

SCREENPLAY = """Title: The Last Bus
Author: microfilm

EXT. BUS STOP - NIGHT

Rain on the shelter roof. MEI waits alone.

MEI
(quietly)
Is this the last bus?

DRIVER
It is. Get in, it's cold.

CUT TO:

INT. BUS - NIGHT

Mei sits by the window.
"""

BIBLE = """theme: coming home
time: present day, winter
characters:
- id: mei
  name: MEI
  role: daughter
  age: 24
  look: short black hair, round glasses
  wardrobe: yellow raincoat
  color: '#d98e48'
- id: driver
  name: DRIVER
  role: bus driver
  color: '#8fb996'
locations:
- id: bus-stop
  name: BUS STOP
  interior: false
"""

STORYBOARD = """title: The Last Bus
language: en
shots:
- id: s01
  kind: shot
  scene: 1
  duration: 2.0
  prompt: rain on a bus stop
  lines:
  - character: MEI
    text: Is this the last bus?
- id: s02
  kind: shot
  scene: 1
  duration: 2.0
  lines:
  - character: DRIVER
    text: It is. Get in, it's cold.
"""


@pytest.fixture(scope="session")
def tiny_cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_cut(tmp_path_factory.mktemp("cut") / "film.mp4")


def make_tiny_cut(out: Path) -> Path:
    """A real 2 s H.264/AAC MP4 (faststart), big enough for range requests to mean something."""
    from microfilm.media.ffmpeg import run

    run(["-f", "lavfi", "-i", "testsrc2=size=144x256:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-movflags", "+faststart", str(out)], what="test cut")
    return out


def write_fake_outputs(folder: Path, cut: Path) -> None:
    (folder / "research.md").write_text("# Research\n\n- Genre: *touching family*\n- <b>raw html</b>\n", "utf-8")
    (folder / "bible.yaml").write_text(BIBLE, "utf-8")
    if not (folder / "screenplay.fountain").exists():
        (folder / "screenplay.fountain").write_text(SCREENPLAY, "utf-8")
    if not (folder / "storyboard.yaml").exists():
        (folder / "storyboard.yaml").write_text(STORYBOARD, "utf-8")
    out = folder / "out"
    out.mkdir(exist_ok=True)
    shutil.copy(cut, out / "film.mp4")
    Image.new("RGB", (108, 192), "#d98e48").save(out / "cover.png")
    (out / "film.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nIs this the last bus?\n", "utf-8")


@dataclass
class FakePipeline:
    """A runner that writes fake outputs; `gate` (if set) holds it until the test releases it.
    Across processes (a studio served by several, tests/studio/multiserve.py): while the file
    `hold` exists a render waits for its removal, and `log` gets a line per render, "pid
    folder", so a test sees which process ran it."""

    cut: Path
    gate: threading.Event | None = None
    fail: str = ""
    fail_kind: str = "error"
    calls: int = 0
    hold: Path | None = None
    log: Path | None = None

    def __call__(self, request: RunRequest, tick: Callable[[Tick], None]) -> RunResult:
        import os
        import time

        from microfilm.studio.jobs import RunFailed

        self.calls += 1
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {request.folder.name}\n")
        tick(Tick("research", 0, 1, "writing research.md"))
        if self.gate is not None:
            assert self.gate.wait(20), "test never released the fake render"
        deadline = time.monotonic() + 300
        while self.hold is not None and self.hold.exists():
            assert time.monotonic() < deadline, "test never released the fake render"
            time.sleep(0.02)
        if self.fail:
            raise RunFailed(self.fail, self.fail_kind)
        for stage in ("research", "develop", "board", "generate", "cut", "master"):
            tick(Tick(stage, 1, 1, f"{stage} done"))
        write_fake_outputs(request.folder, self.cut)
        return RunResult("ran every stage")


@pytest.fixture()
def fake(tiny_cut: Path) -> FakePipeline:
    return FakePipeline(cut=tiny_cut)


@pytest.fixture()
def settings(tmp_path: Path, fake: FakePipeline) -> StudioSettings:
    return StudioSettings(home=tmp_path / "studio", runner=fake, sse_poll_s=0.05)


@pytest.fixture()
def app(settings: StudioSettings):
    application = create_app(settings)
    yield application
    application.state.jobs.shutdown(wait=5)
    application.state.engine.dispose()


@pytest.fixture()
def client(app) -> TestClient:
    return TestClient(app)


CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = CSRF_META.search(html) or CSRF_FIELD.search(html)
    assert m, "page has no CSRF token"
    return m.group(1)


def signup(client: TestClient, email: str, workspace: str = "", invite: str = "",
           password: str = "correct horse battery") -> str:
    """Sign up, then log in (sign-up never logs in: it answers the same whether or not the
    e-mail has an account); returns the session's CSRF token."""
    token = csrf_of(client.get("/signup").text)
    r = client.post("/signup", data={"csrf": token, "name": email.split("@")[0], "email": email,
                                     "password": password, "workspace": workspace, "invite": invite},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?signed_up=1"), r.text
    r = client.post("/login", data={"csrf": token, "email": email, "password": password}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/projects").text)


def new_film(client: TestClient, csrf: str, title: str = "The Last Bus", **fields) -> str:
    data = {"csrf": csrf, "title": title, "genre": "touching-family", "logline": "A daughter takes the last bus home.",
            "language": "en", "duration": "30", "platform": "generic", "aspect": "9:16", "budget": "0",
            "currency": "CNY", **fields}
    r = client.post("/films", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/films/")[1].split("?")[0]


def wait_job(client: TestClient, fid: str, job: str, timeout: float = 20) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = client.get(f"/films/{fid}/jobs/{job}").json()
        if snap["state"] not in ("queued", "running"):
            return snap
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not finish in {timeout} s")


def make_and_wait(client: TestClient, fid: str, csrf: str) -> dict:
    r = client.post(f"/films/{fid}/make", data={"policy": "ask"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 202, r.text
    return wait_job(client, fid, r.json()["job"])


@pytest.fixture()
def two_workspaces(app):
    """Owner (with a rendered draft), a member of another workspace, and an anonymous client."""
    owner, other, anon = TestClient(app), TestClient(app), TestClient(app)
    csrf = signup(owner, "owner@brand.example", workspace="Brand")
    other_csrf = signup(other, "rival@agency.example", workspace="Agency")
    fid = new_film(owner, csrf)
    snap = make_and_wait(owner, fid, csrf)
    assert snap["state"] == "done", snap
    return {"owner": owner, "other": other, "anon": anon, "csrf": csrf, "other_csrf": other_csrf,
            "fid": fid, "job": snap["id"]}


@dataclass
class LiveServer:
    url: str
    port: int
    server: object
    thread: threading.Thread


def start_server(app) -> LiveServer:
    """Uvicorn on 127.0.0.1, a free port, in a daemon thread; bounded wait for it to start."""
    import socket
    import time

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    return LiveServer(url=f"http://127.0.0.1:{port}", port=port, server=server, thread=thread)


def stop_server(live: LiveServer) -> None:
    live.server.should_exit = True
    live.thread.join(10)


@pytest.fixture()
def live(app):
    server = start_server(app)
    yield server
    stop_server(server)
