"""Coverage by film grammar: a scene's staging becomes shots.

The rules a script supervisor would check, applied per scene:
- a new place opens on a wide or establishing shot of it;
- an exchange between two people on screen is a two-shot; a line alone is a single on the
  speaker (or over the listener's shoulder); a line only heard (a phone, a voice-over, a
  recording) plays over the listener's face, or over the prop it comes from when nobody is
  there to listen;
- an action that names a prop and nobody is an insert on the prop;
- shot sizes vary from one shot to the next;
- who stands left stays left for the whole scene (screen direction).
Timing is the board's: each beat gets the shortest length the animator renders that holds
its lines, and a beat too long for one clip gives each line a shot of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from microfilm import form
from microfilm.direction.describe import describe
from microfilm.direction.staging import Beat, SceneStaging
from microfilm.direction.words import light_for, sound_for, time_class
from microfilm.spec.bible import Bible
from microfilm.spec.screenplay import Line
from microfilm.spec.storyboard import Shot, ShotLine

if TYPE_CHECKING:  # a type only: direction sits below the providers that use it
    from microfilm.providers.base import Capabilities

LEAD_IN_S = 0.4  # picture before the first line of a shot
TAIL_S = 0.5  # picture after the last line
ACTION_S = 3.0  # an action paragraph with no dialogue
POSITIONS = ("left", "center", "right")
SIZES = ("extreme-wide", "wide", "medium", "close-up", "extreme close-up")
_ALTERNATE = {"medium": "close-up", "close-up": "medium", "wide": "medium",
              "extreme-wide": "wide", "extreme close-up": "close-up",
              "two-shot": "over-the-shoulder", "over-the-shoulder": "close-up"}


def whole_frames(seconds: float, fps: int = form.FPS) -> float:
    """`seconds` rounded up to a whole frame, so segments join without drift."""
    return round(math.ceil(seconds * fps - 1e-6) / fps, 4)


def fit(duration: float, caps: Capabilities) -> float:
    """The shortest length the animator renders that holds `duration`."""
    duration = max(duration, caps.min_duration)
    if caps.durations:
        for d in sorted(caps.durations):
            if d + 1e-6 >= duration:
                return float(d)
        return float(max(caps.durations))
    return whole_frames(min(duration, caps.max_duration))


def scene_positions(present: tuple[str, ...]) -> dict[str, str]:
    """Where each present character stands for the whole scene (screen direction)."""
    n = len(present)
    if n == 1:
        return {present[0]: "center"}
    order = ("left", "right", "center") if n == 2 else POSITIONS
    return {cid: order[i % len(order)] if i < 3 else "center" for i, cid in enumerate(present)}


@dataclass
class Take:
    """One shot's decision before it is written down."""

    framing: str
    characters: list[str]
    lines: list[Line]
    action: str = ""
    props: list[str] = field(default_factory=list)
    subject: str = ""  # what an insert or a place shot is of


@dataclass
class SceneCut:
    """The shots chosen for one scene, with their timing."""

    staging: SceneStaging
    shots: list[tuple[str, Take, list[ShotLine], float]]  # id, take, timed lines, duration


def _time_lines(lines: list[Line], lang: str, start: float) -> tuple[list[ShotLine], float]:
    out, t = [], start
    for ln in lines:
        dur = form.speech_seconds(ln.dialogue.text, lang)
        out.append(ShotLine(character=ln.dialogue.character, text=ln.dialogue.text,
                            start=round(t, 3), duration=round(dur, 3),
                            parenthetical=ln.dialogue.parenthetical, line_id=ln.id))
        t += dur + form.LINE_PAUSE_S
    return out, t


def _listeners(st: SceneStaging, beat: Beat, speaking: set[str]) -> list[str]:
    """Who is there to listen: the action's people, else whoever has come in by now; never
    a speaker, and never the owner of a voice-over while it plays."""
    voices = {st.speakers[ln.id] for ln in beat.lines}
    pool = ([c for c in beat.actors if c not in speaking | voices]
            or [c for c in beat.on_stage if c not in speaking | voices])
    return pool[:2]


def _take_for_lines(st: SceneStaging, beat: Beat, lines: list[Line], k: int) -> Take:
    """How a run of lines is covered: two-shot, single, or the listener under a voice."""
    on = [ln for ln in lines if not st.is_heard(ln.id)]
    speakers = list(dict.fromkeys(st.speakers[ln.id] for ln in on))
    if len(speakers) >= 2:
        return Take("two-shot", speakers, lines)
    if speakers:
        others = _listeners(st, beat, set(speakers))
        if len(lines) > len(on):  # a voice answers the speaker: stay on the speaker's face
            return Take("close-up", speakers, lines)
        if others and k % 2 == 1:
            return Take("over-the-shoulder", speakers + others[:1], lines)
        return Take("close-up" if k % 3 == 2 else "medium", speakers, lines)
    listeners = _listeners(st, beat, set())
    if listeners:
        return Take("close-up" if len(listeners) == 1 else "two-shot", listeners, lines,
                    subject="reaction")
    if beat.props or st.props:
        prop = (beat.props or st.props)[0]
        return Take("extreme close-up", [], lines, props=[prop], subject=prop)
    return Take("wide", [], lines, subject="place")


def _take_for_action(st: SceneStaging, beat: Beat, opening: bool) -> Take:
    if opening:
        return Take("extreme-wide" if not beat.actors else "wide", list(beat.actors), [],
                    subject="place")
    if not beat.actors and beat.props:
        return Take("extreme close-up", [], [], props=[beat.props[0]], subject=beat.props[0])
    if not beat.actors:
        return Take("wide", [], [], subject="place")
    return Take("medium" if len(beat.actors) <= 2 else "wide", list(beat.actors), [])


