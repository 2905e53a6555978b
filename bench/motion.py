"""The camera move's renderer against ffmpeg's `perspective` and a whole-pixel crop, in one run.

For house moves over a textured 1.2x keyframe (1296x2304 -> 1080x1920, 191 frames: a 6.4 s
shot), each renderer makes the frames twice: into ffmpeg's null muxer (the renderer's own
CPU) and into x264 at the master's settings (what a segment costs). CPU seconds are this
process's and its children's (resource.getrusage), so Python drawing and ffmpeg both count.
`frames` is media/motion.frames as it is; `frames before` is the same lookup as it was drawn
until 2026-12-05 (Pillow's public transform, tobytes and a join a frame, the bytes copied into
a 64 KiB pipe), so the two are compared in one run. "draw only" is the Python drawing alone
(this thread's CPU, no ffmpeg): the keyframe's preparation once, then every frame.

Smoothness, on the slow pan: the horizontal shift of every frame from the first (fit of the
column profile, to 1/100 px), against where the recipe puts the view (motion.view_at) and
against a smooth curve through the frame's own positions. A renderer placing the view on
whole pixels shows held frames and steps of up to a pixel off its glide.

    .venv/bin/python bench/motion.py            # ~3 min on 2 shared cores
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microfilm.fsutil import sha256_file  # noqa: E402
from microfilm.media import ffmpeg, motion  # noqa: E402
from microfilm.providers.house.animator import read_move  # noqa: E402

W, H, FPS, FRAMES = 1080, 1920, 30, 191
KEY = (1296, 2304)
MOVES = ("slow pan left", "push in", "handheld", "static")


def cpu_s() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def keyframe(path: Path) -> Path:
    """Detail at every scale, like a painted keyframe: soft colour fields, lines, dots."""
    rng = np.random.default_rng(1)
    img = Image.fromarray((rng.random((KEY[1] // 48, KEY[0] // 48, 3)) * 255).astype(np.uint8)).resize(
        KEY, Image.Resampling.BICUBIC)
    d = ImageDraw.Draw(img)
    for x in range(0, KEY[0], 54):
        d.line([(x, 0), (x + 200, KEY[1])], fill=(235, 235, 225), width=3)
    for y in range(0, KEY[1], 90):
        d.ellipse([(y * 7) % KEY[0], y, (y * 7) % KEY[0] + 30, y + 30], fill=(20, 20, 30))
    img.save(path)
    return path


def perspective_chain(recipe: motion.Recipe) -> str:
    """The former renderer: the keyframe scaled once to the output, looped, then ffmpeg's
    `perspective` with per-frame corners (here linear between the first and last views,
    which costs the filter the same)."""
    v0 = motion.view_at(recipe.move, 0, FRAMES, FPS, W, H)
    v1 = motion.view_at(recipe.move, FRAMES - 1, FRAMES, FPS, W, H)
    p = f"(in/{FRAMES - 1})"

    def lerp(a: float, b: float) -> str:
        return f"({a:.6f}+({b - a:.6f})*{p})"

    s, cx, cy = lerp(v0.scale, v1.scale), lerp(v0.cx, v1.cx), lerp(v0.cy, v1.cy)
    corners = {f"x{i}": f"{cx}*{W}{'+' if sx > 0 else '-'}{s}*{W}/2" for i, (sx, _) in
               enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1)))}
    corners |= {f"y{i}": f"{cy}*{H}{'+' if sy > 0 else '-'}{s}*{H}/2" for i, (_, sy) in
                enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1)))}
    return ",".join([f"scale={W}:{H}:flags=lanczos", "format=yuv420p",
                     f"loop=loop={FRAMES - 1}:size=1:start=0", f"settb=1/{FPS}", "setpts=N",
                     "perspective=" + ":".join(f"{k}='{v}'" for k, v in corners.items())
                     + ":interpolation=linear:eval=frame"])


def whole_pixel_chain(recipe: motion.Recipe) -> str:
    """A pan placed on whole pixels (what `crop`/`zoompan` do): the smoothness baseline."""
    v0 = motion.view_at(recipe.move, 0, FRAMES, FPS, W, H)
    v1 = motion.view_at(recipe.move, FRAMES - 1, FRAMES, FPS, W, H)
    cw, ch = round(v0.scale * KEY[0]), round(v0.scale * KEY[1])
    x = f"floor(({v0.cx:.6f}+({v1.cx - v0.cx:.6f})*n/{FRAMES - 1})*{KEY[0]}-{cw}/2)"
    return ",".join([f"loop=loop={FRAMES - 1}:size=1:start=0", f"settb=1/{FPS}", "setpts=N",
                     f"crop={cw}:{ch}:'{x}':{(KEY[1] - ch) // 2}",
                     f"scale={W}:{H}:flags=bilinear", "format=yuv420p"])


def frames_before(recipe: motion.Recipe, image: Path) -> Iterator[bytes]:
    """motion.frames as it drew until 2026-12-05: the same maps and lookups, each plane a new
    image (filled, then transformed) whose bytes are copied out and joined into the frame."""
    canvas = motion._Canvas(recipe, image)
    for n in range(recipe.frames):
        yield b"".join(
            plane.transform(size, Image.Transform.AFFINE, m, Image.Resampling.NEAREST,
                            fillcolor=fill).tobytes()
            for plane, size, m, fill in zip(canvas.planes, canvas.sizes, canvas.matrices(n),
                                            canvas.FILLS))


def draw_only(recipe: motion.Recipe, image: Path, how: str) -> tuple[float, float]:
    """This thread's CPU seconds to prepare the keyframe and to draw every frame after it."""
    make = motion.frames if how == "frames" else frames_before
    c0 = time.thread_time()
    shot = make(recipe, image)
    next(shot)  # the preparation, and frame 0
    c1 = time.thread_time()
    for _ in shot:
        pass
    return c1 - c0, time.thread_time() - c1


