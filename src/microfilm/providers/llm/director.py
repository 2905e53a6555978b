"""The LLM director: a language model directs each shot, held to the same staging rules.

Why this shape: the house director already times the board to the voices and to the clip
lengths the animator renders, and knows from the script who is present and who is only
heard. The model is asked, scene by scene, for the decisions a director makes on that
skeleton (shot size, camera, who is on screen and where, who is heard, the action, what
moves, the light, the sound), in the storyboard's own fields. Each reply is validated
against the schema and against the board lint (microfilm.direction.lint): a heard-only
character on screen, someone who is not in the scene, a prompt against INT/EXT or the hour,
a speaker nowhere. Problems go back to the model, at most `attempts` times; a scene the
model cannot direct keeps the house director's shots, so a board always comes out.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from microfilm.direction.describe import PROP_WORDS, shot_prompt
from microfilm.direction.lint import lint_shot, shows
from microfilm.direction.prompts import prompt_for
from microfilm.direction.staging import SceneStaging, stage
from microfilm.errors import ProviderError
from microfilm.providers.llm.structured import ChatBackend, generate
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Screenplay
from microfilm.spec.storyboard import Shot, Storyboard

log = logging.getLogger(__name__)

FRAMINGS = ("extreme-wide", "wide", "medium", "close-up", "extreme close-up", "two-shot",
            "over-the-shoulder")


class ShotDirection(BaseModel):
    """One shot's decisions; `id` and the lines it plays are fixed by the timing."""

    model_config = ConfigDict(extra="forbid")

    id: str
    framing: Literal["extreme-wide", "wide", "medium", "close-up", "extreme close-up", "two-shot",
                     "over-the-shoulder"]
    camera: str = Field(description="one camera move: static, slow push-in, pan-left, pull-out...")
    characters: list[str] = Field(description="bible ids ON SCREEN, left to right")
    positions: dict[str, Literal["left", "center", "right"]] = {}
    heard: list[str] = Field(default=[], description="bible ids only heard in this shot")
    action: str = Field(description="what the on-screen characters do, in one or two sentences")
    motion: str = Field(description="what moves during the shot")
    light: str
    sound: str = Field(description="ambience and effects only, never dialogue or action")


class SceneDirection(BaseModel):
    """The directed shots of one scene, in the order given."""

    model_config = ConfigDict(extra="forbid")

    shots: list[ShotDirection]


SYSTEM = (
    "You are a film director boarding a short vertical film shot by shot. For each shot you "
    "are given, decide the framing, the camera move, who is ON SCREEN (bible ids, with a "
    "screen position kept the same for the whole scene), who is only HEARD, what the on-screen "
    "characters do, what moves, the light and the sound (ambience and effects only). Rules: a "
    "character listed as heard-only in the scene is never on screen; only characters present in "
    "the scene may be on screen; every line's speaker is on screen or in `heard`; the light "
    "matches INT/EXT and the time of day. Reply with JSON only."
)


@dataclass
class DirectorReport:
    """What the LLM directed and what fell back to the house director."""

    directed: list[int] = field(default_factory=list)  # scene numbers
    fallback: dict[int, str] = field(default_factory=dict)  # scene number -> why


def _scene_prompt(st: SceneStaging, shots: list[Shot], bible: Bible, lang: str) -> str:
    def name(cid: str) -> str:
        c = bible.character(cid)
        return f"{cid} ({c.name})" if c else cid

    brief = {
        "scene": st.number, "heading": st.heading, "interior": st.interior,
        "time_of_day": st.time_of_day or "day",
        "present": [name(c) for c in st.present], "heard_only": [name(c) for c in st.heard],
        "props_named": list(st.props),
        "action_beats": [b.action for b in st.beats if b.action],
        "shots": [{"id": s.id, "seconds": s.duration,
                   "lines": [{"line_id": ln.line_id, "speaker": ln.character, "text": ln.text,
                              "heard_only_line": st.is_heard(ln.line_id)} for ln in s.lines],
                   "house_suggestion": {"framing": s.framing, "characters": s.characters}}
                  for s in shots],
        "language_of_the_film": lang,
    }
    return ("Task: shots\nDirect these shots. Keep every shot id, in this order.\n"
            + json.dumps(brief, ensure_ascii=False, indent=1))


def _apply(d: ShotDirection, shot: Shot, bible: Bible, lang: str = "en") -> Shot:
    updated = shot.model_copy(update={
        "framing": d.framing, "camera": d.camera.strip() or shot.camera,
        "characters": list(dict.fromkeys(d.characters)), "positions": dict(d.positions),
        "heard": list(dict.fromkeys(d.heard)), "action": d.action.strip(),
        "motion": d.motion.strip(), "light": d.light.strip(), "sound": d.sound.strip(),
    })
    # a Chinese film's board speaks Chinese (direction/phrases.py); an English one keeps the
    # gpt-image family's words
    prompt = (shot_prompt(updated, bible, lang) if lang != "en"
              else prompt_for("gpt-image", updated, bible).prompt)
    return updated.model_copy(update={"prompt": prompt})


def _problems(st: SceneStaging, shots: list[Shot], bible: Bible, lang: str = "en"):
    def check(value: SceneDirection) -> list[str]:
        ids = [d.id for d in value.shots]
        want = [s.id for s in shots]
        if ids != want:
            return [f"the shots must be exactly {want} in this order, got {ids}"]
        out = []
        applied = [_apply(d, shot, bible, lang) for d, shot in zip(value.shots, shots)]
        for d, shot in zip(value.shots, applied):
            if set(d.positions) - set(d.characters):
                out.append(f"{d.id}: positions name someone not in characters")
            for f in lint_shot(shot, st, bible):
                out.append(f"{d.id}: {f.message}")
        for prop in st.props:
            if not any(shows(s, prop) for s in applied):
                out.append(f"the action names {PROP_WORDS.get(prop, prop)}: some shot's action must show it")
        return out
    return check


def direct(brief: Brief, bible: Bible, screenplay: Screenplay, house: Storyboard,
           backend: ChatBackend, *, attempts: int = 3) -> tuple[Storyboard, DirectorReport]:
    """The board directed by the model, scene by scene, with the house board (the board
    stage's plan, passed in: a provider does not import a stage) as the skeleton and as the
    fallback for any scene the model cannot direct within `attempts`."""
    report = DirectorReport()
    stagings = {st.number: st for st in stage(screenplay, bible)}
    out: list[Shot] = []
    by_scene: dict[int, list[Shot]] = {}
    for s in house.shots:
        if s.kind == "shot":
            by_scene.setdefault(s.scene, []).append(s)
    directed: dict[str, Shot] = {}
    for number, shots in by_scene.items():
        st = stagings[number]
        try:
            result = generate(backend, SceneDirection, name="shots", system=SYSTEM,
                              prompt=_scene_prompt(st, shots, bible, brief.language),
                              attempts=attempts, validate=_problems(st, shots, bible, brief.language))
        except ProviderError as exc:
            report.fallback[number] = str(exc).splitlines()[0][:300]
            log.warning("LLM director: scene %d keeps the house shots: %s", number,
                        report.fallback[number])
            continue
        for d, shot in zip(result.value.shots, shots):
            directed[shot.id] = _apply(d, shot, bible, brief.language)
        report.directed.append(number)
    for s in house.shots:
        out.append(directed.get(s.id, s))
    return house.model_copy(update={"shots": out}), report
