"""One run per film at a time, whoever starts it: the CLI, the API or a studio render.

The lock is `.microfilm/run.lock`, held with an exclusive `flock` for as long as the run
lasts. The kernel drops a flock when its process dies (a crash, kill -9), so a dead holder's
lock is simply taken over by the next run: nothing stale ever has to be cleaned by hand.
While held, the file names its holder (pid, host, command, start time) so a second run can
say who is in the way instead of building the same files and paying for them twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from microfilm.cache import STATE_DIR
from microfilm.errors import MicrofilmError

LOCK_NAME = "run.lock"


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    started_at: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started_at))
        return f"pid {self.pid} on {self.host}, `{self.command}`, started {when}"


class RunLocked(MicrofilmError):
    """Another live process is running this film."""

    def __init__(self, film: str, holder: Holder | None):
        self.holder = holder
        who = holder.describe() if holder else "a process that has not said who it is yet"
        super().__init__(f"{film} is already being made by {who}; wait for it to finish "
                         "(or stop it), then run again")


def current_command() -> str:
    """What this process was started as, short enough for one line."""
    args = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else ["python"]
    text = " ".join(args)
    return text if len(text) <= 120 else text[:117] + "..."


def read_holder(project_root: Path) -> Holder | None:
    """The holder the lock file names, if any (it may be a finished run's leftover)."""
    try:
        data = json.loads((Path(project_root) / STATE_DIR / LOCK_NAME).read_text("utf-8"))
        return Holder(pid=int(data["pid"]), host=str(data["host"]), command=str(data["command"]),
                      started_at=float(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def hold(project_root: Path, *, command: str | None = None, label: str = "") -> Iterator[Holder]:
    """Hold the film's run lock for the block; raise RunLocked naming the live holder."""
    state = Path(project_root) / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise MicrofilmError(f"{label or project_root}: the film folder is read-only; make it "
                             "writable (chmod -R u+w) or copy the film somewhere you can write"
                             ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(label or Path(project_root).name, read_holder(project_root)) from None
        me = Holder(pid=os.getpid(), host=socket.gethostname(),
                    command=command or current_command(), started_at=time.time())
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(asdict(me)) + "\n").encode("utf-8"), 0)
        try:
            yield me
        finally:
            os.ftruncate(fd, 0)  # released: nobody to name (the flock goes with the close)
    finally:
        os.close(fd)
