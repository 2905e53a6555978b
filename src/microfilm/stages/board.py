"""Board: the screenplay becomes shots, timed to the voices and to what the animator renders.

Shot lengths come from the speaking rate (form.speech_seconds) and are fitted to the
animator's declared durations: an animator with discrete lengths (5/10 s, 4/8/12 s) gets
shots of exactly those lengths, and a scene too long for one shot is split. A character's
look and wardrobe are the same words in every prompt that shows them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from microfilm import form
from microfilm.cache import cache_key
from microfilm.providers import registry
from microfilm.providers.base import Capabilities
from microfilm.spec import fountain
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Scene, Screenplay, Transition
from microfilm.spec.storyboard import Shot, ShotLine, Storyboard
from microfilm.stages.base import (
    StageContext, StageOutcome, Timer, is_fresh, record_run, text_key, write_managed,
)

NAME = "board"
LEAD_IN_S = 0.4  # picture before the first line of a shot
TAIL_S = 0.5  # picture after the last line
ACTION_S = 3.0  # an action paragraph with no dialogue
TRANSITION_WORDS = {"DISSOLVE": "dissolve", "FADE": "fade", "CUT": "cut", "叠化": "dissolve", "淡": "fade"}


@dataclass
class _Beat:
    """A unit the board times: an action paragraph or a run of dialogue."""

    action: str
    lines: list[Dialogue]


def _scene_beats(scene: Scene) -> list[_Beat]:
    beats: list[_Beat] = []
    pending_action = ""
    for el in scene.elements:
        if isinstance(el, Action):
            if beats and not beats[-1].lines and not pending_action:
                beats[-1].action += " " + el.text
            elif pending_action:
                beats.append(_Beat(pending_action, []))
                pending_action = el.text
            else:
                pending_action = el.text
        elif isinstance(el, Dialogue):
            if pending_action or not beats:
                beats.append(_Beat(pending_action, [el]))
                pending_action = ""
            elif len(beats[-1].lines) < 2 and beats[-1].lines and beats[-1].lines[-1].character != el.character:
                beats[-1].lines.append(el)  # an exchange of two lines shares a two-shot
            else:
                beats.append(_Beat("", [el]))
    if pending_action:
        beats.append(_Beat(pending_action, []))
    return beats


def _fit(duration: float, caps: Capabilities) -> float:
    """The shortest length the animator renders that holds `duration`."""
    duration = max(duration, caps.min_duration)
    if caps.durations:
        for d in sorted(caps.durations):
            if d + 1e-6 >= duration:
                return float(d)
        return float(max(caps.durations))
    return whole_frames(min(duration, caps.max_duration))


def whole_frames(seconds: float, fps: int = form.FPS) -> float:
    """`seconds` rounded up to a whole frame, so segments join without drift."""
    return round(math.ceil(seconds * fps - 1e-6) / fps, 4)


def _character_words(bible: Bible, names: list[str]) -> str:
    parts = []
    for name in names:
        c = bible.character(name)
        if c:
            parts.append(f"{c.name} ({c.look}; wearing {c.wardrobe})")
    return "; ".join(parts)


def _prompt(bible: Bible, framing: str, location: str, characters: list[str], action: str,
            time_of_day: str) -> str:
    loc = bible.location(location)
    where = f"{loc.name}: {loc.description}" if loc else location
    bits = [f"{framing} shot", where]
    if time_of_day:
        bits.append(time_of_day)
    who = _character_words(bible, characters)
    if who:
        bits.append(who)
    if action:
        bits.append(action.strip())
    if bible.style.look:
        bits.append(f"style: {bible.style.look}")
    return ". ".join(b for b in bits if b)


def plan(brief: Brief, bible: Bible, screenplay: Screenplay, caps: Capabilities) -> Storyboard:
    preset = brief.preset
    lang = brief.language
    width, height = brief.size
    shots: list[Shot] = [Shot(
        id="title", kind="title", duration=form.TITLE_CARD_S, camera="slow push-in",
        prompt=f"title card: {brief.title}", text=[brief.title, brief.logline],
        transition="fade",
    )]
    grammar, moves = preset.shot_grammar, preset.camera_moves
    next_scene_transition: dict[int, str] = {}
    n = 0
    for si, scene in enumerate(screenplay.scenes, start=1):
        location = scene.location
        pending_transition = ""
        beats = _scene_beats(scene)
        trans_el = [e for e in scene.elements if isinstance(e, Transition)]
        if trans_el:
            word = trans_el[-1].text.upper()
            pending_transition = next((v for k, v in TRANSITION_WORDS.items() if k in word), "")
        for bi, beat in enumerate(beats, start=1):
            speakers = list(dict.fromkeys(d.character for d in beat.lines))
            framing = grammar[0] if bi == 1 else grammar[(n + bi) % len(grammar)]
            if len(speakers) == 2:
                framing = "two-shot"
            lines: list[ShotLine] = []
            t = LEAD_IN_S if beat.lines else 0.0
            if beat.action and beat.lines:
                t = min(ACTION_S, 1.2)
            for d in beat.lines:
                dur = form.speech_seconds(d.text, lang)
                lines.append(ShotLine(character=d.character, text=d.text, start=round(t, 3),
                                      duration=round(dur, 3), parenthetical=d.parenthetical))
                t += dur + form.LINE_PAUSE_S
            need = (t - form.LINE_PAUSE_S + TAIL_S) if beat.lines else ACTION_S
            duration = _fit(need, caps)
            if duration + 1e-6 < need and lines:
                # Longer than one rendered clip: give each line a shot of its own.
                for li, line in enumerate(lines):
                    n += 1
                    shots.append(_shot(
                        f"sc{si:02d}-sh{bi:02d}{chr(97 + li)}", si, scene, bible, framing,
                        moves[n % len(moves)], [line.character], beat.action if li == 0 else "",
                        [line.model_copy(update={"start": LEAD_IN_S})],
                        _fit(LEAD_IN_S + line.duration + TAIL_S, caps),
                        preset.transition if (bi == 1 and li == 0 and si > 1) else "cut",
                        location,
                    ))
                continue
            n += 1
            transition = preset.transition if (bi == 1 and si > 1) else "cut"
            shots.append(_shot(
                f"sc{si:02d}-sh{bi:02d}", si, scene, bible, framing, moves[n % len(moves)],
                speakers or _present(bible, beat.action), beat.action, lines, duration,
                transition, location,
            ))
        if pending_transition:
            # The screenplay's transition decides how the next scene comes in.
            next_scene_transition[len(shots)] = pending_transition
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


def _present(bible: Bible, action: str) -> list[str]:
    """Characters an action paragraph names: they appear in the shot."""
    low = action.casefold()
    return [c.name for c in bible.characters if c.name.casefold() in low]


def _shot(shot_id: str, si: int, scene: Scene, bible: Bible, framing: str, camera: str,
          characters: list[str], action: str, lines: list[ShotLine], duration: float,
          transition: str, location: str) -> Shot:
    loc = bible.location(location)
    return Shot(
        id=shot_id, kind="shot", scene=si, heading=scene.heading, duration=duration,
        framing=framing, camera=camera,
        prompt=_prompt(bible, framing, location, characters, action, scene.time_of_day),
        characters=[bible.character(c).id if bible.character(c) else c for c in characters],
        location=loc.id if loc else location, time_of_day=scene.time_of_day, lines=lines,
        transition=transition, sound=action[:120] if action else "",
    )


# ---- the stage --------------------------------------------------------------------------


def animator_caps(ctx: StageContext) -> Capabilities:
    entry = registry.entries().get(ctx.brief.providers.animator)
    return entry.info.capabilities if entry and entry.info else Capabilities()


def inputs_key(ctx: StageContext) -> str:
    p = ctx.project
    b = ctx.brief
    return cache_key(NAME, {
        "files": text_key(p.bible, p.screenplay),
        "brief": {"title": b.title, "logline": b.logline, "genre": b.genre, "language": b.language,
                  "aspect": b.aspect},
        "caps": animator_caps(ctx),
    }, {"board": "house-board", "version": "1"})


def run(ctx: StageContext) -> StageOutcome:
    p = ctx.project
    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and p.storyboard.exists():
        return StageOutcome(stage=NAME, ran=False, message="storyboard is up to date")
    timer = Timer()
    bible = Bible.load(p.bible)
    screenplay = fountain.load(p.screenplay)
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
