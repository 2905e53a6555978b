"""Tiny real media for the fake servers to serve: clips, images, speech-like audio.

Made once per process with microfilm's own ffmpeg and cached by parameters, so each fake
download is a genuine, decodable file of the asked length (or a deliberately broken one).
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from microfilm.media import ffmpeg

_DIR = Path(tempfile.mkdtemp(prefix="microfilm-fake-media-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)


@lru_cache(maxsize=64)
def clip(seconds: float, width: int = 72, height: int = 128, fps: int = 24,
         audio: bool = False, vfr: bool = False) -> bytes:
    """An H.264 MP4 test pattern (moov at the end, as most services send it)."""
    out = _DIR / f"clip-{seconds}-{width}x{height}-{fps}-{int(audio)}-{int(vfr)}.mp4"
    args = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"]
    vf = "format=yuv420p"
    if vfr:  # drop every third frame and keep timestamps: a variable frame rate file
        vf = "select='not(eq(mod(n\\,3)\\,2))',format=yuv420p"
    args += ["-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-g", str(fps)]
    if vfr:
        args += ["-fps_mode", "vfr"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    args += [str(out)]
    ffmpeg.run(args, what="fake clip")
    return out.read_bytes()


@lru_cache(maxsize=16)
def png(width: int = 64, height: int = 112, color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, 3 * width // 4, height // 2), fill=(250, 230, 120))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


@lru_cache(maxsize=16)
def audio(seconds: float = 1.0, fmt: str = "mp3", rate: int = 24000) -> bytes:
    out = _DIR / f"tone-{seconds}-{rate}.{fmt}"
    ffmpeg.run(["-f", "lavfi", "-i", f"sine=frequency=330:sample_rate={rate}:duration={seconds}",
                "-ac", "1", str(out)], what="fake audio")
    return out.read_bytes()


def keyframe(path: Path, width: int = 72, height: int = 128) -> Path:
    path.write_bytes(png(width, height))
    return path
