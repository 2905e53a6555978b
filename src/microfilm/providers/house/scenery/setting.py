"""A shot's place read from its words: inside or out, which kind of set, the hour, the weather.

The location's name and motifs count more than the shot's prompt; a prompt that says where
it is ("Interior, ...", "外景") decides. The layout of a place is seeded from its name, so
every shot of one place shows the same set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microfilm.providers.house.scenery.words import (
    EXTERIOR_KINDS, EXTERIOR_WORDS, INTERIOR_KINDS, INTERIOR_WORDS, PROP_WORDS, TIME_WORDS, count_words,
    first_match, word_hit,
)


@dataclass(frozen=True)
class Setting:
    """What a shot's words say about its place: inside or out, which kind, hour, weather."""

    interior: bool
    kind: str
    time: str  # day | dusk | night | dawn
    props: frozenset[str]
    genre: str
    place_key: str  # what the place's layout is seeded from

    @property
    def rain(self) -> bool:
        return "rain" in self.props

    @property
    def snow(self) -> bool:
        return "snow" in self.props

    @property
    def dark(self) -> bool:
        return self.time in ("night", "dusk")


_SAYS_INSIDE = re.compile(r"(?<![a-z])(?:interior|indoors|int\.)(?![a-z])|内景|室内")
_SAYS_OUTSIDE = re.compile(r"(?<![a-z])(?:exterior|outdoors|ext\.)(?![a-z])|外景|室外|户外")


# what a shot's prompt may add to its place (the rest of a set comes from the place's words)
PROMPT_PROPS = ("rain", "snow", "steam", "table", "umbrella", "phone", "petals", "lamp")


def _is_interior(place: str, motifs: str, prompt: str) -> bool:
    """The shot's own "Interior"/"外景" decides; else a heading's INT./EXT.; else the words
    that lean indoors or out, the place's counting double the prompt's."""
    everything = place + prompt
    inside, outside = _SAYS_INSIDE.search(prompt), _SAYS_OUTSIDE.search(prompt)
    if bool(inside) != bool(outside):
        return bool(inside)
    says_int = re.search(r"(?<![a-z])int\.", everything) is not None
    says_ext = re.search(r"(?<![a-z])ext\.", everything) is not None
    if says_int != says_ext:
        return says_int
    score = 2 * (count_words(place, INTERIOR_WORDS) - count_words(place, EXTERIOR_WORDS))
    score += count_words(prompt, INTERIOR_WORDS) - count_words(prompt, EXTERIOR_WORDS)
    return score > 0 if score != 0 else ("window" in motifs or "窗" in motifs)


def read_setting(location: str, motifs: tuple[str, ...], prompt: str, time_of_day: str,
                 genre: str) -> Setting:
    """Read the place from its words; the location and motifs count more than the prompt."""
    loc = f" {location} ".casefold()
    mot = " " + " ; ".join(motifs).casefold() + " "
    pro = f" {prompt} ".casefold()
    place = loc + mot
    interior = _is_interior(place, mot, pro)
    kinds = INTERIOR_KINDS if interior else EXTERIOR_KINDS
    # the location's own name says what it is before its motifs do ("Bedroom" with a desk)
    kind = (first_match(loc, kinds) or first_match(mot, kinds) or first_match(pro, kinds)
            or ("home" if interior else (
        "mountain" if genre in ("aesthetic-scenery", "ancient-style") else "street")))
    tod = f" {time_of_day} ".casefold()
    time = first_match(tod, TIME_WORDS) or first_match(place, TIME_WORDS) or first_match(pro, TIME_WORDS) or "day"
    props = {name for name, words in PROP_WORDS if any(word_hit(w, place) for w in words)}
    props |= {name for name, words in PROP_WORDS
              if name in PROMPT_PROPS and any(word_hit(w, pro) for w in words)}
    if kind == "busstop":
        props.add("busstop")
    if genre == "ancient-style" and "lamp" in props:
        props.add("lantern")
    key = (location.strip() or kind).casefold()
    return Setting(interior=interior, kind=kind, time=time, props=frozenset(props), genre=genre,
                   place_key=key)
