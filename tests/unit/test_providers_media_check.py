"""media_check: broken files are rejected, wrong sizes reframed by rule, VFR made CFR."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from microfilm.providers.jobs import BadMediaError
from microfilm.providers.media_check import (
    choose_rule,
    conform_audio,
    conform_clip,
    conform_image,
    probe_video,
)
from tests.fakes import media


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_undecodable_and_truncated_clips_are_rejected(tmp_path):
    good = media.clip(2.0)
    with pytest.raises(BadMediaError, match="cannot be decoded|decodable"):
        conform_clip(_write(tmp_path / "cut.mp4", good[: len(good) // 2]), tmp_path / "o.mp4",
                     expected_duration=2.0, width=72, height=128, fps=24)
    with pytest.raises(BadMediaError):
        conform_clip(_write(tmp_path / "junk.mp4", b"\x00" * 4096), tmp_path / "o.mp4",
                     expected_duration=2.0, width=72, height=128, fps=24)
    short = _write(tmp_path / "short.mp4", media.clip(1.0))
    with pytest.raises(BadMediaError, match="truncated"):
        conform_clip(short, tmp_path / "o.mp4", expected_duration=2.0, width=72, height=128, fps=24)
    assert not (tmp_path / "o.mp4").exists()


def test_a_clip_that_meets_the_spec_is_copied_not_reencoded(tmp_path):
    src = _write(tmp_path / "ok.mp4", media.clip(2.0))
    result = conform_clip(src, tmp_path / "o.mp4", expected_duration=2.0, width=72, height=128, fps=24)
    assert (tmp_path / "o.mp4").read_bytes() == src.read_bytes() and result.duration == pytest.approx(2.0)


def test_landscape_clip_is_padded_into_portrait_and_vfr_becomes_cfr(tmp_path):
    src = _write(tmp_path / "wide.mp4", media.clip(2.0, 128, 72, vfr=True, audio=True))
    assert probe_video(src).vfr
    out = tmp_path / "tall.mp4"
    result = conform_clip(src, out, expected_duration=1.9, width=144, height=256, fps=30)
    info = probe_video(out)
    assert (info.width, info.height) == (144, 256) and not info.vfr
    assert info.fps == pytest.approx(30, abs=0.01) and result.has_audio
    with av.open(str(out)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(float)
    # pad rule: the picture sits in the middle band over a blurred fill, not black bars
    middle, top = frame[100:156].std(), frame[:40].mean()
    assert middle > 10 and top > 10
    Image.fromarray(frame.astype(np.uint8)).save(tmp_path / "look.png")


def test_rule_crops_small_differences_and_pads_large_ones():
    assert choose_rule((1024, 1792), (1080, 1920)) == "crop"  # 1.6 % lost
    assert choose_rule((1920, 1080), (1080, 1920)) == "pad"  # 68 % would be lost
    assert choose_rule((720, 1280), (1080, 1920)) == "scale"


def test_images_are_checked_and_reframed(tmp_path):
    src = _write(tmp_path / "a.png", media.png(100, 100))
    result = conform_image(src, tmp_path / "o.png", width=90, height=160)
    with Image.open(result.path) as im:
        assert im.size == (90, 160) and im.format == "PNG"
    with pytest.raises(BadMediaError):
        conform_image(_write(tmp_path / "bad.png", b"\x89PNG\r\n\x1a\nnot really"), tmp_path / "x.png",
                      width=90, height=160)


def test_audio_becomes_wav_48k_and_silence_or_junk_is_rejected(tmp_path):
    src = _write(tmp_path / "a.mp3", media.audio(1.5, "mp3"))
    result = conform_audio(src, tmp_path / "o.wav")
    with wave.open(str(result.path)) as w:
        assert w.getframerate() == 48000
    assert result.duration == pytest.approx(1.5, abs=0.1)
    with pytest.raises(BadMediaError):
        conform_audio(_write(tmp_path / "j.mp3", b"ID3" + b"\x00" * 100), tmp_path / "x.wav")
    with pytest.raises(BadMediaError, match="truncated"):
        conform_audio(src, tmp_path / "y.wav", expected_duration=4.0)
