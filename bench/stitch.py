"""Bench: microfilm's master path against a MoviePy 2 concatenate-and-write, in one run.

    .venv/bin/python bench/stitch.py [--minutes 10] [--quick] [--work DIR] [--json FILE]

What it makes (seeded, so every run builds the same film): a pool of synthetic 1080x1920
30 fps H.264 shot clips (testsrc2 with a moving, hue-cycling gradient: real motion for the
encoder), speech-like voice WAVs (harmonic tones with a syllable envelope) and a continuous
score. A film plan draws 4-8 s shots from the pool, one dialogue line in most shots (a cue
timed to its voice, Chinese text, so libass and Pillow draw CJK), and a dissolve or a fade
through black at about a third of the joins.

What it measures, each case in a fresh child process (so `getrusage` reports that case's
own peaks; a psutil sampler also watches the whole process tree every 50 ms):

- microfilm, 1 min and N min: the real media functions, nothing reimplemented: per-shot ASS
  (`subtitles.write_ass` + `cues_for_window`) burned in at `segments.encode_segment`, run in
  a thread pool sized to the cores; `segments.join_with_transitions` (stream copy, only the
  transitions re-encoded); `audio.render_mix`; `master.mux` with `master.label_metadata`.
- re-master after one shot changed: that shot gets another clip and another line (voice and
  cue), then only its segment is re-encoded, and the join, the mix and the mux are redone.
- QC of the N-minute master (`qc.run_qc`), reported apart from the master.
- the floor: the same 1-minute frames through one plain ffmpeg + libx264 encode at
  microfilm's settings (no subtitles, label, sound or parallelism): what any tool that
  re-encodes the picture must pay at least.
- a threads probe: peak RSS of one real segment encode as x264's thread count grows (what
  ffmpeg's default of 1.5 x cores threads costs on a bigger machine), and a presets probe:
  CPU seconds and size of one real segment at other x264 presets.

Every case also reports its CPU seconds (getrusage, self + children): on a shared machine
the wall clock depends on everybody's load, the CPU seconds much less.
- MoviePy 2: VideoFileClip.subclipped per shot, concatenate_videoclips, every cue and the
  AI label as a TextClip over it (CompositeVideoClip), voices + score as a
  CompositeAudioClip, write_videofile(libx264, aac). Twice: with microfilm's x264 settings
  (veryfast, crf 20: the like-for-like figure) and with MoviePy's own defaults (preset
  medium). MoviePy runs on the 1-minute film; its N-minute figure is extrapolated linearly
  (MoviePy's work is per frame) and labelled as such, unless --moviepy-full.

Peak memory: the largest single process (the bench's Python process or any child, ffmpeg
included), from getrusage(RUSAGE_SELF / RUSAGE_CHILDREN).ru_maxrss (exact for processes that
ended) and the psutil sampler (catches children still running); the sum over the tree at
its largest is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from microfilm.media import ffmpeg  # noqa: E402

W, H, FPS = 1080, 1920, 30
POOL_CLIPS = 12
POOL_CLIP_S = 10.0
POOL_VOICES = 10
LABEL = "AI生成"
LANGUAGE = "zh"
LINES = [
    "妈，我回来了。", "你怎么又不吃早饭？", "这条路，我们小时候天天走。",
    "别担心，一切都会好起来的。", "爸爸的自行车还在车库里。", "我明天一早就得回城里上班。",
    "这张照片是哪一年拍的？", "你还记得外婆做的饺子吗？", "雨停了，我们出去走走吧。",
    "谢谢你一直等着我。", "我给你带了一条围巾。", "今年过年，全家人都能回来。",
]
TRANSITIONS = (("dissolve", 0.6), ("fade", 0.8))


# ------------------------------------------------------------------------------ the film plan

@dataclass(frozen=True)
class Shot:
    index: int
    start: float  # in the film
    duration: float
    clip: int  # index into the clip pool
    clip_start: float
    transition: str  # how it joins the previous shot ("cut" for the first)
    transition_s: float
    line: int | None  # index into the voice pool
    line_at: float  # seconds into the shot where the line starts
    text: str


@dataclass(frozen=True)
class Plan:
    seconds: float
    shots: list[Shot]


def frames(seconds: float) -> int:
    return int(round(seconds * FPS))


def make_plan(seconds: float, voice_s: list[float], seed: int = 7) -> Plan:
    """Shots of 4-8 s (whole frames) filling exactly `seconds`; most with one line."""
    rng = random.Random(seed)
    total = frames(seconds)
    lens: list[int] = []
    while sum(lens) < total:
        lens.append(frames(rng.uniform(4.0, 8.0)))
    over = sum(lens) - total
    lens[-1] -= over
    if lens[-1] < frames(2.0):  # too short a last shot: give it to the one before
        tail = lens.pop()
        lens[-1] += tail
    shots, t = [], 0
    for i, n in enumerate(lens):
        dur = n / FPS
        kind, ts = ("cut", 0.0)
        if i > 0 and rng.random() < 0.33:
            kind, ts = rng.choice(TRANSITIONS)
        line = rng.randrange(POOL_VOICES) if rng.random() < 0.85 else None
        at = round(rng.uniform(0.4, 1.0), 3)
        if line is not None and at + voice_s[line] > dur - 0.4:
            line = None
        clip_start = round(rng.uniform(0.0, max(0.0, POOL_CLIP_S - dur - 0.1)), 3)
        shots.append(Shot(i, t / FPS, dur, rng.randrange(POOL_CLIPS), clip_start, kind, ts,
                          line, at, rng.choice(LINES) if line is not None else ""))
        t += n
    return Plan(seconds=total / FPS, shots=shots)


# ------------------------------------------------------------------------------ source media

def make_pool(work: Path) -> dict:
    """The clip, voice and score files every case reads (made once, not measured)."""
    pool = work / "pool"
    pool.mkdir(parents=True, exist_ok=True)
    clips = []
    for k in range(POOL_CLIPS):
        path = pool / f"clip{k:02d}.mp4"
        clips.append(path)
        if path.exists():
            continue
        src = (f"testsrc2=s={W}x{H}:r={FPS}:d={POOL_CLIP_S},"
               f"hue=h=t*36+{k * 30}:s=1.{k % 5}")
        grad = (f"gradients=s={W}x{H}:r={FPS}:d={POOL_CLIP_S}:speed=0.02:seed={k}:n=3")
        graph = (f"{src}[a];{grad}[b];[a][b]blend=all_mode=overlay:all_opacity=0.45,"
                 "format=yuv420p[v]")
        tmp = path.with_suffix(".tmp.mp4")
        ffmpeg.run(["-filter_complex", graph, "-map", "[v]", "-c:v", "libx264",
                    "-preset", "veryfast", "-crf", "18", "-g", "60", "-an", str(tmp)],
                   what=f"pool clip {k}")
        tmp.replace(path)
    voices, voice_s = [], []
    rng = random.Random(11)
    for k in range(POOL_VOICES):
        dur = round(rng.uniform(1.4, 3.0), 2)
        f0 = rng.choice([110, 130, 180, 220])
        path = pool / f"voice{k:02d}.wav"
        voices.append(path)
        voice_s.append(dur)
        if path.exists():
            continue
        syll = rng.uniform(3.5, 5.5)
        expr = (f"(0.5*sin(2*PI*{f0}*t)+0.3*sin(2*PI*{2 * f0}*t)+0.2*sin(2*PI*{3 * f0}*t))"
                f"*(0.55+0.45*sin(2*PI*{syll:.2f}*t))*0.5")
        tmp = path.with_suffix(".tmp.wav")
        ffmpeg.run(["-f", "lavfi", "-i", f"aevalsrc={expr}:s=24000:d={dur}", "-ac", "1",
                    str(tmp)], what=f"voice {k}")
        tmp.replace(path)
    return {"clips": clips, "voices": voices, "voice_s": voice_s}


def make_score(work: Path, seconds: float) -> Path:
    path = work / "pool" / f"score_{seconds:.0f}s.wav"
    if not path.exists():
        tmp = path.with_suffix(".tmp.wav")
        ffmpeg.run(["-f", "lavfi", "-i", f"anoisesrc=c=pink:r=48000:a=0.08:d={seconds + 1}",
                    "-f", "lavfi", "-i",
                    f"aevalsrc=0.15*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.2*t)):s=48000"
                    f":d={seconds + 1}",
                    "-filter_complex", "[0:a][1:a]amix=inputs=2:normalize=0,"
                    "aformat=channel_layouts=stereo", "-c:a", "pcm_s16le", str(tmp)],
                   what="score")
        tmp.replace(path)
    return path


def film_cues(plan: Plan, voice_s: list[float]):
    from microfilm.media.subtitles import Cue

    cues = []
    for s in plan.shots:
        if s.line is None:
            continue
        start = s.start + s.line_at
        end = min(start + voice_s[s.line] + 0.3, s.start + s.duration - 0.05)
        cues.append(Cue(round(start, 3), round(end, 3), s.text))
    return cues


# ------------------------------------------------------------------------------ memory watch

class Watch:
    """Samples RSS of this process and every descendant every `period` seconds."""

    def __init__(self, period: float = 0.05):
        import psutil

        self._psutil = psutil
        self.period = period
        self.peak_proc: dict[str, float] = {}  # "name pid" -> peak RSS MB
        self.peak_tree_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _cpu() -> float:
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def __enter__(self) -> "Watch":
        self._t0, self._cpu0 = time.perf_counter(), self._cpu()
        self.load0 = os.getloadavg()[0]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self._t0
        self.cpu_s = self._cpu() - self._cpu0
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = self._psutil.Process()
        while not self._stop.is_set():
            try:
                procs = [me, *me.children(recursive=True)]
            except self._psutil.Error:
                procs = [me]
            total = 0.0
            for p in procs:
                try:
                    rss = p.memory_info().rss / 2**20
                    name = f"{p.name()} {p.pid}"
                except self._psutil.Error:
                    continue
                total += rss
                if rss > self.peak_proc.get(name, 0.0):
                    self.peak_proc[name] = rss
            self.peak_tree_mb = max(self.peak_tree_mb, total)
            self._stop.wait(self.period)

    def report(self) -> dict:
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        top = sorted(self.peak_proc.items(), key=lambda kv: -kv[1])[:3]
        largest_sampled = top[0][1] if top else 0.0
        return {
            "python_peak_mb": round(self_kb / 1024, 1),
            "child_peak_mb": round(child_kb / 1024, 1),
            "largest_process_mb": round(max(self_kb / 1024, child_kb / 1024,
                                            largest_sampled), 1),
            "largest_sampled": [(n, round(v, 1)) for n, v in top],
            "tree_peak_mb": round(self.peak_tree_mb, 1),
            "cpu_s": round(self.cpu_s, 1),
            "cpu_use": round(self.cpu_s / (self.wall * (os.cpu_count() or 1)), 3),
            "load_avg_1min": [round(self.load0, 2), round(os.getloadavg()[0], 2)],
        }


# ------------------------------------------------------------------------------ microfilm

def _segment_spec(plan: Plan, i: int, pool: dict, cues, work: Path, seg_dir: Path,
                  tag: str = ""):
    from microfilm.media import segments, subtitles
    from microfilm.media.fonts import find_font

    shots = plan.shots
    s = shots[i]
    t_in = (segments.Transition(s.transition, s.transition_s)
            if s.transition != "cut" else None)
    nxt = shots[i + 1] if i + 1 < len(shots) else None
    t_out = (segments.Transition(nxt.transition, nxt.transition_s)
             if nxt is not None and nxt.transition != "cut" else None)
    own = subtitles.cues_for_window(cues, s.start, s.start + s.duration)
    ass = None
    if own:
        ass = seg_dir / f"seg{i:04d}{tag}.ass"
        subtitles.write_ass(own, ass, width=W, height=H, language=LANGUAGE,
                            font=find_font(cjk=True))
    return segments.SegmentSpec(
        source=pool["clips"][s.clip], out=seg_dir / f"seg{i:04d}{tag}.mp4",
        duration=s.duration, source_start=s.clip_start, ass=ass, label=LABEL,
        transition_in=t_in, transition_out=t_out, width=W, height=H, fps=FPS)


def _transitions(plan: Plan):
    from microfilm.media import segments

    return [segments.Transition(s.transition, s.transition_s) if s.transition != "cut"
            else None for s in plan.shots[1:]]


def _mix_spec(plan: Plan, pool: dict, score: Path, out: Path):
    from microfilm.media.audio import DialoguePlacement, MixSpec

    dialogue = [DialoguePlacement(path=pool["voices"][s.line], start_s=s.start + s.line_at)
                for s in plan.shots if s.line is not None]
    scenes = tuple(s.start for s in plan.shots[1:] if s.transition != "cut")
    return MixSpec(duration=plan.seconds, out=out, dialogue=tuple(dialogue), score=score,
                   scene_changes=scenes)


def _finish(plan: Plan, pool: dict, score: Path, seg_paths: list[Path], d: Path,
            times: dict) -> Path:
    """join + mix + mux, each timed into `times`."""
    from microfilm.media import audio, master, segments

    t = time.perf_counter()
    # as the master stage joins: on the cores, blended windows kept by content in the
    # film's store (here one per film length, shared by the full master and the re-master)
    video = segments.join_with_transitions(seg_paths, _transitions(plan), d / "video.mp4",
                                           fps=FPS, workers=os.cpu_count() or 1,
                                           reuse=d.parent / f"blends_{plan.seconds:.0f}s")
    times["join_s"] = time.perf_counter() - t
    t = time.perf_counter()
    mixed = audio.render_mix(_mix_spec(plan, pool, score, d / "mix.wav"))
    times["mix_s"] = time.perf_counter() - t
    times["mix_renders"] = mixed.renders
    t = time.perf_counter()
    film = master.mux(video, mixed.path, d / "film.mp4", master.label_metadata(
        title="bench", producer="microfilm", produce_id=f"bench-{plan.seconds:.0f}",
        language=LANGUAGE))
    times["mux_s"] = time.perf_counter() - t
    return film


def case_microfilm(work: Path, seconds: float) -> dict:
    pool = make_pool(work)
    plan = make_plan(seconds, pool["voice_s"])
    cues = film_cues(plan, pool["voice_s"])
    score = make_score(work, plan.seconds)
    d = work / f"microfilm_{seconds:.0f}s"
    seg_dir = d / "segments"
    seg_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / f"blends_{plan.seconds:.0f}s", ignore_errors=True)  # a full master
    from microfilm.media import segments

    workers = os.cpu_count() or 1
    times: dict = {}
    with Watch() as watch:
        t0 = time.perf_counter()
        specs = [_segment_spec(plan, i, pool, cues, work, seg_dir)
                 for i in range(len(plan.shots))]
        with ThreadPoolExecutor(max_workers=workers) as ex:
            seg_paths = list(ex.map(segments.encode_segment, specs))
        times["encode_s"] = time.perf_counter() - t0
        film = _finish(plan, pool, score, seg_paths, d, times)
        times["total_s"] = time.perf_counter() - t0
    from microfilm.media.probe import probe

    info = probe(film)
    return {"case": "microfilm", "film_s": plan.seconds, "shots": len(plan.shots),
            "lines": len(cues),
            "transitions": sum(1 for s in plan.shots if s.transition != "cut"),
            "workers": workers, "film": str(film), "probed_s": info.duration,
            **{k: round(v, 3) if isinstance(v, float) else v for k, v in times.items()},
            "memory": watch.report()}


def case_remaster(work: Path, seconds: float) -> dict:
    """One shot changed after a full master: its clip and its line. Re-encode that segment
    only, then join, mix and mux again."""
    pool = make_pool(work)
    plan = make_plan(seconds, pool["voice_s"])
    d = work / f"microfilm_{seconds:.0f}s"
    seg_dir = d / "segments"
    seg_paths = [seg_dir / f"seg{i:04d}.mp4" for i in range(len(plan.shots))]
    if not all(p.exists() for p in seg_paths):
        raise SystemExit(f"remaster: run the microfilm case for {seconds:.0f} s first")
    # the shot to change: the middle one with an incoming transition (the costliest kind)
    mids = [s.index for s in plan.shots if s.transition != "cut" and s.line is not None]
    k = min(mids, key=lambda i: abs(i - len(plan.shots) // 2)) if mids else len(
        plan.shots) // 2
    old = plan.shots[k]
    new_line = (old.line + 1) % POOL_VOICES if old.line is not None else 0
    if old.line_at + pool["voice_s"][new_line] > old.duration - 0.4:
        new_line = min(range(POOL_VOICES), key=lambda j: pool["voice_s"][j])
    changed = Shot(**{**asdict(old), "clip": (old.clip + 5) % POOL_CLIPS,
                      "line": new_line, "text": "这是改过的一句台词。"})
    shots = list(plan.shots)
    shots[k] = changed
    plan = Plan(plan.seconds, shots)
    cues = film_cues(plan, pool["voice_s"])
    score = make_score(work, plan.seconds)
    from microfilm.media import segments

    times: dict = {"shot": k, "shot_s": changed.duration}
    with Watch() as watch:
        t0 = time.perf_counter()
        spec = _segment_spec(plan, k, pool, cues, work, seg_dir, tag="_v2")
        seg_paths[k] = segments.encode_segment(spec)
        times["encode_s"] = time.perf_counter() - t0
        d2 = work / f"remaster_{seconds:.0f}s"
        d2.mkdir(exist_ok=True)
        _finish(plan, pool, score, seg_paths, d2, times)
        times["total_s"] = time.perf_counter() - t0
    return {"case": "remaster", "film_s": plan.seconds,
            **{k2: round(v, 3) if isinstance(v, float) else v for k2, v in times.items()},
            "memory": watch.report()}


def case_qc(work: Path, seconds: float) -> dict:
    from microfilm.media.qc import QCPlan, run_qc

    film = work / f"microfilm_{seconds:.0f}s" / "film.mp4"
    with Watch() as watch:
        t0 = time.perf_counter()
        report = run_qc(film, QCPlan(width=W, height=H, duration_s=seconds))
        total = time.perf_counter() - t0
    return {"case": "qc", "film_s": seconds, "total_s": round(total, 3),
            "passed": report.passed, "failed": [c.name for c in report.failed],
            "memory": watch.report()}


def case_x264(work: Path, seconds: float) -> dict:
    """The floor: the same frames through ONE plain ffmpeg + libx264 encode at microfilm's
    settings (trim + concat filter), no subtitles, no label, no sound, no parallelism."""
    pool = make_pool(work)
    plan = make_plan(seconds, pool["voice_s"])
    out = work / f"x264_{seconds:.0f}s.mp4"
    args: list[str] = []
    for s in plan.shots:
        args += ["-ss", f"{s.clip_start:.3f}", "-t", f"{s.duration:.3f}",
                 "-i", str(pool["clips"][s.clip])]
    n = len(plan.shots)
    graph = "".join(f"[{i}:v]setpts=PTS-STARTPTS[v{i}];" for i in range(n)) + "".join(
        f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[v]"
    with Watch() as watch:
        t0 = time.perf_counter()
        ffmpeg.run([*args, "-filter_complex", graph, "-map", "[v]",
                    *ffmpeg.video_encode_args(FPS), str(out)], what="x264 floor")
        total = time.perf_counter() - t0
    return {"case": "x264", "film_s": plan.seconds, "total_s": round(total, 3),
            "memory": watch.report()}


def case_threads(work: Path, seconds: float) -> dict:
    """Peak RSS and time of one real segment encode (segments.segment_args, 2 s, with
    subtitles and label) as x264's thread count grows: what a pool on a many-core machine
    would cost per process with ffmpeg's default (threads = 1.5 x cores)."""
    from microfilm.media import segments, subtitles
    from microfilm.media.fonts import find_font

    pool = make_pool(work)
    d = work / "threads"
    d.mkdir(exist_ok=True)
    ass = subtitles.write_ass([subtitles.Cue(0.3, 1.8, LINES[3])], d / "t.ass", width=W,
                              height=H, language=LANGUAGE, font=find_font(cjk=True))
    spec = segments.SegmentSpec(source=pool["clips"][3], out=d / "t.mp4", duration=2.0,
                                ass=ass, label=LABEL)
    base = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-y",
            *segments.segment_args(spec)]
    rows = []
    for threads in ("default", "1", "2", "4", "8", "24"):
        extra = [] if threads == "default" else ["-threads", threads]
        t0 = time.perf_counter()
        proc = subprocess.Popen([*base, *extra, str(d / "t.mp4")], stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if status:
            raise SystemExit(f"threads probe: ffmpeg failed with -threads {threads}")
        rows.append({"threads": threads, "peak_mb": round(usage.ru_maxrss / 1024, 1),
                     "wall_s": round(time.perf_counter() - t0, 2)})
    return {"case": "threads", "film_s": 2.0, "total_s": 0.0, "rows": rows}


def case_presets(work: Path, seconds: float) -> dict:
    """CPU seconds and bytes of one real 6 s segment (segment_args, with subtitles and
    label) at other x264 presets (a later -preset overrides the master's): what a faster
    segment encode would buy, and what it costs in size at the same CRF."""
    from microfilm.media import segments, subtitles
    from microfilm.media.fonts import find_font

    pool = make_pool(work)
    d = work / "presets"
    d.mkdir(exist_ok=True)
    ass = subtitles.write_ass([subtitles.Cue(0.5, 3.0, LINES[3])], d / "p.ass", width=W,
                              height=H, language=LANGUAGE, font=find_font(cjk=True))
    spec = segments.SegmentSpec(source=pool["clips"][5], out=d / "p.mp4", duration=6.0,
                                ass=ass, label=LABEL)
    base = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-y",
            *segments.segment_args(spec)]
    rows = []
    for preset in ("medium", ffmpeg.X264_PRESET, "superfast", "ultrafast"):
        out = d / f"p_{preset}.mp4"
        t0 = time.perf_counter()
        proc = subprocess.Popen([*base, "-preset", preset, str(out)],
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if status:
            raise SystemExit(f"presets probe: ffmpeg failed with -preset {preset}")
        rows.append({"preset": preset, "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                     "wall_s": round(time.perf_counter() - t0, 2),
                     "kbytes": out.stat().st_size // 1024,
                     "peak_mb": round(usage.ru_maxrss / 1024, 1)})
    return {"case": "presets", "film_s": 6.0, "total_s": 0.0, "rows": rows}


# ------------------------------------------------------------------------------ MoviePy

def case_moviepy(work: Path, seconds: float, preset: str) -> dict:
    """The popular approach: decode every frame into Python, composite text, pipe to ffmpeg."""
    from moviepy import (AudioFileClip, CompositeAudioClip, CompositeVideoClip, TextClip,
                         VideoFileClip, concatenate_videoclips)

    from microfilm.media.fonts import find_font
    from microfilm.media.subtitles import SafeArea, layout, style_for

    pool = make_pool(work)
    plan = make_plan(seconds, pool["voice_s"])
    cues = film_cues(plan, pool["voice_s"])
    score = make_score(work, plan.seconds)
    d = work / f"moviepy_{seconds:.0f}s_{preset}"
    d.mkdir(parents=True, exist_ok=True)
    font = str(find_font(cjk=True).path)
    safe = SafeArea.default(W, H)
    style = style_for(W, H)
    out = d / "film.mp4"
    with Watch() as watch:
        t0 = time.perf_counter()
        shots = [VideoFileClip(str(pool["clips"][s.clip]), audio=False).subclipped(
            s.clip_start, s.clip_start + s.duration) for s in plan.shots]
        video = concatenate_videoclips(shots)
        texts = []
        for cue in layout(cues, LANGUAGE, 14):  # the same two-line breaking as microfilm
            clip = TextClip(font=font, text=cue.text, font_size=round(style.font_size * 0.7),
                            color="white", stroke_color="black", stroke_width=4,
                            text_align="center", margin=(0, 8))
            y = H - safe.bottom - clip.h
            texts.append(clip.with_start(cue.start).with_duration(cue.duration)
                         .with_position(("center", y)))
        label = (TextClip(font=font, text=LABEL, font_size=39, color="white",
                          stroke_color="black", stroke_width=2)
                 .with_duration(plan.seconds).with_position((safe.left, safe.top)))
        final = CompositeVideoClip([video, *texts, label], size=(W, H))
        voices = [AudioFileClip(str(pool["voices"][s.line])).with_start(s.start + s.line_at)
                  for s in plan.shots if s.line is not None]
        bed = AudioFileClip(str(score)).subclipped(0, plan.seconds).with_volume_scaled(0.3)
        final = final.with_audio(CompositeAudioClip([bed, *voices])).with_duration(
            plan.seconds)
        params = ["-crf", "20", "-pix_fmt", "yuv420p"] if preset == "veryfast" else [
            "-pix_fmt", "yuv420p"]
        final.write_videofile(str(out), fps=FPS, codec="libx264", preset=preset,
                              audio_codec="aac", audio_fps=48000, ffmpeg_params=params,
                              logger=None)
        total = time.perf_counter() - t0
        final.close()
        for c in shots:
            c.close()
    return {"case": f"moviepy-{preset}", "film_s": plan.seconds, "shots": len(plan.shots),
            "lines": len(cues), "total_s": round(total, 3), "film": str(out),
            "memory": watch.report()}


CASES = {
    "x264": lambda a: case_x264(a.work, a.seconds),
    "threads": lambda a: case_threads(a.work, a.seconds),
    "presets": lambda a: case_presets(a.work, a.seconds),
    "microfilm": lambda a: case_microfilm(a.work, a.seconds),
    "remaster": lambda a: case_remaster(a.work, a.seconds),
    "qc": lambda a: case_qc(a.work, a.seconds),
    "moviepy-veryfast": lambda a: case_moviepy(a.work, a.seconds, "veryfast"),
    "moviepy-medium": lambda a: case_moviepy(a.work, a.seconds, "medium"),
}


MOVIEPY_SITE = ROOT / "bench" / ".moviepy"
MOVIEPY_REQUIREMENTS = ROOT / "bench" / "requirements-moviepy.txt"


def moviepy_site() -> Path:
    """The folder holding MoviePy 2 and the Pillow it accepts, installed on first use.

    MoviePy 2.2.1 refuses Pillow 13, which microfilm pins, so it cannot live in the same
    environment; its child process gets this folder first on PYTHONPATH instead."""
    stamp = MOVIEPY_SITE / ".requirements"
    wanted = MOVIEPY_REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return MOVIEPY_SITE
    print(f"  installing MoviePy for the comparison into {MOVIEPY_SITE} ...", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--upgrade",
                    "--target", str(MOVIEPY_SITE), "-r", str(MOVIEPY_REQUIREMENTS)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return MOVIEPY_SITE


def run_case(name: str, work: Path, seconds: float) -> dict:
    """Run one case in a fresh Python process (its own rusage), return its JSON."""
    result = work / f"result_{name}_{seconds:.0f}.json"
    result.unlink(missing_ok=True)
    env = dict(os.environ)
    if name.startswith("moviepy"):
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(moviepy_site()), env.get("PYTHONPATH", "")) if p)
    t0 = time.perf_counter()
    print(f"  {name} ({seconds:.0f} s film) ...", end="", flush=True)
    subprocess.run([sys.executable, __file__, "--case", name, "--seconds", str(seconds),
                    "--work", str(work), "--result", str(result)], check=True, env=env)
    print(f" {time.perf_counter() - t0:.1f} s", flush=True)
    return json.loads(result.read_text())


