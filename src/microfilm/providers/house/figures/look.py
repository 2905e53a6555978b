"""A character's look, read once from its bible entry and the same in every shot.

The words decide (hair, age, build, skin, garments and their colours); the hash of the
character's id and words fills in what they leave open. The shot's seed never enters, so
the same character wears the same red scarf in every shot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from microfilm.providers.base import CharacterLook
from microfilm.providers.house.drawing import RGB, hex_rgb, mix, rng_for, scale_rgb
from microfilm.providers.house.figures.words import (
    BOTTOMS, CHILD, ELDERLY, FEMALE, HAIR_CLAUSE, HAIR_CLAUSE_COLOURS, HAIR_CLAUSE_STYLES,
    HAIR_COLOURS, HAIR_STYLES, HAIR_WORDS, MALE, PALE, SHORT, SLIM, STOUT, TALL, TANNED, TOPS,
    YOUTH, clauses, has_any, has_word, item_colour,
)
from microfilm.providers.house.story import names as story_names


SKINS: tuple[RGB, ...] = ((246, 214, 186), (238, 200, 168), (230, 190, 152), (222, 178, 140),
                          (206, 158, 120), (176, 124, 92))


@dataclass(frozen=True)
class Look:
    """Everything needed to draw one character the same way in every shot."""

    id: str
    skin: RGB
    hair: RGB
    hair_style: str  # short | long | bob | bun | ponytail | braid | bald | curly
    female: bool
    age: str  # child | youth | adult | elderly
    height: float  # relative to an adult (1.0)
    width: float  # build: 0.85 slim .. 1.2 stout
    top: RGB
    top_kind: str  # coat | jacket | suit | uniform | sweater | shirt | dress | robe
    bottom: RGB
    bottom_kind: str  # trousers | skirt | long-skirt | shorts | none (dress, robe)
    shoes: RGB
    scarf: RGB | None = None
    hat: RGB | None = None
    glasses: bool = False
    apron: RGB | None = None
    beard: bool = False
    bag: RGB | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def head_units(self) -> float:
        """The figure's height in head heights (children have big heads)."""
        return {"child": 5.0, "youth": 6.6, "elderly": 6.5}.get(self.age, 6.9)


@lru_cache(maxsize=256)


@lru_cache(maxsize=1024)
def gender_of_name(name: str) -> str | None:
    """"female" | "male" when the name is in one gender's pool of the house writer (English
    first names, a Chinese surname + given name, ancient full names), else None."""
    pool = story_names()
    name = name.strip()
    given = name[1:] if len(name) >= 2 and name[0] in pool.zh_surnames else ""
    for gender in ("female", "male"):
        if (any(name in names for names in pool.en.get(gender, {}).values())
                or any(given in names for names in pool.zh.get(gender, {}).values())
                or any(name in by.get(gender, ()) for by in pool.ancient.values())):
            return gender
    return None


@lru_cache(maxsize=256)
def look_of(character: CharacterLook, genre: str = "") -> Look:
    """The character's look: the words decide, the id's hash fills in what they leave open."""
    words = f" {character.look} ".casefold()
    ward = f" {character.wardrobe} ".casefold()
    # who they are (外婆, "Father", id "grandma") hints at age and gender, never at colours
    who = f" {character.name} {character.id.replace('-', ' ')} ".casefold()
    both = words + " " + ward + " " + who
    rng = rng_for("figure", character.id, character.look, character.wardrobe)
    picks = rng.random(12)
    female, age = _sex_and_age(words, who, both, picks, character.name)
    hair_key, style = _hair(words, age, female, genre, picks)
    height, width = _build(words, age, female, picks)
    own = hex_rgb(character.color, (192, 160, 128))
    top_kind, top = _top(ward, own, genre, picks)
    bottom_kind, bottom = _bottom(ward, own, top_kind, female, picks)
    extras = _extras(words, ward, both, own, female, picks)
    return Look(
        id=character.id, skin=_skin(words, picks), hair=HAIR_COLOURS[hair_key], hair_style=style,
        female=bool(female), age=age, height=float(height), width=float(width), top=top,
        top_kind=top_kind, bottom=bottom, bottom_kind=bottom_kind, **extras,
        tags=("ancient",) if genre == "ancient-style" else (),
    )


def _sex_and_age(words: str, who: str, both: str, picks: np.ndarray, name: str):
    """Female or not and child | youth | adult | elderly. The words decide; when they say
    nothing, the house writer's name pools do (it named Tom as a man); else the hash (then a
    numpy bool)."""
    female = has_any(both, FEMALE) and not (has_any(words, MALE) and not has_any(words, FEMALE))
    if not has_any(both, FEMALE) and not has_any(both, MALE):
        named = gender_of_name(name)
        female = (named == "female") if named else picks[0] < 0.5
    if has_any(words, CHILD):
        age = "child"
    elif has_any(words + who, ELDERLY):
        age = "elderly"
    elif has_any(words, YOUTH):
        age = "youth"
    else:
        age = "adult"
    return female, age


