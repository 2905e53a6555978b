"""The studio proper: the projects list, a new film from a brief, and a film's page with its
actions (screenplay save and preview, per-shot review, make, publish, uploads), its media,
and the live progress stream.

Every route that names a film goes through `film_for`, so another workspace's film, or any
film for an anonymous visitor, is a 404.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from sqlalchemy import select

from microfilm.errors import MicrofilmError, SpecError
from microfilm.fsutil import atomic_write_bytes
from microfilm.media.images import CheckedImage, ImageRefused, check_image
from microfilm.spec.brief import PLATFORMS
from microfilm.studio import films as pipeline_files
from microfilm.studio import publish as publishing
from microfilm.studio.films import BriefForm
from microfilm.studio.jobs import JobConflict, Snapshot
from microfilm.studio.models import JOB_ACTIVE, Film, Job, Upload, utcnow
from microfilm.studio.security import new_public_id
from microfilm.studio.thumbs import thumbnail
from microfilm.studio.web import Ctx, csrf_protect, film_for, page_ctx, redirect, release, render

router = APIRouter()
UPLOAD_KINDS = ("reference", "logo")

FLASH = ("saved", "published", "unpublished", "started", "uploaded", "shot_updated", "created",
         "reference_approved", "reference_unapproved", "reference_rejected", "reference_own",
         "shots_approved")


def folder_of(ctx: Ctx, film: Film) -> Path:
    return ctx.request.app.state.settings.projects / film.folder


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.headers.get("x-csrf-token") is not None


def ensure_idle(ctx: Ctx, film: Film) -> None:
    """Files a render reads are not changed under it: 409 while a job is queued or running."""
    active = ctx.request.app.state.jobs.active_for_film(ctx.db, film.id)
    release(ctx.db)
    if active is not None:
        raise HTTPException(409, ctx.t("error.rendering"))


# ---- projects ------------------------------------------------------------------------------


@router.get("/projects")
def projects(ctx: Ctx = Depends(page_ctx)):
    user = ctx.require_user()
    rows = ctx.db.scalars(select(Film).where(Film.workspace_id == user.workspace_id)
                          .order_by(Film.updated_at.desc())).all()
    jobs = ctx.request.app.state.jobs
    cards = []
    latest = {film.id: jobs.latest_for_film(ctx.db, film.id) for film in rows}
    release(ctx.db)
    for film in rows:
        outs = pipeline_files.outputs(folder_of(ctx, film))
        cards.append({"film": film, "job": latest[film.id], "has_cover": "cover" in outs,
                      "has_film": "film" in outs})
    return render(ctx, "projects.html", cards=cards, workspace=user.workspace)


@router.get("/films/new")
def new_form(ctx: Ctx = Depends(page_ctx)):
    ctx.require_user()
    return render(ctx, "new_film.html", form={"language": ctx.lang, "duration": 60, "genre": "touching-family",
                                              "platform": "douyin" if ctx.lang == "zh" else "generic",
                                              "budget": 0, "currency": "CNY" if ctx.lang == "zh" else "USD",
                                              "aspect": "9:16"},
                  errors=[], platforms=PLATFORMS)


@router.post("/films", dependencies=[Depends(csrf_protect)])
def create_film(ctx: Ctx = Depends(page_ctx), title: str = Form(""), genre: str = Form(""),
                logline: str = Form(""), language: str = Form("en"), duration: str = Form("60"),
                aspect: str = Form("9:16"), platform: str = Form("generic"), budget: str = Form("0"),
                currency: str = Form("CNY"), seed: str = Form("0")):
    user = ctx.require_user()
    raw = {"title": title, "genre": genre, "logline": logline, "language": language, "duration": duration,
           "aspect": aspect, "platform": platform, "budget": budget, "currency": currency, "seed": seed}
    try:
        brief_form = BriefForm.parse(raw)
        film = new_film(ctx, brief_form, user.id, user.workspace_id)
    except (SpecError, ValueError) as exc:
        return render(ctx, "new_film.html", status_code=400, form=raw, platforms=PLATFORMS,
                      errors=[line for line in str(exc).splitlines() if line.strip()])
    return redirect(f"/films/{film.public_id}?msg=created")


def new_film(ctx: Ctx, brief_form: BriefForm, user_id: int, workspace_id: int) -> Film:
    """Validate the brief, create the project folder (`microfilm new`), then the catalogue row."""
    brief = brief_form.to_brief()
    settings = ctx.request.app.state.settings
    from microfilm.studio.models import Workspace

    ws = ctx.db.get(Workspace, workspace_id)
    public_id = new_public_id()
    rel = f"{ws.slug}/{public_id}"
    pipeline_files.create(settings.projects / rel, brief_form)
    film = Film(public_id=public_id, workspace_id=workspace_id, created_by=user_id, title=brief.title,
                genre=brief.genre.value, language=brief.language, logline=brief.logline, folder=rel,
                created_at=utcnow(), updated_at=utcnow(), published_rev=0)
    ctx.db.add(film)
    ctx.db.commit()
    return film


# ---- a film's page -----------------------------------------------------------------------


@router.get("/films/{fid}")
def film_page(fid: str, ctx: Ctx = Depends(page_ctx), msg: str = ""):
    film = film_for(ctx.db, ctx.user, fid)
    folder = folder_of(ctx, film)
    jobs = ctx.request.app.state.jobs
    latest = jobs.latest_for_film(ctx.db, film.id)
    snap = jobs.snapshot(latest.public_id, ctx.db) if latest else None
    uploads = ctx.db.scalars(select(Upload).where(Upload.film_id == film.id).order_by(Upload.id)).all()
    release(ctx.db)  # what follows reads the film's files: no pooled connection held meanwhile
    screenplay = pipeline_files.read_text(folder / "screenplay.fountain")
    preview = pipeline_files.parse_fountain(screenplay) if screenplay else None
    brief = None
    try:
        brief = pipeline_files.load_brief(folder)
    except MicrofilmError:
        pass
    board = pipeline_files.storyboard(folder)
    return render(
        ctx, "film.html", film=film, brief=brief, status=pipeline_files.status(folder),
        research=pipeline_files.read_text(folder / "research.md"), bible=pipeline_files.bible(folder),
        screenplay=screenplay, preview=preview, board=board, outputs=pipeline_files.outputs(folder),
        job=snap, job_active=bool(snap and not snap.finished), uploads=uploads,
        review=pipeline_files.review(folder), flash=msg if msg in FLASH else "",
    )


@router.post("/films/{fid}/screenplay/preview", dependencies=[Depends(csrf_protect)])
def screenplay_preview(fid: str, ctx: Ctx = Depends(page_ctx), text: str = Form("")):
    film_for(ctx.db, ctx.user, fid)
    parsed = pipeline_files.parse_fountain(text)
    return render(ctx, "_screenplay.html", preview=parsed)


@router.post("/films/{fid}/screenplay", dependencies=[Depends(csrf_protect)])
def screenplay_save(fid: str, ctx: Ctx = Depends(page_ctx), text: str = Form(...)):
    film = film_for(ctx.db, ctx.user, fid)
    ensure_idle(ctx, film)
    try:
        pipeline_files.save_screenplay(folder_of(ctx, film), text)
    except SpecError as exc:
        if wants_json(ctx.request):
            return JSONResponse({"ok": False, "error": str(exc)}, status_code=422)
        raise HTTPException(422, str(exc)) from None
    film.updated_at = utcnow()
    ctx.db.commit()
    if wants_json(ctx.request):
        return {"ok": True}
    return redirect(f"/films/{fid}?msg=saved#screenplay")


@router.post("/films/{fid}/shots/{shot_id}/{action}", dependencies=[Depends(csrf_protect)])
def shot_action(fid: str, shot_id: str, action: str, ctx: Ctx = Depends(page_ctx), value: str = Form("1")):
    film = film_for(ctx.db, ctx.user, fid)
    if action not in ("regenerate", "approve", "lock"):
        raise HTTPException(404)
    ensure_idle(ctx, film)
    folder = folder_of(ctx, film)
    try:
        pipeline_files.shot_action(folder, shot_id, action, value not in ("0", "false", ""))
    except MicrofilmError as exc:
        raise HTTPException(404 if "no shot" in str(exc) else 422, str(exc)) from None
    film.updated_at = utcnow()
    ctx.db.commit()
    if wants_json(ctx.request):
        board = pipeline_files.storyboard(folder).value
        shot = next(s for s in board.shots if s.id == shot_id)
        return {"ok": True, "shot": {"id": shot.id, "take": shot.take, "approved": shot.approved,
                                     "locked": shot.locked}}
    return redirect(f"/films/{fid}?msg=shot_updated#storyboard")


@router.post("/films/{fid}/approve-shots", dependencies=[Depends(csrf_protect)])
def approve_shots(fid: str, ctx: Ctx = Depends(page_ctx)):
    """Approve every story shot for the paid animator (`microfilm approve DIR --all`)."""
    film = film_for(ctx.db, ctx.user, fid)
    ensure_idle(ctx, film)
    try:
        changed = pipeline_files.approve_all_shots(folder_of(ctx, film))
    except MicrofilmError as exc:
        raise HTTPException(422, str(exc)) from None
    film.updated_at = utcnow()
    ctx.db.commit()
    if wants_json(ctx.request):
        return {"ok": True, "approved": changed}
    return redirect(f"/films/{fid}?msg=shots_approved#storyboard")


def use_picture(ctx: Ctx, film: Film, character_id: str, file: UploadFile) -> str:
    """A person's own picture of a character becomes their reference sheet (the page's and
    the API's route): checked like an upload, kept in refs/reference/ and named in
    bible.yaml, and listed under Assets. Returns its path in the film's folder."""
    ensure_idle(ctx, film)
    image = checked_upload(ctx.request, file.file.read(ctx.request.app.state.settings.max_upload_bytes + 1))
    try:
        path = pipeline_files.use_picture(folder_of(ctx, film), character_id[:128], image.data)
    except MicrofilmError as exc:
        raise HTTPException(422, str(exc)) from None
    list_upload(ctx.db, film, "reference", image, file.filename)
    film.updated_at = utcnow()
    ctx.db.commit()
    return path


