"""The studio proper: the projects list, a new film from a brief, and a film's page with its
actions (screenplay save and preview, per-shot review, make, publish, uploads), its media,
and the live progress stream.

Thin routes: each reads the request, calls `studio.service` and shapes the answer (a page,
a redirect with a flash message, or JSON for the page's own fetch calls). What goes wrong is
raised as a type (`studio.errors`) and answered by `studio.answers`, the same for every route. Every route that
names a film goes through `film_for`, so another workspace's film, or any film for an
anonymous visitor, is a 404.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse

from microfilm.errors import SpecError
from microfilm.spec.brief import PLATFORMS
from microfilm.studio import films as pipeline_files
from microfilm.studio import service
from microfilm.studio.answers import wants_json
from microfilm.studio.films import BriefForm
from microfilm.studio.models import JOB_ACTIVE
from microfilm.studio.service import Studio
from microfilm.studio.web import Ctx, csrf_protect, film_for, page_ctx, redirect, render

router = APIRouter()

FLASH = ("saved", "published", "unpublished", "started", "uploaded", "shot_updated", "created",
         "reference_approved", "reference_unapproved", "reference_rejected", "reference_own",
         "shots_approved")


def studio(ctx: Ctx) -> Studio:
    return Studio.of(ctx.request.app.state, ctx.db)


def _flag(value: str) -> bool:
    return value not in ("0", "false", "")


# ---- projects ------------------------------------------------------------------------------


@router.get("/projects")
def projects(ctx: Ctx = Depends(page_ctx)):
    user = ctx.require_user()
    return render(ctx, "projects.html", cards=service.project_cards(studio(ctx), user.workspace_id),
                  workspace=user.workspace)


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
        film = service.new_film(studio(ctx), brief_form, user.id, user.workspace_id)
    except (SpecError, ValueError) as exc:  # the form again, with every field's error
        return render(ctx, "new_film.html", status_code=400, form=raw, platforms=PLATFORMS,
                      errors=[line for line in str(exc).splitlines() if line.strip()])
    return redirect(f"/films/{film.public_id}?msg=created")


# ---- a film's page -----------------------------------------------------------------------


@router.get("/films/{fid}")
def film_page(fid: str, ctx: Ctx = Depends(page_ctx), msg: str = ""):
    film = film_for(ctx.db, ctx.user, fid)
    return render(ctx, "film.html", **service.film_page(studio(ctx), film), flash=msg if msg in FLASH else "")


@router.post("/films/{fid}/screenplay/preview", dependencies=[Depends(csrf_protect)])
def screenplay_preview(fid: str, ctx: Ctx = Depends(page_ctx), text: str = Form("")):
    film_for(ctx.db, ctx.user, fid)
    return render(ctx, "_screenplay.html", preview=pipeline_files.parse_fountain(text))


@router.get("/films/{fid}/screenplay/preview", response_class=HTMLResponse, include_in_schema=False)
def preview_get(fid: str, ctx: Ctx = Depends(page_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    return render(ctx, "_screenplay.html", preview=service.screenplay_preview(studio(ctx), film))


@router.post("/films/{fid}/screenplay", dependencies=[Depends(csrf_protect)])
def screenplay_save(fid: str, ctx: Ctx = Depends(page_ctx), text: str = Form(...)):
    service.save_screenplay(studio(ctx), film_for(ctx.db, ctx.user, fid), text)
    if wants_json(ctx.request):
        return {"ok": True}
    return redirect(f"/films/{fid}?msg=saved#screenplay")


@router.post("/films/{fid}/shots/{shot_id}/{action}", dependencies=[Depends(csrf_protect)])
def shot_action(fid: str, shot_id: str, action: str, ctx: Ctx = Depends(page_ctx), value: str = Form("1")):
    film = film_for(ctx.db, ctx.user, fid)
    service.shot_action(studio(ctx), film, shot_id, action, _flag(value))
    if wants_json(ctx.request):
        return {"ok": True, "shot": service.shot_state(studio(ctx), film, shot_id)}
    return redirect(f"/films/{fid}?msg=shot_updated#storyboard")


@router.post("/films/{fid}/approve-shots", dependencies=[Depends(csrf_protect)])
def approve_shots(fid: str, ctx: Ctx = Depends(page_ctx)):
    """Approve every story shot for the paid animator (`microfilm approve DIR --all`)."""
    changed = service.approve_shots(studio(ctx), film_for(ctx.db, ctx.user, fid))
    if wants_json(ctx.request):
        return {"ok": True, "approved": changed}
    return redirect(f"/films/{fid}?msg=shots_approved#storyboard")


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


def use_picture(ctx: Ctx, film, character_id: str, file: UploadFile) -> str:
    """The page's and the API's route: the upload read up to one byte past the cap."""
    st = studio(ctx)
    return service.use_picture(st, film, character_id, file.file.read(st.settings.max_upload_bytes + 1),
                               file.filename)


@router.post("/films/{fid}/references/{character_id}/{action}", dependencies=[Depends(csrf_protect)])
def reference_action(fid: str, character_id: str, action: str, ctx: Ctx = Depends(page_ctx),
                     value: str = Form("1")):
    """Approve (value 0: withdraw) or reject a character's reference sheet; a rejected
    sheet is painted again, alone, by the next render."""
    approve = _flag(value)
    sheet = service.reference_action(studio(ctx), film_for(ctx.db, ctx.user, fid), character_id, action, approve)
    if wants_json(ctx.request):
        return {"ok": True, "reference": {"character": sheet.character_id, "approved": sheet.approved,
                                          "take": sheet.take, "sheet": sheet.path}}
    msg = "reference_rejected" if action == "reject" else \
        ("reference_approved" if approve else "reference_unapproved")
    return redirect(f"/films/{fid}?msg={msg}#storyboard")


@router.post("/films/{fid}/make", dependencies=[Depends(csrf_protect)])
def make(fid: str, ctx: Ctx = Depends(page_ctx), policy: str = Form("ask")):
    job = service.make(studio(ctx), film_for(ctx.db, ctx.user, fid), ctx.require_user().id, policy)
    if wants_json(ctx.request):
        return JSONResponse({"ok": True, "job": job.public_id}, status_code=202)
    return redirect(f"/films/{fid}?msg=started")


@router.get("/films/{fid}/jobs/{job_id}")
def job_json(fid: str, job_id: str, ctx: Ctx = Depends(page_ctx)):
    return service.job_of(studio(ctx), film_for(ctx.db, ctx.user, fid), job_id).as_json()


@router.get("/films/{fid}/jobs/{job_id}/events")
async def job_events(fid: str, job_id: str, request: Request):
    """Server-sent events: the job's snapshot each time it changes, then one final event.
    The stream ends when the job does (the page then reloads its parts)."""
    with request.app.state.sessions() as db:
        ctx = page_ctx(request, db)
        service.job_of(Studio.of(request.app.state, db), film_for(db, ctx.user, fid), job_id)
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
    service.publish(studio(ctx), film)
    if wants_json(ctx.request):
        return {"ok": True, "watch": f"/watch/{film.public_id}"}
    return redirect(f"/films/{fid}?msg=published")


@router.post("/films/{fid}/unpublish", dependencies=[Depends(csrf_protect)])
def unpublish(fid: str, ctx: Ctx = Depends(page_ctx)):
    service.unpublish(studio(ctx), film_for(ctx.db, ctx.user, fid))
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
        data = await file.read(settings.max_upload_bytes + 1)
        path, image = service.upload(Studio.of(request.app.state, db), film, kind, data, file.filename)
        if wants_json(request):
            return {"ok": True, "path": path, "width": image.width, "height": image.height, "mime": image.mime}
    return redirect(f"/films/{fid}?msg=uploaded#assets")


@router.get("/films/{fid}/media/{path:path}")
def media(fid: str, path: str, ctx: Ctx = Depends(page_ctx)):
    """A file of the film's folder (keyframes, the cut, subtitles, references): inside the
    folder only, known media types only; FileResponse answers Range requests with 206."""
    target, mime = service.media_file(studio(ctx), film_for(ctx.db, ctx.user, fid), path)
    return FileResponse(target, media_type=mime, headers={"Cache-Control": "private, no-cache"})


@router.get("/films/{fid}/shots/{shot_id}/thumb.jpg")
def shot_thumb(fid: str, shot_id: str, ctx: Ctx = Depends(page_ctx)):
    thumb = service.shot_thumb(studio(ctx), film_for(ctx.db, ctx.user, fid), shot_id)
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})


@router.get("/films/{fid}/references/{character_id}/sheet.jpg")
def reference_thumb(fid: str, character_id: str, ctx: Ctx = Depends(page_ctx)):
    """A thumbnail of a character's reference sheet: the sheet named by the generate
    manifest, served only if it lies inside the film's folder (like a shot's keyframe)."""
    thumb = service.reference_thumb(studio(ctx), film_for(ctx.db, ctx.user, fid), character_id)
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})


@router.get("/films/{fid}/cover.jpg")
def cover_thumb(fid: str, ctx: Ctx = Depends(page_ctx)):
    thumb = service.cover_thumb(studio(ctx), film_for(ctx.db, ctx.user, fid))
    return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, no-cache"})


__all__ = ["router", "studio", "use_picture", "JOB_ACTIVE"]
