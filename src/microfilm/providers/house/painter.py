"""The house painter: illustrated storyboard frames, covers, title cards and character sheets.

Why procedural: the animatic needs a picture for every shot, offline, free and fast, that
already tells the story (who, where, what hour) so a team can judge timing and coverage
before paying for generated images. The style is a warm flat illustration: layered sets in
the genre's palette, soft practical lights, simple figures with a stable look per
character (see figures.py), a touch of grain and vignette.

Every frame is a pure function of the request: the same request gives the same PNG, byte
for byte. The look of a character never depends on the seed; the seed and the prompt only
nudge the camera. Drawing is vector shapes on a 2x canvas (anti-aliased by reduction) and
numpy passes; nothing loops over pixels in Python.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from PIL import Image

from microfilm.errors import ProviderError
from microfilm.fsutil import atomic_write_bytes
from microfilm.providers.base import (
    Capabilities,
    HouseProvider,
    ImageResult,
    PaintRequest,
    ProviderInfo,
)
from microfilm.providers.house.drawing import (
    RGB,
    SS,
    Pen,
    luma,
    mix,
    reduce,
    rng_for,
    scale_rgb,
    soft_blob,
    soften,
    supersample,
)
from microfilm.providers.house.cards import paint_card, paint_reference
from microfilm.providers.house.figures import (
    POSES,
    Look,
    Placement,
    draw_figure,
    figure_box,
    look_of,
)
from microfilm.providers.house.finish import finish_image, genre_of, palette_for
from microfilm.providers.house.passes import Pass, develop, light_pass, shade_pass, tint_pass
from microfilm.providers.house.props import place_props, read_props
from microfilm.providers.house.scenery import (
    Camera,
    Mood,
    Set,
    Setting,
    camera_for,
    mood_for,
    read_framing,
    read_setting,
)
from microfilm.providers.house.typeset import draw_block, require_glyphs, set_text

MAX_SIDE = 8192
ADULT_HU = 6.9  # an adult's height in head units; figures.Look.head_units varies by age


def _people_scale(look: Look) -> float:
    """Head units of this character relative to the camera's adult head unit."""
    return ADULT_HU * look.height / look.head_units


def _detail(head_px: float) -> float:
    return float(np.clip((head_px - 12.0) / 40.0, 0.0, 1.0))


def _over_the_shoulder(look: Look, cam: Camera, side: int) -> Pass:
    """The other character near the lens at the frame edge: a dark, out-of-focus shoulder.

    Drawn as a blurred mask in their coat colour, so it reads as a person in front of the
    camera without competing with the face in focus.
    """
    H, W = cam.height, cam.width
    u = cam.unit * _people_scale(look) * 1.2
    cx = W / 2 + side * (W / 2 + 0.1 * u)
    head_y = H * 0.5
    shoulder_y = head_y + 0.95 * u
    boxes = [(cx - 0.5 * u, head_y - 0.6 * u, cx + 0.5 * u, head_y + 0.6 * u),
             (cx - 0.95 * u, shoulder_y - 0.3 * u, cx + 0.95 * u, H + 2.0 * u)]
    mask = soft_blob((W, H), boxes, blur=0.12 * u)
    return tint_pass(mask * 0.94, mix(scale_rgb(look.top, 0.4), (18, 16, 22), 0.4))


# ---- scene frames (keyframes and cover key art) ---------------------------------------


@dataclass(frozen=True)
class Staging:
    """Who stands where for one camera: decided before anything is drawn."""

    setting: Setting
    mood: Mood
    palette: tuple[RGB, ...]
    cam: Camera
    framing: str  # extreme-wide | wide | medium | close | extreme-close
    figures: tuple[tuple[Look, Placement], ...]
    over_shoulder: Look | None  # the second character near the lens in a close shot
    ots_side: int


