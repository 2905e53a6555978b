"""The painter's camera: a pinhole with a fixed lens; the framing decides how far it stands.

A close-up sees the same window, larger and softer, that a wide shot sees small, because
both are drawn through one camera in one space (world units are head heights).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microfilm.providers.house.scenery.words import FRAMINGS, first_match


def read_framing(framing: str) -> str:
    """One of extreme-wide | wide | medium | close | extreme-close (medium if unknown)."""
    f = f" {framing} ".casefold()
    return first_match(f, FRAMINGS) or "medium"


@dataclass(frozen=True)
class Camera:
    """A pinhole camera with a fixed lens: distance makes the framing, height the horizon.

    World units are head heights (hu); an adult is about 6.9 hu tall, so 1 hu is ~25 cm.
    The characters stand at distance `d`, on the ground (y = 0), around x = 0.
    """

    width: int
    height: int
    d: float  # distance to the characters, hu
    eye: float  # camera height above the ground, hu
    feet: float  # screen y of the characters' feet (may be below the frame)
    x: float = 0.0  # sideways camera offset, hu
    low: bool = False

    @property
    def focal(self) -> float:
        return float(self.height)

    @property
    def unit(self) -> float:
        """Pixels per head unit at the characters' distance."""
        return self.focal / self.d

    @property
    def horizon(self) -> float:
        return self.feet - self.eye * self.unit

    def scale(self, dist: float) -> float:
        return self.focal / max(dist, 0.05)

    def sx(self, x: float, dist: float) -> float:
        return self.width / 2 + (x - self.x) * self.scale(dist)

    def sy(self, y: float, dist: float) -> float:
        return self.horizon + (self.eye - y) * self.scale(dist)

    def pt(self, x: float, y: float, dist: float) -> tuple[float, float]:
        return (self.sx(x, dist), self.sy(y, dist))


# head height as a share of the frame height, the head top's target y, the camera height
_FRAME_TABLE = {
    "extreme-wide": (0.022, None, 13.0),
    "wide": (0.05, None, 6.2),
    "medium": (0.13, 0.2, 6.2),
    "close": (0.23, 0.19, 6.2),
    "extreme-close": (0.4, 0.11, 6.2),
}


def camera_for(width: int, height: int, framing: str, n_people: int, tallest_hu: float,
               jitter: np.random.Generator, low_angle: bool = False,
               spacing: float = 2.7) -> Camera:
    """The camera for a framing; the seed's jitter moves it a little (composition, not look).

    With two or more people side by side (`spacing` hu apart) the camera steps back until
    all of them fit the frame's width.
    """
    kind = read_framing(framing)
    share, top, eye = _FRAME_TABLE[kind]
    unit = share * height
    if n_people >= 2:
        unit = min(unit, 0.94 * width / ((n_people - 1) * spacing + 2.9))
    if top is None:
        feet = height * (0.86 if kind == "extreme-wide" else 0.84)
    else:
        feet = height * top + tallest_hu * unit
    feet += float(jitter.uniform(-0.015, 0.015)) * height
    d = height / unit
    eye = eye + float(jitter.uniform(-0.4, 0.4))
    if low_angle:
        eye = 2.2
    # the characters shift by at most this share of the frame width
    span = {"extreme-wide": 0.16, "wide": 0.1, "medium": 0.07, "close": 0.05}.get(kind, 0.03)
    x = float(jitter.uniform(-1.0, 1.0)) * span * width / unit
    return Camera(width=width, height=height, d=d, eye=eye, feet=feet, x=x, low=low_angle)


# ---- light ---------------------------------------------------------------------------
