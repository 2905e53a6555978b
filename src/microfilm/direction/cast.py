"""Script names to bible ids, in one place.

The screenplay says "CLARA (V.O.)" or "林晓（画外音）"; the bible calls her "clara". Every
module that needs to know who a cue or an action line names asks here, so the board, the
lint and the prompts agree on who is who.
"""

from __future__ import annotations

import functools
import re

from microfilm.errors import MicrofilmError
from microfilm.spec.bible import Bible, Character

_CUE_NOISE = re.compile(r"[(（][^)）]*[)）]|\^|^@|\bCONT'?D\b", re.IGNORECASE)
# a mention that is about someone, not someone there: "Clara's photo", "calls Clara", "林晓的"
_ABSENT_BEFORE = re.compile(
    r"(?:\b(?:from|to|calls?|calling|dials?|texts?|about|of|for|misses|remembers|thinks of|"
    r"writes to|letter to|message to|photo of|picture of)\s+)$", re.IGNORECASE)
_ABSENT_BEFORE_ZH = ("给", "打给", "想起", "想着", "关于", "来自", "拨通", "思念")
# "听沈凤英以前发的语音": a name whose own recording, message or photo follows within the clause
# is not there in person (the English "messages from Howard" is caught by "from").
_ABSENT_AFTER_ZH = re.compile(r"^[^，。；！？,.;!?]{0,6}?的(?:语音|留言|录音|消息|短信|信|照片|视频|声音)")


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return s or "x"


def clean_cue(cue: str) -> str:
    """'CLARA (V.O.)' -> 'CLARA': the name a cue carries, without extensions."""
    return " ".join(_CUE_NOISE.sub(" ", cue).split()).strip(" :：")


def character_of(bible: Bible, cue: str) -> Character | None:
    """The bible character a cue or name means: full name, id, or given name."""
    name = clean_cue(cue)
    found = bible.character(name)
    if found:
        return found
    key = name.casefold()
    for c in bible.characters:
        given = _given(c)
        if given and key == given.casefold():
            return c
    return None


def character_id(bible: Bible, cue: str) -> str:
    """The bible id for a cue; a name the bible lacks gets a stable slug of itself."""
    found = character_of(bible, cue)
    return found.id if found else slug(clean_cue(cue))


def _given(c: Character) -> str:
    """What others call a character in action lines: 'Howard', '晓' for 林晓 is too short."""
    name = c.name.strip()
    if not name:
        return ""
    if name.isascii():
        return name.split()[0]
    return name[1:] if len(name) >= 3 else ""


def _names(c: Character) -> list[str]:
    out = [c.name.strip()]
    given = _given(c)
    if given and given not in out:
        out.append(given)
    return [n for n in out if n]


def mentions(bible: Bible, text: str) -> list[tuple[str, bool]]:
    """Characters a line of action names, in order of first mention, each with whether the
    mention puts them there (False for "Clara's photo", "calls Clara", "林晓的照片")."""
    found: list[tuple[int, str, bool]] = []
    for c in bible.characters:
        first: tuple[int, bool] | None = None
        there = False
        for name in _names(c):
            if name.isascii():
                pattern = re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", re.IGNORECASE)
            else:
                pattern = re.compile(re.escape(name))
            for m in pattern.finditer(text):
                after = text[m.end():m.end() + 2]
                before = text[:m.start()]
                absent = (after.startswith(("'s", "’s", "的")) or bool(_ABSENT_BEFORE.search(before))
                          or before.endswith(_ABSENT_BEFORE_ZH)
                          or bool(_ABSENT_AFTER_ZH.match(text[m.end():])))
                there = there or not absent
                if first is None or m.start() < first[0]:
                    first = (m.start(), not absent)
        if first is not None:
            found.append((first[0], c.id, there))
    return [(cid, there) for _, cid, there in sorted(found)]


def speaker_name(bible_path, character: str) -> str:
    """The name subtitles show for a line's speaker (a bible id since the board normalises
    them): "Clara" for "child"; the id itself when the bible lacks it or cannot be read."""
    try:
        found = _bible_at(str(bible_path), bible_path.stat().st_mtime_ns).character(character)
    except (OSError, ValueError, MicrofilmError):
        return character
    return found.name if found else character


@functools.lru_cache(maxsize=4)
def _bible_at(path: str, mtime_ns: int) -> Bible:
    from pathlib import Path

    return Bible.load(Path(path))
