"""A cue: one line of dialogue on screen for a stretch of film time.

The one cue type of the film's data: the cut plans cues (cut.json), subtitles lay them out
and write film.srt/.vtt and the burned ASS, the timeline exports and QC time them against
the voice. Each carries the id of the screenplay line it shows ("sc03-l02", see
spec.screenplay.line_id), so a subtitle and its QC row name the line a person wrote.
"""

from __future__ import annotations

import math

from pydantic import field_validator
from pydantic.dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """One subtitle: `start`/`end` in seconds; `text` may hold '\\n' line breaks.

    A dataclass (positional, frozen, `dataclasses.replace` works) that pydantic validates,
    so it reads from cut.json and builds in a hot layout loop alike."""

    start: float
    end: float
    text: str
    speaker: str = ""
    translation: str = ""  # the line in the second subtitle language (bilingual films)
    line_id: str = ""  # the screenplay line shown; "" for a cue no script line backs

    @field_validator("speaker", mode="before")
    @classmethod
    def _no_speaker(cls, value: object) -> object:
        return "" if value is None else value

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)):
            raise ValueError(f"cue {self.text!r}: start/end must be finite numbers")
        if self.start < 0:
            raise ValueError(f"cue {self.text!r}: start {self.start} is negative")
        if self.end <= self.start:
            raise ValueError(f"cue {self.text!r}: end {self.end} is not after start {self.start}")

    @property
    def duration(self) -> float:
        return self.end - self.start