@dataclass(frozen=True)
class FigureSpot:
    """Where a character was drawn, in frame pixels (for tests and layout checks)."""

    id: str
    box: tuple[float, float, float, float]  # the whole figure (may extend past the frame)
    torso: tuple[float, float, float, float]  # the coat/top between shoulders and waist
    head: tuple[float, float, float, float]


def stage(request: PaintRequest, *, framing: str | None = None, cover: bool = False) -> Staging:
    """Read the words, pick the camera and place the characters (pure, no drawing)."""
    W, H = request.width, request.height
    framing = request.framing if framing is None else framing
    genre = genre_of(request)
    pal = palette_for(request)
    setting = read_setting(request.location, request.motifs, request.prompt,
                           request.time_of_day, genre)
    mood = mood_for(setting.time, pal, genre, setting.interior)
    looks = [look_of(c, genre) for c in request.characters]
    cam_rng = rng_for("camera", request.kind, request.seed, request.prompt, request.framing)
    fkind = read_framing(framing)
    ots = fkind in ("close", "extreme-close") and len(looks) >= 2 and not cover
    in_frame = looks[:1] if ots else looks[:4]
    tallest = max((ADULT_HU * lk.height for lk in in_frame), default=ADULT_HU)
    low = "low" in request.framing.casefold() or "仰" in request.framing
    spacing = 2.25 if cover else {"extreme-wide": 3.4, "wide": 3.2, "medium": 2.7}.get(fkind, 2.6)
    cam = camera_for(W, H, framing, len(in_frame), tallest, cam_rng, low_angle=low,
                     spacing=spacing)
    if cover:
        # key art: the characters large, side by side, heads in the upper third
        n = max(1, len(in_frame))
        unit = min(0.15 * H, W / (2.25 * n + 0.6))
        top = 0.13 if H >= W else 0.08
        cam = Camera(width=W, height=H, d=H / unit, eye=cam.eye, feet=H * top + tallest * unit,
                     x=0.0, low=cam.low)
    # where the characters stand (world x in head units), facing each other
    n = len(in_frame)
    xs = [(i - (n - 1) / 2) * spacing for i in range(n)]
    if n == 1 and not cover and fkind in ("wide", "extreme-wide", "medium"):
        # a single keeps the side of the frame the shot gives them (screen direction)
        side = _side(request.prompt, request.characters[0].name if request.characters else "")
        xs = [{"left": -0.45, "right": 0.45}.get(side, 0.0) * spacing]
    light_side = 1.0 if float(rng_for("light", setting.place_key).random()) < 0.5 else -1.0
    placed = []
    for lk, x in zip(in_frame, xs):
        u = cam.unit * _people_scale(lk)
        if n >= 2:
            facing = (0.35 if cover else 0.7) * (1 if x < 0 else -1)
        else:
            facing = float(cam_rng.uniform(-0.35, 0.35))
        pose_rng = rng_for("pose", request.kind, request.prompt, request.seed, lk.id)
        pose = "stand" if cover else POSES[int(pose_rng.integers(len(POSES)))]
        placed.append((lk, Placement(x=cam.sx(x, cam.d), ground=cam.feet, unit=u, facing=facing,
                                     detail=_detail(u), light=light_side, pose=pose)))
    side = -1 if float(cam_rng.random()) < 0.5 else 1
    return Staging(setting=setting, mood=mood, palette=pal, cam=cam, framing=fkind,
                   figures=tuple(placed), over_shoulder=looks[1] if ots else None, ots_side=side)


def _side(prompt: str, name: str) -> str:
    """'left' / 'right' when the prompt puts `name` on that side of the frame, else ''."""
    if not name:
        return ""
    m = re.search(re.escape(name) + r"[^.]*?\bon the (left|right)\b", prompt, re.IGNORECASE)
    if m:
        return m.group(1).lower()
    m = re.search(re.escape(name) + r"[^.。]*?在画面(左|右)侧", prompt)  # a Chinese board's words
    return {"左": "left", "右": "right"}[m.group(1)] if m else ""


