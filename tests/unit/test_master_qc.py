"""The mux and QC on tiny real films, checked with Debian's ffprobe/ffmpeg (not our build)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from microfilm import form
from microfilm.errors import MediaError
from microfilm.media import ffmpeg
from microfilm.media.audio import MixSpec, mix
from microfilm.media.master import AIGC_KEY, label_metadata, mux
from microfilm.media.qc import QCPlan, QCReport, run_qc

W, H, D = 180, 320, 12.0
PLAN = QCPlan(width=W, height=H, duration_s=D)
SYSTEM_FFPROBE = shutil.which("ffprobe")
SYSTEM_FFMPEG = shutil.which("ffmpeg")
needs_system_ffmpeg = pytest.mark.skipif(not (SYSTEM_FFPROBE and SYSTEM_FFMPEG),
                                         reason="Debian ffmpeg/ffprobe not installed")


def encode_video(path: Path, lavfi: str, *filters: str) -> Path:
    args = ["-f", "lavfi", "-i", lavfi]
    if filters:
        args += ["-vf", ",".join(filters)]
    ffmpeg.run([*args, "-an", *ffmpeg.video_encode_args(form.FPS), str(path)],
               what=f"test video {path.name}")
    return path


def ffprobe(path: Path, *args: str) -> dict:
    out = subprocess.run([SYSTEM_FFPROBE, "-v", "error", *args, "-of", "json", str(path)],
                         capture_output=True, check=True)
    return json.loads(out.stdout)


def decoded_audio(path: Path) -> np.ndarray:
    raw = subprocess.run([SYSTEM_FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a:0",
                          "-f", "f32le", "-ac", "2", "-ar", "48000", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, "<f4").reshape(-1, 2).astype(np.float64)


def top_boxes(path: Path) -> list[bytes]:
    data, boxes, pos = path.read_bytes(), [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        boxes.append(data[pos + 4:pos + 8])
        pos += size if size >= 8 else len(data)
    return boxes


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("master")
    line = d / "line.wav"
    ffmpeg.run(["-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*240*t)*(0.6+0.4*sin(2*PI*4*t))"
                ":s=48000:d=2", str(line)], what="line")
    score = d / "score.wav"
    ffmpeg.run(["-f", "lavfi", "-i", "anoisesrc=c=pink:r=48000:a=0.2:d=14", "-ac", "2",
                str(score)], what="score")
    return {
        "video": encode_video(d / "video.mp4", f"testsrc2=s={W}x{H}:r=30:d={D}"),
        "mix": mix(MixSpec(duration=D, out=d / "mix.wav", score=score,
                           dialogue=[(line, 1.0, 0.0), (line, 5.0, 0.0), (line, 9.0, 0.0)])),
        "short_mix": mix(MixSpec(duration=D - 1.5, out=d / "short.wav", score=score)),
        "dir": d,
    }


def labels(**extra: str) -> dict[str, str]:
    return label_metadata(title="Test film 测试", producer="microfilm", language="zh",
                          produce_id="sha256:abc123", **extra)


@pytest.fixture(scope="module")
def good(media) -> Path:
    return mux(media["video"], media["mix"], media["dir"] / "good.mp4", labels())


@needs_system_ffmpeg
def test_mux_faststart_metadata_and_stream_copy(good, media):
    fmt = ffprobe(good, "-show_format", "-show_streams")
    tags = fmt["format"]["tags"]
    label = json.loads(tags[AIGC_KEY])
    assert label["Label"] == "1" and label["ContentProducer"] == "microfilm"
    assert label["ProduceID"] == "sha256:abc123"
    assert tags["title"] == "Test film 测试" and "人工智能" in tags["comment"]
    boxes = top_boxes(good)
    assert boxes.index(b"moov") < boxes.index(b"mdat")
    v, a = (next(s for s in fmt["streams"] if s["codec_type"] == k) for k in ("video", "audio"))
    assert (a["codec_name"], a["profile"], a["sample_rate"], a["channels"]) == (
        "aac", "LC", "48000", 2)
    assert abs(float(a["duration"]) - float(v["duration"])) < 0.05
    # The picture was copied, not re-encoded: identical packets.
    md5 = [subprocess.run([SYSTEM_FFMPEG, "-v", "error", "-i", str(p), "-map", "0:v",
                           "-c", "copy", "-f", "md5", "-"], capture_output=True,
                          check=True).stdout for p in (media["video"], good)]
    assert md5[0] == md5[1]
    # Loudness survives the AAC encode (independent meter on the decoded file).
    assert abs(pyloudnorm.Meter(48000).integrated_loudness(decoded_audio(good)) + 14) <= 1.0


@needs_system_ffmpeg
@pytest.mark.parametrize("audio_key", ["short_mix", "long"])
def test_mux_pads_or_trims_audio_to_the_picture(media, audio_key, tmp_path):
    audio = media["short_mix"]
    if audio_key == "long":
        audio = tmp_path / "long.wav"
        ffmpeg.run(["-f", "lavfi", "-i", "sine=f=440:r=48000:d=15", "-ac", "2", str(audio)],
                   what="long audio")
    out = mux(media["video"], audio, tmp_path / "film.mp4", labels())
    streams = {s["codec_type"]: float(s["duration"])
               for s in ffprobe(out, "-show_streams")["streams"]}
    assert abs(streams["audio"] - D) < 0.05 and abs(streams["video"] - D) < 0.05


def test_mux_is_atomic_on_failure(media, tmp_path):
    out = tmp_path / "film.mp4"
    with pytest.raises(MediaError):
        mux(media["video"], media["dir"] / "missing.wav", out, labels())
    bad_audio = tmp_path / "bad.wav"
    bad_audio.write_bytes(b"not audio")
    with pytest.raises(MediaError):
        mux(media["video"], bad_audio, out, labels())
    assert list(tmp_path.iterdir()) == [bad_audio]


def test_qc_passes_a_good_film_and_writes_json(good, tmp_path):
    report = run_qc(good, PLAN)
    assert report.passed, report.summary()
    assert report.check("loudness").measured == pytest.approx(-14.0, abs=1.0)
    assert report.facts.width == W and report.facts.frame_count == 360
    path = report.write(tmp_path / "qc.json")
    again = QCReport.model_validate_json(path.read_text())
    assert again.passed and json.loads(path.read_text())["passed"] is True
    # Without a plan: the form's spec, so a 180x320 film fails on its size only.
    default = run_qc(good)
    assert {c.name for c in default.failed} == {"resolution"}


def failing(media, tmp_path, name: str, *, video: Path | None = None,
            audio_filter: str | None = None, metadata: dict | None = None) -> QCReport:
    audio = media["mix"]
    if audio_filter:
        audio = tmp_path / f"{name}.wav"
        ffmpeg.run(["-i", str(media["mix"]), "-af", audio_filter, str(audio)], what=name)
    out = mux(video or media["video"], audio, tmp_path / f"{name}.mp4",
              labels() if metadata is None else metadata)
    return run_qc(out, PLAN)


def test_qc_fails_wrong_size(media, tmp_path):
    video = encode_video(tmp_path / "wide.mp4", f"testsrc2=s={H}x{W}:r=30:d={D}")
    report = failing(media, tmp_path, "wide", video=video)
    assert {c.name for c in report.failed} == {"resolution"}
    assert report.check("resolution").measured == f"{H}x{W}"


def test_qc_fails_too_quiet(media, tmp_path):
    report = failing(media, tmp_path, "quiet", audio_filter="volume=-12dB")
    assert {c.name for c in report.failed} == {"loudness"}
    assert report.check("loudness").measured == pytest.approx(-26.0, abs=1.0)


def test_qc_fails_long_black_section(media, tmp_path):
    video = encode_video(tmp_path / "black.mp4", f"testsrc2=s={W}x{H}:r=30:d={D}",
                         "drawbox=c=black:t=fill:enable='between(t,3,8)'")
    report = failing(media, tmp_path, "black", video=video)
    assert {c.name for c in report.failed} == {"black_frames"}
    assert report.check("black_frames").measured == pytest.approx(5.0, abs=0.1)
    assert "3.00-8.0" in report.check("black_frames").detail


def test_qc_fails_five_seconds_of_silence(media, tmp_path):
    report = failing(media, tmp_path, "silent", audio_filter="volume=0:enable='between(t,4,9)'")
    assert {c.name for c in report.failed} == {"silence"}
    assert report.check("silence").measured == pytest.approx(5.0, abs=0.1)


def test_qc_fails_frozen_picture(media, tmp_path):
    video = encode_video(tmp_path / "still.mp4", f"testsrc2=s={W}x{H}:r=30:d={D}",
                         "trim=0:0.04,tpad=stop_mode=clone:stop_duration=12", "trim=0:12")
    report = failing(media, tmp_path, "still", video=video)
    assert {c.name for c in report.failed} == {"frozen_frames"}


def test_qc_fails_missing_label_and_no_faststart(media, good, tmp_path):
    report = failing(media, tmp_path, "unlabelled", metadata={"title": "no label"})
    assert {c.name for c in report.failed} == {"aigc_label"}
    slow = tmp_path / "slow.mp4"
    ffmpeg.run(["-i", str(good), "-c", "copy", "-movflags", "+use_metadata_tags",
                str(slow)], what="no faststart")
    report = run_qc(slow, PLAN)
    assert {c.name for c in report.failed} == {"faststart"}


def test_qc_fails_over_the_cap_and_off_plan(good):
    report = run_qc(good, PLAN.model_copy(update={"duration_s": 20.0, "max_duration_s": 10.0}))
    assert {c.name for c in report.failed} == {"duration", "duration_cap"}
