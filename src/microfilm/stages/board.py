"""Board: the screenplay becomes shots, timed to the voices and to what the animator renders.

Shot lengths come from the speaking rate (form.speech_seconds) and are fitted to the
animator's declared durations: an animator with discrete lengths (5/10 s, 4/8/12 s) gets
shots of exactly those lengths, and a scene too long for one shot is split. A character's
look and wardrobe are the same words in every prompt that shows them.
"""

from __future__ import annotations

from microfilm import form
from microfilm.cache import cache_key
from microfilm.providers import registry
from microfilm.providers.base import Capabilities
from microfilm.spec import fountain
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.direction import staging
from microfilm.direction.version import code_version
from microfilm.direction.coverage import ShotWords, build_shot, cover_scene
from microfilm.spec.screenplay import Screenplay, Transition
from microfilm.spec.storyboard import Shot, Storyboard
from microfilm.stages.base import (
    StageContext, StageOutcome, Timer, is_fresh, record_run, text_key, write_managed,
)

NAME = "board"
TRANSITION_WORDS = {"DISSOLVE": "dissolve", "FADE": "fade", "CUT": "cut", "叠化": "dissolve", "淡": "fade"}


def plan(brief: Brief, bible: Bible, screenplay: Screenplay, caps: Capabilities) -> Storyboard:
    """The house director: staging read from the script, covered by film grammar."""
    preset = brief.preset
    lang = brief.language
    width, height = brief.size
    shots: list[Shot] = [Shot(
        id="title", kind="title", duration=form.TITLE_CARD_S, camera="slow push-in",
        prompt=f"title card: {brief.title}", text=[brief.title, brief.logline],
        transition="fade",
    )]
    moves = preset.camera_moves
    words = ShotWords(bible=bible, style=bible.style.look, lang=lang)
    next_scene_transition: dict[int, str] = {}
    previous_place = None
    n = 0
    for scene, st in zip(screenplay.scenes, staging.stage(screenplay, bible)):
        place = (st.location.casefold(), st.interior)
        cut = cover_scene(st, lang, caps, new_place=place != previous_place)
        previous_place = place
        for i, (shot_id, take, lines, duration) in enumerate(cut.shots):
            n += 1
            camera = _camera(take.framing, moves, n)
            transition = preset.transition if (i == 0 and st.number > 1) else "cut"
            shots.append(build_shot(shot_id, st, take, lines, duration, camera, transition, words))
        trans_el = [e for e in scene.elements if isinstance(e, Transition)]
        if trans_el:
            word = trans_el[-1].text.upper()
            pending = next((v for k, v in TRANSITION_WORDS.items() if k in word), "")
            if pending:  # the screenplay's transition decides how the next scene comes in
                next_scene_transition[len(shots)] = pending
    for index, transition in next_scene_transition.items():
        if index < len(shots):
            shots[index].transition = transition
    credits = [brief.title] + [f"{c.name} — {c.role}" if c.role else c.name for c in bible.characters]
    shots.append(Shot(
        id="credits", kind="credits", duration=form.CREDITS_CARD_S, camera="static",
        prompt="end credits", text=credits, transition="fade",
    ))
    return Storyboard(title=brief.title, language=lang, width=width, height=height,
                      fps=form.FPS, shots=shots)


def _camera(framing: str, moves: tuple[str, ...], n: int) -> str:
    """Inserts and reactions hold still; wider shots take the genre's moves in turn."""
    if framing in ("extreme close-up", "close-up"):
        return "static" if n % 2 else "slow push-in"
    if framing == "extreme-wide":
        return next((m for m in moves if "pan" in m or "pull" in m), moves[0])
    return moves[n % len(moves)]


# ---- the stage --------------------------------------------------------------------------


def animator_caps(ctx: StageContext) -> Capabilities:
    entry = registry.entries().get(ctx.brief.providers.animator)
    return entry.info.capabilities if entry and entry.info else Capabilities()


def llm_backend(ctx: StageContext):
    """The configured LLM writer's chat backend, or None for the house writer (or a writer
    that is not a chat model): then the house director boards alone."""
    if ctx.brief.providers.writer.startswith("house"):
        return None
    try:
        writer = registry.get(ctx.brief.providers.writer, "writer")
    except Exception:  # not usable here (no key): the house director boards
        return None
    return getattr(writer, "backend", None)


def _director(ctx: StageContext) -> dict:
    writer = ctx.brief.providers.writer
    if writer.startswith("house"):
        return {"director": "house"}
    entry = registry.entries().get(writer)
    return {"director": entry.info.cache_identity() if entry and entry.info else writer}


def inputs_key(ctx: StageContext) -> str:
    p = ctx.project
    b = ctx.brief
    return cache_key(NAME, {
        "files": text_key(p.bible, p.screenplay),
        "brief": {"title": b.title, "logline": b.logline, "genre": b.genre, "language": b.language,
                  "aspect": b.aspect},
        "caps": animator_caps(ctx),
        **_director(ctx),
    }, {"board": "house-board", "version": "2", "direction": code_version()})


def run(ctx: StageContext) -> StageOutcome:
    p = ctx.project
    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and p.storyboard.exists():
        return StageOutcome(stage=NAME, ran=False, message="storyboard is up to date")
    timer = Timer()
    bible = Bible.load(p.bible)
    screenplay = fountain.load(p.screenplay)
    backend = llm_backend(ctx)
    if backend is not None:  # an LLM writer is configured: it directs, the house director backs it
        from microfilm.providers.llm.director import direct

        house = plan(ctx.brief, bible, screenplay, animator_caps(ctx))
        board, report = direct(ctx.brief, bible, screenplay, house, backend)
        for number, why in report.fallback.items():
            ctx.store.log({"event": "director-fallback", "scene": number, "error": why})
    else:
        board = plan(ctx.brief, bible, screenplay, animator_caps(ctx))
    board = _keep_locked(p, board)
    (result,) = write_managed(ctx, {p.storyboard: board.to_yaml()}, key, NAME)
    record_run(ctx, NAME, key, timer)
    if not result.written:
        return StageOutcome(stage=NAME, ran=True, message="kept your edits to storyboard.yaml")
    return StageOutcome(stage=NAME, ran=True,
                        message=f"{len(board.shots)} shots, {form.format_clock(board.duration)}")


def _keep_locked(p, board: Storyboard) -> Storyboard:
    """Shots locked in the current storyboard survive a re-board unchanged."""
    if not p.storyboard.exists():
        return board
    try:
        old = Storyboard.load(p.storyboard)
    except Exception:
        return board
    locked = {s.id: s for s in old.shots if s.locked}
    carried = {s.id: s for s in old.shots if s.take or s.approved}
    shots = []
    for s in board.shots:
        if s.id in locked:
            shots.append(locked[s.id])
        elif s.id in carried:
            shots.append(s.model_copy(update={"take": carried[s.id].take,
                                              "approved": carried[s.id].approved}))
        else:
            shots.append(s)
    return board.model_copy(update={"shots": shots})
