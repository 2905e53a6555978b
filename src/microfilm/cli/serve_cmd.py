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
    ) -> None:
        """Run the web studio: projects, screenplay editor, storyboard review, renders, /watch."""
        try:
            import uvicorn

            from microfilm.studio import StudioSettings, create_app
        except ImportError as exc:
            raise typer.BadParameter(f"the studio needs its extra: pip install 'microfilm[studio]' ({exc})")
        settings = StudioSettings(db_url=db or "", projects_dir=projects, auto_resume=resume)
        application = create_app(settings)
        typer.echo(f"microfilm studio on http://{host}:{port}  (catalogue: {settings.database_url.split('@')[-1]}, "
                   f"films: {settings.projects})")
        uvicorn.run(application, host=host, port=port, proxy_headers=proxy_headers,
                    forwarded_allow_ips="127.0.0.1" if proxy_headers else None, log_level="info")
