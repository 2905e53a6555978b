"""probe(), count_frames(), decode_frame() against tiny real files, checked with ffprobe."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from microfilm.errors import MediaError
from microfilm.media.ffmpeg import run
from microfilm.media.probe import count_frames, decode_frame, frame_times, iter_packets, probe


def _ffprobe(path: Path) -> dict:
    exe = shutil.which("ffprobe")
    if exe is None:
        pytest.skip("Debian ffprobe is not installed (the independent check)")
    out = subprocess.run([exe, "-v", "error", "-count_frames", "-show_streams", "-show_format",
                          "-of", "json", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def av_clip(tmp_path_factory) -> Path:
    """160x90, 25 fps, 1 s of video; 44.1 kHz stereo AAC; a title tag."""
    out = tmp_path_factory.mktemp("probe") / "clip.mp4"
    run(["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=1",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1",
         "-map", "0:v", "-map", "1:a", "-ac", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-color_range", "tv", "-colorspace", "bt709", "-c:a", "aac",
         "-metadata", "title=小电影 test",
         "-metadata", "comment=AIGC", out], what="probe fixture")
    return out


@pytest.fixture(scope="module")
def red_then_blue(tmp_path_factory) -> Path:
    """0.5 s red then 0.5 s blue, 20 fps, 64x64."""
    out = tmp_path_factory.mktemp("probe") / "rb.mp4"
    run(["-f", "lavfi", "-i", "color=red:size=64x64:rate=20:duration=0.5",
         "-f", "lavfi", "-i", "color=blue:size=64x64:rate=20:duration=0.5",
         "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
         "-c:v", "libx264", "-g", "5", "-pix_fmt", "yuv420p", out], what="probe fixture")
    return out


def test_probe_reports_streams_and_tags(av_clip: Path) -> None:
    info = probe(av_clip)
    v, a = info.video, info.audio
    assert v is not None and a is not None
    assert (v.codec, v.profile, v.pix_fmt) == ("h264", "High", "yuv420p")
    assert (v.width, v.height) == (160, 90) and v.size == (160, 90)
    assert v.fps == 25.0 and v.fps_fraction == Fraction(25)
    assert v.frames == 25
    assert v.color_range == "tv"
    assert (a.codec, a.sample_rate, a.channels) == ("aac", 44100, 2)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert info.tags["title"] == "小电影 test" and info.tags["comment"] == "AIGC"
    assert "mp4" in info.format_name


def test_probe_agrees_with_ffprobe(av_clip: Path) -> None:
    ref = _ffprobe(av_clip)
    v = next(s for s in ref["streams"] if s["codec_type"] == "video")
    info = probe(av_clip)
    assert info.video.width == v["width"] and info.video.height == v["height"]
    assert info.video.pix_fmt == v["pix_fmt"] and info.video.profile == v["profile"]
    assert info.video.color_range == v["color_range"] == "tv"
    assert count_frames(av_clip) == int(v["nb_read_frames"]) == 25
    assert count_frames(av_clip, decode=True) == 25
    assert info.duration == pytest.approx(float(ref["format"]["duration"]), abs=1e-3)


def test_full_range_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "pc.mp4"
    run(["-f", "lavfi", "-i", "color=gray:size=32x32:rate=10:duration=0.2", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", "-color_range", "pc", "-colorspace", "bt709", out], what="pc")
    assert probe(out).video.color_range == "pc"


def test_media_info_is_frozen(av_clip: Path) -> None:
    info = probe(av_clip)
    with pytest.raises(AttributeError):
        info.duration = 3.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        info.video.width = 3  # type: ignore[misc,union-attr]


def test_unreadable_and_missing_files_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-video.mp4"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(MediaError, match="not-a-video.mp4"):
        probe(bad)
    with pytest.raises(MediaError, match="missing.mp4"):
        probe(tmp_path / "missing.mp4")
    with pytest.raises(MediaError, match="not-a-video.mp4"):
        count_frames(bad)


def test_audio_only_file_has_no_video(tmp_path: Path) -> None:
    wav = tmp_path / "tone.wav"
    run(["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=0.2", wav], what="wav")
    info = probe(wav)
    assert info.video is None and info.audio.sample_rate == 48000 and info.audio.channels == 1
    with pytest.raises(MediaError, match="no video stream"):
        count_frames(wav)


def test_decode_frame_is_exact_not_nearest_keyframe(red_then_blue: Path) -> None:
    early, late = decode_frame(red_then_blue, 0.2), decode_frame(red_then_blue, 0.8)
    assert early.shape == (64, 64, 3) and early.dtype == np.uint8
    assert early[..., 0].mean() > 200 and early[..., 2].mean() < 60  # red
    assert late[..., 2].mean() > 200 and late[..., 0].mean() < 60  # blue
    # frame 10 (t = 0.5) is the first blue one; 0.45 is the last red one
    assert decode_frame(red_then_blue, 0.5)[..., 2].mean() > 200
    assert decode_frame(red_then_blue, 0.45)[..., 0].mean() > 200
    with pytest.raises(MediaError, match="past the last frame"):
        decode_frame(red_then_blue, 3.0)


def test_frame_times_and_packets(red_then_blue: Path) -> None:
    times = frame_times(red_then_blue)
    assert len(times) == 20
    assert np.allclose(np.diff(times), 0.05)
    packets = list(iter_packets(red_then_blue))
    assert len(packets) == 20
    assert [p[1] for p in packets].count(True) >= 4  # -g 5
    assert all(isinstance(p[2], bytes) and p[2] for p in packets)
