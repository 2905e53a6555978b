"""Does the whole file decode? Every video frame and every audio packet, against the index.

A master cut short (a copy interrupted half-way) or with bytes damaged in the middle still
has a valid header, so the container's facts look right and a demux-only QC passes it. The
QC's one ffmpeg pass already decodes everything for its picture and sound checks; this
module rides on that pass instead of adding one: it asks ffmpeg to tag each log line with
its level and to check bitstreams strictly, then reads from the log

- every error the demuxer or a decoder reported (a truncated file, a corrupt packet, an
  undecodable slice or audio frame), and
- how much was decoded: the video frames ffmpeg's final report counts, and the seconds of
  audio its PCM byte count stands for (the null muxer's default audio is 16-bit PCM),

and compares the amounts with what the container's index promises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCAN_LOG_ARGS = ["-loglevel", "level+info"]
"""Global options: each log line carries its level, so errors are told from information."""
SCAN_INPUT_ARGS = ["-err_detect", "crccheck+bitstream+buffer"]
"""Input options: decoders report damaged bitstreams instead of concealing them silently."""

FRAME_TOLERANCE = 1
"""Decoded video frames may fall short of the index by this many (a trailing edit)."""
AUDIO_TOLERANCE_S = 0.05
"""Decoded audio may fall short of the stream's duration by this much (two AAC frames)."""

_LEVELED = re.compile(r"\[(error|fatal|panic|warning)\]\s*(.*)")
_FRAMES = re.compile(r"frame=\s*(\d+)")
_AUDIO_KIB = re.compile(r"audio:\s*(\d+)KiB")
_CORRUPT = ("corrupt", "invalid", "truncat", "partial")  # warnings that are damage


@dataclass(frozen=True)
class DecodeScan:
    """What one decode pass reported."""

    errors: list[str] = field(default_factory=list)
    video_frames: int | None = None
    audio_s: float | None = None


@dataclass(frozen=True)
class DecodeVerdict:
    passed: bool
    measured: str
    expected: str
    detail: str


def parse_log(log: str, *, audio_channels: int | None, sample_rate: int | None) -> DecodeScan:
    """The errors and the decoded amounts in the log of a pass run with SCAN_LOG_ARGS."""
    errors: list[str] = []
    for line in log.splitlines():
        m = _LEVELED.search(line)
        if not m:
            continue
        level, text = m.groups()
        if level == "warning" and not any(w in text.lower() for w in _CORRUPT):
            continue
        text = text.strip()
        if text and text not in errors:
            errors.append(text)
    frames = _FRAMES.findall(log)
    kib = _AUDIO_KIB.findall(log)
    audio_s = None
    if kib and audio_channels and sample_rate:
        audio_s = int(kib[-1]) * 1024 / (2 * audio_channels * sample_rate)
    return DecodeScan(errors=errors, video_frames=int(frames[-1]) if frames else None,
                      audio_s=audio_s)


def verdict(scan: DecodeScan, *, index_frames: int | None, audio_duration_s: float | None
            ) -> DecodeVerdict:
    """Pass only when nothing failed to decode and nothing the index promises is missing."""
    problems: list[str] = []
    if scan.errors:
        shown = "; ".join(scan.errors[:3]) + (f" (+{len(scan.errors) - 3} more)"
                                              if len(scan.errors) > 3 else "")
        problems.append(f"{len(scan.errors)} decode error(s): {shown}")
    if index_frames:
        got = scan.video_frames or 0
        if got < index_frames - FRAME_TOLERANCE:
            problems.append(f"{got} of {index_frames} video frames decoded")
    if audio_duration_s and scan.audio_s is not None:
        if scan.audio_s < audio_duration_s - AUDIO_TOLERANCE_S:
            problems.append(f"{scan.audio_s:.2f} of {audio_duration_s:.2f} s of audio decoded")
    measured = f"{scan.video_frames if scan.video_frames is not None else 'n/a'} frames"
    if scan.audio_s is not None:
        measured += f", {scan.audio_s:.2f} s audio"
    expected = (f"{index_frames} frames" if index_frames else "every frame") + \
        (f", {audio_duration_s:.2f} s audio" if audio_duration_s else "") + ", no decode error"
    return DecodeVerdict(passed=not problems, measured=measured, expected=expected,
                         detail="; ".join(problems))
