"""Does a running studio hold under load? A bounded load against one base URL, with figures.

    python -m microfilm.studio.loadcheck < plan.json     # prints the figures as JSON

The plan (`LoadPlan`, JSON on stdin) names the studio's address, the session cookies of
logged-in people, the films they may open and the renders whose progress streams to follow.
The check then measures, in one run so the figures compare on whatever machine it runs:

1. idle: gallery pages (/watch) one after another, nothing else going on;
2. under load: `gallery` anonymous gallery requests (every other one carrying a junk
   `mf_session` cookie, as a careless or hostile client would), `film_pages` logged-in film
   page loads, all sent at once on their own connections, while one server-sent-events
   stream per render stays open; then
3. the gallery's latency under load against idle (p50, p99 and their ratio), and every
   error: a status other than 200, a refused or reset connection, a timeout, a stream that
   broke before it ended.

It is a client only, stdlib asyncio speaking plain HTTP/1.1 (no client library's own cost in
the figures), and meant to run in its own process so it does not share the server's
interpreter lock. The visitor who opens the gallery during the burst is another person's
browser: it runs in a process of its own (`--visitor`, blocking sockets, one request after
another), so its wait is the studio's, not this client's own event loop working through the
burst's 250 responses. Loopback or a host you run; every request has a timeout, so it ends.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import socket
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable

JUNK_COOKIE = "mf_session=" + "x" * 43 + "." + "y" * 22  # the shape of a real token, not one issued


@dataclass(frozen=True)
class LoadPlan:
    host: str
    port: int
    sessions: list[str]  # mf_session cookie values of logged-in people
    films: list[str]  # film public ids, film i opened with sessions[i % len(sessions)]
    streams: list[str]  # "/films/{fid}/jobs/{job}/events" paths, each followed with the film's owner
    stream_sessions: list[str] = field(default_factory=list)  # cookie per stream
    gallery: int = 200
    film_pages: int = 50
    idle_samples: int = 40
    timeout_s: float = 60.0


@dataclass
class Hit:
    kind: str
    status: int
    seconds: float
    error: str = ""
    tag: str = ""  # "junk": sent with a junk session cookie


def cpu_wait_ms(pid: int | str = "self") -> float | None:
    """How long the threads of process `pid` have waited in the run queue for a CPU, in ms
    (Linux's schedstat; None elsewhere). On a machine whose cores are all busy this wait,
    not the studio, is a page's tail: the bench prints it beside the latencies."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat", encoding="ascii") as f:
                    total += int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                continue  # a thread that ended meanwhile
    except OSError:
        return None
    return total / 1e6


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> int:
    if "content-length" in headers:
        n = int(headers["content-length"])
        await reader.readexactly(n)
        return n
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return total
    return len(await reader.read())


def _request(plan: LoadPlan, path: str, cookie: str = "", accept: str = "text/html") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {plan.host}:{plan.port}", f"Accept: {accept}",
             "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _get(plan: LoadPlan, kind: str, path: str, cookie: str = "", tag: str = "") -> Hit:
    """One page on a fresh connection, as a new visitor's browser would fetch it."""
    start = time.perf_counter()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(plan.host, plan.port), plan.timeout_s)
        writer.write(_request(plan, path, cookie))
        await writer.drain()
        status, headers = await asyncio.wait_for(_read_head(reader), plan.timeout_s)
        await asyncio.wait_for(_read_body(reader, headers), plan.timeout_s)
        return Hit(kind, status, time.perf_counter() - start, "" if status == 200 else f"HTTP {status}", tag)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
        return Hit(kind, 0, time.perf_counter() - start, f"{type(exc).__name__}: {exc}", tag)
    finally:
        if writer is not None:
            writer.close()


