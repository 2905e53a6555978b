"""Raster helpers the house painter shares: colours, seeded randomness, gradients, light, grain.

Why a module of its own: the painter composes scenes, figures and typography, and all three
need the same few primitives (a colour maths, a seeded RNG that is stable across Python runs,
numpy image passes); type is set by typeset.py. Every pass here is vectorised (numpy or a
Pillow C routine); nothing loops over pixels in Python.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]

# ---- colour ---------------------------------------------------------------------------


def hex_rgb(value: str, default: RGB = (128, 128, 128)) -> RGB:
    """'#rrggbb' (or 'rrggbb', '#rgb') to an RGB tuple; `default` for anything unreadable."""
    s = value.strip().lstrip("#")
    if len(s) == 3:
        s = "".join(ch * 2 for ch in s)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", s):
        return default
    return (int(s[0:2], 16), int(s[2:4], 16), int(s[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from a (t=0) to b (t=1)."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def scale_rgb(c: RGB, k: float) -> RGB:
    return tuple(max(0, min(255, int(round(x * k)))) for x in c)  # type: ignore[return-value]


def luma(c: RGB) -> float:
    """Relative brightness 0..1 (Rec. 709 weights on gamma values; enough to pick ink)."""
    return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255.0


def palette_of(colours: tuple[str, ...]) -> tuple[RGB, ...]:
    """The genre palette as RGB, padded to five entries (dark, mid, warm, accent, light)."""
    base = [hex_rgb(c) for c in colours if c]
    fallback = [(27, 27, 36), (90, 110, 140), (214, 150, 90), (140, 180, 150), (250, 246, 236)]
    while len(base) < 5:
        base.append(fallback[len(base)])
    return tuple(base[:5])


# ---- determinism ----------------------------------------------------------------------


def stable_int(*parts: object) -> int:
    """A 64-bit integer from the parts' text; unlike hash() it is the same in every process."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_int(*parts))


# ---- numpy image passes (float32 HxWx3 in 0..255) -------------------------------------


def _gradient_column(height: int, stops: list[tuple[float, RGB]]) -> np.ndarray:
    """One column (height x 3, float32) of a top-to-bottom gradient through `stops`."""
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)
    pos = np.array([p for p, _ in stops], dtype=np.float32)
    col = np.array([c for _, c in stops], dtype=np.float32)
    return np.stack([np.interp(ys, pos, col[:, k]) for k in range(3)], axis=-1).astype(np.float32)


def vertical_gradient(width: int, height: int, stops: list[tuple[float, RGB]]) -> np.ndarray:
    """A top-to-bottom gradient through `stops` (position 0..1, colour)."""
    column = _gradient_column(height, stops)
    return np.broadcast_to(column[:, None, :], (height, width, 3)).astype(np.float32)


def gradient_canvas(width: int, height: int, stops: list[tuple[float, RGB]],
                    k: int) -> Image.Image:
    """`supersample(to_image(vertical_gradient(width, height, stops)), k)`, pixel for pixel,
    made from one column: every row of a vertical gradient is one colour, so the k-times
    canvas is that column (each row k times) stretched sideways, a tenth of the work of
    building, rounding and enlarging the whole frame."""
    column = to_uint8(_gradient_column(height, stops)).repeat(k, axis=0)
    strip = Image.fromarray(np.ascontiguousarray(column[:, None, :]), "RGB")
    return strip.resize((width * k, height * k), Image.Resampling.NEAREST)


def add_light(arr: np.ndarray, mask: np.ndarray, colour: RGB, strength: float) -> None:
    """Screen-blend a coloured light through `mask` (HxW, 0..1), in place."""
    c = np.array(colour, dtype=np.float32)
    m = (mask * strength)[..., None]
    arr += (255.0 - arr) * (c / 255.0) * m


def glow(arr: np.ndarray, cx: float, cy: float, radius: float, colour: RGB, strength: float,
         power: float = 2.0, squash: float = 1.0, additive: bool = False) -> None:
    """A soft screen-blended light around (cx, cy), computed only inside its bounding box.

    `squash` < 1 flattens the glow vertically (a pool of light on a floor or a table).
    `additive` adds the light's colour (0..1 per channel) into a light buffer instead.
    """
    h, w = arr.shape[:2]
    ry = radius * squash
    x0, x1 = max(0, int(cx - radius)), min(w, int(cx + radius) + 1)
    y0, y1 = max(0, int(cy - ry)), min(h, int(cy + ry) + 1)
    if x0 >= x1 or y0 >= y1 or radius < 1:
        return
    ys = ((np.arange(y0, y1, dtype=np.float32) - cy) / max(squash, 1e-3))[:, None]
    xs = (np.arange(x0, x1, dtype=np.float32) - cx)[None, :]
    mask = np.clip(1.0 - np.sqrt(xs * xs + ys * ys) / radius, 0.0, 1.0) ** power
    if additive:
        c = np.array(colour, dtype=np.float32) * (strength / 255.0)
        arr[y0:y1, x0:x1] += mask[..., None] * c
        return
    add_light(arr[y0:y1, x0:x1], mask, colour, strength)


