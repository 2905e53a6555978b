"""Per-pixel passes over a painted frame (its lights, a blurred shoulder near the lens, the
vignette, the grain), run band by band.

Why bands: each pass is a few float operations per pixel. Run over a whole 1296 x 2304
frame, every operation streams (and first allocates) a 36 MB float array through memory, so
the passes cost more in memory traffic than in arithmetic. `develop` converts 64 rows at a
time to floats, runs every pass on them while they sit in the processor's cache, and rounds
them back to bytes. Each pixel goes through the same float32 operations in the same order as
on the whole frame (`apply`), so the bytes are the same either way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from PIL import Image

from microfilm.providers.house.drawing import RGB, glow

Pass = Callable[[np.ndarray, int, int], None]
"""Changes rows y0..y1 of the frame, given as a float32 array of those rows, in place."""

BAND_ROWS = 64  # even, so a band never splits the 2 x 2 pixels of one grain


def develop(frame: np.ndarray, passes: Sequence[Pass]) -> np.ndarray:
    """The uint8 frame (h x w x 3) through `passes`, rounded back to uint8, band by band."""
    h = frame.shape[0]
    out = np.empty_like(frame)
    for y0 in range(0, h, BAND_ROWS):
        y1 = min(h, y0 + BAND_ROWS)
        band = frame[y0:y1].astype(np.float32)
        for run in passes:
            run(band, y0, y1)
        band += 0.5
        np.clip(band, 0, 255, out=band)
        out[y0:y1] = band  # the same truncation as astype(np.uint8)
    return out


def apply(arr: np.ndarray, passes: Sequence[Pass]) -> None:
    """Run `passes` over a whole float frame, in place."""
    for run in passes:
        run(arr, 0, arr.shape[0])


def light_pass(h: int, w: int, lights: list[tuple[float, float, float, RGB, float, float]],
               power: float = 2.0) -> Pass | None:
    """Many soft lights at once: summed at a quarter of the size, screen-blended in one pass.

    Each light is (x, y, radius, colour, strength, squash). Lights are smooth, so their sum
    loses nothing at quarter size; one full-size screen blend replaces one per light. None
    when no light falls in the frame.
    """
    if not lights:
        return None
    q = 4
    sh, sw = max(1, (h + q - 1) // q), max(1, (w + q - 1) // q)
    acc = np.zeros((sh, sw, 3), dtype=np.float32)
    for x, y, radius, colour, strength, squash in lights:
        glow(acc, x / q, y / q, radius / q, colour, strength, power=power, squash=squash,
             additive=True)
    np.clip(acc, 0.0, 1.0, out=acc)
    light = Image.fromarray((acc * 255.0 + 0.5).astype(np.uint8), "RGB")
    light = light.resize((sw * q, sh * q), Image.Resampling.BILINEAR)
    if light.size != (w, h):
        light = light.crop((0, 0, w, h))
    box = light.getbbox()  # where any light fell: elsewhere the blend adds exactly nothing
    if box is None:
        return None
    bx0, by0, bx1, by1 = box
    lit_bytes = np.asarray(light.crop(box) if box != (0, 0, w, h) else light)

    def run(band: np.ndarray, y0: int, y1: int) -> None:
        a, b = max(y0, by0), min(y1, by1)
        if a >= b:
            return
        lit = lit_bytes[a - by0:b - by0].astype(np.float32)
        lit *= 1.0 / 255.0
        rows = band[a - y0:b - y0, bx0:bx1]
        lit *= 255.0 - rows
        rows += lit

    return run


@lru_cache(maxsize=4)
def vignette_gain(h: int, w: int, strength: float) -> np.ndarray:
    """The vignette's per-pixel gain (h x w x 1, read-only), kept per size and strength:
    every frame of a film has one size, and the power over every pixel is the dear part."""
    ys = np.linspace(-1.0, 1.0, h, dtype=np.float32)[:, None]
    xs = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
    r2 = xs * xs * 0.9 + ys * ys * 0.7
    gain = (1.0 - strength * np.clip(r2, 0.0, 1.6) ** 1.4 / 1.6 ** 1.4)[..., None]
    gain.flags.writeable = False
    return gain


def vignette_pass(h: int, w: int, strength: float) -> Pass:
    """Darken towards the corners; keeps the eye in the middle of a tall frame."""
    gain = vignette_gain(h, w, float(strength))

    def run(band: np.ndarray, y0: int, y1: int) -> None:
        band *= gain[y0:y1]

    return run


def grain_pass(h: int, w: int, rng: np.random.Generator, amount: float) -> Pass:
    """Monochrome film grain at a quarter of the resolution (cheap, and reads as grain)."""
    noise = rng.standard_normal(((h + 1) // 2, (w + 1) // 2)).astype(np.float32) * amount
    if h % 2 or w % 2:  # an odd side: the grains enlarged once and cut to the frame
        full = np.repeat(np.repeat(noise, 2, axis=0), 2, axis=1)[:h, :w, None]

        def run_odd(band: np.ndarray, y0: int, y1: int) -> None:
            band += full[y0:y1]

        return run_odd

    def run(band: np.ndarray, y0: int, y1: int) -> None:
        # each grain covers 2 x 2 pixels: added through a view instead of enlarged
        rows = y1 - y0
        blocks = np.ascontiguousarray(band).reshape(rows // 2, 2, w // 2, 2, band.shape[2])
        blocks += noise[y0 // 2:y1 // 2, None, :, None, None]
        if not np.shares_memory(blocks, band):
            band[...] = blocks.reshape(band.shape)

    return run


def shade_pass(h: int, y0: float, y1: float, colour: RGB, strength: float) -> Pass | None:
    """Blend a colour in over rows y0..y1, fading from 0 at y0 to `strength` at y1, and at
    `strength` past y1 (the dark scrim a title sits on). None when the rows are empty."""
    a, b = int(max(0, min(y0, y1))), int(min(h, max(y0, y1)))
    if b <= a:
        return None
    ramp = np.linspace(0.0, 1.0, b - a, dtype=np.float32)
    if y1 < y0:
        ramp = ramp[::-1]
    ramp = (ramp * ramp * (3 - 2 * ramp) * strength)[:, None, None]
    c = np.array(colour, dtype=np.float32)
    # the rows past the ramp, at full strength: below it when it fades downwards, else above
    full = (b, h) if y1 >= y0 else (0, a)

    def run(band: np.ndarray, r0: int, r1: int) -> None:
        lo, hi = max(r0, a), min(r1, b)
        if lo < hi:
            rows = band[lo - r0:hi - r0]
            rows += (c - rows) * ramp[lo - a:hi - a]
        lo, hi = max(r0, full[0]), min(r1, full[1])
        if lo < hi:
            rows = band[lo - r0:hi - r0]
            rows += (c - rows) * strength

    return run


def tint_pass(mask: np.ndarray, colour: RGB) -> Pass:
    """Blend `colour` in through `mask` (h x w, 0..1)."""
    c = np.array(colour, dtype=np.float32)

    def run(band: np.ndarray, y0: int, y1: int) -> None:
        band += (c - band) * mask[y0:y1, :, None]

    return run
