"""The house animator: exact frames and format, smooth moves in the right direction."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from microfilm.errors import ProviderError
from microfilm.providers import registry
from microfilm.providers.base import AnimateRequest
from microfilm.providers.house.animator import HouseAnimator, read_move
from microfilm.media.probe import count_frames, probe

FFPROBE = shutil.which("ffprobe")


def _keyframe(path: Path, size: tuple[int, int], shape: str) -> Path:
    """A synthetic keyframe whose geometry is easy to measure in the decoded frames."""
    w, h = size
    im = Image.new("RGB", size, (0, 0, 0))
    d = ImageDraw.Draw(im)
    if shape == "disc":
        r = w * 0.12
        d.ellipse([w / 2 - r, h / 2 - r, w / 2 + r, h / 2 + r], fill=(255, 255, 255))
    elif shape == "vbar":
        d.rectangle([w / 2 - w * 0.04, 0, w / 2 + w * 0.04, h], fill=(255, 255, 255))
    elif shape == "hbar":
        d.rectangle([0, h / 2 - h * 0.03, w, h / 2 + h * 0.03], fill=(255, 255, 255))
    else:  # texture: a smooth gradient with shapes, like a painted frame
        arr = np.zeros((h, w, 3), np.uint8)
        arr[..., 0] = np.linspace(30, 220, w, dtype=np.uint8)[None, :]
        arr[..., 1] = np.linspace(40, 200, h, dtype=np.uint8)[:, None]
        arr[..., 2] = 90
        im = Image.fromarray(arr)
        d = ImageDraw.Draw(im)
        for i in range(12):
            d.ellipse([i * w / 12, (i % 4) * h / 4, i * w / 12 + w / 8, (i % 4) * h / 4 + h / 9],
                      fill=(250, 240, 220))
    im.save(path)
    return path


def _animate(tmp_path: Path, image: Path, camera: str, duration: float = 1.0,
             size: tuple[int, int] = (96, 160), fps: int = 30, seed: int = 0,
             name: str = "clip.mp4") -> Path:
    out = tmp_path / name
    res = HouseAnimator().animate(AnimateRequest(
        image=image, image_sha256="0" * 64, camera=camera, duration=duration, width=size[0],
        height=size[1], fps=fps, seed=seed, out=out))
    assert res.path == out and out.is_file() and not res.has_audio
    assert res.duration == pytest.approx(round(duration * fps) / fps)
    return out


def _frames(path: Path) -> np.ndarray:
    import av

    with av.open(str(path)) as c:
        return np.stack([f.to_ndarray(format="gray").astype(np.float32) for f in c.decode(video=0)])


def test_registered_through_entry_points() -> None:
    animator = registry.get("house-animator", "animator")
    assert isinstance(animator, HouseAnimator)
    caps = HouseAnimator.info.capabilities
    assert caps.durations == () and caps.max_duration == 600 and caps.min_duration == 0.5


@pytest.mark.parametrize(("duration", "fps"), [(1.0, 30), (1.37, 24), (0.5, 25)])
def test_exact_frames_size_rate_and_codec(tmp_path: Path, duration: float, fps: int) -> None:
    img = _keyframe(tmp_path / "k.png", (116, 192), "texture")
    out = _animate(tmp_path, img, "push-in", duration, (96, 160), fps)
    frames = round(duration * fps)
    info = probe(out)
    v = info.video
    assert v is not None and info.audio is None
    assert (v.codec, v.pix_fmt, v.width, v.height) == ("h264", "yuv420p", 96, 160)
    assert v.fps == pytest.approx(fps)
    assert count_frames(out) == frames
    assert count_frames(out, decode=True) == frames
    if FFPROBE:  # an independent reader agrees (Debian's ffprobe)
        js = json.loads(subprocess.run(
            [FFPROBE, "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(out)],
            capture_output=True, check=True, text=True).stdout)
        streams = js["streams"]
        assert len(streams) == 1 and streams[0]["codec_type"] == "video"
        s = streams[0]
        assert int(s["nb_read_frames"]) == frames
        assert s["r_frame_rate"] == f"{fps}/1" and s["avg_frame_rate"] == f"{fps}/1"
        assert (s["width"], s["height"], s["pix_fmt"]) == (96, 160, "yuv420p")


def test_push_in_is_smooth_and_zooms(tmp_path: Path) -> None:
    img = _keyframe(tmp_path / "disc.png", (232, 384), "disc")
    fr = _frames(_animate(tmp_path, img, "push-in", 1.5, (192, 320)))
    area = fr.sum(axis=(1, 2)) / 255.0  # sub-pixel area of the white disc
    grow = np.diff(area)
    assert area[-1] / area[0] == pytest.approx((0.95 / 0.8) ** 2, rel=0.08)
    assert (grow > 0).all(), "the push stalls or jumps back (integer-pixel stepping)"
    assert grow.max() < 2.0 * np.median(grow), "a jump in the move"
    tex = _frames(_animate(tmp_path, _keyframe(tmp_path / "t.png", (232, 384), "texture"),
                           "push in", 1.5, (192, 320), name="tex.mp4"))
    d = np.abs(np.diff(tex, axis=0)).mean(axis=(1, 2))
    assert (d > 0.05).all(), "consecutive frames are identical: a freeze"
    assert d.max() < 4.0, "consecutive frames differ a lot: not a smooth move"
    assert d.max() < 3.0 * np.median(d)


@pytest.mark.parametrize(("camera", "axis", "sign"), [
    ("pan-right", "x", -1), ("pan left", "x", 1), ("tilt-up", "y", 1), ("下摇", "y", -1),
])
def test_pans_and_tilts_travel_the_right_way(tmp_path: Path, camera: str, axis: str,
                                             sign: int) -> None:
    shape = "vbar" if axis == "x" else "hbar"
    img = _keyframe(tmp_path / "bar.png", (232, 384), shape)
    fr = _frames(_animate(tmp_path, img, camera, 1.0, (192, 320)))
    prof = fr.sum(axis=1) if axis == "x" else fr.sum(axis=2)  # mass along the moving axis
    pos = (prof * np.arange(prof.shape[1])).sum(axis=1) / prof.sum(axis=1)
    step = np.diff(pos) * sign
    assert (step > 0).all(), f"{camera}: the bar does not travel steadily ({pos})"
    travel = (pos[-1] - pos[0]) * sign
    assert travel > 10, f"{camera}: too small a move ({travel:.1f} px)"


def test_static_still_breathes_and_handheld_sways_within_the_picture(tmp_path: Path) -> None:
    img = _keyframe(tmp_path / "t.png", (232, 384), "texture")
    for cam in ("static", "handheld", "something the board invented"):
        fr = _frames(_animate(tmp_path, img, cam, 2.0, (192, 320), name=f"{cam[:8]}.mp4"))
        d = np.abs(np.diff(fr, axis=0)).mean(axis=(1, 2))
        # slow moves change little per frame, but no run of frames is frozen
        window = np.convolve(d, np.ones(3), mode="valid")
        assert (window > 0.05).all(), f"{cam}: frozen frames"
        assert np.abs(fr[-1] - fr[0]).mean() > 1.0, f"{cam}: no move at all"
        assert d.max() < 3.0, f"{cam}: a jolt"
        assert fr.min(axis=0).min() >= 0 and fr[:, :2, :].mean() > 15, "the edge was revealed"


def test_same_request_same_frames(tmp_path: Path) -> None:
    img = _keyframe(tmp_path / "t.png", (116, 192), "texture")
    a = _frames(_animate(tmp_path, img, "handheld", 1.0, seed=3, name="a.mp4"))
    b = _frames(_animate(tmp_path, img, "handheld", 1.0, seed=3, name="b.mp4"))
    assert np.array_equal(a, b)


def test_move_words() -> None:
    assert read_move("push-in").name == "push-in"
    assert read_move("slow push-in").scale1 > read_move("push-in").scale1  # a smaller push
    assert read_move("dolly in").name == "push-in" and read_move("推").name == "push-in"
    assert read_move("pull-out").scale1 > read_move("pull-out").scale0
    assert read_move("Pan_Left").cx1 < read_move("Pan_Left").cx0
    assert read_move("slow pan-right").cx1 > 0.5
    assert read_move("tilt-up").cy1 < read_move("tilt-up").cy0
    assert read_move("手持").name == "handheld" and read_move("handheld").sway > 0
    assert read_move("whip-pan").name == "whip-pan"
    unknown = read_move("orbit around")
    assert unknown.name == "push-in" and 0.8 < unknown.scale1 < unknown.scale0


def test_clear_errors(tmp_path: Path) -> None:
    img = _keyframe(tmp_path / "k.png", (116, 192), "texture")
    with pytest.raises(ProviderError, match="does not exist"):
        _animate(tmp_path, tmp_path / "missing.png", "static")
    with pytest.raises(ProviderError, match="even"):
        _animate(tmp_path, img, "static", size=(95, 160))
    with pytest.raises(ProviderError, match="duration"):
        _animate(tmp_path, img, "static", duration=0.1)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(ProviderError, match="cannot read"):
        _animate(tmp_path, tmp_path / "bad.png", "static")


def test_real_size_clip(tmp_path: Path) -> None:
    """The master size from a 1.2x keyframe, as the stage asks for it."""
    img = _keyframe(tmp_path / "big.png", (1296, 2304), "texture")
    out = _animate(tmp_path, img, "pan-left", 1.0, (1080, 1920))
    v = probe(out).video
    assert v is not None and (v.width, v.height, v.pix_fmt) == (1080, 1920, "yuv420p")
    assert count_frames(out) == 30
