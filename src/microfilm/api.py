"""The Python API: the same operations as the CLI, for those who script microfilm.

    import microfilm.api as mf
    mf.new("my-film", title="The Last Bus", genre="touching-family", logline="...")
    report = mf.make("my-film")
    print(report.outputs["film"])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from microfilm import review
from microfilm.cache import WrittenFiles
from microfilm.errors import MicrofilmError, SpecError
from microfilm.fsutil import atomic_write_bytes, atomic_write_text, sha256_file
from microfilm.pipeline import MakeReport, ProjectStatus, make, status
from microfilm.project import Project
from microfilm.review import Pending
from microfilm.spec.brief_input import BriefInput
from microfilm.spec.storyboard import Storyboard
from microfilm.stages.base import Progress

__all__ = ["BriefInput", "MakeReport", "Pending", "Progress", "ProjectStatus", "approve_reference",
           "approve_shot", "approve_shots", "keyframe_path", "lock_shot", "make", "new",
           "pending", "regenerate_shot", "reject_reference", "status", "use_reference"]


def new(path: str | Path, brief: BriefInput | None = None, **fields: Any) -> Path:
    """Create a project folder with its film.toml; nothing is written if the brief is bad.

    Pass a BriefInput, or its fields as keywords (title, genre, logline, language, duration,
    aspect, platform, budget, currency, seed): the same fields `microfilm new` and the
    studio take; an unknown or bad one raises SpecError naming it."""
    if brief is not None and fields:
        raise TypeError("pass a BriefInput or its fields as keywords, not both")
    checked = (brief or BriefInput.parse(fields)).to_brief()
    project = Project.at(path)
    if project.brief_path.exists():
        raise SpecError(f"{project.brief_path} already exists; edit it or choose another folder")
    project.root.mkdir(parents=True, exist_ok=True)
    checked.save(project.brief_path)
    return project.root


def _edit_shots(path: str | Path, shot_ids: Iterable[str] | None, **changes) -> list[str]:
    """Change review fields of some shots (None: every story shot), in one write; a re-board
    carries take, approval and lock over."""
    project = Project.at(path)
    board = Storyboard.load(project.storyboard)
    wanted = None if shot_ids is None else list(dict.fromkeys(shot_ids))
    known = {s.id for s in board.shots}
    unknown = [i for i in wanted or () if i not in known]
    if unknown:
        raise MicrofilmError(f"{project.storyboard}: no shot with id {', '.join(map(repr, unknown))}; "
                             f"shots are {', '.join(s.id for s in board.shots)}")
    changed = []
    for shot in board.shots:
        if (shot.id in wanted) if wanted is not None else shot.kind == "shot":
            for k, v in changes.items():
                setattr(shot, k, v(shot) if callable(v) else v)
            changed.append(shot.id)
    _rewrite_carried(project, project.storyboard, board.to_yaml())
    return changed


def _rewrite_carried(project: Project, path: Path, text: str) -> None:
    """Write a field the pipeline carries over when it rewrites the file (a shot's review
    state, a character's reference picture): the file stays the pipeline's unless a person
    had edited it, so this alone never turns a later re-run into a conflict."""
    written = WrittenFiles(project.root)
    was_ours = not written.edited_by_hand(path.name)
    atomic_write_text(path, text)
    entry = written.entry(path.name)
    if was_ours and entry:
        written.record(path.name, entry["inputs"], text)


def regenerate_shot(path: str | Path, shot_id: str) -> None:
    """A new take of one shot: its keyframe and clip are made again, nothing else; the
    new take needs approving again before a paid animator renders it."""
    _edit_shots(path, [shot_id], take=lambda s: s.take + 1, approved=False)


def approve_shot(path: str | Path, shot_id: str, approved: bool = True) -> None:
    _edit_shots(path, [shot_id], approved=approved)


def approve_shots(path: str | Path, shot_ids: Iterable[str] | None = None,
                  approved: bool = True) -> list[str]:
    """Approve (or withdraw approval of) shots for paid motion; None approves every story
    shot. Returns the ids changed."""
    return _edit_shots(path, shot_ids, approved=approved)


def lock_shot(path: str | Path, shot_id: str, locked: bool = True) -> None:
    _edit_shots(path, [shot_id], locked=locked)


def pending(path: str | Path) -> Pending:
    """What still waits for a person's approval: shots the last generate drafted that are
    not approved in storyboard.yaml now, and reference sheets it painted whose approval
    (by content) is missing now. Nothing before a generate ran, or when no review applies."""
    from microfilm.spec.bible import Bible

    project = Project.at(path)
    manifest = project.load_manifest()
    if manifest is None or not manifest.review:
        return Pending()
    approved = {s.id for s in Storyboard.load(project.storyboard).shots if s.approved}
    approvals = review.load_approvals(project)
    own = {c.id: project.root / c.reference for c in Bible.load(project.bible).characters if c.reference}
    sheets = {c: p for c, p in manifest.references.items()
              if not approvals.clears(c, project.root / p, own.get(c))}
    return Pending(shots=[s for s in manifest.pending.shots if s not in approved], references=sheets,
                   drafts=list(manifest.pending.shots))


def _reference_sheet(project: Project, character_id: str) -> Path:
    manifest = project.load_manifest()
    sheets = manifest.references if manifest else {}
    if character_id not in sheets:
        have = ", ".join(sheets) or "none yet"
        raise MicrofilmError(
            f"no reference sheet for {character_id!r} (sheets: {have}); sheets are painted by "
            f"`microfilm generate {project.root}` when the painter or animator takes references")
    return project.root / sheets[character_id]


def approve_reference(path: str | Path, character_id: str, approved: bool = True) -> Path:
    """Approve a character's current reference sheet (by its content hash): it is then the
    sheet every shot with the character gets. Returns the sheet's path."""
    project = Project.at(path)
    sheet = _reference_sheet(project, character_id)
    approvals = review.load_approvals(project)
    if approved:
        approvals.references[character_id] = sha256_file(sheet)
    else:
        approvals.references.pop(character_id, None)
    review.save_approvals(project, approvals)
    return sheet


def reject_reference(path: str | Path, character_id: str) -> int:
    """Reject a character's sheet: the next generate paints another (a new take) and every
    shot with the character waits for that one's approval; a person's own picture of them
    is dropped from bible.yaml. Returns the new take."""
    from microfilm.spec.bible import Bible

    project = Project.at(path)
    _reference_sheet(project, character_id)
    character = Bible.load(project.bible).character(character_id)
    if character is not None and character.reference:
        use_reference(project.root, character_id, None)  # their own picture is dropped
    approvals = review.load_approvals(project)
    approvals.references.pop(character_id, None)
    take = approvals.reference_takes.get(character_id, 0) + 1
    approvals.reference_takes[character_id] = take
    review.save_approvals(project, approvals)
    return take


def use_reference(path: str | Path, character_id: str,
                  image: str | Path | bytes | None) -> Path | None:
    """A person's own picture of a character (an actor, a mascot) as their reference sheet:
    checked (PNG, JPEG or WebP that decodes), copied into refs/reference/ under its content
    hash and named in bible.yaml, so every shot with the character gets it instead of a
    painted sheet. It counts as approved: the person chose it. A re-develop keeps it.
    `image` is a file or its bytes; None goes back to a painted sheet. Returns the picture's
    place in the film."""
    from microfilm.media.images import MAX_REFERENCE_BYTES, ImageRefused, check_image
    from microfilm.spec.bible import Bible

    project = Project.at(path)
    bible = Bible.load(project.bible)
    character = bible.character(character_id)
    if character is None:
        raise MicrofilmError(f"{project.bible}: no character {character_id!r}; characters are "
                             f"{', '.join(c.id for c in bible.characters) or 'none'}")
    kept: Path | None = None
    if image is not None:
        source = "the picture" if isinstance(image, bytes) else str(image)
        try:
            data = image if isinstance(image, bytes) else Path(image).read_bytes()
            checked = check_image(data, MAX_REFERENCE_BYTES)
        except OSError as exc:
            raise MicrofilmError(f"{source}: cannot read it ({exc.strerror or exc})") from None
        except ImageRefused as exc:
            raise MicrofilmError(f"{source}: {exc}") from None
        kept = project.root / "refs" / "reference" / checked.stored_name
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not kept.exists():
            atomic_write_bytes(kept, checked.data)
    character.reference = kept.relative_to(project.root).as_posix() if kept else ""
    _rewrite_carried(project, project.bible, bible.to_yaml())
    return kept


def keyframe_path(path: str | Path, shot_id: str) -> Path | None:
    project = Project.at(path)
    manifest = project.load_manifest()
    for a in manifest.shots if manifest else ():
        if a.shot_id == shot_id:
            p = project.root / a.keyframe
            return p if p.exists() else None
    return None
