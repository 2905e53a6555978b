"""Reframing a picture made for one aspect into another (9:16 to 1:1 or 16:9, and back).

A campaign shows one film on feeds of different shapes without painting it again, so each
clip is reframed by a rule rather than regenerated:

- crop, when the target keeps at least half of the source (9:16 <-> 1:1, 1:1 <-> 16:9): the
  window slides to where the keyframe has the most detail (edges: faces, figures, props),
  pulled a little toward the centre, and stays there for the whole shot;
- pad, when a crop would lose more than half (9:16 <-> 16:9): the whole picture, fitted,
  over a blurred and darkened fill of itself, so nothing of the frame is lost;
- cards (title, credits) always pad: their words must stay whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageFilter

from microfilm.fsutil import atomic_output
from microfilm.media.ffmpeg import X264_THREADS, run

FORMAT = "3"  # bump when a reframe's pixels change, so old reframes are not reused
MIN_KEPT = 0.5  # crop only when the window keeps at least this share of the source's area
CENTRE_PULL = 0.25  # how much the detail score favours the centre (0: none)
FILL_BLUR = 40  # blur radius of the pad's fill, in pixels at the target size
FILL_DIM = 0.55  # brightness of the pad's fill
INTERMEDIATE_CRF = "16"  # below the master's 20: the segment encode is the one that loses
FILL_SHRINK = 8  # the fill is blurred at 1/8 of the size: the same softness, 1/64 of the work


@dataclass(frozen=True)
class Reframe:
    """How one picture becomes `size`: a crop window at `focus` along the axis that is cut
    (0: left or top, 0.5: centred, 1: right or bottom), or the whole picture padded."""

    size: tuple[int, int]
    mode: Literal["crop", "pad"]
    focus: float = 0.5


def kept_share(source: tuple[int, int], target: tuple[int, int]) -> float:
    """The share of the source's area a crop to the target's aspect keeps."""
    a, b = source[0] / source[1], target[0] / target[1]
    return min(a, b) / max(a, b)


def choose(source: tuple[int, int], target: tuple[int, int], *, card: bool = False,
           keyframe: Path | None = None) -> Reframe:
    """The rule: pad a card or a crop that would lose more than half, else crop at the
    keyframe's detail."""
    if card or kept_share(source, target) < MIN_KEPT:
        return Reframe(target, "pad")
    focus = detail_focus(keyframe, target) if keyframe is not None else 0.5
    return Reframe(target, "crop", focus)


def detail_focus(image: Path, target: tuple[int, int]) -> float:
    """Where along the cut axis a window of the target's aspect holds the most detail, as a
    fraction of the room the window can slide (0.5 when the picture is flat)."""
    with Image.open(image) as im:
        grey = np.asarray(im.convert("L").reduce(4), dtype=np.float32)
    h, w = grey.shape
    tall_cut = (w / h) > (target[0] / target[1])  # source wider than target: slide left-right
    gy, gx = np.gradient(grey)
    energy = np.hypot(gx, gy)
    profile = energy.sum(axis=0) if tall_cut else energy.sum(axis=1)
    length = len(profile)
    window = (round(h * target[0] / target[1]) if tall_cut else round(w * target[1] / target[0]))
    window = max(1, min(length, window))
    room = length - window
    if room <= 0 or profile.sum() <= 0:
        return 0.5
    sums = np.convolve(profile, np.ones(window, dtype=np.float32), mode="valid")  # room + 1
    offsets = np.arange(room + 1) / room
    score = sums / sums.max() - CENTRE_PULL * np.abs(offsets - 0.5) * 2
    return round(float(offsets[int(np.argmax(score))]), 3)


def _fill_size(size: tuple[int, int]) -> tuple[int, int]:
    return (max(2, round(size[0] / FILL_SHRINK / 2) * 2), max(2, round(size[1] / FILL_SHRINK / 2) * 2))


