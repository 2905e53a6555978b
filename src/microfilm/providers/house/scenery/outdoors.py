"""Outdoor sets: the sky, far mountains and skylines, the ground, then the place's own things.

What an exterior shows is a table (`LAYERS`): each row says when it applies (the kind of
place, the props the words name, the genre, the hour) and which drawer draws it, back to front.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

import numpy as np

from microfilm.providers.house.drawing import Pen, mix, scale_rgb, smooth_noise
from microfilm.providers.house.scenery.kit import Glow, bands, span
from microfilm.providers.house.scenery.sport import draw_stadium
from microfilm.providers.house.scenery.street import (
    draw_bench, draw_bus_stop, draw_railing, draw_street_lamp, draw_street_row,
)
from microfilm.providers.house.scenery.nature import (
    draw_birds, draw_boat, draw_hedges, draw_lanterns, draw_pavilion, draw_reeds, draw_treeline,
    draw_trees,
)

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set
    from microfilm.providers.house.scenery.setting import Setting


SCENIC = ("ancient-style", "aesthetic-scenery")


def _kind(*kinds: str) -> Callable[[Setting], bool]:
    return lambda s: s.kind in kinds


# when it applies -> what it draws, back to front; each drawer takes (set, pen)
LAYERS: tuple[tuple[Callable[[Setting], bool], Callable[[Set, Pen], None]], ...] = (
    (lambda s: True, lambda st, pen: draw_sky_objects(st, pen)),
    (lambda s: s.kind in ("mountain", "water", "country") or s.genre in SCENIC,
     lambda st, pen: draw_mountains(st, pen, far=True)),
    (lambda s: s.kind in ("street", "busstop", "rooftop") or "city" in s.props,
     lambda st, pen: draw_skyline(st, pen, 420.0, dense=True)),
    (_kind("mountain"), lambda st, pen: draw_mountains(st, pen, far=False)),
    (_kind("country"), lambda st, pen: draw_houses(st, pen, st.cam.d + 70.0)),
    (lambda s: True, lambda st, pen: draw_ground(st, pen)),
    (_kind("street", "busstop"), lambda st, pen: draw_street_row(st, pen)),
    (lambda s: s.kind in ("park", "country") or "tree" in s.props,
     lambda st, pen: (draw_treeline(st, pen, 160.0), draw_trees(st, pen))),
    (_kind("park", "country"), lambda st, pen: draw_hedges(st, pen, st.cam.d + 13.0)),
    (lambda s: "pavilion" in s.props or (s.genre == "ancient-style" and s.kind in ("park", "water", "mountain")),
     lambda st, pen: draw_pavilion(st, pen)),
    (lambda s: s.kind in ("street", "busstop", "park") or ("lamp" in s.props and s.genre != "ancient-style"),
     lambda st, pen: draw_street_lamp(st, pen)),
    (_kind("busstop"), lambda st, pen: draw_bus_stop(st, pen)),
    (_kind("stadium"), lambda st, pen: draw_stadium(st, pen)),
    (lambda s: "bench" in s.props and s.kind != "busstop",
     lambda st, pen: draw_bench(st, pen, st.layout("bench").uniform(-9, 9), st.cam.d + 3.0)),
    (lambda s: "lantern" in s.props or (s.genre == "ancient-style" and s.dark),
     lambda st, pen: draw_lanterns(st, pen)),
    (_kind("rooftop"), lambda st, pen: draw_railing(st, pen)),
    (lambda s: "birds" in s.props or (s.kind in ("water", "mountain") and not s.dark),
     lambda st, pen: draw_birds(st, pen)),
    (lambda s: s.kind == "water" and ("boat" in s.props or s.genre in SCENIC),
     lambda st, pen: draw_boat(st, pen)),
)


def draw_outdoors(st: Set, pen: Pen) -> None:
    """Every layer whose condition the setting meets, in order; reeds stand in front of the
    characters at the water's edge in a wide shot."""
    for applies, draw in LAYERS:
        if applies(st.setting):
            draw(st, pen)
    if st.setting.kind == "water" and st.cam.d > 15:
        st.occluders.append(partial(draw_reeds, st))