def checked_upload(request: Request, data: bytes) -> CheckedImage:
    """An uploaded image checked against the studio's size cap (an HTTP error otherwise)."""
    try:
        return check_image(data, request.app.state.settings.max_upload_bytes)
    except ImageRefused as exc:
        raise HTTPException(exc.status, str(exc)) from None


def list_upload(db, film: Film, kind: str, image: CheckedImage, filename: str | None) -> None:
    """The film's Assets list names a stored upload once (the caller commits)."""
    stored = f"{kind}/{image.stored_name}"
    if db.scalars(select(Upload).where(Upload.film_id == film.id, Upload.stored_name == stored)).first():
        return
    db.add(Upload(film_id=film.id, kind=kind, stored_name=stored, original_name=(filename or "")[:255],
                  mime=image.mime, size=len(image.data), sha256=image.sha256, created_at=utcnow()))


# Before the generic /references/{character_id}/{action} route, which would take "picture".
@router.post("/films/{fid}/references/{character_id}/picture", dependencies=[Depends(csrf_protect)])
def reference_picture(fid: str, character_id: str, ctx: Ctx = Depends(page_ctx), file: UploadFile = File(...)):
    """Use a person's own picture (an actor's photo, a mascot) as a character's reference
    sheet: no approval needed, and the next render makes their shots again with it."""
    film = film_for(ctx.db, ctx.user, fid)
    path = use_picture(ctx, film, character_id, file)
    if wants_json(ctx.request):
        return {"ok": True, "reference": path}
    return redirect(f"/films/{fid}?msg=reference_own#storyboard")


