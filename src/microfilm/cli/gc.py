"""`microfilm gc DIR`: remove the cached assets the film no longer uses; says what it freed."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from microfilm import gc as store_gc
from microfilm.project import Project

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def gc(
        directory: Path = typer.Argument(..., help="The film's folder."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be removed."),
    ) -> None:
        """Remove assets in .microfilm/assets that no current record uses (old takes, old voices,
        old segments); the film and its cache of what it uses stay."""
        report = store_gc.collect(Project.at(directory), dry_run=dry_run)
        out.print(report.summary(), highlight=False)
