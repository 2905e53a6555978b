"""The set of one shot: a place drawn for one camera, background before the characters and
foreground after them.

`Set` holds what every drawer needs (the setting, the camera, the palette, the hour's mood,
the glows to add at the end, the occluders to draw in front of the characters) and the colour
helpers; the drawing itself is in rooms.py (indoors), outdoors.py and weather.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from PIL import Image

from microfilm.providers.house.drawing import (
    Pen, RGB, gradient_canvas, luma, mix, rng_for, scale_rgb, vertical_gradient,
)
from microfilm.providers.house.scenery.camera import Camera
from microfilm.providers.house.scenery.kit import Glow
from microfilm.providers.house.scenery.mood import Mood
from microfilm.providers.house.scenery.outdoors import draw_outdoors
from microfilm.providers.house.scenery.rooms import draw_room
from microfilm.providers.house.scenery.setting import Setting
from microfilm.providers.house.scenery.weather import draw_petals, draw_rain, draw_snow


@dataclass
class Set:
    """A place drawn for one camera: background now, foreground after the characters."""

    setting: Setting
    cam: Camera
    palette: tuple[RGB, ...]
    mood: Mood
    glows: list[Glow] = field(default_factory=list)
    occluders: list = field(default_factory=list)

    # -- helpers
    @property
    def W(self) -> int:
        return self.cam.width

    @property
    def H(self) -> int:
        return self.cam.height

    def lit(self, c: RGB, dist: float = 0.0, k: float = 1.0) -> RGB:
        """A surface colour under this hour: darkened at night, hazed with distance."""
        m = self.mood
        c = scale_rgb(c, m.ambient * k)
        c = mix(c, m.tint, m.tint_amount * 0.6)
        if dist > 0:
            haze = min(0.85, dist / (dist + 260.0))
            c = mix(c, self.mood.sky[2], haze)
        return c

    def layout(self, *parts: object) -> np.random.Generator:
        """The place's own randomness: the same set in every shot of the place."""
        return rng_for("set", self.setting.place_key, self.setting.kind, *parts)

    # -- background: a vertical gradient (the wall, or the sky down to the horizon)
    def base_stops(self) -> list[tuple[float, RGB]]:
        H = self.H
        hz = self.cam.horizon
        if self.setting.interior:
            wall = self.wall_colour()
            top = scale_rgb(wall, 0.82)
            return [(0.0, top), (0.6, wall), (1.0, scale_rgb(wall, 0.9))]
        s_top, s_mid, s_hz = self.mood.sky
        h = max(hz, 1.0)
        p_hz = float(np.clip(h / H, 0.05, 1.0))
        if p_hz >= 0.999:
            return [(0.0, s_top), (0.55, s_mid), (1.0, s_hz)]
        return [(0.0, s_top), (p_hz * 0.55, s_mid), (p_hz, s_hz), (1.0, s_hz)]

    def base(self) -> np.ndarray:
        return vertical_gradient(self.W, self.H, self.base_stops())

    def base_canvas(self, k: int) -> Image.Image:
        """`base()` as an image k times larger, ready for a Pen (drawing.gradient_canvas)."""
        return gradient_canvas(self.W, self.H, self.base_stops(), k)

    def wall_colour(self) -> RGB:
        dark, mid, warm, accent, light = self.palette
        rng = self.layout("wall")
        base = mix(light, mid, 0.22 + 0.12 * float(rng.random()))
        base = mix(base, warm, 0.18)
        if self.setting.kind in ("classroom", "bedroom", "ward"):
            base = mix(base, (226, 232, 226), 0.4)
        if luma(base) < 0.45:
            base = mix(base, (236, 226, 210), 0.5)
        return self.lit(base)

    # -- background shapes
    def draw_back(self, pen: Pen) -> None:
        if self.setting.interior:
            draw_room(self, pen)
        else:
            draw_outdoors(self, pen)

    def draw_front(self, pen: Pen, rng: np.random.Generator) -> None:
        for draw in self.occluders:
            draw(pen)
        s = self.setting
        if s.rain and not s.interior:  # indoors the rain is seen through the window (furniture)
            draw_rain(self, pen, rng, heavy=True)
        if s.snow and not s.interior:
            draw_snow(self, pen, rng)
        if "petals" in s.props and not s.interior:
            draw_petals(self, pen, rng)
