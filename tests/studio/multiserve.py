"""The studio served the way `microfilm serve --workers N` serves it, for tests and the bench:
the same `workers.serve` (forked processes on one port of 127.0.0.1), the fake pipeline as
the renderer, in a process of its own started by `served()`.

    python -m tests.studio.multiserve --home DIR --workers 2 --cut film.mp4 [--hold FILE] [--log FILE]

prints the port once it is held. Each response says which worker answered it
(`x-worker-pid`), so a test can send requests until another process has answered.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
PID_HEADER = "x-worker-pid"


class WorkerPid:
    """Names the worker process in every response (tests only)."""

    def __init__(self, app):
        self.app = app
        self.pid = str(os.getpid()).encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def named(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (PID_HEADER.encode(), self.pid)]}
            await send(message)

        await self.app(scope, receive, named)


def _factory(settings, recover: bool = True):
    from microfilm.studio import create_app

    app = create_app(settings, recover=recover)
    app.add_middleware(WorkerPid)
    return app


def main(argv: list[str] | None = None) -> int:
    from microfilm.studio import StudioSettings, workers
    from tests.studio.conftest import FakePipeline

    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=workers.default_workers())
    parser.add_argument("--cut", type=Path, required=True)
    parser.add_argument("--hold", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--sse-poll", type=float, default=0.25)
    args = parser.parse_args(argv)
    fake = FakePipeline(cut=args.cut, hold=args.hold, log=args.log)
    settings = StudioSettings(home=args.home, runner=fake, sse_poll_s=args.sse_poll)

    def listening(port: int) -> None:
        print(port, flush=True)

    return workers.serve(settings, "127.0.0.1", 0, args.workers, factory=_factory, on_listening=listening,
                         log_level="warning", timeout_graceful_shutdown=2)


@dataclass
class Served:
    url: str
    port: int
    proc: subprocess.Popen
    hold: Path  # exists: renders wait
    log: Path  # "pid folder" per render

    def hold_renders(self) -> None:
        self.hold.touch()

    def release_renders(self) -> None:
        self.hold.unlink(missing_ok=True)

    def runs(self) -> list[tuple[int, str]]:
        if not self.log.exists():
            return []
        return [(int(pid), folder) for pid, folder in
                (line.split(" ", 1) for line in self.log.read_text("utf-8").splitlines() if line)]

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's stderr (a 500's traceback), for an assertion's message."""
        try:
            return (self.hold.parent / "server.log").read_text("utf-8", "replace")[-chars:]
        except OSError as exc:
            return f"(no server log: {exc})"

    def worker_pids(self) -> set[int]:
        """The live workers: children of the supervisor (Linux /proc)."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return set()
        return {int(p) for p in children.split()}


@contextmanager
def served(home: Path, cut: Path, workers: int, sse_poll_s: float = 0.25) -> Iterator[Served]:
    """The studio in its own processes on 127.0.0.1; stopped (SIGTERM, then SIGKILL of its
    process group) when the block ends. Bounded waits throughout."""
    home.mkdir(parents=True, exist_ok=True)
    hold, log = home / "renders.hold", home / "renders.log"
    errors = (home / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "tests.studio.multiserve", "--home", str(home),
                             "--workers", str(workers), "--cut", str(cut), "--hold", str(hold), "--log", str(log),
                             "--sse-poll", str(sse_poll_s)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, start_new_session=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        line = proc.stdout.readline() if ready else b""
        assert line.strip().isdigit(), f"the studio did not start: {(home / 'server.log').read_text()[-2000:]}"
        port = int(line)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # a loaded shared machine starts processes slowly
        answered: set[str] = set()
        while len(answered) < workers:  # every worker listening (connections spread over them)
            assert proc.poll() is None and time.monotonic() < deadline, (home / "server.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(url + "/watch", timeout=5) as r:
                    answered.add(r.headers[PID_HEADER])
            except OSError:
                time.sleep(0.1)
        yield Served(url=url, port=port, proc=proc, hold=hold, log=log)
    finally:
        hold.unlink(missing_ok=True)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # a worker the supervisor left behind (it was killed)
        except ProcessLookupError:
            pass
        proc.stdout.close()
        errors.close()


if __name__ == "__main__":
    sys.exit(main())
