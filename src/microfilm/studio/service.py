"""The studio's service layer: what the film routes (pages, the JSON API, the assistant) do
to a film, apart from HTTP.

A route reads the request, calls one function here and shapes the answer; a function here
checks, changes the film's folder (through `studio.films`, the adapter to the pipeline) and
the catalogue, and raises what went wrong as a type (`errors.NotFound`, `errors.Rendering`,
`errors.Conflict`, `errors.Invalid`, or the core's `SpecError`, `MicrofilmError`,
`ImageRefused`), which `studio.errors` alone turns into a status and `studio.answers`
into an answer. Nothing here knows
requests, responses or languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from microfilm.errors import MicrofilmError
from microfilm.fsutil import atomic_write_bytes
from microfilm.media.images import CheckedImage, check_image
from microfilm.studio import films as pipeline_files
from microfilm.studio import publish as publishing
from microfilm.studio.errors import Conflict, Invalid, NotFound, Rendering
from microfilm.studio.films import BriefForm, Loaded, Sheet
from microfilm.studio.jobs import JobConflict, JobManager, Snapshot
from microfilm.studio.models import Film, Job, Upload, Workspace, utcnow
from microfilm.studio.pagecache import PageCache
from microfilm.studio.security import new_public_id
from microfilm.studio.settings import StudioSettings
from microfilm.studio.thumbs import thumbnail

UPLOAD_KINDS = ("reference", "logo")
SHOT_ACTIONS = ("regenerate", "approve", "lock")
REFERENCE_ACTIONS = ("approve", "reject")
POLICIES = ("ask", "keep", "force")
T = TypeVar("T")


@dataclass(frozen=True)
class Studio:
    """What a service call works with: the catalogue session of the request, the settings,
    the render queue and the public page cache."""

    db: Session
    settings: StudioSettings
    jobs: JobManager
    pages: PageCache

    @classmethod
    def of(cls, app_state: Any, db: Session) -> "Studio":
        return cls(db=db, settings=app_state.settings, jobs=app_state.jobs, pages=app_state.page_cache)

    def release(self) -> None:
        """End the transaction so the pooled connection goes back before slow work (see
        `web.release`); rows already loaded stay readable."""
        self.db.commit()


def folder(st: Studio, film: Film) -> Path:
    return st.settings.projects / film.folder


def ensure_idle(st: Studio, film: Film) -> None:
    """Files a render reads are not changed under it: `Rendering` while a job is queued or running."""
    active = st.jobs.active_for_film(st.db, film.id)
    st.release()
    if active is not None:
        raise Rendering()


def _touched(st: Studio, film: Film) -> None:
    film.updated_at = utcnow()
    st.db.commit()


# ---- projects ------------------------------------------------------------------------------


def project_cards(st: Studio, workspace_id: int) -> list[dict]:
    """The workspace's films, newest change first, with their last render and outputs."""
    rows = st.db.scalars(select(Film).where(Film.workspace_id == workspace_id)
                         .order_by(Film.updated_at.desc())).all()
    latest = {film.id: st.jobs.latest_for_film(st.db, film.id) for film in rows}
    st.release()
    cards = []
    for film in rows:
        outs = pipeline_files.outputs(folder(st, film))
        cards.append({"film": film, "job": latest[film.id], "has_cover": "cover" in outs,
                      "has_film": "film" in outs})
    return cards


def new_film(st: Studio, brief_form: BriefForm, user_id: int, workspace_id: int) -> Film:
    """Validate the brief, create the project folder (`microfilm new`), then the catalogue row."""
    brief = brief_form.to_brief()
    ws = st.db.get(Workspace, workspace_id)
    public_id = new_public_id()
    rel = f"{ws.slug}/{public_id}"
    pipeline_files.create(st.settings.projects / rel, brief_form)
    film = Film(public_id=public_id, workspace_id=workspace_id, created_by=user_id, title=brief.title,
                genre=brief.genre.value, language=brief.language, logline=brief.logline, folder=rel,
                created_at=utcnow(), updated_at=utcnow(), published_rev=0)
    st.db.add(film)
    st.db.commit()
    return film


# ---- a film's page -------------------------------------------------------------------------