def cover_scene(st: SceneStaging, lang: str, caps: Capabilities, new_place: bool) -> SceneCut:
    """The scene's shots by film grammar, each fitted to what the animator renders."""
    shots: list[tuple[str, Take, list[ShotLine], float]] = []
    k = 0
    for bi, beat in enumerate(st.beats, start=1):
        opening = bi == 1 and new_place
        lines = list(beat.lines)
        if not lines:
            take = _take_for_action(st, beat, opening)
            take.action = beat.action
            take.props = list(dict.fromkeys(take.props + list(beat.props)))
            shots.append((f"sc{st.number:02d}-sh{bi:02d}", take, [], fit(ACTION_S, caps)))
            continue
        narrated = beat.action and any(st.is_heard(ln.id) and st.speakers[ln.id] in beat.actors
                                       for ln in lines)
        if narrated:
            # The action shows someone whose own voice-over follows: show them doing it in a
            # shot of its own, then let the voice play over what they see (the schema's rule:
            # a line is voiced on screen only when its speaker is in the shot).
            take = _take_for_action(st, beat, opening)
            take.action = beat.action
            take.props = list(dict.fromkeys(take.props + list(beat.props)))
            shots.append((f"sc{st.number:02d}-sh{bi:02d}", take, [], fit(ACTION_S, caps)))
            opening = False
            beat = Beat(action="", lines=beat.lines, actors=beat.actors, props=(),
                        on_stage=beat.on_stage)
        start = min(ACTION_S, 1.2) if beat.action else LEAD_IN_S
        timed, t = _time_lines(lines, lang, start)
        need = t - form.LINE_PAUSE_S + TAIL_S
        duration = fit(need, caps)
        if duration + 1e-6 >= need:
            take = _take_for_lines(st, beat, lines, k)
            k += 1
            if opening and take.framing in ("medium", "two-shot", "close-up", "over-the-shoulder"):
                take.framing = "wide"
            take.action = beat.action
            take.props = list(beat.props)
            voices = {st.speakers[ln.id] for ln in lines if st.is_heard(ln.id)}
            take.characters = list(dict.fromkeys(take.characters + (
                [c for c in beat.actors if c in st.present and c not in voices]
                if beat.action else [])))
            shots.append((f"sc{st.number:02d}-sh{bi:02d}", take, timed, duration))
            continue
        # longer than one rendered clip: each line gets a shot of its own
        for li, ln in enumerate(lines):
            take = _take_for_lines(st, beat, [ln], k)
            k += 1
            if li == 0:
                take.action = beat.action
                take.props = list(beat.props)
            one, _ = _time_lines([ln], lang, LEAD_IN_S)
            shots.append((f"sc{st.number:02d}-sh{bi:02d}{chr(97 + li)}", take, one,
                          fit(LEAD_IN_S + one[0].duration + TAIL_S, caps)))
    _vary_sizes(shots)
    # shots numbered in order within the scene: sc03-sh01, sc03-sh02...
    shots = [(f"sc{st.number:02d}-sh{k:02d}", take, timed, dur)
             for k, (_, take, timed, dur) in enumerate(shots, start=1)]
    return SceneCut(st, shots)


def _vary_sizes(shots: list[tuple[str, Take, list[ShotLine], float]]) -> None:
    """No two shots in a row at the same size: the second moves one step."""
    for prev, cur in zip(shots, shots[1:]):
        if cur[1].framing == prev[1].framing:
            cur[1].framing = _ALTERNATE.get(cur[1].framing, "medium")


def _order(characters: list[str], where: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Characters left to right by their scene positions; two on one spot are spread."""
    chosen = {c: where.get(c, "center") for c in characters}
    if len(characters) == 2 and len(set(chosen.values())) == 1:
        a, b = characters
        chosen = {a: "left", b: "right"}
    rank = {p: i for i, p in enumerate(POSITIONS)}
    ordered = sorted(characters, key=lambda c: (rank[chosen[c]], characters.index(c)))
    return ordered, chosen


@dataclass(frozen=True)
class ShotWords:
    """The bible words a shot's text is built from."""

    bible: Bible
    style: str
    lang: str


def build_shot(shot_id: str, st: SceneStaging, take: Take, lines: list[ShotLine],
               duration: float, camera: str, transition: str, words: ShotWords) -> Shot:
    """The storyboard entry for one decision: on-screen and heard characters, positions,
    action, motion, light, sound, covered lines and the prompt that says all of it."""
    where = scene_positions(st.present)
    characters, positions = _order([c for c in take.characters if c in st.present], where)
    heard = list(dict.fromkeys(st.speakers[ln.line_id] for ln in lines
                               if st.speakers[ln.line_id] not in characters))
    bible = words.bible
    shot_lines = [ln.model_copy(update={"character": st.speakers[ln.line_id]}) for ln in lines]
    text = describe(st, take, characters, positions, heard, camera, words)
    loc = bible.location(st.location)
    return Shot(
        id=shot_id, kind="shot", scene=st.number, heading=st.heading, duration=duration,
        framing=take.framing, camera=camera, prompt=text.prompt, characters=characters,
        positions=positions, heard=heard, action=text.action, motion=text.motion,
        light=light_for(st.interior, time_class(st.time_of_day), words.lang),
        location=loc.id if loc else st.location, time_of_day=st.time_of_day, lines=shot_lines,
        transition=transition,
        sound=sound_for(st, take.action, take.props, words.lang),
        covers=[ln.line_id for ln in lines],
    )
