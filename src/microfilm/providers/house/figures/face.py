"""The head: neck, ears, face; eyes follow the facing and detail fades out for tiny figures
(brows, nose, blush, an old face's lines, mouth, beard, glasses)."""

from __future__ import annotations

from microfilm.providers.house.drawing import mix
from microfilm.providers.house.figures.body import Body, Placement, Skeleton, darker
from microfilm.providers.house.figures.look import Look


def draw_neck(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """The neck, drawn before the torso, which hides its foot."""
    chin, shoulder, hx, skin = k.chin, k.shoulder, k.hx, k.skin
    body.limb([(hx * 0.6, shoulder + 0.1), (hx * 0.8, chin + 0.15)], 0.3, darker(skin, 0.85))


def draw_head(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """Ears and the head's oval."""
    head_c, hx, skin = k.head_c, k.hx, k.skin
    body.ell(hx - 0.41, head_c - 0.04, 0.09, 0.13, darker(skin, 0.93))
    body.ell(hx + 0.41, head_c - 0.04, 0.09, 0.13, darker(skin, 0.93))
    body.ell(hx, head_c, 0.41, 0.5, skin)


def draw_face(body: Body, look: Look, k: Skeleton, p: Placement) -> None:
    """Eyes, brows, nose, blush, lines, mouth, beard and glasses, by the figure's detail."""
    fem, old, child, head_c, f, hx = k.fem, k.old, k.child, k.head_c, k.f, k.hx
    skin, hair = k.skin, k.hair
    fx = hx + f * 0.12
    if p.detail > 0.15:
        eye_y = head_c - 0.06
        eye_dx = 0.15
        er = 0.055 if not child else 0.07
        for s in (-1, 1):
            body.ell(fx + s * eye_dx, eye_y, er, er * 1.25, (40, 32, 36), ink=False)
            if p.detail > 0.6:
                body.ell(fx + s * eye_dx + er * 0.35, eye_y + er * 0.45, er * 0.35, er * 0.35,
                         (250, 250, 250), ink=False)
        if p.detail > 0.5:
            brow = darker(hair, 0.8) if hair[0] < 140 else (120, 110, 104)
            for s in (-1, 1):
                body.limb([(fx + s * (eye_dx - 0.07), eye_y + 0.165), (fx + s * (eye_dx + 0.08),
                                                                       eye_y + 0.145)],
                          0.035 if fem else 0.055, brow, ink=False)
            body.limb([(fx + 0.02 * (1 if f >= 0 else -1), eye_y - 0.1),
                       (fx + 0.04 * (1 if f >= 0 else -1), eye_y - 0.15)],
                      0.03, darker(skin, 0.75), ink=False)
            blush = 150 if (fem or child) else 60
            body.ell(fx - 0.24, eye_y - 0.16, 0.08, 0.05, mix(skin, (230, 120, 120), 0.45), ink=False,
                     alpha=blush)
            body.ell(fx + 0.24, eye_y - 0.16, 0.08, 0.05, mix(skin, (230, 120, 120), 0.45), ink=False,
                     alpha=blush)
            if old:
                for s in (-1, 1):
                    body.limb([(fx + s * 0.27, eye_y - 0.02), (fx + s * 0.31, eye_y - 0.06)], 0.015,
                              darker(skin, 0.72), ink=False)
        mouth_y = head_c - 0.3
        body.limb([(fx - 0.07, mouth_y + 0.01), (fx, mouth_y - 0.015), (fx + 0.07, mouth_y + 0.01)],
                  0.03 if p.detail > 0.5 else 0.05, (150, 70, 70), ink=False)
        if look.beard:
            # round the jaw and the chin, under the nose, translucent: stubble or a beard, not a mask
            body.ell(hx, head_c - 0.36, 0.34, 0.16, mix(hair, skin, 0.3), ink=False, alpha=150)
            body.limb([(fx - 0.07, mouth_y + 0.01), (fx, mouth_y - 0.015), (fx + 0.07, mouth_y + 0.01)],
                      0.04, (120, 60, 60), ink=False)
        if look.glasses:
            for s in (-1, 1):
                cx, cy = body.xy(fx + s * eye_dx, eye_y)
                r = 0.12 * p.unit
                body.pen.arc((cx - r, cy - r, cx + r, cy + r), 0, 360, (40, 36, 40), max(0.8, 0.025 * p.unit))
