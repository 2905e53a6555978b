"""A house shot as a recipe: its keyframe and a camera move, rendered where it is encoded.

Why: the house animator used to write an H.264 clip that the segment encode then decoded and
encoded again with the subtitles and the label, so every offline shot paid two encodes (and
two generations of loss). A recipe is a few hundred bytes of JSON naming the keyframe (by
path and content hash) and the move as numbers; media/segments renders it straight into the
shot's segment in one ffmpeg run, and `render` makes a plain MP4 for anyone who needs real
frames (a lip-sync provider, a person looking at one shot).

Why not `crop`/`zoompan`: both place the view on whole pixels, so a slow move steps a pixel
every few frames (visible judder, and a zoom that "breathes"). Why not ffmpeg's `perspective`
(which this module used before): it places the view to the sub-pixel, but recomputes a
per-pixel double-precision map every frame and resamples without SIMD, costing about as
much CPU as x264 itself on the same frames. Here, once per shot, the keyframe's largest
output-shaped rectangle is scaled to the output size (Lanczos, as before: every move then
magnifies, so nothing aliases), converted to BT.709 Y, U, V planes and upsampled 4x (bilinear);
each frame is then one affine lookup per output pixel (Pillow's nearest-neighbour transform:
fixed-point, no filter), which places the view to 1/4 of a pixel and rolls it for a handheld
move. Each frame is drawn straight into its raw yuv420p buffer (no image, no copy), which
goes to the segment's ffmpeg on its stdin (ffmpeg.run's `feed`, which splices it into the
pipe): still one encode per shot, and no frame is written to disk.
bench/motion.py measures the renderer's CPU and smoothness against `perspective`.
"""

from __future__ import annotations

import math
import os
import threading
import weakref
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterator, Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, ValidationError

from microfilm.errors import MediaError
from microfilm.fsutil import atomic_output, sha256_file
from microfilm.media.ffmpeg import run, video_encode_args

SUFFIX = ".move.json"  # how a recipe's file name ends: the store keeps it beside real clips
KIND = "microfilm.camera-move"
EASE = 0.25  # 0 is constant speed; 0.25 slows the ends a little without ever stopping
SUPERSAMPLE = 4  # frames place the view to 1/4 of a keyframe pixel (see the module docstring)


class Move(BaseModel):
    """A camera move as the view at the start and at the end.

    `scale` is the view's size as a share of the largest output-shaped rectangle inside the
    keyframe (1.0 shows all of it); `cx`, `cy` are the view's centre as shares of that
    rectangle. `sway` (share of the width) and `roll` (degrees) make a handheld wobble.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    scale0: float
    scale1: float
    cx0: float = 0.5
    cy0: float = 0.5
    cx1: float = 0.5
    cy1: float = 0.5
    sway: float = 0.0
    roll: float = 0.0
    # the handheld drift with `sway`: per sine, (amplitude, x, y and roll frequencies in Hz,
    # x, y and roll phases); seeded by the animator, kept here as plain numbers
    wobble: tuple[tuple[float, float, float, float, float, float, float], ...] = ()


class Recipe(BaseModel):
    """What one house shot shows, frame by frame: enough to render it anywhere the keyframe
    is. `image` is relative to the recipe's own folder, so a project (or a shared store)
    can move without breaking it; `image_sha256` says it is still the same picture."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["microfilm.camera-move"] = KIND
    format: Literal[1] = 1
    image: str
    image_sha256: str
    image_size: tuple[int, int]
    width: int
    height: int
    fps: int
    frames: int
    move: Move


def is_recipe(path: Path | str) -> bool:
    return str(path).endswith(SUFFIX)


