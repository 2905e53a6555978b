"""Cut: the edit as data, and every shot encoded once into a uniform segment.

The cut is a typed timeline (segments, transitions, dialogue placements, cues: spec/cut.py)
saved as .microfilm/cut.json; master exports it for editors (out/cut.otio, cut.fcpxml,
cut.xml). Each segment is a pure function of its clip, duration, cues and label: its key
says whether it must be encoded, so changing one line re-encodes only the segment that
shows it. Segments encode in parallel, one ffmpeg each, as tasks on the run's executor
(in-process, or a Ray cluster: microfilm.executor).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import as_completed
from pathlib import Path

from microfilm.cache import cache_key
from microfilm.config import default_ai_label
from microfilm.direction.cast import speaker_name
from microfilm.executor import using
from microfilm.fsutil import atomic_write_text
from microfilm.media import drawn_window, segments, subtitles
# re-exported: the cut's types live in spec/, below every stage
from microfilm.spec.cut import CueModel, Cut, Placement, SegmentEntry
from microfilm.spec import translation
from microfilm.spec.storyboard import Storyboard
from microfilm.stages import generate
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, load_records, record_run
from microfilm.tasks.segment import SegmentTask

NAME = "cut"
TRANSITION_S = {"cut": 0.0, "dissolve": 0.6, "fade": 0.8, "wipeleft": 0.5, "slideup": 0.5,
                "circleopen": 0.7}
SEGMENT_FORMAT = "3"  # bump when the segment encode changes, so old segments are not reused


def cut_path(ctx: StageContext) -> Path:
    return ctx.project.cut_json


def load_cut(ctx: StageContext) -> Cut:
    return Cut.load(cut_path(ctx))


def inputs_key(ctx: StageContext) -> str:
    gen = load_records(ctx.project).get(generate.NAME)
    return cache_key(NAME, {
        "generated": gen.inputs if gen else None,
        "label": ctx.settings.ai_label or default_ai_label(ctx.brief.language),
        "platform": ctx.brief.platform,
        "format": SEGMENT_FORMAT,
        **({"translation": translation.texts(ctx.project.root, ctx.settings.subtitles)}
           if ctx.settings.subtitles else {}),
    })


def film_cues(voices: list[Placement], texts: list[tuple[str, str]], film_end: float) -> list[CueModel]:
    """Cues timed to the voices in film time: on with the voice, off when it ends (at least
    0.8 s on screen), never into the next line. A line that runs past its shot's end keeps
    its cue; the next segment burns the rest of it."""
    cues = []
    for i, (v, (text, speaker)) in enumerate(zip(voices, texts)):
        limit = voices[i + 1].start - 0.05 if i + 1 < len(voices) else film_end - 0.05
        end = min(v.start + max(v.duration, 0.8), limit)
        if end > v.start + 0.2:
            cues.append(CueModel(start=round(v.start, 3), end=round(end, 3), text=text,
                                 speaker=speaker, line_id=v.line_id))
    return cues


def plan_cut(ctx: StageContext, board: Storyboard, manifest: generate.Manifest) -> tuple[Cut, list[dict]]:
    """The timeline, and for each segment the inputs its encode needs."""
    label = ctx.settings.ai_label or default_ai_label(ctx.brief.language)
    by_id = {a.shot_id: a for a in manifest.shots}
    fps = board.fps
    # Pass 1: where each shot and each line falls in the film.
    t, spans, dialogue, texts, clip_audio, scene_starts, last_scene = 0.0, [], [], [], [], [], -1
    for shot in board.shots:
        assets = by_id[shot.id]
        dur = segments.frames_for(shot.duration, fps) / fps  # whole frames: no drift
        spans.append((t, dur))
        for v in assets.voices:
            dialogue.append(Placement(path=v.path, start=round(t + v.start, 3), duration=v.duration,
                                      line_id=v.line_id))
            texts.append((v.text, speaker_name(ctx.project.bible, v.character)))
        # a clip that speaks its line is heard only there (its voices): never its whole track
        if assets.clip_has_audio and shot.keep_clip_audio and not any(v.native for v in assets.voices):
            clip_audio.append(Placement(path=assets.clip, start=round(t, 3), duration=dur))
        if shot.kind == "shot" and shot.scene != last_scene:
            scene_starts.append(round(t, 3))
            last_scene = shot.scene
        t += dur
    order = sorted(range(len(dialogue)), key=lambda k: dialogue[k].start)
    dialogue, texts = [dialogue[k] for k in order], [texts[k] for k in order]
    cues = film_cues(dialogue, texts, t)
    if tr := translation.load(ctx.project.root, ctx.brief.language, ctx.settings.subtitles):
        cues = [dataclasses.replace(c, translation=tr(c.text)) for c in cues]  # Cue: a dataclass now
    sub_cues = [subtitles.Cue(c.start, c.end, c.text, c.speaker, c.translation, line_id=c.line_id)
                for c in cues]
    # Pass 2: each segment with the cues it shows, in its own time. Between two house shots
    # a dissolve or fade is drawn by the outgoing segment (media/drawn_window.py): the next
    # segment starts after the window and the join is a cut, so no frame is encoded twice.
    kinds = [shot.transition if i > 0 else "cut" for i, shot in enumerate(board.shots)]
    drawn = [i > 0 and TRANSITION_S.get(kinds[i], 0.0) > 0 and drawn_window.drawable(
        ctx.project.root / by_id[board.shots[i - 1].id].clip, ctx.project.root / by_id[shot.id].clip,
        kinds[i], width=board.width, height=board.height, fps=fps)
        for i, shot in enumerate(board.shots)]
    seg_entries, jobs = [], []
    for i, (shot, (start, dur)) in enumerate(zip(board.shots, spans)):
        assets = by_id[shot.id]
        last = i + 1 == len(board.shots)
        trans_in, trans_out = kinds[i], "cut" if last else kinds[i + 1]
        t_in, t_out = TRANSITION_S.get(trans_in, 0.0), TRANSITION_S.get(trans_out, 0.0)
        drawn_in, drawn_out = drawn[i], not last and drawn[i + 1]
        a_in, b_in = segments.Transition(trans_in, t_in).split(fps) if t_in else (0, 0)
        a_out, b_out = segments.Transition(trans_out, t_out).split(fps) if t_out else (0, 0)
        # the film time this segment's file shows: handles are the join's, drawn windows its own
        first = start + (b_in if drawn_in else -a_in) / fps
        shown = subtitles.cues_for_window(sub_cues, start + (b_in / fps if drawn_in else 0.0),
                                          start + dur + (b_out / fps if drawn_out else 0.0))
        nxt = by_id[board.shots[i + 1].id] if drawn_out else None
        job = {
            "clip_key": assets.clip_key, "clip": assets.clip, "duration": round(dur, 3),
            "width": board.width, "height": board.height, "fps": fps,
            "cues": [{"start": round(c.start, 3), "end": round(c.end, 3), "text": c.text,
                      "speaker": c.speaker, **({"translation": c.translation} if c.translation else {})}
                     for c in shown],
            "label": label, "language": board.language,
            "platform": ctx.brief.platform, "transition_in": t_in, "transition_out": t_out,
            "transition_in_kind": trans_in, "transition_out_kind": trans_out,
            "format": SEGMENT_FORMAT,
            # only where a window is drawn, so every other segment keeps its key (and file)
            **({"window_in_drawn": True} if drawn_in else {}),
            **({"window_out": {"clip": nxt.clip, "clip_key": nxt.clip_key}} if nxt else {}),
        }
        key = cache_key("segment", job)
        seg_path = ctx.store.path("segment", key, ".mp4")
        jobs.append({**job, "key": key, "out": seg_path, "shot_id": shot.id})
        frames = segments.frames_for(dur, fps) + (-b_in if drawn_in else a_in) + b_out
        seg_entries.append(SegmentEntry(
            shot_id=shot.id, start=round(start, 3), duration=dur,
            path=str(seg_path.relative_to(ctx.project.root)), key=key,
            transition=trans_in if t_in else "cut", transition_s=t_in, window_drawn=drawn_in,
            file_start=round(first, 3), file_duration=round(frames / fps, 3),
            window_out_s=round((a_out + b_out) / fps, 3) if drawn_out else 0.0,
        ))
    cut = Cut(duration=round(t, 3), width=board.width, height=board.height, fps=fps,
              segments=seg_entries, dialogue=dialogue, clip_audio=clip_audio,
              score=manifest.score, cover=manifest.cover, cues=cues, scene_starts=scene_starts)
    return cut, jobs


def segment_task(ctx: StageContext, job: dict) -> SegmentTask:
    """A planned segment as the task that encodes it (its key and its plan, no paths of the run)."""
    plan = {k: v for k, v in job.items() if k not in ("key", "out", "shot_id")}
    return SegmentTask(root=ctx.project.root, key=job["key"], job=plan)


def encode_all(ctx: StageContext, jobs: list[dict]) -> None:
    """Encode the segments the store lacks, one task (one ffmpeg) each on the run's executor."""
    done = 0
    with using(ctx.executor, ctx.settings.workers) as pool:
        futures = {pool.submit(segment_task(ctx, job)): job for job in jobs}
        for fut in as_completed(futures):
            made = fut.result().made
            ctx.counters.add("segment", hit=not made)
            done += 1
            ctx.progress(NAME, done, len(jobs), f"segment {futures[fut]['shot_id']}")


def run(ctx: StageContext) -> StageOutcome:
    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and cut_path(ctx).exists():
        return StageOutcome(stage=NAME, ran=False, message="the cut is up to date")
    timer = Timer()
    board = Storyboard.load(ctx.project.storyboard)
    manifest = generate.load_manifest(ctx)
    cut, jobs = plan_cut(ctx, board, manifest)
    before = ctx.counters.made.get("segment", 0)
    encode_all(ctx, jobs)
    atomic_write_text(cut_path(ctx), cut.model_dump_json(indent=1))
    record_run(ctx, NAME, key, timer, outputs=[cut_path(ctx)])
    encoded = ctx.counters.made.get("segment", 0) - before
    return StageOutcome(stage=NAME, ran=True,
                        message=f"encoded {encoded} of {len(jobs)} segments")
