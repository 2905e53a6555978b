"""What the tasks of one run share in a process: provider instances, the ledger, the budget.

The driver registers its own objects under the run's id, so in-process tasks use exactly
them (one budget guard whose reservations are thread-safe, the providers it configured). A
Ray worker, in another process or on another machine, builds its own from the `RunSpec` the
task carries the first time a task of that run reaches it: providers from the registry (keys
from the node's environment), the cluster's ledger (`ledger_url`), and a budget guard that
that counts what the ledger says is committed, read again before each reservation (other
workers and drivers commit to the same ledger meanwhile).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microfilm.lanes import Lanes
from microfilm.ledger import Ledger, open_ledger
from microfilm.providers import registry
from microfilm.providers.pricing import BudgetGuard, Currency, Money


@dataclass(frozen=True)
class RunSpec:
    """The picklable identity of one run: enough for a worker to rebuild its context."""

    run_id: str
    root: Path
    ledger_url: str = ""
    budget: float = 0.0
    currency: Currency = "USD"
    usd_to_cny: float | None = None
    workers: int = 1  # the driver's cores: the width of a worker's CPU lane
    lanes_board: str = ""  # on Ray: the run's cluster-wide paid lanes (executor.ray_backend)


class LedgerBudgetGuard(BudgetGuard):
    """A worker's guard: before each reservation it catches up with the cluster's ledger, so
    spend committed by other workers counts against the cap here too. (Two workers reserving
    in the same instant can still each pass on the same reading: the cap may be crossed by
    at most one call per worker.)"""

    def __init__(self, ledger: Ledger, limit: float, currency: Currency, rate: float | None):
        super().__init__(limit, currency, spent=ledger.committed(currency), rate=rate)
        self.ledger = ledger

    def reserve(self, cost: Money, what: str = "the next call") -> None:
        seen = self.ledger.committed(self.currency).to(self.currency, self.rate)
        with self._lock:
            if seen.amount > self.spent.amount:
                self.spent = seen
        super().reserve(cost, what)


@dataclass
class RunContext:
    ledger: Ledger
    guard: BudgetGuard
    lanes: Lanes
    providers: dict[tuple[str, str], Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def provider(self, name: str, capability: str):
        with self.lock:
            key = (name, capability)
            if key not in self.providers:
                self.providers[key] = registry.get(name, capability)  # type: ignore[arg-type]
            return self.providers[key]


_runs: dict[str, RunContext] = {}  # oldest first
_lock = threading.Lock()
KEEP_RUNS = 8  # a long-lived worker keeps the contexts of its last few runs, not every run's


def register(spec: RunSpec, context: RunContext) -> None:
    with _lock:
        _runs[spec.run_id] = context


def forget(spec: RunSpec) -> None:
    with _lock:
        _runs.pop(spec.run_id, None)


def context(spec: RunSpec) -> RunContext:
    """The run's context in this process: the driver's, or one built here from `spec`."""
    with _lock:
        found = _runs.get(spec.run_id)
        if found is None:
            ledger = open_ledger(spec.root, spec.ledger_url)
            guard = LedgerBudgetGuard(ledger, spec.budget, spec.currency, spec.usd_to_cny)
            shared = None
            if spec.lanes_board:
                from microfilm.executor.ray_backend import RayLanes

                shared = RayLanes(spec.lanes_board)
            found = _runs[spec.run_id] = RunContext(ledger=ledger, guard=guard,
                                                    lanes=Lanes(spec.workers, shared))
            for old in list(_runs)[:-KEEP_RUNS]:
                del _runs[old]
        return found