def write(recipe_out: Path, image: Path, *, image_sha256: str, image_size: tuple[int, int],
          width: int, height: int, fps: int, frames: int, move: Move) -> Recipe:
    """Write the recipe for `image` to `recipe_out` (atomically); returns it."""
    recipe_out = Path(recipe_out)
    rel = os.path.relpath(Path(image).resolve(), recipe_out.resolve().parent)
    recipe = Recipe(image=Path(rel).as_posix(), image_sha256=image_sha256,
                    image_size=image_size, width=width, height=height, fps=fps,
                    frames=frames, move=move)
    with atomic_output(recipe_out) as tmp:
        tmp.write_text(recipe.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return recipe


def load(path: Path) -> tuple[Recipe, Path]:
    """The recipe at `path` and its keyframe's absolute path, checked: the picture must be
    there and be the one the recipe was written for."""
    path = Path(path)
    try:
        recipe = Recipe.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise MediaError(f"{path}: the shot's camera-move recipe does not exist") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        raise MediaError(f"{path}: not a camera-move recipe ({where}: {first['msg']}); "
                         "delete it to have the house animator write it again") from None
    image = (path.resolve().parent / recipe.image).resolve()
    if not image.is_file():
        raise MediaError(f"{path}: its keyframe {image} does not exist (field `image`); "
                         "run `microfilm make` again to repaint it")
    if sha256_file(image) != recipe.image_sha256:
        raise MediaError(f"{path}: its keyframe {image} changed since the recipe was written "
                         "(field `image_sha256`); run `microfilm make` again")
    return recipe, image


def _base_crop(src_w: int, src_h: int, width: int, height: int) -> tuple[int, int, int, int]:
    """The largest output-shaped rectangle centred in the keyframe: (w, h, x, y)."""
    if src_w * height > src_h * width:
        h = src_h
        w = min(src_w, round(src_h * width / height))
    else:
        w = src_w
        h = min(src_h, round(src_w * height / width))
    return w, h, (src_w - w) // 2, (src_h - h) // 2


def _ease(move: Move, n: int, frames: int) -> float:
    """How far along its move frame n is, 0..1: eased at both ends (a whip: hold, a quick
    smooth swing in the middle third, hold)."""
    p = min(max(n / max(frames - 1, 1), 0.0), 1.0)
    if move.name == "whip-pan":
        q = min(max((p - 0.33) / 0.34, 0.0), 1.0)
        return 0.5 - 0.5 * math.cos(math.pi * q)
    return p - EASE * math.sin(2 * math.pi * p) / (2 * math.pi)


@dataclass(frozen=True)
class View:
    """Frame n's view: `scale` and centre (`cx`, `cy`) as shares of the keyframe's
    output-shaped rectangle, `roll` in radians."""

    scale: float
    cx: float
    cy: float
    roll: float = 0.0


def view_at(move: Move, n: int, frames: int, fps: int, width: int, height: int) -> View:
    """Where the camera looks in frame n (0-based) of a `frames`-long shot."""
    e = _ease(move, n, frames)
    ratio = move.scale1 / move.scale0
    s = move.scale0 * ratio ** e if abs(ratio - 1) > 1e-9 else move.scale0
    cx = move.cx0 + (move.cx1 - move.cx0) * e
    cy = move.cy0 + (move.cy1 - move.cy0) * e
    roll = 0.0
    if move.sway > 0 and move.wobble:
        # a handheld drift: slow sines per axis, at the move's seeded frequencies and phases
        t, norm = n / fps, 1 / 1.72
        cx += move.sway * norm * sum(a * math.sin(2 * math.pi * fx * t + px)
                                     for a, fx, _, _, px, _, _ in move.wobble)
        cy += move.sway * norm * width / height * sum(
            a * math.sin(2 * math.pi * fy * t + py) for a, _, fy, _, _, py, _ in move.wobble)
        roll = math.radians(move.roll) * norm * sum(
            a * math.sin(2 * math.pi * fr * t + pr) for a, _, _, fr, _, _, pr in move.wobble)
    # keep the whole (turned) view inside the picture: a sway never shows the edge
    c, sn = abs(math.cos(roll)), abs(math.sin(roll))
    hx = s / 2 * (c + sn * height / width) + 0.002
    hy = s / 2 * (c + sn * width / height) + 0.002
    return View(s, min(max(cx, hx), max(hx, 1 - hx)), min(max(cy, hy), max(hy, 1 - hy)), roll)


# RGB -> BT.709 limited-range Y, Cb, Cr as Pillow's 12-number matrix (rows: R, G, B, offset)
_KR, _KB = 0.2126, 0.0722
_KG = 1 - _KR - _KB
_Y, _C = 219 / 255, 224 / 255
BT709 = (_KR * _Y, _KG * _Y, _KB * _Y, 16.0,
         -_KR / (2 - 2 * _KB) * _C, -_KG / (2 - 2 * _KB) * _C, (1 - _KB) / (2 - 2 * _KB) * _C, 128.0,
         (1 - _KR) / (2 - 2 * _KR) * _C, -_KG / (2 - 2 * _KR) * _C, -_KB / (2 - 2 * _KR) * _C, 128.0)


def yuv_planes(image: Path, size: tuple[int, int]) -> tuple[Image.Image, Image.Image, Image.Image]:
    """The keyframe's largest output-shaped rectangle scaled to `size` (Lanczos: every move
    magnifies it from there, so nothing aliases), as BT.709 limited-range Y, U, V planes,
    4:2:0 (each chroma sample the mean of its 2x2 block): what the master's yuv420p holds."""
    with Image.open(image) as im:
        w, h, x, y = _base_crop(im.width, im.height, *size)
        # an RGB keyframe filling the rectangle (a painted one: 1.2x the film, same shape) is
        # scaled as it is: converting and cropping it would only copy it, to the same pixels
        working = im if im.mode == "RGB" else im.convert("RGB")
        if (x, y, w, h) != (0, 0, im.width, im.height):
            working = working.crop((x, y, x + w, y + h))
        working = working.resize(size, Image.Resampling.LANCZOS)
    luma, cb, cr = working.convert("RGB", BT709).split()
    return luma, cb.reduce(2), cr.reduce(2)


def _supersampled(plane: Image.Image) -> Image.Image:
    """A plane upsampled SUPERSAMPLE times, once per shot. Bilinear: a frame's nearest sample
    of it is then the bilinear interpolation the former `perspective` renderer drew, placed
    to 1/SUPERSAMPLE of a pixel."""
    return plane.resize((plane.width * SUPERSAMPLE, plane.height * SUPERSAMPLE),
                        Image.Resampling.BILINEAR)


class _Planes:
    """A keyframe's supersampled Y, U, V planes at one output size (about 50 MB at 1080x1920)."""

    def __init__(self, image: Path, size: tuple[int, int]):
        self.planes = [_supersampled(p) for p in yuv_planes(image, size)]


_prepared: weakref.WeakValueDictionary[tuple[str, int, int], _Planes] = weakref.WeakValueDictionary()
_prepared_lock = threading.Lock()


def _planes_for(recipe: Recipe, image: Path) -> _Planes:
    """The recipe's planes, shared with any canvas drawing the same keyframe at the same size
    right now (a segment drawing its transition into the next shot while that shot's own
    segment draws it: preparing is a third of drawing a 6 s shot); kept only while in use."""
    key = (recipe.image_sha256, recipe.width, recipe.height)
    with _prepared_lock:
        if (found := _prepared.get(key)) is not None:
            return found
    made = _Planes(image, (recipe.width, recipe.height))
    with _prepared_lock:
        return _prepared.setdefault(key, made)


class _Canvas:
    """One shot's frames, each drawn straight into its own raw yuv420p buffer.

    Why: Pillow's `transform` returns a new image per plane, whose bytes `tobytes` copies out
    (in 64 KiB pieces, joined) before the planes are joined into the frame: three copies of
    every frame through fresh memory, about as much CPU as drawing it. Here each plane is a
    Pillow image over its part of the frame's buffer (`Image.frombuffer`), and the lookup
    writes into it through the image core's `transform`, the very call `Image.transform`
    ends in with the same arguments, so the same pixels (tests/unit/test_motion_render.py
    checks them against `Image.transform` and against stored digests; Pillow is pinned).
    A buffer is never written again once handed out, so ffmpeg.run can splice it into the
    pipe instead of copying it, and a frame whose view did not move (a whip's holds) is the
    previous buffer again, not drawn twice."""

    FILLS = (16, 128, 128)  # never shown (the view stays inside), but not green if it were

    def __init__(self, recipe: Recipe, image: Path):
        self.recipe = recipe
        W, H = recipe.width, recipe.height
        self.prepared = _planes_for(recipe, image)  # kept alive while this canvas draws
        self.planes = self.prepared.planes
        self.sizes = [(W, H), (W // 2, H // 2), (W // 2, H // 2)]
        ends = list(accumulate(w * h for w, h in self.sizes))
        self.spans = [slice(end - w * h, end) for end, (w, h) in zip(ends, self.sizes)]
        self.last: tuple[list[tuple[float, ...]], memoryview] | None = None

    def matrices(self, n: int) -> list[tuple[float, ...]]:
        """Frame n's affine map per plane (output pixel -> supersampled plane), as Pillow's
        AFFINE data: each output pixel's centre maps into the view, a chroma plane at half
        of everything."""
        r, k = self.recipe, SUPERSAMPLE
        v = view_at(r.move, n, r.frames, r.fps, r.width, r.height)
        cos, sin = math.cos(v.roll), math.sin(v.roll)
        a, b, d, e = k * v.scale * cos, -k * v.scale * sin, k * v.scale * sin, k * v.scale * cos
        x, y = k * v.cx * r.width, k * v.cy * r.height  # the view's centre, upsampled
        out = []
        for i, (w, h) in enumerate(self.sizes):
            q = 1 if i == 0 else 2
            out.append((a, b, x / q - a * w / 2 - b * h / 2, d, e, y / q - d * w / 2 - e * h / 2))
        return out

    def draw(self, n: int) -> memoryview:
        """Frame n, in a buffer of its own (or the previous frame's, when the view is the
        same): nothing writes to it after this returns."""
        maps = self.matrices(n)
        if self.last is not None and self.last[0] == maps:
            return self.last[1]
        frame = memoryview(np.empty(self.spans[-1].stop, np.uint8))  # every byte drawn below
        for plane, span, (w, h), m, fill in zip(self.planes, self.spans, self.sizes, maps,
                                                self.FILLS):
            if not _inside(m, w, h, plane.size):  # pixels the lookup leaves keep the fill
                frame[span] = bytes((fill,)) * (w * h)
            target = Image.frombuffer("L", (w, h), frame[span], "raw", "L", 0, 1)
            target.im.transform((0, 0, w, h), plane.im, Image.Transform.AFFINE, m,
                                Image.Resampling.NEAREST, 0)
        self.last = (maps, frame)
        return frame


def _inside(m: tuple[float, ...], w: int, h: int, size: tuple[int, int]) -> bool:
    """Whether every output pixel's sample falls inside the plane (a pixel to spare), so the
    lookup writes every pixel of the frame."""
    a, b, c, d, e, f = m
    corners = [(a * x + b * y + c, d * x + e * y + f) for x in (0.5, w - 0.5) for y in (0.5, h - 0.5)]
    return all(1 <= px <= size[0] - 1 and 1 <= py <= size[1] - 1 for px, py in corners)


def frames(recipe: Recipe, image: Path, *, start: int = 0) -> Iterator[memoryview]:
    """The shot's frames from frame `start` on (the ones before are not drawn), as raw
    yuv420p (BT.709, limited range): one buffer a frame, which nothing changes afterwards.

    Each output pixel takes the nearest sample of the working picture upsampled SUPERSAMPLE
    times: an affine map (scale, position, roll) placed to 1/SUPERSAMPLE of a pixel, at the
    cost of a lookup per pixel (see the module docstring)."""
    canvas = _Canvas(recipe, image)
    for n in range(start, recipe.frames):
        yield canvas.draw(n)


@dataclass(frozen=True)
class Source:
    """How one ffmpeg run reads a recipe's frames: its input arguments, the filters that
    make input 0 the shot's frames (CFR, frame n at n / fps), and what to write to its
    stdin (ffmpeg.run's `feed`)."""

    input_args: tuple[str, ...]
    chain: str
    feed: Callable[[], Iterator[memoryview]]


def source(recipe: Recipe, image: Path) -> Source:
    """The recipe's frames as an ffmpeg input: raw yuv420p on stdin, drawn by `frames`."""
    return Source(
        ("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{recipe.width}x{recipe.height}",
         "-framerate", str(recipe.fps), "-i", "pipe:0"),
        "setparams=range=tv:colorspace=bt709:color_primaries=bt709:color_trc=bt709,setsar=1",
        feed=lambda: frames(recipe, image))


def render_recipe(recipe: Recipe, image: Path, out: Path) -> Path:
    """The shot as a plain MP4 at the master's video spec (one encode), atomically."""
    out = Path(out)
    src = source(recipe, image)
    with atomic_output(out) as tmp:
        run([*src.input_args, "-filter_complex", f"[0:v]{src.chain}[v]", "-map", "[v]",
             "-frames:v", str(recipe.frames), *video_encode_args(recipe.fps),
             "-an", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
             str(Path(tmp).resolve())],
            what=f"camera move {recipe.move.name} ({recipe.frames} frames) into {out.name}",
            feed=src.feed())
    return out


def render(path: Path, out: Path) -> Path:
    """The recipe at `path` rendered to an MP4 at `out`."""
    recipe, image = load(path)
    return render_recipe(recipe, image, out)
