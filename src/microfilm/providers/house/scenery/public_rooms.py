"""Rooms people share: a hospital ward, a hall (a gym, an auditorium, a station's waiting
hall), a shop (a bookshop, a corner store, a library, a parcel depot).

Each draws the back wall's identity in a few shapes a viewer reads at thumbnail size: beds
with rails and a drip stand; a stage with a curtain and high windows (and a hoop where the
place is for sport); shelves full of goods (books where the place is for books) and a counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microfilm.providers.house.drawing import Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set

SPORT_WORDS = ("gym", "sport", "stadium", "basketball", "体育", "球馆", "健身")
BOOK_WORDS = ("book", "library", "书", "图书")


def draw_ward(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    """Two hospital beds along the back wall, a curtain rail, a drip stand and a monitor."""
    cam = st.cam
    k = cam.scale(dw)
    mint = st.lit((178, 212, 198))
    pen.rect((*cam.pt(-40, 3.4, dw), *cam.pt(40, 0.0, dw)), mint)  # the washable lower wall
    pen.rect((*cam.pt(-40, 3.6, dw), *cam.pt(40, 3.35, dw)), scale_rgb(mint, 0.85))
    side = -1 if rng.random() < 0.5 else 1
    for i, bx in enumerate((side * 6.5, -side * 6.5)):
        d = dw - 2.2
        kk = cam.scale(d)
        frame = st.lit((132, 146, 160))
        pen.rect((*cam.pt(bx - 4.6, 6.2, d + 0.6), *cam.pt(bx - 3.8, 0.0, d + 0.6)), frame, radius=0.3 * kk)
        pen.rect((*cam.pt(bx - 4.4, 5.8, d + 0.6), *cam.pt(bx + 4.4, 2.0, d + 0.6)), scale_rgb(frame, 1.2),
                 radius=0.4 * kk)
        pen.rect((*cam.pt(bx - 4.6, 3.0, d), *cam.pt(bx + 4.6, 2.2, d)), st.lit((244, 244, 240)),
                 radius=0.3 * kk)  # the sheet
        pen.rect((*cam.pt(bx - 4.4, 3.5, d - 0.2), *cam.pt(bx - 2.6, 2.8, d - 0.2)), st.lit((250, 250, 248)),
                 radius=0.3 * kk)  # the pillow
        pen.rect((*cam.pt(bx - 1.5, 3.1, d - 0.3), *cam.pt(bx + 4.4, 2.5, d - 0.3)),
                 st.lit(mix(st.palette[3], (150, 190, 210), 0.6)), radius=0.3 * kk)  # the blanket
        for lx in (bx - 4.2, bx + 4.2):
            pen.line([cam.pt(lx, 2.2, d), cam.pt(lx, 0.0, d)], st.lit((150, 154, 160)), 0.18 * kk, caps=False)
        pen.line([cam.pt(bx + 0.5, 3.9, d - 0.4), cam.pt(bx + 4.4, 3.9, d - 0.4)], st.lit((170, 174, 180)),
                 0.14 * kk, caps=False)  # the side rail
        if i == 0:  # the drip stand and the monitor belong to the nearer bed
            draw_drip(st, pen, bx - 5.4, d - 0.4)
            draw_monitor(st, pen, bx + 5.6, dw - 0.4)
    # a ceiling rail with a privacy curtain half drawn
    rail_y = cam.sy(11.0, dw - 1.0)
    pen.line([(0, rail_y), (st.W, rail_y)], st.lit((180, 182, 188)), max(1.0, 0.12 * k), caps=False)
    cx = cam.sx(-side * 1.0, dw - 1.0)
    curtain = st.lit(mix(st.palette[3], (130, 180, 190), 0.7))
    pen.poly([(cx - 2.4 * k, rail_y), (cx + 2.4 * k, rail_y), (cx + 2.8 * k, cam.sy(1.0, dw - 1.0)),
              (cx - 2.6 * k, cam.sy(1.0, dw - 1.0))], curtain, 220)
    for f in (-1.2, 0.0, 1.2):
        pen.line([(cx + f * k, rail_y), (cx + f * 1.1 * k, cam.sy(1.0, dw - 1.0))], scale_rgb(curtain, 0.85),
                 0.12 * k, caps=False)


def draw_drip(st: Set, pen: Pen, x: float, dist: float) -> None:
    cam = st.cam
    kk = cam.scale(dist)
    steel = st.lit((170, 174, 182))
    pen.line([cam.pt(x, 0.0, dist), cam.pt(x, 9.0, dist)], steel, 0.12 * kk, caps=False)
    pen.line([cam.pt(x - 0.8, 9.0, dist), cam.pt(x + 0.8, 9.0, dist)], steel, 0.1 * kk, caps=False)
    pen.rect((*cam.pt(x - 0.45, 8.8, dist), *cam.pt(x + 0.45, 7.4, dist)), (226, 236, 240), 210,
             radius=0.15 * kk)
    pen.line([cam.pt(x, 7.4, dist), cam.pt(x + 0.6, 5.0, dist), cam.pt(x + 1.4, 3.2, dist)],
             (220, 230, 236), 0.05 * kk, 200)


def draw_monitor(st: Set, pen: Pen, x: float, dist: float) -> None:
    """A bedside monitor with a green trace; it glows in a dark ward."""
    cam = st.cam
    kk = cam.scale(dist)
    pen.line([cam.pt(x, 0.0, dist), cam.pt(x, 5.5, dist)], st.lit((120, 124, 130)), 0.14 * kk, caps=False)
    l, t = cam.pt(x - 1.1, 7.2, dist)
    r, b = cam.pt(x + 1.1, 5.5, dist)
    pen.rect((l, t, r, b), (40, 44, 52), radius=0.15 * kk)
    trace = [(l + (r - l) * (0.1 + 0.8 * i / 8), b - (b - t) * (0.5 + (0.3 if i == 4 else -0.2 if i == 5 else 0)))
             for i in range(9)]
    pen.line(trace, (90, 230, 140), max(1.0, 0.06 * kk))
    if st.setting.dark:
        st.glows.append(Glow((l + r) / 2, (t + b) / 2, 3 * kk, (90, 230, 140), 0.3))


def draw_hall(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    """A big room: high windows along the top of the back wall, a stage with a curtain, and
    for sport a basketball hoop over a court line; ceiling lights in rows."""
    cam = st.cam
    k = cam.scale(dw)
    sky = st.mood.sky[1] if not st.setting.dark else mix(st.mood.sky[0], (40, 50, 80), 0.4)
    frame = st.lit((210, 206, 196))
    for i in range(-5, 6):
        x = i * 6.0
        pen.rect((*cam.pt(x - 2.2, 12.2, dw), *cam.pt(x + 2.2, 9.6, dw)), frame)
        pen.rect((*cam.pt(x - 1.9, 11.9, dw), *cam.pt(x + 1.9, 9.9, dw)), sky)
    sport = any(w in st.setting.place_key for w in SPORT_WORDS)
    if sport:
        hoop_x = float(rng.uniform(-3, 3))
        pen.rect((*cam.pt(hoop_x - 2.0, 9.0, dw - 0.5), *cam.pt(hoop_x + 2.0, 6.6, dw - 0.5)), (244, 244, 240))
        pen.rect((*cam.pt(hoop_x - 0.8, 8.2, dw - 0.6), *cam.pt(hoop_x + 0.8, 7.0, dw - 0.6)),
                 (244, 244, 240))
        pen.arc((*cam.pt(hoop_x - 0.8, 7.0, dw - 1.2), *cam.pt(hoop_x + 0.8, 6.6, dw - 1.2)), 0, 360,
                (226, 96, 40), max(1.0, 0.12 * k))
        line_y = cam.sy(0.0, dw - 5.0)
        pen.line([(0, line_y), (st.W, line_y)], st.lit((236, 230, 214)), max(1.0, 0.15 * k), caps=False)
    else:
        d = dw - 0.6
        kk = cam.scale(d)
        stage = st.lit((120, 84, 56))
        pen.rect((*cam.pt(-12, 2.0, d), *cam.pt(12, 0.0, d)), stage)
        pen.rect((*cam.pt(-12.4, 2.2, d), *cam.pt(12.4, 1.9, d)), scale_rgb(stage, 1.2))
        red = st.lit(mix((170, 40, 44), st.palette[3], 0.2))
        for f in (-1, 1):
            pen.poly([cam.pt(f * 12, 9.4, d), cam.pt(f * 6.5, 9.4, d), cam.pt(f * 8.5, 2.0, d),
                      cam.pt(f * 12, 2.0, d)], red)
            for j in range(3):
                x = f * (7.5 + 1.4 * j)
                pen.line([cam.pt(x, 9.2, d), cam.pt(x + f * 0.4, 2.1, d)], scale_rgb(red, 0.8), 0.15 * kk,
                         caps=False)
        pen.rect((*cam.pt(-12.5, 9.9, d), *cam.pt(12.5, 9.1, d)), scale_rgb(red, 0.85))
    for row, dist in enumerate((dw - 2.0, cam.d + 4.0)):
        y = cam.sy(12.6, dist)
        kk = cam.scale(dist)
        for i in range(-3, 4):
            x = cam.sx(i * 7.0, dist)
            pen.rect((x - 1.4 * kk, y - 0.15 * kk, x + 1.4 * kk, y + 0.15 * kk), (250, 248, 236))
            if st.setting.dark:
                st.glows.append(Glow(x, y, 6 * kk, st.mood.practical, 0.3))


def draw_shop(st: Set, pen: Pen, dw: float, rng: np.random.Generator) -> None:
    """Shelves full of goods along the back wall (spines of books in a bookshop or a
    library) and a counter with a till on one side."""
    cam = st.cam
    d = dw - 0.4
    kk = cam.scale(d)
    wood = st.lit(mix((150, 104, 66), st.palette[2], 0.15))
    books = any(w in st.setting.place_key for w in BOOK_WORDS)
    goods = [st.palette[1], st.palette[2], st.palette[3], (200, 70, 60), (240, 200, 80), (80, 140, 90),
             (236, 232, 220)]
    for unit in range(-3, 4):
        x0, x1 = unit * 6.2 - 2.9, unit * 6.2 + 2.9
        pen.rect((*cam.pt(x0 - 0.2, 10.5, d), *cam.pt(x1 + 0.2, 0.0, d)), scale_rgb(wood, 0.7))
        for level in (0.6, 3.0, 5.4, 7.8):
            pen.rect((*cam.pt(x0, level + 0.25, d), *cam.pt(x1, level, d)), wood)
            x = x0 + 0.1
            while x < x1 - 0.3:
                w = float(rng.uniform(0.25, 0.45)) if books else float(rng.uniform(0.6, 1.2))
                h = float(rng.uniform(1.2, 1.9)) if books else float(rng.uniform(0.8, 1.6))
                col = st.lit(tuple(int(v) for v in goods[int(rng.integers(len(goods)))]))
                pen.rect((*cam.pt(x, level + 0.25 + h, d), *cam.pt(min(x + w, x1), level + 0.25, d)), col)
                x += w + (0.03 if books else float(rng.uniform(0.1, 0.3)))
    side = -1 if rng.random() < 0.5 else 1
    cd = cam.d + 3.5
    ck = cam.scale(cd)
    cx = side * 9.0
    counter = st.lit(mix((120, 86, 60), st.palette[3], 0.2))
    pen.rect((*cam.pt(cx - 4.0, 3.8, cd), *cam.pt(cx + 4.0, 0.0, cd)), counter)
    pen.rect((*cam.pt(cx - 4.3, 4.1, cd), *cam.pt(cx + 4.3, 3.7, cd)), scale_rgb(counter, 1.25))
    tx, ty = cam.pt(cx - side * 2.0, 4.1, cd)
    pen.rect((tx - 0.9 * ck, ty - 1.2 * ck, tx + 0.9 * ck, ty), st.lit((60, 62, 70)), radius=0.15 * ck)
    pen.rect((tx - 0.7 * ck, ty - 1.05 * ck, tx + 0.7 * ck, ty - 0.6 * ck), (170, 210, 180))
    del kk
