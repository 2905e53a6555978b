"""`create_app(settings)`: the studio as a FastAPI application.

Creating the app opens the catalogue, runs its migrations, marks renders a previous server
left running as interrupted, and starts the job workers; the lifespan stops the workers.
"""

from __future__ import annotations

import gc
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from microfilm import form
from microfilm.direction.lint import lint as board_lint
from microfilm.studio import answers, security
from microfilm.studio import render as fmt
from microfilm.studio.db import make_engine, migrate, session_factory
from microfilm.studio.fastpath import CachedGallery
from microfilm.studio.jobs import JobManager
from microfilm.studio.pagecache import PageCache
from microfilm.studio.middleware import BodyLimit, SecurityHeaders
from microfilm.studio.settings import StudioSettings
from microfilm.studio.throttle import LoginThrottle
from microfilm.studio.web import UnknownTokens

HERE = Path(__file__).parent


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = fmt.markdown
    env.filters["mmss"] = fmt.fmt_seconds
    env.filters["money"] = fmt.fmt_money
    env.globals["PRESETS"] = form.PRESETS
    env.globals["genre_name"] = genre_name
    env.globals["board_findings"] = board_lint  # the storyboard tab's staging findings
    return Jinja2Templates(env=env)


def genre_name(genre: str, lang: str) -> str:
    try:
        preset = form.PRESETS[form.parse_genre(genre)]
    except Exception:  # noqa: BLE001 - a catalogue row from an older genre list
        return genre
    return preset.name_zh if lang == "zh" else preset.name_en


def create_app(settings: StudioSettings | None = None, *, recover: bool = True) -> FastAPI:
    """`recover`: this is the studio starting (renders a previous server left are marked
    interrupted); False for a server process joining others already serving (`workers`)."""
    settings = settings or StudioSettings()
    settings.projects.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url, settings.db_pool_size, settings.db_wait_s)
    migrate(engine)
    sessions = session_factory(engine)
    jobs = JobManager(sessions, settings.projects, settings.runner, workers=settings.job_workers,
                      role_dir=settings.runner_lock_dir)
    if recover:
        jobs.recover(resume=settings.auto_resume)
    jobs.start()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Blocking routes run on this many threads; the pool above has a connection for each.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        # Those threads and the event loop share one interpreter lock. The loop asks for it
        # after every network wait and gets it only when a thread has held it this long:
        # Python's 5 ms default made a cached page wait behind the film pages being rendered.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(settings.switch_interval_s)
        # Everything built so far (the app, its routes, templates, models: some 130,000
        # objects) lives as long as the server: moved out of the collector's reach, a full
        # collection during a burst scans only what requests made, instead of stalling
        # every request in flight for 40-170 ms (measured on the 2-core machine).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            sys.setswitchinterval(switch_interval)
            jobs.shutdown()
            engine.dispose()

    app = FastAPI(title="microfilm studio", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.jobs = jobs
    app.state.login_throttle = LoginThrottle(sessions)
    app.state.page_cache = PageCache(marker=settings.gallery_marker)
    app.state.unknown_tokens = UnknownTokens()
    app.state.session_key = security.session_key(settings.home.expanduser() / "session.key")
    app.state.quick_threads = anyio.CapacityLimiter(4)  # session lookups of pages served from memory
    app.state.session_lookups = {}  # token digest -> the lookup in flight (gallery.signed_in)
    app.state.templates = _templates()

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(CachedGallery)  # outermost: a cached gallery page costs no other layer
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from microfilm.studio.routes import account, api, assist, auth, docs, films, watch

    for module in (auth, films, watch, account, api, docs, assist):
        app.include_router(module.router)
    from microfilm.studio.routes import campaigns  # the campaigns `microfilm batch` made
    app.include_router(campaigns.router)
    docs.mount_assets(app)

    answers.install(app)
    return app

