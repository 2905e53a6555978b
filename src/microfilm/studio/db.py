"""The catalogue's engine and its migrations, run programmatically on startup.

SQLite is the default (one file under the studio home, WAL so the render thread and the
web threads do not block each other); any SQLAlchemy URL works, PostgreSQL included
(`postgresql+psycopg://user@host/db`, with `pip install psycopg`).
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, pool_size: int = 5, pool_timeout: float = 30.0) -> Engine:
    """`pool_size` connections kept open, none beyond (`StudioSettings.db_pool_size` matches
    the web threads); a request that still finds none free waits `pool_timeout` seconds."""
    parsed = make_url(url)
    pool = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": pool_timeout}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # an in-memory catalogue lives in a single connection
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - driver hook
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the catalogue to the newest schema (idempotent)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that reads, then writes what it read decided (queue a render unless one
    is active, claim the oldest queued one). On SQLite it takes the write lock as it begins
    (BEGIN IMMEDIATE, waiting its turn like any write): begun as a plain read, another server
    process's write in between would fail it at once with "database is locked", and two
    processes could both decide on the same rows."""
    with sessions.begin() as db:
        if db.get_bind().dialect.name == "sqlite":
            _begin_immediate(db)
        yield db


def _begin_immediate(db: Session, tries: int = 5) -> None:
    """BEGIN IMMEDIATE waits for the write lock (busy_timeout), except where SQLite answers
    "locked" at once without waiting (another process recovering the WAL index): tried
    again then, a few times."""
    for attempt in range(tries):
        started = time.monotonic()
        try:
            db.connection().exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            waited = time.monotonic() - started
            print(f"microfilm studio: the catalogue was locked ({waited:.2f} s, try {attempt + 1})",
                  file=sys.stderr, flush=True)
            if waited > 1.0 or attempt == tries - 1 or "locked" not in str(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
