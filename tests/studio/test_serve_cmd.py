"""`microfilm serve` starts the studio on the given port with the given catalogue and folder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from microfilm.cli.app import app


def test_serve_is_a_registered_command_with_documented_defaults():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for text in ("--host", "127.0.0.1", "--port", "8000", "--db", "--projects", "PostgreSQL", "--workers"):
        assert text in result.output, text


def test_serve_runs_the_studio(tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "cat" / "studio.db"
    projects = tmp_path / "films"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from microfilm.cli.app import main; main()", "serve", "--port", str(port),
         "--db", f"sqlite:///{db}", "--projects", str(projects), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/watch", timeout=2) as r:
                    assert r.status == 200 and b"microfilm" in r.read()
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "microfilm serve did not answer in 60 s"
                time.sleep(0.2)
        assert db.exists() and projects.is_dir()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=15)[0].decode()
    assert f"http://127.0.0.1:{port}" in out and "2 server processes" in out
