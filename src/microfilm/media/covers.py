"""Cover B for an A/B test: a frame of the film with its title set on it.

Cover A is the painted poster; B is the other bet a feed rewards, a still from the film
itself (the opening shot, already reframed to the variant's aspect) with the title in the
lower or upper part on a dark band, whichever hides less of the picture's detail (faces,
figures), so the two covers differ in kind, not only in crop.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from microfilm.fsutil import atomic_output
from microfilm.media.fonts import find_font

BAND_SHARE = 0.22  # height of the title band, as a share of the frame's short side
BAND_ALPHA = 170


def _detail(frame: Image.Image, top: int, bottom: int) -> float:
    grey = np.asarray(frame.convert("L").crop((0, top, frame.width, bottom)), dtype=np.float32)
    if grey.size == 0:
        return 0.0
    gy, gx = np.gradient(grey)
    return float(np.hypot(gx, gy).mean())


def titled_still(still: Path, out: Path, title: str, *, top_margin: int = 0,
                 bottom_margin: int = 0) -> Path:
    """`still` with `title` set in a dark band inside the margins (the feed's UI), above
    the bottom margin or below the top one, where it covers less detail."""
    with Image.open(still) as im:
        frame = im.convert("RGBA")
    w, h = frame.size
    band_h = max(40, int(min(w, h) * BAND_SHARE))  # by the short side: alike in every aspect
    low = h - max(0, min(bottom_margin, h // 2))
    high = max(0, min(top_margin, h // 2))
    spots = [(max(0, low - band_h), low), (high, min(h, high + band_h))]
    top, bottom = min(spots, key=lambda s: _detail(frame, *s))
    shade = Image.new("RGBA", frame.size, (0, 0, 0, 0))
    ImageDraw.Draw(shade).rectangle((0, top, w, bottom), fill=(0, 0, 0, BAND_ALPHA))
    frame = Image.alpha_composite(frame, shade)
    font_path = find_font(cjk=True, bold=True).path
    size = int(band_h * 0.45)
    draw = ImageDraw.Draw(frame)
    while True:  # the largest size at which the title fits the width with a margin
        font = ImageFont.truetype(str(font_path), size)
        box = draw.textbbox((0, 0), title, font=font)
        if box[2] - box[0] <= w * 0.88 or size <= 12:
            break
        size = int(size * 0.9)
    tw, th = box[2] - box[0], box[3] - box[1]
    draw.text(((w - tw) / 2 - box[0], top + (band_h - th) / 2 - box[1]), title, font=font,
              fill=(255, 255, 255, 255))
    with atomic_output(out) as tmp:
        frame.convert("RGB").save(tmp, format="PNG")
    return out
