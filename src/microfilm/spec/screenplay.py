"""The screenplay as data; `microfilm.spec.fountain` reads and writes it as Fountain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["action"] = "action"
    text: str
    centered: bool = False


class Dialogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["dialogue"] = "dialogue"
    character: str
    text: str
    parenthetical: str = ""
    extension: str = ""  # V.O., O.S., CONT'D
    dual: bool = False  # the second speaker of a dual-dialogue pair


class Transition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["transition"] = "transition"
    text: str


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["note"] = "note"
    text: str


Element = Annotated[Union[Action, Dialogue, Transition, Note], Field(discriminator="kind")]

_HEADING = re.compile(
    r"^\s*(?:\.|(?:INT\.?/EXT|INT|EXT|EST|I/E)[.\s]|内景|外景|内外景)\s*[.。:：]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TIME_SPLIT = re.compile(r"\s+[-–—]+\s+|\s*[—–]{1,2}\s*|\s*[-]\s+")


class Scene(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str
    number: str = ""
    elements: list[Element] = []

    @property
    def interior(self) -> bool:
        h = self.heading.strip().lstrip(".").upper()
        return not (h.startswith("EXT") or h.startswith("外景"))

    @property
    def location(self) -> str:
        m = _HEADING.match(self.heading)
        rest = m.group("rest") if m else self.heading.lstrip(".")
        parts = _TIME_SPLIT.split(rest.strip(), maxsplit=1)
        return parts[0].strip(" .。")

    @property
    def time_of_day(self) -> str:
        m = _HEADING.match(self.heading)
        rest = m.group("rest") if m else self.heading.lstrip(".")
        parts = _TIME_SPLIT.split(rest.strip(), maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""

    def dialogue(self) -> list[Dialogue]:
        return [e for e in self.elements if isinstance(e, Dialogue)]

    def lines(self, scene_number: int) -> list["Line"]:
        """This scene's dialogue with stable ids, `scene_number` counting scenes from 1."""
        return [Line(line_id(scene_number, i), scene_number, d)
                for i, d in enumerate(self.dialogue(), start=1)]


def line_id(scene_number: int, ordinal: int) -> str:
    """The stable id of a dialogue line: "sc03-l02" is the 2nd line spoken in scene 3.

    Derived from the order of scenes and lines, never written into the user's Fountain file,
    so a storyboard shot, a lint finding and a subtitle can all name the same line.
    """
    return f"sc{scene_number:02d}-l{ordinal:02d}"


@dataclass(frozen=True)
class Line:
    """One dialogue line with its id and the number of its scene (counting from 1)."""

    id: str
    scene: int
    dialogue: Dialogue


class Screenplay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title_page: dict[str, str] = {}
    preamble: list[Element] = []  # elements before the first scene heading
    scenes: list[Scene] = []

    @property
    def title(self) -> str:
        return self.title_page.get("Title", "")

    def lines(self) -> list["Line"]:
        """Every dialogue line of the film with its stable id, in script order."""
        return [ln for si, scene in enumerate(self.scenes, start=1) for ln in scene.lines(si)]

    def speaking_characters(self) -> list[str]:
        seen: dict[str, None] = {}
        for scene in self.scenes:
            for d in scene.dialogue():
                seen.setdefault(d.character, None)
        return list(seen)
