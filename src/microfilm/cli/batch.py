"""`microfilm batch campaign.toml`: a base film and its variants, with progress per variant
and in total."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from microfilm.cli.make import RAY_HELP  # one wording for --ray

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def batch(campaign: Path = typer.Argument(..., help="The campaign.toml to make."),
              ray: str = typer.Option(None, "--ray", metavar="ADDRESS|auto", help=RAY_HELP)) -> None:
        """Make a campaign: the base film, then one film per variant of its matrix (platforms,
        aspects, cuts, languages), each in variants/NAME/out/ with its own qc.json."""
        from microfilm.campaign.make import Event, make_campaign

        bars = Progress(TextColumn("[bold]{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[msg]}"), TimeElapsedColumn(), console=out)
        rows: dict[str, int] = {}

        def on_event(e: Event) -> None:
            if not rows:  # shown from the first piece of work: an early refusal prints alone
                bars.start()
                rows["campaign"] = bars.add_task("campaign (variants)", total=1, msg="")
            name = e.variant or "base film"
            if name not in rows:
                rows[name] = bars.add_task(name, total=1, msg="")
            bars.update(rows[name], completed=e.done, total=max(e.total, 1),
                        msg=f"{e.stage}: {e.message}"[:40])
            bars.update(rows["campaign"], completed=e.variants_done, total=max(e.variants_total, 1))

        try:
            status = make_campaign(campaign, on_event=on_event, executor=ray)
            if rows:
                bars.update(rows["campaign"], completed=status.done, total=max(len(status.variants), 1))
        finally:
            bars.stop()
        table = Table(title=f"campaign {status.name}")
        for col in ("variant", "size", "length", "QC", "made", "from cache", "time"):
            table.add_column(col, overflow="fold")
        for v in status.variants:
            table.add_row(v.name, f"{v.width}x{v.height}", f"{v.duration_s:.1f} s",
                          "[green]passed[/]" if v.qc_passed else "[red]FAILED[/]",
                          _counts(v.made), str(sum(v.reused.values())), f"{v.elapsed_s:.1f} s")
        out.print(table)
        out.print(f"base film {status.base_elapsed_s:.1f} s; all {status.elapsed_s:.1f} s; "
                  f"paid {status.spent:.2f} of {status.budget:.2f} {status.currency} "
                  f"(estimate {status.estimate_shared:.2f} shared, {status.estimate_alone:.2f} "
                  "if nothing were shared)")
        out.print(f"films: [bold]{campaign.resolve().parent / 'variants'}[/]/NAME/out/film.mp4")
        if any(v.qc_passed is False for v in status.variants):
            raise typer.Exit(1)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "-"
