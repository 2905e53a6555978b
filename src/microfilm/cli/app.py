"""The `microfilm` command: one Typer app, one module per command."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from microfilm.errors import MicrofilmError

app = typer.Typer(
    name="microfilm",
    help="An open-source studio for the AI-era micro film (微电影): brief to finished film.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _register() -> None:
    from microfilm.cli import make, new, project_status

    new.register(app)
    make.register(app)
    project_status.register(app)
    for optional in ("approve", "assist", "check", "estimate", "providers", "qc", "serve_cmd"):
        try:
            module = __import__(f"microfilm.cli.{optional}", fromlist=["register"])
        except ImportError:
            continue
        module.register(app)


_register()


def main() -> None:
    try:
        app()
    except MicrofilmError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted; finished work is kept, run the same command to resume[/]")
        sys.exit(130)
