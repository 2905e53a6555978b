"""The camera move's renderer (media/motion.frames): the frames it pipes to ffmpeg are the
shot's, and a slow move glides by fractions of a pixel instead of stepping whole pixels.

Measured on decoded frames: the shift between consecutive frames by phase correlation
(sub-pixel), against the view the recipe asks for (motion.view_at)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from microfilm.errors import MediaError
from microfilm.fsutil import sha256_file
from microfilm.media import ffmpeg, motion
from microfilm.media.probe import count_frames
from microfilm.providers.house.animator import read_move

W, H, FPS, FRAMES = 180, 320, 30, 48


def _keyframe(path):
    """1.2x the film, with detail at every scale so a shift shows anywhere."""
    rng = np.random.default_rng(5)
    img = Image.fromarray((rng.random((384 // 8, 216 // 8, 3)) * 255).astype(np.uint8)).resize(
        (216, 384), Image.Resampling.BICUBIC)
    d = ImageDraw.Draw(img)
    for x in range(0, 216, 18):
        d.line([(x, 0), (x + 40, 384)], fill=(240, 240, 240), width=2)
    img.save(path)
    return path


def _recipe(tmp_path, camera: str) -> tuple[motion.Recipe, object]:
    kf = _keyframe(tmp_path / "keyframe.png")
    out = tmp_path / f"shot{motion.SUFFIX}"
    motion.write(out, kf, image_sha256=sha256_file(kf), image_size=(216, 384), width=W,
                 height=H, fps=FPS, frames=FRAMES, move=read_move(camera, 3))
    return motion.load(out)


def _luma(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, np.uint8, W * H).reshape(H, W).astype(np.float64)


def _shift_x(a: np.ndarray, b: np.ndarray) -> float:
    """How far b's content lies right of a's, in pixels to 1/100: the shift that best fits
    b's column profile to a's (linear interpolation), inside the middle of the picture."""
    pa, pb = a.mean(axis=0), b.mean(axis=0)
    x = np.arange(len(pa), dtype=float)
    inner = slice(30, len(pa) - 30)
    shifts = np.arange(-25.0, 25.0, 0.01)
    errors = [np.mean((np.interp(x[inner] - s, x, pa) - pb[inner]) ** 2) for s in shifts]
    return float(shifts[int(np.argmin(errors))])


def test_a_slow_pan_glides_by_fractions_of_a_pixel(tmp_path) -> None:
    recipe, image = _recipe(tmp_path, "slow pan left")
    frames = list(motion.frames(recipe, image))
    assert len(frames) == FRAMES and {len(f) for f in frames} == {W * H * 3 // 2}
    centre = (slice(60, 260), slice(0, W))
    first = _luma(frames[0])[centre]
    moved = np.array([_shift_x(first, _luma(f)[centre]) for f in frames])
    views = [motion.view_at(recipe.move, n, FRAMES, FPS, W, H) for n in range(FRAMES)]
    # a pan left: the content moves right, by the view's travel magnified to the frame
    want = np.array([(views[0].cx - v.cx) * W / v.scale for v in views])
    steps = np.diff(want)
    assert 0.1 < steps.mean() < 0.5 and steps.min() > 0.05  # slow: well under a pixel a frame
    # each frame sits where the recipe puts it, to well under the half pixel by which a view
    # placed on whole pixels would miss (held frames, then a one-pixel jump)
    assert np.abs(moved - want).max() < 0.2, np.round(moved - want, 2)
    assert (np.diff(moved) > 0).all(), np.round(np.diff(moved), 2)  # never held, never back


def test_a_push_in_magnifies_smoothly_and_keeps_colour(tmp_path) -> None:
    recipe, image = _recipe(tmp_path, "push in")
    frames = list(motion.frames(recipe, image))
    y0, y1 = _luma(frames[0]), _luma(frames[-1])
    assert np.abs(y0 - y1).mean() > 2.0, "the camera did not move"
    # the mean colour of the keyframe survives (BT.709 limited range, as yuv420p holds it)
    with Image.open(image) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float64)
    luma = 16 + 219 / 255 * (rgb @ [0.2126, 0.7152, 0.0722])
    assert y0.mean() == pytest.approx(luma.mean(), abs=6)
    u = np.frombuffer(frames[0], np.uint8)[W * H:W * H + W * H // 4]
    assert 16 <= u.min() and u.max() <= 240


def test_a_rendered_move_has_its_frames_and_ffmpeg_stops_reading_cleanly(tmp_path) -> None:
    recipe, image = _recipe(tmp_path, "handheld")
    out = motion.render_recipe(recipe, image, tmp_path / "shot.mp4")
    assert count_frames(out) == FRAMES
    # ffmpeg may stop reading before the feed ends (it has the frames it wants): no hang
    src = motion.source(recipe, image)
    ffmpeg.run([*src.input_args, "-frames:v", "3", "-f", "null", "-"], what="three frames",
               feed=src.feed())


def test_a_feed_that_fails_fails_the_run_by_name(tmp_path) -> None:
    def broken():
        yield bytes(W * H * 3 // 2)
        raise OSError("the keyframe vanished")

    with pytest.raises(MediaError, match="the test feed.*keyframe vanished"):
        ffmpeg.run(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}", "-i", "pipe:0",
                    "-f", "null", "-"], what="the test feed", feed=broken())
