"""`microfilm new DIR`: a project folder from a brief, or from a script (`--from FILE`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from microfilm import api, form
from microfilm.errors import SpecError
from microfilm.spec.brief_input import BriefInput

out = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def new(
        directory: Path = typer.Argument(..., help="Folder for the new film."),
        title: Optional[str] = typer.Option(None, "--title", help="The film's title."),
        genre: Optional[str] = typer.Option(None, "--genre", help=f"One of: {form.allowed_genres()}."),
        logline: Optional[str] = typer.Option(None, "--logline", help="The story in one or two sentences."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Language: en or zh (default en; "
                                           "with --from, the script's)."),
        duration: Optional[float] = typer.Option(None, "--duration", help="Target runtime in seconds "
                                                 "(max 600; default 90, with --from the script's "
                                                 "estimated runtime)."),
        aspect: str = typer.Option("9:16", "--aspect", help="9:16, 16:9 or 1:1."),
        platform: str = typer.Option("generic", "--platform", help="Target platform."),
        budget: float = typer.Option(0.0, "--budget", help="Hard cap on paid spend."),
        currency: str = typer.Option("CNY", "--currency", help="The budget's currency: CNY or USD."),
        seed: int = typer.Option(0, "--seed", help="Seed for the house providers."),
        script: Optional[Path] = typer.Option(
            None, "--from", help="Start from your script: Fountain, Final Draft (.fdx), or plain "
            "text / Markdown written as a screenplay. The bible is derived from it."),
        writer: str = typer.Option("house-writer", "--writer", help="The film's writer provider."),
    ) -> None:
        """Create a project folder with its brief (film.toml), or start from a script."""
        if script is not None:
            from microfilm.assist.script_import import start_film

            try:
                data = script.read_bytes()
            except OSError as exc:
                raise SpecError(f"{script}: cannot read it ({exc.strerror or exc})") from None
            root, imported = start_film(directory, data, str(script), title=title, genre=genre,
                                        logline=logline, language=lang, duration=duration,
                                        aspect=aspect, platform=platform, budget=budget,
                                        currency=currency, seed=seed, writer=writer)
            sp = imported.screenplay
            out.print(f"imported {script} ({imported.format}): {len(sp.scenes)} scenes, "
                      f"{len(sp.speaking_characters())} characters; wrote film.toml, bible.yaml, "
                      f"screenplay.fountain (kept as your edit)")
            out.print(f"next: [cyan]microfilm check {directory}[/], then "
                      f"[cyan]microfilm make {directory}[/]")
            return
        missing = [f"--{n}" for n, v in (("title", title), ("genre", genre), ("logline", logline))
                   if not v]
        if missing:
            raise SpecError(f"missing {', '.join(missing)} (or start from a script with --from FILE)")
        brief = BriefInput.parse({
            "title": title, "genre": genre, "logline": logline, "language": lang or "en",
            "duration": duration if duration is not None else 90, "aspect": aspect,
            "platform": platform, "budget": budget, "currency": currency, "seed": seed})
        root = api.new(directory, brief)
        out.print(f"created [bold]{root / 'film.toml'}[/]; next: [cyan]microfilm make {directory}[/]")
