"""A tiny fake HTTP service on 127.0.0.1 for provider tests: routes, jobs, faults, counters.

Each provider family (tests/fakes/<family>.py) registers its routes on a FakeServer. Jobs
advance by polls (queued -> running -> succeeded) so tests never sleep for progress. Faults
are queued per route name and consumed in order: "429" (with Retry-After), "500",
"timeout" (the handler stalls past the client's timeout), "refuse" (content policy),
"truncate" (a download whose body is cut), "fail" (the job fails). Everything is bounded:
loopback only, a daemon thread, stalls of at most a few seconds.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

STALL_S = 2.5  # a "timeout" fault stalls this long; tests set client timeouts below it


@dataclass
class Req:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def form(self) -> dict[str, bytes]:
        """The fields of a multipart/form-data body (files and plain values alike)."""
        fields: dict[str, bytes] = {}
        for name, value in self.form_parts():
            fields.setdefault(name, value)
        return fields

    def form_parts(self) -> list[tuple[str, bytes]]:
        """Every part of a multipart/form-data body in order, repeated names included
        (image[] sends one part per file)."""
        from email.parser import BytesParser
        from email.policy import HTTP

        head = f"Content-Type: {self.header('content-type')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + self.body)
        return [(name, part.get_payload(decode=True) or b"") for part in message.iter_parts()
                if (name := part.get_param("name", header="content-disposition"))]


@dataclass
class Resp:
    status: int = 200
    body: Any = None  # dict/list -> JSON, bytes -> raw
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Job:
    id: str
    kind: str
    params: dict
    polls: int = 0
    polls_to_finish: int = 2
    outcome: str = "succeeded"  # or "failed", "refused"
    media: bytes = b""
    ended: bool = False  # counted out of FakeServer.in_flight

    def status(self) -> str:
        if self.polls <= 0:
            return "queued"
        if self.polls < self.polls_to_finish:
            return "running"
        return self.outcome


class FakeServer:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, str, Callable[[Req], Resp]]] = []
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[float, str, str, dict[str, str]]] = []
        self.jobs: dict[str, Job] = {}
        self.idempotent: dict[str, str] = {}
        self.lock = threading.Lock()
        self.polls_to_finish = 2
        # jobs made and not yet polled to an end, and the most at once: how many calls a
        # client really had out with this provider
        self.in_flight = 0
        self.peak_in_flight = 0
        # A test can hold new jobs back (`hold_new_jobs`) to kill a client at a moment when no
        # job is half made; jobs held then are dropped when it lets go (`drop_held_jobs`).
        self._held = threading.Event()
        self._hold_generation = 0
        self._httpd: ThreadingHTTPServer | None = None
        self.base_url = ""

    # routes and faults ------------------------------------------------------------
    def route(self, method: str, pattern: str, name: str) -> Callable:
        def deco(fn: Callable[[Req], Resp]) -> Callable[[Req], Resp]:
            self.routes.append((method, re.compile(f"^{pattern}$"), name, fn))
            return fn
        return deco

    def inject(self, name: str, *faults: str) -> None:
        with self.lock:
            self.faults[name].extend(faults)

    def _take_fault(self, name: str) -> str | None:
        with self.lock:
            queue = self.faults.get(name)
            return queue.pop(0) if queue else None

    def take_fault(self, name: str, kind: str) -> bool:
        """Consume a pending fault of `kind` for `name` (used by handlers for job outcomes)."""
        with self.lock:
            queue = self.faults.get(name)
            if queue and queue[0] == kind:
                queue.pop(0)
                return True
        return False

    # jobs -------------------------------------------------------------------------
    def new_job(self, kind: str, params: dict, *, idem: str = "", media: bytes = b"",
                prefix: str = "job") -> tuple[Job, bool]:
        """Create a job (or return the one made under the same idempotency key)."""
        generation = self._hold_generation
        deadline = time.monotonic() + 60  # bounded: a test that forgets to let go still ends
        while self._held.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        if generation != self._hold_generation:  # its client was killed while it was held
            raise ConnectionAbortedError("job dropped: its client was killed while it was held")
        with self.lock:
            if idem and idem in self.idempotent:
                return self.jobs[self.idempotent[idem]], False
            job = Job(id=f"{prefix}-{uuid.uuid4().hex[:12]}", kind=kind, params=params,
                      polls_to_finish=self.polls_to_finish, media=media)
            self.jobs[job.id] = job
            if idem:
                self.idempotent[idem] = job.id
            self.counts["jobs_created"] += 1
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            return job, True

    def hold_new_jobs(self) -> None:
        self._held.set()

    def drop_held_jobs(self) -> None:
        """Requests held since `hold_new_jobs` make no job; later ones are served."""
        self._hold_generation += 1
        self._held.clear()

    def poll(self, job_id: str) -> Job | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is not None:
                job.polls += 1
                if not job.ended and job.status() not in ("queued", "running"):
                    job.ended = True
                    self.in_flight -= 1
            return job

    # serving ----------------------------------------------------------------------
    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                for method, pattern, name, fn in server.routes:
                    m = pattern.match(parts.path)
                    if method == self.command and m:
                        break
                else:
                    self._send(Resp(404, {"error": {"message": f"no route {self.command} {parts.path}"}}))
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server.lock:
                    server.counts[name] += 1
                    server.log.append((time.monotonic(), name, parts.path, headers))
                fault = server._take_fault(name)
                if fault == "429":
                    self._send(Resp(429, {"error": {"message": "rate limited", "code": "rate_limit"}},
                                    {"Retry-After": "1"}))
                    return
                if fault == "500":
                    self._send(Resp(500, {"error": {"message": "internal error"}}))
                    return
                if fault == "timeout":
                    time.sleep(STALL_S)
                    try:
                        self._send(Resp(503, {"error": {"message": "late"}}))
                    except OSError:
                        pass
                    return
                if fault is not None:  # a fault the handler itself interprets
                    with server.lock:
                        server.faults[name].insert(0, fault)
                req = Req(self.command, parts.path, parse_qs(parts.query), headers, body, m)
                try:
                    resp = fn(req)
                except Exception as exc:  # a bug in a fake: show it as a 599
                    resp = Resp(599, {"error": {"message": f"fake crashed: {exc!r}"}})
                self._send(resp)

            def _send(self, resp: Resp) -> None:
                if isinstance(resp.body, (bytes, bytearray)):
                    data, ctype = bytes(resp.body), resp.content_type
                else:
                    data, ctype = json.dumps(resp.body if resp.body is not None else {}).encode(), "application/json"
                self.send_response(resp.status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(resp.headers.pop("X-Declared-Length", len(data))))
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                if resp.headers.get("Connection") == "close":
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return self.base_url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> "FakeServer":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # downloads ----------------------------------------------------------------------
    def media_response(self, name: str, data: bytes, content_type: str) -> Resp:
        """Serve `data`, or a cut copy when a "truncate" fault is queued for `name`."""
        if self.take_fault(name, "truncate"):
            return Resp(200, data[: len(data) * 2 // 5], content_type=content_type)
        return Resp(200, data, content_type=content_type)
