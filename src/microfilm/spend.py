"""What a film paid its providers, read from its ledger: the total and each shot's share.

Its own module, below the pipeline, because the master stage writes it into qc.json and
the CLI, the API and the studio show it: none of them should import the pipeline for it.
"""

from __future__ import annotations

from pydantic import BaseModel

from microfilm.ledger import LEDGER_NAME, open_ledger
from microfilm.project import Project


class Spend(BaseModel):
    """Money paid to providers, from the ledger: the film's total and each shot's."""

    currency: str
    total: float = 0.0
    by_shot: dict[str, float] = {}


def spend(project: Project, currency: str, ledger_url: str = "") -> Spend:
    """`ledger_url`: the cluster's PostgreSQL ledger (the `ledger_url` setting), else SQLite."""
    if not ledger_url and not (project.state / LEDGER_NAME).exists():
        return Spend(currency=currency)
    ledger = open_ledger(project.root, ledger_url)
    return Spend(currency=currency, total=round(ledger.total(currency).amount, 4),
                 by_shot={k: round(v.amount, 4) for k, v in ledger.spend_by_shot(currency).items()})
