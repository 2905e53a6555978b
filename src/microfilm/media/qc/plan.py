"""What QC measures a film against (QCPlan) and what it reports (facts, checks, cue rows):
the typed data the other rooms of QC pass around and qc.json is written from."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import (BaseModel, ConfigDict, Field, ValidationInfo, computed_field,
                      field_validator)

from microfilm import form
from microfilm.fsutil import atomic_write_text
from microfilm.media.audio import DialoguePlacement
from microfilm.media.loudness import Loudness
from microfilm.spec.cue import Cue

Measured = float | int | str | bool | None


def fmt(x: float | None, unit: str = "", nd: int = 2) -> str:
    """A measured number for a check's text; "n/a" when it was not measured."""
    return "n/a" if x is None else f"{x:.{nd}f}{unit}"


class QCPlan(BaseModel):
    """What the film should be. Defaults are the form's master spec (docs/architecture.md).

    `width`/`height` None accept any of form.ASPECTS; `duration_s` None skips the
    against-plan duration check (the 10:00 cap is always checked).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    width: int | None = None
    height: int | None = None
    fps: int = form.FPS
    duration_s: float | None = None
    duration_tolerance_s: float = 0.5
    max_duration_s: float = form.MAX_DURATION_S
    video_codec: str = "h264"
    video_profile: str = "High"
    pix_fmt: str = "yuv420p"
    audio_codec: str = "aac"
    sample_rate: int = form.SAMPLE_RATE
    channels: int = 2
    target_lufs: float = form.TARGET_LUFS
    lufs_tolerance: float = 1.0
    max_true_peak_dbtp: float = form.TRUE_PEAK_DBTP
    max_av_drift_s: float = 0.1
    """Largest allowed difference between the video and audio streams' durations."""
    black_max_s: float = 2.0
    """Longest allowed black stretch: a fade through black is shorter."""
    black_pix_th: float = 0.10
    black_pic_th: float = 0.98
    freeze_max_s: float = 8.0
    """Longest allowed frozen stretch: title (4 s) and credit (5 s) cards are stills."""
    freeze_noise_db: float = -60.0
    silence_max_s: float = 3.0
    silence_db: float = -50.0
    require_label: bool = True
    cues: tuple[Cue, ...] = ()
    """The film's subtitles (film time). Given: their timing is checked against the voice."""
    dialogue: tuple[DialoguePlacement, ...] = ()
    """Where each dialogue line was placed: the exact source of voice onsets when given."""
    dialogue_stem: Path | None = None
    """A WAV of the dialogue alone, used when `dialogue` is empty."""
    cue_onset_tolerance_s: float = Field(default=0.3, gt=0.0)
    """A cue may start at most this far before or after its line's voice onset."""
    cue_end_tolerance_s: float = Field(default=0.15, ge=0.0)
    """A cue may end at most this much before its line's voice ends."""

    @field_validator("dialogue", "cues", mode="before")
    @classmethod
    def _tuples(cls, value: Any, info: ValidationInfo) -> Any:
        """Accept (path, start_s[, gain_db]) and (start, end, text) tuples, as MixSpec does."""
        names = {"dialogue": ("path", "start_s", "gain_db"),
                 "cues": ("start", "end", "text", "speaker")}[info.field_name]
        if isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
            return tuple(dict(zip(names, v)) if isinstance(v, (tuple, list)) else v
                         for v in value)
        return value


class QCCheck(BaseModel):
    model_config = ConfigDict(frozen=True, ser_json_inf_nan="strings")

    name: str
    passed: bool
    measured: Measured
    expected: str
    detail: str = ""


class Segment(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: float
    end: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration(self) -> float:
        return round(self.end - self.start, 3)


class CueTiming(BaseModel):
    """One cue measured against the voice it subtitles."""

    model_config = ConfigDict(frozen=True)

    number: int
    """1-based, in time order: the cue's number in film.srt."""
    line_id: str = ""
    """The screenplay line the cue shows ("sc03-l02"), when the cut knew it."""
    text: str
    start: float
    end: float
    voice_start: float | None = None
    voice_end: float | None = None
    onset_error_s: float | None = None
    """cue start - voice onset: positive when the cue comes late."""
    passed: bool
    problem: str = ""


class QCFacts(BaseModel):
    """The raw measurements the checks were made from."""

    model_config = ConfigDict(frozen=True, ser_json_inf_nan="strings")

    size_bytes: int
    duration_s: float | None
    top_level_boxes: list[str]
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    frame_count: int | None = None
    video_codec: str | None = None
    video_profile: str | None = None
    pix_fmt: str | None = None
    video_duration_s: float | None = None
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    audio_duration_s: float | None = None
    loudness: Loudness | None = None
    black: list[Segment] = Field(default_factory=list)
    frozen: list[Segment] = Field(default_factory=list)
    silence: list[Segment] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    voice: list[Segment] = Field(default_factory=list)
    """Voiced stretches found for the subtitle timing check (empty when not checked)."""
    voice_source: str | None = None
    """Where they were found: "dialogue placements", "dialogue stem" or "master audio"."""
    cue_timing: list["CueTiming"] = Field(default_factory=list)


class QCReport(BaseModel):
    model_config = ConfigDict(frozen=True, ser_json_inf_nan="strings")

    path: str
    checks: list[QCCheck]
    facts: QCFacts
    seconds: float
    tool: Literal["microfilm.qc"] = "microfilm.qc"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[QCCheck]:
        return [c for c in self.checks if not c.passed]

    def check(self, name: str) -> QCCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no QC check named {name!r}; have: {[c.name for c in self.checks]}")

    def write(self, path: Path) -> Path:
        """Write the report as JSON (out/qc.json), atomically."""
        atomic_write_text(Path(path), self.model_dump_json(indent=2) + "\n")
        return Path(path)

    def summary(self) -> str:
        """One line per check, for a terminal."""
        lines = [f"QC {'PASSED' if self.passed else 'FAILED'}: {self.path}"]
        for c in self.checks:
            mark = "ok  " if c.passed else "FAIL"
            lines.append(f"  {mark} {c.name}: {c.measured} (expected {c.expected})"
                         + (f"  {c.detail}" if c.detail else ""))
        return "\n".join(lines)
