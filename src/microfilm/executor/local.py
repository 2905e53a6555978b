"""The in-process executor: one thread pool sized to the cores for the work done here, and
a wide one for tasks that wait on a paid service's network.

Why two: a paid clip spends minutes waiting on its provider, which runs several jobs at once
(its declared concurrency, microfilm.lanes). In a pool sized to 2 cores, N such clips would
take ceil(N / 2) x the latency; in the wide pool they take ceil(N / concurrency) x it, and
the provider's lane, not the pool, bounds how many are out at once. CPU work stays on the
cores' pool, so the machine is never oversubscribed.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

REMOTE_THREADS = 32
"""Threads for tasks that wait on a network service; each provider's lane bounds its own."""


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="microfilm")
        self._remote = ThreadPoolExecutor(max_workers=REMOTE_THREADS,
                                          thread_name_prefix="microfilm-remote")

    def submit(self, task) -> Future:
        pool = self._remote if getattr(task, "remote", False) else self._pool
        return pool.submit(task.run)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._remote.shutdown(wait=True, cancel_futures=True)