def grade_lut(img: Image.Image, tint: RGB, amount: float, lift: float = 0.0,
              contrast: float = 0.0) -> Image.Image:
    """Grade the finished 8-bit frame through one per-channel lookup table (cheap).

    Multiply towards a tint (the hour), a gentle S-curve (x + c*x(1-x)(2x-1): darks a
    little darker, lights a little lighter), then lift the blacks a touch.
    """
    x = np.arange(256, dtype=np.float32)[None, :].repeat(3, axis=0)  # (3, 256)
    t = np.array(tint, dtype=np.float32)[:, None] / 255.0
    x = x * ((1.0 - amount) + amount * t)
    if contrast:
        u = np.clip(x / 255.0, 0.0, 1.0)
        x = x + contrast * 255.0 * u * (1.0 - u) * (2.0 * u - 1.0)
    if lift:
        x = x + lift * (255.0 - x) * 0.08
    lut = np.clip(np.round(x), 0, 255).astype(np.uint8)
    return img.point(lut.reshape(-1).tolist())


def smooth_noise(rng: np.random.Generator, n: int, octaves: tuple[tuple[int, float], ...]) -> np.ndarray:
    """A 1-D smooth random curve of `n` samples in about -1..1: sums of interpolated noise.

    `octaves` is (control points, weight) pairs; ridgelines and skylines are drawn from it.
    """
    out = np.zeros(n, dtype=np.float32)
    xs = np.linspace(0.0, 1.0, n, dtype=np.float32)
    total = 0.0
    for points, weight in octaves:
        ctrl = rng.uniform(-1.0, 1.0, max(2, points)).astype(np.float32)
        grid = np.linspace(0.0, 1.0, len(ctrl), dtype=np.float32)
        # cosine interpolation between control points: smooth without overshoot
        idx = np.clip(np.searchsorted(grid, xs, side="right") - 1, 0, len(ctrl) - 2)
        f = (xs - grid[idx]) / (grid[idx + 1] - grid[idx])
        f = (1 - np.cos(f * np.pi)) / 2
        out += weight * (ctrl[idx] * (1 - f) + ctrl[idx + 1] * f)
        total += weight
    return out / max(total, 1e-6)


