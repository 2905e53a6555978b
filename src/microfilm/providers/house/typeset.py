"""Type for the house painter's cards, covers and sheets: CJK-capable fonts, line breaking that
keeps Chinese punctuation off a line's start, balanced wraps, and a refusal (never tofu) when
the font cannot draw a character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from microfilm.errors import MediaError
from microfilm.media.fonts import find_font
from microfilm.providers.house.drawing import RGB


_CLOSING = set("，。！？、；：”’）》」』】…,.!?;:)]}%")
_OPENING = set("“‘（《「『【([{")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF) or (0xF900 <= o <= 0xFAFF) or (0xFF00 <= o <= 0xFFEF)


@cache
def _face_index(path: str, prefer: str = "SC") -> int:
    """In a .ttc collection, the face whose name ends with `prefer` (Simplified Chinese)."""
    if not path.lower().endswith(".ttc"):
        return 0
    for i in range(12):
        try:
            name = ImageFont.truetype(path, 12, index=i).getname()[0]
        except OSError:
            break
        if name.endswith(prefer):
            return i
    return 0


@cache
def _font_path(bold: bool) -> str:
    """The CJK font's file; a Latin font only where no CJK font is installed at all."""
    try:
        return str(Path(find_font(cjk=True, bold=bold).path))
    except MediaError:
        return str(Path(find_font(cjk=False, bold=bold).path))


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A CJK-capable font at `size` px (bold for titles when a bold face is installed)."""
    p = _font_path(bold)
    return ImageFont.truetype(p, max(6, int(size)), index=_face_index(p))


def missing_glyphs(text: str, fnt: ImageFont.FreeTypeFont) -> list[str]:
    """The characters of `text` that `fnt` would draw as a tofu box (its .notdef glyph).

    A missing character renders exactly like a private-use code point no font maps, so a
    character whose mask equals that one is missing. Spaces are never reported.
    """
    def mask_bytes(ch: str) -> tuple[tuple[int, int], bytes]:
        m = fnt.getmask(ch)
        return m.size, bytes(m)

    notdef = mask_bytes("\U0010fffd")
    out: list[str] = []
    for ch in dict.fromkeys(text):
        if ch.isspace():
            continue
        if mask_bytes(ch) == notdef:
            out.append(ch)
    return out


def require_glyphs(text: str, fnt: ImageFont.FreeTypeFont, what: str) -> None:
    """Refuse to set text the font cannot draw: a tofu title is worse than an error."""
    missing = missing_glyphs(text, fnt)
    if missing:
        raise MediaError(
            f"{what}: the font {Path(fnt.path).name} has no glyph for {''.join(missing[:12])!r}; "
            "install a CJK font (Debian: apt-get install fonts-noto-cjk) or set MICROFILM_FONT"
        )


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, Latin words with their trailing space."""
    out: list[str] = []
    for m in re.finditer(r"[^\s\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+|.", text):
        out.append(m.group(0))
    return out


