"""The studio's adapter to the pipeline: one place where the web layer touches a film folder.

Everything here goes through `microfilm.api` / `microfilm.pipeline` and the spec models, so
the studio and the CLI do the same thing to a folder. Imports of the pipeline are lazy: the
catalogue, login and gallery keep working even when a provider's optional import fails, and
the film page shows that error instead of a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from microfilm.errors import MicrofilmError, SpecError
from microfilm.fsutil import atomic_write_text
from microfilm.project import Project
from microfilm.spec.brief import Brief
from microfilm.spec.brief_input import BriefInput

MEDIA_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                  ".webp": "image/webp", ".mp4": "video/mp4", ".m4a": "audio/mp4",
                  ".wav": "audio/wav", ".vtt": "text/vtt", ".srt": "application/x-subrip",
                  ".json": "application/json", ".otio": "application/json", ".md": "text/markdown"}


# The one size limit on a screenplay, for the editor and the JSON API alike: under the
# 1 MiB a browser form's field may carry, far above any micro film's screenplay.
MAX_SCREENPLAY_BYTES = 1_000_000


BriefForm = BriefInput  # what the new-film form and the JSON API send: `microfilm new`'s fields


def create(folder: Path, form: BriefInput) -> Brief:
    from microfilm import api

    brief = form.to_brief()
    api.new(folder, form)
    return brief


def load_brief(folder: Path) -> Brief:
    return Project.at(folder).brief()


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Loaded:
    """A file read for a page: its value, or the error a person should see instead."""

    value: Any = None
    error: str = ""


def _load(call: Callable[[], Any], folder: Path | None = None) -> Loaded:
    """Display-only reads: a half-written or hand-broken file shows its error on the page
    (the pipeline names the file and line, relative to the film's `folder`) instead of
    taking the page down."""
    try:
        return Loaded(value=call())
    except FileNotFoundError:
        return Loaded()
    except (MicrofilmError, ValueError, ImportError, OSError) as exc:
        return Loaded(error=relative_paths(str(exc), folder))
    except Exception as exc:  # noqa: BLE001 - e.g. a YAML error in a file being edited
        return Loaded(error=relative_paths(f"{type(exc).__name__}: {exc}", folder))


def relative_paths(text: str, folder: Path | None) -> str:
    """`text` with the film folder's absolute path taken out (`/srv/.../film/bible.yaml`
    -> `bible.yaml`): a person sees the file they can edit, never the server's layout."""
    if folder is None:
        return text
    for root in {str(folder.resolve()), str(folder)}:
        text = text.replace(root + "/", "").replace(root, "the film's folder")
    return text


def status(folder: Path) -> Loaded:
    def call():
        from microfilm import pipeline

        return pipeline.status(folder)

    return _load(call, folder)


def bible(folder: Path) -> Loaded:
    def call():
        from microfilm.spec.bible import Bible

        p = Project.at(folder).bible
        return Bible.load(p) if p.exists() else None

    return _load(call, folder)


def storyboard(folder: Path) -> Loaded:
    def call():
        from microfilm.spec.storyboard import Storyboard

        p = Project.at(folder).storyboard
        return Storyboard.load(p) if p.exists() else None

    return _load(call, folder)


def parse_fountain(text: str) -> Loaded:
    """The screenplay model of `text`, or the parser's error (with its line number)."""

    def call():
        from microfilm.spec import fountain

        return fountain.parse(text)

    return _load(call)


def save_screenplay(folder: Path, text: str) -> None:
    """A person's edit: written as is (the pipeline keeps hand edits: docs/architecture.md).
    Text that does not parse is refused so a typo never reaches a render."""
    size = len(text.encode("utf-8"))
    if size > MAX_SCREENPLAY_BYTES:
        raise SpecError(f"screenplay.fountain: the text is {size / 1e6:.1f} MB; a screenplay may be at "
                        f"most {MAX_SCREENPLAY_BYTES / 1e6:.0f} MB (a 10-minute film's is about 20 kB)")
    parsed = parse_fountain(text)
    if parsed.error:
        raise SpecError(f"screenplay.fountain: {parsed.error}")
    text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    atomic_write_text(Project.at(folder).screenplay, text)


def keyframe(folder: Path, shot_id: str) -> Path | None:
    try:
        from microfilm import api

        return api.keyframe_path(folder, shot_id)
    except (MicrofilmError, ImportError, OSError, ValueError):
        return None


def shot_action(folder: Path, shot_id: str, action: str, value: bool = True) -> None:
    from microfilm import api

    if action == "regenerate":
        api.regenerate_shot(folder, shot_id)
    elif action == "approve":
        api.approve_shot(folder, shot_id, value)
    elif action == "lock":
        api.lock_shot(folder, shot_id, value)
    else:
        raise MicrofilmError(f"unknown shot action {action!r}; allowed: regenerate, approve, lock")


# ---- review before paid motion (microfilm.review) ----------------------------------------


class NoSuchReference(MicrofilmError):
    """A character id with no reference sheet in the last generate (a 404, naming it)."""


@dataclass(frozen=True)
class Sheet:
    """A character's reference sheet as the film page and the API show it."""

    character_id: str
    name: str  # from bible.yaml; the id when the bible no longer has the character
    path: str  # relative to the project folder (a content-addressed file in .microfilm/)
    approved: bool  # its current content is the approved one (always, for a person's own picture)
    take: int  # bumped by each rejection; the next render paints that take
    own: bool = False  # a person's own picture (bible.yaml names it), not a painted sheet


