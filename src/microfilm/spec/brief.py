"""The brief (film.toml): what the client asked for, validated against the form."""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer, field_validator
from pydantic import ValidationInfo

from microfilm import form
from microfilm.errors import SpecError
from microfilm.fsutil import atomic_write_text
from microfilm.userfiles import read_text

PLATFORMS = ("douyin", "kuaishou", "channels", "bilibili", "tiktok", "reels", "shorts", "generic")


class Budget(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: float = Field(default=0.0, ge=0, description="Hard cap on paid provider spend.")
    currency: Literal["CNY", "USD"] = "CNY"


class ProviderChoice(BaseModel):
    """Which registered provider plays each capability; the house ones by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    writer: str = "house-writer"
    painter: str = "house-painter"
    animator: str = "house-animator"
    voice: str = "house-voice"
    composer: str = "house-composer"
    lipsync: str = ""  # optional: fits a spoken line to the face (see providers/dialogue.py)


class Brand(BaseModel):
    """[brand]: what a sponsor asks of the film. `brand = "Name"` alone is the short form.

    must_say lines go into the script as written (the assistant places them in a fitting
    scene), must_not_say words must never appear, and placements is how many times the
    brand or product may appear on screen or in a line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", max_length=80)
    product: str = Field(default="", max_length=120)
    must_say: tuple[str, ...] = ()
    must_not_say: tuple[str, ...] = ()
    placements: int = Field(default=1, ge=0, le=20)

    def __bool__(self) -> bool:
        return bool(self.name or self.product)

    def __str__(self) -> str:
        return f"{self.name} ({self.product})" if self.name and self.product else self.name or self.product

    @property
    def short_form(self) -> bool:
        return self == Brand(name=self.name)


class Brief(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=80)
    genre: form.Genre
    logline: str = Field(min_length=1, max_length=600)
    language: Literal["en", "zh"] = "en"
    duration: float = Field(default=90.0, description="Target runtime in seconds, titles included.")
    aspect: str = "9:16"
    audience: str = ""
    brand: Brand = Brand()
    platform: str = "generic"
    seed: int = 0
    deadline: date | None = None
    budget: Budget = Budget()
    providers: ProviderChoice = ProviderChoice()
    # [settings]: this film's overrides of microfilm's settings (see microfilm.config);
    # checked against those settings when a run starts.
    settings: dict[str, Any] = {}

    @field_validator("brand", mode="before")
    @classmethod
    def _brand(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value

    @field_serializer("brand")
    def _brand_out(self, brand: Brand) -> str | dict[str, Any]:
        # a name alone stays `brand = "Name"`, so briefs (and their cache keys) without a
        # [brand] table read and hash exactly as before
        return brand.name if brand.short_form else brand.model_dump(mode="json")

    @field_validator("genre", mode="before")
    @classmethod
    def _genre(cls, value: object) -> form.Genre:
        if isinstance(value, form.Genre):
            return value
        return form.parse_genre(str(value))

    @field_validator("settings")
    @classmethod
    def _settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        from microfilm.config import Settings

        unknown = sorted(set(value) - set(Settings.model_fields))
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; allowed: "
                             f"{', '.join(Settings.model_fields)}")
        try:
            Settings.model_validate(value)
        except ValidationError as exc:
            raise ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                       for e in exc.errors())) from None
        return value

    @field_validator("title", "logline")
    @classmethod
    def _printable(cls, value: str, info: ValidationInfo) -> str:
        """A control character (an ANSI escape, a stray NUL) would be printed raw by the
        terminal and reach the title card's font: refuse it, naming the first one."""
        allowed = "\n\t" if info.field_name == "logline" else ""
        for i, ch in enumerate(value):
            if unicodedata.category(ch) == "Cc" and ch not in allowed:
                raise ValueError(f"contains a control character ({ch!r} at position {i + 1}, "
                                 "e.g. a terminal colour code); remove it")
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: float) -> float:
        if not form.MIN_DURATION_S <= value <= form.MAX_DURATION_S:
            raise ValueError(
                f"must be between {form.MIN_DURATION_S:g} and {form.MAX_DURATION_S:g} seconds "
                f"(the micro film's cap is 10:00), got {value:g}"
            )
        return value

    @field_validator("aspect")
    @classmethod
    def _aspect(cls, value: str) -> str:
        return form.parse_aspect(value).name

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r}; allowed: {', '.join(PLATFORMS)}")
        return value

    @property
    def preset(self) -> form.GenrePreset:
        return form.PRESETS[self.genre]

    @property
    def size(self) -> tuple[int, int]:
        return form.ASPECTS[self.aspect].size

    # ---- file io -------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> "Brief":
        text = read_text(path, missing="no brief here; create one with `microfilm new`")
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"{path}: not valid TOML: {exc}") from None
        return cls.from_mapping(raw, source=str(path))

    @classmethod
    def from_mapping(cls, raw: dict, source: str = "brief") -> "Brief":
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise SpecError.from_validation(source, exc) from None

    def to_toml(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        return tomli_w.dumps(data)

    def save(self, path: Path) -> None:
        atomic_write_text(path, self.to_toml())
