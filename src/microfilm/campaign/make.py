"""`batch`: make the base film, then every variant from it, sharing the base's store.

Per variant, in its own folder (campaign/derive.py) and under its own run lock:
1. generate at the base's aspect: the same requests as the base, so every keyframe, clip,
   voice and the cover are cache hits (a cut shorter than the film asks for a new score);
2. reframe, when the variant's aspect is not the base's: each clip once per aspect, by rule
   (media/reframe.py), kept in the shared store so every platform of that aspect reuses it;
3. cut and master as any film: segments with the platform's safe area and the variant's
   subtitles, out/film.mp4 and out/qc.json measured against the platform's length limit;
4. covers: A (the poster) and B (the opening shot, titled), at the platform's cover sizes.
The base's run lock is held while variants are made, so nobody edits the base under them.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Callable

from PIL import Image
from pydantic import BaseModel

from microfilm import form, pipeline, platforms, runlock
from microfilm.cache import cache_key
from microfilm.campaign import budget, derive, plan
from microfilm.campaign import spec as campaign_spec
from microfilm.campaign.status import CampaignStatus, VariantStatus
from microfilm.errors import SpecError
from microfilm.executor import Executor, open_executor, using
from microfilm.fsutil import atomic_output, atomic_write_text
from microfilm.media import covers, deliverables, reframe
from microfilm.project import Project
from microfilm.spec.manifest import Manifest, ShotAssets
from microfilm.spec.storyboard import Storyboard
from microfilm.tasks.reframe import ReframeTask
from microfilm.spend import spend
from microfilm.stages import cut as cut_stage
from microfilm.stages import generate, master
from microfilm.stages.base import Progress, StageContext, Timer, record_run

SOURCE_MANIFEST = "generated.source.json"  # generate's own manifest, before reframing
COVERS_FORMAT = "1"  # bump when covers A or B are drawn differently


class Event(BaseModel):
    """Progress of a campaign: `variant` is "" for the base film."""

    variant: str
    stage: str
    done: int
    total: int
    message: str = ""
    variants_done: int = 0
    variants_total: int = 0


EventFn = Callable[[Event], None]


def make_campaign(path: str | Path, *, on_event: EventFn | None = None,
                  executor: str | None = None) -> CampaignStatus:
    """Make the campaign described by campaign.toml at `path`; returns its final status
    (also saved as campaign.json beside it). `executor` (a Ray address or "auto") runs the
    base film's and every variant's tasks there, as `make --ray` does for one film."""
    where = str(path)
    campaign, folder = campaign_spec.load(Path(path))
    base = Project.at(campaign.base)
    base_brief = base.brief()
    if campaign.currency and campaign.currency != base_brief.budget.currency:
        raise SpecError(f"{where}: field 'currency': {campaign.currency} differs from the base "
                        f"film's {base_brief.budget.currency}; the cap is in the base's currency")
    variants = plan.expand(campaign, base_brief, where)
    base_board = Storyboard.load(base.storyboard) if base.storyboard.exists() else None
    boards = _boards(variants, base_board, base_brief, where) if base_board else {}
    est = budget.estimate(base, {v.name: boards.get(v.name) for v in variants},
                          variant_paid=_variants_paid(variants, folder, base_brief))
    budget.refuse_over(est, campaign.budget, where)  # before any call

    status = CampaignStatus(
        name=campaign.name, base=str(base.root), currency=est.currency, budget=campaign.budget,
        estimate_alone=est.alone_total, estimate_shared=est.need, spent=est.paid, state="making",
        variants=[VariantStatus(name=v.name, platform=v.platform, aspect=v.aspect, cut=v.cut,
                                language=v.language, folder=f"variants/{v.name}",
                                estimate=est.alone.get(v.name, 0.0)) for v in variants])
    status.save(folder)
    t0 = time.monotonic()
    emit = _emitter(on_event, status)
    try:
        report = pipeline.make(base.root, on_progress=lambda p: emit("", p), executor=executor)
        status.base_elapsed_s = report.elapsed_s
        base_board = Storyboard.load(base.storyboard)
        boards = _boards(variants, base_board, base_brief, where)  # all checked before any variant
        derive.remove_stale(folder, {v.name for v in variants})
        spec = pipeline.context(base, executor=executor).settings
        with runlock.hold(base.root, label=f"{base.root} (campaign {campaign.name})"), \
                open_executor(spec.executor, spec.workers) as pool:  # one for every variant
            for v, vs in zip(variants, status.variants):
                vs.state = "making"
                status.save(folder)
                t1 = time.monotonic()
                try:
                    _make_variant(base, folder, v, vs, base_brief, boards[v.name],
                                  cap_left=max(0.0, campaign.budget - _paid(base, folder, variants,
                                                                            base_brief)),
                                  covers_wanted=campaign.matrix.covers, executor=pool,
                                  emit=lambda p, name=v.name: emit(name, p))
                except Exception as exc:
                    vs.state, vs.message = "failed", str(exc).splitlines()[0][:300]
                    raise
                finally:
                    vs.elapsed_s = round(time.monotonic() - t1, 3)
                    status.save(folder)
        status.state = "done"
    except BaseException:
        status.state = "failed"
        raise
    finally:
        status.elapsed_s = round(time.monotonic() - t0, 3)
        status.spent = _paid(base, folder, variants, base_brief)
        status.save(folder)
    return status


def _boards(variants: list[plan.Variant], base_board: Storyboard, base_brief,
            where: str) -> dict[str, Storyboard]:
    """Each variant's board at the base's size (what generate asks for); the variant's own
    size is set when its folder is written."""
    w, h = base_brief.size
    return {v.name: plan.board_for(v, base_board, where).model_copy(update={"width": w, "height": h})
            for v in variants}


def _variants_paid(variants: list[plan.Variant], folder: Path, brief) -> float:
    return sum(spend(Project.at(v.folder(folder)), brief.budget.currency).total for v in variants
               if v.folder(folder).is_dir())


def _paid(base: Project, folder: Path, variants: list[plan.Variant], brief) -> float:
    return round(spend(base, brief.budget.currency).total + _variants_paid(variants, folder, brief), 4)


def _emitter(on_event: EventFn | None, status: CampaignStatus) -> Callable[[str, Progress], None]:
    def emit(variant: str, p: Progress) -> None:
        if on_event:
            on_event(Event(variant=variant, stage=p.stage, done=p.done, total=p.total,
                           message=p.message, variants_done=status.done,
                           variants_total=len(status.variants)))
    return emit


def _make_variant(base: Project, folder: Path, v: plan.Variant, vs: VariantStatus, base_brief,
                  board: Storyboard, *, cap_left: float, covers_wanted: list[str],
                  executor: Executor, emit: Callable[[Progress], None]) -> None:
    plat = platforms.get(v.platform)
    w, h = form.ASPECTS[v.aspect].size
    settings = dict(base_brief.settings)
    if v.language != base_brief.language:  # subtitles in the base's language and this one
        settings["subtitles"] = [base_brief.language, v.language]
    brief = base_brief.model_copy(update={
        "platform": v.platform, "aspect": v.aspect, "settings": settings,
        "budget": base_brief.budget.model_copy(update={"amount": round(cap_left, 4)})})
    project = derive.write_variant(base, v.folder(folder), brief,
                                   board.model_copy(update={"width": w, "height": h}), v.language)
    with runlock.hold(project.root, label=str(project.root)):
        ctx = pipeline.context(project, on_progress=emit)
        ctx.executor = executor
        gen_ctx = dataclasses.replace(ctx, brief=ctx.brief.model_copy(update={"aspect": base_brief.aspect}))
        ran = generate.run(gen_ctx).ran
        changed = _reframe(gen_ctx, v.aspect, board, regenerated=ran)
        cut_ran = cut_stage.run(dataclasses.replace(ctx, force=changed)).ran
        master.run(dataclasses.replace(ctx, force=cut_ran), max_duration_s=plat.max_duration_s)
        names = _covers(project, v, plat, brief.title, covers_wanted)
    qc = json.loads((project.out / "qc.json").read_text("utf-8"))
    facts = qc.get("facts", {})
    vs.state = "done"
    vs.qc_passed = bool(qc.get("passed"))
    vs.duration_s = round(facts.get("duration_s") or 0.0, 3)
    vs.width, vs.height = facts.get("width") or 0, facts.get("height") or 0
    vs.made, vs.reused = dict(ctx.counters.made), dict(ctx.counters.reused)
    vs.covers = names
    vs.message = "QC passed" if vs.qc_passed else "QC FAILED: see out/qc.json"


def _reframe(ctx: StageContext, aspect: str, board: Storyboard, *, regenerated: bool) -> bool:
    """Point the variant's manifest at its clips and cover reframed to `aspect` (made once
    per aspect in the shared store). True when the manifest changed."""
    manifest_path = ctx.project.manifest_json
    source_path = ctx.project.state / SOURCE_MANIFEST
    if regenerated or not source_path.exists():
        atomic_write_text(source_path, manifest_path.read_text("utf-8"))
    if aspect == ctx.brief.aspect:
        return False
    root = ctx.project.root
    source = Manifest.load(source_path)
    target = form.ASPECTS[aspect].size
    kinds = {s.id: s.kind for s in board.shots}

    def task(a: ShotAssets) -> ReframeTask:
        card = kinds.get(a.shot_id, "shot") != "shot"
        return ReframeTask(root=root, key=cache_key("reframe", {
            "clip": a.clip_key, "size": target, "card": card, "format": reframe.FORMAT}),
            clip=a.clip, keyframe=a.keyframe, size=target, card=card, fps=board.fps)

    # one task per clip on the run's executor (in-process, or the campaign's Ray cluster)
    with using(ctx.executor, ctx.settings.workers) as pool:
        tasks = [task(a) for a in source.shots]
        results = [f.result() for f in [pool.submit(t) for t in tasks]]
    shots = []
    for a, t, res in zip(source.shots, tasks, results):
        ctx.counters.add("reframe", hit=not res.made)
        shots.append(a.model_copy(update={"clip": str(res.path.relative_to(root)), "clip_key": t.key}))
    cover_key = cache_key("reframe-cover", {"cover": source.cover, "size": target, "card": True,
                                            "format": reframe.FORMAT})

    def make_cover(tmp: Path) -> None:
        with Image.open(root / source.cover) as im:
            size = im.size
        # a poster's words must stay whole: padded like a card
        reframe.image(root / source.cover, tmp, reframe.choose(size, target, card=True))

    cover = ctx.store.produce("reframe-cover", cover_key, ".png", make_cover)
    text = source.model_copy(update={"shots": shots, "cover": str(cover.relative_to(root))}
                             ).model_dump_json(indent=1)
    if manifest_path.read_text("utf-8") == text:
        return False
    atomic_write_text(manifest_path, text)
    record_run(ctx, generate.NAME, generate.inputs_key(ctx), Timer(), outputs=[manifest_path])
    return True


def _covers(project: Project, v: plan.Variant, plat: platforms.Platform, title: str,
            wanted: list[str]) -> list[str]:
    """Cover A (the master's cover) and B (the opening shot, titled) with the platform's
    cover sizes; returns the file names under out/."""
    out = project.out
    made: list[str] = []
    manifest = project.load_manifest()
    board = Storyboard.load(project.storyboard)
    w, h = board.width, board.height
    stamp = out / ".covers"
    key = cache_key("campaign-covers", {"wanted": wanted, "cover": manifest.cover, "title": title,
                                        "shots": [a.keyframe for a in manifest.shots],
                                        "platform": v.platform, "size": [w, h],
                                        "format": COVERS_FORMAT})
    listed = stamp.read_text("utf-8").split() if stamp.is_file() else []
    if listed and listed[0] == key and all((out / n).is_file() for n in listed[1:]):
        return listed[1:]  # up to date: nothing to redraw
    for which in wanted:
        full = out / f"cover-{which}.png"
        if which == "a":
            with atomic_output(full) as tmp:
                shutil.copyfile(out / "cover.png", tmp)
        else:
            opening = next((s.id for s in board.shots if s.kind == "shot"), board.shots[0].id)
            kf = next(a.keyframe for a in manifest.shots if a.shot_id == opening)
            still = project.state / "cover-b-still.png"
            with Image.open(project.root / kf) as im:
                size = im.size
            reframe.image(project.root / kf, still,
                          reframe.choose(size, (w, h), keyframe=project.root / kf))
            area = platforms.safe_area(v.platform, w, h)
            covers.titled_still(still, full, title, top_margin=area.top, bottom_margin=area.bottom)
            still.unlink(missing_ok=True)
        made.append(full.name)
        for c in plat.covers:  # the feed shows the film's own frame: no 9:16 crop of a 1:1 film
            if (c.width, c.height) != (w, h) and c.aspect != "9:16":
                sized = out / f"cover-{which}-{c.width}x{c.height}.png"
                deliverables.crop_cover(full, sized, (c.width, c.height), size=(c.width, c.height))
                made.append(sized.name)
    atomic_write_text(stamp, "\n".join([key, *made]) + "\n")
    return made