def figure_spots(request: PaintRequest) -> tuple[FigureSpot, ...]:
    """Where each character in frame is drawn for this request (keyframes and covers)."""
    st = stage(request, framing="medium" if request.kind == "cover" and request.characters else
               ("wide" if request.kind == "cover" else None), cover=request.kind == "cover")
    spots = []
    for lk, p in st.figures:
        hu = lk.head_units
        u = p.unit
        shoulder = p.ground - (hu - 1.3) * u
        waist = p.ground - (hu * 0.49 + (hu - 1.22 - hu * 0.49) * 0.3) * u
        half = 0.55 * lk.width * u
        head_c = p.ground - (hu - 0.52) * u
        spots.append(FigureSpot(
            id=lk.id, box=figure_box(lk, p),
            torso=(p.x - half, shoulder + 0.25 * u, p.x + half, waist),
            head=(p.x - 0.45 * u, head_c - 0.55 * u, p.x + 0.45 * u, head_c + 0.55 * u),
        ))
    return tuple(spots)


def _scene(request: PaintRequest, *, framing: str, cover: bool = False) -> tuple[Image.Image, Set]:
    """Paint the set and the characters for one camera; returns the frame and its set."""
    H = request.height
    st = stage(request, framing=framing, cover=cover)
    cam = st.cam
    the_set = Set(setting=st.setting, cam=cam, palette=st.palette, mood=st.mood)

    big = the_set.base_canvas(SS)
    pen = Pen(big)
    the_set.draw_back(pen)

    blur = {"medium": 0.0012, "close": 0.0045, "extreme-close": 0.007}.get(st.framing, 0.0) * H
    if blur > 0.5:
        small = soften(reduce(big), blur)
        big = supersample(small)
        pen = Pen(big)

    for lk, p in st.figures:
        u = p.unit
        sh = (20, 16, 24)  # contact shadow, two soft layers
        pen.ellipse((p.x - 1.3 * u, p.ground - 0.25 * u, p.x + 1.3 * u, p.ground + 0.25 * u), sh, 40)
        pen.ellipse((p.x - 0.9 * u, p.ground - 0.14 * u, p.x + 0.9 * u, p.ground + 0.14 * u), sh, 60)
        draw_figure(pen, lk, p)
    if not cover:  # the props the shot names, at hand or, with nobody there, as an insert
        worn = tuple(w for c in request.characters for w in (c.look, c.wardrobe))
        place_props(pen, read_props(request.prompt, worn), request.width, H,
                    [(p.x, p.ground, p.unit) for _, p in st.figures], st.palette[3])
    the_set.draw_front(pen, rng_for("weather", request.seed, request.prompt))
    img = reduce(big)
    passes = [] if st.over_shoulder is None else [
        _over_the_shoulder(st.over_shoulder, cam, st.ots_side)]
    lights = light_pass(H, request.width, [(g.x, g.y, g.radius, g.colour, g.strength, g.squash)
                                           for g in the_set.glows])
    passes += [lights] if lights is not None else []
    if cover:  # the poster finishes it with its title band (paint_cover)
        return Image.fromarray(develop(np.asarray(img), passes), "RGB"), the_set
    m = the_set.mood
    return finish_image(img, the_set.setting.time, m.tint, m.tint_amount,
                        (request.kind, request.seed, request.prompt), before=passes), the_set


def paint_keyframe(request: PaintRequest) -> Image.Image:
    img, _ = _scene(request, framing=request.framing)
    return img


# ---- cover ---------------------------------------------------------------------------


