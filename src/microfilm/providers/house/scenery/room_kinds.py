"""What one kind of room has on its back wall: the bus's windows, the kitchen's stove, the
classroom's blackboard, the office's screens, the cafe's counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microfilm.providers.house.drawing import Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow, span
from microfilm.providers.house.scenery.furniture import draw_steam, draw_desk

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_vehicle(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    """Inside a bus or a train: a band of windows with the world streaking past, seats, the
    ceiling light strip."""
    cam, s, m = st.cam, st.setting, st.mood
    k = cam.scale(dw)
    W = st.W
    y0, y1 = 4.2, 9.0
    T, B = cam.sy(y1, dw), cam.sy(y0, dw)
    body = st.wall_colour()
    top, midc, hz = m.sky
    n = 24
    for i in range(n):
        t = (i + 0.5) / n
        c = mix(top, hz, t)
        pen.rect((0, T + (B - T) * i / n, W, T + (B - T) * (i + 1) / n + 1), c)
    # lights (or hills) streaking past: long thin strokes at a few heights
    for _ in range(40):
        yy = span(rng, T + (B - T) * 0.35, B - 2)
        xx = float(rng.uniform(-0.2, 1.0)) * W
        ln = float(rng.uniform(0.1, 0.4)) * W
        col = (mix(m.practical, (255, 230, 180), float(rng.random())) if s.dark
               else mix((120, 150, 110), hz, float(rng.uniform(0.2, 0.6))))
        pen.line([(xx, yy), (xx + ln, yy)], col, max(1.0, float(rng.uniform(0.04, 0.12)) * k),
                 int(rng.integers(60, 200)), caps=False)
    # window pillars, curtains tied at each, the sill
    frame = scale_rgb(body, 0.8)
    for i in range(-8, 9):
        px = cam.sx(i * 7.0, dw)
        pen.rect((px - 0.35 * k, T - 0.3 * k, px + 0.35 * k, B + 0.3 * k), frame)
        cur = st.lit(mix(st.palette[3], st.palette[1], 0.5), 0, 0.9)
        pen.poly([(px + 0.35 * k, T - 0.2 * k), (px + 1.6 * k, T - 0.2 * k), (px + 0.9 * k, T + (B - T) * 0.55),
                  (px + 0.35 * k, T + (B - T) * 0.6)], cur)
    pen.rect((0, B, W, B + 0.5 * k), scale_rgb(body, 0.9))
    pen.rect((0, T - 0.9 * k, W, T - 0.3 * k), scale_rgb(body, 1.05))
    # a grab rail along the roof and the seat backs in rows
    rail = st.lit((176, 176, 180))
    ry = cam.sy(10.6, cam.d + 1.5)
    pen.line([(0, ry), (W, ry)], rail, max(1.5, 0.12 * cam.scale(cam.d + 1.5)), caps=False)
    seat = st.lit(mix(st.palette[1], (70, 80, 110), 0.5))
    for row, dist in enumerate((dw - 1.5, cam.d + 3.0)):
        kk = cam.scale(dist)
        for side in (-1, 1):
            x0 = side * 3.2
            x1 = side * 9.0
            l, r_ = sorted((cam.sx(x0, dist), cam.sx(x1, dist)))
            t = cam.sy(4.6, dist)
            pen.rect((l, t, r_, cam.sy(1.6, dist)), scale_rgb(seat, 1.0 - 0.08 * row), radius=0.6 * kk)
            pen.rect((l + 0.3 * kk, t + 0.3 * kk, r_ - 0.3 * kk, t + 0.9 * kk), (236, 232, 222), 180,
                     radius=0.2 * kk)
    draw_lamp_strip(st, pen, dw)  # the ceiling's light strip, over the seats


def draw_lamp_strip(st: Set, pen: Pen, dw: float) -> None:
    """The ceiling light strip of a bus or train, glowing when it is dark outside."""
    cam = st.cam
    y = cam.sy(12.0, cam.d + 2.0)
    k = cam.scale(cam.d + 2.0)
    pen.rect((0, y - 0.25 * k, st.W, y + 0.25 * k), (248, 244, 230))
    if st.setting.dark:
        for i in range(5):
            st.glows.append(Glow(st.W * (i + 0.5) / 5, y, 8 * k, (255, 240, 210), 0.25))


def draw_kitchen(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    k = cam.scale(dw)
    d = dw - 1.2
    body = st.lit(mix((220, 214, 200), st.palette[4], 0.3))
    top = st.lit((120, 110, 104))
    pen.rect((*cam.pt(-30, 3.6, d), *cam.pt(30, 0.0, d)), body)
    pen.rect((*cam.pt(-30, 3.8, d), *cam.pt(30, 3.5, d)), top)
    for i in range(-6, 7):
        pen.line([cam.pt(i * 4.0, 3.4, d - 0.01), cam.pt(i * 4.0, 0.3, d - 0.01)],
                 scale_rgb(body, 0.85), 0.06 * k, caps=False)
    # cabinets above
    pen.rect((*cam.pt(-30, 10.6, dw), *cam.pt(30, 8.0, dw)), scale_rgb(body, 0.95))
    # stove with a pot and steam
    sx = float(rng.uniform(-6, 6))
    px, py = cam.pt(sx, 3.8, d)
    kk = cam.scale(d)
    pen.rect((px - 1.6 * kk, py - 1.4 * kk, px + 1.6 * kk, py), st.lit((70, 70, 76)), radius=0.3 * kk)
    pen.rect((px - 1.9 * kk, py - 1.55 * kk, px + 1.9 * kk, py - 1.25 * kk), st.lit((90, 90, 96)))
    draw_steam(st, pen, px, py - 1.6 * kk, kk)


def draw_blackboard(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    k = cam.scale(dw)
    pen.rect((*cam.pt(-8, 9.6, dw), *cam.pt(6, 4.6, dw)), (180, 150, 110))
    pen.rect((*cam.pt(-7.7, 9.3, dw), *cam.pt(5.7, 4.9, dw)), st.lit((48, 80, 66)))
    for i in range(3):
        x0 = float(rng.uniform(-7, -2))
        pen.line([cam.pt(x0, 8.4 - i * 1.1, dw), cam.pt(x0 + float(rng.uniform(3, 8)),
                                                        8.4 - i * 1.1, dw)],
                 (226, 230, 220), 0.1 * k, 170)
    for i in range(-2, 3):
        draw_desk(st, pen, i * 6.0 + 1.0, cam.d + 3.5)


def draw_office(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    for i in range(-2, 3):
        x = i * 7.0 + float(rng.uniform(-1, 1))
        dist = cam.d + 4.5
        k = cam.scale(dist)
        draw_desk(st, pen, x, dist)
        l, t = cam.pt(x - 1.2, 5.4, dist + 0.3)
        r, b = cam.pt(x + 1.2, 3.6, dist + 0.3)
        pen.rect((l, t, r, b), st.lit((40, 42, 50)))
        glowc = (180, 210, 240)
        pen.rect((l + 0.1 * k, t + 0.1 * k, r - 0.1 * k, b - 0.1 * k),
                 glowc if st.setting.dark else st.lit(glowc))
        if st.setting.dark:
            st.glows.append(Glow((l + r) / 2, (t + b) / 2, 4 * k, (160, 200, 255), 0.35))


def draw_cafe(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    d = dw - 1.0
    k = cam.scale(d)
    counter = st.lit(mix((130, 88, 60), st.palette[2], 0.2))
    cx = float(rng.uniform(-10, -4)) * (1 if rng.random() < 0.5 else -1)
    pen.rect((*cam.pt(cx - 7, 4.0, d), *cam.pt(cx + 7, 0.0, d)), counter)
    pen.rect((*cam.pt(cx - 7.3, 4.3, d), *cam.pt(cx + 7.3, 3.9, d)), scale_rgb(counter, 1.2))
    board = st.lit((50, 56, 52))
    pen.rect((*cam.pt(cx - 4, 10.0, dw), *cam.pt(cx + 4, 7.0, dw)), board)
    for i in range(3):
        pen.line([cam.pt(cx - 3.2, 9.3 - i * 0.8, dw), cam.pt(cx + float(rng.uniform(0, 3)),
                                                              9.3 - i * 0.8, dw)],
                 (236, 230, 210), 0.08 * cam.scale(dw), 180)
    for i in range(3):
        lx = cx - 5 + i * 5
        px, py = cam.pt(lx, 8.8, d)
        pen.line([(px, cam.sy(13.0, d)), (px, py)], (40, 36, 36), 0.05 * k, caps=False)
        pen.poly([(px - 0.4 * k, py), (px + 0.4 * k, py), (px + 0.9 * k, py + 0.8 * k),
                  (px - 0.9 * k, py + 0.8 * k)],
                 st.lit(st.palette[3], 0, 0.9))
        st.glows.append(Glow(px, py + 0.8 * k, 5 * k, st.mood.practical, 0.5))
