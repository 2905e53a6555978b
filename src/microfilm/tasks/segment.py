"""The segment task: one shot encoded into its uniform segment (media.segments)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm import platforms
from microfilm.cache import RunCounters, Store
from microfilm.media import segments, subtitles
from microfilm.media.fonts import find_font


@dataclass(frozen=True)
class SegmentResult:
    path: Path
    made: bool


@dataclass(frozen=True)
class SegmentTask:
    """One shot encoded into its uniform segment (media.segments), subtitles and label burned
    in. `job` is the cut's plan for it, the very dict its cache key was computed from. No
    node's CPU count reaches the encode: x264's bytes follow its thread count, and every
    encode pins it (ffmpeg.X264_THREADS), so a segment is the same bytes on any machine."""

    root: Path
    key: str
    job: dict

    def run(self) -> SegmentResult:
        job = self.job
        counters = RunCounters()

        def make(tmp: Path) -> None:
            area = platforms.safe_area(job["platform"], job["width"], job["height"])  # UI-free
            ass = None
            if job["cues"]:
                ass = tmp.with_suffix(".ass")
                subtitles.write_ass(
                    [subtitles.Cue(**c) for c in job["cues"]], ass,
                    width=job["width"], height=job["height"], language=job["language"],
                    font=find_font(cjk=True), margins=area,
                )
            try:
                segments.encode_segment(segments.SegmentSpec(
                    source=self.root / job["clip"], out=tmp, width=job["width"],
                    height=job["height"], fps=job["fps"], duration=job["duration"], ass=ass,
                    label=job["label"], safe_area=area,
                    transition_in=_transition(job["transition_in_kind"], job["transition_in"]),
                    transition_out=_transition(job["transition_out_kind"], job["transition_out"]),
                    window_in_drawn=job.get("window_in_drawn", False),
                    window_out=self.root / job["window_out"]["clip"] if job.get("window_out") else None,
                ))
            finally:
                if ass is not None:
                    ass.unlink(missing_ok=True)

        path = Store(self.root, counters).produce("segment", self.key, ".mp4", make)
        return SegmentResult(path=path, made=bool(counters.made))


def _transition(kind: str, seconds: float) -> segments.Transition | None:
    return segments.Transition(kind, seconds) if seconds > 0 else None