def _hair(words: str, age: str, female, genre: str, picks: np.ndarray) -> tuple[str, str]:
    """The hair colour's key and the style: said words first, then said in a hair clause
    ("long black hair", "乌黑的长发"), then the genre and the hash."""
    hair_clauses = [c for c in clauses(words) if has_any(c, HAIR_CLAUSE)]
    hair_key = next((key for w, key in HAIR_WORDS if has_word(w, words)), None) or next(
        (key for c in hair_clauses for w, key in HAIR_CLAUSE_COLOURS if has_word(w, c)), None)
    if hair_key is None:
        if age == "elderly":
            hair_key = "salt" if picks[1] < 0.4 else "grey"
        else:
            hair_key = "black" if picks[1] < 0.55 else ("dark" if picks[1] < 0.85 else "brown")
    return hair_key, _hair_style(words, hair_clauses, age, female, genre, picks)


def _hair_style(words: str, hair_clauses: list[str], age: str, female, genre: str,
                picks: np.ndarray) -> str:
    style = next((st for w, st in HAIR_STYLES if has_word(w, words)), None) or next(
        (st for c in hair_clauses for w, st in HAIR_CLAUSE_STYLES if has_word(w, c)), None)
    if style is None and genre == "ancient-style":
        style = "bun" if not female or picks[2] < 0.5 else "long"  # a topknot, an updo
    if style is None:
        if female:
            options = ("bun", "bob", "short") if age == "elderly" else ("long", "ponytail", "bob",
                                                                        "long", "braid")
        else:
            options = ("short", "short", "bald") if age == "elderly" else ("short", "short", "curly")
        style = options[int(picks[2] * len(options)) % len(options)]
    return style


def _build(words: str, age: str, female, picks: np.ndarray) -> tuple[float, float]:
    """Height relative to an adult and width (0.86 slim .. 1.2 stout)."""
    height = {"child": 0.6, "youth": 0.97, "elderly": 0.93}.get(age, 1.0)
    if has_any(words, TALL):
        height *= 1.07
    if has_any(words, SHORT):
        height *= 0.93
    # `is False` holds only for a said gender (a Python bool); kept as drawn since it shipped
    height *= 1.0 if female is False else 0.96
    height *= 0.98 + 0.04 * picks[3]
    width = 1.0 + 0.06 * (picks[4] - 0.5)
    if has_any(words, SLIM):
        width = 0.86
    if has_any(words, STOUT):
        width = 1.2
    return height, width


def _skin(words: str, picks: np.ndarray) -> RGB:
    skin_i = 1 + int(picks[5] * 3)
    if has_any(words, PALE):
        skin_i = 0
    if has_any(words, TANNED):
        skin_i = 4 + int(picks[5] * 2)
    return SKINS[min(skin_i, len(SKINS) - 1)]


def _top(ward: str, own: RGB, genre: str, picks: np.ndarray) -> tuple[str, RGB]:
    """The upper garment's kind and colour: the bible's colour is the character's signature;
    a garment colour the words name wins only where it plainly disagrees with it ("blue coat"
    on a beige default)."""
    top_kind = next((k for w, k in TOPS if has_word(w, ward)), None)
    if top_kind is None:
        if genre == "ancient-style":
            top_kind = "robe"
        else:
            top_kind = ("coat", "jacket", "sweater", "shirt")[int(picks[6] * 4) % 4]
    top_nouns = tuple(w for w, k in TOPS if k == top_kind)
    _, named_top = item_colour(ward, top_nouns)
    top = own
    if named_top is not None and sum(abs(a - b) for a, b in zip(named_top, own)) > 150:
        top = named_top
    return top_kind, top


def _bottom(ward: str, own: RGB, top_kind: str, female, picks: np.ndarray) -> tuple[str, RGB]:
    bottom_kind = "none" if top_kind in ("dress", "robe") else next(
        (k for w, k in BOTTOMS if has_word(w, ward)), "skirt" if (female and picks[7] < 0.35) else "trousers")
    _, named_bottom = item_colour(ward, tuple(w for w, k in BOTTOMS if k == bottom_kind))
    bottom = named_bottom or mix(scale_rgb(own, 0.35), (40, 44, 60), 0.6)
    if bottom_kind == "trousers" and not named_bottom and picks[8] < 0.3:
        bottom = (62, 84, 120)  # jeans
    return bottom_kind, bottom


def _extras(words: str, ward: str, both: str, own: RGB, female, picks: np.ndarray) -> dict:
    """Scarf, hat, apron, bag, glasses, beard and shoes, each only when the words say so."""
    scarf_said, scarf_col = item_colour(ward + " " + words, ("scarf", "围巾", "披肩", "shawl"))
    hat_said, hat_col = item_colour(ward + " " + words, ("hat", "cap", "beanie", "帽", "斗笠"))
    apron_said, apron_col = item_colour(ward, ("apron", "围裙"))
    bag_said, bag_col = item_colour(ward, ("bag", "backpack", "satchel", "书包", "背包", "包"))
    _, shoe_col = item_colour(ward, ("shoes", "boots", "sneakers", "鞋", "靴"))
    return {
        "scarf": (scarf_col or mix(own, (230, 60, 60), 0.6)) if scarf_said else None,
        "hat": (hat_col or scale_rgb(own, 0.6)) if hat_said else None,
        "apron": (apron_col or (236, 226, 205)) if apron_said else None,
        "bag": (bag_col or (120, 80, 50)) if bag_said else None,
        "glasses": has_any(both, ("glasses", "spectacles", "眼镜")),
        "beard": (not female) and has_any(words, ("beard", "stubble", "moustache", "mustache", "胡子",
                                                   "胡须", "胡茬")),
        "shoes": shoe_col or ((48, 40, 36) if picks[9] < 0.7 else (232, 230, 224)),
    }