def to_uint8(arr: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Float pixels (0..255) rounded and clipped to bytes; `in_place` rounds in `arr` itself
    (one frame-sized array fewer, for a caller done with it)."""
    if in_place:
        arr += 0.5
        out = arr
    else:
        out = arr + 0.5
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


def to_image(arr: np.ndarray, in_place: bool = False) -> Image.Image:
    return Image.fromarray(to_uint8(arr, in_place), "RGB")


def from_image(img: Image.Image) -> np.ndarray:
    """The picture as float pixels (a new, writable array)."""
    return np.asarray(img if img.mode == "RGB" else img.convert("RGB")).astype(np.float32)


def soft_blob(size: tuple[int, int], boxes: list[tuple[float, float, float, float]],
              blur: float) -> np.ndarray:
    """HxW mask of blurred ellipses (contact shadows, glows), drawn at quarter size for speed."""
    w, h = size
    q = 4
    small = Image.new("L", (max(1, w // q), max(1, h // q)), 0)
    d = ImageDraw.Draw(small)
    for x0, y0, x1, y1 in boxes:
        d.ellipse([x0 / q, y0 / q, x1 / q, y1 / q], fill=255)
    small = small.filter(ImageFilter.GaussianBlur(max(0.5, blur / q)))
    big = small.resize((w, h), Image.Resampling.BILINEAR)
    return np.asarray(big, dtype=np.float32) / 255.0


# ---- supersampled vector drawing ------------------------------------------------------

SS = 2  # vector layers are drawn at twice the size and box-reduced: cheap anti-aliasing


class Pen:
    """Draw shapes in frame pixels on a canvas `k` times larger (anti-aliasing by reduction).

    Every coordinate is given in the final frame's pixels (floats welcome); the pen scales
    them. Colours may carry an alpha: the canvas is drawn in RGBA-blend mode, so a
    translucent fill (haze, a glass pane, a shadow) blends over what is below.
    """

    def __init__(self, img: Image.Image, k: int = SS):
        self.img = img
        self.k = k
        self.blend = ImageDraw.Draw(img, "RGBA")
        self.solid = ImageDraw.Draw(img)

    @staticmethod
    def _c(fill: RGB | tuple[int, int, int, int], alpha: int | None) -> tuple[int, int, int, int]:
        if len(fill) == 4:
            return fill  # type: ignore[return-value]
        return (int(fill[0]), int(fill[1]), int(fill[2]), 255 if alpha is None else int(alpha))

    def _draw(self, fill: RGB | tuple[int, int, int, int],
              alpha: int | None) -> tuple[ImageDraw.ImageDraw, tuple[int, ...]]:
        """The drawer and ink for a fill. An opaque fill is painted without blending: Pillow's
        blend at alpha 255 gives exactly the fill (its rounded division by 255 is exact), so
        the pixels are the same, and the plain path is about seven times faster."""
        c = self._c(fill, alpha)
        return (self.solid, c[:3]) if c[3] == 255 else (self.blend, c)

    def _p(self, pts: list[Point]) -> list[tuple[float, float]]:
        k = self.k
        return [(x * k, y * k) for x, y in pts]

    def poly(self, pts: list[Point], fill: RGB, alpha: int | None = None) -> None:
        if len(pts) >= 3:
            d, c = self._draw(fill, alpha)
            d.polygon(self._p(pts), fill=c)

    def rect(self, box: tuple[float, float, float, float], fill: RGB, alpha: int | None = None,
             radius: float = 0.0) -> None:
        x0, y0, x1, y1 = box
        if x1 <= x0 or y1 <= y0:
            return
        b = [x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k]
        d, c = self._draw(fill, alpha)
        if radius > 0:
            r = min(radius * self.k, (b[2] - b[0]) / 2, (b[3] - b[1]) / 2)
            d.rounded_rectangle(b, r, fill=c)
        else:
            d.rectangle(b, fill=c)

    def ellipse(self, box: tuple[float, float, float, float], fill: RGB,
                alpha: int | None = None) -> None:
        x0, y0, x1, y1 = box
        if x1 - x0 < 0.2 or y1 - y0 < 0.2:
            return
        d, c = self._draw(fill, alpha)
        d.ellipse([x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k], fill=c)

    def circle(self, cx: float, cy: float, r: float, fill: RGB, alpha: int | None = None) -> None:
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill, alpha)

    def line(self, pts: list[Point], fill: RGB, width: float, alpha: int | None = None,
             caps: bool = True) -> None:
        """A polyline with round joints and (with `caps`) round ends: limbs, poles, streaks."""
        if len(pts) < 2 or width <= 0:
            return
        d, c = self._draw(fill, alpha)
        w = max(1, int(round(width * self.k)))
        d.line(self._p(pts), fill=c, width=w, joint="curve")
        if caps and width * self.k >= 3:
            r = width / 2
            for x, y in (pts[0], pts[-1]):
                d.ellipse([(x - r) * self.k, (y - r) * self.k, (x + r) * self.k,
                                (y + r) * self.k], fill=c)

    def arc(self, box: tuple[float, float, float, float], start: float, end: float, fill: RGB,
            width: float, alpha: int | None = None) -> None:
        x0, y0, x1, y1 = box
        if x1 - x0 < 0.5 or y1 - y0 < 0.5:
            return
        d, c = self._draw(fill, alpha)
        d.arc([x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k], start, end, fill=c,
              width=max(1, int(round(width * self.k))))


def supersample(img: Image.Image, k: int = SS) -> Image.Image:
    """The image `k` times larger, ready for a Pen.

    Nearest-neighbour on purpose: every pixel becomes a k x k block, so where nothing is
    drawn `reduce` gives back exactly the original pixel, and it is the cheapest resize.
    """
    return img.resize((img.width * k, img.height * k), Image.Resampling.NEAREST)


def reduce(img: Image.Image, k: int = SS) -> Image.Image:
    """Back to frame size by box-averaging k x k blocks (this is the anti-aliasing)."""
    return img.reduce(k) if k > 1 else img


def soften(img: Image.Image, radius: float) -> Image.Image:
    """A cheap strong blur (depth of field): blur at a quarter size, scale back up."""
    if radius <= 0:
        return img
    q = 4
    small = img.resize((max(1, img.width // q), max(1, img.height // q)), Image.Resampling.BOX)
    small = small.filter(ImageFilter.GaussianBlur(radius / q))
    return small.resize(img.size, Image.Resampling.BILINEAR)
