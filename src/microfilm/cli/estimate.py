"""`microfilm estimate DIR`: the whole plan priced per provider, against the budget."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from microfilm.config import load_settings
from microfilm.estimate import estimate_plan
from microfilm.pipeline import spend
from microfilm.project import Project
from microfilm.providers import lifecycle
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Storyboard

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def estimate(directory: Path = typer.Argument(..., help="The film's project folder.")) -> None:
        """Price the whole plan per provider and per shot before anything runs (exit 3: over budget)."""
        project = Project.at(directory)
        brief, notes = lifecycle.preflight(project)  # a retired model is refused here
        for note in notes:
            out.print(f"[yellow]{note}[/]", highlight=False)
        board = Storyboard.load(project.storyboard) if project.storyboard.exists() else None
        cast = len(Bible.load(project.bible).characters) if project.bible.exists() else 2
        paid = spend(project, brief.budget.currency).total
        settings = load_settings(brief.settings)
        plan = estimate_plan(brief, board, usd_to_cny=settings.usd_to_cny, already_paid=paid,
                             characters=cast, keyframe_oversize=settings.keyframe_oversize)
        cur = plan.currency
        table = Table(title=f"{brief.title}: estimate from the {plan.source}")
        for col in ("capability", "provider", "calls", f"cost ({cur})"):
            table.add_column(col, justify="right" if col != "provider" else "left")
        for ln in plan.lines:
            table.add_row(ln.capability, ln.provider, str(ln.items),
                          f"{ln.cost:.2f}" if ln.paid else "free")
        table.add_row("[bold]total[/]", "", "", f"[bold]{plan.total:.2f}[/]")
        out.print(table)
        if plan.source == "brief":
            out.print("[dim]no storyboard yet: sketched from the brief; run `microfilm board` "
                      "for the real plan[/]")
        out.print(f"budget {plan.budget:.2f} {cur}; already paid {paid:.2f} {cur}")
        if plan.over_budget:
            out.print(f"[red]over budget[/]: the plan needs {plan.total:.2f} {cur}; raise "
                      "budget.amount in film.toml or choose cheaper providers")
            raise typer.Exit(3)
