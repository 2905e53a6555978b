"""`microfilm serve --workers N`: the studio served by N processes listening on one port.

One process serves everything on one event loop, so a visitor arriving with a burst of 250
requests waits behind all of them, and the film pages' thread takes the interpreter lock from
that loop: the gallery's 99th percentile under load was 10-100x its idle latency. With N
processes each listening on the port (SO_REUSEPORT: the kernel spreads new connections over
the listeners), a burst is served on every core, each process with its own interpreter lock.

What makes N processes one studio (each point a test in tests/studio/test_workers.py):
- the catalogue is migrated and a previous server's renders are marked interrupted once,
  here, before any worker starts (`prepare`);
- exactly one process runs renders: the holder of the runner role (`jobs.JobManager`), a
  flock the kernel drops when that process dies; another worker then takes the role and runs
  again what was running;
- progress streams read a render's progress from the catalogue in the processes that do not
  run it;
- a publish or an unpublish in one process drops the cached gallery in all of them
  (`pagecache.PageCache.marker`);
- logins, sessions, API tokens live in the catalogue, which every process shares.

The supervisor (this process) only forks the workers, restarts one that dies, and stops them
all on SIGTERM or SIGINT. It forks before it starts any thread, and each worker builds its
own app, database engine and render threads after the fork.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import traceback
from typing import Callable

from fastapi import FastAPI

from microfilm.studio.settings import StudioSettings

BACKLOG = 2048  # uvicorn's default: a burst of connections waits in the kernel, not refused
STOP_GRACE_S = 10.0  # workers finish their requests this long after SIGTERM, then are killed
RESTARTS_PER_MINUTE = 10  # a worker crashing faster than this stops the studio (a broken setup)

AppFactory = Callable[..., FastAPI]


def default_workers(cores: int | None = None) -> int:
    """One process per core from three cores up, at most four: past that the catalogue and
    the renders, not the event loops, are what a burst waits for. On one or two cores, one:
    a second process has no core of its own there (a render, or the people's own browsers,
    use the other), and measured on 2 cores it made a visitor's gallery p99 under load 2-3x
    worse than one process did, same run (bench/README.md, the studio section)."""
    cores = cores or os.cpu_count() or 1
    return 1 if cores <= 2 else min(cores, 4)


def listening_socket(host: str, port: int, *, listen: bool = True) -> socket.socket:
    """A TCP socket bound with SO_REUSEPORT. Not listening, it holds the port for the
    workers (and, for port 0, picks it); each worker listens on its own."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


def prepare(settings: StudioSettings) -> list[str]:
    """What a studio does once when it starts, before its workers: bring the catalogue to
    the newest schema and mark the renders a previous server left as interrupted (or queue
    them again with `auto_resume`). Returns their ids."""
    from microfilm.studio.db import make_engine, migrate, session_factory
    from microfilm.studio.jobs import JobManager

    engine = make_engine(settings.database_url, 2, settings.db_wait_s)
    try:
        migrate(engine)
        jobs = JobManager(session_factory(engine), settings.projects, settings.runner,
                          role_dir=settings.runner_lock_dir)
        try:
            return jobs.recover(resume=settings.auto_resume)
        finally:
            jobs.shutdown()
    finally:
        engine.dispose()


def _worker(settings: StudioSettings, host: str, port: int, factory: AppFactory, uvicorn_options: dict) -> None:
    import uvicorn

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sock = listening_socket(host, port)
    app = factory(settings, recover=False)
    config = uvicorn.Config(app, lifespan="on", backlog=BACKLOG, **uvicorn_options)
    uvicorn.Server(config).run(sockets=[sock])


def _fork(settings: StudioSettings, host: str, port: int, factory: AppFactory, uvicorn_options: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _worker(settings, host, port, factory, uvicorn_options)
    except BaseException:  # noqa: BLE001 - a worker's end is reported, never raised past the fork
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(settings: StudioSettings, host: str, port: int, workers: int, *,
          factory: AppFactory | None = None, on_listening: Callable[[int], None] | None = None,
          **uvicorn_options) -> int:
    """Serve the studio from `workers` processes until SIGTERM or SIGINT; the exit status.

    `factory(settings, recover=False)` builds each worker's app (`create_app`; a test adds
    its own middleware); `on_listening(port)` is called once the port is held (port 0 picks
    a free one)."""
    from microfilm.studio.app import create_app
    # Imported once here, before the fork: the workers share these pages instead of each
    # importing the routes (and FastAPI's models) again as it starts.
    from microfilm.studio.routes import account, api, assist, auth, campaigns, docs, films, watch  # noqa: F401

    factory = factory or create_app
    reserved = listening_socket(host, port, listen=False)
    port = reserved.getsockname()[1]
    prepare(settings)
    children: dict[int, float] = {}  # pid -> when it started
    restarts: list[float] = []
    stopping: list[float] = []  # the deadline, once asked to stop
    supervisor = os.getpid()

    def stop(_signum, _frame) -> None:
        if os.getpid() != supervisor:  # a worker between its fork and its own handlers
            os._exit(0)
        if not stopping:
            stopping.append(time.monotonic() + STOP_GRACE_S)
            for pid in children:
                _signal(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    status = 0
    try:
        for _ in range(max(1, workers)):
            children[_fork(settings, host, port, factory, uvicorn_options)] = time.monotonic()
        if on_listening is not None:
            on_listening(port)
        while children:
            pid, code = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                if stopping and time.monotonic() > stopping[0]:
                    for child in children:
                        _signal(child, signal.SIGKILL)
                time.sleep(0.1)
                continue
            if children.pop(pid, None) is None or stopping:
                continue
            now = time.monotonic()
            restarts[:] = [t for t in restarts if now - t < 60] + [now]
            print(f"microfilm serve: worker {pid} ended ({_describe(code)}); starting another",
                  file=sys.stderr, flush=True)
            if len(restarts) > RESTARTS_PER_MINUTE:
                print("microfilm serve: workers keep ending; stopping the studio", file=sys.stderr, flush=True)
                status = 1
                stop(None, None)
                continue
            children[_fork(settings, host, port, factory, uvicorn_options)] = now
    finally:
        for child in children:
            _signal(child, signal.SIGKILL)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        reserved.close()
    return status


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _describe(code: int) -> str:
    if os.WIFSIGNALED(code):
        return f"signal {os.WTERMSIG(code)}"
    return f"exit status {os.WEXITSTATUS(code)}"
