"""Lanes: how many calls each provider may have in flight at once.

Why: a paid provider's call is mostly waiting on its server, so its wall time is set by how
many jobs the provider runs at once (its declared `Capabilities.concurrency`), not by the
cores. One pool sized to the cores made N paid clips take ceil(N / cores) x latency on a
2-core machine even when the provider runs 4 at a time. House and local providers work on
this machine's CPU: they share one lane as wide as the cores, so a wider pool for the
network never oversubscribes the CPU.

The executor seam sizes its in-process pool with `Lanes.pool_size` and holds `Lanes.slot`
while a provider works (for a paid call: only while its service does, passed to
`jobs.execute(slot=...)`). On Ray a paid lane is one for the whole cluster (`shared`: the
run's lane board, executor/ray_backend.py), since every worker process builds its own Lanes;
the CPU lane stays per process, where Ray's own CPU accounting bounds the work. Keep this the
one place that answers "how many at once" for a provider.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import ContextManager, Iterable, Iterator, Protocol

from microfilm.providers.base import ProviderInfo

DEFAULT_PAID_CONCURRENCY = 4
"""For a paid provider that declares none: most accounts run several jobs at once, and a
429 beyond the account's limit is retried (providers/jobs.py), never paid twice."""

CPU = "cpu"  # the lane every provider that computes here shares


def lane_of(info: ProviderInfo) -> str:
    return f"provider:{info.id}" if info.paid else CPU


def width(info: ProviderInfo, workers: int) -> int:
    """Calls of this provider at once: its declared concurrency when it is paid, else the
    cores (`workers`)."""
    if not info.paid:
        return max(1, workers)
    declared = getattr(info.capabilities, "concurrency", None)
    return max(1, int(declared or DEFAULT_PAID_CONCURRENCY))


class SharedLanes(Protocol):
    """Paid lanes kept outside this process (a cluster's): `slot(lane, width)` holds one place."""

    def slot(self, lane: str, width: int) -> ContextManager[None]: ...


class Lanes:
    """One semaphore per lane. `slot(info)` holds one place in the provider's lane."""

    def __init__(self, workers: int, shared: SharedLanes | None = None):
        self.workers = max(1, workers)
        self.shared = shared
        self._lock = threading.Lock()
        self._sems: dict[str, threading.BoundedSemaphore] = {}

    def pool_size(self, providers: Iterable[ProviderInfo], tasks: int = 0) -> int:
        """Threads for `tasks` units of work over `providers`: the cores when all of them
        compute here; with a paid provider, a thread per task (at least the cores plus each
        paid provider's width). A task waiting for a paid lane then never holds back one
        that would paint a keyframe meanwhile, and the CPU lane still bounds the CPU work."""
        paid = {info.id: width(info, self.workers) for info in providers if info.paid}
        if not paid:
            return self.workers
        return max(self.workers + sum(paid.values()), tasks)

    @contextmanager
    def slot(self, info: ProviderInfo) -> Iterator[None]:
        name = lane_of(info)
        if self.shared is not None and name != CPU:
            with self.shared.slot(name, width(info, self.workers)):
                yield
            return
        with self._lock:
            sem = self._sems.get(name)
            if sem is None:
                sem = self._sems[name] = threading.BoundedSemaphore(width(info, self.workers))
        with sem:
            yield
