"""Public pages rendered once and served from memory to every visitor who is not logged in.

The gallery is what a crowd (or a flood) hits. Rendering it costs a catalogue query, a file
read per published film and a template: done for each of 200 visitors at once, that work
queues them behind each other and behind the studio's own slow pages. Anonymous visitors all
see the same page, so it is rendered once per (language, filter) and kept `ttl_s` seconds, or
until something is published or unpublished (`clear`). The studio may serve from several
processes, each with its own cache: `clear` also replaces a small marker file, and every
lookup compares the marker's identity (inode, mtime, size: one `stat`, a few microseconds)
with the one the page was rendered under, so a publish in one process drops the page in all
of them at their next request. The visitor's own CSRF token is put into the
page as it is served (`TOKEN`), so no visitor gets another's. A page past its TTL is served while one request renders the
next, so visitors never wait for that render behind a busy studio.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from microfilm.fsutil import atomic_write_text

TOKEN = "\x00csrf-token\x00"  # never in a rendered page otherwise: templates escape NUL-free text


@dataclass
class PageCache:
    ttl_s: float = 10.0
    clock: Callable[[], float] = time.monotonic
    max_pages: int = 256
    marker: Path | None = None  # shared by the studio's server processes; None: this process only
    _pages: dict[tuple, tuple[float, tuple, str]] = field(default_factory=dict)
    _generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _current(self) -> tuple:
        """This process's count of clears and the shared marker's identity."""
        if self.marker is None:
            return (self._generation,)
        try:
            st = os.stat(self.marker)
        except OSError:
            return (self._generation, None)
        return (self._generation, st.st_ino, st.st_mtime_ns, st.st_size)

    def get(self, key: tuple) -> tuple[str | None, bool]:
        """(page, fresh): a page older than `ttl_s` is still returned (served while one
        request renders it again), one from before a `clear` (here or in another process)
        is not."""
        current = self._current()
        with self._lock:
            hit = self._pages.get(key)
            if hit is None or hit[1] != current:
                return None, False
            return hit[2], self.clock() - hit[0] < self.ttl_s

    def generation(self) -> tuple:
        """Taken before rendering: a page rendered across a `clear` is not kept."""
        with self._lock:
            return self._current()

    def put(self, key: tuple, html: str, generation: tuple) -> None:
        with self._lock:
            if generation != self._current():
                return
            if len(self._pages) >= self.max_pages:
                self._pages.clear()
            self._pages[key] = (self.clock(), generation, html)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._pages.clear()
            if self.marker is not None:
                # A new file each time (a new inode): its identity changes even when two
                # clears fall within the file system's timestamp granularity.
                self.marker.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(self.marker, secrets.token_hex(8) + "\n")
