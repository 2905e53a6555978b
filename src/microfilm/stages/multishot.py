"""Multi-shot calls: consecutive shots of one scene rendered in one request, then cut back.

Where the film's animator renders several shots in one call (its catalogue `multi_shot`),
the shots a board groups (`group` in storyboard.yaml) go as one request: fewer calls, and
one model holding the faces and the light across the cuts. The run is planned by
`providers.planner.multishot_runs` (so `estimate` prices the same one job), sent, ledgered
and resumed as one paid job by `jobs.execute`, and the clip is cut back into the planned
shots at their planned frames in one ffmpeg pass (media.clip_split). Each shot then goes on
as if it had been made alone: its own clip in the store, its dialogue, its lip-sync.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from microfilm.cache import cache_key
from microfilm.fsutil import sha256_file
from microfilm.media.clip_split import split_at_frames
from microfilm.media.segments import frames_for
from microfilm.providers import planner
from microfilm.providers.base import MultiShotRequest, ShotPart
from microfilm.spec.storyboard import Shot
from microfilm.stages.prompting import shot_prompt
from microfilm.tasks import ClipTask

if TYPE_CHECKING:  # the generate stage's worker; imported for types only
    from microfilm.stages.generate import _Generator

Made = tuple[Path, str, bool]  # a shot's clip, its cache key, whether it has sound


def cut_points(run: tuple[Shot, ...], seconds: list[int], fps: int) -> tuple[list[int], list[int]]:
    """Where each shot starts in the run's clip (the frame its part began) and how many
    frames the plan gives it."""
    starts, at = [], 0
    for s in seconds:
        starts.append(frames_for(at, fps))
        at += s
    return starts, [frames_for(shot.duration, fps) for shot in run]


class MultiShotCalls:
    """The runs of one generate pass, each sent once as one task on the run's executor.

    Generate starts every run once all its shots' keyframes exist (`start`: the run's call
    goes from its lead shot's keyframe), while the other shots' clips are already out, then
    takes the results (`made`): each run's clip cut back into its shots. A run the provider
    refuses gives None for its shots, which generate then makes one by one."""

    def __init__(self, gen: "_Generator"):
        self.gen = gen
        runs = planner.multishot_runs(gen.board.shots, gen.animator.info)
        if gen.review:  # paid motion waits for approval: a run goes only when all of it may
            runs = [r for r in runs if all(gen._cleared(s) for s in r)]
        self.runs = runs
        self.run_of = {s.id: run for run in runs for s in run}

    def start(self, keyframes: dict[str, Path]) -> list[tuple[tuple[Shot, ...], MultiShotRequest, Future]]:
        """Each run's one call, submitted from its lead shot's keyframe."""
        out = []
        for run in self.runs:
            req = self.request(run, keyframes[run[0].id])
            out.append((run, req, self.gen._submit(ClipTask, self.gen.animator, req, run[0].id)))
        return out

    def made(self, started) -> dict[str, Made | None]:
        """Every grouped shot's clip, cut from its run's call; None for a refused run's shots."""
        out: dict[str, Made | None] = {}
        for run, req, future in started:
            out.update(self._cut_back(run, req, future))
        return out

    def request(self, run: tuple[Shot, ...], keyframe: Path) -> MultiShotRequest:
        gen = self.gen
        info = gen.animator.info
        lead = run[0]
        cast = list(dict.fromkeys(c for s in run for c in s.characters))
        whole = lead.model_copy(update={"characters": cast})
        refs = gen._references(whole, gen.animator)
        ids = gen._ref_ids(whole, gen.animator)
        seconds = [planner.part_seconds(s.duration, info.capabilities) for s in run]
        parts = tuple(ShotPart(shot_id=s.id, seconds=n,
                               prompt=shot_prompt(info, s, gen.bible, references=ids,
                                                  dialogue=bool(gen.native_lines(s))))
                      for s, n in zip(run, seconds))
        w, h = gen.ctx.brief.size
        return MultiShotRequest(image=keyframe, image_sha256=sha256_file(keyframe), camera=lead.camera,
                                duration=float(sum(seconds)), width=w, height=h, fps=gen.board.fps,
                                prompt=parts[0].prompt, seed=gen.ctx.brief.seed * 1000 + lead.take,
                                shots=parts, **refs)

    def _cut_back(self, run: tuple[Shot, ...], req: MultiShotRequest,
                  future: Future) -> dict[str, Made | None]:
        gen = self.gen
        result = gen._took(future, "clip")
        if result.refused:  # each shot is tried alone (then the house animator)
            gen.ctx.store.log({"event": "refused", "shot": run[0].id, "kind": "multi-shot clip",
                               "shots": [s.id for s in run], "error": result.refused})
            return {s.id: None for s in run}
        whole = result.path
        key = cache_key("clip", req, gen.animator.info.cache_identity())
        starts, counts = cut_points(run, [p.seconds for p in req.shots], req.fps)
        keys = [cache_key("clip-part", {"clip": key, "shot": s.id, "start": a, "frames": n})
                for s, a, n in zip(run, starts, counts)]
        store = gen.ctx.store
        store.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".multishot-", dir=store.root) as tmp:
            pieces = [Path(tmp) / f"{i}.mp4" for i in range(len(run))]
            if not all(store.path("clip", k, ".mp4").exists() for k in keys):
                split_at_frames(whole, pieces, starts, counts, req.fps)
            paths = [store.produce("clip", k, ".mp4", lambda out, p=p: p.replace(out))
                     for k, p in zip(keys, pieces)]
        sound = gen.animator.info.capabilities.native_audio
        for s in run:
            gen.moved_by[s.id] = gen.animator.info.id
        return {s.id: (p, k, sound) for s, p, k in zip(run, paths, keys)}