@dataclass(frozen=True)
class Review:
    """What waits for a person before paid motion, as of now.

    From `microfilm.api.pending`, which applies approvals given since the last render, so
    the page shows a sheet approved the moment it is. `drafts` are the shots the house
    animator drafted in the last render (they stay drafts until the next one); `awaiting`
    are those of them not approved yet.
    """

    sheets: tuple[Sheet, ...] = ()
    drafts: tuple[str, ...] = ()
    awaiting: tuple[str, ...] = ()

    @property
    def sheets_awaiting(self) -> tuple[Sheet, ...]:
        return tuple(s for s in self.sheets if not s.approved)


def _sheet_paths(folder: Path) -> dict[str, str]:
    """{character id: sheet path} from the generate manifest ({} before a generate)."""
    manifest = Project.at(folder).load_manifest()
    return dict(manifest.references) if manifest else {}


def _sheets(folder: Path) -> tuple[Sheet, ...]:
    from microfilm.review import load_approvals
    from microfilm.spec.bible import Bible

    project = Project.at(folder)
    paths = _sheet_paths(folder)
    if not paths:
        return ()
    approvals = load_approvals(project)
    try:
        bible_ = Bible.load(project.bible) if project.bible.exists() else None
    except (MicrofilmError, ValueError, OSError):
        bible_ = None  # the bible tab shows that error; the sheets still list by id
    out = []
    for cid, rel in paths.items():
        sheet = resolve_inside(project.root, rel)
        character = bible_.character(cid) if bible_ else None
        own = bool(character and character.reference and character.reference == rel)
        out.append(Sheet(character_id=cid, name=character.name if character else cid, path=rel,
                         approved=own or approvals.clears(cid, sheet),
                         take=approvals.reference_takes.get(cid, 0), own=own))
    return tuple(out)


def review(folder: Path) -> Loaded:
    """The film's `Review` (empty before a generate), or the error reading it."""

    def call():
        from microfilm import api

        pending = api.pending(folder)
        return Review(sheets=_sheets(folder), drafts=tuple(pending.drafts),
                      awaiting=tuple(pending.shots))

    return _load(call, folder)


def reference_sheet(folder: Path, character_id: str) -> Path | None:
    """The sheet file of `character_id`, only if it lies inside the film's folder."""
    try:
        rel = _sheet_paths(folder).get(character_id)
    except (MicrofilmError, ImportError, OSError, ValueError):
        return None
    return resolve_inside(folder, rel) if rel else None


def reference_action(folder: Path, character_id: str, action: str, value: bool = True) -> Sheet:
    """Approve (value False: withdraw approval) or reject a character's sheet, as
    `microfilm approve --reference [--reject]` does; returns the sheet's new state."""
    from microfilm import api

    paths = _sheet_paths(folder)
    if character_id not in paths:
        have = ", ".join(sorted(paths)) or "none yet (sheets are painted by a render whose painter or animator takes references)"
        raise NoSuchReference(f"no reference sheet for character {character_id!r}; sheets: {have}")
    if resolve_inside(folder, paths[character_id]) is None:
        raise MicrofilmError(f"the reference sheet of {character_id!r} ({paths[character_id]}) is not an image "
                             f"inside the film's folder; render again to paint it")
    if action == "approve":
        api.approve_reference(folder, character_id, value)
    elif action == "reject":
        api.reject_reference(folder, character_id)
    else:
        raise MicrofilmError(f"unknown reference action {action!r}; allowed: approve, reject")
    return next(s for s in _sheets(folder) if s.character_id == character_id)


def use_picture(folder: Path, character_id: str, data: bytes) -> str:
    """A person's own picture of a character (an actor's photo, a mascot) as their reference
    sheet, as `microfilm approve --reference ID --image FILE` does: only for a character of
    bible.yaml, with or without a painted sheet yet. It needs no approval; the next render
    uses it for every shot with the character. Returns its path in the film's folder."""
    from microfilm import api

    project = Project.at(folder)
    if not project.bible.exists():
        raise MicrofilmError(f"{project.bible.name}: no characters yet; make the film (or its develop "
                             f"stage) first")
    folder_inside(folder, "refs/reference", make=False)  # use_reference makes it, for a known character
    return api.use_reference(folder, character_id, data).relative_to(project.root).as_posix()


def approve_all_shots(folder: Path, value: bool = True) -> list[str]:
    from microfilm import api

    return api.approve_shots(folder, None, approved=value)


def outputs(folder: Path) -> dict[str, Path]:
    out = Project.at(folder).out
    names = {"film": "film.mp4", "cover": "cover.png", "vtt": "film.vtt", "srt": "film.srt",
             "qc": "qc.json"}
    return {k: out / v for k, v in names.items() if (out / v).is_file()}


def folder_inside(root: Path, relative: str, make: bool = True) -> Path:
    """The folder `relative` inside the film's folder `root` (made if missing, with `make`),
    for an upload to be written in; refused when it, or a folder on the way, is a link that
    leads out (a write there would land outside the film)."""
    base = root.resolve()
    target = root
    for part in relative.split("/"):
        target = target / part
        if target.is_symlink() or target.exists():
            if not target.resolve().is_relative_to(base):
                raise MicrofilmError(f"{relative}: this folder of the film leads outside it (a symbolic "
                                     f"link); replace it with a plain folder, then upload again")
        elif make:
            target.mkdir()  # one level at a time: nothing is made beyond a link that leads out
        else:
            break
    return target


def resolve_inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names inside `root`, or None if it would leave the folder.

    Rejects absolute paths, drive letters, backslashes, NUL, `..` segments (after the URL
    decoding the router already did) and symlinks that point out; only known media and
    document types are served.
    """
    if not relative or "\x00" in relative or "\\" in relative or ":" in relative:
        return None
    if relative.startswith("/") or any(part in ("..", "") for part in relative.split("/")):
        return None
    base = root.resolve()
    try:
        target = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    if target.suffix.lower() not in MEDIA_SUFFIXES:
        return None
    return target
