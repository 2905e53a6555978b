"""Bench: what pinning x264's thread count (ffmpeg.X264_THREADS) costs against ffmpeg's own
choice (1.5 x the CPUs the process may use), in one run, on this machine.

    .venv/bin/python bench/x264_threads.py [--rounds 5] [--seconds 4] [--one-cpu] [--work DIR]

Why it exists: x264's bytes depend on its thread count, so every encode pins it (a film made
on a cluster of unlike machines is then byte-identical to one made here); this measures the
price of the pin where it differs most from the default, a small machine.

What it encodes: one real segment (`segments.segment_args`: 1080x1920, 30 fps, subtitles and
the AI label burned in) from a synthetic moving clip, made once and not measured. Each round
encodes it with the pin and with every `-threads` removed (ffmpeg's default), in alternating
order; each encode is its own ffmpeg whose wall time, CPU seconds (self + threads, from
wait4) and peak RSS are read. Printed: the medians, the ratios pinned / default, and whether
the pinned bytes are the same when the encoder may use one CPU or all of them (the default's
are not, where the machine has more than one). `--one-cpu` runs every encode on one CPU (a
one-CPU node of a cluster), where the default is 1 thread and the pin the most different.
On a shared machine the wall clock depends on everybody's load; the CPU seconds much less.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from microfilm.media import ffmpeg, segments, subtitles  # noqa: E402
from microfilm.media.fonts import find_font  # noqa: E402

W, H, FPS = 1080, 1920, 30


def source_clip(work: Path, seconds: float) -> Path:
    clip = work / f"source-{seconds:g}s.mp4"
    if not clip.exists():
        graph = (f"testsrc2=s={W}x{H}:r={FPS}:d={seconds + 1}[a];"
                 f"gradients=s={W}x{H}:r={FPS}:d={seconds + 1}:speed=0.02:seed=3:n=3[b];"
                 "[a][b]blend=all_mode=overlay:all_opacity=0.45,format=yuv420p[v]")
        ffmpeg.run(["-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset",
                    "veryfast", "-crf", "18", "-an", str(clip)], what="bench source clip")
    return clip


def without_threads(args: list[str]) -> list[str]:
    """`args` with every `-threads N` pair removed: ffmpeg's own choice."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a == "-threads":
            skip = True
        else:
            out.append(a)
    return out


def encode(args: list[str], out: Path, cpus: set[int] | None = None) -> dict:
    argv = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args, str(out)]
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=pin)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status:
        raise SystemExit(f"x264 threads bench: ffmpeg failed: {' '.join(argv)}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "sha": hashlib.sha256(out.read_bytes()).hexdigest()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=4.0, help="the segment's length")
    ap.add_argument("--one-cpu", action="store_true", help="every encode on one CPU")
    ap.add_argument("--work", type=Path, default=None)
    opts = ap.parse_args()
    if opts.one_cpu:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    work = opts.work or Path(tempfile.mkdtemp(prefix="x264threads"))
    work.mkdir(parents=True, exist_ok=True)
    clip = source_clip(work, opts.seconds)
    cue = subtitles.Cue(0.3, opts.seconds - 0.5, "两个陌生人在车站共用一把伞。")
    ass = subtitles.write_ass([cue], work / "cue.ass", width=W, height=H, language="zh",
                              font=find_font(cjk=True))
    spec = segments.SegmentSpec(source=clip, out=work / "seg.mp4", duration=opts.seconds,
                                width=W, height=H, fps=FPS, ass=ass, label="AI生成")
    pinned = segments.segment_args(spec)
    variants = {"pinned": pinned, "default": without_threads(pinned)}
    cpus = len(os.sched_getaffinity(0))
    print(f"x264 threads bench: one {opts.seconds:g} s {W}x{H} segment, {opts.rounds} rounds, "
          f"{cpus} CPUs; pinned = {ffmpeg.X264_THREADS} threads, default = ffmpeg's own "
          f"(1.5 x {cpus} CPUs)")
    runs: dict[str, list[dict]] = {k: [] for k in variants}
    for r in range(opts.rounds):
        order = list(variants) if r % 2 == 0 else list(variants)[::-1]
        for name in order:
            runs[name].append(encode(variants[name], work / f"{name}.mp4"))
    med = {k: {m: statistics.median(x[m] for x in v) for m in ("wall_s", "cpu_s", "peak_mb")}
           for k, v in runs.items()}
    for k, m in med.items():
        print(f"  {k:8s} wall {m['wall_s']:.2f} s  cpu {m['cpu_s']:.2f} s  "
              f"peak {m['peak_mb']:.0f} MB  (medians)")
    p, d = med["pinned"], med["default"]
    print(f"  pinned / default: wall {p['wall_s'] / d['wall_s']:.3f}x, cpu "
          f"{p['cpu_s'] / d['cpu_s']:.3f}x, peak memory {p['peak_mb'] / d['peak_mb']:.3f}x")
    if cpus > 1:
        one = {k: encode(v, work / f"{k}-1cpu.mp4", {min(os.sched_getaffinity(0))})["sha"]
               for k, v in variants.items()}
        for k in variants:
            same = one[k] == runs[k][0]["sha"]
            print(f"  {k:8s} bytes on 1 CPU {'==' if same else '!='} bytes on {cpus} CPUs")


if __name__ == "__main__":
    main()
