"""`microfilm assist DIR "make the ending quieter"`: the writer proposes, you accept.

    microfilm assist DIR "make the ending quieter" --scene 3   # a proposal, shown as a diff
    microfilm assist DIR --do fit                              # a built-in request
    microfilm assist DIR --do alternatives --lines 14          # three proposals for one line
    microfilm assist DIR --list                                # open proposals
    microfilm assist DIR --accept ID [--hunks 1,3]             # write it (or chosen hunks)
    microfilm assist DIR --reject ID
Nothing is written to screenplay.fountain or bible.yaml until a proposal is accepted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from microfilm.errors import MicrofilmError

out = Console()


def _print_diff(text: str) -> None:
    for line in text.splitlines():
        style = ("green" if line.startswith("+") and not line.startswith("+++") else
                 "red" if line.startswith("-") and not line.startswith("---") else
                 "cyan" if line.startswith("@@") else "")
        out.print(f"[{style}]{escape(line)}[/]" if style else escape(line), highlight=False,
                  soft_wrap=True)


def _hunk_numbers(raw: str | None) -> list[int] | None:
    if not raw:
        return None
    try:
        return [int(x) for x in raw.replace(" ", "").split(",") if x]
    except ValueError:
        raise MicrofilmError(f"--hunks {raw!r}: give hunk numbers like 1,3") from None


def register(app: typer.Typer) -> None:
    @app.command()
    def assist(
        directory: Path = typer.Argument(..., help="The film's project folder."),
        request: str = typer.Argument("", help="What you want changed, in your words."),
        do: str = typer.Option("free", "--do", help="A built-in request: fit, punch-up, "
                               "alternatives, tone, fix, brand, translate."),
        scene: Optional[int] = typer.Option(None, "--scene", help="Only this scene (1-based)."),
        lines: Optional[str] = typer.Option(None, "--lines", help="Only these lines of "
                                            "screenplay.fountain, A-B."),
        tone: str = typer.Option("", "--tone", help="For --do tone: the tone to rewrite in."),
        apply: bool = typer.Option(False, "--apply", help="Accept the proposal at once."),
        accept: Optional[str] = typer.Option(None, "--accept", help="Accept proposal ID."),
        hunks: Optional[str] = typer.Option(None, "--hunks", help="With --accept: only these "
                                            "hunks, e.g. 1,3."),
        reject: Optional[str] = typer.Option(None, "--reject", help="Reject proposal ID."),
        show: Optional[str] = typer.Option(None, "--show", help="Show proposal ID's diff."),
        list_: bool = typer.Option(False, "--list", help="List open proposals."),
        as_json: bool = typer.Option(False, "--json", help="Print proposals as JSON."),
    ) -> None:
        """Ask the writer for a change: it is proposed as a diff and written only when accepted."""
        from microfilm.assist import proposals
        from microfilm.assist.requests import KINDS, AssistRequest, propose
        from microfilm.project import Project

        project = Project.at(directory)
        if accept:
            written = proposals.accept(project, accept, _hunk_numbers(hunks))
            out.print(f"accepted {accept}: wrote {', '.join(written)} (kept as your edit by "
                      "every re-run)")
            return
        if reject:
            proposals.reject(project, reject)
            out.print(f"rejected {reject}; nothing was written")
            return
        if show:
            p = proposals.load(project, show)
            _print_diff(proposals.unified_diff(project, p))
            return
        if list_:
            for p in proposals.listed(project):
                out.print(f"{p.id}  {p.kind:<12} {escape(p.request)}  ({len(proposals.hunks(project, p))} hunks)")
            return
        if do not in KINDS:
            raise MicrofilmError(f"--do {do!r}: built-in requests are {', '.join(KINDS)}")
        made, left = propose(project.root, AssistRequest(kind=do, text=request, scene=scene,
                                                         lines=lines, tone=tone))
        if as_json:
            out.print_json(json.dumps([proposals.as_json(project, p) for p in made],
                                      ensure_ascii=False))
        for p in made if not as_json else ():
            out.print(f"[bold]proposal {p.id}[/] by {p.writer}: {escape(p.summary or p.request)}")
            _print_diff(proposals.unified_diff(project, p))
        for note in left:
            out.print(f"[yellow]{escape(note)}[/]")
        if not made:
            out.print("no change proposed; nothing was written")
            return
        if apply and len(made) == 1:
            written = proposals.accept(project, made[0].id)
            out.print(f"applied: wrote {', '.join(written)}")
        elif not as_json:
            ids = " / ".join(p.id for p in made)
            out.print(f"nothing written yet. Accept with [cyan]microfilm assist {directory} "
                      f"--accept {made[0].id}[/] (add --hunks 1,3 for some hunks)"
                      + (f"; proposals: {ids}" if len(made) > 1 else ""))
