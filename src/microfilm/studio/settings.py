"""The studio's frozen settings: where its catalogue and project folders live, and limits.

One `StudioSettings` is built by `microfilm serve` (or a test) and passed to `create_app`;
nothing in the studio reads a global. The job runner is injectable so the web layer can be
tested without running the real pipeline.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from microfilm.studio.jobs import Runner

MB = 1024 * 1024


def studio_home() -> Path:
    """`$XDG_DATA_HOME/microfilm` or `~/.local/share/microfilm`: the catalogue and published copies."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "microfilm"


def default_db_url(home: Path | None = None) -> str:
    return f"sqlite:///{(home or studio_home()) / 'studio.db'}"


@dataclass(frozen=True)
class StudioSettings:
    home: Path = field(default_factory=studio_home)
    db_url: str = ""  # empty: SQLite at home/studio.db; any SQLAlchemy URL (postgresql+psycopg://...) works
    projects_dir: Path | None = None  # empty: home/projects
    max_upload_bytes: int = 10 * MB  # reference images and logos
    max_body_bytes: int = 12 * MB  # any request body; uploads plus form overhead
    session_days: int = 14
    job_workers: int = 1  # films rendered at once; each render already uses every core
    allow_signup: bool = True
    auto_resume: bool = False  # on startup, re-run jobs a restart interrupted
    runner: Optional["Runner"] = None  # None: the real pipeline (microfilm.pipeline.make)
    sse_poll_s: float = 0.25
    # Threads for blocking routes (film pages, the catalogue). Python runs one at a time; each
    # more is one more taker of the interpreter lock ahead of the event loop, which serves the
    # cached gallery: with 1, a visitor's gallery page under load stays within a few times its
    # idle latency at the median (bench/studio_load.py compares sizes); film pages queue among themselves.
    web_threads: int = 1
    # sys.setswitchinterval while serving: how long the event loop waits for the interpreter
    # lock while a thread renders a page. uvloop takes the lock once per callback (accept,
    # read, write, close), so a gallery page under load pays this several times: 0.1 ms
    # against 1 ms halved the visitor's p90 in the burst (bench/README.md, the studio section).
    switch_interval_s: float = 0.0001
    db_wait_s: float = 10.0  # a request waits this long for a pooled connection, then gets 503

    @property
    def db_pool_size(self) -> int:
        """Connections the catalogue keeps: one per web thread, one per render worker, and
        room for the progress streams' final reads, so a connection is never waited for
        while each request holds at most one, and only while it talks to the catalogue."""
        return self.web_threads + self.job_workers + 8

    @property
    def database_url(self) -> str:
        return self.db_url or default_db_url(self.home)

    @property
    def projects(self) -> Path:
        return (self.projects_dir or self.home / "projects").expanduser().resolve()

    @property
    def published(self) -> Path:
        """Snapshots of published films: the public never reads a draft folder."""
        return self.home.expanduser().resolve() / "published"

    @property
    def runner_lock_dir(self) -> Path:
        """Where the server processes of this studio hold the runner role (`jobs.JobManager`)."""
        return self.home.expanduser().resolve() / "runner"

    @property
    def gallery_marker(self) -> Path:
        """Replaced on every publish and unpublish, so each server process drops its cached
        gallery (`pagecache.PageCache`)."""
        return self.home.expanduser().resolve() / "cache" / "gallery.version"

    @property
    def thumbs(self) -> Path:
        return self.home.expanduser().resolve() / "cache" / "thumbs"
