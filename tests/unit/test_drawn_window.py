"""A dissolve or fade between two house shots is drawn by the outgoing segment
(media/drawn_window.py): every frame of the film is encoded once and the join is a stream copy.

Checked on decoded frames of real encodes: the window is where the plan puts it, mixes the two
pictures (or passes through black), and the joined film has exactly the planned frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from microfilm.errors import MediaError
from microfilm.fsutil import sha256_file
from microfilm.media import drawn_window, ffmpeg, motion
from microfilm.media.probe import count_frames, decode_frame
from microfilm.media.segments import SegmentSpec, Transition, concat, encode_segment, leading
from microfilm.providers.base import AnimateRequest
from microfilm.providers.house.animator import HouseAnimator

W, H, FPS = 180, 320, 30
RED, BLUE = (200, 60, 50), (40, 80, 200)


@pytest.fixture
def ffmpeg_calls(tmp_path, monkeypatch):
    log = tmp_path / "ffmpeg-calls.jsonl"
    monkeypatch.setenv(ffmpeg.CALL_LOG_ENV, str(log))
    return lambda: ffmpeg.logged_calls(log)


def _recipe(folder: Path, name: str, colour: tuple[int, int, int], seconds: float = 1.0,
            size: tuple[int, int] = (W, H)) -> Path:
    """A house shot of one dominant colour (a few stripes, so the move has detail)."""
    img = Image.new("RGB", (216, 384), colour)
    d = ImageDraw.Draw(img)
    for i in range(0, 384, 48):
        d.rectangle([0, i, 216, i + 6], fill=tuple(min(255, c + 30) for c in colour))
    kf = folder / f"{name}.png"
    img.save(kf)
    out = folder / f"{name}{motion.SUFFIX}"
    HouseAnimator().animate(AnimateRequest(
        image=kf, image_sha256=sha256_file(kf), camera="slow push in", duration=seconds,
        width=size[0], height=size[1], fps=FPS, out=out, seed=3))
    return out


def _mean_rgb(path: Path, frame: int) -> np.ndarray:
    return decode_frame(path, (frame + 0.5) / FPS).reshape(-1, 3).mean(axis=0)


def _pair(tmp_path: Path, kind: str) -> tuple[Path, Path, Transition]:
    a, b = _recipe(tmp_path, "a", RED), _recipe(tmp_path, "b", BLUE)
    t = Transition(kind, 0.6)  # 18 frames: 9 from the end of A's slot, 9 from B's
    sa = encode_segment(SegmentSpec(source=a, out=tmp_path / "sa.mp4", duration=1.0, width=W,
                                    height=H, transition_out=t, window_out=b))
    sb = encode_segment(SegmentSpec(source=b, out=tmp_path / "sb.mp4", duration=1.0, width=W,
                                    height=H, transition_in=t, window_in_drawn=True))
    return sa, sb, t


def test_a_dissolve_is_drawn_in_the_outgoing_segment_and_joined_by_copy(tmp_path, ffmpeg_calls):
    sa, sb, t = _pair(tmp_path, "dissolve")
    a_frames, b_frames = t.split(FPS)
    assert (count_frames(sa), count_frames(sb)) == (FPS + b_frames, FPS - b_frames)
    film = concat([sa, sb], tmp_path / "film.mp4", fps=FPS)
    assert count_frames(film) == 2 * FPS  # the plan's frames, the cut where the board put it
    x264 = [argv for argv in ffmpeg_calls() if "libx264" in argv]
    assert len(x264) == 2  # one encode per shot; the join re-encoded nothing
    red, blue = np.array(RED, float), np.array(BLUE, float)
    before = _mean_rgb(film, FPS - a_frames - 2)
    middle = _mean_rgb(film, FPS)  # the planned cut: halfway through the window
    after = _mean_rgb(film, FPS + b_frames + 2)
    assert np.abs(before - red).max() < 25 and np.abs(after - blue).max() < 25
    half = (red + blue) / 2
    assert np.abs(middle - half).max() < 25, (middle, half)
    # the mix moves one way only, frame by frame, from A to B
    reds = [_mean_rgb(film, f)[0] for f in range(FPS - a_frames, FPS + b_frames)]
    assert all(x >= y - 2 for x, y in zip(reds, reds[1:])) and reds[0] - reds[-1] > 100


def test_a_fade_passes_through_black(tmp_path):
    sa, sb, t = _pair(tmp_path, "fade")
    film = concat([sa, sb], tmp_path / "film.mp4", fps=FPS)
    assert _mean_rgb(film, FPS - 1).max() < 30  # the middle of the window: black
    assert _mean_rgb(film, FPS - t.split(FPS)[0] - 2)[0] > 150  # A before it
    assert _mean_rgb(film, FPS + t.split(FPS)[1] + 2)[2] > 150  # B after it


def test_a_teaser_can_cut_the_shot_before_its_drawn_window(tmp_path):
    sa, _, t = _pair(tmp_path, "dissolve")
    first = FPS - t.split(FPS)[0]  # where the window begins: a keyframe
    piece = leading(sa, first, tmp_path, "teaser")
    assert count_frames(piece) == first
    assert np.abs(_mean_rgb(piece, first - 1) - np.array(RED, float)).max() < 25
    with pytest.raises(MediaError, match="no keyframe"):
        leading(sa, first - 3, tmp_path, "bad")


def test_what_can_be_drawn(tmp_path):
    a, b = _recipe(tmp_path, "a", RED), _recipe(tmp_path, "b", BLUE)
    other = _recipe(tmp_path, "c", BLUE, size=(W * 2, H * 2))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"")
    ok = dict(width=W, height=H, fps=FPS)
    assert drawn_window.drawable(a, b, "dissolve", **ok)
    assert drawn_window.drawable(a, b, "fade", **ok)
    assert not drawn_window.drawable(a, b, "wipeleft", **ok)  # the join's xfade draws wipes
    assert not drawn_window.drawable(a, clip, "dissolve", **ok)  # a paid clip: the join's
    assert not drawn_window.drawable(a, other, "dissolve", **ok)  # another size: conformed
    with pytest.raises(ValueError, match="window_out"):
        SegmentSpec(source=a, out=tmp_path / "x.mp4", duration=1.0, width=W, height=H,
                    transition_out=Transition("wipeleft", 0.5), window_out=b)


def test_a_shot_shorter_than_its_drawn_windows_is_refused(tmp_path):
    a, b = _recipe(tmp_path, "a", RED, 0.5), _recipe(tmp_path, "b", BLUE)
    t = Transition("dissolve", 0.6)
    with pytest.raises(MediaError, match="shorter than its"):
        encode_segment(SegmentSpec(source=a, out=tmp_path / "x.mp4", duration=0.3, width=W,
                                   height=H, transition_in=t, window_in_drawn=True,
                                   transition_out=t, window_out=b))
    assert not (tmp_path / "x.mp4").exists()