# ------------------------------------------------------------------------------ report

def _x(film_s: float, wall: float) -> str:
    return f"{film_s / wall:.2f}x" if wall > 0 else "n/a"


def table(res: dict, big_s: float, small_s: float, moviepy_full: bool) -> str:
    m1, mb = res["microfilm_small"], res.get("microfilm_big")
    rows = [("case", "film", "wall s", "x-realtime", "CPU s", "CPU use", "largest proc MB",
             "tree MB")]

    def add(name: str, film_s: float, wall: float, mem: dict | None) -> None:
        mem = mem or {}
        rows.append((name, f"{film_s:.0f} s", f"{wall:.1f}", _x(film_s, wall),
                     f"{mem['cpu_s']:.0f}" if "cpu_s" in mem else "-",
                     f"{100 * mem['cpu_use']:.0f}%" if "cpu_use" in mem else "-",
                     f"{mem['largest_process_mb']:.0f}" if mem else "-",
                     f"{mem['tree_peak_mb']:.0f}" if mem else "-"))

    def stage(r: dict) -> float:  # the master stage alone: segments already encoded
        return r["join_s"] + r["mix_s"] + r["mux_s"]

    mp = {k: res[k] for k in ("moviepy_veryfast", "moviepy_medium") if k in res}
    names = {"moviepy_veryfast": "MoviePy 2, x264 veryfast crf 20 (= microfilm's)",
             "moviepy_medium": "MoviePy 2, its defaults (x264 medium)"}
    add("microfilm: encode segments + join + mix + mux", m1["film_s"], m1["total_s"],
        m1["memory"])
    add("  of which join + mix + mux (the master stage)", m1["film_s"], stage(m1), None)
    if "x264" in res:
        add("one plain ffmpeg libx264 re-encode (no subs)", res["x264"]["film_s"],
            res["x264"]["total_s"], res["x264"]["memory"])
    for k, r in mp.items():
        add(names[k], r["film_s"], r["total_s"], r["memory"])
    if mb:
        add("microfilm: encode segments + join + mix + mux", mb["film_s"], mb["total_s"],
            mb["memory"])
        add("  of which join + mix + mux (the master stage)", mb["film_s"], stage(mb), None)
        for k, r in mp.items():
            if k + "_big" in res:
                add(names[k], res[k + "_big"]["film_s"], res[k + "_big"]["total_s"],
                    res[k + "_big"]["memory"])
            elif not moviepy_full:
                add(names[k] + ", EXTRAPOLATED from " + f"{r['film_s']:.0f} s", big_s,
                    r["total_s"] * big_s / r["film_s"], None)
        if "remaster" in res:
            add("re-master after one shot changed", big_s, res["remaster"]["total_s"],
                res["remaster"]["memory"])
        if "qc" in res:
            add("qc.run_qc of the master (not in the above)", big_s, res["qc"]["total_s"],
                res["qc"]["memory"])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
             for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")

    def phases(r: dict) -> str:
        return (f"encode {r['encode_s']:.1f} s, join {r['join_s']:.1f} s, mix "
                f"{r['mix_s']:.1f} s ({r.get('mix_renders', '?')} renders), mux "
                f"{r['mux_s']:.1f} s")

    lines += ["", f"microfilm {m1['film_s']:.0f} s: {m1['shots']} shots, {m1['lines']} "
              f"lines, {m1['transitions']} transitions, {m1['workers']} workers; "
              f"{phases(m1)}"]
    if mb:
        lines.append(f"microfilm {mb['film_s']:.0f} s: {mb['shots']} shots, {mb['lines']} "
                     f"lines, {mb['transitions']} transitions; {phases(mb)}")
    lines.append("")
    for k, r in mp.items():
        lines.append(f"vs {names[k]} on {r['film_s']:.0f} s: microfilm's whole path is "
                     f"{r['total_s'] / m1['total_s']:.1f}x faster; the master stage alone "
                     f"{r['total_s'] / stage(m1):.0f}x (target >= 10x)")
    cpu1 = m1["memory"].get("cpu_s")
    for k, r in mp.items():
        if cpu1 and r["memory"].get("cpu_s"):
            lines.append(f"  by CPU seconds (robust to other load on a shared machine): "
                         f"{r['memory']['cpu_s'] / cpu1:.1f}x fewer than {names[k]}")
    if cpu1:
        cores = res.get("cores") or 1
        lines.append(f"CPU-bound x-realtime on {cores} dedicated cores (film / (CPU s / "
                     f"cores)): {m1['film_s'] * cores / cpu1:.2f}x for {m1['film_s']:.0f} s"
                     + (f", {mb['film_s'] * cores / mb['memory']['cpu_s']:.2f}x for "
                        f"{mb['film_s']:.0f} s" if mb and mb["memory"].get("cpu_s") else ""))
    if "x264" in res:
        lines.append(f"microfilm's whole path takes {m1['total_s'] / res['x264']['total_s']:.2f}"
                     "x the time of one plain libx264 re-encode of the same frames"
                     + (f" ({cpu1 / res['x264']['memory']['cpu_s']:.2f}x its CPU seconds)"
                        if cpu1 and res["x264"]["memory"].get("cpu_s") else ""))
    mems = [m1["memory"]["largest_process_mb"]] + (
        [mb["memory"]["largest_process_mb"]] if mb else [])
    lines.append(f"peak memory, largest process: {' / '.join(f'{m:.0f}' for m in mems)} MB "
                 f"for {small_s:.0f} s{f' / {big_s:.0f} s' if mb else ''} "
                 "(target < 400 MB, flat)")
    for r, n in ((m1, small_s), (mb, big_s)):
        if r:
            lines.append(f"  largest sampled processes ({n:.0f} s): "
                         + ", ".join(f"{p} {v:.0f} MB" for p, v in
                                     r["memory"]["largest_sampled"])
                         + f"; python {r['memory']['python_peak_mb']:.0f} MB, children "
                           f"(getrusage) {r['memory']['child_peak_mb']:.0f} MB")
    if mb and "remaster" in res:
        rm = res["remaster"]
        lines.append(f"re-master after one shot changed: {rm['total_s']:.1f} s = "
                     f"{100 * rm['total_s'] / mb['total_s']:.1f}% of the full master "
                     f"(target < 5%); {phases(rm)}")
        if rm["memory"].get("cpu_s") and mb["memory"].get("cpu_s"):
            lines.append(f"  by CPU seconds: {rm['memory']['cpu_s']:.0f} of "
                         f"{mb['memory']['cpu_s']:.0f} = "
                         f"{100 * rm['memory']['cpu_s'] / mb['memory']['cpu_s']:.1f}%")
        pic = rm["encode_s"] + rm["join_s"] + rm["mux_s"]
        lines.append(f"  picture-only change (mix reused): {pic:.1f} s = "
                     f"{100 * pic / mb['total_s']:.1f}%")
    if "presets" in res:
        lines.append("one 6 s segment encode at other presets (CPU s, KB): " + ", ".join(
            f"{r['preset']}: {r['cpu_s']:.1f} s {r['kbytes']} KB"
            for r in res["presets"]["rows"]))
    if "threads" in res:
        lines.append("one 2 s segment encode (segment_args + -threads N): " + ", ".join(
            f"{r['threads']}: {r['peak_mb']:.0f} MB {r['wall_s']:.1f} s"
            for r in res["threads"]["rows"]))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="the long film (default 10)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 1-minute film only, MoviePy on 20 s (veryfast only)")
    ap.add_argument("--moviepy-full", action="store_true",
                    help="run MoviePy on the long film too instead of extrapolating")
    ap.add_argument("--no-medium", action="store_true",
                    help="skip MoviePy with its default preset (medium)")
    ap.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    ap.add_argument("--json", type=Path, help="write every figure here as JSON")
    ap.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    ap.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.case:  # a child process: one case
        out = CASES[args.case](args)
        args.result.write_text(json.dumps(out, indent=1))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="microfilm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    small_s = 20.0 if args.quick else 60.0
    big_s = args.minutes * 60.0
    print(f"bench work folder: {work} ({os.cpu_count()} cores)")
    t = time.perf_counter()
    make_pool(work)
    print(f"  source pool made in {time.perf_counter() - t:.1f} s")
    res: dict = {"cores": os.cpu_count(), "minutes": args.minutes, "quick": args.quick}
    res["microfilm_small"] = run_case("microfilm", work, small_s)
    res["x264"] = run_case("x264", work, small_s)
    if args.quick:
        res["moviepy_veryfast"] = run_case("moviepy-veryfast", work, small_s)
    else:
        res["moviepy_veryfast"] = run_case("moviepy-veryfast", work, small_s)
        if not args.no_medium:
            res["moviepy_medium"] = run_case("moviepy-medium", work, small_s)
        if big_s > small_s:
            res["microfilm_big"] = run_case("microfilm", work, big_s)
            res["remaster"] = run_case("remaster", work, big_s)
            res["qc"] = run_case("qc", work, big_s)
            if args.moviepy_full:
                res["moviepy_veryfast_big"] = run_case("moviepy-veryfast", work, big_s)
        res["threads"] = run_case("threads", work, 2.0)
        res["presets"] = run_case("presets", work, 6.0)
    text = table(res, big_s, small_s, args.moviepy_full)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps({**res, "table": text}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
