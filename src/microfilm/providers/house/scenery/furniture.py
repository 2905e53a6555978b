"""Furniture and fittings of a room: window, shelf, frames, plant, sofa, bed, lamp, table, desk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microfilm.providers.house.drawing import RGB, Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow, span

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_window(st: Set, pen: Pen, x: float, dw: float, big: bool = False) -> None:
    cam, s, m = st.cam, st.setting, st.mood
    w = 7.0 if big else 5.2
    y0, y1 = 3.8, 9.6
    k = cam.scale(dw)
    L, T = cam.pt(x - w / 2, y1, dw)
    R, B = cam.pt(x + w / 2, y0, dw)
    frame = st.lit((236, 230, 218)) if s.genre != "ancient-style" else st.lit((110, 60, 40))
    pen.rect((L - 0.35 * k, T - 0.35 * k, R + 0.35 * k, B + 0.5 * k), frame)
    # the view: sky bands, a skyline or hills, lit windows at night
    top, midc, hz = m.sky
    n = 32
    for i in range(n):
        t = (i + 0.5) / n
        c = mix(top, midc, t * 1.6) if t < 0.6 else mix(midc, hz, (t - 0.6) / 0.4)
        pen.rect((L, T + (B - T) * i / n, R, T + (B - T) * (i + 1) / n + 1), c)
    rng = st.layout("window-view")
    sil = mix(m.sky[0], (30, 36, 50), 0.5) if s.dark else mix(m.sky[2], (120, 130, 140), 0.45)
    xx = L
    while xx < R:
        bw = float(rng.uniform(0.08, 0.2)) * (R - L)
        bh = float(rng.uniform(0.12, 0.45)) * (B - T)
        pen.rect((xx, B - bh, min(R, xx + bw), B), sil)
        if s.dark:
            for _ in range(int(rng.integers(1, 4))):
                wx_ = span(rng, xx, min(R, xx + bw) - 2)
                wy_ = span(rng, B - bh, B - 2)
                pen.rect((wx_, wy_, wx_ + 0.12 * k, wy_ + 0.16 * k), (255, 220, 150))
        xx += bw + float(rng.uniform(0, 0.05)) * (R - L)
    if s.time == "night" and not s.rain:
        pen.circle(L + (R - L) * 0.72, T + (B - T) * 0.25, 0.35 * k, (246, 244, 226))
    if s.rain:
        for _ in range(40):
            rx = span(rng, L, R)
            ry = span(rng, T, B)
            pen.line([(rx, ry), (rx + 0.1 * k, ry + 0.5 * k)], (220, 230, 240), max(1.0, 0.04 * k), 120)
    # mullions and sill
    pen.line([((L + R) / 2, T), ((L + R) / 2, B)], frame, 0.22 * k, caps=False)
    pen.line([(L, (T + B) / 2 - 0.3 * k), (R, (T + B) / 2 - 0.3 * k)], frame, 0.18 * k, caps=False)
    if s.genre == "ancient-style":
        for i in range(1, 6):
            xx_ = L + (R - L) * i / 6
            pen.line([(xx_, T), (xx_, B)], frame, 0.08 * k, caps=False)
        for i in range(1, 6):
            yy_ = T + (B - T) * i / 6
            pen.line([(L, yy_), (R, yy_)], frame, 0.08 * k, caps=False)
    pen.rect((L - 0.7 * k, B + 0.2 * k, R + 0.7 * k, B + 0.65 * k), scale_rgb(frame, 0.9))
    # curtains
    cur = st.lit(mix(st.palette[3], st.palette[2], 0.4), 0, 0.95)
    for side in (-1, 1):
        cx = L if side < 0 else R
        pen.poly([(cx - side * 0.2 * k, T - 0.8 * k), (cx + side * 1.3 * k, T - 0.8 * k),
                  (cx + side * 0.7 * k, B + 1.2 * k), (cx - side * 0.5 * k, B + 1.4 * k)], cur)
        pen.line([(cx + side * 0.45 * k, T - 0.6 * k), (cx + side * 0.3 * k, B + 1.2 * k)],
                 scale_rgb(cur, 0.85), 0.1 * k, caps=False)
    pen.line([(L - 1.5 * k, T - 0.85 * k), (R + 1.5 * k, T - 0.85 * k)], st.lit((90, 70, 60)), 0.12 * k)
    cx, cy = (L + R) / 2, (T + B) / 2
    if s.dark:
        st.glows.append(Glow(cx, cy, (R - L) * 0.9, (150, 170, 230), 0.18))
    else:
        st.glows.append(Glow(cx, cy, (R - L) * 1.2, (255, 250, 236), 0.35))
        fy = cam.sy(0.0, dw - 3.0)
        st.glows.append(Glow(cx, fy, (R - L) * 1.4, (255, 244, 220), 0.22, squash=0.3))


def draw_shelf(st: Set, pen: Pen, x: float, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    k = cam.scale(dw)
    wood = st.lit(mix((140, 96, 62), st.palette[2], 0.15))
    for level in (6.2, 8.4):
        l, t = cam.pt(x - 3.2, level, dw)
        r, _ = cam.pt(x + 3.2, level, dw)
        pen.rect((l, t, r, t + 0.25 * k), wood)
        bx = x - 3.0
        while bx < x + 2.6:
            bw = float(rng.uniform(0.3, 0.6))
            bh = float(rng.uniform(1.1, 1.8))
            col = st.lit(tuple(int(v) for v in rng.choice(
                [st.palette[1], st.palette[2], st.palette[3], (120, 90, 70), (200, 190, 170)])))
            pen.rect((*cam.pt(bx, level + bh, dw), *cam.pt(bx + bw, level, dw)), col)
            bx += bw + float(rng.uniform(0.02, 0.3))


def draw_frames(st: Set, pen: Pen, x: float, dw: float, rng: np.random.Generator) -> None:
    cam = st.cam
    k = cam.scale(dw)
    for i in range(2):
        fx = x + i * 2.4 * (1 if x > 0 else -1)
        fy = 8.2 + 0.8 * i
        l, t = cam.pt(fx - 0.9, fy + 1.2, dw)
        r, b = cam.pt(fx + 0.9, fy - 1.2, dw)
        pen.rect((l - 0.15 * k, t - 0.15 * k, r + 0.15 * k, b + 0.15 * k), st.lit((90, 66, 50)))
        pen.rect((l, t, r, b), st.lit(mix((220, 210, 190), st.palette[4], 0.3)))
        pen.circle((l + r) / 2, t + (b - t) * 0.4, 0.3 * k, st.lit((150, 120, 100)))
        pen.ellipse(((l + r) / 2 - 0.55 * k, t + (b - t) * 0.62, (l + r) / 2 + 0.55 * k, b + 0.4 * k),
                    st.lit(st.palette[1]))


def draw_plant(st: Set, pen: Pen, x: float, dist: float) -> None:
    cam = st.cam
    k = cam.scale(dist)
    bx, by = cam.pt(x, 0.0, dist)
    pen.poly([(bx - 1.0 * k, by - 2.2 * k), (bx + 1.0 * k, by - 2.2 * k), (bx + 0.7 * k, by),
              (bx - 0.7 * k, by)],
             st.lit((176, 100, 70)))
    leaf = st.lit((80, 130, 80))
    for a in (-1.6, -0.8, 0.0, 0.8, 1.6):
        pen.line([(bx, by - 2.2 * k), (bx + a * 1.3 * k, by - (4.6 - abs(a) * 0.6) * k)], leaf, 0.55 * k)


def draw_sofa(st: Set, pen: Pen, x: float, dist: float) -> None:
    cam = st.cam
    col = st.lit(mix(st.palette[1], (120, 110, 100), 0.4))
    pen.rect((*cam.pt(x - 6, 4.4, dist), *cam.pt(x + 6, 0.5, dist)), col, radius=0.6 * cam.scale(dist))
    pen.rect((*cam.pt(x - 5.4, 2.6, dist - 0.5), *cam.pt(x + 5.4, 1.0, dist - 0.5)), scale_rgb(col, 1.08),
             radius=0.4 * cam.scale(dist))


def draw_bed(st: Set, pen: Pen, x: float, dist: float) -> None:
    cam = st.cam
    k = cam.scale(dist)
    wood = st.lit((140, 100, 70))
    pen.rect((*cam.pt(x - 5, 5.0, dist + 1), *cam.pt(x + 5, 0.0, dist + 1)), wood, radius=0.3 * k)
    sheet = st.lit(mix((236, 232, 224), st.palette[4], 0.3))
    pen.rect((*cam.pt(x - 5.2, 2.8, dist), *cam.pt(x + 5.2, 1.0, dist)), sheet, radius=0.4 * k)
    pen.rect((*cam.pt(x - 4.8, 2.7, dist - 0.5), *cam.pt(x + 1.5, 1.4, dist - 0.5)),
             st.lit(mix(st.palette[3], st.palette[1], 0.5)), radius=0.4 * k)


def draw_lamp(st: Set, pen: Pen, rng: np.random.Generator, dw: float) -> None:
    """A pendant lamp over the middle of the room (or a table lamp in close framings)."""
    cam, s = st.cam, st.setting
    x = float(rng.uniform(-3.5, 3.5))
    dist = cam.d + float(rng.uniform(1.5, 3.0))
    k = cam.scale(dist)
    ancient = s.genre == "ancient-style"
    top = cam.sy(13.0, dist)
    cx, cy = cam.pt(x, 10.0, dist)
    on = s.dark or "lamp" in s.props
    if cy < -2 * k:
        return
    pen.line([(cx, min(top, cy)), (cx, cy - 0.8 * k)], st.lit((50, 44, 44)), 0.06 * k, caps=False)
    if ancient:
        pen.ellipse((cx - 1.0 * k, cy - 1.2 * k, cx + 1.0 * k, cy + 1.2 * k), (214, 60, 44))
    else:
        shade = mix(st.palette[2], (240, 220, 180), 0.4)
        pen.poly([(cx - 0.5 * k, cy - 0.9 * k), (cx + 0.5 * k, cy - 0.9 * k), (cx + 1.5 * k,
                                                                               cy + 0.3 * k),
                  (cx - 1.5 * k, cy + 0.3 * k)], shade if on else st.lit(shade))
    if on:
        pen.ellipse((cx - 0.6 * k, cy + 0.1 * k, cx + 0.6 * k, cy + 0.5 * k), (255, 244, 210))
        st.glows.append(Glow(cx, cy, 14 * k, st.mood.practical, 0.55 + 0.25 * st.mood.glow))
        fy = cam.sy(3.0, cam.d - 1.0)
        st.glows.append(Glow(cx, fy, 10 * k, st.mood.practical, 0.25, squash=0.35))


def draw_table(st: Set, pen: Pen, r: float, back: float) -> None:
    """A dinner table whose far edge is `back` hu from the camera, with the meal on it.

    A cloth in the palette's accent covers it, so it reads as a quiet colour field
    rather than a slab of dark wood.
    """
    cam, s = st.cam, st.setting
    front = back - 1.2
    if front < 0.8:
        return
    top_y = cam.sy(2.7, back)
    front_y = cam.sy(2.7, front)
    if top_y > st.H:
        return
    cloth = st.lit(mix(st.palette[3], (244, 238, 226), 0.55), 0, 1.05)
    hem = st.lit(mix(st.palette[3], st.palette[0], 0.25), 0, 1.0)
    L, R = cam.sx(-9.0, back), cam.sx(9.0, back)
    L2, R2 = cam.sx(-9.6, front), cam.sx(9.6, front)
    pen.poly([(L, top_y), (R, top_y), (R2, front_y), (L2, front_y)], cloth)
    kf = cam.scale(front)
    drop = front_y + 0.8 * kf
    pen.rect((L2, front_y, R2, drop), scale_rgb(cloth, 0.88))
    pen.rect((L2, drop - 0.14 * kf, R2, drop), hem)
    # below: the table's shadow on the floor, warm rather than black
    under = mix(st.lit((120, 86, 60)), st.palette[0], 0.45)
    pen.rect((L2, drop, R2, st.H + 10), under)
    # the meal: a plate of dumplings, a bowl, steam
    cy = top_y + (front_y - top_y) * 0.55
    kk = cam.scale((back + front) / 2)
    bx = cam.sx(-1.1 + r * 0.8, (back + front) / 2)
    pen.ellipse((bx - 0.85 * kk, cy - 0.24 * kk, bx + 0.85 * kk, cy + 0.24 * kk), st.lit((246,
                                                                                            244, 238)))
    for j in range(4):
        dx = (j - 1.5) * 0.34 * kk
        pen.ellipse((bx + dx - 0.2 * kk, cy - 0.2 * kk, bx + dx + 0.2 * kk, cy + 0.02 * kk),
                    st.lit((252, 244, 226)))
    ox = cam.sx(0.9 + r * 0.6, (back + front) / 2)
    pen.ellipse((ox - 0.5 * kk, cy - 0.4 * kk, ox + 0.5 * kk, cy + 0.18 * kk),
                st.lit(st.palette[1], 0, 0.9))
    pen.ellipse((ox - 0.44 * kk, cy - 0.4 * kk, ox + 0.44 * kk, cy - 0.24 * kk), st.lit((236, 226,
                                                                                           206)))
    if "steam" in s.props or "table" in s.props:
        draw_steam(st, pen, ox, cy - 0.4 * kk, kk * 0.8)


def draw_steam(st: Set, pen: Pen, x: float, y: float, k: float) -> None:
    col = (255, 255, 255)
    for i, off in enumerate((-0.35, 0.05, 0.4)):
        pts = [(x + off * k + np.sin(j * 1.1 + i * 2.0) * 0.18 * k, y - j * 0.45 * k) for j in range(7)]
        pen.line([(float(a), float(b)) for a, b in pts[:5]], col, 0.05 * k, 46)


def draw_desk(st: Set, pen: Pen, x: float, dist: float) -> None:
    cam = st.cam
    k = cam.scale(dist)
    wood = st.lit((176, 140, 98))
    pen.rect((*cam.pt(x - 2.2, 3.1, dist), *cam.pt(x + 2.2, 2.8, dist)), wood)
    for px in (x - 1.9, x + 1.9):
        pen.line([cam.pt(px, 2.8, dist), cam.pt(px, 0.0, dist)], st.lit((80, 80, 86)), 0.15 * k,
                 caps=False)


def draw_clock(st: Set, pen: Pen, x: float, dw: float, wall: RGB) -> None:
    """A wall clock on the back wall, its rim a shade of the wall."""
    cam = st.cam
    cx, cy = cam.pt(x, 9.6, dw)
    k = cam.scale(dw)
    pen.circle(cx, cy, 0.95 * k, scale_rgb(wall, 0.6))
    pen.circle(cx, cy, 0.8 * k, (246, 242, 232))
    pen.line([(cx, cy), (cx, cy - 0.55 * k), ], (40, 40, 40), 0.08 * k)
    pen.line([(cx, cy), (cx + 0.4 * k, cy + 0.1 * k)], (40, 40, 40), 0.08 * k)


def draw_door(st: Set, pen: Pen, x: float, dw: float) -> None:
    """A wooden door in the back wall with a brass knob."""
    cam = st.cam
    k = cam.scale(dw)
    pen.rect((*cam.pt(x - 2.4, 8.6, dw), *cam.pt(x + 2.4, 0.0, dw)),
             st.lit(mix((130, 90, 60), st.palette[3], 0.2)))
    px, py = cam.pt(x + 1.6, 4.0, dw)
    pen.circle(px, py, 0.2 * k, (210, 180, 90))
