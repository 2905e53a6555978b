"""Master: join the segments by stream copy, mix the sound in one pass, mux, deliver, QC.

The video of the film is never re-encoded here: segments made by `cut` are joined with
the concat demuxer (only transitions re-encode their few frames). The sound is one mix
pass: dialogue, the score ducked under it, loudness to -14 LUFS. What ships is measured:
out/qc.json reports the finished file, not the plan.
"""

from __future__ import annotations

import shutil
import uuid

from microfilm.cache import cache_key
from microfilm.config import default_ai_label
from microfilm.fsutil import atomic_output, sha256_text
from microfilm.media import audio, master, qc, segments, subtitles
from microfilm.stages import cut as cut_stage
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, load_records, record_run

NAME = "master"
FORMAT = "1"


def inputs_key(ctx: StageContext) -> str:
    rec = load_records(ctx.project).get(cut_stage.NAME)
    return cache_key(NAME, {"cut": rec.inputs if rec else None, "format": FORMAT,
                            "producer": ctx.settings.producer})


def outputs(ctx: StageContext) -> dict[str, "object"]:
    out = ctx.project.out
    return {"film": out / "film.mp4", "cover": out / "cover.png", "srt": out / "film.srt",
            "vtt": out / "film.vtt", "qc": out / "qc.json"}


def run(ctx: StageContext) -> StageOutcome:
    key = inputs_key(ctx)
    files = outputs(ctx)
    if is_fresh(ctx, NAME, key) and all(p.exists() for p in files.values()):
        return StageOutcome(stage=NAME, ran=False, message="the master is up to date")
    timer = Timer()
    cut = cut_stage.load_cut(ctx)
    root = ctx.project.root
    store = ctx.store

    ctx.progress(NAME, 0, 4, "joining segments")
    seg_paths = [root / s.path for s in cut.segments]
    join_key = cache_key("join", [(s.key, s.transition, s.transition_s) for s in cut.segments])
    video = store.produce("join", join_key, ".mp4", lambda tmp: segments.join_with_transitions(
        seg_paths, [(s.transition, s.transition_s) for s in cut.segments], tmp))

    ctx.progress(NAME, 1, 4, "mixing sound")
    mix_spec = audio.MixSpec(
        duration=cut.duration,
        dialogue=[audio.Placement(path=root / d.path, start=d.start, gain_db=d.gain_db) for d in cut.dialogue],
        score=root / cut.score,
        effects=[audio.Placement(path=root / c.path, start=c.start, gain_db=c.gain_db,
                                 duration=c.duration) for c in cut.clip_audio],
        scene_starts=cut.scene_starts,
    )
    mix_key = cache_key("mix", mix_spec.model_dump(mode="json"))
    sound = store.produce("mix", mix_key, audio.MIX_EXT,
                          lambda tmp: audio.mix(mix_spec.model_copy(update={"out": tmp})))

    ctx.progress(NAME, 2, 4, "muxing the master")
    ctx.project.out.mkdir(parents=True, exist_ok=True)
    label = ctx.settings.ai_label or default_ai_label(ctx.brief.language)
    content_id = str(uuid.UUID(sha256_text(key)[:32]))
    metadata = master.aigc_metadata(producer=ctx.settings.producer, content_id=content_id,
                                    title=ctx.brief.title, label=label)
    master.mux(video, sound, files["film"], metadata)
    cues = [subtitles.Cue(**c.model_dump()) for c in cut.cues]
    subtitles.write_srt(cues, files["srt"])
    subtitles.write_vtt(cues, files["vtt"])
    with atomic_output(files["cover"]) as tmp:
        shutil.copyfile(root / cut.cover, tmp)

    ctx.progress(NAME, 3, 4, "measuring the master")
    report = qc.run_qc(files["film"], qc.QCPlan(duration=cut.duration, width=cut.width,
                                                  height=cut.height, fps=cut.fps,
                                                  cues=len(cues)))
    qc.write_report(report, files["qc"])
    record_run(ctx, NAME, key, timer, outputs=list(files.values()),
               data={"qc_passed": report.passed})
    ctx.progress(NAME, 4, 4, "done")
    verdict = "QC passed" if report.passed else "QC FAILED: see out/qc.json"
    return StageOutcome(stage=NAME, ran=True, message=f"out/film.mp4 written; {verdict}")
