"""The Ray executor: the same task objects, run as Ray tasks on a cluster.

`auto` starts a Ray cluster on this machine for the run; any other spec is the address of a
running cluster ("HOST:PORT" of its head, or "ray://HOST:PORT" through Ray Client). A task
whose node dies is retried on another node (Ray's `max_retries`); that is safe because every
task is idempotent: an asset is published to the content-addressed store by atomic rename,
and a paid call goes through the ledger, which never sends the same request twice (the
cluster's ledger is PostgreSQL: `ledger_url`). An exception raised by a task is not retried
(it would fail again) and reaches the driver as the task's own exception.
"""

from __future__ import annotations

from concurrent.futures import Future

from microfilm.errors import MicrofilmError

NODE_FAILURE_RETRIES = 3


def _run(task):
    return task.run()


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

    def submit(self, task) -> Future:
        return self._remote.remote(task).future()

    def close(self) -> None:
        if self._owned:
            self._ray.shutdown()
