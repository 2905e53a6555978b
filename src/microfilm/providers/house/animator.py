"""The house animator: a camera move over the keyframe, encoded as one H.264 clip.

Why this shape: the animatic needs every shot to move (a held still reads as a mistake),
offline and fast. The stage paints keyframes larger than the film (1.2x), so a move is a
view rectangle travelling inside the picture: push, pull, pan, tilt, a handheld sway.

Why `perspective` and not `crop`/`zoompan`: both of those place the view on whole pixels,
so a slow move steps a pixel every few frames (visible judder, and a zoom that "breathes").
ffmpeg's perspective filter maps the four corners of the view, given as expressions of the
frame number, with bilinear resampling: sub-pixel positions, so motion is smooth even at a
few pixels per second, and a handheld roll comes free. The keyframe is decoded and scaled
once, then the `loop` filter repeats it in memory; no frame passes through Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PIL import Image

from microfilm.errors import ProviderError
from microfilm.fsutil import atomic_output
from microfilm.media.ffmpeg import run
from microfilm.providers.base import (
    AnimateRequest,
    Capabilities,
    ClipResult,
    HouseProvider,
    ProviderInfo,
)
from microfilm.providers.house.drawing import rng_for

MAX_DURATION = 600.0
MIN_DURATION = 0.5
EASE = 0.25  # 0 is constant speed; 0.25 slows the ends a little without ever stopping


@dataclass(frozen=True)
class Move:
    """A camera move as the view at the start and at the end.

    `scale` is the view's size as a share of the largest output-shaped rectangle inside the
    keyframe (1.0 shows all of it); `cx`, `cy` are the view's centre as shares of that
    rectangle. `sway` (share of the width) and `roll` (degrees) make a handheld wobble.
    """

    name: str
    scale0: float
    scale1: float
    cx0: float = 0.5
    cy0: float = 0.5
    cx1: float = 0.5
    cy1: float = 0.5
    sway: float = 0.0
    roll: float = 0.0


# (patterns, move name): English and Chinese words for the moves, first match wins
_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("handheld", "hand-held", "hand held", "shaky", "手持"), "handheld"),
    (("whip",), "whip-pan"),
    (("pull-out", "pull out", "pullout", "pull-back", "pull back", "dolly-out", "dolly out",
      "zoom-out", "zoom out", "track-out", "拉远", "拉镜", "后拉", "拉"), "pull-out"),
    (("push-in", "push in", "pushin", "push", "dolly-in", "dolly in", "dolly", "zoom-in",
      "zoom in", "zoom", "track-in", "推近", "推镜", "推"), "push-in"),
    (("pan-left", "pan left", "truck-left", "truck left", "左摇", "左移", "向左"), "pan-left"),
    (("pan-right", "pan right", "truck-right", "truck right", "右摇", "右移", "向右", "pan"),
     "pan-right"),
    (("tilt-up", "tilt up", "crane-up", "crane up", "pedestal up", "上摇", "上移", "仰"), "tilt-up"),
    (("tilt-down", "tilt down", "crane-down", "crane down", "下摇", "下移", "俯"), "tilt-down"),
    (("static", "locked", "still", "fixed", "固定", "静止"), "static"),
)

# the view sizes each move travels between (at normal speed)
PUSH = (0.95, 0.8)
STATIC = (0.9, 0.865)
PAN_SCALE = 1 / 1.2  # a pan shows the keyframe at one pixel per pixel when painted at 1.2x


def read_move(camera: str, seed: int = 0) -> Move:
    """The move a storyboard's camera words ask for; unknown words get a slow push."""
    words = f" {camera} ".casefold().replace("_", "-")
    name = next((n for pats, n in _WORDS if any(p in words for p in pats)), "slow-push")
    speed = 1.0
    if re.search(r"slow|gentle|subtle|缓|慢", words):
        speed = 0.5
    elif re.search(r"fast|quick|snap|快|急", words):
        speed = 1.5
    if name == "slow-push":
        name, speed = "push-in", 0.45
    if name == "push-in":
        s1 = PUSH[0] - (PUSH[0] - PUSH[1]) * speed
        return Move(name, PUSH[0], s1, cy0=0.5, cy1=0.46)
    if name == "pull-out":
        s0 = PUSH[0] - (PUSH[0] - PUSH[1]) * speed
        return Move(name, s0, PUSH[0], cy0=0.46, cy1=0.5)
    if name in ("pan-left", "pan-right", "whip-pan"):
        s = PAN_SCALE
        room = (1 - s) / 2 * min(1.0, speed if name != "whip-pan" else 1.0)
        a, b = 0.5 - room, 0.5 + room
        if name == "pan-left":
            a, b = b, a
        return Move(name, s, s, cx0=a, cx1=b)
    if name in ("tilt-up", "tilt-down"):
        s = PAN_SCALE
        room = (1 - s) / 2 * min(1.0, speed)
        a, b = 0.5 + room, 0.5 - room  # tilting up: the view climbs the picture
        if name == "tilt-down":
            a, b = b, a
        return Move(name, s, s, cy0=a, cy1=b)
    if name == "handheld":
        return Move(name, 0.88, 0.87, sway=0.006 * max(speed, 0.6), roll=0.35 * max(speed, 0.6))
    s0, s1 = STATIC
    return Move("static", s0, s1)


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".") if v != 0 else "0"


