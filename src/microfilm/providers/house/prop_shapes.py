"""How each prop the house painter knows is drawn: flat shapes about `s` px across, centred
at (cx, cy), in the palette's accent where a colour is free.

A table (`SHAPES`) from the prop's name to its drawer, so a new prop is one small function
and one row; props.py reads which props a shot names and where they go.
"""

from __future__ import annotations

import math

from microfilm.providers.house.drawing import RGB, Pen, mix, scale_rgb

INK = (34, 30, 36)


def _phone(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.28 * s, cy - 0.5 * s, cx + 0.28 * s, cy + 0.5 * s), INK, radius=0.08 * s)
    pen.rect((cx - 0.23 * s, cy - 0.42 * s, cx + 0.23 * s, cy + 0.4 * s),
             mix(accent, (170, 210, 255), 0.6), radius=0.04 * s)


def _bowl(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.ellipse((cx - 0.55 * s, cy - 0.18 * s, cx + 0.55 * s, cy + 0.12 * s), (240, 236, 226))
    pen.poly([(cx - 0.55 * s, cy - 0.03 * s), (cx + 0.55 * s, cy - 0.03 * s),
              (cx + 0.3 * s, cy + 0.38 * s), (cx - 0.3 * s, cy + 0.38 * s)], (236, 232, 222))
    pen.ellipse((cx - 0.48 * s, cy - 0.14 * s, cx + 0.48 * s, cy + 0.06 * s), (214, 160, 92))
    pen.line([(cx - 0.45 * s, cy + 0.12 * s), (cx + 0.45 * s, cy + 0.12 * s)],
             mix(accent, (40, 80, 160), 0.6), 0.05 * s)


def _suitcase(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    body = mix(accent, (120, 60, 50), 0.5)
    pen.rect((cx - 0.4 * s, cy - 0.55 * s, cx + 0.4 * s, cy + 0.55 * s), body, radius=0.08 * s)
    pen.rect((cx - 0.14 * s, cy - 0.72 * s, cx + 0.14 * s, cy - 0.55 * s), scale_rgb(body, 0.6))
    for f in (-0.2, 0.2):
        pen.line([(cx + f * s, cy - 0.5 * s), (cx + f * s, cy + 0.5 * s)], scale_rgb(body, 0.7),
                 0.05 * s)


def _letter(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.5 * s, cy - 0.32 * s, cx + 0.5 * s, cy + 0.32 * s), (246, 240, 226))
    pen.line([(cx - 0.5 * s, cy - 0.32 * s), (cx, cy + 0.05 * s), (cx + 0.5 * s, cy - 0.32 * s)],
             (170, 150, 130), 0.04 * s)
    pen.circle(cx, cy + 0.05 * s, 0.07 * s, (176, 40, 36))


def _photo(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.4 * s, cy - 0.5 * s, cx + 0.4 * s, cy + 0.5 * s), (120, 84, 54))
    pen.rect((cx - 0.32 * s, cy - 0.42 * s, cx + 0.32 * s, cy + 0.42 * s), (214, 206, 186))
    pen.circle(cx, cy - 0.1 * s, 0.12 * s, (150, 120, 100))
    pen.ellipse((cx - 0.22 * s, cy + 0.05 * s, cx + 0.22 * s, cy + 0.42 * s), (150, 120, 100))


def _cup(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.25 * s, cy - 0.3 * s, cx + 0.25 * s, cy + 0.3 * s), (236, 232, 224),
             radius=0.05 * s)
    pen.arc((cx + 0.15 * s, cy - 0.15 * s, cx + 0.45 * s, cy + 0.15 * s), -90, 90,
            (236, 232, 224), 0.06 * s)


def _book(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.45 * s, cy - 0.32 * s, cx + 0.45 * s, cy + 0.32 * s), mix(accent, INK, 0.3))
    pen.rect((cx - 0.4 * s, cy - 0.26 * s, cx + 0.4 * s, cy + 0.26 * s), (244, 238, 224))
    pen.line([(cx, cy - 0.3 * s), (cx, cy + 0.3 * s)], scale_rgb(accent, 0.6), 0.04 * s)


