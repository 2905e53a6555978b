"""Atomic writes: a user's file is either the old one or the new one, never half.

A written file gets the mode any program would give it (0666 less the umask: 0644 under
the usual 022), not mkstemp's private 0600; a secret (a keys file) asks for `mode=0o600`.
Every temporary file is named `.NAME...tmp...` beside its target, so a killed run's
leftovers can be recognised and removed by the next run (`remove_stale_temps`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def current_umask() -> int:
    """The process umask, read without changing it (Linux) or by a set-and-restore."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        old = os.umask(0o022)
        os.umask(old)
    return old


_umask_lock = threading.Lock()


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` atomically, with `mode` (default: 0666 less the umask)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask() if mode is None else mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def is_temp_name(name: str) -> bool:
    """True for the names this package gives temporary files (dot first, `.tmp` inside)."""
    return name.startswith(".") and ".tmp" in name


def remove_stale_temps(folder: Path) -> int:
    """Delete leftover temporary files under `folder`; call only while no run writes there
    (under the film's run lock). Returns how many were removed."""
    removed = 0
    if not Path(folder).is_dir():
        return 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            if is_temp_name(name):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
                except OSError:
                    pass
    return removed


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` for a tool (ffmpeg) to write; publish on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
