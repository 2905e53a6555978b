"""Trees, hedges, reeds, a boat, a pavilion, lanterns and birds: the green and the water of a set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microfilm.providers.house.drawing import Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import Glow

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


def draw_trees(st: Set, pen: Pen) -> None:
    cam, s = st.cam, st.setting
    rng = st.layout("trees")
    willow = "willow" in s.props or s.genre == "ancient-style"
    dark, mid, warm, accent, light = st.palette
    leaf = (96, 146, 90) if not willow else (120, 160, 96)
    if "petals" in s.props:
        leaf = (240, 178, 196)
    trees = []
    keep_clear = 8.0 if s.kind == "water" else 3.0  # never a trunk behind a head
    for i in range(-6, 7):
        x = i * 6.5 + float(rng.uniform(-2.0, 2.0))
        dist = cam.d + float(rng.uniform(10, 40))
        if abs(x) < keep_clear * (1 + (dist - cam.d) / 30):
            continue
        trees.append((dist, x))
    for dist, x in sorted(trees, reverse=True):  # far ones first
        k = cam.scale(dist)
        trunk = st.lit((96, 72, 56), dist)
        h = float(rng.uniform(10, 15))
        bx, by = cam.pt(x, 0.0, dist)
        tx, ty = cam.pt(x, h, dist)
        pen.line([(bx, by), (tx, ty)], trunk, 0.8 * k, caps=False)
        col = st.lit(mix(leaf, mid, 0.15), dist)
        if willow:
            pen.line([(tx, ty), (tx - 2.5 * k, ty - 2.0 * k)], trunk, 0.4 * k)
            pen.line([(tx, ty), (tx + 2.2 * k, ty - 1.6 * k)], trunk, 0.4 * k)
            pen.ellipse((tx - 4.5 * k, ty - 3.2 * k, tx + 4.5 * k, ty - 0.6 * k), col)
            for j in range(15):
                a = -4.2 + j * 0.6
                length = float(rng.uniform(5, 9))
                sway = float(rng.uniform(-0.4, 0.4))
                pen.line([(tx + a * k, ty - 1.6 * k), (tx + (a * 1.08 + sway * 0.5) * k,
                                                       ty + length * 0.5 * k),
                          (tx + (a * 1.12 + sway) * k, ty + length * k)], col, 0.16 * k, 210)
        else:
            for j in range(6):
                ox, oy = float(rng.uniform(-4, 4)), float(rng.uniform(-4, 2))
                r = float(rng.uniform(3, 5.2))
                pen.circle(tx + ox * k, ty + oy * k, r * k, col if j % 2 else scale_rgb(col, 0.9))


def draw_boat(st: Set, pen: Pen) -> None:
    """A small boat with a figure poling it, far out on the water, and its reflection."""
    cam = st.cam
    rng = st.layout("boat")
    dist = cam.d + float(rng.uniform(60, 110))
    x = float(rng.uniform(-0.6, 0.6)) * (st.W / 2) / cam.scale(dist)
    k = cam.scale(dist)
    cx, cy = cam.pt(x, 0.0, dist)
    hull = st.lit((52, 46, 48), dist * 0.3)
    pen.poly([(cx - 5 * k, cy - 0.8 * k), (cx + 5 * k, cy - 0.8 * k), (cx + 3.6 * k, cy + 0.3 * k),
              (cx - 3.6 * k, cy + 0.3 * k)], hull)
    pen.rect((cx - 2.2 * k, cy - 2.6 * k, cx + 0.6 * k, cy - 0.8 * k), hull, radius=0.9 * k)
    pen.circle(cx + 2.0 * k, cy - 4.4 * k, 0.5 * k, hull)
    pen.line([(cx + 2.0 * k, cy - 3.9 * k), (cx + 2.0 * k, cy - 0.9 * k)], hull, 0.7 * k)
    pen.line([(cx + 3.4 * k, cy - 6.5 * k), (cx + 0.6 * k, cy + 1.8 * k)], hull, 0.18 * k)
    pen.poly([(cx - 4.2 * k, cy + 0.5 * k), (cx + 4.2 * k, cy + 0.5 * k), (cx + 3.0 * k, cy + 1.6 * k),
              (cx - 3.0 * k, cy + 1.6 * k)], hull, 60)


def draw_reeds(st: Set, pen: Pen) -> None:
    """Dark reeds in the near corners: a foreground frame for a waterside view."""
    rng = st.layout("reeds")
    W, H = st.W, st.H
    col = mix(st.lit((40, 52, 40)), st.palette[0], 0.3)
    for side in (-1, 1):
        if rng.random() < 0.25:
            continue
        base_x = 0.0 if side < 0 else W
        for _ in range(int(rng.integers(7, 13))):
            x0 = base_x - side * float(rng.uniform(-0.02, 0.16)) * W
            h = float(rng.uniform(0.12, 0.3)) * H
            lean = side * float(rng.uniform(-0.02, 0.08)) * W
            pts = [(x0, H + 2), (x0 - lean * 0.4, H - h * 0.5), (x0 - lean, H - h)]
            pen.line(pts, col, max(1.5, W * 0.006))
            if rng.random() < 0.5:
                tx, ty = pts[-1]
                pen.ellipse((tx - W * 0.006, ty - H * 0.02, tx + W * 0.006, ty + H * 0.012), col)


def draw_treeline(st: Set, pen: Pen, dist: float) -> None:
    """A far line of rounded tree tops along the horizon: depth for parks and fields."""
    cam = st.cam
    rng = st.layout("treeline")
    k = cam.scale(dist)
    base = cam.sy(0.0, dist)
    col = st.lit(mix((86, 120, 84), st.palette[1], 0.15), dist)
    if "petals" in st.setting.props:
        col = st.lit(mix((226, 170, 186), st.palette[1], 0.1), dist)
    x = -140.0
    while x < 140.0:
        r = float(rng.uniform(4.0, 8.0))
        cx, cy = cam.pt(x, r * float(rng.uniform(0.9, 1.6)), dist)
        pen.circle(cx, cy, r * k, col)
        pen.rect((cx - r * k, cy, cx + r * k, base + 1), col)
        x += r * float(rng.uniform(1.1, 1.6))


def draw_hedges(st: Set, pen: Pen, dist: float) -> None:
    """A row of low bushes (with a few flowers) between the characters and the trees."""
    cam = st.cam
    rng = st.layout("hedges")
    k = cam.scale(dist)
    col = st.lit(mix((92, 136, 84), st.palette[1], 0.1), dist * 0.3)
    dot = st.lit(mix(st.palette[3], (250, 240, 240), 0.3))
    x = -60.0
    while x < 60.0:
        r = float(rng.uniform(1.6, 2.8))
        cx, cy = cam.pt(x, r * 0.8, dist)
        pen.circle(cx, cy, r * k, col if rng.random() < 0.5 else scale_rgb(col, 0.92))
        if rng.random() < 0.4:
            for _ in range(3):
                pen.circle(cx + float(rng.uniform(-r, r)) * 0.7 * k, cy + float(rng.uniform(-r,
                                                                                            0)) * 0.6 * k,
                           0.18 * k, dot)
        x += r * float(rng.uniform(0.9, 1.4))
    pen.rect((0, cam.sy(0.0, dist) - 0.3 * k, st.W, cam.sy(0.0, dist) + 0.2 * k), scale_rgb(col, 0.85))


def draw_pavilion(st: Set, pen: Pen) -> None:
    cam = st.cam
    rng = st.layout("pavilion")
    x = float(rng.choice([-1, 1])) * float(rng.uniform(10, 16))
    dist = cam.d + float(rng.uniform(14, 22))
    k = cam.scale(dist)
    wood = st.lit((120, 40, 36), dist)
    roof = st.lit((46, 50, 60), dist)
    for px in (x - 5, x + 5):
        pen.line([cam.pt(px, 0, dist), cam.pt(px, 11, dist)], wood, 0.7 * k, caps=False)
    l, t = cam.pt(x - 9, 11, dist)
    r, _ = cam.pt(x + 9, 11, dist)
    pen.poly([(l - 1 * k, t - 1.2 * k), (l + 2 * k, t), (r - 2 * k, t), (r + 1 * k, t - 1.2 * k),
              (r - 4 * k, t - 5 * k), (l + 4 * k, t - 5 * k)], roof)
    pen.rect((*cam.pt(x - 6, 3.2, dist), *cam.pt(x + 6, 2.6, dist)), wood)


def draw_lanterns(st: Set, pen: Pen) -> None:
    cam = st.cam
    rng = st.layout("lanterns")
    red = (212, 52, 40)
    for i in range(int(rng.integers(3, 6))):
        x = float(rng.choice([-1, 1])) * float(rng.uniform(3.0, 9.0))
        dist = cam.d + float(rng.uniform(3, 12))
        k = cam.scale(dist)
        cx, cy = cam.pt(x, float(rng.uniform(8.5, 11)), dist)
        pen.line([(cx, 0), (cx, cy - 1.2 * k)], (40, 30, 30), 0.1 * k, caps=False)
        pen.ellipse((cx - 1.1 * k, cy - 1.3 * k, cx + 1.1 * k, cy + 1.3 * k), red)
        pen.rect((cx - 0.5 * k, cy - 1.5 * k, cx + 0.5 * k, cy - 1.2 * k), (200, 160, 60))
        pen.rect((cx - 0.5 * k, cy + 1.2 * k, cx + 0.5 * k, cy + 1.5 * k), (200, 160, 60))
        if st.setting.dark:
            st.glows.append(Glow(cx, cy, 6 * k, (255, 120, 70), 0.6))


def draw_birds(st: Set, pen: Pen) -> None:
    rng = st.layout("birds")
    hz = st.cam.horizon
    col = st.lit((50, 50, 60))
    for _ in range(int(rng.integers(2, 6))):
        x = float(rng.uniform(0.1, 0.9)) * st.W
        y = float(rng.uniform(0.2, 0.6)) * hz
        s = st.H * float(rng.uniform(0.005, 0.009))
        pen.line([(x - s, y - s * 0.4), (x, y), (x + s, y - s * 0.4)], col, max(1.0, s * 0.22))