def _gift(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.rect((cx - 0.4 * s, cy - 0.35 * s, cx + 0.4 * s, cy + 0.4 * s), mix(accent, (200, 40, 50), 0.5))
    pen.rect((cx - 0.07 * s, cy - 0.35 * s, cx + 0.07 * s, cy + 0.4 * s), (240, 200, 90))
    pen.circle(cx - 0.12 * s, cy - 0.42 * s, 0.1 * s, (240, 200, 90))
    pen.circle(cx + 0.12 * s, cy - 0.42 * s, 0.1 * s, (240, 200, 90))


def _flowers(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    pen.line([(cx, cy + 0.5 * s), (cx, cy - 0.1 * s)], (70, 120, 60), 0.06 * s)
    for i, (dx, dy) in enumerate(((-0.2, -0.25), (0.2, -0.25), (0, -0.4), (-0.1, -0.05), (0.12, -0.05))):
        pen.circle(cx + dx * s, cy + dy * s, 0.13 * s, mix(accent, (230, 90, 120), 0.3 + 0.1 * i))


def _scarf(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A knitted scarf folded over itself, fringed ends hanging."""
    wool = mix(accent, (200, 50, 60), 0.4)
    pen.rect((cx - 0.5 * s, cy - 0.18 * s, cx + 0.5 * s, cy + 0.12 * s), wool, radius=0.08 * s)
    pen.rect((cx + 0.12 * s, cy - 0.1 * s, cx + 0.34 * s, cy + 0.55 * s), scale_rgb(wool, 0.88),
             radius=0.05 * s)
    for i in range(4):
        x = cx + (0.15 + 0.055 * i) * s
        pen.line([(x, cy + 0.55 * s), (x, cy + 0.66 * s)], scale_rgb(wool, 0.7), 0.025 * s)
    for f in (-0.3, -0.1, 0.1):
        pen.line([(cx + f * s, cy - 0.16 * s), (cx + f * s, cy + 0.1 * s)], scale_rgb(wool, 0.8), 0.03 * s)


def _umbrella(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """An open umbrella: a canopy of scallops over a hooked handle."""
    cloth = mix(accent, (40, 70, 140), 0.35)
    pen.line([(cx, cy - 0.35 * s), (cx, cy + 0.5 * s)], INK, 0.05 * s)
    pen.arc((cx, cy + 0.4 * s, cx + 0.2 * s, cy + 0.6 * s), 0, 180, INK, 0.05 * s)
    pen.poly([(cx - 0.7 * s, cy - 0.2 * s)] + [
        (cx + 0.7 * s * math.cos(math.radians(a)), cy - 0.2 * s - 0.42 * s * math.sin(math.radians(a)))
        for a in range(0, 181, 15)], cloth)
    for i in range(4):  # the scallops of the rim between the ribs
        x0 = cx - 0.7 * s + i * 0.35 * s
        pen.ellipse((x0, cy - 0.3 * s, x0 + 0.35 * s, cy - 0.1 * s), scale_rgb(cloth, 0.85))
    pen.line([(cx, cy - 0.62 * s), (cx, cy - 0.75 * s)], INK, 0.04 * s)


def _clock(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """An alarm clock: a round face on two feet, bells on top."""
    rim = mix(accent, (180, 60, 50), 0.4)
    for f in (-1, 1):
        pen.circle(cx + f * 0.28 * s, cy - 0.42 * s, 0.13 * s, rim)
        pen.line([(cx + f * 0.25 * s, cy + 0.3 * s), (cx + f * 0.35 * s, cy + 0.48 * s)], INK, 0.05 * s)
    pen.circle(cx, cy, 0.42 * s, rim)
    pen.circle(cx, cy, 0.34 * s, (246, 242, 232))
    pen.line([(cx, cy), (cx, cy - 0.24 * s)], INK, 0.04 * s)
    pen.line([(cx, cy), (cx + 0.17 * s, cy + 0.06 * s)], INK, 0.04 * s)


def _bag(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A shoulder bag: a body with a flap and a strap loop."""
    leather = mix(accent, (120, 80, 50), 0.55)
    pen.arc((cx - 0.3 * s, cy - 0.65 * s, cx + 0.3 * s, cy - 0.05 * s), 180, 360, scale_rgb(leather, 0.7),
            0.06 * s)
    pen.rect((cx - 0.45 * s, cy - 0.3 * s, cx + 0.45 * s, cy + 0.4 * s), leather, radius=0.1 * s)
    pen.rect((cx - 0.45 * s, cy - 0.3 * s, cx + 0.45 * s, cy + 0.02 * s), scale_rgb(leather, 0.85),
             radius=0.1 * s)
    pen.rect((cx - 0.06 * s, cy - 0.04 * s, cx + 0.06 * s, cy + 0.08 * s), (210, 180, 90))


def _laptop(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """An open laptop seen from the front: a lit screen over a keyboard deck."""
    pen.rect((cx - 0.5 * s, cy - 0.45 * s, cx + 0.5 * s, cy + 0.18 * s), (60, 62, 70), radius=0.04 * s)
    pen.rect((cx - 0.44 * s, cy - 0.39 * s, cx + 0.44 * s, cy + 0.12 * s), mix(accent, (170, 210, 240), 0.7))
    pen.poly([(cx - 0.52 * s, cy + 0.18 * s), (cx + 0.52 * s, cy + 0.18 * s), (cx + 0.62 * s, cy + 0.32 * s),
              (cx - 0.62 * s, cy + 0.32 * s)], (150, 152, 160))
    for i in range(3):
        y = cy - (0.28 - 0.1 * i) * s
        pen.line([(cx - 0.34 * s, y), (cx + (0.1 - 0.12 * i) * s, y)], (255, 255, 255), 0.025 * s, 160)


def _dumplings(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A plate of dumplings, pleats up, a wisp of steam."""
    pen.ellipse((cx - 0.6 * s, cy - 0.12 * s, cx + 0.6 * s, cy + 0.26 * s), (246, 244, 238))
    pen.ellipse((cx - 0.5 * s, cy - 0.06 * s, cx + 0.5 * s, cy + 0.2 * s), mix(accent, (240, 236, 226), 0.8))
    for dx, dy in ((-0.28, 0.02), (0.0, -0.02), (0.28, 0.02), (-0.14, 0.1), (0.14, 0.1)):
        x, y = cx + dx * s, cy + dy * s
        pen.ellipse((x - 0.15 * s, y - 0.1 * s, x + 0.15 * s, y + 0.06 * s), (250, 242, 222))
        pen.line([(x - 0.08 * s, y - 0.06 * s), (x + 0.08 * s, y - 0.06 * s)], (222, 206, 176), 0.02 * s)
    pen.line([(cx, cy - 0.15 * s), (cx + 0.05 * s, cy - 0.35 * s), (cx - 0.03 * s, cy - 0.55 * s)],
             (255, 255, 255), 0.04 * s, 120)


def _bicycle(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A bicycle side on: two wheels, a frame in the accent, saddle and bars."""
    frame = mix(accent, (40, 110, 150), 0.4)
    r = 0.3 * s
    for f in (-1, 1):
        pen.arc((cx + f * 0.5 * s - r, cy + 0.2 * s - r, cx + f * 0.5 * s + r, cy + 0.2 * s + r), 0, 360,
                INK, 0.05 * s)
    rear, front = (cx - 0.5 * s, cy + 0.2 * s), (cx + 0.5 * s, cy + 0.2 * s)
    crank, seat, head = (cx - 0.05 * s, cy + 0.2 * s), (cx - 0.2 * s, cy - 0.25 * s), (cx + 0.35 * s, cy - 0.25 * s)
    pen.line([rear, crank, seat, rear], frame, 0.05 * s)
    pen.line([seat, head, crank], frame, 0.05 * s)
    pen.line([head, front], frame, 0.05 * s)
    pen.line([(seat[0] - 0.1 * s, seat[1] - 0.05 * s), (seat[0] + 0.08 * s, seat[1] - 0.05 * s)], INK, 0.06 * s)
    pen.line([head, (head[0] + 0.05 * s, head[1] - 0.12 * s), (head[0] - 0.08 * s, head[1] - 0.14 * s)],
             INK, 0.04 * s)


def _key(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    brass = (214, 180, 90)
    pen.arc((cx - 0.4 * s, cy - 0.15 * s, cx - 0.1 * s, cy + 0.15 * s), 0, 360, brass, 0.07 * s)
    pen.line([(cx - 0.1 * s, cy), (cx + 0.45 * s, cy)], brass, 0.07 * s)
    for x in (0.28, 0.4):
        pen.line([(cx + x * s, cy), (cx + x * s, cy + 0.12 * s)], brass, 0.06 * s)


def _ticket(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A paper ticket with a torn stub and a printed band."""
    paper = (244, 236, 214)
    pen.rect((cx - 0.5 * s, cy - 0.22 * s, cx + 0.5 * s, cy + 0.22 * s), paper, radius=0.03 * s)
    pen.rect((cx - 0.5 * s, cy - 0.22 * s, cx + 0.5 * s, cy - 0.1 * s), mix(accent, (60, 120, 180), 0.5))
    for i in range(5):
        pen.circle(cx + 0.25 * s, cy - 0.16 * s + i * 0.09 * s, 0.018 * s, (190, 180, 160))
    pen.line([(cx - 0.4 * s, cy + 0.02 * s), (cx + 0.12 * s, cy + 0.02 * s)], (120, 110, 100), 0.03 * s)
    pen.line([(cx - 0.4 * s, cy + 0.1 * s), (cx + 0.02 * s, cy + 0.1 * s)], (120, 110, 100), 0.03 * s)


def _guitar(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """An acoustic guitar upright: two rounded bodies, a sound hole, a long neck."""
    wood = (196, 136, 74)
    pen.line([(cx, cy - 0.75 * s), (cx, cy)], (90, 60, 40), 0.08 * s)
    pen.rect((cx - 0.06 * s, cy - 0.88 * s, cx + 0.06 * s, cy - 0.72 * s), (70, 46, 32))
    pen.ellipse((cx - 0.28 * s, cy - 0.2 * s, cx + 0.28 * s, cy + 0.2 * s), wood)
    pen.ellipse((cx - 0.36 * s, cy + 0.05 * s, cx + 0.36 * s, cy + 0.62 * s), wood)
    pen.circle(cx, cy + 0.12 * s, 0.09 * s, (60, 40, 30))
    pen.line([(cx - 0.1 * s, cy + 0.42 * s), (cx + 0.1 * s, cy + 0.42 * s)], (70, 46, 32), 0.04 * s)


def _lantern(pen: Pen, cx: float, cy: float, s: float, accent: RGB) -> None:
    """A red paper lantern with gold caps and a tassel."""
    gold = (220, 180, 80)
    pen.line([(cx, cy - 0.6 * s), (cx, cy - 0.4 * s)], INK, 0.03 * s)
    pen.rect((cx - 0.18 * s, cy - 0.44 * s, cx + 0.18 * s, cy - 0.36 * s), gold)
    pen.ellipse((cx - 0.36 * s, cy - 0.38 * s, cx + 0.36 * s, cy + 0.3 * s), (214, 52, 40))
    for f in (-0.18, 0.0, 0.18):
        pen.line([(cx + f * s, cy - 0.36 * s), (cx + f * s, cy + 0.28 * s)], (180, 40, 32), 0.02 * s)
    pen.rect((cx - 0.18 * s, cy + 0.26 * s, cx + 0.18 * s, cy + 0.34 * s), gold)
    pen.line([(cx, cy + 0.34 * s), (cx, cy + 0.55 * s)], gold, 0.05 * s)


SHAPES = {
    "phone": _phone, "bowl": _bowl, "suitcase": _suitcase, "letter": _letter, "photo": _photo,
    "cup": _cup, "book": _book, "gift": _gift, "flowers": _flowers, "scarf": _scarf,
    "umbrella": _umbrella, "clock": _clock, "bag": _bag, "laptop": _laptop,
    "dumplings": _dumplings, "bicycle": _bicycle, "key": _key, "ticket": _ticket,
    "guitar": _guitar, "lantern": _lantern,
}


def draw_shape(pen: Pen, name: str, cx: float, cy: float, size: float, accent: RGB) -> None:
    """One prop centred at (cx, cy), about `size` px across; an unknown name draws nothing."""
    shape = SHAPES.get(name)
    if shape is not None:
        shape(pen, cx, cy, size, accent)
