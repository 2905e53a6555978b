"""Props the house painter can draw: the phone, the bowl, the suitcase, the letter, the scarf,
the umbrella, the laptop, the bicycle...

Why: a storyboard frame must show what the shot says, and a shot about a phone call or two
bowls of soup should show the phone and the bowls. Props are read from the shot's words
(the "Props:" / "道具：" clause the house director writes, else the whole prompt, English and
Chinese) and drawn as simple flat shapes: held at a character's hand height beside them,
or large in the middle of the frame on a surface when the shot is an insert with nobody in it.
"""

from __future__ import annotations

import re

from microfilm.providers.house.drawing import RGB, Pen, mix
from microfilm.providers.house.prop_shapes import draw_shape
from microfilm.providers.house.wordmatch import word_hit

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
    ("scarf", ("scarf", "围巾")),
    ("umbrella", ("umbrella", "伞")),
    ("clock", ("clock", "时钟", "闹钟", "挂钟", "座钟", "一只钟")),
    ("bag", ("bag", "handbag", "backpack", "satchel", "背包", "书包", "挎包", "一个包")),
    ("laptop", ("laptop", "笔记本电脑", "电脑")),
    ("dumplings", ("dumplings", "a plate of dumplings", "饺子")),
    ("bicycle", ("bicycle", "bike", "自行车", "单车")),
    ("key", ("keys", "a key", "house key", "钥匙")),
    ("ticket", ("ticket", "车票", "船票", "机票", "门票", "票根")),
    ("guitar", ("guitar", "吉他")),
    ("lantern", ("lantern", "灯笼")),
)
# props that stand on the ground beside a figure rather than in a hand: (size in head units,
# how far below the centre the shape's foot is, in sizes)
GROUNDED = {"bicycle": (3.2, 0.5), "guitar": (2.4, 0.62)}
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
    text = text.casefold().replace("o'clock", " ")
    found = []
    for name, words in HELD_WORDS:
        for w in words:
            if word_hit(w, text):
                found.append(name)
                break
    return tuple(found)


def draw_prop(pen: Pen, name: str, cx: float, cy: float, size: float, accent: RGB) -> None:
    """One prop centred at (cx, cy), about `size` px across (shapes in prop_shapes.py)."""
    draw_shape(pen, name, cx, cy, size, accent)


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
        if name in GROUNDED:  # beside them, on the floor
            units, foot = GROUNDED[name]
            size = units * u
            cx = x + side * (0.9 * u + 0.55 * size)
            draw_prop(pen, name, min(max(cx, size * 0.6), W - size * 0.6),
                      min(ground - foot * size, H - 0.5 * size), size, accent)
            continue
        size = 1.1 * u
        cx = x + side * 1.1 * u
        cy = ground - 3.1 * u
        if cy > H + size or cy < -size:  # the hands are out of frame (a close-up): lower edge
            cy = H - 0.6 * size
        draw_prop(pen, name, min(max(cx, size * 0.6), W - size * 0.6), min(cy, H - 0.5 * size), size, accent)
