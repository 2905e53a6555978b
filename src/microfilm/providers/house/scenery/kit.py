"""Small pieces every drawer of a set uses: a glow to add after the shapes, a safe random
span, and a gradient of bands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from microfilm.providers.house.drawing import RGB, Pen, mix

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


@dataclass
class Glow:
    x: float
    y: float
    radius: float
    colour: RGB
    strength: float
    squash: float = 1.0


def span(rng: np.random.Generator, low: float, high: float) -> float:
    """A uniform draw in [low, high]; a range that a tiny frame squeezes shut is `low`.

    Why: positions inside a window or a band are computed in pixels, and at a small size (a
    thumbnail, a 16 px test frame) the band can be narrower than its margins, which numpy
    refuses ("high - low < 0"). A painter must never crash on a size it accepts.
    """
    return float(rng.uniform(low, high)) if high > low else float(low)


def bands(st: Set, pen: Pen, y0: float, y1: float, c0: RGB, c1: RGB, n: int) -> None:
    """A vertical gradient made of `n` bands (vector layers cannot hold numpy gradients)."""
    y0 = max(-1.0, y0)
    if y1 <= y0:
        return
    step = (y1 - y0) / n
    for i in range(n):
        t = (i + 0.5) / n
        pen.rect((0, y0 + i * step, st.W, y0 + (i + 1) * step + 1), mix(c0, c1, t ** 0.8))
