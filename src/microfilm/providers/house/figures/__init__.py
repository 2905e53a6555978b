"""Characters as stylised figures: one stable look per character, drawn at any framing.

Why a package of its own: a film is recognisable when its people are. A character's look is
derived once, deterministically, from its bible entry (look.py, reading the words in
words.py, English and Chinese: "grey hair", "白发", "red scarf", "红围巾"). A figure is drawn
part by part in head units (feet at the origin, y up) on one `Body` (body.py), back to
front: hair behind the head, legs, lower garment, neck, torso, arms, scarf, head, face, hair
on top, hat (hair.py, clothes.py, face.py); the body then draws an outline and the fills.
"""

from __future__ import annotations

from microfilm.providers.house.drawing import RGB, Pen
from microfilm.providers.house.figures.body import POSES, Body, Placement, skeleton
from microfilm.providers.house.figures.clothes import (
    draw_arms, draw_legs, draw_lower_garment, draw_scarf, draw_torso,
)
from microfilm.providers.house.figures.face import draw_face, draw_head, draw_neck
from microfilm.providers.house.figures.hair import draw_hair_back, draw_hair_top, draw_hat
from microfilm.providers.house.figures.look import Look, look_of

__all__ = ["POSES", "Look", "Placement", "draw_figure", "figure_box", "look_of"]

# back to front: each part covers the ones before it
PARTS = (draw_hair_back, draw_legs, draw_lower_garment, draw_neck, draw_torso, draw_arms,
         draw_scarf, draw_head, draw_face, draw_hair_top, draw_hat)


def draw_figure(pen: Pen, look: Look, p: Placement, ink: RGB = (34, 28, 36)) -> None:
    """Draw one character. Head units: feet at y=0, head top near `look.head_units`."""
    body = Body(pen, p, ink, max(0.6, p.unit * 0.045))
    k = skeleton(look, p)
    for part in PARTS:
        part(body, look, k, p)
    body.draw()


def figure_box(look: Look, p: Placement) -> tuple[float, float, float, float]:
    """The figure's bounding box in frame pixels (x0, y0, x1, y1); tests measure inside it."""
    u = p.unit
    half = 1.3 * look.width * u
    return (p.x - half, p.ground - (look.head_units + 0.15) * u, p.x + half, p.ground)
