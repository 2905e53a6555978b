"""The Ray executor: the same task objects, run as Ray tasks on a cluster.

`auto` starts a Ray cluster on this machine for the run; any other spec is the address of a
running cluster ("HOST:PORT" of its head, or "ray://HOST:PORT" through Ray Client). A task
whose node dies is retried on another node (Ray's `max_retries`); that is safe because every
task is idempotent: an asset is published to the content-addressed store by atomic rename,
and a paid call goes through the ledger, which never sends the same request twice (the
cluster's ledger is PostgreSQL: `ledger_url`). An exception raised by a task is not retried
(it would fail again) and reaches the driver as the task's own exception.

A task that mostly waits on a paid service (`task.remote`) asks Ray for no CPU, so polling
never keeps a node's cores from encoding; its provider's lane, one per run for the whole
cluster (`LaneBoard`, an actor the driver owns), bounds how many such calls are out at once.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Iterator

from microfilm.errors import MicrofilmError

NODE_FAILURE_RETRIES = 3
LANE_WAIT_S = (0.05, 1.0)  # a task waiting for a place in a lane asks again this often (backoff)


def _run(task):
    return task.run()


class LaneBoard:
    """The run's paid lanes for the whole cluster (a Ray actor owned by the driver): who holds
    a place in which provider's lane. One per run, so a place a killed worker never gave back
    narrows that lane for that run only."""

    def __init__(self) -> None:
        self.held: dict[str, set[str]] = {}

    def take(self, lane: str, width: int, token: str) -> bool:
        holders = self.held.setdefault(lane, set())
        if token in holders or len(holders) < width:
            holders.add(token)
            return True
        return False

    def give(self, lane: str, token: str) -> None:
        self.held.get(lane, set()).discard(token)

    def counts(self) -> dict[str, int]:
        """Places held now, per lane."""
        return {lane: len(h) for lane, h in self.held.items()}


class RayLanes:
    """microfilm.lanes.SharedLanes on the run's LaneBoard, looked up by name in a worker."""

    def __init__(self, board: str):
        self.board = board
        self._actor = None

    @contextmanager
    def slot(self, lane: str, width: int) -> Iterator[None]:
        import ray

        if self._actor is None:
            self._actor = ray.get_actor(self.board)
        token, wait = uuid.uuid4().hex, LANE_WAIT_S[0]
        while not ray.get(self._actor.take.remote(lane, width, token)):
            time.sleep(wait)  # ends when a holder gives its place back (its call ends)
            wait = min(wait * 1.5, LANE_WAIT_S[1])
        try:
            yield
        finally:
            ray.get(self._actor.give.remote(lane, token))


class RayExecutor:
    name = "ray"

    def __init__(self, spec: str):
        try:
            import ray
        except ImportError:
            raise MicrofilmError(
                f"executor {spec!r} needs Ray: pip install \"microfilm[ray]\" (on the driver and "
                "on every node of the cluster)") from None
        self._ray = ray
        self.spec = spec
        self._owned = not ray.is_initialized()
        if self._owned:
            address = None if spec == "auto" else spec
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise MicrofilmError(f"executor {spec!r}: cannot reach a Ray cluster there: "
                                     f"{exc}") from None
        self._remote = ray.remote(max_retries=NODE_FAILURE_RETRIES, retry_exceptions=False,
                                  num_cpus=1)(_run)
        # a task that waits on a paid service holds no CPU: its provider's lane (one for the
        # cluster, on the board) bounds how many are out at once, as the wide pool does here
        # (spread over the nodes: with no CPU asked, Ray would keep them all on one node)
        self._waiting = ray.remote(max_retries=NODE_FAILURE_RETRIES, retry_exceptions=False,
                                   num_cpus=0, scheduling_strategy="SPREAD")(_run)
        self.lanes_board = f"microfilm-lanes-{uuid.uuid4().hex}"
        self._board = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)(LaneBoard).options(
            name=self.lanes_board, scheduling_strategy=self._on_drivers_node()).remote()

    def _on_drivers_node(self):
        """Where the lane board lives: on the driver's node, whose loss ends the run anyway (a
        worker node killed mid-render must not take the board with it). Restarted empty if it
        dies all the same: a lane is then briefly wider, never blocked."""
        try:
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            return NodeAffinitySchedulingStrategy(self._ray.get_runtime_context().get_node_id(), soft=True)
        except Exception:  # Ray Client or an older Ray: wherever Ray places it
            return "DEFAULT"

    def submit(self, task) -> Future:
        remote = self._waiting if getattr(task, "remote", False) else self._remote
        return remote.remote(task).future()

    def close(self) -> None:
        if self._owned:
            self._ray.shutdown()