def draw_sky_objects(st: Set, pen: Pen) -> None:
    s, m, cam = st.setting, st.mood, st.cam
    rng = st.layout("sky")
    W, H = st.W, st.H
    hz = cam.horizon
    if s.time == "night" or "stars" in s.props and s.dark:
        n = int(W * H / 9000)
        xs = rng.uniform(0, W, n)
        ys = rng.uniform(0, max(1.0, hz * 0.85), n) ** 1.0
        rs = rng.uniform(0.6, 1.8, n) * (H / 1920)
        al = rng.integers(60, 220, n)
        for x, y, r, a in zip(xs, ys, rs, al):
            pen.circle(float(x), float(y), float(r), (255, 250, 235), int(a))
    if s.rain:
        return  # overcast: no disc
    if m.sun is None:
        return
    side = 1 if rng.random() < 0.5 else -1
    if s.time == "day":
        cx, cy, r = W * (0.5 + side * 0.3), min(hz * 0.25, H * 0.14), H * 0.035
    elif s.time in ("dusk", "dawn"):
        cx, cy, r = W * (0.5 + side * 0.22), hz - H * 0.045, H * 0.05
    else:
        cx, cy, r = W * (0.5 + side * 0.25), min(hz * 0.3, H * 0.16), H * 0.03
    # parallax: the sky barely moves with the camera
    cx -= cam.x * cam.scale(5000.0)
    if cy < -r or cy > hz + r:
        return
    pen.circle(cx, cy, r, m.sun)
    if m.is_moon:
        pen.circle(cx + r * 0.35, cy - r * 0.2, r * 0.85, scale_rgb(m.sky[0], 1.05), 230)
        st.glows.append(Glow(cx, cy, r * 6, (200, 210, 255), 0.22))
    else:
        st.glows.append(Glow(cx, cy, r * 9, m.sun, 0.5 if s.time != "day" else 0.35))


def draw_mountains(st: Set, pen: Pen, far: bool) -> None:
    cam, m = st.cam, st.mood
    W = st.W
    layers = ((2000.0, 160.0, 0.75), (1300.0, 110.0, 0.55)) if far else ((500.0, 70.0, 0.35),)
    for li, (dist, height_hu, haze) in enumerate(layers):
        rng = st.layout("mountains", far, li)
        n = 64
        ridge = smooth_noise(rng, n, ((4, 1.0), (9, 0.45), (21, 0.18)))
        x0, x1 = -W * 0.3, W * 1.3
        xs = np.linspace(x0, x1, n)
        shift = -cam.x * cam.scale(dist)
        base_y = cam.sy(0.0, dist)
        hgt = (0.55 + 0.45 * ridge) * height_hu * cam.scale(dist)
        pts = [(float(x + shift), float(base_y - h)) for x, h in zip(xs, hgt)]
        pts += [(x1 + shift, base_y + 4), (x0 + shift, base_y + 4)]
        ink = ((46, 60, 78) if st.setting.genre == "ancient-style"
               else mix(st.palette[1], (60, 80, 90), 0.5))
        col = mix(st.lit(ink), m.sky[2], haze)
        pen.poly(pts, col)


def draw_skyline(st: Set, pen: Pen, dist: float, dense: bool) -> None:
    cam, m, s = st.cam, st.mood, st.setting
    rng = st.layout("skyline")
    k = cam.scale(dist)
    shift = -cam.x * k
    x = -st.W * 0.3
    base = cam.sy(0.0, dist)
    body = mix(st.lit(mix(st.palette[0], (70, 80, 100), 0.5)), m.sky[2], 0.45 if not s.dark else 0.2)
    lit_win = mix(m.practical, (255, 230, 170), 0.4)
    while x < st.W * 1.3:
        w = float(rng.uniform(14, 34)) * k
        h = float(rng.uniform(20, 120 if dense else 50)) * k
        pen.rect((x + shift, base - h, x + shift + w + 1, base + 2), body)
        if s.dark:
            # windows: a sparse grid of lit cells
            cols = max(1, int(w / (3.2 * k)))
            rows = max(1, int(h / (4.5 * k)))
            mask = rng.random((rows, cols)) < (0.35 if s.time == "night" else 0.18)
            cw, ch = w / cols, h / rows
            for r_, c_ in zip(*np.nonzero(mask)):
                wx = x + shift + c_ * cw + cw * 0.3
                wy = base - h + r_ * ch + ch * 0.3
                pen.rect((wx, wy, wx + max(1.0, cw * 0.4), wy + max(1.0, ch * 0.4)), lit_win)
        x += w + float(rng.uniform(0, 6)) * k


def draw_houses(st: Set, pen: Pen, dist: float) -> None:
    cam = st.cam
    rng = st.layout("houses")
    k = cam.scale(dist)
    base = cam.sy(0.0, dist)
    ancient = st.setting.genre == "ancient-style"
    for i in range(int(rng.integers(3, 6))):
        cx = float(rng.uniform(-60, 60))
        w = float(rng.uniform(16, 26))
        h = float(rng.uniform(10, 14))
        left = st.W / 2 + (cx - w / 2 - cam.x) * k
        right = left + w * k
        wall = st.lit(mix((236, 226, 206), st.palette[4], 0.3), dist)
        roof = st.lit((70, 66, 70) if ancient or rng.random() < 0.6 else (150, 70, 60), dist)
        pen.rect((left, base - h * k, right, base), wall)
        eave = 2.5 * k
        pen.poly([(left - eave, base - h * k), (right + eave, base - h * k),
                  (right - w * k * 0.2, base - (h + 7) * k), (left + w * k * 0.2,
                                                              base - (h + 7) * k)], roof)
        door_c = st.lit(st.palette[3], dist, 0.7)
        pen.rect((left + w * k * 0.42, base - 7 * k, left + w * k * 0.58, base), door_c)
        if st.setting.dark:
            win = mix(st.mood.practical, (255, 220, 150), 0.3)
            pen.rect((left + w * k * 0.12, base - 9 * k, left + w * k * 0.3, base - 5 * k), win)
            st.glows.append(Glow(left + w * k * 0.21, base - 7 * k, 10 * k, st.mood.practical, 0.35))


