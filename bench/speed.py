"""Speed on one machine (issue 14 point 4): `make` against the encoder's floor, and the paid
path against its latency bound, measured in one run.

(a) `make` of a house film (60 s by default), research to master, each stage timed (wall and
    CPU seconds: self + children, so ffmpeg counts), every ffmpeg call logged
    (ffmpeg.CALL_LOG_ENV) so the x264 encodes are counted and named; then the
    floor: one x264 encode of that film's own picture (1080x1920, same frames) at the
    master's settings (ffmpeg.video_encode_args). Target: make <= 1.3x the floor.
(b) the paid path: a film whose animator is a fake paid provider (in process, through
    providers/jobs.py: ledger, submit, poll) whose every clip takes L seconds and which
    declares a concurrency C. Generate runs once with L = 0 (keyframes, voices, score and
    cover made and cached), then again under a new provider version (new clip keys, so the
    N clips are submitted again, everything else from the cache), timed. Target: generate
    <= 1.1 x ceil(N / C) x L.

Wall seconds depend on what else the machine does: the load average is printed before and
after, and CPU seconds are the figures to compare across runs.

    .venv/bin/python bench/speed.py                    # 10-15 min on 2 shared cores
    .venv/bin/python bench/speed.py --duration 30 --latency 2 --concurrency 4
    .venv/bin/python bench/speed.py --skip-make        # (b) only
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microfilm import api, pipeline  # noqa: E402
from microfilm.media import ffmpeg  # noqa: E402
from microfilm.media.probe import count_frames  # noqa: E402
from microfilm.providers import registry  # noqa: E402
from microfilm.providers.base import (  # noqa: E402
    AnimateRequest, Capabilities, ClipResult, Price, ProviderInfo,
)
from microfilm.providers.jobs import JobState, JobStatus, PaidProvider  # noqa: E402
from microfilm.spec.storyboard import Storyboard  # noqa: E402

TARGET_FLOOR_RATIO = 1.3
TARGET_LATENCY_RATIO = 1.1


def cpu_s() -> float:
    """CPU seconds of this process and every child it waited for (ffmpeg, espeak)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


# ---- (a) make against the floor ---------------------------------------------------------------

def x264_encodes(log: Path) -> dict[str, int]:
    """The logged x264 encodes by what they made (their output path names the asset kind)."""
    kinds: dict[str, int] = {}
    for argv in ffmpeg.logged_calls(log):
        if "libx264" not in argv:
            continue
        out = argv[-1]
        kind = ("segment" if "/segment/" in out else "transition window" if "/transitions/" in out
                or "/.join." in out else "clip" if "/clip" in out else "other: " + Path(out).name)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


FFMPEG_TIMED = r"""#!/bin/bash
# bench/speed.py's ffmpeg: the real one (its stdout and stderr untouched), then one log line:
# its user and system CPU seconds, then its argv, fields split by 0x1f
exec 3>&2 4>&1
TIMEFORMAT='%U %S'
t=$( { time "$BENCH_REAL_FFMPEG" "$@" 2>&3 1>&4 ; } 2>&1 )
rc=$?
line="$t"
for a in "$@"; do line+=$'\x1f'"$a"; done
printf '%s\n' "$line" >> "$BENCH_FFMPEG_CPU_LOG"
exit $rc
"""


def timed_ffmpeg(work: Path) -> Path:
    """Route every ffmpeg call through a shell that logs the call's own CPU seconds (bash's
    `time` of its one child), so CPU can be told per kind of call even when calls overlap
    in threads (a getrusage delta around a call would count its neighbours too)."""
    shim = work / "ffmpeg-timed"
    shim.write_text(FFMPEG_TIMED, encoding="utf-8")
    shim.chmod(0o755)
    log = work / "ffmpeg-cpu.log"
    os.environ["BENCH_REAL_FFMPEG"] = ffmpeg.ffmpeg_exe()
    os.environ["BENCH_FFMPEG_CPU_LOG"] = str(log)
    os.environ["IMAGEIO_FFMPEG_EXE"] = str(shim)
    ffmpeg.ffmpeg_exe.cache_clear()
    return log


