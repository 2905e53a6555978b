"""A throwaway PostgreSQL server for tests: `with postgres() as url:` (a libpq URL).

Its own cluster in a folder under /tmp, on a Unix socket only (no TCP port), stopped and
removed when the block ends. Skips the test, saying why, where the server programs
(initdb, pg_ctl) or psycopg are missing. As root, the cluster runs as the `postgres` user
(initdb refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


@contextmanager
def postgres() -> Iterator[str]:
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

    def as_owner(argv: list[str]) -> list[str]:
        return ["runuser", "-u", owner, "--", *argv] if owner else argv

    base = Path(tempfile.mkdtemp(prefix="microfilm-ledger-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if owner:
        shutil.chown(base, owner)
        shutil.chown(sock, owner)
    subprocess.run(as_owner([initdb, "-D", str(data), "-U", "films", "--auth=trust", "-E", "UTF8",
                             "--locale=C.UTF-8"]), check=True, capture_output=True, timeout=120)
    port = 40000 + os.getpid() % 10000  # names the socket file; nothing listens on TCP
    subprocess.run(as_owner([pg_ctl, "-D", str(data), "-w", "-t", "60", "-l", str(base / "log"),
                             "-o", f"-k {sock} -p {port} -c listen_addresses=''", "start"]),
                   check=True, capture_output=True, timeout=90)
    try:
        yield f"postgresql://films@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
