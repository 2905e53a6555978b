"""What each writing step must return, as pydantic models (the model sees their schema).

These are the wire shapes, deliberately small and flat so a 7B local model can fill them
too; `stepwise` turns them into the project's Bible and Screenplay. Every field is required
(strict structured-output modes demand it); extra keys a model adds are ignored, and ids
are normalised ("Mei Lin" -> "mei-lin") instead of rejected.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def slug(value: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", str(value).strip().lower()).strip("-")
    return s


def _id(value: object) -> str:
    s = slug(str(value))
    if not s:
        raise ValueError("an id must use latin letters or digits (pinyin or English), e.g. 'mei-lin'")
    return s


class CharacterSketch(WireModel):
    """One character: `look` and `wardrobe` are reused word for word in every shot."""

    id: str = Field(description="short latin id, lowercase with hyphens, e.g. 'mei-lin'")
    name: str = Field(min_length=1, description="the name as it appears in the script")
    role: str = Field(description="protagonist, mother, rival...")
    age: int = Field(ge=1, le=110)
    gender: Literal["female", "male", "neutral"]
    look: str = Field(min_length=3, description="face, hair, build: visual, specific")
    wardrobe: str = Field(min_length=3, description="what they wear in the film")

    @field_validator("id", mode="before")
    @classmethod
    def _norm_id(cls, v: object) -> str:
        return _id(v)


class PlaceSketch(WireModel):
    """One location; its name is what scene headings say."""

    id: str = Field(description="short latin id, lowercase with hyphens, e.g. 'old-kitchen'")
    name: str = Field(min_length=1, description="short place name without dashes")
    description: str
    interior: bool
    motifs: list[str] = Field(description="2-4 visual details that identify the place")

    @field_validator("id", mode="before")
    @classmethod
    def _norm_id(cls, v: object) -> str:
        return _id(v)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if re.search(r"[—–]|-\s", v):
            raise ValueError("a place name must not contain a dash (headings use ' - ' before the time of day)")
        return v


class BibleSketch(WireModel):
    """The film's bible: theme, time, characters, locations, look."""

    theme: str = Field(min_length=2, description="what the film is about, in one line")
    time: str = Field(min_length=2, description="when the story happens (era, season, days)")
    logline: str = Field(min_length=5)
    characters: list[CharacterSketch] = Field(min_length=1, max_length=8)
    locations: list[PlaceSketch] = Field(min_length=1, max_length=12)
    mood: str
    look: str = Field(description="the visual style in one line: light, lens, texture")


class OutlineScene(WireModel):
    number: int = Field(ge=1)
    beat: str = Field(description="which beat of the genre's structure this scene plays")
    location: str = Field(description="a location id from the bible")
    time_of_day: str = Field(min_length=1, description="DAY, NIGHT, DAWN, DUSK (zh: 日, 夜, 晨, 黄昏)")
    characters: list[str] = Field(description="ids of the characters in the scene")
    summary: str = Field(min_length=5, description="what happens and what changes")
    seconds: float = Field(gt=0, description="planned screen time")

    @field_validator("location", mode="before")
    @classmethod
    def _loc(cls, v: object) -> str:
        return _id(v)

    @field_validator("characters", mode="before")
    @classmethod
    def _chars(cls, v: object) -> list[str]:
        if isinstance(v, str):
            v = [p for p in re.split(r"[,，、]", v) if p.strip()]
        return [_id(x) for x in (v or [])]


class Outline(WireModel):
    """The film scene by scene, before any script is written."""

    scenes: list[OutlineScene] = Field(min_length=1, max_length=60)


class SceneAction(WireModel):
    number: int
    action: list[str] = Field(min_length=1, max_length=14, description="action paragraphs, present tense, what we see and hear")

    @field_validator("action")
    @classmethod
    def _non_empty(cls, v: list[str]) -> list[str]:
        kept = [p.strip() for p in v if p and p.strip()]
        if not kept:
            raise ValueError("a scene needs at least one action paragraph")
        return kept


class SceneActions(WireModel):
    """Action (what we see) for the requested scenes."""

    scenes: list[SceneAction] = Field(min_length=1)


class Line(WireModel):
    after: int = Field(ge=0, description="how many of the scene's action paragraphs come before this line")
    character: str = Field(description="the speaker's character id")
    parenthetical: str = Field(description="how it is said, or empty")
    text: str = Field(min_length=1)

    @field_validator("character", mode="before")
    @classmethod
    def _speaker(cls, v: object) -> str:
        return _id(v)

    @field_validator("parenthetical", mode="before")
    @classmethod
    def _paren(cls, v: object) -> str:
        return str(v or "").strip().strip("()（）").strip()


class SceneDialogue(WireModel):
    number: int
    lines: list[Line]


class SceneDialogues(WireModel):
    """Dialogue for the requested scenes."""

    scenes: list[SceneDialogue] = Field(min_length=1)


class Research(WireModel):
    """A screenwriter's notes on a brief, for the research dossier."""

    brand_integration: list[str] = Field(description="how the brand or product appears naturally; empty if no brand")
    tone: list[str] = Field(description="tone and voice notes")
    references: list[str] = Field(description="films, shorts or styles to study, with why")
    risks: list[str] = Field(description="what could go wrong with this brief on this platform")
    hooks: list[str] = Field(description="ideas for the first three seconds")


Step = Literal["bible", "outline", "scenes", "dialogue"]
