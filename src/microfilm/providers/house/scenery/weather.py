"""Weather in front of everything: rain, snow, falling petals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microfilm.providers.house.drawing import Pen, mix

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_rain(st: Set, pen: Pen, rng: np.random.Generator, heavy: bool) -> None:
    W, H = st.W, st.H
    n = int((W * H) / (5200 if heavy else 12000))
    xs = rng.uniform(-0.1 * W, 1.1 * W, n)
    ys = rng.uniform(-0.05 * H, H, n)
    ln = rng.uniform(0.012, 0.04, n) * H
    al = rng.integers(40, 110, n)
    col = mix(st.mood.sky[2], (230, 236, 246), 0.7)
    wid = max(1.0, H / 1300)
    for x, y, l_, a in zip(xs, ys, ln, al):
        pen.line([(float(x), float(y)), (float(x - l_ * 0.18), float(y + l_))], col, wid, int(a),
                 caps=False)


def draw_snow(st: Set, pen: Pen, rng: np.random.Generator) -> None:
    W, H = st.W, st.H
    n = int(W * H / 7000)
    # flakes of three depths: the near ones large and soft, the far ones small and dim
    for x, y, r in zip(rng.uniform(0, W, n), rng.uniform(0, H, n), rng.uniform(0.0, 1.0, n)):
        size = (1.2 + 5.0 * float(r) ** 3) * H / 1920
        pen.circle(float(x), float(y), size, (250, 250, 255), int(120 + 110 * (1 - float(r))))


def draw_petals(st: Set, pen: Pen, rng: np.random.Generator) -> None:
    W, H = st.W, st.H
    n = int(W * H / 40000)
    for x, y, r in zip(rng.uniform(0, W, n), rng.uniform(0, H, n), rng.uniform(3, 7, n) * H / 1920):
        pen.ellipse((float(x - r), float(y - r * 0.6), float(x + r), float(y + r * 0.6)), (248, 196,
                                                                                           210), 220)
