"""Public pages rendered once and served from memory to every visitor who is not logged in.

The gallery is what a crowd (or a flood) hits. Rendering it costs a catalogue query, a file
read per published film and a template: done for each of 200 visitors at once, that work
queues them behind each other and behind the studio's own slow pages. Anonymous visitors all
see the same page, so it is rendered once per (language, filter) and kept `ttl_s` seconds, or
until something is published or unpublished here (`clear`); the TTL bounds how stale a page
can be when another server process publishes. The visitor's own CSRF token is put into the
page as it is served (`TOKEN`), so no visitor gets another's. A page past its TTL is served while one request renders the
next, so visitors never wait for that render behind a busy studio.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

TOKEN = "\x00csrf-token\x00"  # never in a rendered page otherwise: templates escape NUL-free text


@dataclass
class PageCache:
    ttl_s: float = 10.0
    clock: Callable[[], float] = time.monotonic
    max_pages: int = 256
    _pages: dict[tuple, tuple[float, int, str]] = field(default_factory=dict)
    _generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple) -> tuple[str | None, bool]:
        """(page, fresh): a page older than `ttl_s` is still returned (served while one
        request renders it again), one from before a `clear` is not."""
        with self._lock:
            hit = self._pages.get(key)
            if hit is None or hit[1] != self._generation:
                return None, False
            return hit[2], self.clock() - hit[0] < self.ttl_s

    def generation(self) -> int:
        """Taken before rendering: a page rendered across a `clear` is not kept."""
        with self._lock:
            return self._generation

    def put(self, key: tuple, html: str, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if len(self._pages) >= self.max_pages:
                self._pages.clear()
            self._pages[key] = (self.clock(), generation, html)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._pages.clear()