@router.post("/films/{fid}/references/{character_id}/{action}", dependencies=[Depends(csrf_protect)])
def reference_action(fid: str, character_id: str, action: str, ctx: Ctx = Depends(page_ctx),
                     value: str = Form("1")):
    """Approve (value 0: withdraw) or reject a character's reference sheet; a rejected
    sheet is painted again, alone, by the next render."""
    film = film_for(ctx.db, ctx.user, fid)
    if action not in ("approve", "reject"):
        raise HTTPException(404)
    ensure_idle(ctx, film)
    approve = value not in ("0", "false", "")
    try:
        sheet = pipeline_files.reference_action(folder_of(ctx, film), character_id[:128], action, approve)
    except pipeline_files.NoSuchReference as exc:
        raise HTTPException(404, str(exc)) from None
    except MicrofilmError as exc:
        raise HTTPException(422, str(exc)) from None
    film.updated_at = utcnow()
    ctx.db.commit()
    if wants_json(ctx.request):
        return {"ok": True, "reference": {"character": sheet.character_id, "approved": sheet.approved,
                                          "take": sheet.take, "sheet": sheet.path}}
    msg = "reference_rejected" if action == "reject" else \
        ("reference_approved" if approve else "reference_unapproved")
    return redirect(f"/films/{fid}?msg={msg}#storyboard")


