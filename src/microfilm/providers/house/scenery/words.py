"""The painter's word tables, read from words.yaml: which words mean indoors, which kind of
place, which hour, which props, which framing.

Why data: the tables are lists of words in two languages that a contributor extends (a new
kind of room, a Chinese synonym) without reading drawing code; a table in the wrong shape
fails on import with the file and the key named, never halfway through a film.
"""

from __future__ import annotations

from importlib import resources

import yaml

from microfilm.providers.house.wordmatch import word_hit

Table = tuple[tuple[str, tuple[str, ...]], ...]
SOURCE = "words.yaml"


class WordTableError(ValueError):
    """words.yaml is not in the shape the painter reads."""


def _words(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
        raise WordTableError(f"{SOURCE}: {where} must be a list of words")
    return tuple(raw)


def _table(raw: object, where: str) -> Table:
    if not isinstance(raw, dict) or not raw:
        raise WordTableError(f"{SOURCE}: {where} must map each name to a list of words")
    return tuple((str(name), _words(words, f"{where}.{name}")) for name, words in raw.items())


def _load() -> dict:
    raw = yaml.safe_load(resources.files(__package__).joinpath(SOURCE).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise WordTableError(f"{SOURCE}: expected a mapping of tables")
    missing = {"interior", "exterior", "interior_kinds", "exterior_kinds", "times", "props",
               "framings"} - set(raw)
    if missing:
        raise WordTableError(f"{SOURCE}: missing {', '.join(sorted(missing))}")
    return raw


_RAW = _load()
INTERIOR_WORDS = _words(_RAW["interior"], "interior")
EXTERIOR_WORDS = _words(_RAW["exterior"], "exterior")
INTERIOR_KINDS = _table(_RAW["interior_kinds"], "interior_kinds")
EXTERIOR_KINDS = _table(_RAW["exterior_kinds"], "exterior_kinds")
TIME_WORDS = _table(_RAW["times"], "times")
PROP_WORDS = _table(_RAW["props"], "props")
FRAMINGS = _table(_RAW["framings"], "framings")


def count_words(text: str, words: tuple[str, ...]) -> int:
    return sum(1 for w in words if word_hit(w, text))


def first_match(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    for name, words in table:
        if any(word_hit(w, text) for w in words):
            return name
    return None
