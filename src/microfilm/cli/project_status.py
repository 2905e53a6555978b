"""`microfilm status DIR`: each stage's state, shots done, spend and elapsed time."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from microfilm import form, pipeline

out = Console()
COLOURS = {"done": "green", "stale": "yellow", "missing": "dim", "edited": "cyan"}


def register(app: typer.Typer) -> None:
    @app.command()
    def status(directory: Path = typer.Argument(..., help="The film's project folder.")) -> None:
        """Show each stage's state, shots done, spend against budget, and elapsed time."""
        st = pipeline.status(directory)
        table = Table(title=st.title)
        table.add_column("stage")
        table.add_column("state")
        table.add_column("time", justify="right")
        table.add_column("note")
        for s in st.stages:
            note = f"edited by hand: {', '.join(s.edited_files)}" if s.edited_files else ""
            table.add_row(s.name, f"[{COLOURS[s.state]}]{s.state}[/]", f"{s.elapsed_s:.1f} s", note)
        out.print(table)
        out.print(f"shots: {st.shots_done}/{st.shots_total}   runtime: {form.format_clock(st.duration_s)}"
                  f"   spend: {st.spend:.2f}/{st.budget:.2f} {st.currency}   elapsed: {st.elapsed_s:.1f} s")
