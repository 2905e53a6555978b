"""Read a project's ledger from outside the process writing it (the kill -9 tests)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Callable


def ledger_counts(db: Path) -> dict[str, int]:
    """Rows per status, read-only; {} while the file is missing or locked mid-write."""
    if not db.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        rows = con.execute("SELECT status, COUNT(*) FROM paid_requests GROUP BY status").fetchall()
        con.close()
    except sqlite3.Error:
        return {}
    return dict(rows)


def kill_9_when(proc: subprocess.Popen, ready: Callable[[], bool], timeout: float = 120.0) -> None:
    """SIGKILL `proc` as soon as `ready()` holds (polled every 20 ms, at most `timeout` s);
    fail the test if it ends first, since then nothing was interrupted."""
    import pytest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"render ended before the kill: {proc.stderr.read().decode()[-2000:]}")
        if ready():
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