def call_kind(argv: list[str]) -> str:
    """What an ffmpeg call did, from its argv (output path and filters)."""
    out = argv[-1] if argv else ""
    graph = " ".join(argv)
    if "libx264" in argv:
        if "/segment/" in out:
            return "x264: segment" + (" (house shot, frames piped)" if "pipe:0" in argv else "")
        if "/transitions/" in out or "/.join." in out:
            return "x264: transition window"
        return "x264: clip" if "/clip" in out else "x264: other"
    if "-f" in argv and argv[argv.index("-f") + 1] == "segment":
        return "split (stream copy)"
    if "concat" in argv and "copy" in argv:
        return "concat (stream copy)"
    if "aac" in argv:
        return "mux (AAC encode)" + (" of the teaser" if "/.teaser." in graph else " of the film")
    if "blackdetect" in graph:
        return "QC decode pass (every frame and packet)"
    if "alimiter" in graph or "amix" in graph or "sidechaincompress" in graph:
        return "mix: premix and loudness renders"
    if "ebur128" in graph:
        return "loudness measure"
    if "/.teaser." in out:
        return "teaser sound"
    return "other: " + Path(out).name[:30]


def cpu_by_call(log: Path) -> dict[str, tuple[int, float]]:
    """(calls, CPU s) per call kind from timed_ffmpeg's log."""
    kinds: dict[str, tuple[int, float]] = {}
    if not log.exists():
        return kinds
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        times, *argv = line.split("\x1f")
        user, sys_ = (float(t) for t in times.split())
        n, c = kinds.get(call_kind(argv), (0, 0.0))
        kinds[call_kind(argv)] = (n + 1, c + user + sys_)
    return kinds


class _Timed:
    """A stage module whose run() is timed (wall and CPU) into `times`."""

    def __init__(self, module: Any, times: dict[str, tuple[float, float]]):
        self._module, self._times = module, times

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def run(self, ctx: Any) -> Any:
        w0, c0 = time.perf_counter(), cpu_s()
        try:
            return self._module.run(ctx)
        finally:
            self._times[self._module.NAME] = (time.perf_counter() - w0, cpu_s() - c0)


def bench_make(work: Path, duration: int, genre: str, language: str, seed: int) -> dict:
    log = work / "ffmpeg-calls.jsonl"
    os.environ[ffmpeg.CALL_LOG_ENV] = str(log)  # every ffmpeg argv, to count the encodes
    cpu_log = timed_ffmpeg(work)
    root = api.new(work / "film", title="最后一班车" if language == "zh" else "The Last Bus",
                   genre=genre, logline="一个从不说爱的父亲，每晚都在末班车站等女儿。" if language == "zh"
                   else "A father who never says love waits at the last bus stop every night.",
                   language=language, duration=duration, seed=seed)
    times: dict[str, tuple[float, float]] = {}
    saved = dict(pipeline.STAGES)
    pipeline.STAGES.update({k: _Timed(m, times) for k, m in saved.items()})  # type: ignore[misc]
    try:
        w0, c0 = time.perf_counter(), cpu_s()
        api.make(root)
        make_wall, make_cpu = time.perf_counter() - w0, cpu_s() - c0
    finally:
        pipeline.STAGES.update(saved)
    encodes = x264_encodes(log)
    calls = cpu_by_call(cpu_log)
    film = root / "out" / "film.mp4"
    board = Storyboard.load(root / "storyboard.yaml")
    frames = count_frames(film)
    # the floor: one x264 encode of the same picture at the master's settings
    floor_out = work / "floor.mp4"
    w0, c0 = time.perf_counter(), cpu_s()
    ffmpeg.run(["-i", str(film), "-map", "0:v:0", "-an", *ffmpeg.video_encode_args(board.fps),
                "-f", "mp4", str(floor_out)], what="the floor encode")
    floor_wall, floor_cpu = time.perf_counter() - w0, cpu_s() - c0
    if count_frames(floor_out) != frames:
        raise SystemExit(f"the floor encode made {count_frames(floor_out)} frames, not {frames}")
    return dict(root=root, shots=len(board.shots), seconds=board.duration, frames=frames,
                size=f"{board.width}x{board.height}", make=(make_wall, make_cpu),
                floor=(floor_wall, floor_cpu), stages=times, encodes=encodes, calls=calls)


