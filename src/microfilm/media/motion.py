"""A house shot as a recipe: its keyframe and a camera move, rendered where it is encoded.

Why: the house animator used to write an H.264 clip that the segment encode then decoded and
encoded again with the subtitles and the label, so every offline shot paid two encodes (and
two generations of loss). A recipe is a few hundred bytes of JSON naming the keyframe (by
path and content hash) and the move as numbers; media/segments renders it straight into the
shot's segment in one ffmpeg run, and `render` makes a plain MP4 for anyone who needs real
frames (a lip-sync provider, a person looking at one shot).

Why `perspective` and not `crop`/`zoompan`: both of those place the view on whole pixels,
so a slow move steps a pixel every few frames (visible judder, and a zoom that "breathes").
ffmpeg's perspective filter maps the four corners of the view, given as expressions of the
frame number, with bilinear resampling: sub-pixel positions, so motion is smooth even at a
few pixels per second, and a handheld roll comes free. The keyframe is decoded and scaled
once, then the `loop` filter repeats it in memory; no frame passes through Python.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from microfilm.errors import MediaError
from microfilm.fsutil import atomic_output, sha256_file
from microfilm.media.ffmpeg import run, video_encode_args

SUFFIX = ".move.json"  # how a recipe's file name ends: the store keeps it beside real clips
KIND = "microfilm.camera-move"
EASE = 0.25  # 0 is constant speed; 0.25 slows the ends a little without ever stopping


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


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".") if v != 0 else "0"


def _corner_exprs(move: Move, frames: int, fps: int, width: int, height: int) -> dict[str, str]:
    """ffmpeg expressions (of the frame number `in`) for the view's four source corners.

    The working picture is exactly width x height (the keyframe's output-shaped rectangle,
    scaled once), so scale 1.0 is the whole picture and perspective's output is the frame.
    """
    last = max(frames - 1, 1)
    p = f"clip((in-1)/{last},0,1)"
    if move.name == "whip-pan":
        # a whip: hold, a quick smooth swing in the middle third, hold
        e = f"(0.5-0.5*cos(PI*clip(({p}-0.33)/0.34,0,1)))"
    else:
        e = f"({p}-{_fmt(EASE)}*sin(2*PI*{p})/(2*PI))"
    ratio = move.scale1 / move.scale0
    s = f"({_fmt(move.scale0)}*pow({_fmt(ratio)},{e}))" if abs(ratio - 1) > 1e-9 else _fmt(move.scale0)
    cx = f"({_fmt(move.cx0)}+{_fmt(move.cx1 - move.cx0)}*{e})"
    cy = f"({_fmt(move.cy0)}+{_fmt(move.cy1 - move.cy0)}*{e})"
    t = f"((in-1)/{fps})"
    roll = "0"
    if move.sway > 0 and move.wobble:
        # a handheld drift: slow sines per axis, at the move's seeded frequencies and phases
        parts_x, parts_y, parts_r = [], [], []
        for amp, fx, fy, fr, px, py, pr in move.wobble:
            parts_x.append(f"{_fmt(amp)}*sin({_fmt(2 * math.pi * fx)}*{t}+{_fmt(px)})")
            parts_y.append(f"{_fmt(amp)}*sin({_fmt(2 * math.pi * fy)}*{t}+{_fmt(py)})")
            parts_r.append(f"{_fmt(amp)}*sin({_fmt(2 * math.pi * fr)}*{t}+{_fmt(pr)})")
        norm = 1 / 1.72
        cx = f"({cx}+{_fmt(move.sway * norm)}*({'+'.join(parts_x)}))"
        cy = f"({cy}+{_fmt(move.sway * norm * width / height)}*({'+'.join(parts_y)}))"
        roll = f"({_fmt(math.radians(move.roll) * norm)}*({'+'.join(parts_r)}))"
    # keep the view inside the picture (a sway never shows the edge)
    cx = f"clip({cx},{s}/2+0.002,1-{s}/2-0.002)"
    cy = f"clip({cy},{s}/2+0.002,1-{s}/2-0.002)"
    hw = f"({s}*{width}/2)"
    hh = f"({s}*{height}/2)"
    X = f"({cx}*{width})"
    Y = f"({cy}*{height})"
    out: dict[str, str] = {}
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1))):
        if roll == "0":
            out[f"x{i}"] = f"{X}{'+' if sx > 0 else '-'}{hw}"
            out[f"y{i}"] = f"{Y}{'+' if sy > 0 else '-'}{hh}"
        else:
            dx, dy = f"({sx}*{hw})", f"({sy}*{hh})"
            out[f"x{i}"] = f"{X}+{dx}*cos({roll})-{dy}*sin({roll})"
            out[f"y{i}"] = f"{Y}+{dx}*sin({roll})+{dy}*cos({roll})"
    return out


def _base_crop(src_w: int, src_h: int, width: int, height: int) -> tuple[int, int, int, int]:
    """The largest output-shaped rectangle centred in the keyframe: (w, h, x, y)."""
    if src_w * height > src_h * width:
        h = src_h
        w = min(src_w, round(src_h * width / height))
    else:
        w = src_w
        h = min(src_h, round(src_w * height / width))
    return w, h, (src_w - w) // 2, (src_h - h) // 2


def filter_chain(recipe: Recipe) -> str:
    """The filters that turn the keyframe (input 0) into the shot's `frames` frames, CFR,
    frame n at n / fps: one filter chain, to splice before subtitles and label."""
    W, H, fps, frames = recipe.width, recipe.height, recipe.fps, recipe.frames
    cw, ch, cx, cy = _base_crop(*recipe.image_size, W, H)
    corners = _corner_exprs(recipe.move, frames, fps, W, H)
    persp = ":".join(f"{k}='{v}'" for k, v in corners.items())
    return ",".join([
        f"crop={cw}:{ch}:{cx}:{cy}",
        f"scale={W}:{H}:flags=lanczos:out_range=tv:out_color_matrix=bt709",
        "format=yuv420p",
        f"loop=loop={frames - 1}:size=1:start=0",
        f"settb=1/{fps}",
        "setpts=N",  # frame n at n/fps exactly: no duplicated or dropped frames
        f"perspective={persp}:interpolation=linear:eval=frame",
        "setsar=1",
    ])


def render_recipe(recipe: Recipe, image: Path, out: Path) -> Path:
    """The shot as a plain MP4 at the master's video spec (one encode), atomically."""
    out = Path(out)
    with atomic_output(out) as tmp:
        run(["-i", str(Path(image).resolve()), "-filter_complex",
             f"[0:v]{filter_chain(recipe)}[v]", "-map", "[v]",
             "-frames:v", str(recipe.frames), *video_encode_args(recipe.fps),
             "-an", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
             str(Path(tmp).resolve())],
            what=f"camera move {recipe.move.name} ({recipe.frames} frames) into {out.name}")
    return out


def render(path: Path, out: Path) -> Path:
    """The recipe at `path` rendered to an MP4 at `out`."""
    recipe, image = load(path)
    return render_recipe(recipe, image, out)
