"""A house shot is encoded once: its clip is a camera-move recipe (media/motion.py) that the
segment encode renders from the keyframe, with subtitles and label, in one x264 run.

Every ffmpeg microfilm starts is logged (ffmpeg.CALL_LOG_ENV), so
the encodes are counted, not assumed; the pictures are checked with Debian's ffprobe and by
decoding frames."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from microfilm.fsutil import sha256_file
from microfilm.media import ffmpeg, motion
from microfilm.media.fonts import find_font
from microfilm.media.probe import decode_frame
from microfilm.media.segments import SegmentSpec, encode_segment
from microfilm.media.subtitles import Cue, SafeArea, write_ass
from microfilm.providers.base import AnimateRequest
from microfilm.providers.house.animator import HouseAnimator
from tests.filmcheck import ffprobe

W, H, FPS = 180, 320, 30


@pytest.fixture
def ffmpeg_calls(tmp_path, monkeypatch):
    """The argv of every ffmpeg started while the test runs, one list per call."""
    log = tmp_path / "ffmpeg-calls.jsonl"
    monkeypatch.setenv(ffmpeg.CALL_LOG_ENV, str(log))
    return lambda: ffmpeg.logged_calls(log)


def _keyframe(path: Path) -> Path:
    """A 1.2x keyframe with detail everywhere, so a move and a subtitle both show."""
    img = Image.new("RGB", (216, 384), (40, 70, 110))
    d = ImageDraw.Draw(img)
    for i in range(0, 384, 24):
        d.rectangle([0, i, 216, i + 11], fill=(60 + i // 3, 90, 140 - i // 4))
    for i in range(0, 216, 30):
        d.ellipse([i, 150, i + 20, 170], fill=(230, 200, 90))
    img.save(path)
    return path


def _recipe(tmp_path: Path, camera: str, duration: float = 1.0) -> Path:
    kf = _keyframe(tmp_path / "keyframe.png")
    out = tmp_path / f"shot{motion.SUFFIX}"
    result = HouseAnimator().animate(AnimateRequest(
        image=kf, image_sha256=sha256_file(kf), camera=camera, duration=duration, width=W,
        height=H, fps=FPS, out=out, seed=7))
    assert result.path == out and result.duration == pytest.approx(duration)
    return out


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def test_a_house_segment_is_one_encode_with_subtitles_burned_in(tmp_path, ffmpeg_calls) -> None:
    recipe = _recipe(tmp_path, "slow push in")
    assert ffmpeg_calls() == []  # the animator wrote numbers, not a video
    data = json.loads(recipe.read_text())
    assert data["kind"] == motion.KIND and data["frames"] == FPS and recipe.stat().st_size < 2000
    safe = SafeArea.default(W, H)
    ass = write_ass([Cue(0.2, 0.6, "我们明天见", "妈妈")], tmp_path / "cue.ass", width=W, height=H,
                    language="zh", font=find_font(cjk=True), margins=safe)
    subbed = encode_segment(SegmentSpec(source=recipe, out=tmp_path / "subbed.mp4", duration=1.0,
                                        width=W, height=H, ass=ass, label="AI生成", safe_area=safe))
    calls = ffmpeg_calls()
    assert len(calls) == 1, calls  # one ffmpeg run for the whole shot ...
    argv = calls[0]
    assert argv.count("libx264") == 1 and argv.count("-i") == 1  # ... one x264 encode ...
    # ... from frames drawn from the still and piped in (media/motion.frames), no file between
    assert argv[argv.index("-i") + 1] == "pipe:0" and argv[argv.index("-f") + 1] == "rawvideo"
    plain = encode_segment(SegmentSpec(source=recipe, out=tmp_path / "plain.mp4", duration=1.0,
                                       width=W, height=H))
    for path in (subbed, plain):
        info = ffprobe(path, "-count_frames")
        (v,) = info["streams"]  # video only: the sound is mixed apart
        assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
        assert (v["width"], v["height"], v["avg_frame_rate"]) == (W, H, "30/1")
        assert int(v["nb_read_frames"]) == FPS
        assert float(info["format"]["duration"]) == pytest.approx(1.0, abs=0.02)
    # the cue is burned in while it is on, and only then
    on = np.abs(decode_frame(subbed, 0.4).astype(int) - decode_frame(plain, 0.4)).sum(axis=2)
    off = np.abs(decode_frame(subbed, 0.9).astype(int) - decode_frame(plain, 0.9)).sum(axis=2)
    lower = slice(H // 2, H - safe.bottom + 10)
    assert (on[lower] > 60).mean() > 0.02, "no subtitle in the lower half at the cue"
    assert (off[lower] > 60).mean() < 0.002, "a subtitle shows after its cue ended"
    assert (off[safe.top:safe.top + 20] > 60).mean() > 0.02, "the AI label is missing"


@pytest.mark.parametrize("camera", ["push in", "handheld"])
def test_one_encode_shows_what_two_did(tmp_path, camera) -> None:
    """The recipe rendered into the segment shows the same pictures as the former path (a
    clip rendered to H.264, then conformed and encoded again), motion included."""
    recipe = _recipe(tmp_path, camera)
    clip = motion.render(recipe, tmp_path / "clip.mp4")  # the former intermediate clip
    twice = encode_segment(SegmentSpec(source=clip, out=tmp_path / "twice.mp4", duration=1.0,
                                       width=W, height=H))
    once = encode_segment(SegmentSpec(source=recipe, out=tmp_path / "once.mp4", duration=1.0,
                                      width=W, height=H))
    for t in (0.0, 0.5, 29 / FPS):
        assert _psnr(decode_frame(once, t), decode_frame(twice, t)) > 38, t
    first, last = decode_frame(once, 0.0).astype(int), decode_frame(once, 29 / FPS).astype(int)
    assert np.abs(first - last).mean() > 1.0, "the camera did not move"


def test_a_recipe_whose_keyframe_changed_is_refused_by_name(tmp_path) -> None:
    recipe = _recipe(tmp_path, "pan left")
    Image.new("RGB", (216, 384), "red").save(tmp_path / "keyframe.png")
    with pytest.raises(Exception) as exc:
        encode_segment(SegmentSpec(source=recipe, out=tmp_path / "x.mp4", duration=1.0,
                                   width=W, height=H))
    assert str(recipe) in str(exc.value) and "image_sha256" in str(exc.value)
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.e2e
def test_a_house_film_encodes_each_shot_once(tmp_path, ffmpeg_calls) -> None:
    """Whole pipeline: every x264 encode of `make` is a segment, one per shot (the house
    transitions are drawn in them); the film's streams, duration and frame count are the
    plan's."""
    from microfilm import api
    from microfilm.project import Project
    from microfilm.spec.cut import Cut

    root = api.new(tmp_path / "film", title="The Umbrella", genre="youth-romance",
                   logline="Two strangers share an umbrella at a bus stop.", duration=20, seed=7)
    api.make(root)
    cut = Cut.load(Project.at(root).cut_json)
    encodes = [argv[-1] for argv in ffmpeg_calls() if "libx264" in argv]
    segments = [o for o in encodes if "/segment/" in o]
    windows = [o for o in encodes if "/transitions/" in o or "/.join." in o]
    assert len(segments) == len(cut.segments)  # one encode per shot, no intermediate clip
    # between house shots every transition is drawn by the outgoing segment: no window encode
    assert [s.window_drawn for s in cut.segments] == [s.transition_s > 0 for s in cut.segments]
    assert any(s.window_drawn for s in cut.segments)
    assert windows == [] and len(encodes) == len(segments), encodes
    info = ffprobe(root / "out" / "film.mp4", "-count_frames")
    kinds = sorted(s["codec_type"] for s in info["streams"])
    assert kinds == ["audio", "video"]
    v = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (v["width"], v["height"], v["avg_frame_rate"]) == (cut.width, cut.height, f"{cut.fps}/1")
    assert int(v["nb_read_frames"]) == round(cut.duration * cut.fps)
    assert float(info["format"]["duration"]) == pytest.approx(cut.duration, abs=0.05)
    qc = json.loads((root / "out" / "qc.json").read_text())
    assert qc["passed"], qc
