"""Review before paying for motion: approve each character's reference sheet and each shot.

Motion is where the money goes (a paid clip costs dollars, a still cents), and a clip made
from the wrong face or the wrong keyframe is money spent twice. So when the film's animator
is a paid provider (and the `approve_before_animating` setting is on, its default), a shot
reaches that animator only once a person approved the shot (its keyframe, in storyboard.yaml)
and the reference sheet of every character in it. Until then the house animator drafts the
shot from its keyframe for free, so the cut is a watchable animatic to review.

A reference sheet is approved by its content hash: approved once, it is the sheet passed to
every shot with that character, and a changed look (a new sheet) needs approving again.
Approvals of sheets live in the project state (.microfilm/approvals.json), written
atomically; approvals of shots are the `approved` field of storyboard.yaml.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from microfilm.fsutil import atomic_write_text, sha256_file
from microfilm.project import Project
from microfilm.spec.manifest import Pending  # re-exported: it is part of the manifest, in spec/


class Approvals(BaseModel):
    references: dict[str, str] = {}  # character id -> sha256 of the approved sheet
    reference_takes: dict[str, int] = {}  # bumped when a sheet is rejected: paint another

    def approves(self, character_id: str, sheet_sha256: str) -> bool:
        return self.references.get(character_id) == sheet_sha256

    def clears(self, character_id: str, sheet: Path | None, own: Path | None = None) -> bool:
        """The sheet may go to paid motion: it is the person's own picture of the character
        (bible.yaml `reference`: they chose it), or its current content is the approved one."""
        if sheet is None:
            return False
        return sheet == own or (sheet.is_file() and self.approves(character_id, sha256_file(sheet)))


def approvals_path(project: Project) -> Path:
    return project.approvals


def load_approvals(project: Project) -> Approvals:
    path = approvals_path(project)
    if not path.exists():
        return Approvals()
    return Approvals.model_validate_json(path.read_text(encoding="utf-8"))


def save_approvals(project: Project, approvals: Approvals) -> None:
    project.state.mkdir(parents=True, exist_ok=True)
    atomic_write_text(approvals_path(project), approvals.model_dump_json(indent=1))
