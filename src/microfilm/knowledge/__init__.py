"""Built-in knowledge that ships with the package: genre conventions, beats, audiences.

Research uses it offline (no key, no network) and gives it to an LLM writer as grounding.
The data lives in YAML beside this module so a screenwriter can improve it without code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from microfilm import form


@dataclass(frozen=True)
class Beat:
    name: str
    share: float  # part of the runtime
    description: str


@dataclass(frozen=True)
class GenreNotes:
    genre: form.Genre
    conventions: tuple[str, ...]
    beats: tuple[Beat, ...]
    references: tuple[str, ...]
    pitfalls: tuple[str, ...]
    brand: str


@dataclass(frozen=True)
class AudienceNotes:
    segments: tuple[str, ...]  # matched segment ids, "general" when none matched
    notes: tuple[str, ...]


@cache
def _load(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _lang(language: str) -> str:
    return "zh" if language == "zh" else "en"


def genre_notes(genre: form.Genre | str, language: str = "en") -> GenreNotes:
    g = form.parse_genre(genre)
    raw = _load("genres.yaml")[g.value]
    lang = _lang(language)
    beats = tuple(Beat(name, float(b["share"]), b[lang]) for name, b in raw["beats"].items())
    return GenreNotes(g, tuple(raw["conventions"][lang]), beats, tuple(raw["references"][lang]),
                      tuple(raw["pitfalls"][lang]), raw["brand"][lang])


def audience_notes(audience: str, language: str = "en") -> AudienceNotes:
    """Notes for every segment whose keywords appear in the brief's audience text."""
    data = _load("audiences.yaml")
    text = audience.casefold()
    lang = _lang(language)
    hits = [seg for seg, d in data.items() if any(k.casefold() in text for k in d["keywords"])]
    if not hits:
        hits = ["general"]
    notes = tuple(n for seg in hits for n in data[seg][lang])
    return AudienceNotes(tuple(hits), notes)
