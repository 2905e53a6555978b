"""Indoor sets: the room's shell (walls, floor, ceiling) and a table of what each kind of room
puts on its back wall.

`ROOMS` maps a kind of place (kitchen, classroom, office...) to its drawer; the furniture the
words name (a window, a clock, a bed...) is drawn after it, in `FURNISHINGS` order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from microfilm.providers.house.drawing import RGB, Pen, mix, scale_rgb
from microfilm.providers.house.scenery.kit import bands
from microfilm.providers.house.scenery.furniture import (
    draw_bed, draw_clock, draw_door, draw_frames, draw_lamp, draw_plant, draw_shelf, draw_sofa,
    draw_table, draw_window,
)
from microfilm.providers.house.scenery.public_rooms import draw_hall, draw_shop, draw_ward
from microfilm.providers.house.scenery.room_kinds import (
    draw_blackboard, draw_cafe, draw_kitchen, draw_office, draw_vehicle,
)

if TYPE_CHECKING:
    from microfilm.providers.house.scenery.base import Set


RoomDrawer = Callable[["Set", Pen, float, np.random.Generator], None]

# what each kind of room has on its back wall; a kind not listed is a home
ROOMS: dict[str, RoomDrawer] = {
    "vehicle": draw_vehicle,
    "kitchen": draw_kitchen,
    "classroom": draw_blackboard,
    "office": draw_office,
    "cafe": draw_cafe,
    "ward": draw_ward,
    "hall": draw_hall,
    "shop": draw_shop,
}
# a bus has its seats and windows, a hall its stage and high windows: no home furniture
UNFURNISHED = frozenset({"vehicle", "hall"})
PANELLED = ("home", "bedroom", "cafe")  # a chair rail and a lower panel: a lived-in wall
PLAIN_FLOOR = ("classroom", "office", "bedroom", "ward", "shop")  # lino or tiles rather than warm boards


@dataclass(frozen=True)
class Shell:
    """The room's walls as the drawers of its furniture need them."""

    dw: float  # the back wall's distance from the camera, hu
    side: int  # which side wall the camera sees (-1 left, 1 right)
    wall: RGB
    rng: np.random.Generator  # the room's own randomness, drawn in a fixed order


def draw_room(st: Set, pen: Pen) -> None:
    """The shell, then the kind's back wall, then the furniture the words name."""
    shell = draw_shell(st, pen)
    kind = st.setting.kind
    if kind in ROOMS:
        ROOMS[kind](st, pen, shell.dw, shell.rng)
    if kind not in UNFURNISHED:
        furnish(st, pen, shell)


def draw_shell(st: Set, pen: Pen) -> Shell:
    """Ceiling, back wall, floor and one side wall in perspective."""
    s, cam = st.setting, st.cam
    rng = st.layout("room")
    dark, mid, warm, accent, light = st.palette
    W, H = st.W, st.H
    gap = float(rng.uniform(6.5, 9.0))
    dw = cam.d + gap  # back wall distance
    ceil_h = 13.0
    wall = st.wall_colour()
    floor_y = cam.sy(0.0, dw)
    ceil_y = cam.sy(ceil_h, dw)
    k = cam.scale(dw)
    if s.kind in PANELLED:
        rail_y = cam.sy(3.6, dw)
        pen.rect((0, rail_y, W, floor_y), scale_rgb(mix(wall, st.palette[2], 0.15), 0.93))
        pen.rect((0, rail_y - 0.12 * k, W, rail_y + 0.12 * k), scale_rgb(wall, 1.06))
    if ceil_y > 0:  # a cornice under the ceiling
        bands(st, pen, -1.0, ceil_y, scale_rgb(wall, 0.62), scale_rgb(wall, 0.8), 32)
        pen.rect((0, ceil_y - 0.1 * k, W, ceil_y + 0.3 * k), scale_rgb(wall, 1.04))
    side = -1 if rng.random() < 0.5 else 1
    half = float(rng.uniform(11, 15))
    near = max(0.6, cam.d - 6.0)
    xw = side * half
    p_far_top, p_far_bot = cam.pt(xw, ceil_h, dw), cam.pt(xw, 0.0, dw)
    p_near_top, p_near_bot = cam.pt(xw, ceil_h, near), cam.pt(xw, 0.0, near)
    beyond = -W * 3 if side < 0 else W * 4
    floor = st.lit(mix((150, 106, 72), warm, 0.2))
    if s.kind in PLAIN_FLOOR:
        floor = st.lit(mix((176, 162, 140), mid, 0.15))
    bands(st, pen, floor_y, H, scale_rgb(floor, 0.92), scale_rgb(floor, 1.04), 16)
    # floorboards receding (parallel lines towards the camera)
    line_c = scale_rgb(floor, 0.84)
    for i in range(-14, 15):
        x = i * 2.4
        a = cam.pt(x, 0.0, dw)
        b = cam.pt(x, 0.0, max(0.6, cam.d - 3.0))
        pen.line([a, b], line_c, max(1.0, H / 1400), 150, caps=False)
    pen.rect((0, floor_y - 0.35 * cam.scale(dw), W, floor_y + 1), scale_rgb(wall, 0.78))
    # the side wall as a perspective trapezoid
    pen.poly([p_far_top, p_near_top, (beyond, p_near_top[1]), (beyond, p_near_bot[1]), p_near_bot,
              p_far_bot], scale_rgb(wall, 0.86))
    return Shell(dw=dw, side=side, wall=wall, rng=rng)


def furnish(st: Set, pen: Pen, shell: Shell) -> None:
    """A window, shelves, frames, a clock, a door, a plant, a sofa, a bed, the lamp and the
    table: each when the kind of room has one or the words name it."""
    s, cam = st.setting, st.cam
    kind, dw, side, rng = s.kind, shell.dw, shell.side, shell.rng
    wx = float(rng.uniform(-6, 6)) if kind not in ("classroom",) else 9.0 * -side
    if "window" in s.props or kind in ("home", "bedroom", "cafe", "classroom", "office", "ward"):
        draw_window(st, pen, wx, dw, big=kind in ("cafe", "office"))
    if kind in ("home", "bedroom") or "shelf" in s.props:
        draw_shelf(st, pen, wx + (9.5 if wx < 0 else -9.5), dw, rng)
    if "photo" in s.props or kind == "home":
        draw_frames(st, pen, wx + (-7.0 if wx < 0 else 7.0), dw, rng)
    if "clock" in s.props:
        draw_clock(st, pen, wx + (4.5 if wx < 0 else -4.5), dw, shell.wall)
    if "door" in s.props:
        draw_door(st, pen, -wx * 0.9 if abs(wx) > 2 else 10.0, dw)
    if "plant" in s.props:
        draw_plant(st, pen, -side * float(rng.uniform(7, 10)), dw - 1.0)
    if "sofa" in s.props:
        draw_sofa(st, pen, wx, dw - 1.8)
    if "bed" in s.props or kind == "bedroom":
        draw_bed(st, pen, side * 7.0, dw - 2.5)
    draw_lamp(st, pen, rng, dw)  # the fixture is always there; it glows when lit
    if "table" in s.props or ("steam" in s.props and kind != "kitchen"):
        r = float(rng.random())
        if cam.d > 15:
            # a wide shot: the table stands in front and hides the legs
            st.occluders.append(lambda p: draw_table(st, p, r, cam.d - 0.9))
        else:
            # closer in, a table in front would fill the frame: it stands behind them
            draw_table(st, pen, r, cam.d + 3.2)
