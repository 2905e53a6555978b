"""The manifest: what generate made (keyframes, clips, voices, score, cover, reference
sheets), as cut, master, the API and the studio read it from .microfilm/generated.json.

It lives in spec/, below every stage, so a reader of the file never has to import the stage
that writes it. Paths are relative to the project folder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel


class VoiceAsset(BaseModel):
    character: str
    text: str
    start: float  # seconds into the shot
    path: str  # relative to the project
    duration: float
    native: bool = False  # spoken in the clip: path is that line cut from the clip's sound
    line_id: str = ""  # the screenplay line spoken ("sc03-l02"), from the storyboard's ShotLine


class ShotAssets(BaseModel):
    shot_id: str
    keyframe: str
    clip: str
    clip_key: str
    clip_has_audio: bool = False
    voices: list[VoiceAsset] = []


class Pending(BaseModel):
    """What waits for a person before paid motion is made."""

    shots: list[str] = []  # drafted by the house animator and not approved yet
    drafts: list[str] = []  # every shot the last generate drafted (approved since or not)
    references: dict[str, str] = {}  # character id -> sheet path (relative to the project)

    @property
    def empty(self) -> bool:
        return not self.shots and not self.references


class Manifest(BaseModel):
    """What generate made, for cut and master; paths relative to the project folder."""

    shots: list[ShotAssets]
    score: str
    cover: str
    refused: list[str] = []  # shots a provider refused, made by the house provider instead
    references: dict[str, str] = {}  # character id -> reference sheet
    pending: Pending = Pending()  # awaiting approval before the paid animator runs
    review: bool = False  # the paid animator waited for approvals in this run

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def asset_paths(self) -> set[str]:
        """Every file the manifest names (relative to the project): what a gc must keep."""
        paths = {self.score, self.cover, *self.references.values()}
        for shot in self.shots:
            paths.update((shot.keyframe, shot.clip, *(v.path for v in shot.voices)))
        return paths
