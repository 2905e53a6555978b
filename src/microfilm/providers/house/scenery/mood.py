"""The hour's colours: the sky, the grade of the set, the lamps and how much they glow."""

from __future__ import annotations

from dataclasses import dataclass

from microfilm.providers.house.drawing import RGB, mix


@dataclass(frozen=True)
class Mood:
    """The hour's colours: sky, ambient grade, practical lights and how much they glow."""

    sky: tuple[RGB, RGB, RGB]  # top, middle, at the horizon
    tint: RGB
    tint_amount: float
    practical: RGB  # lamps, windows at night
    glow: float  # 0 (noon) .. 1 (night): how strongly practical lights bloom
    ambient: float  # overall exposure multiplier for the set
    sun: RGB | None  # the sun's (or moon's) disc colour
    is_moon: bool


def mood_for(time: str, palette: tuple[RGB, ...], genre: str, interior: bool = False) -> Mood:
    """The hour's colours; indoors after dark the lamps, not the sky, set the tone."""
    m = _outdoor_mood(time, palette)
    if interior and time in ("night", "dusk"):
        warm = mix((255, 206, 156), palette[2], 0.25)
        return Mood(m.sky, warm, 0.2 if time == "night" else 0.14, m.practical, m.glow,
                    0.8 if time == "night" else 0.9, m.sun, m.is_moon)
    return m


def _outdoor_mood(time: str, palette: tuple[RGB, ...]) -> Mood:
    dark, mid, warm, accent, light = palette
    if time == "night":
        top = mix((14, 18, 40), dark, 0.5)
        return Mood((top, mix(top, (40, 52, 96), 0.6), mix((60, 66, 110), accent, 0.2)),
                    (120, 134, 196), 0.32, mix((255, 196, 120), warm, 0.3), 1.0, 0.62,
                    (240, 238, 220), True)
    if time == "dusk":
        return Mood((mix((52, 48, 104), dark, 0.3), mix((206, 116, 120), accent, 0.15),
                     mix((255, 190, 120), warm, 0.3)),
                    (255, 196, 156), 0.22, mix((255, 186, 110), warm, 0.3), 0.65, 0.86,
                    (255, 214, 150), False)
    if time == "dawn":
        return Mood((mix((120, 150, 200), accent, 0.2), (236, 196, 196), mix((255, 222, 186), light, 0.3)),
                    (255, 226, 214), 0.12, mix((255, 210, 160), warm, 0.3), 0.3, 0.95,
                    (255, 236, 200), False)
    return Mood((mix((96, 160, 222), accent, 0.18), mix((160, 204, 236), light, 0.15),
                 mix((226, 236, 240), light, 0.3)),
                (255, 250, 238), 0.05, mix((255, 220, 170), warm, 0.3), 0.12, 1.0,
                (255, 248, 226), False)


# ---- the set -------------------------------------------------------------------------
