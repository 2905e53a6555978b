"""The camera move's renderer (media/motion.frames): the frames it pipes to ffmpeg are the
shot's, and a slow move glides by fractions of a pixel instead of stepping whole pixels.

Measured on decoded frames: the shift between consecutive frames by phase correlation
(sub-pixel), against the view the recipe asks for (motion.view_at)."""

from __future__ import annotations

import gc
import hashlib
import random

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


def _pillow_frames(recipe: motion.Recipe, image) -> list[bytes]:
    """The frames as Pillow's public API draws them: per plane, `Image.transform` onto a
    new image filled with the plane's fill, then its bytes (what motion.frames did before it
    drew into its own buffers)."""
    W_, H_, k = recipe.width, recipe.height, motion.SUPERSAMPLE
    planes = [motion._supersampled(p) for p in motion.yuv_planes(image, (W_, H_))]
    out = []
    for n in range(recipe.frames):
        v = motion.view_at(recipe.move, n, recipe.frames, recipe.fps, W_, H_)
        cos, sin = np.cos(v.roll), np.sin(v.roll)
        a, b, d, e = k * v.scale * cos, -k * v.scale * sin, k * v.scale * sin, k * v.scale * cos
        x, y = k * v.cx * W_, k * v.cy * H_
        chunks = []
        for i, plane in enumerate(planes):
            q = 1 if i == 0 else 2
            w, h = W_ // q, H_ // q
            m = (a, b, x / q - a * w / 2 - b * h / 2, d, e, y / q - d * w / 2 - e * h / 2)
            chunks.append(plane.transform((w, h), Image.Transform.AFFINE, m, Image.Resampling.NEAREST,
                                          fillcolor=motion._Canvas.FILLS[i]).tobytes())
        out.append(b"".join(chunks))
    return out


@pytest.mark.parametrize("camera", ["push in", "handheld", "whip pan", "too wide"])
def test_frames_are_the_bytes_pillow_transform_draws(tmp_path, camera) -> None:
    """motion.frames draws through Pillow's core into its own buffers: the same bytes as the
    public Image.transform, rolled (handheld) or not, and where the view leaves the picture
    (a move wider than the keyframe: the fill shows)."""
    recipe, image = _recipe(tmp_path, "push in" if camera == "too wide" else camera)
    if camera == "too wide":
        wide = recipe.move.model_copy(update={"scale0": 1.3, "scale1": 1.25})
        recipe = recipe.model_copy(update={"move": wide, "frames": 6})
    want = _pillow_frames(recipe, image)
    got = [bytes(f) for f in motion.frames(recipe, image)]
    assert len(got) == recipe.frames and got == want
    if camera == "too wide":  # the view overhangs right and below: black, neutral chroma there
        assert got[0][W * H - 1] == 16 and got[0][-1] == 128 and got[0][0] != 16


# sha256 of every frame of _recipe's shots, as the renderer drew them when they were first
# stored (house-animator version 3): a change here changes every house film's segments
# (their cache keys do not see it), so it must come with a new renderer version
STORED = {
    "push in": "160b6413e03c3ad219d2748dd9a5ac3454e00f588bedfd6dfaef9c4ebf359246",
    "handheld": "3cac0be996188ecbeabeb1ea37a887c5cff4ebfaa740f0e33b7afe3f8d0a06b5",
    "whip pan": "59a32e80c804aaf74addd1f4eec47e3c27004b3a30f59130040fa8a1f4be6538",
    "slow pan left": "b4e4b1dc9c0691f00e106d79e295475904b04347681781f7943d89abd6e98f08",
}


@pytest.mark.parametrize("camera", sorted(STORED))
def test_a_shots_bytes_are_the_stored_ones(tmp_path, camera) -> None:
    recipe, image = _recipe(tmp_path, camera)
    digest = hashlib.sha256()
    for frame in motion.frames(recipe, image):
        digest.update(frame)
    assert digest.hexdigest() == STORED[camera]


def test_frames_from_a_start_and_held_views(tmp_path) -> None:
    recipe, image = _recipe(tmp_path, "whip pan")
    every = [bytes(f) for f in motion.frames(recipe, image)]
    assert [bytes(f) for f in motion.frames(recipe, image, start=30)] == every[30:]
    # a whip holds its first and last thirds: those frames are the same picture
    assert every[0] == every[10] and every[-1] == every[-10] and every[0] != every[-1]


def test_the_piped_frames_reach_ffmpeg_intact(tmp_path) -> None:
    """What the segment's ffmpeg reads from its stdin is exactly motion.frames' bytes (read
    back by a raw passthrough), as a segment encode feeds it."""
    recipe, image = _recipe(tmp_path, "push in")
    src = motion.source(recipe, image)
    out = tmp_path / "frames.yuv"
    ffmpeg.run([*src.input_args, "-f", "rawvideo", "-pix_fmt", "yuv420p", str(out)],
               what="passthrough", feed=src.feed())
    assert out.read_bytes() == b"".join(bytes(f) for f in motion.frames(recipe, image))


@pytest.mark.skipif(ffmpeg._SPLICE is None, reason="no vmsplice here (not Linux): chunks are copied")
@pytest.mark.parametrize("size,count", [(384, 12000), (4096, 1500)])
def test_spliced_chunks_survive_their_memory_being_reused(tmp_path, size, count) -> None:
    """A spliced chunk's pages sit in the pipe until ffmpeg reads them; freed before that,
    its memory is reused by the next chunks and ffmpeg reads those instead. Small chunks,
    each dropped by the feed at once, make that happen at once if the feeder lets go of
    them too early (it did, in a version that kept none)."""
    sent = []

    def feed():
        rnd = random.Random(size)
        for _ in range(count):
            chunk = bytearray(rnd.randbytes(size))
            sent.append(bytes(chunk))
            yield chunk

    out = tmp_path / "out.raw"
    ffmpeg.run(["-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{size}x1", "-i", "pipe:0",
                "-f", "rawvideo", str(out)], what="tiny chunks", feed=feed())
    assert out.read_bytes() == b"".join(sent)


def test_canvases_drawing_one_keyframe_at_once_share_its_planes(tmp_path) -> None:
    """A transition drawn into the next shot while that shot's segment draws it too: the
    keyframe is prepared once, and let go when neither draws any more."""
    recipe, image = _recipe(tmp_path, "push in")
    a, b = motion._Canvas(recipe, image), motion._Canvas(recipe, image)
    assert a.planes is b.planes and bytes(a.draw(5)) == bytes(b.draw(5))
    key = (recipe.image_sha256, recipe.width, recipe.height)
    del a, b
    gc.collect()
    assert key not in motion._prepared