def paint_cover(request: PaintRequest) -> Image.Image:
    """A poster: key art above, the title large in the middle band, the logline below it.

    The title sits between 52% and 70% of the height so a 9:16 phone UI (top 12%, bottom
    20%) never covers it and 3:4 or 1:1 centre crops still hold it.
    """
    W, H = request.width, request.height
    framing = "medium" if request.characters else "wide"
    portrait = H >= W
    img, the_set = _scene(request, framing=framing, cover=True)
    pal = the_set.palette
    dark, mid, warm, accent, light = pal
    ink_bg = scale_rgb(mix(dark, (10, 10, 16), 0.4), 0.9)
    scrim = shade_pass(H, H * 0.38, H * 0.6, ink_bg, 0.78)
    m = the_set.mood
    img = finish_image(img, the_set.setting.time, m.tint, m.tint_amount * 0.6,
                       ("cover", request.seed, request.title), vignette_k=0.28,
                       before=[scrim] if scrim is not None else [])

    title = request.title.strip() or request.prompt.strip()[:24] or "untitled"
    sub = request.subtitle.strip()
    text_w = W * (0.84 if portrait else 0.62)
    base = min(W, H)
    tsize = int(base * (0.13 if len(title) <= 6 else 0.1))
    tb = set_text(title, text_w, tsize, bold=True, max_lines=2, min_size=int(tsize * 0.45))
    sb = set_text(sub, W * (0.78 if portrait else 0.55), int(base * 0.036),
                  max_lines=3, min_size=max(10, int(base * 0.02))) if sub else None
    require_glyphs(title + (sub or ""), tb.font, "cover title")
    title_col = mix(light, (255, 255, 255), 0.5)
    gap = tb.size * 0.45
    total = tb.height + (gap + (sb.height if sb else 0))
    top = H * 0.61 - total / 2
    top = max(H * 0.45, min(top, H * 0.74 - total))
    draw_block(img, tb, W / 2, top, title_col, shadow=(0, 0, 0), shadow_blur=tb.size / 10)
    y = top + tb.height
    accent_c = mix(warm, accent, 0.4)
    if luma(accent_c) < 0.35:
        accent_c = mix(accent_c, (255, 255, 255), 0.4)
    from PIL import ImageDraw

    d = ImageDraw.Draw(img)
    line_w = min(tb.width, W * 0.3) * 0.35
    ly = y + gap * 0.45
    d.line([(W / 2 - line_w, ly), (W / 2 + line_w, ly)], fill=accent_c, width=max(2, H // 640))
    if sb:
        draw_block(img, sb, W / 2, y + gap, mix(light, (235, 235, 235), 0.3), shadow=(0, 0, 0),
                   shadow_blur=sb.size / 6)
    return img


# ---- cards ---------------------------------------------------------------------------


# ---- the provider ------------------------------------------------------------------------


def render(request: PaintRequest) -> Image.Image:
    """The picture a request asks for (not yet saved)."""
    if request.width < 16 or request.height < 16 or max(request.width, request.height) > MAX_SIDE:
        raise ProviderError(
            f"house-painter: {request.width}x{request.height} is outside 16..{MAX_SIDE} px "
            "(PaintRequest.width/height)"
        )
    painters = {"keyframe": paint_keyframe, "cover": paint_cover, "card": paint_card,
                "reference": paint_reference}
    img = painters[request.kind](request)
    if img.size != (request.width, request.height):  # never: every painter draws at size
        img = img.resize((request.width, request.height), Image.Resampling.LANCZOS)
    return img


def encode_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


class HousePainter(HouseProvider):
    """Procedural illustrated frames (embedded): no key, no network, deterministic."""

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-painter",
        capability="painter",
        model="flat-illustration",
        version="3",  # 3: rain indoors only through the window; 2: wards, halls and shops as themselves...
        title="Illustrated storyboard frames (embedded)",
        capabilities=Capabilities(references=False),
    )

    def paint(self, request: PaintRequest) -> ImageResult:
        img = render(request)
        out = Path(request.out)
        atomic_write_bytes(out, encode_png(img))
        return ImageResult(path=out, width=img.width, height=img.height)
