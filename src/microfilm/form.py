"""The micro film's own rules: the cap, the aspects, the six genres, the five elements.

Everything else in microfilm asks this module what the form allows, so a rule is
stated once and every error message quotes the same allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MAX_DURATION_S = 600.0
"""The form's practical ceiling (10:00), titles and credits included."""

MIN_DURATION_S = 15.0

FPS = 30
SAMPLE_RATE = 48_000
TARGET_LUFS = -14.0
TRUE_PEAK_DBTP = -1.0

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Aspect:
    name: str
    width: int
    height: int

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


ASPECTS: dict[str, Aspect] = {
    "9:16": Aspect("9:16", 1080, 1920),
    "16:9": Aspect("16:9", 1920, 1080),
    "1:1": Aspect("1:1", 1080, 1080),
}


class Genre(str, Enum):
    GRASSROOTS_SPOOF = "grassroots-spoof"
    YOUTH_ROMANCE = "youth-romance"
    INSPIRATIONAL_STRUGGLE = "inspirational-struggle"
    ANCIENT_STYLE = "ancient-style"
    TOUCHING_FAMILY = "touching-family"
    AESTHETIC_SCENERY = "aesthetic-scenery"


@dataclass(frozen=True)
class GenrePreset:
    """What a genre means for every stage: beats, pacing, palette, shot grammar, music."""

    genre: Genre
    name_en: str
    name_zh: str
    beats: tuple[str, ...]
    mean_shot_s: float
    palette: tuple[str, ...]  # hex colours, background to accent
    shot_grammar: tuple[str, ...]  # framings the board prefers, in order of use
    camera_moves: tuple[str, ...]
    music_mood: str
    tempo_bpm: int
    mode: str  # "major" | "minor" | "pentatonic"
    transition: str  # the genre's default join between scenes


PRESETS: dict[Genre, GenrePreset] = {
    Genre.GRASSROOTS_SPOOF: GenrePreset(
        Genre.GRASSROOTS_SPOOF, "Grassroots Spoof", "草根恶搞",
        ("setup", "bold claim", "escalation", "reversal", "punchline"),
        3.5, ("#1b1b2f", "#f9d423", "#ff4e50", "#fc913a", "#ffffff"),
        ("medium", "close-up", "wide", "extreme close-up"),
        ("push-in", "whip-pan", "static", "pull-out"),
        "playful", 128, "major", "cut",
    ),
    Genre.YOUTH_ROMANCE: GenrePreset(
        Genre.YOUTH_ROMANCE, "Youth Romance", "青春爱情",
        ("meet", "spark", "obstacle", "confession", "together"),
        4.5, ("#2d1e2f", "#f7c5cc", "#ffe4e1", "#a0c4ff", "#fffaf0"),
        ("two-shot", "close-up", "medium", "wide"),
        ("slow push-in", "pan-right", "static", "pan-left"),
        "tender", 92, "major", "dissolve",
    ),
    Genre.INSPIRATIONAL_STRUGGLE: GenrePreset(
        Genre.INSPIRATIONAL_STRUGGLE, "Inspirational Struggle", "励志奋斗",
        ("ordinary world", "setback", "resolve", "training", "trial", "triumph"),
        4.0, ("#0f2027", "#2c5364", "#f7b733", "#fc4a1a", "#fdfcdc"),
        ("wide", "medium", "close-up", "low-angle"),
        ("push-in", "tilt-up", "static", "pull-out"),
        "rising", 110, "major", "cut",
    ),
    Genre.ANCIENT_STYLE: GenrePreset(
        Genre.ANCIENT_STYLE, "Ancient Style", "古风",
        ("prologue", "encounter", "vow", "parting", "remembrance"),
        5.5, ("#1a1a1d", "#6b0f1a", "#c9a227", "#e8d8c3", "#f5efe6"),
        ("wide", "medium", "close-up", "silhouette"),
        ("slow pan-left", "slow push-in", "static", "tilt-down"),
        "elegiac", 72, "pentatonic", "dissolve",
    ),
    Genre.TOUCHING_FAMILY: GenrePreset(
        Genre.TOUCHING_FAMILY, "Touching Family", "温情亲情",
        ("routine", "distance", "crisis", "understanding", "reunion"),
        5.0, ("#2b2118", "#d98e48", "#f2d0a4", "#8fb996", "#fff8ee"),
        ("medium", "close-up", "wide", "over-the-shoulder"),
        ("slow push-in", "static", "pan-right", "pull-out"),
        "warm", 80, "major", "dissolve",
    ),
    Genre.AESTHETIC_SCENERY: GenrePreset(
        Genre.AESTHETIC_SCENERY, "Aesthetic Scenery", "唯美风景",
        ("dawn", "journey", "stillness", "revelation", "dusk"),
        6.0, ("#0b132b", "#1c2541", "#5bc0be", "#ffd6a5", "#fdffb6"),
        ("extreme wide", "wide", "medium", "detail"),
        ("slow pan-right", "slow pull-out", "tilt-up", "slow push-in"),
        "serene", 66, "pentatonic", "fade",
    ),
}

FIVE_ELEMENTS = ("time", "place", "characters", "theme", "plot")


def _genre_aliases() -> dict[str, Genre]:
    aliases: dict[str, Genre] = {}
    for genre, preset in PRESETS.items():
        for alias in (genre.value, preset.name_en, preset.name_zh, genre.name):
            aliases[alias.strip().lower().replace("_", "-").replace(" ", "-")] = genre
    return aliases


_ALIASES = _genre_aliases()


def allowed_genres() -> str:
    """The allowed genre names, as an error message quotes them."""
    return ", ".join(f"{g.value} ({p.name_zh})" for g, p in PRESETS.items())


def parse_genre(value: str | Genre) -> Genre:
    """Accept a genre by its id, English name or Chinese name."""
    if isinstance(value, Genre):
        return value
    key = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"unknown genre {value!r}; allowed: {allowed_genres()}")


def preset(genre: Genre | str) -> GenrePreset:
    return PRESETS[parse_genre(genre)]


def parse_aspect(value: str) -> Aspect:
    key = str(value).strip().replace("x", ":").replace("/", ":")
    if key in ASPECTS:
        return ASPECTS[key]
    raise ValueError(f"unknown aspect {value!r}; allowed: {', '.join(ASPECTS)}")


def format_clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


# ---- speaking rate ------------------------------------------------------------------
# Used by the writer to size a script, the board to time shots and `check` to estimate
# runtime: one set of numbers so the three agree.
SPEECH_RATE = {"en": 2.6, "zh": 4.2}
"""Words per second (English) and characters per second (Chinese) for natural dialogue."""

LINE_PAUSE_S = 0.35
"""Breath between two lines of dialogue."""

TITLE_CARD_S = 4.0
CREDITS_CARD_S = 5.0


def speech_units(text: str, language: str) -> int:
    if language == "zh":
        return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff" or ch.isalnum())
    return len([w for w in text.split() if any(c.isalnum() for c in w)])


def speech_seconds(text: str, language: str) -> float:
    """Planned seconds to speak `text` at the form's rate (at least 0.8 s)."""
    return max(0.8, speech_units(text, language) / SPEECH_RATE[language])
