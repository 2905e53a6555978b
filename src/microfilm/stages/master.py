"""Master: join the segments by stream copy, mix the sound in one pass, mux, deliver, QC.

The video of the film is never re-encoded here: segments made by `cut` are joined with
the concat demuxer (only transitions re-encode their few frames). The sound is one mix
pass: dialogue, the score ducked under it, loudness to -14 LUFS. What ships is measured:
out/qc.json reports the finished file, not the plan.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from microfilm import form
from microfilm.cache import cache_key
from microfilm.fsutil import atomic_output, atomic_write_text, sha256_text
from microfilm.media import audio, deliverables, master, qc, segments, subtitles, timeline
from microfilm.spend import spend
from microfilm.stages import cut as cut_stage
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, load_records, record_run

NAME = "master"
FORMAT = "3"
MIX_FORMAT = "2"  # bump when the mix changes, so old mixes are not reused (2: its whole tail)


def inputs_key(ctx: StageContext) -> str:
    rec = load_records(ctx.project).get(cut_stage.NAME)
    return cache_key(NAME, {"cut": rec.inputs if rec else None, "format": FORMAT,
                            "producer": ctx.settings.producer,
                            "c2pa": bool(ctx.settings.c2pa_cert_chain and ctx.settings.c2pa_private_key)})


def outputs(ctx: StageContext, out: Path | None = None) -> dict[str, Path]:
    out = out or ctx.project.out
    return {"film": out / "film.mp4", "cover": out / "cover.png", "srt": out / "film.srt",
            "vtt": out / "film.vtt", "qc": out / "qc.json",
            "cover_3x4": out / "cover-3x4.png", "cover_1x1": out / "cover-1x1.png",
            "teaser": out / "teaser.mp4", "fcpxml": out / "cut.fcpxml", "fcp7xml": out / "cut.xml",
            "otio": out / "cut.otio"}


def mix_key(cut: cut_stage.Cut) -> str:
    """The mix's cache key: the cut's sound (relative, content-addressed paths)."""
    return cache_key("mix", {"duration": cut.duration, "dialogue": cut.dialogue, "score": cut.score,
                             "clip_audio": cut.clip_audio, "scene_starts": cut.scene_starts,
                             "format": MIX_FORMAT})


def join_key(cut: cut_stage.Cut) -> str:
    """The joined picture's cache key: its segments and how they join."""
    return cache_key("join", [(s.key, s.transition, s.transition_s, s.window_drawn)
                              for s in cut.segments])


def mix_sound(ctx: StageContext, cut: cut_stage.Cut) -> Path:
    """One mix pass, cached by the cut's sound."""
    root = ctx.project.root
    spec = audio.MixSpec(
        duration=cut.duration, out=root,
        dialogue=tuple(audio.DialoguePlacement(path=root / d.path, start_s=d.start, gain_db=d.gain_db)
                       for d in cut.dialogue),
        score=root / cut.score,
        effects=tuple(audio.ClipPlacement(path=root / c.path, start_s=c.start, duration=c.duration,
                                          gain_db=c.gain_db) for c in cut.clip_audio),
        scene_changes=tuple(cut.scene_starts),
        scene_swell_db=1.0,  # the house score already swells at scene changes
    )
    return ctx.store.produce("mix", mix_key(cut), ".wav",
                             lambda tmp: audio.mix(spec.model_copy(update={"out": tmp})))


def shown(root: Path, seg: cut_stage.SegmentEntry) -> tuple[Path, deliverables.Span]:
    """A segment's file and the film time its frames show, so the teaser's sound is cut to
    its picture: a file holds its join handles or its drawn windows, not only its shot."""
    if seg.file_start is None or seg.file_duration is None:  # a cut planned before they were kept
        return root / seg.path, deliverables.Span(seg.start, seg.start + seg.duration)
    start = max(0.0, seg.file_start)  # a head handle before the film's first frame
    end = seg.file_start + seg.file_duration - seg.window_out_s  # the teaser cuts: no window
    return root / seg.path, deliverables.Span(start, end)


def make_teaser(ctx: StageContext, cut: cut_stage.Cut, mix: Path, out: Path,
                metadata: dict[str, str]) -> Path:
    """15-30 s of story shots (no cards, not the ending), then the title card."""
    root = ctx.project.root
    story = [(s.start, s.duration, i, any(s.start <= c.start < s.start + s.duration for c in cut.cues))
             for i, s in enumerate(cut.segments) if s.shot_id not in ("title", "credits")]
    title = next((s for s in cut.segments if s.shot_id == "title"), None)
    room = deliverables.TEASER_MAX_S - (title.duration if title else 0.0)
    chosen = deliverables.pick_teaser(story, max_s=room,
                                      min_s=deliverables.TEASER_MIN_S - (title.duration if title else 0))
    by_start = {round(s.start, 3): s for s in cut.segments}
    pieces = [shown(root, by_start[round(sp.start, 3)]) for sp in chosen]
    if title:
        pieces.append(shown(root, title))
    return deliverables.cut_teaser(pieces, mix, out, fps=cut.fps, metadata=metadata)


