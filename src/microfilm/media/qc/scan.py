"""What the file is: its container boxes and stream facts (from media/probe.py, demux only)
and the ONE ffmpeg decode pass (blackdetect + freezedetect on the picture, ebur128 +
silencedetect on the sound), so a 10-minute master is decoded once."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from microfilm.media import decode_check, ffmpeg, probe
from microfilm.media.loudness import EBUR128_FILTER, parse_summaries
from microfilm.media.qc.plan import QCPlan, Segment


# ---- container facts -----------------------------------------------------------------------

def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order (ftyp, moov, mdat, ...)."""
    boxes: list[str] = []
    size_total = Path(path).stat().st_size
    with open(path, "rb") as fh:
        pos = 0
        while pos + 8 <= size_total and len(boxes) < 1000:
            fh.seek(pos)
            size, kind = struct.unpack(">I4s", fh.read(8))
            if size == 1:
                size = struct.unpack(">Q", fh.read(8))[0]
            elif size == 0:
                size = size_total - pos
            boxes.append(kind.decode("latin-1"))
            if size < 8:
                break
            pos += size
    return boxes


def stream_facts(path: Path) -> dict:
    """The QCFacts fields media/probe.py reads from the container; keys starting with "_"
    are for the checks only (timestamps, time base, the index's frame count)."""
    info = probe.probe(path)
    facts: dict = {"duration_s": info.duration, "metadata": dict(info.tags)}
    if (v := info.video) is not None:
        facts.update(width=v.width, height=v.height, video_codec=v.codec,
                     video_profile=v.profile, pix_fmt=v.pix_fmt,
                     _avg_rate=v.fps or None, _index_frames=v.frames or 0)
        if v.duration is not None:
            facts["video_duration_s"] = v.duration
        facts["_pts"], facts["_tb"] = probe.video_timestamps(path)
    if (a := info.audio) is not None:
        facts.update(audio_codec=a.codec, sample_rate=a.sample_rate, channels=a.channels)
        if a.duration is not None:
            facts["audio_duration_s"] = a.duration
    return facts


# ---- the one decode pass -------------------------------------------------------------------

_BLACK = re.compile(r"black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)")
_FREEZE = re.compile(r"lavfi\.freezedetect\.freeze_(start|end):\s*([\d.]+)")
_SILENCE = re.compile(r"silence_(start|end):\s*(-?[\d.]+)")


def _pairs(events: list[tuple[str, float]], end_of_file: float) -> list[Segment]:
    """start/end events -> segments; a start with no end runs to the end of the file."""
    segs: list[Segment] = []
    start: float | None = None
    for kind, t in events:
        if kind == "start":
            start = max(0.0, t)
        elif start is not None:
            segs.append(Segment(start=start, end=t))
            start = None
    if start is not None:
        segs.append(Segment(start=start, end=max(start, end_of_file)))
    return segs


def build_scan_args(path: Path, plan: QCPlan, has_video: bool, has_audio: bool) -> list[str]:
    """One ffmpeg pass: blackdetect+freezedetect on the picture, ebur128+silencedetect on
    the sound. Detection minimums are below the limits so the report lists near misses.

    The picture checks need neither deblocked nor full-size pixels: the decoder skips its
    loop filter and the frames are quartered before detection, which roughly halves the
    pass on a 1080x1920 master (measured 11 s -> 6 s for 60 s on the 2-core dev box).
    """
    graph: list[str] = []
    maps: list[str] = []
    if has_video:
        black_d = min(0.5, plan.black_max_s)
        freeze_d = min(2.0, plan.freeze_max_s)
        graph.append(
            "[0:v:0]scale=w=trunc(iw/8)*2:h=trunc(ih/8)*2:flags=fast_bilinear,"
            f"blackdetect=d={black_d}:pix_th={plan.black_pix_th}"
            f":pic_th={plan.black_pic_th},"
            f"freezedetect=n={plan.freeze_noise_db}dB:d={freeze_d}[v]")
        maps += ["-map", "[v]"]
    if has_audio:
        sil_d = min(1.0, plan.silence_max_s)
        graph.append(f"[0:a:0]{EBUR128_FILTER},"
                     f"silencedetect=n={plan.silence_db}dB:d={sil_d}[a]")
        maps += ["-map", "[a]"]
    decode = ["-skip_loop_filter", "all"] if has_video else []
    return [*decode_check.SCAN_LOG_ARGS, "-nostats", *decode, *decode_check.SCAN_INPUT_ARGS,
            "-i", str(path), "-filter_complex", ";".join(graph), *maps, "-f", "null", "-"]


def scan(path: Path, plan: QCPlan, has_video: bool, has_audio: bool,
          duration: float, channels: int | None = None, rate: int | None = None) -> dict:
    if not (has_video or has_audio):
        return {}
    res = ffmpeg.run(build_scan_args(path, plan, has_video, has_audio),
                     what=f"QC scan of {path}")
    log = res.stderr
    out: dict = {}
    if has_video:
        out["black"] = [Segment(start=float(a), end=float(b)) for a, b in _BLACK.findall(log)]
        out["frozen"] = _pairs([(k, float(t)) for k, t in _FREEZE.findall(log)], duration)
    if has_audio:
        out["silence"] = _pairs([(k, float(t)) for k, t in _SILENCE.findall(log)], duration)
        summaries = parse_summaries(log)
        out["loudness"] = summaries[-1] if summaries else None
    out["_decode"] = decode_check.parse_log(log, audio_channels=channels, sample_rate=rate)
    return out