async def _stream(plan: LoadPlan, path: str, cookie: str, stop: asyncio.Event) -> Hit:
    """Follow one progress stream until `stop` (or its own end); an error if it breaks first."""
    start = time.perf_counter()
    writer = None
    events = 0
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(plan.host, plan.port), plan.timeout_s)
        writer.write(_request(plan, path, cookie, accept="text/event-stream"))
        await writer.drain()
        status, _ = await asyncio.wait_for(_read_head(reader), plan.timeout_s)
        if status != 200:
            return Hit("stream", status, time.perf_counter() - start, f"HTTP {status}")
        while not stop.is_set():
            read = asyncio.ensure_future(reader.read(65536))
            stopped = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({read, stopped}, timeout=plan.timeout_s,
                                         return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if read not in done:
                read.cancel()
                if stop.is_set():
                    break
                return Hit("stream", status, time.perf_counter() - start, "no event or keep-alive in time")
            chunk = read.result()
            if not chunk:
                return Hit("stream", status, time.perf_counter() - start, "stream closed before its end event")
            events += chunk.count(b"event: ")
            if b"event: end" in chunk:
                break
        return Hit("stream", status, time.perf_counter() - start, "" if events else "no event received")
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
        return Hit("stream", 0, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        if writer is not None:
            writer.close()


def _figures(hits: list[Hit]) -> dict:
    times = [h.seconds * 1000 for h in hits if not h.error]
    out = {"n": len(hits), "errors": sum(1 for h in hits if h.error)}
    if times:
        out.update(p50_ms=round(statistics.median(times), 2), p99_ms=round(_percentile(times, 99), 2),
                   p90_ms=round(_percentile(times, 90), 2), p95_ms=round(_percentile(times, 95), 2),
                   max_ms=round(max(times), 2))
        # The three slowest and their place in the sequence: the first requests of a
        # visitor who arrived with the burst, or spread through it?
        slowest = sorted(range(len(hits)), key=lambda i: hits[i].seconds, reverse=True)[:3]
        out["slowest"] = [[i, round(hits[i].seconds * 1000, 2)] for i in sorted(slowest)]
    return out


async def measure(plan: LoadPlan) -> dict:
    """Idle gallery, then everything at once; the figures and the first few errors."""
    visitor = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "microfilm.studio.loadcheck", "--visitor", plan.host, str(plan.port),
        str(plan.timeout_s), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)

    visitor_cpu_wait: dict[str, float | None] = {}

    async def ask(command: str, then: Callable[[], Awaitable] | None = None) -> list[Hit]:
        visitor.stdin.write(command.encode() + b"\n")
        await visitor.stdin.drain()
        if then is not None:
            await then()
            visitor.stdin.write(b"stop\n")
            await visitor.stdin.drain()
        reply = json.loads(await asyncio.wait_for(visitor.stdout.readline(), plan.timeout_s * 2))
        visitor_cpu_wait[command.split()[0]] = reply["cpu_wait_ms"]
        return [Hit("gallery", status, seconds, error) for status, seconds, error in reply["hits"]]

    await ask("idle 1")  # warm-up
    idle = await ask(f"idle {plan.idle_samples}")

    stop = asyncio.Event()
    cookies = plan.stream_sessions or [plan.sessions[0]] * len(plan.streams)
    streams = [asyncio.ensure_future(_stream(plan, path, f"mf_session={cookie}", stop))
               for path, cookie in zip(plan.streams, cookies)]
    await asyncio.sleep(0.2)  # the streams are open before the burst
    started = time.perf_counter()
    burst = [_get(plan, "gallery", "/watch", JUNK_COOKIE if i % 2 else "", tag="junk" if i % 2 else "")
             for i in range(plan.gallery)]
    burst += [_get(plan, "film", f"/films/{plan.films[i % len(plan.films)]}",
                   f"mf_session={plan.sessions[i % len(plan.sessions)]}") for i in range(plan.film_pages)]
    loaded: list[Hit] = []

    async def the_burst() -> None:
        loaded.extend(await asyncio.gather(*burst))

    probed = await ask("go", the_burst)
    load_s = time.perf_counter() - started
    visitor.stdin.write(b"quit\n")
    await visitor.stdin.drain()
    await asyncio.wait_for(visitor.wait(), plan.timeout_s)
    stop.set()
    followed = await asyncio.gather(*streams)

    gallery_idle = _figures(idle)
    gallery_load = _figures([h for h in loaded if h.kind == "gallery"])
    result = {
        "gallery_idle": gallery_idle,
        "gallery_load": gallery_load,
        "gallery_load_junk_cookie": _figures([h for h in loaded if h.kind == "gallery" and h.tag == "junk"]),
        "gallery_probe_load": _figures(probed),
        "film_load": _figures([h for h in loaded if h.kind == "film"]),
        "streams": _figures(list(followed)),
        "load_wall_s": round(load_s, 2),
        # The visitor's own wait for a CPU: idle (all its idle pages) and during the burst.
        "visitor_cpu_wait_ms": visitor_cpu_wait,
        "errors": sum(1 for h in [*idle, *loaded, *probed, *followed] if h.error),
        "first_errors": [f"{h.kind}: {h.error}" for h in [*idle, *loaded, *probed, *followed] if h.error][:5],
    }
    probe = result["gallery_probe_load"]
    if "p50_ms" in gallery_idle and "p99_ms" in probe:
        result["ratio_probe_p99_load_to_p50_idle"] = round(probe["p99_ms"] / gallery_idle["p50_ms"], 2)
        result["ratio_probe_p99_load_to_p99_idle"] = round(probe["p99_ms"] / gallery_idle["p99_ms"], 2)
    if "p50_ms" in gallery_idle and "p99_ms" in gallery_load:
        result["ratio_burst_p99_load_to_p50_idle"] = round(gallery_load["p99_ms"] / gallery_idle["p50_ms"], 2)
    return result


def visit(host: str, port: int, timeout_s: float) -> None:
    """The visitor, driven by commands on stdin, one reply line (JSON: each page's status,
    seconds, error, and how long the visitor waited for a CPU meanwhile) per command: "idle N": N gallery pages one after another; "go": gallery
    pages one after another until "stop" arrives; "quit"."""
    request = (f"GET /watch HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n"
               "Connection: close\r\n\r\n").encode()

    def page() -> tuple[int, float, str]:
        start = time.perf_counter()
        try:
            with socket.create_connection((host, port), timeout=timeout_s) as sock:
                sock.sendall(request)
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
            status = int(data.split(b" ", 2)[1])
            return status, time.perf_counter() - start, "" if status == 200 else f"HTTP {status}"
        except (OSError, ValueError, IndexError) as exc:
            return 0, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"

    while True:
        command = os.read(0, 256).decode().split()  # unbuffered: "stop" is waited for with select
        if not command or command[0] == "quit":
            return
        hits = []
        waited = cpu_wait_ms()
        if command[0] == "idle":
            hits = [page() for _ in range(int(command[1]))]
        elif command[0] == "go":
            while not select.select([0], [], [], 0)[0] and len(hits) < 100_000:
                hits.append(page())
            os.read(0, 256)  # the "stop"
        after = cpu_wait_ms()
        cpu_wait = None if waited is None or after is None else round(after - waited, 1)
        print(json.dumps({"hits": hits, "cpu_wait_ms": cpu_wait}), flush=True)


def main() -> int:
    if sys.argv[1:2] == ["--visitor"]:
        visit(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        return 0
    plan = LoadPlan(**json.load(sys.stdin))
    print(json.dumps(asyncio.run(measure(plan))))
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["LoadPlan", "measure"]
