"""The cut as an OpenTimelineIO timeline, so an editor can finish it in Resolve or Premiere."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

from microfilm.fsutil import atomic_write_text
from microfilm.spec.cut import Cut


def _range(start: float, duration: float, rate: float) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(
        otio.opentime.RationalTime(round(start * rate), rate),
        otio.opentime.RationalTime(round(duration * rate), rate),
    )


def build_timeline(cut: Cut, root: Path, title: str) -> otio.schema.Timeline:
    rate = float(cut.fps)
    tl = otio.schema.Timeline(name=title)
    tl.global_start_time = otio.opentime.RationalTime(0, rate)
    video = otio.schema.Track(name="Picture", kind=otio.schema.TrackKind.Video)
    for seg in cut.segments:
        ref = otio.schema.ExternalReference(
            target_url=(root / seg.path).resolve().as_uri(),
            available_range=_range(0, seg.duration, rate),
        )
        video.append(otio.schema.Clip(name=seg.shot_id, media_reference=ref,
                                      source_range=_range(0, seg.duration, rate),
                                      metadata={"microfilm": {"transition": seg.transition,
                                                              "transition_s": seg.transition_s}}))
    tl.tracks.append(video)
    dialogue = otio.schema.Track(name="Dialogue", kind=otio.schema.TrackKind.Audio)
    t = 0.0
    for p in sorted(cut.dialogue, key=lambda d: d.start):
        if p.start > t + 1e-3:
            dialogue.append(otio.schema.Gap(source_range=_range(0, p.start - t, rate)))
            t = p.start
        dur = max(1.0 / rate, p.duration)
        dialogue.append(otio.schema.Clip(
            name=Path(p.path).stem[:12],
            media_reference=otio.schema.ExternalReference(target_url=(root / p.path).resolve().as_uri(),
                                                          available_range=_range(0, dur, rate)),
            source_range=_range(0, dur, rate)))
        t += dur
    tl.tracks.append(dialogue)
    score = otio.schema.Track(name="Score", kind=otio.schema.TrackKind.Audio)
    score.append(otio.schema.Clip(
        name="score",
        media_reference=otio.schema.ExternalReference(target_url=(root / cut.score).resolve().as_uri(),
                                                      available_range=_range(0, cut.duration, rate)),
        source_range=_range(0, cut.duration, rate)))
    tl.tracks.append(score)
    return tl


EXPORTS = {".otio": "otio_json", ".fcpxml": "fcpx_xml", ".xml": "fcp_xml"}
"""Timeline files by suffix: OTIO itself, FCPXML for Final Cut Pro, FCP 7 XML, which
Premiere and Resolve import. The XML writers are OTIO's own adapter plugins."""


def write_timeline(cut: Cut, path: Path, root: Path, title: str) -> Path:
    path = Path(path)
    adapter = EXPORTS.get(path.suffix)
    if adapter is None:
        raise ValueError(f"{path}: timeline suffix must be one of {', '.join(EXPORTS)}")
    atomic_write_text(path, otio.adapters.write_to_string(build_timeline(cut, root, title), adapter))
    return path
