"""campaign.toml: a base film and the matrix of its variants, validated field by field.

    base = "../the-umbrella"          # the film folder every variant derives from
    budget = 20                       # cap on paid calls for the whole campaign, in the
                                      # base film's currency (0: house providers only)
    [matrix]
    platforms = ["douyin", "tiktok"]  # each platform's length limit, safe area, covers
    aspects = ["9:16", "1:1"]         # reframed by rule (media/reframe.py), never repainted
    cuts = ["full"]                   # full, teaser (15-30 s), short (about 60%)
    languages = ["en"]                # the film's language, or one it has a translation in
    covers = ["a", "b"]               # A: the painted poster; B: the opening shot titled

Every variant is one combination of platforms x aspects x cuts x languages; covers are made
for every variant rather than doubling the films, since a cover A/B test ships one film.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from microfilm import form
from microfilm.errors import SpecError
from microfilm.spec.brief import PLATFORMS
from microfilm.userfiles import read_text

CUTS = ("full", "teaser", "short")
COVERS = ("a", "b")
MAX_VARIANTS = 48  # a bigger campaign is almost surely a typo in the matrix


def _unique(values: list[str], field: str) -> list[str]:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ValueError(f"{', '.join(map(repr, seen))} listed twice in {field}")
    if not values:
        raise ValueError(f"{field} needs at least one value")
    return values


class Matrix(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    platforms: list[str] = ["generic"]
    aspects: list[str] = ["9:16"]
    cuts: list[Literal["full", "teaser", "short"]] = ["full"]
    languages: list[Literal["en", "zh"]] = []  # empty: the base film's language
    covers: list[Literal["a", "b"]] = ["a"]

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        bad = [p for p in value if p not in PLATFORMS]
        if bad:
            raise ValueError(f"unknown platform(s) {', '.join(map(repr, bad))}; allowed: "
                             f"{', '.join(PLATFORMS)}")
        return _unique(value, "platforms")

    @field_validator("aspects")
    @classmethod
    def _aspects(cls, value: list[str]) -> list[str]:
        return _unique([form.parse_aspect(a).name for a in value], "aspects")

    @field_validator("cuts", "covers")
    @classmethod
    def _listed_once(cls, value: list[str], info) -> list[str]:
        return _unique(value, info.field_name)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return _unique(value, "languages") if value else value


class Campaign(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base: Path = Field(description="The base film's folder, relative to campaign.toml.")
    name: str = Field(default="", max_length=60)
    budget: float = Field(default=0.0, ge=0)
    currency: Literal["CNY", "USD", ""] = ""  # empty: the base film's
    matrix: Matrix = Matrix()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
            raise ValueError(f"{value!r}: use letters, digits, '-' and '_' (it names a folder "
                             "and a studio address)")
        return value


def load(path: Path) -> tuple[Campaign, Path]:
    """The campaign and its folder (where campaign.toml is: variants/ and campaign.json go
    there). Errors name the file and the field."""
    path = Path(path)
    text = read_text(path, missing="write one: see docs/campaigns.md")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML: {exc}") from None
    try:
        campaign = Campaign.model_validate(raw)
    except ValidationError as exc:
        raise SpecError.from_validation(str(path), exc) from None
    folder = path.resolve().parent
    if not campaign.name:
        campaign = campaign.model_copy(update={"name": _folder_name(folder)})
    base = (folder / campaign.base).resolve()
    if not (base / "film.toml").is_file():
        raise SpecError(f"{path}: field 'base': {base} holds no film.toml; give the folder of "
                        "the film the variants derive from (`microfilm new` makes one)")
    campaign = campaign.model_copy(update={"base": base})
    m = campaign.matrix
    count = len(m.platforms) * len(m.aspects) * len(m.cuts) * max(1, len(m.languages))
    if count > MAX_VARIANTS:
        raise SpecError(f"{path}: field 'matrix': {count} variants, over the {MAX_VARIANTS} a "
                        "campaign makes; list fewer platforms, aspects, cuts or languages")
    return campaign, folder


def _folder_name(folder: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-")
    return name or "campaign"
