"""The cut: the edit as data (segments, transitions, dialogue placements, cues in film
time), as master and the timeline exports read it from .microfilm/cut.json.

It lives in spec/, below every stage, so media/timeline.py and the studio read a cut without
importing the stage that plans it. Paths are relative to the project folder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from microfilm.spec.cue import Cue


CueModel = Cue  # the name the cut stage builds cues by; one cue type (spec/cue.py)


class SegmentEntry(BaseModel):
    shot_id: str
    start: float  # in the film
    duration: float
    path: str  # relative to the project
    key: str
    transition: str = "cut"  # how it joins the previous segment
    transition_s: float = 0.0
    # the incoming window was drawn by the previous segment (two house shots): joined by a cut
    window_drawn: bool = False
    # the film time the file's frames show: the join's handles and drawn windows included
    file_start: float | None = None
    file_duration: float | None = None
    window_out_s: float = 0.0  # the file's last seconds: the window it drew into the next shot


class Placement(BaseModel):
    """A sound laid into the film: a dialogue line's voice, or a clip's own audio."""

    path: str
    start: float
    duration: float
    gain_db: float = 0.0
    line_id: str = ""  # a voice: the screenplay line it speaks ("sc03-l02")


class Cut(BaseModel):
    duration: float
    width: int
    height: int
    fps: int
    segments: list[SegmentEntry]
    dialogue: list[Placement]
    clip_audio: list[Placement] = []
    score: str
    cover: str
    cues: list[Cue]  # film time
    scene_starts: list[float] = []

    @classmethod
    def load(cls, path: Path) -> "Cut":
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def asset_paths(self) -> set[str]:
        """Every file the cut names (relative to the project): what a gc must keep."""
        return {self.score, self.cover, *(s.path for s in self.segments),
                *(p.path for p in self.dialogue), *(p.path for p in self.clip_audio)}
