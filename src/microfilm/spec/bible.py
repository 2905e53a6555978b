"""The bible: who is in the film, where it happens, and how it looks and sounds.

A character's `look` and `wardrobe` are the exact words every shot prompt reuses, which is
how a film keeps a face and a coat the same from shot to shot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from microfilm.spec._yaml import dump_yaml, load_yaml, save_yaml

HEADER = "# bible.yaml: characters, locations and style. Edit freely; microfilm keeps your edits.\n"


class VoiceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gender: Literal["female", "male", "neutral"] = "neutral"
    pitch: int = Field(default=50, ge=0, le=99, description="eSpeak pitch 0-99")
    rate: int = Field(default=160, ge=80, le=400, description="words per minute")
    variant: str = ""  # eSpeak variant name, e.g. "f2", "m3"
    provider_voice: str = ""  # a named voice for a real TTS provider


class Character(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    role: str = ""
    age: int | None = None
    look: str = ""
    wardrobe: str = ""
    color: str = Field(default="#c0a080", pattern=r"^#[0-9a-fA-F]{6}$")
    voice: VoiceSpec = VoiceSpec()
    # A person's own picture of the character (an actor, a mascot), relative to the film
    # folder: it is their reference sheet instead of a painted one (`microfilm approve
    # --reference ID --image FILE` puts it in refs/reference/ and here).
    reference: str = ""

    @field_validator("reference")
    @classmethod
    def _inside_the_film(cls, value: str) -> str:
        value = value.strip().replace("\\", "/")
        if value and (value.startswith("/") or ".." in value.split("/") or ":" in value):
            raise ValueError(f"{value!r} must be a path inside the film folder, e.g. "
                             "refs/reference/mei.jpg")
        return value


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    description: str = ""
    interior: bool = True
    motifs: list[str] = []


class StyleGuide(BaseModel):
    model_config = ConfigDict(extra="forbid")

    palette: list[str] = []
    mood: str = ""
    look: str = ""


class Bible(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: str = ""
    time: str = ""
    characters: list[Character] = []
    locations: list[Location] = []
    style: StyleGuide = StyleGuide()

    def character(self, name_or_id: str) -> Character | None:
        key = name_or_id.strip().casefold()
        for c in self.characters:
            if key in (c.id.casefold(), c.name.casefold()):
                return c
        return None

    def location(self, name_or_id: str) -> Location | None:
        key = name_or_id.strip().casefold()
        for loc in self.locations:
            if key in (loc.id.casefold(), loc.name.casefold()):
                return loc
        return None

    def to_yaml(self) -> str:
        return dump_yaml(self, HEADER)

    @classmethod
    def load(cls, path: Path) -> "Bible":
        return load_yaml(cls, path)

    def save(self, path: Path) -> None:
        save_yaml(self, path, HEADER)