def film_page(st: Studio, film: Film) -> dict[str, Any]:
    """Everything the film page shows; a file that does not read shows its error instead."""
    where = folder(st, film)
    latest = st.jobs.latest_for_film(st.db, film.id)
    snap = st.jobs.snapshot(latest.public_id, st.db) if latest else None
    uploads = st.db.scalars(select(Upload).where(Upload.film_id == film.id).order_by(Upload.id)).all()
    st.release()  # what follows reads the film's files: no pooled connection held meanwhile
    screenplay = pipeline_files.read_text(where / "screenplay.fountain")
    brief = None
    try:
        brief = pipeline_files.load_brief(where)
    except MicrofilmError:
        pass
    return dict(
        film=film, brief=brief, status=pipeline_files.status(where),
        research=pipeline_files.read_text(where / "research.md"), bible=pipeline_files.bible(where),
        screenplay=screenplay, preview=pipeline_files.parse_fountain(screenplay) if screenplay else None,
        board=pipeline_files.storyboard(where), outputs=pipeline_files.outputs(where),
        job=snap, job_active=bool(snap and not snap.finished), uploads=uploads,
        review=pipeline_files.review(where),
    )


def screenplay_text(st: Studio, film: Film) -> str | None:
    return pipeline_files.read_text(folder(st, film) / "screenplay.fountain")


def screenplay_preview(st: Studio, film: Film) -> Loaded:
    return pipeline_files.parse_fountain(screenplay_text(st, film) or "")


def save_screenplay(st: Studio, film: Film, text: str) -> None:
    """A person's edit, refused (SpecError) if too big or it does not parse."""
    ensure_idle(st, film)
    pipeline_files.save_screenplay(folder(st, film), text)
    _touched(st, film)


