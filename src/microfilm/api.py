"""The Python API: the same operations as the CLI, for those who script microfilm.

    import microfilm.api as mf
    mf.new("my-film", title="The Last Bus", genre="touching-family", logline="...")
    report = mf.make("my-film")
    print(report.outputs["film"])
"""

from __future__ import annotations

from pathlib import Path

from microfilm.cache import WrittenFiles
from microfilm.errors import MicrofilmError, SpecError
from microfilm.fsutil import atomic_write_text
from microfilm.fsutil import atomic_write_text
from microfilm.pipeline import MakeReport, ProjectStatus, make, status
from microfilm.project import Project
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Storyboard
from microfilm.stages.base import Progress

__all__ = ["MakeReport", "Progress", "ProjectStatus", "approve_shot", "keyframe_path",
           "lock_shot", "make", "new", "regenerate_shot", "status"]


def new(path: str | Path, *, title: str, genre: str, logline: str, language: str = "en",
        duration: float = 90, aspect: str = "9:16", platform: str = "generic",
        budget: float = 0.0, seed: int = 0, currency: str = "CNY") -> Path:
    """Create a project folder with its film.toml; nothing is written if the brief is bad."""
    project = Project.at(path)
    if project.brief_path.exists():
        raise SpecError(f"{project.brief_path} already exists; edit it or choose another folder")
    brief = Brief.from_mapping({
        "title": title, "genre": genre, "logline": logline, "language": language,
        "duration": duration, "aspect": aspect, "platform": platform, "seed": seed,
        "budget": {"amount": budget, "currency": currency},
    }, source="brief")
    project.root.mkdir(parents=True, exist_ok=True)
    brief.save(project.brief_path)
    return project.root


def _edit_shot(path: str | Path, shot_id: str, **changes) -> None:
    """Change one shot's review fields. A re-board carries take, approval and lock over,
    so this is not a hand edit: the file stays the pipeline's unless a person edited it."""
    project = Project.at(path)
    board = Storyboard.load(project.storyboard)
    written = WrittenFiles(project.root)
    was_ours = not written.edited_by_hand(project.storyboard.name)
    for shot in board.shots:
        if shot.id == shot_id:
            for k, v in changes.items():
                setattr(shot, k, v(shot) if callable(v) else v)
            text = board.to_yaml()
            atomic_write_text(project.storyboard, text)
            entry = written.entry(project.storyboard.name)
            if was_ours and entry:
                written.record(project.storyboard.name, entry["inputs"], text)
            return
    raise MicrofilmError(f"{project.storyboard}: no shot with id {shot_id!r}")


def regenerate_shot(path: str | Path, shot_id: str) -> None:
    """A new take of one shot: its keyframe and clip are made again, nothing else."""
    _edit_shot(path, shot_id, take=lambda s: s.take + 1, approved=False)


def approve_shot(path: str | Path, shot_id: str, approved: bool = True) -> None:
    _edit_shot(path, shot_id, approved=approved)


def lock_shot(path: str | Path, shot_id: str, locked: bool = True) -> None:
    _edit_shot(path, shot_id, locked=locked)


def keyframe_path(path: str | Path, shot_id: str) -> Path | None:
    from microfilm.pipeline import context
    from microfilm.stages import generate

    project = Project.at(path)
    ctx = context(project)
    if not generate.manifest_path(ctx).exists():
        return None
    for a in generate.load_manifest(ctx).shots:
        if a.shot_id == shot_id:
            p = project.root / a.keyframe
            return p if p.exists() else None
    return None
