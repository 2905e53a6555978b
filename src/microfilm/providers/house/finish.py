"""What every kind of house picture shares: the genre's palette, the genre's name, and the
film look (vignette, fine grain, time-of-day grade) applied last."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PIL import Image

from microfilm.form import preset
from microfilm.providers.base import PaintRequest
from microfilm.providers.house.drawing import RGB, grade_lut, palette_of, rng_for
from microfilm.providers.house.passes import Pass, develop, grain_pass, vignette_pass


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


def film_look(h: int, w: int, seed_parts: tuple, vignette_k: float = 0.24,
              grain_k: float = 2.0) -> list[Pass]:
    """The per-pixel part of the film look: vignette, then fine grain."""
    return [vignette_pass(h, w, vignette_k),
            grain_pass(h, w, rng_for("grain", *seed_parts), grain_k)]


def _grade(img: Image.Image, sett_time: str, mood_tint: RGB, tint: float) -> Image.Image:
    return grade_lut(img, mood_tint, tint, lift=0.35 if sett_time == "night" else 0.15,
                     contrast=0.45)


def finish_image(img: Image.Image, sett_time: str, mood_tint: RGB, tint: float,
                 seed_parts: tuple, vignette_k: float = 0.24, grain_k: float = 2.0,
                 before: Sequence[Pass] = ()) -> Image.Image:
    """The film look shared by every kind (vignette, fine grain, time-of-day grade), after the
    passes `before` it (a keyframe's lights, a poster's scrim), all run band by band
    (passes.develop)."""
    passes = [*before, *film_look(img.height, img.width, seed_parts, vignette_k, grain_k)]
    return _grade(Image.fromarray(develop(np.asarray(img), passes), "RGB"), sett_time,
                  mood_tint, tint)
