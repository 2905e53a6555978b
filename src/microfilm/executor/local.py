"""The in-process executor: one thread pool, sized to the cores, for every kind of task."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="microfilm")

    def submit(self, task) -> Future:
        return self._pool.submit(task.run)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
