"""One executor seam: every unit of parallel work is a typed task submitted to one executor.

A task is a frozen dataclass of plain inputs (paths, keys, pydantic requests) with a `run()`
method that returns a typed result. The in-process executor runs tasks on one thread pool
sized to the cores; the Ray executor runs the very same objects on a Ray cluster, so a film
made on Ray has the same cache keys and the same bytes as one made in-process. The work is
in ffmpeg, eSpeak or the network, not in Python, which is why threads suffice on one machine.

Which executor a run uses is one setting (`executor`): "local" (the default), "auto" (start
a Ray cluster on this machine), or a Ray address ("HOST:PORT" or "ray://HOST:PORT"). Every
node must see the film's folder at the same path (a shared folder): tasks carry paths.
"""

from __future__ import annotations

from concurrent.futures import Future
from contextlib import contextmanager
from typing import Iterator, Protocol, TypeVar

R = TypeVar("R", covariant=True)


class Task(Protocol[R]):
    """A unit of work: picklable inputs, `run()` gives the result wherever it runs."""

    def run(self) -> R: ...


class Executor(Protocol):
    """Runs tasks; `submit` returns a standard Future for the task's result."""

    name: str

    def submit(self, task: Task) -> Future: ...

    def close(self) -> None: ...


LOCAL = "local"


def is_ray(spec: str) -> bool:
    return bool(spec) and spec != LOCAL


@contextmanager
def open_executor(spec: str = LOCAL, workers: int = 1) -> Iterator[Executor]:
    """The executor `spec` names, closed when the block ends."""
    if is_ray(spec):
        from microfilm.executor.ray_backend import RayExecutor

        ex: Executor = RayExecutor(spec)
    else:
        from microfilm.executor.local import LocalExecutor

        ex = LocalExecutor(workers)
    try:
        yield ex
    finally:
        ex.close()


@contextmanager
def using(executor: Executor | None, workers: int) -> Iterator[Executor]:
    """`executor` when a run opened one, else an in-process one for this block alone."""
    if executor is not None:
        yield executor
        return
    with open_executor(LOCAL, workers) as ex:
        yield ex
