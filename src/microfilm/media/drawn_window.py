"""A transition between two house shots, drawn where the outgoing shot is encoded.

Why: a transition between two clips is made at the join (media/segments.py): both segments
carry handles, the join splits them at forced keyframes and re-encodes the overlap with
ffmpeg's xfade, so the window's frames are encoded three times (in A's tail, in B's head, in
the window) and decoded once more. When both shots are house camera-move recipes, their frames
are drawn in Python anyway (media/motion.py): the outgoing segment can draw the window itself,
blending its own last frames with the next shot's first ones, and the next segment simply
starts after the window. Each frame of the film is then encoded once and the join is a
stream copy throughout.

Timing is the join's (segments module docstring): a window of D frames takes the last
a = D // 2 frames of A's slot and the first b = D - a of B's; where A has no frames past its
end its last frame is held, and B's first frame is held before its start, as the handles did.
Only dissolves and fades through a colour are drawn here (what house films use); any other
kind keeps the join's xfade.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterator

from PIL import Image

from microfilm.media import motion

# storyboard kind -> what the blend passes through (None: a straight cross-dissolve)
DRAWN = {"dissolve": None, "crossfade": None, "fade": "black", "fadeblack": "black",
         "fadewhite": "white"}
# BT.709 limited range, as motion.py draws: (Y, Cb/Cr)
_LEVELS = {"black": (16, 128), "white": (235, 128)}


def drawable(a: Path, b: Path, kind: str, *, width: int, height: int, fps: int) -> bool:
    """Whether the window from shot clip `a` into `b` can be drawn in A's segment: both are
    recipes at the segment's own size and rate (no conforming), and the kind is drawn here."""
    if kind not in DRAWN or not (motion.is_recipe(a) and motion.is_recipe(b)):
        return False
    for path in (a, b):
        # only the recipe's numbers: its keyframe is checked (hashed) where it is drawn
        try:
            recipe = motion.Recipe.model_validate_json(Path(path).read_bytes())
        except (OSError, ValueError):  # a broken recipe: the segment encode names what is wrong
            return False
        if (recipe.width, recipe.height, recipe.fps) != (width, height, fps):
            return False
    return True


def _held(frames: Iterator[memoryview]) -> Iterator[memoryview]:
    """A shot's frames, then its last frame for ever (what tpad's clone does)."""
    last = None
    for last in frames:
        yield last
    if last is None:
        return
    while True:
        yield last


def _plain(width: int, height: int, colour: str) -> Image.Image:
    """A yuv420p frame of one colour as an 'L' image of its bytes (Y rows, then U, then V)."""
    y, c = _LEVELS[colour]
    frame = Image.new("L", (width, height * 3 // 2), c)
    frame.paste(y, (0, 0, width, height))
    return frame


def blend(a: bytes | memoryview, b: bytes | memoryview, t: float, width: int, height: int,
          through: Image.Image | None) -> bytes:
    """Frame `t` (0..1) of the window from picture a to picture b, both raw yuv420p.

    A cross-dissolve mixes every sample linearly; a fade goes to the colour over the first
    half and comes out of it over the second. Every plane mixes by the same weight, so the
    frame's bytes can be blended as one 8-bit image."""
    size = (width, height * 3 // 2)
    if through is None:
        return Image.blend(Image.frombytes("L", size, a), Image.frombytes("L", size, b),
                           t).tobytes()
    if t < 0.5:
        return Image.blend(Image.frombytes("L", size, a), through, 2 * t).tobytes()
    return Image.blend(through, Image.frombytes("L", size, b), 2 * t - 1).tobytes()


def frames(a_recipe: Path, *, skip: int, planned: int, window_out: tuple[Path, str, int, int] | None
           ) -> Iterator[bytes | memoryview]:
    """Shot A's segment as raw yuv420p frames: its planned frames from `skip` on (the first
    `skip` were drawn by the previous segment's window) and, with `window_out` = (B's recipe,
    kind, a, b), the outgoing window of a + b frames in place of its last a planned frames;
    without it, every frame of the shot from `skip` on (a handle past the end is the encode's)."""
    recipe, image = motion.load(Path(a_recipe))
    if window_out is None:  # the encode holds the last frame as long as it needs (tpad)
        yield from motion.frames(recipe, image, start=skip)
        return
    own = _held(motion.frames(recipe, image, start=skip))
    b_recipe, kind, a, b = window_out
    d = a + b
    yield from islice(own, planned - a - skip)
    nxt, nxt_image = motion.load(Path(b_recipe))
    theirs = _held(motion.frames(nxt, nxt_image))
    first = next(theirs)
    through = _plain(recipe.width, recipe.height, DRAWN[kind]) if DRAWN[kind] else None
    for j in range(d):
        b_frame = first if j <= a else next(theirs)  # B's first frame is held before its start
        yield blend(next(own), b_frame, (j + 1) / (d + 1), recipe.width, recipe.height, through)
