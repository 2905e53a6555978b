"""Generate: every shot's keyframe and clip, every line's voice, the score and the cover.

Each asset is keyed by its request (minus the output path) and the provider's identity,
so an unchanged shot is never painted, animated or voiced again, and a changed line
regenerates that line's voice alone. Every asset is a typed task (microfilm.tasks) on the
run's executor: in-process threads (the providers spend their time in ffmpeg, eSpeak or the
network, not in Python) or a Ray cluster. This module plans the tasks and their order:
reference sheets, then keyframes (with voices, score and cover alongside), then each shot's
clip as soon as its keyframe exists, then lip-sync.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future, as_completed
from pathlib import Path

import numpy as np

from microfilm import form
from microfilm.cache import cache_key
from microfilm.errors import SpecError
from microfilm.executor import Executor, is_ray, using
from microfilm.fsutil import atomic_write_text, sha256_file
from microfilm.lanes import Lanes
from microfilm.ledger import open_ledger
from microfilm.media.images import MAX_REFERENCE_BYTES, ImageRefused, check_image
from microfilm.providers import dialogue, jobs, planner, registry
from microfilm.providers.pricing import BudgetGuard
from microfilm.review import load_approvals
from microfilm.providers.base import (
    AnimateRequest, CharacterLook, LipSyncRequest, PaintRequest, Request, ScoreRequest,
    SpeechRequest,
)
from microfilm.spec.bible import Bible, VoiceSpec
# re-exported: the manifest's types live in spec/, below every stage
from microfilm.spec.manifest import Manifest, Pending, ShotAssets, VoiceAsset
from microfilm.spec.storyboard import Shot, Storyboard
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, record_run, text_key
from microfilm.stages.prompting import shot_prompt  # models12c: each family's prompt text
from microfilm.stages.multishot import MultiShotCalls  # models12c: multi-shot calls
from microfilm.tasks import (
    AssetResult, AssetTask, ClipTask, CoverTask, KeyframeTask, LipSyncTask, ReferenceTask,
    RunSpec, ScoreTask, VoiceTask,
)
from microfilm.tasks import reframe as reframe_task
from microfilm.tasks import runs

NAME = "generate"


def manifest_path(ctx: StageContext) -> Path:
    return ctx.project.manifest_json


def load_manifest(ctx: StageContext) -> Manifest:
    return Manifest.load(manifest_path(ctx))


def _identity(name: str) -> dict[str, str]:
    entry = registry.entries().get(name)
    return entry.info.cache_identity() if entry and entry.info else {"provider": name}


def inputs_key(ctx: StageContext) -> str:
    p = ctx.project
    pv = ctx.brief.providers
    return cache_key(NAME, {
        "files": text_key(p.bible, p.storyboard),
        "brief": {"genre": ctx.brief.genre, "language": ctx.brief.language, "seed": ctx.brief.seed,
                  "title": ctx.brief.title, "logline": ctx.brief.logline,
                  "aspect": ctx.brief.aspect},
        "providers": [_identity(n) for n in (pv.painter, pv.animator, pv.voice, pv.composer)]
        + ([_identity(pv.lipsync)] if pv.lipsync else []),
        "oversize": ctx.settings.keyframe_oversize,
        "review": ctx.settings.approve_before_animating,
        "approvals": load_approvals(p).model_dump(),
    })


class _Generator:
    def __init__(self, ctx: StageContext, board: Storyboard, bible: Bible, pool: Executor):
        self.ctx = ctx
        self.pool = pool
        self.board = board
        self.bible = bible
        pv = ctx.brief.providers
        self.painter = registry.get(pv.painter, "painter")
        self.animator = registry.get(pv.animator, "animator")
        self.voice = registry.get(pv.voice, "voice")
        self.composer = registry.get(pv.composer, "composer")
        self.house_painter = registry.get("house-painter", "painter")
        self.house_animator = registry.get("house-animator", "animator")
        self.lipsync = registry.get(pv.lipsync, "lipsync") if pv.lipsync else None
        self.moved_by: dict[str, str] = {}  # shot id -> the animator that made its clip
        self.root = ctx.project.root
        self.ledger = open_ledger(self.root, ctx.settings.ledger_url)
        budget = ctx.brief.budget
        self.guard = BudgetGuard(budget.amount, budget.currency,
                                 spent=self.ledger.committed(budget.currency),
                                 rate=ctx.settings.usd_to_cny)
        # What a task needs to find this run's ledger, budget and providers on any node.
        self.spec = RunSpec(run_id=uuid.uuid4().hex, root=self.root,
                            ledger_url=ctx.settings.ledger_url, budget=budget.amount,
                            currency=budget.currency, usd_to_cny=ctx.settings.usd_to_cny,
                            workers=ctx.settings.workers,
                            lanes_board=getattr(ctx.executor, "lanes_board", ""))
        # A lane per paid provider (its declared concurrency), one for the CPU (microfilm.lanes)
        self.lanes = Lanes(ctx.settings.workers)
        mine = [p for p in (self.painter, self.animator, self.voice, self.composer,
                            self.house_painter, self.house_animator, self.lipsync) if p is not None]
        self.run_context = runs.RunContext(
            ledger=self.ledger, guard=self.guard, lanes=self.lanes,
            providers={(p.info.id, p.info.capability): p for p in mine})
        self.refusals: list[str] = []
        self._refs: dict[str, Path | None] = {}
        self._checked: set[Path] = set()  # supplied reference pictures that decoded
        self.palette = tuple(bible.style.palette) or ctx.brief.preset.palette
        # Paid motion waits for a person's approval (see microfilm.review).
        self.review = ctx.settings.approve_before_animating and self.animator.info.paid
        self.approvals = load_approvals(ctx.project)
        self.drafts: list[str] = []

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def _submit(self, task_type: type[AssetTask], provider, request: Request,
                shot_id: str = "") -> Future:
        """The asset for `request` as a task on the run's executor; made only if the store
        lacks it. A paid provider's call goes through `jobs.execute` there: recorded in the
        ledger first, budget-checked, never sent twice."""
        key = cache_key(task_type.kind, request, provider.info.cache_identity())
        suffix = _clip_ext(provider) if task_type is ClipTask else ""
        return self.pool.submit(task_type(spec=self.spec, provider=provider.info.id,
                                          request=request, key=key, shot_id=shot_id,
                                          suffix=suffix, remote=provider.info.paid))

    def _took(self, future: Future, kind: str) -> AssetResult:
        result: AssetResult = future.result()
        if not result.refused:
            self.ctx.counters.add(kind, hit=not result.made)
        return result

    def _produce(self, task_type: type[AssetTask], provider, request: Request,
                 shot_id: str = "") -> Path:
        result = self._took(self._submit(task_type, provider, request, shot_id), task_type.kind)
        if result.refused:
            raise jobs.RefusedError(result.refused)  # the text already names provider and shot
        return result.path

    def _looks(self, ids: list[str]) -> tuple[CharacterLook, ...]:
        looks = []
        for cid in ids:
            c = self.bible.character(cid)
            if c:
                looks.append(CharacterLook(id=c.id, name=c.name, look=c.look, wardrobe=c.wardrobe,
                                           color=c.color))
        return tuple(looks)

    def keyframe(self, shot: Shot) -> tuple[object, PaintRequest]:
        """The painter for the shot's keyframe and what to ask it."""
        b = self.ctx.brief
        loc = self.bible.location(shot.location) if shot.location else None
        is_card = shot.kind in ("title", "credits")
        w, h = planner.keyframe_size(*b.size, self.house_animator.info if is_card
                                     else self.animator.info, self.ctx.settings.keyframe_oversize)
        req = PaintRequest(
            kind="card" if is_card else "keyframe",
            prompt=shot_prompt(self.painter.info, shot, self.bible, references=self._ref_ids(shot, self.painter)),
            width=w, height=h,
            genre=b.genre.value, palette=self.palette, framing=shot.framing,
            time_of_day=shot.time_of_day, location=loc.name if loc else shot.location,
            motifs=tuple(loc.motifs) if loc else (), characters=self._looks(shot.characters),
            title=shot.text[0] if (is_card and shot.text) else "",
            subtitle="\n".join(shot.text[1:]) if is_card else "",
            language=b.language, seed=b.seed * 1000 + shot.take,
            **self._references(shot, self.painter),
        )
        # Title and credits cards are typesetting, not pictures to pay for: the house
        # painter and animator set them exactly, in any script.
        return (self.house_painter if is_card else self.painter), req

    def clip(self, shot: Shot, keyframe: Path) -> tuple[object, AnimateRequest]:
        """The animator for the shot's clip (a free house draft while it waits for approval)
        and what to ask it."""
        w, h = self.ctx.brief.size
        req = AnimateRequest(
            image=keyframe, image_sha256=sha256_file(keyframe), camera=shot.camera,
            duration=shot.duration, width=w, height=h, fps=self.board.fps,
            prompt=shot_prompt(self.animator.info, shot, self.bible, references=self._ref_ids(shot, self.animator),
                               dialogue=bool(self.native_lines(shot))),
            seed=self.ctx.brief.seed * 1000 + shot.take, **self._references(shot, self.animator),
        )
        animator = self.animator if shot.kind == "shot" else self.house_animator
        if animator is self.animator and self.review and not self._cleared(shot):
            animator = self.house_animator  # a free draft of the keyframe until approved
            self.drafts.append(shot.id)
        return animator, req

    def took_clip(self, shot: Shot, animator, req: AnimateRequest,
                  future: Future) -> tuple[Path, str, bool]:
        """The clip's path, cache key and whether it has sound; a refused clip is made by
        the house animator instead."""
        result = self._took(future, "clip")
        if result.refused:
            path = self._fallback(shot, result.refused, "clip", req)
            return path, cache_key("clip", req, self.house_animator.info.cache_identity()), False
        self.moved_by[shot.id] = animator.info.id
        return (result.path, cache_key("clip", req, animator.info.cache_identity()),
                animator.info.capabilities.native_audio)

    def took_keyframe(self, shot: Shot, req: PaintRequest, future: Future) -> Path:
        result = self._took(future, "keyframe")
        return self._fallback(shot, result.refused, "keyframe", req) if result.refused else result.path

    def lip_synced(self, shot: Shot, clip: Path, key: str,
                   voices: list[VoiceAsset]) -> tuple[Path, str, bool] | None:
        """The clip with its on-screen speakers' lines fitted to their faces, where the board
        plans lip-sync (providers.dialogue); None when nothing in the shot is lip-synced.
        Only clips from the film's own animator are synced: a free draft waiting for
        approval, or a refused shot made by the house animator, is not paid for again."""
        if self.lipsync is None or self.moved_by.get(shot.id) != self.animator.info.id:
            return None
        ways = dialogue.deliveries(shot, self.animator.info, self.lipsync.info,
                                   where=str(self.ctx.project.storyboard))
        said = [v for v, way in zip(voices, ways) if way == "lipsync"]
        if not said:
            return None
        from microfilm.media.audio import SR, decode
        from microfilm.providers.house.composer import write_wav

        n = int(round(shot.duration * SR))
        track = np.zeros((2, n), dtype=np.float32)  # the lines where they are said, else silence
        for v in said:
            at = int(round(v.start * SR))
            part = decode(self.root / v.path, 2)[:, :max(0, n - at)]
            track[:, at:at + part.shape[1]] += part
        audio = self.ctx.project.state / "lipsync" / f"{shot.id}.wav"
        audio.parent.mkdir(parents=True, exist_ok=True)
        write_wav(audio, track)
        w, h = self.ctx.brief.size
        clip = playable(self.ctx, clip)  # a house recipe rendered: the provider wants frames
        req = LipSyncRequest(video=clip, video_sha256=sha256_file(clip), audio=audio,
                             audio_sha256=sha256_file(audio), duration=shot.duration, width=w,
                             height=h, fps=self.board.fps)
        path = self._produce(LipSyncTask, self.lipsync, req, shot.id)
        return path, cache_key("lipsync", req, self.lipsync.info.cache_identity()), True

    def native_lines(self, shot: Shot) -> list:
        """The shot's lines its clip will speak (providers.dialogue): on-screen, close enough,
        from the film's own animator when it speaks dialogue."""
        if shot.kind != "shot" or not shot.lines:
            return []
        ways = dialogue.deliveries(shot, self.animator.info,
                                   self.lipsync.info if self.lipsync else None,
                                   where=str(self.ctx.project.storyboard))
        return [ln for ln, way in zip(shot.lines, ways) if way == "native"]

    def spoken_in_clip(self, shot: Shot, index: int, clip: Path) -> tuple[Path, float] | None:
        """Line `index` cut from the clip's own sound (media.native_speech), or None when the
        clip cannot speak it: a free draft or a refused shot made by the house animator, a
        clip without sound, or silence where the line should be. Then the line is voiced."""
        from microfilm.media import native_speech
        from microfilm.media.probe import probe

        if self.moved_by.get(shot.id) != self.animator.info.id or probe(clip).audio is None:
            return None
        line = shot.lines[index]
        later = [ln.start for ln in shot.lines[index + 1:] if ln.start > line.start]
        end = min(later[0] if later else shot.duration, shot.duration)
        key = cache_key("native-line", {"clip": sha256_file(clip), "start": line.start,
                                        "end": end, "band": native_speech.VOICE_BAND_HZ})
        seconds: list[float] = []
        path = self.ctx.store.produce("native-line", key, ".wav", lambda tmp: seconds.append(
            native_speech.excerpt(clip, line.start, end, tmp)))
        length = seconds[0] if seconds else _wav_seconds(path)
        return (path, length) if length >= native_speech.MIN_LINE_S else None

    def _fallback(self, shot: Shot, refusal: str, kind: str, request: Request) -> Path:
        """A refused shot is reported and made by the house provider, so the film goes on."""
        self.refusals.append(f"{shot.id}: {refusal}")
        self.ctx.store.log({"event": "refused", "shot": shot.id, "kind": kind, "error": refusal})
        if kind == "keyframe":
            return self._produce(KeyframeTask, self.house_painter, request)
        return self._produce(ClipTask, self.house_animator, request)

    def reference(self, character_id: str) -> Path | None:
        """A character's reference sheet (`paint_references` made them all before any shot)."""
        if character_id not in self._refs:
            self.paint_references([character_id])
        return self._refs[character_id]

    def paint_references(self, characters: list[str]) -> None:
        """Each character's sheet, painted once (tasks in parallel) and passed to every shot
        with them; a person's own picture from the bible is used as it is."""
        todo = {}
        for cid in dict.fromkeys(characters):
            if cid in self._refs:
                continue
            path = self.supplied_reference(cid)
            looks = self._looks([cid]) if path is None else []
            if looks:
                todo[cid] = self._submit(ReferenceTask, self.painter,
                                         self._reference_request(looks[0], cid), cid)
            else:
                self._refs[cid] = path
        for cid, fut in todo.items():
            result = self._took(fut, "reference")
            if result.refused:
                raise jobs.RefusedError(result.refused)
            self._refs[cid] = result.path

    def supplied_reference(self, character_id: str) -> Path | None:
        """A person's own picture of the character (bible.yaml `reference`), checked before
        any shot uses it: it must be in the film folder and decode as PNG, JPEG or WebP."""
        c = self.bible.character(character_id)
        if c is None or not c.reference:
            return None
        path = self.root / c.reference
        if path in self._checked:
            return path
        where = f"{self.ctx.project.bible}: characters[{c.id}].reference"
        try:
            check_image(path.read_bytes(), MAX_REFERENCE_BYTES)
        except FileNotFoundError:
            raise SpecError(f"{where}: {path} does not exist; put the picture there or clear "
                            "the field to have a sheet painted") from None
        except ImageRefused as exc:
            raise SpecError(f"{where}: {path}: {exc}") from None
        self._checked.add(path)
        return path

    def _reference_request(self, look: CharacterLook, character_id: str) -> PaintRequest:
        b = self.ctx.brief
        take = self.approvals.reference_takes.get(character_id, 0)
        req = PaintRequest(kind="reference", prompt=f"{look.name}: {look.look}; {look.wardrobe}",
                           width=1024, height=1536, genre=b.genre.value, palette=self.palette,
                           framing="full figure", characters=(look,), title=look.name,
                           language=b.language, seed=b.seed + 1_000_003 * take)
        return req

    def _cleared(self, shot: Shot) -> bool:
        """Approved by a person: the shot, and the sheet of each character in it."""
        if not shot.approved:
            return False
        takes_refs = (self.animator.info.capabilities.references
                      or self.painter.info.capabilities.references)
        for cid in shot.characters if takes_refs else ():
            sheet = self.reference(cid)
            if sheet and not self._approved_sheet(cid, sheet):
                return False
        return True

    def _approved_sheet(self, character_id: str, sheet: Path) -> bool:
        return self.approvals.clears(character_id, sheet, self.supplied_reference(character_id))

    def pending(self) -> Pending:
        sheets = {c: p for c, p in self._refs.items() if p is not None}
        drafted = [s.id for s in self.board.shots if s.id in self.drafts]
        approved = {s.id for s in self.board.shots if s.approved}
        return Pending(shots=[s for s in drafted if s not in approved], drafts=drafted,
                       references={c: self._rel(p) for c, p in sorted(sheets.items())
                                   if not self._approved_sheet(c, p)})

    def _references(self, shot: Shot, provider) -> dict:
        """Reference fields for a provider that takes references; none otherwise."""
        if not provider.info.capabilities.references or shot.kind != "shot":
            return {}
        paths = [p for p in (self.reference(c) for c in shot.characters) if p]
        return {"references": tuple(sha256_file(p) for p in paths), "reference_paths": tuple(paths)}

    def _ref_ids(self, shot: Shot, provider) -> tuple[str, ...]:
        """The ids whose sheets `_references` sends, in its order (the prompt names them)."""
        if not provider.info.capabilities.references or shot.kind != "shot":
            return ()
        return tuple(c for c in shot.characters if self.reference(c))

    def speech(self, character: str, text: str) -> Future:
        c = self.bible.character(character)
        req = SpeechRequest(text=text, language=self.ctx.brief.language,
                            voice=c.voice if c else VoiceSpec(), character=c.id if c else character)
        return self._submit(VoiceTask, self.voice, req)

    def voiced(self, future: Future) -> tuple[Path, float]:
        path = self._took(future, "voice").path
        return path, _wav_seconds(path)

    def score(self) -> Future:
        b = self.ctx.brief
        starts, scene_starts, last_scene = self.board.starts(), [], -1
        for shot, t in zip(self.board.shots, starts):
            if shot.kind == "shot" and shot.scene != last_scene:
                scene_starts.append(round(t, 3))
                last_scene = shot.scene
        pr = b.preset
        req = ScoreRequest(genre=b.genre.value, mood=pr.music_mood, tempo_bpm=pr.tempo_bpm,
                           mode=pr.mode, duration=round(self.board.duration, 3),
                           scene_starts=tuple(scene_starts), seed=b.seed)
        return self._submit(ScoreTask, self.composer, req)

    def cover(self) -> Future:
        b = self.ctx.brief
        w, h = b.size
        stars = [c.id for c in self.bible.characters[:2]]
        loc = self.bible.locations[0] if self.bible.locations else None
        req = PaintRequest(
            kind="cover", prompt=b.logline, width=w, height=h, genre=b.genre.value,
            palette=self.palette, framing="medium", location=loc.name if loc else "",
            motifs=tuple(loc.motifs) if loc else (), characters=self._looks(stars),
            title=b.title, subtitle=b.logline, language=b.language, seed=b.seed,
        )
        return self._submit(CoverTask, self.painter, req)

    def run(self) -> Manifest:
        runs.register(self.spec, self.run_context)  # in-process tasks share these objects
        try:
            return self._run()
        finally:
            runs.forget(self.spec)

    def _run(self) -> Manifest:
        shots = self.board.shots
        total = len(shots) + sum(len(s.lines) for s in shots) + 2
        done = 0

        def tick(msg: str) -> None:
            nonlocal done
            done += 1
            self.ctx.progress(NAME, done, total, msg)

        def voice(character: str, text: str) -> Future:
            fut = self.speech(character, text)
            fut.add_done_callback(lambda _f: tick(f"voice: {character}"))
            return fut

        # A line the clip will speak is not voiced: no TTS call, nothing paid for it.
        native = [self.native_lines(s) for s in shots]
        voices: list[list[Future | None]] = [
            [None if ln in said else voice(ln.character, ln.text) for ln in s.lines]
            for s, said in zip(shots, native)]
        score_f, cover_f = self.score(), self.cover()
        if (self.painter.info.capabilities.references
                or self.animator.info.capabilities.references):
            self.paint_references([c for s in shots if s.kind == "shot" for c in s.characters])
        multishot = MultiShotCalls(self)  # grouped shots: one call per run (stages/multishot.py)
        by_id = {s.id: s for s in shots}
        asked = {s.id: self.keyframe(s) for s in shots}
        pictures = {self._submit(KeyframeTask, painter, req, s.id): s
                    for s, (painter, req) in zip(shots, asked.values())}
        keyframes: dict[str, Path] = {}
        clips: dict[str, tuple] = {}

        def start_clip(shot: Shot) -> None:
            animator, req = self.clip(shot, keyframes[shot.id])
            clips[shot.id] = (animator, req, self._submit(ClipTask, animator, req, shot.id))

        for fut in as_completed(pictures):  # each clip starts as soon as its keyframe exists
            shot = pictures[fut]
            keyframes[shot.id] = self.took_keyframe(shot, asked[shot.id][1], fut)
            if shot.id not in multishot.run_of:  # a run's shots go together, below
                start_clip(shot)
        grouped = multishot.made(multishot.start(keyframes))
        for shot_id in [i for i, made in grouped.items() if made is None]:
            start_clip(by_id[shot_id])  # its run was refused: each shot is made alone
        assets = []
        for shot, vfs in zip(shots, voices):
            kf = keyframes[shot.id]
            if grouped.get(shot.id) is not None:
                clip, key, has_audio = grouped[shot.id]
            else:
                animator, req, clip_f = clips[shot.id]
                clip, key, has_audio = self.took_clip(shot, animator, req, clip_f)
            tick(f"shot {shot.id}")
            va = []
            for i, (line, vf) in enumerate(zip(shot.lines, vfs)):
                spoken = self.spoken_in_clip(shot, i, clip) if vf is None else None
                path, dur = spoken or self.voiced(vf or self.speech(line.character, line.text))
                va.append(VoiceAsset(character=line.character, text=line.text, start=line.start,
                                     line_id=line.line_id,
                                     path=self._rel(path), duration=round(dur, 4),
                                     native=spoken is not None))
            synced = self.lip_synced(shot, clip, key, va)
            if synced is not None:  # the voice track still carries the line: the clip's
                clip, key, has_audio = synced  # copy stays muted unless keep_clip_audio
            assets.append(ShotAssets(shot_id=shot.id, keyframe=self._rel(kf), clip=self._rel(clip),
                                     clip_key=key, clip_has_audio=has_audio, voices=va))
        score = self._took(score_f, "score").path
        tick("score")
        cover = self._took(cover_f, "cover").path
        tick("cover")
        sheets = {c: self._rel(p) for c, p in sorted(self._refs.items()) if p is not None}
        return Manifest(shots=assets, score=self._rel(score), cover=self._rel(cover),
                        refused=self.refusals, references=sheets,
                        pending=self.pending() if self.review else Pending(), review=self.review)


