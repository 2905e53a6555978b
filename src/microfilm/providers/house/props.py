"""Props the house painter can draw: the phone, the bowl, the suitcase, the letter...

Why: a storyboard frame must show what the shot says, and a shot about a phone call or two
bowls of soup should show the phone and the bowls. Props are read from the shot's words
(the "Props:" / "道具：" clause the house director writes, else the whole prompt, English and
Chinese) and drawn as simple flat shapes: held at a character's hand height beside them,
or large in the middle of the frame on a surface when the shot is an insert with nobody in it.
"""

from __future__ import annotations

import re

from microfilm.providers.house.drawing import RGB, Pen, mix, scale_rgb

HELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("phone", ("phone", "smartphone", "cellphone", "手机", "电话")),
    ("bowl", ("bowl", "bowls", "noodle soup", "碗", "面条")),
    ("suitcase", ("suitcase", "luggage", "行李箱", "箱子")),
    ("letter", ("letter", "envelope", "信", "信封")),
    ("photo", ("framed photo", "photo", "photograph", "照片", "相框")),
    ("cup", ("cup", "mug", "teacup", "杯")),
    ("book", ("book", "notebook", "diary", "书", "本子", "日记")),
    ("gift", ("gift", "gift box", "礼物", "盒子")),
    ("flowers", ("flowers", "bouquet", "鲜花", "花束")),
)
DRAWN = tuple(name for name, _ in HELD_WORDS)
_PROPS_CLAUSE = re.compile(r"(?:props:|道具[:：])\s*([^.。]*)", re.IGNORECASE)


def read_props(prompt: str, worn: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The drawable props a prompt names, in the order of HELD_WORDS; `worn` are the
    characters' look and wardrobe words, which name what they wear, not props in the shot."""
    m = _PROPS_CLAUSE.search(prompt)
    text = m.group(1) if m else prompt
    for words in worn:
        if words:
            text = text.replace(words, " ")
    text = text.casefold()
    found = []
    for name, words in HELD_WORDS:
        for w in words:
            hit = (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text) if w.isascii() else w in text)
            if hit:
                found.append(name)
                break
    return tuple(found)


