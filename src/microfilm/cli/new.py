"""`microfilm new DIR`: a project folder from a brief."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from microfilm import api, form

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def new(
        directory: Path = typer.Argument(..., help="Folder for the new film."),
        title: str = typer.Option(..., "--title", help="The film's title."),
        genre: str = typer.Option(..., "--genre", help=f"One of: {form.allowed_genres()}."),
        logline: str = typer.Option(..., "--logline", help="The story in one or two sentences."),
        lang: str = typer.Option("en", "--lang", help="Language: en or zh."),
        duration: float = typer.Option(90, "--duration", help="Target runtime in seconds (max 600)."),
        aspect: str = typer.Option("9:16", "--aspect", help="9:16, 16:9 or 1:1."),
        platform: str = typer.Option("generic", "--platform", help="Target platform."),
        budget: float = typer.Option(0.0, "--budget", help="Hard cap on paid spend."),
        seed: int = typer.Option(0, "--seed", help="Seed for the house providers."),
    ) -> None:
        """Create a project folder with its brief (film.toml)."""
        root = api.new(directory, title=title, genre=genre, logline=logline, language=lang,
                       duration=duration, aspect=aspect, platform=platform, budget=budget, seed=seed)
        out.print(f"created [bold]{root / 'film.toml'}[/]; next: [cyan]microfilm make {directory}[/]")
