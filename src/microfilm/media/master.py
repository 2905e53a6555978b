"""The final mux: picture by stream copy, the mix encoded once to AAC, labels in the metadata.

The picture was encoded once, per shot, and joined by stream copy; it is copied again here.
The audio is padded or trimmed to the picture's exact duration (never `-shortest`, which
cuts to whichever stream ends first and so hides a length mistake) and encoded to AAC-LC
48 kHz stereo at 192 kb/s. `+faststart` moves the index (moov) before the media data so a
phone starts playing before the download ends; `+use_metadata_tags` writes every tag as
an MP4 `mdta` key, so custom keys such as the implicit AI label survive (without it the MP4
muxer keeps only the iTunes set: title, comment...).

The implicit label follows GB 45438-2025 (China's labelling standard, in force
2025-09-01) and TC260's practice guide for video files: one metadata key `AIGC` whose
value is a JSON object with the fields Label ("1": AI-generated), ContentProducer,
ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2.
"""

from __future__ import annotations

import json
from pathlib import Path

from microfilm import form
from microfilm.errors import MediaError
from microfilm.fsutil import atomic_output
from microfilm.media import ffmpeg, probe

AIGC_KEY = "AIGC"
AIGC_FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1",
               "ContentPropagator", "PropagateID", "ReservedCode2")
AIGC_LABEL_GENERATED = "1"
AUDIO_BITRATE = "192k"
DEFAULT_COMMENT = {
    "en": "AI-generated content (made with microfilm)",
    "zh": "人工智能生成合成内容（由 microfilm 制作）",
}


def aigc_label(producer: str, produce_id: str, *, propagator: str = "",
               propagate_id: str = "", reserved1: str = "", reserved2: str = "") -> str:
    """The GB 45438-2025 implicit label as the JSON value of the `AIGC` key.

    `producer`: who generated the content (a company, a filing number, or the tool);
    `produce_id`: this file's unique id (e.g. the film's content hash). The propagator
    fields are for the platform that later distributes the file; left empty here.
    """
    if not producer.strip() or not produce_id.strip():
        raise ValueError("aigc_label: producer and produce_id must not be empty")
    value = dict(zip(AIGC_FIELDS, (AIGC_LABEL_GENERATED, producer, produce_id, reserved1,
                                   propagator, propagate_id, reserved2)))
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def label_metadata(*, title: str, producer: str, produce_id: str, language: str = "en",
                   comment: str | None = None, **extra: str) -> dict[str, str]:
    """The master's tags: title, a human-readable AI comment, the AIGC label, extras."""
    tags = {
        "title": title,
        "comment": comment if comment is not None else DEFAULT_COMMENT.get(
            language, DEFAULT_COMMENT["en"]),
        AIGC_KEY: aigc_label(producer, produce_id),
    }
    tags.update(extra)
    return tags


def media_duration(path: Path, kind: str = "video") -> float:
    """Duration (s) of the first `kind` stream of `path` (media/probe.py; falls back to the
    container's)."""
    info = probe.probe(path)
    stream = info.video if kind == "video" else info.audio
    if stream is None:
        raise MediaError(f"{path}: has no {kind} stream")
    if stream.duration is not None:
        return stream.duration
    if info.duration is not None:
        return info.duration
    raise MediaError(f"{path}: the {kind} stream has no duration")


def build_mux_args(video: Path, audio: Path, out: Path, metadata: dict[str, str],
                   duration: float) -> list[str]:
    """ffmpeg argv for the mux (see the module docstring for each choice)."""
    d = f"{duration:.6f}"
    args: list[str] = [
        "-nostats", "-i", str(video), "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0",
        "-c:v", "copy",
        "-af", f"apad=whole_dur={d},atrim=end={d}",
        "-c:a", "aac", "-profile:a", "aac_low", "-b:a", AUDIO_BITRATE,
        "-ar", str(form.SAMPLE_RATE), "-ac", "2",
        "-map_metadata", "-1", "-map_chapters", "-1",
    ]
    for key, value in metadata.items():
        if not key or "=" in key or any(ch.isspace() for ch in key):
            raise MediaError(f"mux: metadata key {key!r} must be a non-empty word without '='")
        args += ["-metadata", f"{key}={value}"]
    args += ["-movflags", "+faststart+use_metadata_tags", "-f", "mp4", str(out)]
    return args


def mux(video: Path, audio: Path, out: Path, metadata: dict[str, str]) -> Path:
    """Join the picture (stream copy) and the mix (AAC) into `out`, atomically.

    The audio is made exactly as long as the picture. Returns `out`.
    """
    video, audio, out = Path(video), Path(audio), Path(out)
    for p, what in ((video, "video"), (audio, "audio")):
        if not p.is_file():
            raise MediaError(f"mux: the {what} input {p} does not exist")
    duration = media_duration(video, "video")
    with atomic_output(out) as tmp:
        ffmpeg.run(build_mux_args(video, audio, tmp, metadata, duration),
                   what=f"muxing {out.name}")
    return out