def wrap(text: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Wrap one paragraph to `max_width` px: Latin by word, Chinese by character.

    A closing mark (，。！？) never starts a line and an opening one never ends it: the
    character before it moves down with it, as Chinese typesetting does.
    """
    lines: list[str] = []
    cur = ""
    for tok in _tokens(text):
        trial = cur + tok
        if fnt.getlength(trial.rstrip()) <= max_width or not cur.strip():
            if fnt.getlength(trial.rstrip()) > max_width and not cur.strip():
                # a single word wider than the line: break it by character
                for ch in tok:
                    if cur and fnt.getlength((cur + ch).rstrip()) > max_width:
                        lines.append(cur.rstrip())
                        cur = ""
                    cur += ch
                continue
            cur = trial
            continue
        if tok[0] in _CLOSING and len(cur.rstrip()) > 1:
            carry = cur.rstrip()[-1]
            lines.append(cur.rstrip()[:-1].rstrip())
            cur = carry + tok
        elif cur.rstrip() and cur.rstrip()[-1] in _OPENING and len(cur.rstrip()) > 1:
            carry = cur.rstrip()[-1]
            lines.append(cur.rstrip()[:-1].rstrip())
            cur = carry + tok.lstrip()
        else:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


@dataclass(frozen=True)
class TextBlock:
    """Lines set in one font, ready to draw centred; `width`/`height` are the block's px size."""

    lines: tuple[str, ...]
    size: int
    bold: bool
    line_height: int
    width: int

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return font(self.size, self.bold)


def balanced_wrap(text: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Wrap into as few lines as `wrap` needs, but with lines of even length.

    A title or logline whose last line is one orphaned character looks broken; the
    narrowest width that still gives the same number of lines evens them out.
    """
    lines = wrap(text, fnt, max_width)
    if len(lines) < 2:
        return lines
    lo, hi = max_width * 0.5, max_width
    best = lines
    for _ in range(10):
        mid = (lo + hi) / 2
        trial = wrap(text, fnt, mid)
        if len(trial) <= len(lines):
            best, hi = trial, mid
        else:
            lo = mid
    return best


def set_text(text: str, max_width: float, size: int, *, bold: bool = False,
             max_lines: int = 3, min_size: int = 10, leading: float = 1.3) -> TextBlock:
    """Wrap `text` (newlines kept) into at most `max_lines`, shrinking the size until it fits."""
    size = max(min_size, int(size))
    while True:
        fnt = font(size, bold)
        lines = [ln for para in text.split("\n") for ln in balanced_wrap(para.strip(), fnt, max_width)]
        widest = max((fnt.getlength(ln) for ln in lines), default=0.0)
        if (len(lines) <= max_lines and widest <= max_width) or size <= min_size:
            return TextBlock(tuple(lines), size, bold, int(round(size * leading)),
                             int(np.ceil(widest)))
        size = max(min_size, int(size * 0.9))


def _shadow_box(layer: Image.Image, blur: float) -> tuple[int, int, int, int] | None:
    """The part of a shadow layer its blur can reach: the drawn text's box, widened by more
    than the blur's reach (Pillow's Gaussian is three box passes, each reaching its radius
    plus one pixel), so blurring only this part gives the same pixels as blurring the whole
    frame; outside it the layer stays exactly zero. None when nothing was drawn."""
    box = layer.getbbox()
    if box is None:
        return None
    reach = 3 * (int(np.ceil(blur)) + 2) + 2 if blur else 0
    return (max(0, box[0] - reach), max(0, box[1] - reach),
            min(layer.width, box[2] + reach), min(layer.height, box[3] + reach))


def draw_block(img: Image.Image, block: TextBlock, cx: float, top: float, fill: RGB, *,
               shadow: RGB | None = None, shadow_blur: float = 0.0,
               stroke: int = 0, stroke_fill: RGB | None = None) -> None:
    """Draw a centred block with an optional soft shadow (legible over any picture)."""
    fnt = block.font
    if shadow is not None:
        layer = Image.new("L", img.size, 0)
        d = ImageDraw.Draw(layer)
        off = max(1, block.size // 18)
        for i, ln in enumerate(block.lines):
            d.text((cx + off, top + off + i * block.line_height + block.line_height / 2), ln,
                   font=fnt, fill=200, anchor="mm", stroke_width=max(stroke, block.size // 14))
        box = _shadow_box(layer, shadow_blur)
        if box is not None:
            layer = layer.crop(box)
            if shadow_blur:
                layer = layer.filter(ImageFilter.GaussianBlur(shadow_blur))
            img.paste(Image.new("RGB", layer.size, shadow), box[:2], layer)
    d = ImageDraw.Draw(img)
    for i, ln in enumerate(block.lines):
        d.text((cx, top + i * block.line_height + block.line_height / 2), ln, font=fnt,
               fill=fill, anchor="mm", stroke_width=stroke, stroke_fill=stroke_fill)
