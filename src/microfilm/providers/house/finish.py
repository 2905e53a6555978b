"""What every kind of house picture shares: the genre's palette, the genre's name, and the
film look (vignette, fine grain, time-of-day grade) applied last."""

from __future__ import annotations

import numpy as np
from PIL import Image

from microfilm.form import preset
from microfilm.providers.base import PaintRequest
from microfilm.providers.house.drawing import RGB, grade_lut, grain, palette_of, rng_for, to_image, vignette


def palette_for(request: PaintRequest) -> tuple[RGB, ...]:
    colours = request.palette
    if not colours:
        try:
            colours = preset(request.genre).palette
        except (ValueError, KeyError):
            colours = ()
    return palette_of(tuple(colours))


def genre_of(request: PaintRequest) -> str:
    try:
        return preset(request.genre).genre.value
    except (ValueError, KeyError):
        return request.genre


def finish(arr: np.ndarray, sett_time: str, mood_tint: RGB, tint: float, seed_parts: tuple,
            vignette_k: float = 0.24, grain_k: float = 2.0) -> Image.Image:
    """The film look shared by every kind: vignette, fine grain, time-of-day grade.
    `arr` is used up (the passes run in place, the rounding too)."""
    vignette(arr, vignette_k)
    grain(arr, rng_for("grain", *seed_parts), grain_k)
    return grade_lut(to_image(arr, in_place=True), mood_tint, tint,
                     lift=0.35 if sett_time == "night" else 0.15, contrast=0.45)
