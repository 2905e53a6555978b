"""`microfilm serve`: the web studio and the /watch gallery on Uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for every interface)."),
        port: int = typer.Option(8000, help="TCP port."),
        db: Optional[str] = typer.Option(None, "--db", help="Catalogue database URL; default: SQLite at "
                                         "$XDG_DATA_HOME/microfilm/studio.db. PostgreSQL: "
                                         "postgresql+psycopg://user:pass@host/dbname"),
        projects: Optional[Path] = typer.Option(None, "--projects", help="Folder for the films' project "
                                                "folders; default: $XDG_DATA_HOME/microfilm/projects."),
        resume: bool = typer.Option(False, "--resume", help="Restart renders that a previous server left unfinished."),
        proxy_headers: bool = typer.Option(False, "--proxy-headers", help="Trust X-Forwarded-Proto/For from a "
                                           "reverse proxy on 127.0.0.1 (cookies become Secure behind https)."),
        workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Server processes sharing the port "
                                              "(one renders); default: one per core from 3 cores up, at most 4; 1 on 1-2 cores."),
    ) -> None:
        """Run the web studio: projects, screenplay editor, storyboard review, renders, /watch."""
        try:
            import uvicorn

            from microfilm.studio import StudioSettings, create_app
            from microfilm.studio import workers as studio_workers
        except ImportError as exc:
            raise typer.BadParameter(f"the studio needs its extra: pip install 'microfilm[studio]' ({exc})")
        settings = StudioSettings(db_url=db or "", projects_dir=projects, auto_resume=resume)
        processes = workers or studio_workers.default_workers()
        if ":memory:" in settings.database_url:
            processes = 1  # an in-memory catalogue lives in one process
        options = {"proxy_headers": proxy_headers, "log_level": "info",
                   "forwarded_allow_ips": "127.0.0.1" if proxy_headers else None}
        where = (f"microfilm studio on http://{host}:{port}  (catalogue: {settings.database_url.split('@')[-1]}, "
                 f"films: {settings.projects}, {processes} server process{'es' if processes > 1 else ''})")
        if processes == 1:
            application = create_app(settings)
            typer.echo(where)
            uvicorn.run(application, host=host, port=port, **options)
            return
        typer.echo(where)
        raise typer.Exit(studio_workers.serve(settings, host, port, processes, **options))
