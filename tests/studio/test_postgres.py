"""The catalogue on a real PostgreSQL server (a throwaway cluster, tests/pg_server.py).

Runs where PostgreSQL's server programs (initdb, pg_ctl) and psycopg are installed; skips,
saying why, elsewhere. As root, the cluster runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from microfilm.studio import StudioSettings, create_app
from tests.pg_server import postgres
from tests.studio.conftest import make_and_wait, new_film, signup


@pytest.fixture()
def pg_url():
    """The studio's SQLAlchemy URL for a throwaway cluster (tests/pg_server.py)."""
    with postgres() as url:
        yield url.replace("postgresql://", "postgresql+psycopg://", 1)


def test_studio_on_postgresql(pg_url: str, tmp_path: Path, fake):
    settings = StudioSettings(home=tmp_path / "studio", db_url=pg_url, runner=fake, sse_poll_s=0.05)
    app = create_app(settings)
    try:
        with app.state.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert conn.execute(text("select version_num from alembic_version")).scalar() == "0002"
        c = TestClient(app)
        csrf = signup(c, "ann@brand.example", workspace="品牌")
        fid = new_film(c, csrf, title="末班车", genre="温情亲情", language="zh")
        assert make_and_wait(c, fid, csrf)["state"] == "done"
        assert "末班车" in c.get("/projects").text
        c.post(f"/films/{fid}/publish", data={"csrf": csrf})
        assert "末班车" in TestClient(app).get("/watch").text
    finally:
        app.state.jobs.shutdown(wait=5)
        app.state.engine.dispose()
    again = create_app(settings)  # migrations are idempotent on PostgreSQL too
    again.state.jobs.shutdown()
    again.state.engine.dispose()