def decode_screenplay(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid(f"screenplay.fountain must be UTF-8 text: {exc}") from None


def _value(loaded: Loaded) -> Any:
    """A file read for an API answer: its value, or `Invalid` with the error a page would show."""
    if loaded.error:
        raise Invalid(loaded.error)
    return loaded.value


def status(st: Studio, film: Film):
    """The film's `ProjectStatus` (`microfilm status`)."""
    return _value(pipeline_files.status(folder(st, film)))


# ---- shots and references ------------------------------------------------------------------


def _edit(st: Studio, film: Film, action: str, allowed: tuple[str, ...], change: Callable[[Path], T]) -> T:
    """A person's change to the film's files: a known action (else `NotFound`, like an
    unknown URL), no render in the way, the film marked changed."""
    if action not in allowed:
        raise NotFound()
    ensure_idle(st, film)
    result = change(folder(st, film))
    _touched(st, film)
    return result


def shot_action(st: Studio, film: Film, shot_id: str, action: str, value: bool = True) -> None:
    """Regenerate, approve or lock one shot (`shot_state` reads it back)."""

    def change(where: Path) -> None:
        try:
            pipeline_files.shot_action(where, shot_id, action, value)
        except MicrofilmError as exc:
            if "no shot" in str(exc):  # the core names the unknown id and the ones there are
                raise NotFound(str(exc)) from None
            raise

    _edit(st, film, action, SHOT_ACTIONS, change)


def shot_state(st: Studio, film: Film, shot_id: str) -> dict[str, Any]:
    board = pipeline_files.storyboard(folder(st, film)).value
    shot = next(s for s in board.shots if s.id == shot_id)
    return {"id": shot.id, "take": shot.take, "approved": shot.approved, "locked": shot.locked}


def approve_shots(st: Studio, film: Film, value: bool = True) -> list[str]:
    """Approve (or withdraw) every story shot for the paid animator (`microfilm approve DIR --all`)."""
    return _edit(st, film, "approve", ("approve",),
                 lambda where: pipeline_files.approve_all_shots(where, value))


def review(st: Studio, film: Film):
    """What waits for a person before paid motion (`Invalid` if it does not read)."""
    return _value(pipeline_files.review(folder(st, film)))


def reference_action(st: Studio, film: Film, character_id: str, action: str, value: bool = True) -> Sheet:
    """Approve (value False: withdraw) or reject a character's reference sheet."""
    return _edit(st, film, action, REFERENCE_ACTIONS,
                 lambda where: pipeline_files.reference_action(where, character_id[:128], action, value))


def checked_image(st: Studio, data: bytes) -> CheckedImage:
    """An uploaded image, decoded in full and under the size cap (`ImageRefused` otherwise)."""
    return check_image(data, st.settings.max_upload_bytes)


def list_upload(db: Session, film: Film, kind: str, image: CheckedImage, filename: str | None) -> None:
    """The film's Assets list names a stored upload once (the caller commits)."""
    stored = f"{kind}/{image.stored_name}"
    if db.scalars(select(Upload).where(Upload.film_id == film.id, Upload.stored_name == stored)).first():
        return
    db.add(Upload(film_id=film.id, kind=kind, stored_name=stored, original_name=(filename or "")[:255],
                  mime=image.mime, size=len(image.data), sha256=image.sha256, created_at=utcnow()))


def use_picture(st: Studio, film: Film, character_id: str, data: bytes, filename: str | None) -> str:
    """A person's own picture of a character becomes their reference sheet: checked like an
    upload, kept in refs/reference/ and named in bible.yaml, and listed under Assets.
    Returns its path in the film's folder."""
    ensure_idle(st, film)
    image = checked_image(st, data)
    path = pipeline_files.use_picture(folder(st, film), character_id[:128], image.data)
    list_upload(st.db, film, "reference", image, filename)
    _touched(st, film)
    return path


def upload(st: Studio, film: Film, kind: str, data: bytes, filename: str | None) -> tuple[str, CheckedImage]:
    """A reference image or logo kept in the film's refs/<kind>/; returns its path and image."""
    if kind not in UPLOAD_KINDS:
        raise Invalid(f"kind must be one of {', '.join(UPLOAD_KINDS)}")
    image = checked_image(st, data)
    try:
        dest_dir = pipeline_files.folder_inside(folder(st, film), f"refs/{kind}")
    except MicrofilmError as exc:
        raise Conflict(str(exc)) from None
    atomic_write_bytes(dest_dir / image.stored_name, image.data)
    list_upload(st.db, film, kind, image, filename)
    st.db.commit()
    return f"refs/{kind}/{image.stored_name}", image


# ---- renders -------------------------------------------------------------------------------


def make(st: Studio, film: Film, user_id: int, policy: str = "ask") -> Job:
    """Queue a render; `Rendering` (naming the job) if one is already queued or running."""
    if policy not in POLICIES:
        raise Invalid("policy must be ask, keep or force")
    try:
        return st.jobs.submit(film.id, user_id, policy)  # type: ignore[arg-type]
    except JobConflict as exc:
        raise Rendering(job=exc.job_public_id) from None


def job_of(st: Studio, film: Film, job_id: str) -> Snapshot:
    row = st.db.scalars(select(Job).where(Job.public_id == job_id, Job.film_id == film.id)).first()
    if row is None:
        raise NotFound()
    return st.jobs.live(job_id) or Snapshot.from_row(row)


def job_in_workspace(st: Studio, workspace_id: int, job_id: str) -> Snapshot:
    row = st.db.scalars(select(Job).where(Job.public_id == job_id[:32])).first()
    if row is None or row.film.workspace_id != workspace_id:
        raise NotFound()
    return snapshot(st, row)


def snapshot(st: Studio, job: Job) -> Snapshot:
    return st.jobs.live(job.public_id) or Snapshot.from_row(job)


# ---- publishing ----------------------------------------------------------------------------


def publish(st: Studio, film: Film) -> None:
    """A snapshot of the film's outputs goes public under /watch; the gallery is rendered anew."""
    studio = film.workspace.name
    ensure_idle(st, film)  # and no connection held while the cut is copied
    rev = film.published_rev + 1
    try:
        publishing.publish(folder(st, film), st.settings.published, film.public_id, rev, studio)
    except MicrofilmError as exc:
        raise Conflict(str(exc)) from None
    film.published_rev, film.published_at = rev, utcnow()
    st.db.commit()
    st.pages.clear()


def unpublish(st: Studio, film: Film) -> None:
    film.published_at = None
    st.db.commit()
    publishing.unpublish(st.settings.published, film.public_id)
    st.pages.clear()


# ---- media ---------------------------------------------------------------------------------


def media_file(st: Studio, film: Film, path: str) -> tuple[Path, str]:
    """A file of the film's folder and its type: inside the folder, known media types only."""
    target = pipeline_files.resolve_inside(folder(st, film), path)
    if target is None:
        raise NotFound()
    return target, pipeline_files.MEDIA_SUFFIXES[target.suffix.lower()]


def _thumb(st: Studio, image: Path | None, width: int = 360) -> Path:
    if image is None:
        raise NotFound()
    thumb = thumbnail(image, st.settings.thumbs, width=width)
    if thumb is None:
        raise NotFound("the image does not decode")
    return thumb


def shot_thumb(st: Studio, film: Film, shot_id: str) -> Path:
    where = folder(st, film)
    key = pipeline_files.keyframe(where, shot_id)
    if key is None or pipeline_files.resolve_inside(where, str(key.relative_to(where.resolve()))) is None:
        raise NotFound()
    return _thumb(st, key)


def reference_thumb(st: Studio, film: Film, character_id: str) -> Path:
    """A character's reference sheet, only if it lies inside the film's folder."""
    return _thumb(st, pipeline_files.reference_sheet(folder(st, film), character_id[:128]), width=320)


def cover_thumb(st: Studio, film: Film) -> Path:
    return _thumb(st, pipeline_files.outputs(folder(st, film)).get("cover"), width=480)


def outputs(st: Studio, film: Film) -> dict[str, Path]:
    return pipeline_files.outputs(folder(st, film))
