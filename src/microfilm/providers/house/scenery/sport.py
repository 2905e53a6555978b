"""A stadium seen from the field: tiered stands under a roof far behind, floodlight towers
that blaze after dark, and the running track the characters stand on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microfilm.providers.house.drawing import Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_stadium(st: Set, pen: Pen) -> None:
    draw_stands(st, pen)
    draw_floodlights(st, pen)
    draw_track(st, pen)


def draw_stands(st: Set, pen: Pen) -> None:
    """Five tiers of seats in two colours and a roof, hazed by distance."""
    cam = st.cam
    dist = cam.d + 60.0
    k = cam.scale(dist)
    base = cam.sy(0.0, dist)
    concrete = st.lit(mix((172, 172, 178), st.palette[1], 0.15), dist)
    seats = (st.lit(mix(st.palette[3], (40, 90, 170), 0.5), dist), st.lit((226, 226, 230), dist))
    step = max(8.0 * k, 2.0)
    for i in range(5):
        y1 = base - i * 2.6 * k
        y0 = y1 - 2.6 * k
        pen.rect((-10, y0, st.W + 10, y1 + 1), scale_rgb(concrete, 1.0 - 0.05 * i))
        x, j = -10.0, i % 2
        while x < st.W + 10:  # blocks of seats, alternating colours
            pen.rect((x, y0 + 0.5 * k, x + step * 0.9, y1 - 0.4 * k), seats[j % 2])
            x += step
            j += 1
    top = base - 13.0 * k
    pen.poly([(-10, top), (st.W + 10, top), (st.W + 10, top - 2.2 * k), (-10, top - 3.2 * k)],
             scale_rgb(concrete, 0.7))


def draw_floodlights(st: Set, pen: Pen) -> None:
    """A tower at each side with a bank of lamps; after dark they glow and light the field."""
    cam = st.cam
    rng = st.layout("floodlights")
    dist = cam.d + 45.0
    k = cam.scale(dist)
    steel = st.lit((120, 124, 132), dist)
    for side in (-1, 1):
        x = side * float(rng.uniform(26.0, 36.0))
        bx, by = cam.pt(x, 0.0, dist)
        tx, ty = cam.pt(x, 48.0, dist)
        pen.line([(bx, by), (tx, ty)], steel, max(1.0, 0.9 * k), caps=False)
        l, t = tx - 4.0 * k, ty - 3.0 * k
        pen.rect((l, t, l + 8.0 * k, ty), scale_rgb(steel, 0.8))
        lamp = (255, 250, 230) if st.setting.dark else st.lit((236, 236, 228), dist)
        for r in range(2):
            for c in range(4):
                cx, cy = l + (1.0 + 2.0 * c) * k, t + (0.8 + 1.4 * r) * k
                pen.circle(cx, cy, 0.55 * k, lamp)
        if st.setting.dark:
            st.glows.append(Glow(tx, ty - 1.5 * k, 24 * k, (255, 246, 220), 0.7))


def draw_track(st: Set, pen: Pen) -> None:
    """The running track under the characters' feet, white lane lines receding."""
    cam = st.cam
    near, far = max(0.6, cam.d - 2.5), cam.d + 9.0
    y_far, y_near = cam.sy(0.0, far), min(cam.sy(0.0, near), st.H + 10)
    if y_far >= st.H:
        return
    pen.rect((0, y_far, st.W, y_near), st.lit(mix((184, 88, 62), st.palette[2], 0.15)))
    lane = st.lit((236, 232, 224))
    for dd in (-1.5, 1.0, 3.5, 6.0, 8.5):
        d = cam.d + dd
        if d > 0.6:
            y = cam.sy(0.0, d)
            pen.line([(0, y), (st.W, y)], lane, max(1.0, 0.12 * cam.scale(d)), caps=False)
