"""`microfilm make DIR` and one command per stage, with Rich progress bars."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from microfilm import pipeline
from microfilm.project import Project
from microfilm.providers import lifecycle
from microfilm.stages.base import Progress as StageProgress

out = Console()

STAGE_HELP = {
    "research": "Write research.md: genre, audience, platform specs, constraints, estimate.",
    "develop": "Write bible.yaml and screenplay.fountain from the brief.",
    "board": "Plan storyboard.yaml: shots, timing, prompts, lines.",
    "generate": "Make keyframes, clips, voices, score and cover.",
    "cut": "Build the cut (.microfilm/cut.json) and encode each shot into a segment.",
    "master": "Join, mix and master out/film.mp4 with subtitles, cover and qc.json.",
}


PLATFORM_HELP = ("Also master a variant for this platform into out/PLATFORM/ (repeatable): "
                 "douyin, kuaishou, channels, bilibili, tiktok, reels, shorts.")


RAY_HELP = ("Run the film's tasks on a Ray cluster: its address (HOST:PORT or ray://HOST:PORT), "
            "or `auto` to start one on this machine. Needs pip install \"microfilm\\[ray]\"; every "
            "node must see DIR at the same path.")


def run_with_progress(directory: Path, stages: list[str] | None, keep: bool, force: bool,
                      platforms: list[str] | None = None, ray: str | None = None) -> None:
    policy = "keep" if keep else "force" if force else "ask"
    for note in lifecycle.preflight(Project.at(directory))[1]:  # a retired model stops here
        out.print(f"[yellow]{note}[/]", highlight=False)
    with Progress(TextColumn("[bold]{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[msg]}"), TimeElapsedColumn(), console=out,
                  transient=False) as bars:
        tasks: dict[str, int] = {}

        def on_progress(p: StageProgress) -> None:
            if p.stage not in tasks:
                tasks[p.stage] = bars.add_task(p.stage, total=max(p.total, 1), msg="")
            bars.update(tasks[p.stage], completed=p.done, total=max(p.total, 1), msg=p.message[:40])

        report = pipeline.make(directory, stages=stages, on_progress=on_progress,
                               edit_policy=policy, force=force and not keep,
                               platforms=platforms or [], executor=ray)
    for o in report.outcomes:
        mark = "[green]ran [/]" if o.ran else "[dim]skip[/]"
        out.print(f"  {mark} {o.stage:<9} {o.message}")
    if report.did_nothing:
        out.print("[green]nothing to do[/]: every stage is up to date (no generation, no encoding)")
    made = ", ".join(f"{v} {k}" for k, v in sorted(report.made.items())) or "nothing"
    out.print(f"made {made} in {report.elapsed_s:.1f} s")
    if "film" in report.outputs:
        out.print(f"film: [bold]{report.outputs['film']}[/]")


def register(app: typer.Typer) -> None:
    @app.command()
    def make(
        directory: Path = typer.Argument(..., help="The film's project folder."),
        keep: bool = typer.Option(False, "--keep", help="Keep hand-edited files that conflict."),
        force: bool = typer.Option(False, "--force", help="Regenerate conflicting hand edits (backed up)."),
        platform: list[str] = typer.Option(None, "--platform", help=PLATFORM_HELP),
        ray: str = typer.Option(None, "--ray", metavar="ADDRESS|auto", help=RAY_HELP),
    ) -> None:
        """Run every stale stage and write the deliverables to DIR/out/."""
        run_with_progress(directory, None, keep, force, platform, ray)

    for stage, doc in STAGE_HELP.items():
        _stage_command(app, stage, doc)


def _stage_command(app: typer.Typer, stage: str, doc: str) -> None:
    def command(
        directory: Path = typer.Argument(..., help="The film's project folder."),
        keep: bool = typer.Option(False, "--keep", help="Keep hand-edited files that conflict."),
        force: bool = typer.Option(False, "--force", help="Redo this stage; hand edits are backed up."),
    ) -> None:
        run_with_progress(directory, [stage], keep, force)

    command.__doc__ = doc
    app.command(name=stage)(command)
