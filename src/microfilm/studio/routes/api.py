"""The JSON API: the CLI's operations for scripts and CI, authenticated by API tokens.

    curl -H "Authorization: Bearer mft_..." http://127.0.0.1:8000/api/v1/films

new -> POST /api/v1/films; make -> POST /films/{id}/make; status -> GET /films/{id}/status;
regenerate/approve/lock a shot -> POST /films/{id}/shots/{shot}/{action}; publish ->
POST /films/{id}/publish. Review before paid motion (`microfilm approve`): what waits ->
GET /films/{id}/pending; --all -> POST /films/{id}/approve-shots; --reference [--reject] ->
POST /films/{id}/references/{character}/approve|reject; --reference ID --image FILE ->
POST /films/{id}/references/{character}/picture (multipart `file`). Bearer tokens are not
sent by browsers on their own, so these routes need no CSRF token. No token: 401. Another
workspace's film: 404.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Body, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from microfilm.studio import films as pipeline_files
from microfilm.studio import security, service
from microfilm.studio.errors import NotFound
from microfilm.studio.films import BriefForm
from microfilm.studio.i18n import Translator
from microfilm.studio.models import ApiToken, Film, aware, utcnow
from microfilm.studio.routes.films import studio, use_picture
from microfilm.studio.web import Ctx, film_for, get_db

router = APIRouter(prefix="/api/v1", tags=["api"])


def api_ctx(request: Request, db: Session = Depends(get_db)) -> Ctx:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    row = None
    if scheme.lower() == "bearer" and token.startswith(security.TOKEN_PREFIX) and len(token) < 128:
        row = db.scalars(select(ApiToken).where(ApiToken.token_hash == security.token_hash(token.strip()))).first()
    if row is None or row.revoked_at is not None:
        raise HTTPException(401, "a valid API token is required (Authorization: Bearer mft_...)",
                            headers={"WWW-Authenticate": "Bearer"})
    last = aware(row.last_used_at)
    if last is None or (utcnow() - last).total_seconds() > 60:
        row.last_used_at = utcnow()
        db.commit()
    return Ctx(request=request, db=db, user=row.user, session=None, lang="en", t=Translator("en"),
               anon_csrf="", set_anon_csrf=False)


NewFilm = BriefForm  # the JSON API takes the fields `microfilm new` takes


class FilmOut(BaseModel):
    id: str
    title: str
    genre: str
    language: str
    logline: str
    published: bool
    watch_url: str | None = None


class MakeIn(BaseModel):
    policy: Literal["ask", "keep", "force"] = "ask"


class ShotFlag(BaseModel):
    value: bool = True


def _out(film: Film) -> FilmOut:
    return FilmOut(id=film.public_id, title=film.title, genre=film.genre, language=film.language,
                   logline=film.logline, published=film.published,
                   watch_url=f"/watch/{film.public_id}" if film.published else None)


@router.get("/films", response_model=list[FilmOut])
def list_films(ctx: Ctx = Depends(api_ctx)):
    rows = ctx.db.scalars(select(Film).where(Film.workspace_id == ctx.user.workspace_id).order_by(Film.id)).all()
    return [_out(f) for f in rows]


@router.post("/films", status_code=201, response_model=FilmOut)
def create(body: NewFilm, ctx: Ctx = Depends(api_ctx)):
    return _out(service.new_film(studio(ctx), body, ctx.user.id, ctx.user.workspace_id))


@router.get("/films/{fid}")
def get_film(fid: str, ctx: Ctx = Depends(api_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    st = studio(ctx)
    latest = st.jobs.latest_for_film(ctx.db, film.id)
    return {"film": _out(film).model_dump(), "outputs": sorted(service.outputs(st, film)),
            "job": service.snapshot(st, latest).as_json() if latest else None}


@router.get("/films/{fid}/status")
def status(fid: str, ctx: Ctx = Depends(api_ctx)):
    return service.status(studio(ctx), film_for(ctx.db, ctx.user, fid)).model_dump(mode="json")


@router.post("/films/{fid}/make", status_code=202)
def make(fid: str, body: MakeIn = Body(default_factory=MakeIn), ctx: Ctx = Depends(api_ctx)):
    job = service.make(studio(ctx), film_for(ctx.db, ctx.user, fid), ctx.user.id, body.policy)
    return {"job": job.public_id, "state": job.state}


@router.get("/jobs/{job_id}")
def job(job_id: str, ctx: Ctx = Depends(api_ctx)):
    return service.job_in_workspace(studio(ctx), ctx.user.workspace_id, job_id).as_json()


@router.post("/films/{fid}/shots/{shot_id}/{action}")
def shot(fid: str, shot_id: str, action: Literal["regenerate", "approve", "lock"],
         body: ShotFlag = Body(default_factory=ShotFlag), ctx: Ctx = Depends(api_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    service.shot_action(studio(ctx), film, shot_id, action, body.value)
    return service.shot_state(studio(ctx), film, shot_id)


class SheetOut(BaseModel):
    character: str
    name: str
    sheet: str  # relative to the project folder
    approved: bool
    take: int
    own: bool  # a person's own picture of the character (approved by choosing it)


class PendingOut(BaseModel):
    """`microfilm approve DIR` without arguments, as of now: approvals given since the last
    render are applied (`drafts` still lists every shot that render drafted)."""

    shots: list[str]  # drafted by the house animator and not approved yet
    references: dict[str, str]  # character id -> sheet path, not approved yet
    drafts: list[str]
    sheets: list[SheetOut]


def _sheet_out(s: pipeline_files.Sheet) -> SheetOut:
    return SheetOut(character=s.character_id, name=s.name, sheet=s.path, approved=s.approved, take=s.take,
                    own=s.own)


@router.get("/films/{fid}/pending", response_model=PendingOut)
def pending(fid: str, ctx: Ctx = Depends(api_ctx)):
    rv = service.review(studio(ctx), film_for(ctx.db, ctx.user, fid))
    return PendingOut(shots=list(rv.awaiting), references={s.character_id: s.path for s in rv.sheets_awaiting},
                      drafts=list(rv.drafts), sheets=[_sheet_out(s) for s in rv.sheets])


@router.post("/films/{fid}/approve-shots")
def approve_shots(fid: str, body: ShotFlag = Body(default_factory=ShotFlag), ctx: Ctx = Depends(api_ctx)):
    changed = service.approve_shots(studio(ctx), film_for(ctx.db, ctx.user, fid), body.value)
    return {"approved": body.value, "shots": changed}


class PictureOut(BaseModel):
    character: str
    reference: str  # the picture's path in the film's folder, as bible.yaml names it


# Before the generic /references/{character_id}/{action} route, which would take "picture".
@router.post("/films/{fid}/references/{character_id}/picture", response_model=PictureOut)
def reference_picture(fid: str, character_id: str, file: UploadFile = File(...), ctx: Ctx = Depends(api_ctx)):
    """A person's own picture (PNG, JPEG or WebP) as the character's reference sheet, for a
    character of bible.yaml: no approval needed; the next render uses it for their shots."""
    film = film_for(ctx.db, ctx.user, fid)
    return PictureOut(character=character_id[:128], reference=use_picture(ctx, film, character_id, file))


@router.post("/films/{fid}/references/{character_id}/{action}", response_model=SheetOut)
def reference(fid: str, character_id: str, action: Literal["approve", "reject"],
              body: ShotFlag = Body(default_factory=ShotFlag), ctx: Ctx = Depends(api_ctx)):
    """approve: the sheet's current content is the one every shot with the character gets
    (value false withdraws it); reject: the next render paints a new sheet (take + 1)."""
    film = film_for(ctx.db, ctx.user, fid)
    return _sheet_out(service.reference_action(studio(ctx), film, character_id, action, body.value))


@router.get("/films/{fid}/screenplay", response_class=PlainTextResponse)
def get_screenplay(fid: str, ctx: Ctx = Depends(api_ctx)):
    text = service.screenplay_text(studio(ctx), film_for(ctx.db, ctx.user, fid))
    if text is None:
        raise NotFound("no screenplay yet; make the film (or its develop stage) first")
    return text


@router.put("/films/{fid}/screenplay")
async def put_screenplay(fid: str, request: Request, ctx: Ctx = Depends(api_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    service.ensure_idle(studio(ctx), film)  # before reading the body
    service.save_screenplay(studio(ctx), film, service.decode_screenplay(await request.body()))
    return {"ok": True}


@router.post("/films/{fid}/publish")
def publish(fid: str, ctx: Ctx = Depends(api_ctx)):
    film = film_for(ctx.db, ctx.user, fid)
    service.publish(studio(ctx), film)
    return _out(film)
