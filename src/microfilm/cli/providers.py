"""`microfilm providers`: every registered provider, whether it is usable, and what is missing."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from microfilm.providers import registry

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def providers() -> None:
        """List every provider, whether it is usable here, and what is missing to use it."""
        table = Table(title="providers")
        for col in ("id", "does", "model", "price", "usable", "missing"):
            table.add_column(col)
        rows = sorted(registry.entries().values(),
                      key=lambda e: (e.info.capability if e.info else "~", e.name))
        for e in rows:
            info = e.info
            price = (f"{info.price.amount:g} {info.price.currency}/{info.price.unit}"
                     if info and info.paid else "free")
            table.add_row(e.name, info.capability if info else "?", info.model if info else "",
                          price, "[green]yes[/]" if e.usable else "[red]no[/]", "; ".join(e.missing))
        out.print(table)
