"""The catalogue on a real PostgreSQL server (a throwaway cluster in tmp_path).

Runs where PostgreSQL's server programs (initdb, pg_ctl) and psycopg are installed; skips,
saying why, elsewhere. As root, the cluster runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from microfilm.studio import StudioSettings, create_app
from tests.studio.conftest import make_and_wait, new_film, signup


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


@pytest.fixture()
def pg_url(tmp_path: Path):
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed")
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the cluster")
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser")
        owner = "postgres"
    # Its own folder under /tmp: pytest's tmp_path parents are private to root, and the
    # cluster's owner must reach its data directory.
    base = Path(tempfile.mkdtemp(prefix="microfilm-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if owner:
        shutil.chown(base, owner)
        shutil.chown(sock, owner)
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", "studio", "--auth=trust", "-E", "UTF8",
                              "--locale=C.UTF-8"], owner), check=True, capture_output=True, timeout=120)
    port = 50000 + os.getpid() % 10000
    subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-w", "-t", "60", "-l", str(base / "log"), "-o",
                              f"-k {sock} -p {port} -c listen_addresses=''", "start"], owner),
                   check=True, capture_output=True, timeout=90)
    try:
        yield f"postgresql+psycopg://studio@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], owner),
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_studio_on_postgresql(pg_url: str, tmp_path: Path, fake):
    settings = StudioSettings(home=tmp_path / "studio", db_url=pg_url, runner=fake, sse_poll_s=0.05)
    app = create_app(settings)
    try:
        with app.state.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert conn.execute(text("select version_num from alembic_version")).scalar() == "0001"
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
    again.state.engine.dispose()
