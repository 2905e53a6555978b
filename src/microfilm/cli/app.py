"""The `microfilm` command: one Typer app, one module per command."""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console
from rich.markup import escape

from microfilm.errors import MicrofilmError, shown

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
    from microfilm.cli import gc as gc_command

    new.register(app)
    make.register(app)
    project_status.register(app)
    gc_command.register(app)
    for optional in ("approve", "assist", "check", "estimate", "providers", "qc", "serve_cmd"):
        # No command needs an optional extra to import (they import those lazily), so an
        # ImportError here is a broken command: it stops `microfilm` instead of vanishing.
        module = importlib.import_module(f"microfilm.cli.{optional}")
        module.register(app)
    importlib.import_module("microfilm.cli.batch").register(app)  # campaigns (docs/campaigns.md)


_register()


def _unforeseen(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or type(exc).__name__}"
    return f"{type(exc).__name__}: {exc}"


def main() -> None:
    from microfilm.media import ffmpeg

    restore = ffmpeg.stop_on_signals()  # Ctrl-C or kill ends the encodes too, none orphaned
    debug = "--debug" in sys.argv[1:]  # show tracebacks (anywhere on the line)
    if debug:
        sys.argv = [a for a in sys.argv if a != "--debug"]
    try:
        _run(debug)
    finally:
        restore()


def _run(debug: bool) -> None:
    try:
        app()
    except MicrofilmError as exc:
        if debug:
            raise
        # soft_wrap: never a line break inside a path or a field name (copied, it must work)
        err.print(f"[bold red]error:[/] {escape(shown(str(exc)))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (OSError, UnicodeError, ValueError, RuntimeError) as exc:  # not foreseen: no traceback
        if debug:
            raise
        err.print(f"[bold red]error:[/] {escape(shown(_unforeseen(exc)))}\n"
                  "run again with --debug for the traceback, and report it if it is a bug",
                  highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted; finished work is kept, run the same command to resume[/]")
        sys.exit(130)
