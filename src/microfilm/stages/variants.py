"""Platform variants: the same film mastered for Douyin, TikTok, Shorts... into out/<platform>/.

A variant differs from the main master in what the platform's UI covers (subtitles and the
AI label move inside its safe area), its longest upload (QC checks that cap) and its cover
sizes. Only the segments re-encode, because their burned-in subtitles move; the clips,
voices, score and mix are the main film's, from the cache.
"""

from __future__ import annotations

import dataclasses

from microfilm import platforms
from microfilm.cache import cache_key
from microfilm.errors import MicrofilmError
from microfilm.fsutil import atomic_write_text
from microfilm.media import deliverables
from microfilm.spec.storyboard import Storyboard
from microfilm.stages import cut as cut_stage
from microfilm.stages import generate, master
from microfilm.stages.base import StageContext, StageOutcome, load_records

NAME = "variant"


def make_variant(ctx: StageContext, platform_id: str) -> StageOutcome:
    try:
        plat = platforms.get(platform_id)
    except ValueError as exc:
        raise MicrofilmError(f"--platform: {exc}") from None
    if master.NAME not in load_records(ctx.project) or not generate.manifest_path(ctx).exists():
        raise MicrofilmError(f"{ctx.project.root}: make the film first (`microfilm make`), then "
                             f"its {platform_id} variant")
    vctx = dataclasses.replace(ctx, brief=ctx.brief.model_copy(update={"platform": platform_id}))
    board = Storyboard.load(ctx.project.storyboard)
    cut, jobs = cut_stage.plan_cut(vctx, board, generate.load_manifest(ctx))
    out_dir = ctx.project.out / platform_id
    files = master.outputs(vctx, out_dir)
    key = cache_key(NAME, {"platform": platform_id, "segments": [j["key"] for j in jobs],
                           "master": master.inputs_key(ctx)})
    stamp = out_dir / ".inputs"
    if stamp.exists() and stamp.read_text() == key and all(p.exists() for p in files.values()):
        return StageOutcome(stage=f"{NAME}:{platform_id}", ran=False,
                            message=f"out/{platform_id}/ is up to date")
    cut_stage.encode_all(vctx, jobs)
    report = master.render(vctx, cut, files, key, max_duration_s=plat.max_duration_s)
    covers = [deliverables.crop_cover(files["cover"], out_dir / f"cover-{c.width}x{c.height}.png",
                                      (c.width, c.height), size=(c.width, c.height))
              for c in plat.covers]
    atomic_write_text(stamp, key)
    fit = plat.fit(cut.duration, ctx.brief.aspect, ctx.brief.language)
    notes = f"; {len(covers)} platform cover(s)" + (f"; note: {' '.join(fit)}" if fit else "")
    verdict = "QC passed" if report.passed else f"QC FAILED: see out/{platform_id}/qc.json"
    return StageOutcome(stage=f"{NAME}:{platform_id}", ran=True,
                        message=f"out/{platform_id}/film.mp4 for {plat.name(ctx.brief.language)}; "
                                f"{verdict}{notes}")
