"""/watch: the public gallery of published films and their pages.

Only published films are found here, and only their published snapshot is served, under a
fixed set of file names (no path from the URL ever reaches the file system).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from microfilm import form
from microfilm.studio import pagecache
from microfilm.studio import publish as publishing
from microfilm.studio.gallery import anonymous_page, gallery_key, maybe_signed_in, signed_in
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


def _gallery(ctx: Ctx, genre: str):
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


def _gallery_page(request: Request, genre: str, anonymous: bool) -> HTMLResponse:
    with request.app.state.sessions() as db:
        ctx = page_ctx(request, db)
        if anonymous:
            ctx = replace(ctx, anon_csrf=pagecache.TOKEN, set_anon_csrf=False)
        return _gallery(ctx, genre)


@router.get("/watch")
async def gallery(request: Request, genre: str = ""):
    """The public gallery. A visitor who is not logged in (most, and anyone sending a junk
    session cookie) gets the page from `PageCache`, served on the event loop (by
    `fastpath.CachedGallery` before routing while the page is fresh): a crowd costs neither
    a thread each nor a catalogue connection each. A logged-in visitor's page (their name in
    the header) is rendered for them."""
    cache = request.app.state.page_cache
    if maybe_signed_in(request) and await signed_in(request):
        return await run_in_threadpool(_gallery_page, request, genre[:80], False)
    key = gallery_key(request)
    html, fresh = cache.get(key)
    if not fresh:
        lock = _render_lock(request)
        if html is None or not lock.locked():
            async with lock:
                html, fresh = cache.get(key)
                if not fresh:
                    generation = cache.generation()
                    page = await run_in_threadpool(_gallery_page, request, genre[:80], True)
                    html = page.body.decode("utf-8")
                    cache.put(key, html, generation)
    return anonymous_page(request, html)


def _render_lock(request: Request) -> asyncio.Lock:
    """One render of a missing page at a time; the visitors who came meanwhile get its result."""
    state = request.app.state
    if getattr(state, "page_render_lock", None) is None:
        state.page_render_lock = asyncio.Lock()
    return state.page_render_lock


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
