"""Typesetting pictures: title and credits cards, and a character's reference sheet.

Kept apart from the keyframe painter because they are layout, not staging: a calm ground and
readable centred type in any script (a missing glyph is refused, never drawn as tofu), or one
figure with its name, its words and its colours.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from microfilm.errors import ProviderError
from microfilm.providers.base import CharacterLook, PaintRequest
from microfilm.providers.house.drawing import (
    RGB, Pen, glow, luma, mix, reduce, rng_for, soften, supersample, to_image,
    vertical_gradient,
)
from microfilm.providers.house.figures import Placement, draw_figure, look_of
from microfilm.providers.house.finish import finish_image, genre_of, palette_for
from microfilm.providers.house.typeset import TextBlock, draw_block, require_glyphs, set_text


def paint_card(request: PaintRequest) -> Image.Image:
    """A title or credits card: calm genre-coloured ground, readable centred type."""
    W, H = request.width, request.height
    pal = palette_for(request)
    dark, mid, warm, accent, light = pal
    rng = rng_for("card", request.seed, request.title, request.prompt)
    bg_top = mix(dark, (8, 8, 14), 0.3)
    bg_mid = mix(dark, mid, 0.28)
    if luma(bg_mid) > 0.35:
        bg_mid = mix(bg_mid, dark, 0.5)
    arr = vertical_gradient(W, H, [(0.0, bg_top), (0.55, bg_mid), (1.0, bg_top)])
    s = min(W, H)
    glow(arr, W * 0.5, H * 0.46, s * 0.9, mix(warm, (255, 220, 180), 0.3), 0.22, power=2.2)
    # a few soft out-of-focus lights drifting in the dark: calm, not empty
    big = supersample(to_image(arr))
    pen = Pen(big)
    for _ in range(14):
        x, y = float(rng.uniform(0, W)), float(rng.uniform(0, H))
        r = float(rng.uniform(0.02, 0.07)) * s
        if abs(y - H * 0.5) < H * 0.16:
            continue
        pen.circle(x, y, r, mix(warm, accent, float(rng.random())), int(rng.integers(10, 30)))
    genre = genre_of(request)
    img = finish_image(soften(reduce(big), s * 0.006), "day", (255, 255, 255), 0.0,
                       ("card", request.seed, request.title), vignette_k=0.35, grain_k=1.6)

    credits = "credit" in request.prompt.casefold() or "演职员" in request.prompt or (
        request.subtitle.count("\n") >= 2)
    title = request.title.strip()
    lines = [ln.strip() for ln in request.subtitle.split("\n") if ln.strip()]
    title_col = mix(light, (255, 255, 255), 0.55)
    body_col = mix(light, (200, 200, 200), 0.35)
    accent_c = mix(warm, accent, 0.3)
    if luma(accent_c) < 0.35:
        accent_c = mix(accent_c, (255, 255, 255), 0.4)
    d = ImageDraw.Draw(img)
    blocks: list[tuple[TextBlock, RGB, float]] = []
    if credits:
        if title:
            blocks.append((set_text(title, W * 0.8, int(s * 0.07), bold=True, max_lines=2,
                                    min_size=int(s * 0.03)), title_col, s * 0.06))
        if lines:
            size = int(s * 0.045)
            max_lines = max(len(lines), 1) + 2
            body = set_text("\n".join(lines), W * 0.8, size, max_lines=max_lines,
                            min_size=int(s * 0.02), leading=1.75)
            blocks.append((body, body_col, 0.0))
    else:
        if title:
            blocks.append((set_text(title, W * 0.82, int(s * (0.12 if len(title) <= 6 else 0.09)),
                                    bold=True, max_lines=3, min_size=int(s * 0.035)), title_col,
                           s * 0.07))
        if lines:
            blocks.append((set_text("\n".join(lines), W * 0.76, int(s * 0.04), max_lines=5,
                                    min_size=int(s * 0.02), leading=1.5), body_col, 0.0))
    everything = title + "".join(lines)
    if blocks:
        require_glyphs(everything, blocks[0][0].font, "card text")
    total = sum(b.height + gap for b, _, gap in blocks)
    top = H * 0.5 - total / 2
    for i, (block, col, gap) in enumerate(blocks):
        draw_block(img, block, W / 2, top, col, shadow=(0, 0, 0), shadow_blur=block.size / 8)
        top += block.height
        if i == 0 and len(blocks) > 1:
            lw = min(block.width * 0.5, W * 0.18)
            d.line([(W / 2 - lw, top + gap * 0.5), (W / 2 + lw, top + gap * 0.5)], fill=accent_c,
                   width=max(2, s // 400))
        top += gap
    if genre == "ancient-style" and not credits:
        # a small vermilion seal under the title: the genre's signature
        r = s * 0.035
        cx, cy = W / 2, top + r * 1.6
        d.rounded_rectangle([cx - r, cy - r, cx + r, cy + r], radius=r * 0.15,
                            fill=(178, 40, 36))
    return img


# ---- reference sheet -------------------------------------------------------------------


def paint_reference(request: PaintRequest) -> Image.Image:
    """A character sheet: the full figure on a neutral ground, the name and the words."""
    W, H = request.width, request.height
    if not request.characters:
        raise ProviderError("house-painter: a reference sheet needs one character in "
                            "PaintRequest.characters")
    c: CharacterLook = request.characters[0]
    look = look_of(c, genre_of(request))
    arr = vertical_gradient(W, H, [(0.0, (236, 234, 230)), (1.0, (214, 212, 208))])
    img = to_image(arr)
    big = supersample(img)
    pen = Pen(big)
    fig_h = H * 0.62
    ground = H * 0.82
    unit = fig_h / look.head_units * (look.height if look.age == "child" else 1.0)
    unit = min(unit, W / 3.4)
    pen.ellipse((W / 2 - 1.4 * unit, ground - 0.22 * unit, W / 2 + 1.4 * unit, ground + 0.22 * unit),
                (150, 146, 140), 120)
    draw_figure(pen, look, Placement(x=W / 2, ground=ground, unit=unit, facing=0.15, detail=1.0,
                                     light=1.0))
    # colour swatches: top, bottom, hair, skin, scarf
    sw = [look.top, look.bottom, look.hair, look.skin] + ([look.scarf] if look.scarf else [])
    r = min(W, H) * 0.025
    for i, col in enumerate(sw):
        cx = W * 0.08 + r
        cy = H * 0.2 + i * r * 2.8
        pen.circle(cx, cy, r * 1.1, (90, 90, 90))
        pen.circle(cx, cy, r, col)
    img = reduce(big)
    s = min(W, H)
    name = set_text(c.name or c.id, W * 0.8, int(s * 0.08), bold=True, max_lines=1,
                    min_size=int(s * 0.03))
    require_glyphs(c.name + c.look + c.wardrobe, name.font, "reference sheet")
    draw_block(img, name, W / 2, H * 0.035, (40, 36, 40))
    words = "; ".join(w for w in (c.look, c.wardrobe) if w)
    if words:
        desc = set_text(words, W * 0.86, int(s * 0.03), max_lines=3, min_size=int(s * 0.016))
        draw_block(img, desc, W / 2, H * 0.86, (70, 66, 70))
    return img