def report_make(r: dict) -> bool:
    mw, mc = r["make"]
    fw, fc = r["floor"]
    print(f"\n(a) make of a {r['seconds']:.1f} s house film ({r['shots']} shots, {r['frames']} "
          f"frames, {r['size']}) against one x264 encode of its picture (the floor)")
    print(f"  {'':28s} {'wall s':>8s} {'CPU s':>8s}")
    for name, (w, c) in r["stages"].items():
        print(f"  {'  ' + name:28s} {w:8.1f} {c:8.1f}")
    print(f"  {'make (all stages)':28s} {mw:8.1f} {mc:8.1f}")
    print(f"  {'floor: one x264 encode':28s} {fw:8.1f} {fc:8.1f}")
    ok = mc <= TARGET_FLOOR_RATIO * fc  # CPU: wall depends on what else the machine runs
    print(f"  make / floor: {mw / fw:.2f}x wall, {mc / fc:.2f}x CPU "
          f"(target <= {TARGET_FLOOR_RATIO}x CPU: {'met' if ok else 'NOT met'})")
    print(f"  ffmpeg CPU s by kind of call during make (the rest is Python: drawing, "
          f"probing, voices):")
    for kind, (n, c) in sorted(r["calls"].items(), key=lambda kv: -kv[1][1]):
        print(f"    {kind:40s} {n:4d} calls {c:8.1f}")
    total = sum(c for _, c in r["calls"].values())
    print(f"    {'all ffmpeg calls':40s} {sum(n for n, _ in r['calls'].values()):4d} calls "
          f"{total:8.1f} (of {mc:.1f}; the floor encode not included)")
    print("  x264 encodes during make: " + ", ".join(f"{n} {k}" for k, n in r["encodes"].items())
          + f" (for {r['shots']} shots)")
    return ok


# ---- (b) the paid path against its latency bound ------------------------------------------------

class LatencyAnimator(PaidProvider):
    """A paid animator that takes `latency` seconds per clip, `concurrency` at once declared.
    Its clip is one pre-rendered file of the film's size (so media_check copies it)."""

    latency: ClassVar[float] = 0.0
    clip: ClassVar[Path]
    poll_every_s: ClassVar[float] = 0.05
    info: ClassVar[ProviderInfo]
    _lock = threading.Lock()
    _jobs: ClassVar[dict[str, float]] = {}
    ready: ClassVar[dict[str, float]] = {}  # job -> when a poll first saw it finished
    in_flight: ClassVar[int] = 0
    most_in_flight: ClassVar[int] = 0

    @classmethod
    def declare(cls, version: str, concurrency: int) -> None:
        cls.info = ProviderInfo(
            id="bench-latency-animator", capability="animator", model="latency", version=version,
            is_async=True, paid=True, price=Price(unit="call", amount=0.01),
            capabilities=Capabilities(concurrency=concurrency))
        registry.entries()[cls.info.id] = registry.Entry(cls.info.id, cls, cls.info)

    def submit(self, request: AnimateRequest, idempotency_key: str = "") -> str:
        with self._lock:
            job = f"job-{len(self._jobs)}"
            self._jobs[job] = time.monotonic()
            type(self).in_flight += 1
            type(self).most_in_flight = max(self.most_in_flight, self.in_flight)
        return job

    def poll(self, job_id: str) -> JobState:
        if time.monotonic() - self._jobs[job_id] < self.latency:
            return JobState(JobStatus.RUNNING)
        with self._lock:
            if job_id not in self.ready:
                self.ready[job_id] = time.monotonic()
                type(self).in_flight -= 1
        return JobState(JobStatus.SUCCEEDED, 1.0, result_ref=job_id)

    def fetch(self, job_id: str, state: JobState, out: Path) -> ClipResult:
        shutil.copyfile(self.clip, out)
        return ClipResult(path=out, duration=0.0, has_audio=False)


