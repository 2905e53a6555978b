"""Street furniture: shopfronts across the road, a street lamp, a bus stop, a bench, a railing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microfilm.providers.house.drawing import Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_street_row(st: Set, pen: Pen) -> None:
    """Shopfronts across the road: the street's identity, lit windows at night."""
    cam, s = st.cam, st.setting
    rng = st.layout("street-row")
    dist = cam.d + 34.0
    k = cam.scale(dist)
    base = cam.sy(0.0, dist)
    x = -60.0 + float(rng.uniform(-5, 0))
    dark, mid, warm, accent, light = st.palette
    while x < 60.0:
        w = float(rng.uniform(10, 18))
        h = float(rng.uniform(16, 30))
        facade = st.lit(mix(mix(light, mid, float(rng.uniform(0.1, 0.5))), (150, 140, 130), 0.35), dist)
        left, right = cam.sx(x, dist), cam.sx(x + w, dist)
        top = base - h * k
        pen.rect((left, top, right, base), facade)
        pen.rect((left, top, right, top + 0.8 * k), scale_rgb(facade, 0.8))
        # shop window and awning on the ground floor
        win = mix(st.mood.practical, (255, 236, 190), 0.3) if s.dark else st.lit((150, 180,
                                                                                      196), dist)
        pen.rect((left + 0.12 * w * k, base - 6.5 * k, right - 0.12 * w * k, base - 1.2 * k), win)
        if s.dark:
            st.glows.append(Glow((left + right) / 2, base - 4 * k, 9 * k, st.mood.practical, 0.45))
        awn = st.lit(accent if rng.random() < 0.5 else warm, dist, 0.9)
        pen.poly([(left + 0.05 * w * k, base - 7.6 * k), (right - 0.05 * w * k, base - 7.6 * k),
                  (right, base - 6.0 * k), (left, base - 6.0 * k)], awn)
        # upper windows
        rows = int((h - 9) // 5)
        for r in range(rows):
            wy = base - (10 + r * 5) * k
            for c in range(max(1, int(w // 5))):
                wx = left + (1.5 + c * 5) * k
                on = s.dark and rng.random() < 0.45
                col = mix(st.mood.practical, (255, 230, 170), 0.4) if on else scale_rgb(facade, 0.72)
                pen.rect((wx, wy - 2.6 * k, wx + 2.2 * k, wy), col)
        x += w + float(rng.uniform(0.0, 2.5))


def draw_street_lamp(st: Set, pen: Pen) -> None:
    cam, s = st.cam, st.setting
    rng = st.layout("lamp")
    side = 1 if rng.random() < 0.5 else -1
    x = side * float(rng.uniform(3.0, 4.5))
    dist = cam.d + float(rng.uniform(4, 7))
    k = cam.scale(dist)
    pole = st.lit((52, 54, 62))
    bx, by = cam.pt(x, 0.0, dist)
    tx, ty = cam.pt(x, 19.0, dist)
    pen.line([(bx, by), (tx, ty)], pole, 0.45 * k, caps=False)
    pen.rect((bx - 0.5 * k, by - 1.5 * k, bx + 0.5 * k, by), pole)
    hx = tx - side * 2.6 * k
    pen.line([(tx, ty), (tx - side * 1.0 * k, ty - 0.8 * k), (hx, ty - 0.6 * k)], pole, 0.3 * k)
    pen.poly([(hx - 1.0 * k, ty - 0.4 * k), (hx + 1.0 * k, ty - 0.4 * k), (hx + 0.6 * k, ty + 0.4 * k),
              (hx - 0.6 * k, ty + 0.4 * k)], pole)
    on = s.dark or s.rain
    bulb = (255, 236, 180) if on else (230, 230, 220)
    pen.ellipse((hx - 0.6 * k, ty + 0.2 * k, hx + 0.6 * k, ty + 0.7 * k), bulb)
    if on:
        st.glows.append(Glow(hx, ty + 0.5 * k, 9 * k, st.mood.practical, 0.75))
        st.glows.append(Glow(hx, by, 12 * k, st.mood.practical, 0.3, squash=0.25))
        # the cone of light falling from it
        pen.poly([(hx - 0.6 * k, ty + 0.6 * k), (hx + 0.6 * k, ty + 0.6 * k), (hx + 6 * k, by),
                  (hx - 6 * k, by)], st.mood.practical, 22)


def draw_bus_stop(st: Set, pen: Pen) -> None:
    cam, s = st.cam, st.setting
    rng = st.layout("busstop")
    side = -1 if rng.random() < 0.5 else 1
    cx = side * float(rng.uniform(2.5, 5.0))
    dist = cam.d + 4.0
    k = cam.scale(dist)
    frame = st.lit(mix((70, 74, 84), st.palette[0], 0.3))
    w, h = 16.0, 10.5
    x0, x1 = cx - w / 2, cx + w / 2
    # back glass panel, translucent
    pen.poly([cam.pt(x0, 0.6, dist + 1.2), cam.pt(x1, 0.6, dist + 1.2), cam.pt(x1, h - 0.6, dist + 1.2),
              cam.pt(x0, h - 0.6, dist + 1.2)], mix(st.mood.sky[1], (150, 170, 190), 0.5), 46)
    # advert panel on one end, lit at night
    ax = x0 + 0.6 if side > 0 else x1 - 5.6
    ad_col = mix(st.palette[4], (250, 236, 214), 0.5)
    lit_ad = ad_col if s.dark else st.lit(ad_col)
    pen.rect((*cam.pt(ax, 8.5, dist + 1.1), *cam.pt(ax + 5.0, 1.0, dist + 1.1)), lit_ad)
    # a poster on it: a sun over a hill, the universal travel advert
    pcx, pcy = cam.pt(ax + 2.5, 5.6, dist + 1.1)
    kk = cam.scale(dist + 1.1)
    pen.circle(pcx, pcy, 1.1 * kk, mix(st.palette[2], (240, 150, 90), 0.4))
    pen.poly([cam.pt(ax + 0.3, 2.0, dist + 1.1), cam.pt(ax + 2.4, 4.6, dist + 1.1),
              cam.pt(ax + 4.7, 2.4, dist + 1.1), cam.pt(ax + 4.7, 1.2, dist + 1.1),
              cam.pt(ax + 0.3, 1.2, dist + 1.1)], mix(st.palette[3], (60, 110, 90), 0.4))
    if s.dark:
        ax0, ay0 = cam.pt(ax + 2.5, 4.8, dist + 1.1)
        st.glows.append(Glow(ax0, ay0, 7 * k, (255, 246, 226), 0.5))
    # posts and roof
    for px in (x0, x1):
        pen.line([cam.pt(px, 0.0, dist), cam.pt(px, h, dist)], frame, 0.35 * k, caps=False)
    pen.poly([cam.pt(x0 - 0.8, h, dist - 0.6), cam.pt(x1 + 0.8, h, dist - 0.6),
              cam.pt(x1 + 0.8, h + 0.7, dist + 1.6),
              cam.pt(x0 - 0.8, h + 0.7, dist + 1.6)], frame)
    roof_edge = st.lit(st.palette[3], 0, 0.9)
    pen.rect((*cam.pt(x0 - 0.8, h + 0.8, dist - 0.6), *cam.pt(x1 + 0.8, h - 0.2, dist - 0.6)), roof_edge)
    # bench
    draw_bench(st, pen, cx + (2.0 if side < 0 else -2.0), dist + 0.6, width=7.0)
    # the sign pole with a round sign
    sx_ = x1 + 1.8 if side < 0 else x0 - 1.8
    pen.line([cam.pt(sx_, 0.0, dist - 0.5), cam.pt(sx_, 12.5, dist - 0.5)], frame, 0.22 * k, caps=False)
    scx, scy = cam.pt(sx_, 12.5, dist - 0.5)
    sign = st.lit(st.palette[3], 0, 1.0) if not s.dark else mix(st.palette[3], (255, 255, 255), 0.2)
    pen.circle(scx, scy, 1.5 * k, (240, 240, 236) if not s.dark else (250, 250, 246))
    pen.circle(scx, scy, 1.2 * k, sign)
    pen.rect((scx - 1.0 * k, scy - 0.25 * k, scx + 1.0 * k, scy + 0.25 * k), (250, 250, 246))
    pen.rect((*cam.pt(sx_ - 1.0, 10.0, dist - 0.5), *cam.pt(sx_ + 1.0, 7.0, dist - 0.5)), (236, 232, 220))


def draw_bench(st: Set, pen: Pen, x: float, dist: float, width: float = 7.0) -> None:
    cam = st.cam
    wood = st.lit(mix((150, 100, 64), st.palette[2], 0.2))
    leg = st.lit((60, 60, 66))
    for px in (x - width / 2 + 0.5, x + width / 2 - 0.5):
        pen.line([cam.pt(px, 0.0, dist), cam.pt(px, 1.9, dist)], leg, 0.25 * cam.scale(dist), caps=False)
    pen.rect((*cam.pt(x - width / 2, 2.1, dist), *cam.pt(x + width / 2, 1.7, dist)), wood)
    pen.rect((*cam.pt(x - width / 2, 3.9, dist + 0.4), *cam.pt(x + width / 2, 3.3, dist + 0.4)),
             scale_rgb(wood, 0.9))


def draw_railing(st: Set, pen: Pen) -> None:
    cam = st.cam
    dist = cam.d + 2.0
    col = st.lit((80, 84, 92))
    y_top = cam.sy(4.2, dist)
    y_base = cam.sy(0.0, dist)
    pen.rect((0, y_top - 0.2 * cam.scale(dist), st.W, y_top + 0.2 * cam.scale(dist)), col)
    for i in range(-20, 21):
        x = cam.sx(i * 2.2, dist)
        pen.line([(x, y_top), (x, y_base)], col, 0.12 * cam.scale(dist), caps=False)
