"""What a media file really is, read with PyAV (libav* in-process, no ffprobe needed).

The master's QC, the tests and the segment checks all ask the same questions (size, frame
rate, codec, profile, pixel format, colour range, frame count, audio layout); this module
answers them once, as frozen typed results, so nobody parses ffprobe text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import numpy as np

from microfilm.errors import MediaError

_COLOR_RANGES = {0: "unknown", 1: "tv", 2: "pc"}


@dataclass(frozen=True)
class VideoInfo:
    index: int
    codec: str  # "h264", "hevc", "png" ...
    profile: str | None  # "High", "Main" ... (None when the codec has none)
    pix_fmt: str | None  # "yuv420p" ...
    width: int
    height: int
    fps: float  # average frame rate; 0.0 when the container does not say
    fps_fraction: Fraction | None
    frames: int | None  # from the container header; None when unknown (use count_frames)
    duration: float | None  # seconds, the stream's own
    color_range: str  # "tv" (limited), "pc" (full) or "unknown"
    extradata: bytes | None = field(default=None, repr=False)  # codec parameter sets (H.264 SPS/PPS)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


@dataclass(frozen=True)
class AudioInfo:
    index: int
    codec: str
    sample_rate: int
    channels: int
    layout: str | None
    duration: float | None


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    format_name: str
    duration: float | None  # container duration, seconds
    bit_rate: int | None
    tags: dict[str, str] = field(hash=False)  # container metadata (title, comment, encoder...)
    videos: tuple[VideoInfo, ...] = ()
    audios: tuple[AudioInfo, ...] = ()

    @property
    def video(self) -> VideoInfo | None:
        """The first video stream (the picture), or None."""
        return self.videos[0] if self.videos else None

    @property
    def audio(self) -> AudioInfo | None:
        """The first audio stream, or None."""
        return self.audios[0] if self.audios else None


def _open(path: Path):
    import av

    path = Path(path)
    if not path.is_file():
        raise MediaError(f"{path}: no such media file")
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:  # type: ignore[attr-defined]
        raise MediaError(f"{path}: cannot be opened as media ({exc})") from None


def _seconds(value: int | None, time_base: Fraction | None) -> float | None:
    if value is None or time_base is None:
        return None
    return float(value * time_base)


def probe(path: Path) -> MediaInfo:
    """Read a file's container and stream facts; raise MediaError naming a file that fails."""
    path = Path(path)
    with _open(path) as container:
        videos: list[VideoInfo] = []
        audios: list[AudioInfo] = []
        for stream in container.streams:
            cc = stream.codec_context
            if stream.type == "video":
                rate = stream.average_rate or stream.guessed_rate
                videos.append(VideoInfo(
                    index=stream.index,
                    codec=cc.name,
                    profile=cc.profile or None,
                    pix_fmt=cc.pix_fmt,
                    width=cc.width,
                    height=cc.height,
                    fps=float(rate) if rate else 0.0,
                    fps_fraction=Fraction(rate) if rate else None,
                    frames=stream.frames or None,
                    duration=_seconds(stream.duration, stream.time_base),
                    color_range=_COLOR_RANGES.get(int(cc.color_range or 0), "unknown"),
                    extradata=cc.extradata,
                ))
            elif stream.type == "audio":
                layout = getattr(cc, "layout", None)
                audios.append(AudioInfo(
                    index=stream.index,
                    codec=cc.name,
                    sample_rate=cc.sample_rate,
                    channels=cc.channels,
                    layout=layout.name if layout is not None else None,
                    duration=_seconds(stream.duration, stream.time_base),
                ))
        duration = container.duration / 1_000_000 if container.duration is not None else None
        return MediaInfo(
            path=path,
            format_name=container.format.name,
            duration=duration,
            bit_rate=container.bit_rate or None,
            tags={str(k): str(v) for k, v in container.metadata.items()},
            videos=tuple(videos),
            audios=tuple(audios),
        )


def _video_stream(container, path: Path):
    if not container.streams.video:
        raise MediaError(f"{path}: has no video stream")
    return container.streams.video[0]


def count_frames(path: Path, *, decode: bool = False) -> int:
    """The number of video frames, counted (the header's nb_frames is not trusted).

    By default packets are counted without decoding (one packet is one frame for every codec
    microfilm writes); `decode=True` decodes every frame, slower but codec-independent.
    """
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container, path)
        if decode:
            return sum(1 for _ in container.decode(stream))
        return sum(1 for pkt in container.demux(stream) if pkt.size)


def iter_packets(path: Path) -> Iterator[tuple[float | None, bool, bytes]]:
    """(pts seconds, is keyframe, payload) of each video packet in decode order.

    Used to prove a join copied packets rather than re-encoding them, and to find keyframes.
    """
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container, path)
        for pkt in container.demux(stream):
            if not pkt.size:
                continue
            pts = float(pkt.pts * stream.time_base) if pkt.pts is not None else None
            yield pts, bool(pkt.is_keyframe), bytes(pkt)


def frame_times(path: Path) -> list[float]:
    """Presentation times (seconds) of every decoded video frame, in display order."""
    path = Path(path)
    with _open(path) as container:
        stream = _video_stream(container, path)
        return [float(f.time) for f in container.decode(stream) if f.time is not None]


def decode_frame(path: Path, t: float) -> np.ndarray:
    """The picture shown at time `t` seconds, as an HxWx3 uint8 RGB array.

    Seeks to the keyframe before `t` and decodes forward, so it is exact, not the nearest
    keyframe. A time past the last frame raises MediaError.
    """
    path = Path(path)
    if t < 0:
        raise MediaError(f"{path}: cannot decode a frame at negative time {t}")
    with _open(path) as container:
        stream = _video_stream(container, path)
        half = 0.5 / float(stream.average_rate) if stream.average_rate else 1e-3
        if t > 0 and stream.time_base is not None:
            container.seek(int(t / stream.time_base), stream=stream, backward=True,
                           any_frame=False)
        shown = None
        for frame in container.decode(stream):
            ft = frame.time if frame.time is not None else 0.0
            if ft > t + half - 1e-9 and shown is not None:
                break
            shown = frame
        if shown is None:
            raise MediaError(f"{path}: no frame at {t:.3f} s")
        last = shown.time or 0.0
        if t > last + 2 * half + 1e-6 and t > 0:
            raise MediaError(f"{path}: {t:.3f} s is past the last frame ({last:.3f} s)")
        return shown.to_ndarray(format="rgb24")


def video_timestamps(path: Path) -> tuple[list[int], Fraction | None]:
    """Every video packet's pts (demuxed, not decoded), sorted, with the stream's time base;
    ([], None) for a file without picture. Constant frame rate is a fact about these
    timestamps, not about what the header claims."""
    path = Path(path)
    with _open(path) as container:
        if not container.streams.video:
            return [], None
        stream = container.streams.video[0]
        return sorted(p.pts for p in container.demux(stream) if p.pts is not None), stream.time_base
