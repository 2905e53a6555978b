"""Where a figure stands and how it is built: the placement in the frame, the skeleton's
heights and widths in head units, and the body that collects shapes and draws them (an outer
outline first, then the fills, so a figure reads against any background)."""

from __future__ import annotations

from dataclasses import dataclass

from microfilm.providers.house.drawing import RGB, Pen, scale_rgb
from microfilm.providers.house.figures.look import Look


@dataclass(frozen=True)
class Placement:
    """Where a figure stands: feet at (x, ground) in frame pixels, `unit` px per head height."""

    x: float
    ground: float
    unit: float
    facing: float = 0.0  # -1 looks left, +1 right, 0 at the camera
    detail: float = 1.0  # 0 draws no face (tiny figures), 1 full face
    light: float = 0.0  # -1 light from the left, +1 from the right
    pose: str = "stand"  # stand | hands-front | hand-up: a shot's gesture, not the look

POSES = ("stand", "stand", "hands-front", "hand-up")


def darker(c: RGB, k: float = 0.78) -> RGB:
    return scale_rgb(c, k)


class Body:
    """Collects the figure's shapes in head units, then draws them twice (ink, then fill)."""

    def __init__(self, pen: Pen, p: Placement, ink: RGB, outline: float):
        self.pen = pen
        self.p = p
        self.ink = ink
        self.outline = outline
        self.shapes: list[tuple] = []

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (self.p.x + x * self.p.unit, self.p.ground - y * self.p.unit)

    def poly(self, pts: list[tuple[float, float]], fill: RGB, ink: bool = True) -> None:
        self.shapes.append(("poly", [self.xy(*q) for q in pts], fill, ink))

    def ell(self, cx: float, cy: float, rx: float, ry: float, fill: RGB, ink: bool = True,
            alpha: int | None = None) -> None:
        (x, y) = self.xy(cx, cy)
        u = self.p.unit
        self.shapes.append(("ell", (x - rx * u, y - ry * u, x + rx * u, y + ry * u), fill, ink, alpha))

    def limb(self, pts: list[tuple[float, float]], width: float, fill: RGB, ink: bool = True) -> None:
        self.shapes.append(("line", [self.xy(*q) for q in pts], fill, ink, width * self.p.unit))

    def draw(self) -> None:
        o = self.outline
        if o > 0:
            for s in self.shapes:
                if not s[3]:
                    continue
                if s[0] == "poly":
                    self.pen.poly(s[1], self.ink)
                    self.pen.line(s[1] + [s[1][0]], self.ink, 2 * o, caps=False)
                elif s[0] == "ell":
                    x0, y0, x1, y1 = s[1]
                    self.pen.ellipse((x0 - o, y0 - o, x1 + o, y1 + o), self.ink)
                else:
                    self.pen.line(s[1], self.ink, s[4] + 2 * o)
        for s in self.shapes:
            if s[0] == "poly":
                self.pen.poly(s[1], s[2])
            elif s[0] == "ell":
                self.pen.ellipse(s[1], s[2], s[4])
            else:
                self.pen.line(s[1], s[2], s[4])


@dataclass(frozen=True)
class Skeleton:
    """The figure's proportions in head units (feet at y=0) and its colours, shared by every
    body-part drawer so that they join."""

    hu: float  # height in head units
    W: float  # build
    fem: bool
    old: bool
    child: bool
    stoop: float
    head_c: float
    chin: float
    shoulder: float
    hip: float
    knee: float
    waist: float
    sw: float  # half shoulder width
    hw: float  # half hip width
    f: float  # facing
    lit: float  # light side
    hx: float  # head offset (an old back bends the head forward a little)
    style: str  # hair style
    hem: float  # where the upper garment ends
    flare: float  # how wide the garment's skirt opens
    skin: RGB
    hair: RGB
    top: RGB
    top_sh: RGB
    sleeve: RGB


FLARES = {"coat": 1.12, "dress": 1.35, "robe": 1.45}


def skeleton(look: Look, p: Placement) -> Skeleton:
    hu = look.head_units
    W = look.width
    fem = look.female
    old = look.age == "elderly"
    child = look.age == "child"
    stoop = 0.12 if old else 0.0
    head_c = hu - 0.52
    chin = hu - 1.0
    shoulder = chin - 0.22
    hip = hu * 0.44 if child else hu * 0.49
    knee = hip * 0.53
    waist = hip + (shoulder - hip) * 0.3
    sw = (0.78 if fem else 0.95) * W * (0.8 if child else 1.0)
    hw = (0.72 if fem else 0.66) * W * (0.8 if child else 1.0)
    hem = {"coat": knee + 0.35, "jacket": hip - 0.15, "suit": hip - 0.2, "uniform": hip - 0.25,
           "sweater": hip - 0.05, "shirt": hip - 0.1, "dress": knee - 0.35, "robe": 0.35}[look.top_kind]
    return Skeleton(
        hu=hu, W=W, fem=fem, old=old, child=child, stoop=stoop, head_c=head_c, chin=chin,
        shoulder=shoulder, hip=hip, knee=knee, waist=waist, sw=sw, hw=hw, f=p.facing, lit=p.light,
        hx=stoop + p.facing * 0.05, style=look.hair_style, hem=hem,
        flare=FLARES.get(look.top_kind, 1.0), skin=look.skin, hair=look.hair, top=look.top,
        top_sh=darker(look.top, 0.8), sleeve=darker(look.top, 0.9),
    )