def _cover(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`im` scaled to cover `size` and centre-cropped to it."""
    scale = max(size[0] / im.width, size[1] / im.height)
    w, h = max(size[0], round(im.width * scale)), max(size[1], round(im.height * scale))
    big = im.resize((w, h), Image.Resampling.BILINEAR)
    left, top = (w - size[0]) // 2, (h - size[1]) // 2
    return big.crop((left, top, left + size[0], top + size[1]))


def _crop_box(src: tuple[int, int], r: Reframe) -> tuple[int, int, int, int]:
    w, h = src
    tw, th = r.size
    if w / h > tw / th:  # cut the sides
        cw, ch = round(h * tw / th), h
    else:
        cw, ch = w, round(w * th / tw)
    left, top = round((w - cw) * r.focus) if cw < w else 0, round((h - ch) * r.focus) if ch < h else 0
    return left, top, cw, ch


def image(source: Path, out: Path, r: Reframe) -> Path:
    """Reframe a still (a keyframe, a cover) to `r.size`, saved as PNG."""
    with Image.open(source) as im:
        im = im.convert("RGB")
        if r.mode == "crop":
            left, top, cw, ch = _crop_box(im.size, r)
            frame = im.crop((left, top, left + cw, top + ch)).resize(r.size, Image.Resampling.LANCZOS)
        else:
            tw, th = r.size
            small = _fill_size(r.size)
            fill = _cover(im, small).filter(ImageFilter.GaussianBlur(FILL_BLUR / FILL_SHRINK))
            fill = Image.eval(fill, lambda v: int(v * FILL_DIM)).resize(r.size, Image.Resampling.BILINEAR)
            scale = min(tw / im.width, th / im.height)
            fitted = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS)
            fill.paste(fitted, ((tw - fitted.width) // 2, (th - fitted.height) // 2))
            frame = fill
        with atomic_output(out) as tmp:
            frame.save(tmp, format="PNG")
    return out


def clip_filter(source: tuple[int, int], r: Reframe) -> str:
    """The ffmpeg filter graph (input [0:v], output [v]) that reframes a clip."""
    tw, th = r.size
    if r.mode == "crop":
        left, top, cw, ch = _crop_box(source, r)
        return (f"[0:v]crop={cw}:{ch}:{left}:{top},scale={tw}:{th}:flags=lanczos,setsar=1,"
                "format=yuv420p[v]")
    sw, sh = _fill_size(r.size)
    return (f"[0:v]split=2[a][b];"  # the fill is blurred small, then scaled up: cheap and soft
            f"[a]scale={sw}:{sh}:force_original_aspect_ratio=increase:flags=bilinear,"
            f"crop={sw}:{sh},gblur=sigma={FILL_BLUR / FILL_SHRINK / 2:.2f},"
            f"colorchannelmixer=rr={FILL_DIM}:gg={FILL_DIM}:bb={FILL_DIM},"
            f"scale={tw}:{th}:flags=bilinear[fill];"
            f"[b]scale={tw}:{th}:force_original_aspect_ratio=decrease:flags=lanczos:"
            f"force_divisible_by=2[fit];"
            f"[fill][fit]overlay=(W-w)/2:(H-h)/2,setsar=1,format=yuv420p[v]")


def clip(source: Path, source_size: tuple[int, int], out: Path, r: Reframe, *, fps: int) -> Path:
    """Reframe a clip to `r.size`; its sound, if any, is copied untouched. The result is an
    intermediate like the house animator's clips (the segment encode makes the master's
    pictures from it), so it is encoded fast and nearly lossless rather than small."""
    with atomic_output(out) as tmp:
        run(["-i", str(source), "-filter_complex", clip_filter(source_size, r), "-map", "[v]",
             "-map", "0:a?", "-c:a", "copy", "-c:v", "libx264", "-preset", "ultrafast",
             "-crf", INTERMEDIATE_CRF, "-pix_fmt", "yuv420p", "-r", str(fps), "-map_metadata", "-1",
             "-threads", str(X264_THREADS),  # the same bytes on any machine (ffmpeg.X264_THREADS)
             "-f", "mp4", str(tmp)], what=f"reframe {Path(source).name} to {r.size[0]}x{r.size[1]}")
    return out
