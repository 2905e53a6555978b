"""The storyboard: the film as a list of shots with their timing, picture and sound."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from microfilm.errors import SpecError
from microfilm.spec._yaml import dump_yaml, load_yaml, save_yaml

HEADER = "# storyboard.yaml: one entry per shot. Edit durations, prompts and lines freely.\n"

TRANSITIONS = ("cut", "dissolve", "fade", "wipeleft", "slideup", "circleopen")


class ShotLine(BaseModel):
    """One line of dialogue as the shot plays it; `start` is seconds into the shot."""

    model_config = ConfigDict(extra="forbid")

    character: str
    text: str
    start: float = Field(default=0.0, ge=0)
    duration: float = Field(default=1.0, gt=0, description="planned, from the speaking rate")
    parenthetical: str = ""
    line_id: str = ""  # the screenplay line this is, "sc03-l02" (scene 3, its 2nd line)


class Shot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["title", "shot", "credits"] = "shot"
    scene: int = 0
    heading: str = ""
    duration: float = Field(gt=0)
    framing: str = "medium"
    camera: str = "static"
    prompt: str = ""
    characters: list[str] = []
    location: str = ""
    time_of_day: str = ""
    lines: list[ShotLine] = []
    transition: str = "cut"  # how this shot joins the previous one
    sound: str = ""
    refs: list[str] = []
    text: list[str] = []  # the words a title or credits card shows
    take: int = 0  # bump to regenerate this shot alone (new seed, new cache key)
    approved: bool = False  # approved in review: paid providers may render it
    locked: bool = False  # a re-board keeps this shot exactly as it is
    keep_clip_audio: bool = False  # keep sound baked into a generated clip
    # direction (see microfilm.direction): `characters` are the bible ids ON SCREEN only
    positions: dict[str, Literal["left", "center", "right"]] = {}  # screen side per on-screen id
    heard: list[str] = []  # heard-only characters in this shot (V.O., a phone, 画外音...)
    action: str = ""  # what the on-screen characters do
    motion: str = ""  # what moves during the shot
    light: str = ""
    covers: list[str] = []  # ids of the script lines this shot plays ("sc03-l02")
    # how on-screen speech moves lips: auto (from the providers), native (spoken in the
    # clip), lipsync (the TTS line fitted to the face), off (SCHEMA.md; models12)
    dialogue: Literal["auto", "native", "lipsync", "off"] = "auto"
    group: str = ""  # consecutive shots of one scene sent as one multi-shot request


class Storyboard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = ""
    language: Literal["en", "zh"] = "en"
    width: int = 1080
    height: int = 1920
    fps: int = 30
    shots: list[Shot] = []

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.shots)

    def starts(self) -> list[float]:
        """Each shot's start time in the film."""
        out, t = [], 0.0
        for s in self.shots:
            out.append(t)
            t += s.duration
        return out

    def to_yaml(self) -> str:
        return dump_yaml(self, HEADER)

    @classmethod
    def load(cls, path: Path) -> "Storyboard":
        board = load_yaml(cls, path, missing="`microfilm board` plans it")
        check_loaded(board, path)
        return board

    def save(self, path: Path) -> None:
        save_yaml(self, path, HEADER)


FRAME_LIMITS = {"width": (16, 7680), "height": (16, 7680), "fps": (1, 120)}


def check_loaded(board: Storyboard, path: Path) -> None:
    """What a hand edit can break that the field types do not catch: a picture size or frame
    rate no encoder takes, a board with no shots, two shots with one id (a shot's files and
    approvals are keyed by its id). SpecError naming the file, the field and the fix."""
    problems = []
    for name, (low, high) in FRAME_LIMITS.items():
        value = getattr(board, name)
        if not low <= value <= high:
            problems.append(f"field '{name}': {value} is out of range; use {low} to {high}")
        elif name != "fps" and value % 2:
            problems.append(f"field '{name}': {value} is odd; the encoder needs an even size")
    if not board.shots:
        problems.append("no shots; run `microfilm board` to plan them, or list them under "
                        "`shots:`")
    seen: dict[str, int] = {}
    for n, shot in enumerate(board.shots, 1):
        if shot.id in seen:
            problems.append(f"shots {seen[shot.id]} and {n} share the id '{shot.id}'; give "
                            "each shot its own id")
        seen.setdefault(shot.id, n)
    if problems:
        raise SpecError("\n".join(f"{path}: {p}" for p in problems))