def _corner_exprs(move: Move, frames: int, fps: int, width: int, height: int,
                  seed: int, whip: bool) -> dict[str, str]:
    """ffmpeg expressions (of the frame number `in`) for the view's four source corners.

    The working picture is exactly width x height (the keyframe's output-shaped rectangle,
    scaled once), so scale 1.0 is the whole picture and perspective's output is the frame.
    """
    last = max(frames - 1, 1)
    p = f"clip((in-1)/{last},0,1)"
    if whip:
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
    if move.sway > 0:
        # a handheld drift: three incommensurate slow sines per axis, seeded phases
        rng = rng_for("handheld", seed)
        parts_x, parts_y, parts_r = [], [], []
        for k, (freq, amp) in enumerate(((0.11, 1.0), (0.23, 0.5), (0.41, 0.22))):
            fx, fy, fr = (freq * float(rng.uniform(0.85, 1.15)) for _ in range(3))
            px, py, pr = (float(rng.uniform(0, 2 * math.pi)) for _ in range(3))
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


def filter_graph(request: AnimateRequest, src_size: tuple[int, int]) -> tuple[str, int]:
    """The filter graph for a request and the number of frames it makes."""
    W, H, fps = request.width, request.height, request.fps
    frames = max(1, round(request.duration * fps))
    move = read_move(request.camera, request.seed)
    cw, ch, cx, cy = _base_crop(src_size[0], src_size[1], W, H)
    corners = _corner_exprs(move, frames, fps, W, H, request.seed, move.name == "whip-pan")
    persp = ":".join(f"{k}='{v}'" for k, v in corners.items())
    chain = [
        f"crop={cw}:{ch}:{cx}:{cy}",
        f"scale={W}:{H}:flags=lanczos:out_range=tv:out_color_matrix=bt709",
        "format=yuv420p",
        f"loop=loop={frames - 1}:size=1:start=0",
        f"settb=1/{fps}",
        "setpts=N",  # frame n at n/fps exactly: no duplicated or dropped frames
        f"perspective={persp}:interpolation=linear:eval=frame",
        "setsar=1",
    ]
    return ",".join(chain), frames


class HouseAnimator(HouseProvider):
    """Camera moves over the keyframe (embedded): smooth, deterministic, fast."""

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-animator",
        capability="animator",
        model="camera-moves",
        version="1",
        title="Camera moves over the keyframe (embedded)",
        capabilities=Capabilities(durations=(), max_duration=MAX_DURATION,
                                  min_duration=MIN_DURATION),
    )

    def animate(self, request: AnimateRequest) -> ClipResult:
        image = Path(request.image)
        if not image.is_file():
            raise ProviderError(f"house-animator: keyframe {image} does not exist "
                                "(AnimateRequest.image)")
        if not (MIN_DURATION - 1e-9 <= request.duration <= MAX_DURATION):
            raise ProviderError(
                f"house-animator: duration {request.duration} s is outside "
                f"{MIN_DURATION}..{MAX_DURATION} s (AnimateRequest.duration)")
        if request.width < 16 or request.height < 16 or request.width % 2 or request.height % 2:
            raise ProviderError(
                f"house-animator: {request.width}x{request.height} must be even and at least "
                "16 px (AnimateRequest.width/height; H.264 yuv420p needs even sizes)")
        if request.fps <= 0 or request.fps > 120:
            raise ProviderError(f"house-animator: fps {request.fps} is outside 1..120")
        try:
            with Image.open(image) as im:
                src_size = im.size
        except OSError as exc:
            raise ProviderError(f"house-animator: cannot read keyframe {image}: {exc}") from None
        graph, frames = filter_graph(request, src_size)
        out = Path(request.out)
        with atomic_output(out) as tmp:
            run([
                "-i", image,
                "-filter_complex", f"[0:v]{graph}[v]", "-map", "[v]",
                "-frames:v", str(frames), "-r", str(request.fps), "-fps_mode", "cfr",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18",
                "-pix_fmt", "yuv420p", "-g", str(request.fps * 2),
                "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709",
                "-color_trc", "bt709", "-an", "-movflags", "+faststart",
                "-f", "mp4", tmp,
            ], what=f"house-animator ({request.camera or 'static'}, {request.duration} s)")
        return ClipResult(path=out, duration=frames / request.fps, has_audio=False)