# speed14b hooks (issue 14 point 4; ray14a owns this file): the house animator's clip is a
# camera-move recipe (media/motion.py) that cut renders straight into its segment, one encode
# per shot; these two helpers are all generate knows of it.
def _clip_ext(animator) -> str:
    """The file ending an animator's clip is kept under: a recipe's for the house animator."""
    return getattr(animator, "clip_suffix", ".mp4")


def playable(ctx: StageContext, clip: Path) -> Path:
    """`clip` as an MP4 (a recipe rendered once, cached), for a provider that reads frames."""
    return reframe_task.playable(ctx.store, clip)


def _wav_seconds(path: Path) -> float:
    import wave

    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def run(ctx: StageContext) -> StageOutcome:
    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and manifest_path(ctx).exists():
        return StageOutcome(stage=NAME, ran=False, message="all assets are up to date")
    timer = Timer()
    board = Storyboard.load(ctx.project.storyboard)
    bible = Bible.load(ctx.project.bible)
    if board.duration > form.MAX_DURATION_S:
        from microfilm.errors import SpecError

        raise SpecError(
            f"{ctx.project.storyboard}: the storyboard runs {form.format_clock(board.duration)}, "
            f"over the micro film's 10:00 cap; shorten shots or cut scenes"
        )
    before = dict(ctx.counters.made)
    with using(ctx.executor, ctx.settings.workers) as pool:
        manifest = _Generator(ctx, board, bible, pool).run()
    atomic_write_text(manifest_path(ctx), manifest.model_dump_json(indent=1))
    record_run(ctx, NAME, key, timer, outputs=[manifest_path(ctx)])
    made = {k: v - before.get(k, 0) for k, v in ctx.counters.made.items() if v - before.get(k, 0)}
    summary = ", ".join(f"{v} {k}" for k, v in sorted(made.items())) or "nothing new"
    if manifest.refused:
        summary += (f"; {len(manifest.refused)} refused by the provider and made by the house "
                    f"providers instead: " + "; ".join(manifest.refused))
    if manifest.pending.drafts or not manifest.pending.empty:
        summary += "; " + pending_message(ctx.project.root, manifest.pending)
    return StageOutcome(stage=NAME, ran=True, message=f"made {summary}")


