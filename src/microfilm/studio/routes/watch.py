"""/watch: the public gallery of published films and their pages.

Only published films are found here, and only their published snapshot is served, under a
fixed set of file names (no path from the URL ever reaches the file system).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse
from sqlalchemy import select

from microfilm import form
from microfilm.studio import publish as publishing
from microfilm.studio.models import Film
from microfilm.studio.web import Ctx, page_ctx, release, render

router = APIRouter()

FILES = {"film.mp4": "video/mp4", "cover.png": "image/png", "card.jpg": "image/jpeg",
         "film.vtt": "text/vtt"}


def _published(ctx: Ctx, pid: str) -> Film:
    film = ctx.db.scalars(select(Film).where(Film.public_id == pid[:32])).first()
    release(ctx.db)
    if film is None or not film.published:
        raise HTTPException(404)
    return film


@router.get("/watch")
def gallery(ctx: Ctx = Depends(page_ctx), genre: str = ""):
    query = select(Film).where(Film.published_at.is_not(None)).order_by(Film.published_at.desc())
    chosen = ""
    if genre:
        try:
            chosen = form.parse_genre(genre).value
        except Exception:  # noqa: BLE001 - an unknown filter shows nothing rather than failing
            chosen = genre[:40]
        query = query.where(Film.genre == chosen)
    settings = ctx.request.app.state.settings
    cards = []
    rows = ctx.db.scalars(query.limit(200)).all()
    release(ctx.db)  # the cards are read from the published snapshots' files
    for film in rows:
        info = publishing.load_info(settings.published, film.public_id, film.published_rev)
        if info is not None:
            cards.append({"film": film, "info": info})
    return render(ctx, "watch_gallery.html", cards=cards, genre=chosen)


@router.get("/watch/{pid}")
def watch(pid: str, ctx: Ctx = Depends(page_ctx)):
    film = _published(ctx, pid)
    info = publishing.load_info(ctx.request.app.state.settings.published, film.public_id, film.published_rev)
    if info is None:
        raise HTTPException(404)
    return render(ctx, "watch.html", film=film, info=info)


@router.get("/watch/{pid}/{name}")
def watch_file(pid: str, name: str, ctx: Ctx = Depends(page_ctx)):
    if name not in FILES:
        raise HTTPException(404)
    film = _published(ctx, pid)
    path = publishing.snapshot_dir(ctx.request.app.state.settings.published, film.public_id,
                                   film.published_rev) / name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type=FILES[name], headers={"Cache-Control": "public, max-age=300"})