def bench_paid(work: Path, latency: float, concurrency: int, duration: int, seed: int) -> dict:
    root = api.new(work / "paid", title="The Paid Shots", genre="youth-romance",
                   logline="Two strangers share an umbrella at a bus stop.", language="en",
                   duration=duration, seed=seed, budget=1000, currency="USD")
    toml = root / "film.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    .replace('animator = "house-animator"', 'animator = "bench-latency-animator"')
                    .replace("[settings]", "[settings]\napprove_before_animating = false"),
                    encoding="utf-8")
    api.make(root, stages=["research", "develop", "board"])
    board = Storyboard.load(root / "storyboard.yaml")
    longest = max(s.duration for s in board.shots) + 1
    LatencyAnimator.clip = work / "paid-clip.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", f"color=gray:size={board.width}x{board.height}:rate={board.fps}"
                f":duration={longest}", *ffmpeg.video_encode_args(board.fps), "-an",
                str(LatencyAnimator.clip)], what="the fake animator's clip")
    LatencyAnimator.latency = 0.0
    LatencyAnimator.declare("warm", concurrency)
    api.make(root, stages=["generate"])  # keyframes, voices, score, cover: now cached
    LatencyAnimator.latency = latency
    LatencyAnimator.most_in_flight = 0
    LatencyAnimator.declare("timed", concurrency)  # new clip keys: every clip submitted again
    submitted = len(LatencyAnimator._jobs)
    w0 = time.perf_counter()
    api.make(root, stages=["generate"])
    wall = time.perf_counter() - w0
    jobs = list(LatencyAnimator._jobs)[submitted:]
    n = len(jobs)
    span = (max(LatencyAnimator.ready[j] for j in jobs) - min(LatencyAnimator._jobs[j] for j in jobs)
            if n else 0.0)
    return dict(n=n, wall=wall, span=span, latency=latency, concurrency=concurrency,
                most=LatencyAnimator.most_in_flight, workers=os.cpu_count() or 1)


def report_paid(r: dict) -> bool:
    bound = math.ceil(r["n"] / r["concurrency"]) * r["latency"]
    ok = r["wall"] <= TARGET_LATENCY_RATIO * bound
    one_pool = math.ceil(r["n"] / r["workers"]) * r["latency"]
    print(f"\n(b) paid path: {r['n']} clips from a fake animator of latency {r['latency']:.1f} s "
          f"declaring concurrency {r['concurrency']} (at most {r['most']} were in flight)")
    print(f"  generate wall {r['wall']:.1f} s; ceil(N/C) x L = {bound:.1f} s; ratio "
          f"{r['wall'] / bound:.2f}x (target <= {TARGET_LATENCY_RATIO}x: {'met' if ok else 'NOT met'})")
    print(f"  dispatch: first submit to the last job seen finished {r['span']:.1f} s "
          f"({r['span'] / bound:.2f}x); the rest is checking the clips (media_check decodes "
          "every frame) and generate's own work")
    print(f"  (one pool sized to the {r['workers']} cores would need at least {one_pool:.1f} s)")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=60, help="the house film's seconds")
    ap.add_argument("--genre", default="touching-family")
    ap.add_argument("--language", default="zh")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--latency", type=float, default=10.0, help="L: seconds per paid clip")
    ap.add_argument("--concurrency", type=int, default=4, help="C: the provider's declared concurrency")
    ap.add_argument("--paid-duration", type=int, default=60, help="the paid film's seconds (sets N)")
    ap.add_argument("--skip-make", action="store_true")
    ap.add_argument("--skip-paid", action="store_true")
    ap.add_argument("--keep", type=Path, help="work here and keep the films")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="microfilm-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench/speed.py: {load()} at start")
    ok = True
    try:
        if not args.skip_make:
            ok &= report_make(bench_make(work, args.duration, args.genre, args.language, args.seed))
        if not args.skip_paid:
            ok &= report_paid(bench_paid(work, args.latency, args.concurrency, args.paid_duration,
                                         args.seed))
    finally:
        print(f"\n{load()} at the end")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
