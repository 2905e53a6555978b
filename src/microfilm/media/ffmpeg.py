"""The one way microfilm runs ffmpeg: argv lists (never shell strings), errors with context.

The binary is imageio-ffmpeg's static build (libx264, libass, fontconfig, harfbuzz), so the
same filters work on every machine without a system ffmpeg.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Sequence

from microfilm.errors import MediaError

X264_PRESET = "veryfast"
X264_CRF = "20"


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class Result:
    stdout: bytes
    stderr: str


def run(args: Sequence[str | Path], *, what: str, input: bytes | None = None,
        timeout: float | None = 1800) -> Result:
    """Run ffmpeg with `args` (without the program name); raise MediaError naming `what`."""
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *map(str, args)]
    if input is not None:
        argv.remove("-nostdin")
    try:
        proc = subprocess.run(argv, input=input, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MediaError(f"{what}: ffmpeg ran past {timeout:.0f} s and was stopped") from None
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-12:])
        raise MediaError(f"{what}: ffmpeg failed (exit {proc.returncode}):\n{tail}")
    return Result(proc.stdout, stderr)


def video_encode_args(fps: int = 30) -> list[str]:
    """The master's video spec, used by every encode so segments join by stream copy."""
    return [
        "-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF,
        "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-r", str(fps), "-fps_mode", "cfr",
        "-g", str(fps * 2), "-bf", "2",
        "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709",
        "-color_trc", "bt709",
    ]


def filter_escape(value: str | Path) -> str:
    """Escape a value (a path, a text) for use inside an ffmpeg filter-graph option."""
    s = str(value)
    for ch in ("\\", ":", "'", ",", "[", "]", ";", "="):
        s = s.replace(ch, "\\" + ch)
    return s
