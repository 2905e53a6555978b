"""The hair: the mass behind the head (long, bob, braid, ponytail), the cap and fringe on top
(with a bun or a topknot, curls, a highlight), and a hat over it."""

from __future__ import annotations

import math

import numpy as np

from microfilm.providers.house.drawing import mix
from microfilm.providers.house.figures.body import Body, Placement, Skeleton
from microfilm.providers.house.figures.look import Look


def draw_hair_back(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """Hair that falls behind the head and shoulders, drawn before the body."""
    head_c, chin, shoulder, f, hx, style = k.head_c, k.chin, k.shoulder, k.f, k.hx, k.style
    hair = k.hair
    if style == "long":
        body.poly([(-0.52 + hx, head_c + 0.25), (0.52 + hx, head_c + 0.25), (0.62 + hx, shoulder - 0.55),
                   (-0.62 + hx, shoulder - 0.55)], hair)
        body.ell(hx, head_c + 0.08, 0.56, 0.56, hair)
    elif style == "bob":
        body.poly([(-0.55 + hx, head_c + 0.2), (0.55 + hx, head_c + 0.2), (0.58 + hx, chin + 0.05),
                   (-0.58 + hx, chin + 0.05)], hair)
        body.ell(hx, head_c + 0.1, 0.56, 0.55, hair)
    elif style == "braid":
        side = -1 if f >= 0 else 1
        body.ell(hx, head_c + 0.08, 0.53, 0.55, hair)
        body.limb([(side * 0.42 + hx, head_c - 0.2), (side * 0.55, shoulder - 0.2),
                   (side * 0.5, shoulder - 1.1)], 0.22, hair)
    elif style == "ponytail":
        side = -1 if f >= 0 else 1
        body.ell(hx, head_c + 0.06, 0.52, 0.54, hair)
        body.limb([(side * 0.42 + hx, head_c + 0.25), (side * 0.62 + hx, head_c - 0.15),
                   (side * 0.58 + hx, chin - 0.2)], 0.2, hair)


def draw_hair_top(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """A cap hugging the skull (an arc of a slightly larger ellipse) whose lower edge is the
    fringe; long styles come down the sides to the jaw."""
    fem, old, head_c, f, hx, style, hair = k.fem, k.old, k.head_c, k.f, k.hx, k.style, k.hair
    top_y = head_c + 0.5
    if style != "bald":
        long_sides = style in ("long", "bob", "braid", "ponytail")
        a0, a1 = (-28.0, 208.0) if long_sides else (-8.0, 188.0)
        ccy = head_c + 0.03
        arc = [(hx + 0.465 * math.cos(math.radians(a)), ccy + 0.56 * math.sin(math.radians(a)))
               for a in np.linspace(a0, a1, 28)]
        part = 0.14 if f >= 0 else -0.14
        if style in ("short", "curly"):
            fringe = [(hx - 0.4, head_c + 0.1), (hx - 0.2, head_c + 0.27), (hx + part, head_c + 0.33),
                      (hx + 0.25, head_c + 0.26), (hx + 0.4, head_c + 0.1)]
        elif style == "bun":
            fringe = [(hx - 0.4, head_c + 0.12), (hx - 0.15, head_c + 0.3), (hx + part * 0.5, head_c + 0.36),
                      (hx + 0.15, head_c + 0.3), (hx + 0.4, head_c + 0.12)]
        else:
            fringe = [(hx - 0.36, head_c - 0.25), (hx - 0.33, head_c + 0.1), (hx - 0.12, head_c + 0.2),
                      (hx + part, head_c + 0.24), (hx + 0.2, head_c + 0.19), (hx + 0.34, head_c + 0.1),
                      (hx + 0.37, head_c - 0.25)]
        body.poly(arc + fringe, hair)
        if style == "curly":
            for i in range(9):
                a = math.radians(-5 + i * 23.75)
                body.ell(hx + 0.47 * math.cos(a), ccy + 0.55 * math.sin(a), 0.12, 0.12, hair, ink=False)
        if style == "bun" and (fem or "ancient" not in look.tags):
            body.ell(hx - f * 0.15, top_y + 0.1, 0.22, 0.2, hair)
        elif style == "bun":
            # a topknot: small, high, pinned
            body.ell(hx, top_y + 0.12, 0.15, 0.14, hair)
            body.limb([(hx - 0.24, top_y + 0.14), (hx + 0.24, top_y + 0.1)], 0.035, (200, 170, 90),
                      ink=False)
        # a soft highlight: hair reads as a volume, not a hole
        body.limb([(hx - 0.22, head_c + 0.43), (hx - 0.05, head_c + 0.5)], 0.05,
                  mix(hair, (255, 255, 255), 0.14), ink=False)
    elif old:
        for s in (-1, 1):
            body.ell(hx + s * 0.4, head_c + 0.08, 0.09, 0.17, hair, ink=False)


def draw_hat(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """A brimmed hat when the words give one."""
    head_c, hx = k.head_c, k.hx
    top_y = head_c + 0.5
    if look.hat is not None:
        body.ell(hx, head_c + 0.36, 0.62, 0.1, look.hat)
        body.poly([(hx - 0.4, head_c + 0.38), (hx + 0.4, head_c + 0.38), (hx + 0.34, top_y + 0.12),
                   (hx - 0.34, top_y + 0.12)], look.hat)