@router.post("/films/{fid}/make", dependencies=[Depends(csrf_protect)])
def make(fid: str, ctx: Ctx = Depends(page_ctx), policy: str = Form("ask")):
    film = film_for(ctx.db, ctx.user, fid)
    if policy not in ("ask", "keep", "force"):
        raise HTTPException(422, "policy must be ask, keep or force")
    try:
        job = ctx.request.app.state.jobs.submit(film.id, ctx.user.id, policy)  # type: ignore[arg-type]
    except JobConflict as exc:
        if wants_json(ctx.request):
            return JSONResponse({"ok": False, "error": ctx.t("error.rendering"), "job": exc.job_public_id},
                                status_code=409)
        raise HTTPException(409, ctx.t("error.rendering")) from None
    if wants_json(ctx.request):
        return JSONResponse({"ok": True, "job": job.public_id}, status_code=202)
    return redirect(f"/films/{fid}?msg=started")


@router.get("/films/{fid}/jobs/{job_id}")
def job_json(fid: str, job_id: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    snap = _job_of(ctx, film, job_id)
    return snap.as_json()


def _job_of(ctx: Ctx, film: Film, job_id: str) -> Snapshot:
    row = ctx.db.scalars(select(Job).where(Job.public_id == job_id, Job.film_id == film.id)).first()
    if row is None:
        raise HTTPException(404)
    return ctx.request.app.state.jobs.live(job_id) or Snapshot.from_row(row)


@router.get("/films/{fid}/jobs/{job_id}/events")
async def job_events(fid: str, job_id: str, request: Request):
    """Server-sent events: the job's snapshot each time it changes, then one final event.
    The stream ends when the job does (the page then reloads its parts)."""
    with request.app.state.sessions() as db:
        ctx = page_ctx(request, db)
        film = film_for(db, ctx.user, fid)
        _job_of(ctx, film, job_id)
    jobs = request.app.state.jobs
    poll = request.app.state.settings.sse_poll_s

    async def stream():
        last = -1
        idle = 0.0
        yield "retry: 2000\n\n"
        while True:
            # From memory while the job runs; the catalogue (in a thread) only once it ended.
            snap = jobs.live(job_id) or await asyncio.to_thread(jobs.snapshot, job_id)
            if snap is None:
                return
            if snap.version != last or snap.finished:
                last = snap.version
                idle = 0.0
                yield f"event: job\ndata: {json.dumps(snap.as_json(), ensure_ascii=False)}\n\n"
                if snap.finished:
                    yield "event: end\ndata: {}\n\n"
                    return
            else:
                idle += poll
                if idle >= 15:
                    idle = 0.0
                    yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(poll)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


# ---- publishing ----------------------------------------------------------------------------


@router.post("/films/{fid}/publish", dependencies=[Depends(csrf_protect)])
def publish(fid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    do_publish(ctx, film)
    if wants_json(ctx.request):
        return {"ok": True, "watch": f"/watch/{film.public_id}"}
    return redirect(f"/films/{fid}?msg=published")


def do_publish(ctx: Ctx, film: Film) -> None:
    studio = film.workspace.name
    ensure_idle(ctx, film)  # and no connection held while the cut is copied
    settings = ctx.request.app.state.settings
    rev = film.published_rev + 1
    try:
        publishing.publish(folder_of(ctx, film), settings.published, film.public_id, rev, studio)
    except MicrofilmError as exc:
        raise HTTPException(409, str(exc)) from None
    film.published_rev, film.published_at = rev, utcnow()
    ctx.db.commit()
    ctx.request.app.state.page_cache.clear()


@router.post("/films/{fid}/unpublish", dependencies=[Depends(csrf_protect)])
def unpublish(fid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    film.published_at = None
    ctx.db.commit()
    publishing.unpublish(ctx.request.app.state.settings.published, film.public_id)
    ctx.request.app.state.page_cache.clear()
    if wants_json(ctx.request):
        return {"ok": True}
    return redirect(f"/films/{fid}?msg=unpublished")


# ---- uploads and media ----------------------------------------------------------------------


@router.post("/films/{fid}/uploads", dependencies=[Depends(csrf_protect)])
async def upload(fid: str, request: Request, kind: str = Form("reference"), file: UploadFile = File(...)):
    settings = request.app.state.settings
    with request.app.state.sessions() as db:
        ctx = page_ctx(request, db)
        film = film_for(db, ctx.user, fid)
        if kind not in UPLOAD_KINDS:
            raise HTTPException(422, f"kind must be one of {', '.join(UPLOAD_KINDS)}")
        image = checked_upload(request, await file.read(settings.max_upload_bytes + 1))
        try:
            dest_dir = pipeline_files.folder_inside(settings.projects / film.folder, f"refs/{kind}")
        except MicrofilmError as exc:
            raise HTTPException(409, str(exc)) from None
        atomic_write_bytes(dest_dir / image.stored_name, image.data)
        list_upload(db, film, kind, image, file.filename)
        db.commit()
        if wants_json(request):
            return {"ok": True, "path": f"refs/{kind}/{image.stored_name}", "width": image.width,
                    "height": image.height, "mime": image.mime}
    return redirect(f"/films/{fid}?msg=uploaded#assets")


@router.get("/films/{fid}/media/{path:path}")
def media(fid: str, path: str, ctx: Ctx = Depends(page_ctx)):
    """A file of the film's folder (keyframes, the cut, subtitles, references): inside the
    folder only, known media types only; FileResponse answers Range requests with 206."""
    film = film_for(ctx.db, ctx.user, fid)
    target = pipeline_files.resolve_inside(folder_of(ctx, film), path)
    if target is None:
        raise HTTPException(404)
    mime = pipeline_files.MEDIA_SUFFIXES[target.suffix.lower()]
    return FileResponse(target, media_type=mime, headers={"Cache-Control": "private, no-cache"})


@router.get("/films/{fid}/shots/{shot_id}/thumb.jpg")
def shot_thumb(fid: str, shot_id: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    folder = folder_of(ctx, film)
    key = pipeline_files.keyframe(folder, shot_id)
    if key is None or pipeline_files.resolve_inside(folder, str(key.relative_to(folder.resolve()))) is None:
        raise HTTPException(404)
    thumb = thumbnail(key, ctx.request.app.state.settings.thumbs)
    if thumb is None:
        raise HTTPException(404, "the image does not decode")
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})


@router.get("/films/{fid}/references/{character_id}/sheet.jpg")
def reference_thumb(fid: str, character_id: str, ctx: Ctx = Depends(page_ctx)):
    """A thumbnail of a character's reference sheet: the sheet named by the generate
    manifest, served only if it lies inside the film's folder (like a shot's keyframe)."""
    film = film_for(ctx.db, ctx.user, fid)
    sheet = pipeline_files.reference_sheet(folder_of(ctx, film), character_id[:128])
    if sheet is None:
        raise HTTPException(404)
    thumb = thumbnail(sheet, ctx.request.app.state.settings.thumbs, width=320)
    if thumb is None:
        raise HTTPException(404, "the image does not decode")
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})


@router.get("/films/{fid}/cover.jpg")
def cover_thumb(fid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    outs = pipeline_files.outputs(folder_of(ctx, film))
    if "cover" not in outs:
        raise HTTPException(404)
    thumb = thumbnail(outs["cover"], ctx.request.app.state.settings.thumbs, width=480)
    if thumb is None:
        raise HTTPException(404, "the image does not decode")
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, no-cache"})


@router.get("/films/{fid}/screenplay/preview", response_class=HTMLResponse, include_in_schema=False)
def preview_get(fid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    text = pipeline_files.read_text(folder_of(ctx, film) / "screenplay.fountain") or ""
    return render(ctx, "_screenplay.html", preview=pipeline_files.parse_fountain(text))


__all__ = ["router", "new_film", "do_publish", "JOB_ACTIVE"]