def pending_message(root: Path, pending: Pending) -> str:
    """What the house animator drafted, what waits for approval, and the command that gives it."""
    parts = [f"{len(pending.drafts)} shot(s) drafted by the house animator ({', '.join(pending.drafts)}) "
             "until approved"] if pending.drafts else []
    if pending.shots:
        parts.append(f"shots to approve after looking at their keyframes: {', '.join(pending.shots)}: "
                     f"`microfilm approve {root} SHOT...` or `--all`")
    if pending.references:
        sheets = ", ".join(f"{c} ({p})" for c, p in pending.references.items())
        parts.append(f"reference sheets to approve: {sheets}: "
                     f"`microfilm approve {root} --reference CHARACTER`")
    return "; ".join(parts)


def check_cluster_ledger(ctx: StageContext) -> None:
    """Refuse, before connecting to a cluster, a paid film on machines beyond this one without
    the cluster's one ledger: SQLite on a shared folder is not safe across machines, and a
    task retried on another node must see every claim."""
    address = ctx.settings.executor.removeprefix("ray://").rsplit(":", 1)[0]
    if (not is_ray(ctx.settings.executor) or ctx.settings.ledger_url
            or ctx.settings.executor == "auto" or address in ("127.0.0.1", "localhost", "::1")):
        return
    pv = ctx.brief.providers
    names = [n for n in (pv.painter, pv.animator, pv.voice, pv.composer, pv.lipsync) if n]
    paid = [n for n in names if (e := registry.entries().get(n)) and e.info and e.info.paid]
    if paid:
        raise SpecError(
            f"{ctx.project.brief_path}: {', '.join(paid)} bill each call and the film runs on the "
            f"Ray cluster at {ctx.settings.executor}: set ledger_url (or MICROFILM_LEDGER_URL) to "
            "a PostgreSQL database every node reaches, so no request is paid twice")
