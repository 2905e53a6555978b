"""`microfilm qc FILE`: measure any MP4 against the master spec; non-zero exit on failure."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from microfilm.media import qc as media_qc

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def qc(
        file: Path = typer.Argument(..., help="An MP4 to measure."),
        duration: float = typer.Option(None, "--duration", help="Planned duration in seconds."),
        report: Path = typer.Option(None, "--report", help="Also write the report as JSON here."),
    ) -> None:
        """Size, fps, codecs, duration, loudness, black/frozen frames, silence, cap (exit 1: fails)."""
        result = media_qc.run_qc(file, media_qc.QCPlan(duration_s=duration))
        out.print(result.summary(), highlight=False)
        if report is not None:
            result.write(report)
        if not result.passed:
            raise typer.Exit(1)