def draw_ground(st: Set, pen: Pen) -> None:
    s, cam = st.setting, st.cam
    W, H = st.W, st.H
    hz = cam.horizon
    dark, mid, warm, accent, light = st.palette
    if s.kind == "water":
        water_far = mix(st.mood.sky[2], (60, 110, 150), 0.35)
        water_near = mix(st.lit((40, 80, 110)), st.mood.sky[1], 0.25)
        bands(st, pen, hz, H, water_far, water_near, 24)
        # the shore the characters stand on
        shore_y = cam.sy(0.0, cam.d + 6.0)
        sand = st.lit(mix((214, 196, 160), light, 0.2))
        pen.poly([(0, shore_y + (H - shore_y) * 0.1), (W, shore_y - (H - shore_y) * 0.05), (W, H),
                  (0, H)], sand)
        # light on the water: short bright strokes in the sun's column
        rng = st.layout("ripples")
        col = mix(st.mood.sun or (255, 255, 255), (255, 255, 255), 0.3)
        for _ in range(60):
            y = span(rng, hz + 2, shore_y)
            x = float(rng.normal(W * 0.5, W * 0.18))
            ln = float(rng.uniform(0.01, 0.05)) * W * (y - hz) / max(1.0, shore_y - hz)
            pen.line([(x - ln, y), (x + ln, y)], col, max(1.0, H / 1400),
                     int(rng.integers(60, 160)), caps=False)
        return
    if s.kind in ("street", "busstop"):
        ground_far = st.lit(mix((120, 118, 126), mid, 0.15))
        ground_near = st.lit(mix((84, 84, 94), dark, 0.2))
        if s.rain:
            ground_near = scale_rgb(ground_near, 0.8)
    elif s.kind == "rooftop":
        ground_far = st.lit((150, 146, 140))
        ground_near = st.lit((118, 112, 108))
    elif s.kind == "mountain":
        ground_far = st.lit(mix((120, 140, 100), mid, 0.2))
        ground_near = st.lit(mix((88, 110, 74), dark, 0.15))
    else:
        grass = (126, 160, 96) if s.time != "night" else (70, 96, 72)
        ground_far = st.lit(mix(grass, light, 0.2))
        ground_near = st.lit(mix(grass, (70, 96, 60), 0.5))
    ground_far = mix(ground_far, st.mood.sky[2], 0.3)
    bands(st, pen, hz, H, ground_far, ground_near, 24)
    if s.kind in ("street", "busstop"):
        # the kerb and pavement in front of the road
        walk_d = cam.d + 2.5
        kerb_y = cam.sy(0.0, walk_d + 4.0)
        road_top = cam.sy(0.0, walk_d + 18.0)
        road = st.lit(mix((64, 64, 72), dark, 0.25))
        pen.rect((0, road_top, W, kerb_y), road)
        pen.rect((0, kerb_y, W, kerb_y + max(2.0, cam.scale(walk_d + 4.0) * 0.25)), st.lit((180,
                                                                                              176, 168)))
        pave = st.lit(mix((168, 160, 150), warm, 0.1))
        pen.rect((0, kerb_y + max(2.0, cam.scale(walk_d + 4.0) * 0.25), W, H), pave)
        # lane marks
        lane_y = cam.sy(0.0, walk_d + 11.0)
        k = cam.scale(walk_d + 11.0)
        for i in range(-12, 13):
            x = st.W / 2 + (i * 9.0 - cam.x) * k
            pen.poly([(x, lane_y - 0.12 * k), (x + 4.0 * k, lane_y - 0.12 * k),
                      (x + 4.0 * k, lane_y + 0.12 * k), (x, lane_y + 0.12 * k)], st.lit((220, 214,
                                                                                           190)), 200)
        # paving joints receding
        joint = scale_rgb(pave, 0.9)
        for dd in (1.0, 3.0, 6.0, 10.0):
            y = cam.sy(0.0, cam.d + dd - 2.0)
            if kerb_y < y < H:
                pen.line([(0, y), (W, y)], joint, max(1.0, H / 900), caps=False)
        if s.rain:
            # wet: a faint reflection band
            pen.rect((0, kerb_y, W, H), st.mood.sky[1], 26)
