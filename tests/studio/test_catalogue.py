"""The catalogue: migrations create exactly the models' schema, on SQLite and for PostgreSQL."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from microfilm.studio.db import alembic_config, make_engine, migrate
from microfilm.studio.models import Base


def test_migrations_build_the_models_schema_and_are_idempotent(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    migrate(engine)
    migrate(engine)  # a second start changes nothing
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert MigrationContext.configure(conn).get_current_revision() == "0002"
    tables = set(inspect(engine).get_table_names())
    assert {"workspaces", "users", "auth_sessions", "api_tokens", "films", "jobs", "uploads"} <= tables
    engine.dispose()


def test_migrations_render_postgresql_ddl():
    """A PostgreSQL URL is accepted: the same migrations emit PostgreSQL DDL (offline mode,
    so no server is needed here)."""
    cfg = alembic_config("postgresql+psycopg://studio@localhost/studio")
    buf = io.StringIO()
    cfg.output_buffer = buf
    with redirect_stdout(buf):
        command.upgrade(cfg, "head", sql=True)
    ddl = buf.getvalue()
    assert "CREATE TABLE films" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl  # timezone-aware columns on PostgreSQL
    assert "SERIAL" in ddl or "GENERATED" in ddl or "INTEGER NOT NULL" in ddl
    assert "FOREIGN KEY(workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE" in ddl
