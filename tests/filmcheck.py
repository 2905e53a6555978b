"""Independent checks on a finished film: ffprobe (Debian's), subtitle parsers, decoded frames."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import srt
import webvtt

from microfilm.media.ffmpeg import ffmpeg_exe


def ffprobe(path: Path, *args: str) -> dict:
    """Debian's ffprobe on `path`; `args` add options (e.g. "-count_frames")."""
    exe = shutil.which("ffprobe")
    assert exe, "ffprobe (Debian package ffmpeg) is needed for the end-to-end checks"
    out = subprocess.run(
        [exe, "-v", "error", *args, "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def streams(info: dict, kind: str) -> list[dict]:
    return [s for s in info["streams"] if s["codec_type"] == kind]


def frame_at(path: Path, t: float, width: int, height: int) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-ss", f"{t:.3f}", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def save_png(path: Path, t: float, out: Path) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", str(path),
                    "-frames:v", "1", str(out)], check=True)
    return out


def check_master(film: Path, planned: float, width: int = 1080, height: int = 1920) -> dict:
    info = ffprobe(film)
    (v,) = streams(info, "video")
    (a,) = streams(info, "audio")
    assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (v["width"], v["height"]) == (width, height)
    assert Fraction(v["avg_frame_rate"]) == 30 and Fraction(v["r_frame_rate"]) == 30
    assert a["codec_name"] == "aac" and int(a["sample_rate"]) == 48000 and a["channels"] == 2
    duration = float(info["format"]["duration"])
    assert abs(duration - planned) <= 0.5, (duration, planned)
    head = film.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")), \
        "moov atom must come first (faststart)"
    return info


def parse_subtitles(srt_path: Path, vtt_path: Path) -> tuple[list, list]:
    cues_srt = list(srt.parse(srt_path.read_text(encoding="utf-8")))
    cues_vtt = list(webvtt.read(str(vtt_path)))
    assert len(cues_srt) == len(cues_vtt) > 0
    return cues_srt, cues_vtt
