"""The house animator: a camera move over the keyframe, as a recipe the segment encode renders.

Why this shape: the animatic needs every shot to move (a held still reads as a mistake),
offline and fast. The stage paints keyframes larger than the film (1.2x), so a move is a
view rectangle travelling inside the picture: push, pull, pan, tilt, a handheld sway.

Why a recipe (media/motion.py): an H.264 clip written here would be decoded and encoded again
by the segment encode, which burns in subtitles and label; asked for a file ending in
`motion.SUFFIX` (as generate does), the animator writes the keyframe and the move as numbers
instead, and the shot is encoded once, into its segment. Asked for any other file, it renders
the MP4 (one encode at the master's spec), for callers that want the frames.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import ClassVar

from PIL import Image

from microfilm.errors import ProviderError
from microfilm.fsutil import sha256_file
from microfilm.media import motion
from microfilm.media.motion import Move
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
        return Move(name=name, scale0=PUSH[0], scale1=s1, cy0=0.5, cy1=0.46)
    if name == "pull-out":
        s0 = PUSH[0] - (PUSH[0] - PUSH[1]) * speed
        return Move(name=name, scale0=s0, scale1=PUSH[0], cy0=0.46, cy1=0.5)
    if name in ("pan-left", "pan-right", "whip-pan"):
        s = PAN_SCALE
        room = (1 - s) / 2 * min(1.0, speed if name != "whip-pan" else 1.0)
        a, b = 0.5 - room, 0.5 + room
        if name == "pan-left":
            a, b = b, a
        return Move(name=name, scale0=s, scale1=s, cx0=a, cx1=b)
    if name in ("tilt-up", "tilt-down"):
        s = PAN_SCALE
        room = (1 - s) / 2 * min(1.0, speed)
        a, b = 0.5 + room, 0.5 - room  # tilting up: the view climbs the picture
        if name == "tilt-down":
            a, b = b, a
        return Move(name=name, scale0=s, scale1=s, cy0=a, cy1=b)
    if name == "handheld":
        return Move(name=name, scale0=0.88, scale1=0.87, sway=0.006 * max(speed, 0.6),
                    roll=0.35 * max(speed, 0.6), wobble=wobble(seed))
    s0, s1 = STATIC
    return Move(name="static", scale0=s0, scale1=s1)


def wobble(seed: int) -> tuple[tuple[float, ...], ...]:
    """A handheld drift's three incommensurate slow sines (amplitude, x/y/roll frequency,
    x/y/roll phase), seeded: the same shot sways the same way every time."""
    rng = rng_for("handheld", seed)
    sines = []
    for freq, amp in ((0.11, 1.0), (0.23, 0.5), (0.41, 0.22)):
        fx, fy, fr = (freq * float(rng.uniform(0.85, 1.15)) for _ in range(3))
        px, py, pr = (float(rng.uniform(0, 2 * math.pi)) for _ in range(3))
        sines.append((amp, fx, fy, fr, px, py, pr))
    return tuple(sines)


class HouseAnimator(HouseProvider):
    """Camera moves over the keyframe (embedded): smooth, deterministic, fast."""

    # generate asks for clips with this ending: a recipe, rendered once into its segment
    clip_suffix: ClassVar[str] = motion.SUFFIX

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-animator",
        capability="animator",
        model="camera-moves",
        version="3",  # 2: a recipe rendered into the segment (media/motion.py); 3: its frames
        # drawn by media/motion.frames (supersampled affine lookup) instead of `perspective`
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
        frames = max(1, round(request.duration * request.fps))
        out = Path(request.out)
        fields = dict(image_sha256=sha256_file(image),
                      image_size=src_size, width=request.width, height=request.height,
                      fps=request.fps, frames=frames, move=read_move(request.camera, request.seed))
        if motion.is_recipe(out):
            motion.write(out, image, **fields)
        else:
            motion.render_recipe(motion.Recipe(image=str(image), **fields), image, out)
        return ClipResult(path=out, duration=frames / request.fps, has_audio=False)
