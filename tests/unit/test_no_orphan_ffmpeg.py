"""No ffmpeg outlives the run that started it, nor its temporary files.

A child process runs long encodes the way the cut stage does (in a worker pool, writing
to temporary files under .microfilm/assets) and is then ended three ways: kill -9,
SIGTERM, SIGINT sent to it alone (not to its process group). Every ffmpeg it started must
be gone within seconds; the next run on the film removes the temporary files it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microfilm import api, pipeline

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))

ENCODER = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from microfilm.fsutil import atomic_output
from microfilm.media import ffmpeg

ffmpeg.stop_on_signals()
assets = Path(sys.argv[1]) / ".microfilm" / "assets" / "segments"

def encode(n):
    with atomic_output(assets / f"seg{n}.mp4") as tmp:
        ffmpeg.run(["-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=300",
                    "-c:v", "libx264", "-preset", "ultrafast", str(tmp)], what=f"segment {n}")

print("started", flush=True)
with ThreadPoolExecutor(2) as pool:
    list(pool.map(encode, range(6)))
"""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=,stat=,comm=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "ffmpeg" in line]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie no one reaped has stopped running


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
                         ids=["kill-9", "term", "int"])
def test_ending_a_run_ends_its_ffmpeg_and_the_next_run_clears_its_temp_files(tmp_path, sig):
    film = tmp_path / "film"
    api.new(film, title="Orphans", genre="touching-family", logline="No encode left behind.",
            duration=30)
    run = subprocess.Popen([sys.executable, "-c", ENCODER, str(film)], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    encoders: list[int] = []
    try:
        assert run.stdout.readline().strip() == b"started"
        segments = film / ".microfilm" / "assets" / "segments"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            encoders = _children(run.pid)
            if len(encoders) == 2 and len(list(segments.glob(".seg*"))) == 2:
                break
            time.sleep(0.05)
        assert len(encoders) == 2, "the encodes did not start"
        assert len(list(segments.glob(".seg*"))) == 2, "ffmpeg writes to temporary files"
        os.kill(run.pid, sig)
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_running(p) for p in encoders) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in encoders if _running(p)], "ffmpeg outlived its run"
        if sig != signal.SIGKILL:
            assert run.returncode != 0 and not _children(run.pid)
    finally:
        if run.poll() is None:
            run.kill()
        for pid in encoders:  # a failed test must not leave its own orphans behind
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    left = [p for p in (film / ".microfilm" / "assets").rglob("*") if p.is_file()]
    pipeline.make(film, stages=["research"])  # the next run on the film cleans up first
    assert not [p for p in (film / ".microfilm" / "assets").rglob("*") if p.is_file()]
    assert sig != signal.SIGKILL or left, "kill -9 leaves temporary files for the next run"