def write_qc(ctx: StageContext, report: qc.QCReport, path: Path) -> None:
    """qc.json: the measurements of the finished file, plus what the film cost."""
    data = json.loads(report.model_dump_json())
    data["spend"] = spend(ctx.project, ctx.brief.budget.currency, ctx.settings.ledger_url).model_dump()
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def render(ctx: StageContext, cut: cut_stage.Cut, files: dict[str, Path], key: str, *,
           max_duration_s: float = form.MAX_DURATION_S) -> qc.QCReport:
    """Everything the master makes from a cut, into `files`; returns the QC report."""
    root = ctx.project.root
    store = ctx.store

    ctx.progress(NAME, 0, 4, "joining segments")
    seg_paths = [root / s.path for s in cut.segments]
    transitions = [segments.Transition(s.transition, s.transition_s)
                   if s.transition_s > 0 and not s.window_drawn else None  # drawn: a cut here
                   for s in cut.segments[1:]]
    video = store.produce("join", join_key(cut), ".mp4", lambda tmp: segments.join_with_transitions(
        seg_paths, transitions, tmp, fps=cut.fps, workers=ctx.settings.workers, executor=ctx.executor,
        reuse=store.root / "transitions"))

    ctx.progress(NAME, 1, 4, "mixing sound")
    sound = mix_sound(ctx, cut)

    ctx.progress(NAME, 2, 4, "muxing the master")
    files["film"].parent.mkdir(parents=True, exist_ok=True)
    content_id = str(uuid.UUID(sha256_text(key)[:32]))
    metadata = master.label_metadata(title=ctx.brief.title, producer=ctx.settings.producer,
                                     produce_id=content_id, language=ctx.brief.language)
    sign = ctx.settings.c2pa_cert_chain and ctx.settings.c2pa_private_key
    master.mux(video, sound, files["film"] if not sign else store.root / "unsigned.mp4", metadata)
    if sign:
        from microfilm.media import credentials

        ctx.progress(NAME, 2, 4, "signing content credentials (C2PA)")
        with atomic_output(files["film"]) as tmp:
            credentials.sign_mp4(store.root / "unsigned.mp4", tmp,
                                 cert_chain=ctx.settings.c2pa_cert_chain,
                                 private_key=ctx.settings.c2pa_private_key,
                                 title=ctx.brief.title, producer=ctx.settings.producer)
    cues = list(cut.cues)
    subtitles.write_srt(cues, files["srt"])
    subtitles.write_vtt(cues, files["vtt"])
    subtitles.write_per_language(cues, files["srt"].parent, ctx.brief.language)
    with atomic_output(files["cover"]) as tmp:
        shutil.copyfile(root / cut.cover, tmp)

    deliverables.cover_crops(files["cover"], files["cover"].parent)
    for fmt in ("fcpxml", "fcp7xml", "otio"):
        timeline.write_timeline(cut, files[fmt], root, ctx.brief.title)
    ctx.progress(NAME, 3, 4, "cutting the teaser")
    make_teaser(ctx, cut, sound, files["teaser"], metadata)

    ctx.progress(NAME, 3, 4, "measuring the master")
    voices = tuple(audio.DialoguePlacement(path=root / d.path, start_s=d.start) for d in cut.dialogue)
    report = qc.run_qc(files["film"], qc.QCPlan(duration_s=cut.duration, width=cut.width,
                                                  height=cut.height, fps=cut.fps,
                                                  max_duration_s=max_duration_s,
                                                  cues=tuple(cues), dialogue=voices))
    write_qc(ctx, report, files["qc"])
    return report


def run(ctx: StageContext, *, max_duration_s: float = form.MAX_DURATION_S) -> StageOutcome:
    """`max_duration_s`: the longest the film may run for QC (a campaign variant passes its
    platform's limit)."""
    key = inputs_key(ctx)
    files = outputs(ctx)
    if is_fresh(ctx, NAME, key) and all(p.exists() for p in files.values()):
        return StageOutcome(stage=NAME, ran=False, message="the master is up to date")
    timer = Timer()
    cut = cut_stage.load_cut(ctx)
    report = render(ctx, cut, files, key, max_duration_s=max_duration_s)
    # the store's join and mix this master used, so `microfilm gc` keeps them
    used = [ctx.store.path("join", join_key(cut), ".mp4"),
            ctx.store.path("mix", mix_key(cut), ".wav")]
    record_run(ctx, NAME, key, timer, outputs=list(files.values()),
               data={"qc_passed": report.passed,
                     "assets": [str(p.relative_to(ctx.project.root)) for p in used]})
    ctx.progress(NAME, 4, 4, "done")
    verdict = "QC passed" if report.passed else "QC FAILED: see out/qc.json"
    return StageOutcome(stage=NAME, ran=True, message=f"out/film.mp4 written; {verdict}")
