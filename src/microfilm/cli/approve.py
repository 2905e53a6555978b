"""`microfilm approve DIR`: clear shots and reference sheets for the paid animator."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from microfilm import api
from microfilm.errors import MicrofilmError

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def approve(
        directory: Path = typer.Argument(..., help="The film's project folder."),
        shots: list[str] = typer.Argument(None, help="Shot ids to approve (see storyboard.yaml)."),
        all_shots: bool = typer.Option(False, "--all", help="Approve every story shot."),
        reference: list[str] = typer.Option(
            [], "--reference", "-r", help="Approve this character's current reference sheet."),
        reject: bool = typer.Option(
            False, "--reject", help="Withdraw approval; with --reference, paint another sheet."),
        image: Path = typer.Option(
            None, "--image", help="With one --reference: use this picture of the character (an "
                                  "actor, a mascot) as their sheet instead of a painted one."),
    ) -> None:
        """Approve shots and reference sheets so a paid animator renders them; without
        arguments, list what waits for approval."""
        if all_shots and shots:
            raise MicrofilmError("give shot ids or --all, not both")
        if image is not None and (len(reference) != 1 or reject):
            raise MicrofilmError("--image needs exactly one --reference CHARACTER (and no --reject)")
        for cid in reference:
            if image is not None:
                kept = api.use_reference(directory, cid, image)
                out.print(f"{cid}'s reference is now {kept} (yours, so approved); shots with "
                          f"{cid} are made again by the next `microfilm make {directory}`")
            elif reject:
                take = api.reject_reference(directory, cid)
                out.print(f"rejected the sheet of {cid}: take {take} is painted by the next "
                          f"`microfilm make {directory}`")
            else:
                sheet = api.approve_reference(directory, cid)
                out.print(f"approved the reference sheet of {cid}: {sheet}")
        if shots or all_shots:
            changed = api.approve_shots(directory, None if all_shots else shots, approved=not reject)
            out.print(f"{'withdrew approval of' if reject else 'approved'} {len(changed)} shot(s): "
                      + ", ".join(changed))
        waiting = api.pending(directory)
        if shots or all_shots or reference:
            out.print(f"run `microfilm make {directory}` to render what is approved")
        elif waiting.empty:
            out.print("[green]nothing waits for approval[/]")
        else:
            if waiting.shots:
                out.print(f"shots drafted until approved: {', '.join(waiting.shots)}")
            for cid, sheet in waiting.references.items():
                out.print(f"reference sheet of {cid} to approve: {directory / sheet}")