def run_one(recipe: motion.Recipe, image: Path, how: str, out: str) -> float:
    """CPU seconds to make the shot's frames with renderer `how` into `out` (null or a file)."""
    tail = (["-f", "null", "-"] if out == "null" else
            [*ffmpeg.video_encode_args(FPS), "-an", out])
    c0 = cpu_s()
    if how.startswith("frames"):
        src = motion.source(recipe, image)
        feed, pipe_bytes = src.feed(), ffmpeg.PIPE_BYTES
        if how == "frames before":  # bytes, so copied into the pipe, at the kernel's size
            feed, ffmpeg.PIPE_BYTES = frames_before(recipe, image), 1 << 16
        try:
            ffmpeg.run([*src.input_args, "-vf", src.chain, "-frames:v", str(FRAMES), *tail],
                       what=how, feed=feed)
        finally:
            ffmpeg.PIPE_BYTES = pipe_bytes
    else:
        chain = perspective_chain(recipe) if how == "perspective" else whole_pixel_chain(recipe)
        ffmpeg.run(["-i", str(image), "-vf", chain, "-frames:v", str(FRAMES), *tail], what=how)
    return cpu_s() - c0


def shift_x(a: np.ndarray, b: np.ndarray, near: float) -> float:
    """How far b's content lies right of a's, to 1/100 px, searched within 2 px of `near`:
    the shift that best fits b's column profile to a's (linear interpolation)."""
    pa, pb = a.mean(axis=0), b.mean(axis=0)
    x = np.arange(len(pa), dtype=float)
    inner = slice(160, len(pa) - 160)
    shifts = np.arange(near - 2.0, near + 2.0, 0.01)
    errors = [np.mean((np.interp(x[inner] - s, x, pa) - pb[inner]) ** 2) for s in shifts]
    return float(shifts[int(np.argmin(errors))])


def smoothness(path: Path, recipe: motion.Recipe) -> tuple[float, float, int]:
    """A pan's largest distance (px) from where the recipe puts the view (the references
    move linearly, the recipe eases: only `frames` is meant to match it) and from a smooth
    curve through its own positions (stepping), and its frames that did not move."""
    import av

    with av.open(str(path)) as c:
        lumas = [f.to_ndarray(format="gray")[800:1100].astype(float) for f in c.decode(video=0)]
    views = [motion.view_at(recipe.move, n, FRAMES, FPS, W, H) for n in range(FRAMES)]
    want = np.array([(views[0].cx - v.cx) * W / v.scale for v in views])
    got = [0.0]
    for f in lumas[1:]:  # each frame searched near where the previous one was found
        got.append(shift_x(lumas[0], f, got[-1]))
    n = np.arange(FRAMES)
    smooth = np.polyval(np.polyfit(n, got, 7), n)  # the glide its own frames describe
    return (float(np.abs(np.array(got) - want).max()), float(np.abs(np.array(got) - smooth).max()),
            int((np.abs(np.diff(got)) < 0.02).sum()))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="microfilm-motion-"))
    image = keyframe(work / "key.png")
    print(f"bench/motion.py: {FRAMES} frames {W}x{H} from a {KEY[0]}x{KEY[1]} keyframe; CPU s")
    print(f"  {'move':16s} {'renderer':13s} {'draw only: prep + frames':>24s} {'render only':>12s} "
          f"{'render+x264':>12s} {'MB':>6s}")
    totals: dict[str, list[float]] = {}
    for camera in MOVES:
        move = read_move(camera, 3)
        recipe = motion.write(work / f"{move.name}.move.json", image, image_sha256=sha256_file(image),
                              image_size=KEY, width=W, height=H, fps=FPS, frames=FRAMES, move=move)
        hows = ["frames", "frames before", "perspective"] + (
            ["whole pixels"] if move.name == "pan-left" else [])
        for how in hows:
            out = work / f"{move.name}-{how.replace(' ', '-')}.mp4"
            drawn = "-"
            if how.startswith("frames"):
                prep, each = draw_only(recipe, image, how)
                drawn = f"{prep:.2f} + {each:.2f} = {prep + each:.2f}"
            alone, encoded = run_one(recipe, image, how, "null"), run_one(recipe, image, how, str(out))
            sums = totals.setdefault(how, [0.0, 0.0])
            sums[0], sums[1] = sums[0] + alone, sums[1] + encoded
            line = (f"  {camera:16s} {how:13s} {drawn:>24s} {alone:12.2f} {encoded:12.2f} "
                    f"{out.stat().st_size / 1e6:6.2f}")
            if move.name == "pan-left" and how != "frames before":  # the same frames as `frames`
                err, jerk, held = smoothness(out, recipe)
                line += (f"   pan: off the recipe {err:.2f} px, off a smooth glide {jerk:.2f} px, "
                         f"{held} held frames")
            print(line, flush=True)
    now, before = totals["frames"], totals["frames before"]
    print(f"  all moves, frames / frames before: render only {now[0]:.2f} / {before[0]:.2f} s "
          f"({now[0] / before[0]:.2f}x), render+x264 {now[1]:.2f} / {before[1]:.2f} s "
          f"({now[1] / before[1]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