def draw_prop(pen: Pen, name: str, cx: float, cy: float, size: float, accent: RGB) -> None:
    """One prop centred at (cx, cy), about `size` px across."""
    s = size
    ink = (34, 30, 36)
    if name == "phone":
        pen.rect((cx - 0.28 * s, cy - 0.5 * s, cx + 0.28 * s, cy + 0.5 * s), ink, radius=0.08 * s)
        pen.rect((cx - 0.23 * s, cy - 0.42 * s, cx + 0.23 * s, cy + 0.4 * s),
                 mix(accent, (170, 210, 255), 0.6), radius=0.04 * s)
    elif name == "bowl":
        pen.ellipse((cx - 0.55 * s, cy - 0.18 * s, cx + 0.55 * s, cy + 0.12 * s), (240, 236, 226))
        pen.poly([(cx - 0.55 * s, cy - 0.03 * s), (cx + 0.55 * s, cy - 0.03 * s),
                  (cx + 0.3 * s, cy + 0.38 * s), (cx - 0.3 * s, cy + 0.38 * s)], (236, 232, 222))
        pen.ellipse((cx - 0.48 * s, cy - 0.14 * s, cx + 0.48 * s, cy + 0.06 * s), (214, 160, 92))
        pen.line([(cx - 0.45 * s, cy + 0.12 * s), (cx + 0.45 * s, cy + 0.12 * s)],
                 mix(accent, (40, 80, 160), 0.6), 0.05 * s)
    elif name == "suitcase":
        body = mix(accent, (120, 60, 50), 0.5)
        pen.rect((cx - 0.4 * s, cy - 0.55 * s, cx + 0.4 * s, cy + 0.55 * s), body, radius=0.08 * s)
        pen.rect((cx - 0.14 * s, cy - 0.72 * s, cx + 0.14 * s, cy - 0.55 * s), scale_rgb(body, 0.6))
        for f in (-0.2, 0.2):
            pen.line([(cx + f * s, cy - 0.5 * s), (cx + f * s, cy + 0.5 * s)], scale_rgb(body, 0.7),
                     0.05 * s)
    elif name == "letter":
        pen.rect((cx - 0.5 * s, cy - 0.32 * s, cx + 0.5 * s, cy + 0.32 * s), (246, 240, 226))
        pen.line([(cx - 0.5 * s, cy - 0.32 * s), (cx, cy + 0.05 * s), (cx + 0.5 * s, cy - 0.32 * s)],
                 (170, 150, 130), 0.04 * s)
        pen.circle(cx, cy + 0.05 * s, 0.07 * s, (176, 40, 36))
    elif name == "photo":
        pen.rect((cx - 0.4 * s, cy - 0.5 * s, cx + 0.4 * s, cy + 0.5 * s), (120, 84, 54))
        pen.rect((cx - 0.32 * s, cy - 0.42 * s, cx + 0.32 * s, cy + 0.42 * s), (214, 206, 186))
        pen.circle(cx, cy - 0.1 * s, 0.12 * s, (150, 120, 100))
        pen.ellipse((cx - 0.22 * s, cy + 0.05 * s, cx + 0.22 * s, cy + 0.42 * s), (150, 120, 100))
    elif name == "cup":
        pen.rect((cx - 0.25 * s, cy - 0.3 * s, cx + 0.25 * s, cy + 0.3 * s), (236, 232, 224),
                 radius=0.05 * s)
        pen.arc((cx + 0.15 * s, cy - 0.15 * s, cx + 0.45 * s, cy + 0.15 * s), -90, 90,
                (236, 232, 224), 0.06 * s)
    elif name == "book":
        pen.rect((cx - 0.45 * s, cy - 0.32 * s, cx + 0.45 * s, cy + 0.32 * s), mix(accent, ink, 0.3))
        pen.rect((cx - 0.4 * s, cy - 0.26 * s, cx + 0.4 * s, cy + 0.26 * s), (244, 238, 224))
        pen.line([(cx, cy - 0.3 * s), (cx, cy + 0.3 * s)], scale_rgb(accent, 0.6), 0.04 * s)
    elif name == "gift":
        pen.rect((cx - 0.4 * s, cy - 0.35 * s, cx + 0.4 * s, cy + 0.4 * s), mix(accent, (200, 40, 50), 0.5))
        pen.rect((cx - 0.07 * s, cy - 0.35 * s, cx + 0.07 * s, cy + 0.4 * s), (240, 200, 90))
        pen.circle(cx - 0.12 * s, cy - 0.42 * s, 0.1 * s, (240, 200, 90))
        pen.circle(cx + 0.12 * s, cy - 0.42 * s, 0.1 * s, (240, 200, 90))
    elif name == "flowers":
        pen.line([(cx, cy + 0.5 * s), (cx, cy - 0.1 * s)], (70, 120, 60), 0.06 * s)
        for i, (dx, dy) in enumerate(((-0.2, -0.25), (0.2, -0.25), (0, -0.4), (-0.1, -0.05), (0.12, -0.05))):
            pen.circle(cx + dx * s, cy + dy * s, 0.13 * s, mix(accent, (230, 90, 120), 0.3 + 0.1 * i))


def place_props(pen: Pen, props: tuple[str, ...], W: int, H: int, figures: list[tuple[float, float, float]],
                accent: RGB) -> None:
    """Draw each prop: beside a figure at hand height ((x, ground, unit) per figure), or, with
    nobody in frame, large on a surface in the lower middle of the frame (an insert)."""
    if not props:
        return
    if not figures:
        surface = mix(accent, (96, 70, 52), 0.6)
        pen.rect((0, H * 0.62, W, H), surface, alpha=200)
        size = min(W, H) * (0.42 if len(props) == 1 else 0.28)
        for i, name in enumerate(props[:3]):
            cx = W * (0.5 + (i - (min(len(props), 3) - 1) / 2) * 0.32)
            draw_prop(pen, name, cx, H * 0.68, size, accent)
        return
    for i, name in enumerate(props[:3]):
        x, ground, u = figures[i % len(figures)]
        side = 1 if i % 2 == 0 else -1
        size = 1.1 * u
        cx = x + side * 1.1 * u
        cy = ground - 3.1 * u
        if cy > H + size or cy < -size:  # the hands are out of frame (a close-up): lower edge
            cy = H - 0.6 * size
        draw_prop(pen, name, min(max(cx, size * 0.6), W - size * 0.6), min(cy, H - 0.5 * size), size, accent)
