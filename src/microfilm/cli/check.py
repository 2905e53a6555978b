"""`microfilm check DIR`: the script's problems, before any money is spent."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from microfilm import checks, form
from microfilm.errors import SpecError
from microfilm.project import Project
from microfilm.providers import lifecycle
from microfilm.spec import fountain
from microfilm.spec.bible import Bible
from microfilm.userfiles import read_text

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def check(directory: Path = typer.Argument(..., help="The film's project folder.")) -> None:
        """Five elements, runtime vs cap and target, speakers and places in the bible (exit 1 on error)."""
        project = Project.at(directory)
        brief = project.brief()
        for note in lifecycle.preflight(project)[1]:  # a retired model is refused here
            out.print(f"[yellow]{note}[/]", highlight=False)
        for path in (project.bible, project.screenplay):
            if not path.exists():
                raise SpecError(f"{path} does not exist yet; run `microfilm develop {directory}` first")
        text = read_text(project.screenplay)
        screenplay = fountain.parse(text, source=str(project.screenplay))
        bible = Bible.load(project.bible)
        findings = checks.check(brief, bible, screenplay, fountain_text=text)
        board_errors = (checks.check_storyboard(project.storyboard)
                        if project.storyboard.exists() else [])
        findings += board_errors  # the lint needs a storyboard that loads
        if not board_errors:
            findings += checks.check_board(project.storyboard, bible, screenplay)
        runtime = checks.estimate_runtime(screenplay, brief.language)
        out.print(f"estimated runtime {form.format_clock(runtime.total)} (target "
                  f"{form.format_clock(brief.duration)}): dialogue {runtime.dialogue:.0f} s, "
                  f"action {runtime.action:.0f} s, cards {runtime.cards:.0f} s")
        for f in findings:
            colour = "red" if f.severity == "error" else "yellow"
            out.print(f"[{colour}]{f}[/]", highlight=False)
        errors = sum(1 for f in findings if f.severity == "error")
        if errors:
            out.print(f"[red]{errors} error(s)[/] in {project.screenplay.name}")
            raise typer.Exit(1)
        out.print(f"[green]ok[/]: {project.screenplay.name} is ready to board"
                  + (f" ({len(findings)} warning(s))" if findings else ""))
