"""Check a provider's media before anything uses it, and conform it to the request.

A file from a provider can be undecodable, cut short, the wrong size or aspect, or have a
variable frame rate. Each check decodes the file for real (PyAV), so a file that plays its
first second and then breaks is caught here and never reaches the cut. Bad files raise
BadMediaError (the job is fetched again or regenerated, never stitched); fixable ones are
conformed by rule:
- size/aspect: "crop" (fill the frame, centre crop) when little would be lost, "pad" (fit,
  over a blurred fill of the same picture) when cropping would cut too much; "auto" picks;
- variable frame rate -> constant at the film's rate;
- audio -> WAV 48 kHz, the form the mixer expects.
A clip that already meets the spec is copied, not re-encoded.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from microfilm.errors import BadMediaError
from microfilm.media import ffmpeg
from microfilm.providers.base import AudioResult, ClipResult, ImageResult

Rule = Literal["auto", "crop", "pad"]
MAX_CROP = 0.2  # "auto" crops when at most this share of the picture would be lost
DURATION_TOLERANCE = 0.3  # seconds a clip may fall short of what was asked


def _bad(message: str) -> Exception:
    return BadMediaError(message)


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    duration: float  # from the frames actually decoded, not the container's claim
    frames: int
    fps: float  # average
    vfr: bool
    has_audio: bool
    codec: str
    pix_fmt: str


def probe_video(path: Path) -> VideoInfo:
    """Decode every frame of `path`; raise BadMediaError if it cannot be read to the end."""
    import av

    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise _bad(f"{path.name}: file is missing or empty")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise _bad(f"{path.name}: no video stream")
            stream = container.streams.video[0]
            has_audio = bool(container.streams.audio)
            times: list[float] = []
            width = height = 0
            pix_fmt = ""
            for frame in container.decode(stream):
                if frame.pts is None or frame.time_base is None:
                    continue
                times.append(float(frame.pts * frame.time_base))
                width, height, pix_fmt = frame.width, frame.height, frame.format.name
            codec = stream.codec_context.name
    except Exception as exc:  # PyAV raises many types for broken input
        if isinstance(exc, BadMediaError):
            raise
        raise _bad(f"{path.name}: cannot be decoded ({type(exc).__name__}: {exc})") from None
    if len(times) < 2:
        raise _bad(f"{path.name}: only {len(times)} decodable frame(s)")
    times.sort()
    deltas = [b - a for a, b in zip(times, times[1:]) if b > a]
    step = sum(deltas) / len(deltas) if deltas else 1 / 30
    duration = times[-1] - times[0] + step
    vfr = bool(deltas) and (max(deltas) - min(deltas)) > 0.5 * step
    return VideoInfo(width, height, round(duration, 4), len(times), round(1 / step, 3), vfr,
                     has_audio, codec, pix_fmt)


def choose_rule(src: tuple[int, int], dst: tuple[int, int], rule: Rule = "auto",
                max_crop: float = MAX_CROP) -> Literal["scale", "crop", "pad"]:
    a_src, a_dst = src[0] / src[1], dst[0] / dst[1]
    if abs(a_src - a_dst) / a_dst < 0.01:
        return "scale"
    if rule != "auto":
        return rule
    lost = 1 - min(a_src, a_dst) / max(a_src, a_dst)
    return "crop" if lost <= max_crop else "pad"


def reframe_filter(src: tuple[int, int], dst: tuple[int, int], rule: Rule = "auto") -> str:
    """An ffmpeg filter graph taking [0:v] to exactly dst (w, h) by the rule."""
    w, h = dst
    how = choose_rule(src, dst, rule)
    if how == "scale":
        return f"[0:v]scale={w}:{h}:flags=lanczos,setsar=1[v]"
    if how == "crop":
        return (f"[0:v]scale={w}:{h}:force_original_aspect_ratio=increase:flags=lanczos,"
                f"crop={w}:{h},setsar=1[v]")
    return (f"[0:v]split[a][b];"
            f"[a]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},"
            r"boxblur=luma_radius=min(w\,h)/16:chroma_radius=min(cw\,ch)/16:luma_power=2[bg];"
            f"[b]scale={w}:{h}:force_original_aspect_ratio=decrease:force_divisible_by=2:"
            f"flags=lanczos[fg];"
            f"[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1[v]")


def conform_clip(src: Path, out: Path, *, expected_duration: float, width: int, height: int,
                 fps: int = 30, rule: Rule = "auto",
                 tolerance: float = DURATION_TOLERANCE) -> ClipResult:
    """Reject a bad clip; write a good one to `out` at width x height, constant fps."""
    info = probe_video(src)
    if info.duration + tolerance < expected_duration:
        raise _bad(f"{Path(src).name}: truncated: {info.duration:.2f} s decodable, "
                   f"{expected_duration:.2f} s expected")
    fine = ((info.width, info.height) == (width, height) and not info.vfr
            and abs(info.fps - fps) < 0.01 and info.codec == "h264" and info.pix_fmt == "yuv420p")
    out = Path(out)
    if fine:
        shutil.copyfile(src, out)
    else:
        args: list[str] = ["-i", str(src), "-filter_complex",
                           reframe_filter((info.width, info.height), (width, height), rule),
                           "-map", "[v]"]
        if info.has_audio:
            args += ["-map", "0:a:0", "-c:a", "aac", "-ar", "48000", "-b:a", "192k"]
        args += [*ffmpeg.video_encode_args(fps), "-movflags", "+faststart", "-f", "mp4", str(out)]
        ffmpeg.run(args, what=f"conform {Path(src).name} to {width}x{height}@{fps}")
        info = probe_video(out)
    return ClipResult(path=out, duration=info.duration, has_audio=info.has_audio)


def conform_image(src: Path, out: Path, *, width: int, height: int, rule: Rule = "auto") -> ImageResult:
    """Reject an unreadable image; write it to `out` (PNG) at exactly width x height."""
    from PIL import Image, ImageFilter, ImageOps

    try:
        with Image.open(src) as probe:
            probe.verify()
        with Image.open(src) as opened:
            image = opened.convert("RGB")
    except Exception as exc:
        raise _bad(f"{Path(src).name}: not a readable image ({type(exc).__name__})") from None
    how = choose_rule(image.size, (width, height), rule)
    if how == "scale":
        image = image.resize((width, height), Image.LANCZOS)
    elif how == "crop":
        image = ImageOps.fit(image, (width, height), Image.LANCZOS)
    else:
        back = ImageOps.fit(image, (width, height), Image.LANCZOS)
        back = back.filter(ImageFilter.GaussianBlur(max(2, min(width, height) // 24)))
        front = ImageOps.contain(image, (width, height), Image.LANCZOS)
        back.paste(front, ((width - front.width) // 2, (height - front.height) // 2))
        image = back
    image.save(out, format="PNG")
    return ImageResult(path=Path(out), width=width, height=height)


def audio_duration(path: Path) -> float:
    """Seconds of audio actually decodable in `path` (BadMediaError if none)."""
    import av

    samples, rate = 0, 0
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise _bad(f"{Path(path).name}: no audio stream")
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                samples += frame.samples
                rate = frame.sample_rate
    except Exception as exc:
        if isinstance(exc, BadMediaError):
            raise
        raise _bad(f"{Path(path).name}: audio cannot be decoded ({type(exc).__name__})") from None
    if samples == 0 or rate == 0:
        raise _bad(f"{Path(path).name}: no decodable audio")
    return samples / rate


def conform_audio(src: Path, out: Path, *, min_duration: float = 0.05,
                  expected_duration: float | None = None, tolerance: float = 0.5) -> AudioResult:
    """Reject silent/broken/short audio; write WAV 48 kHz to `out`."""
    got = audio_duration(src)
    if got < min_duration:
        raise _bad(f"{Path(src).name}: only {got:.3f} s of audio")
    if expected_duration is not None and got + tolerance < expected_duration:
        raise _bad(f"{Path(src).name}: truncated: {got:.2f} s of {expected_duration:.2f} s")
    ffmpeg.run(["-i", str(src), "-vn", "-ar", "48000", "-c:a", "pcm_s16le", "-f", "wav", str(out)],
               what=f"convert {Path(src).name} to WAV 48 kHz")
    return AudioResult(path=Path(out), duration=round(audio_duration(out), 4))
