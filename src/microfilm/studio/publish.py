"""Publishing: a frozen copy of a finished cut for the public /watch gallery.

The public never reads a draft folder. Publishing copies out/film.mp4, the cover (plus a
small gallery thumbnail), the WebVTT subtitles and a `watch.json` of the synopsis and credits
into `<home>/published/<film>/<rev>/`; re-rendering the draft later changes nothing public
until the film is published again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pydantic import BaseModel

from microfilm.errors import MicrofilmError
from microfilm.fsutil import atomic_write_text
from microfilm.project import Project
from microfilm.studio import films
from microfilm.studio.thumbs import thumbnail


class Credit(BaseModel):
    role: str
    name: str


class WatchInfo(BaseModel):
    title: str
    logline: str
    genre: str
    language: str
    duration_s: float = 0.0
    theme: str = ""
    cast: list[Credit] = []
    studio: str = ""
    has_subtitles: bool = False


def snapshot_dir(published_root: Path, film_public_id: str, rev: int) -> Path:
    return published_root / film_public_id / str(rev)


def publish(folder: Path, published_root: Path, film_public_id: str, rev: int, studio: str) -> WatchInfo:
    outs = films.outputs(folder)
    if "film" not in outs:
        raise MicrofilmError("this film has no finished cut yet (out/film.mp4); make it first")
    brief = Project.at(folder).brief()
    bible = films.bible(folder).value
    board = films.storyboard(folder).value
    cast = [Credit(role=c.role or "", name=c.name) for c in (bible.characters if bible else [])]
    info = WatchInfo(title=brief.title, logline=brief.logline, genre=brief.genre.value,
                     language=brief.language, duration_s=round(board.duration, 1) if board else brief.duration,
                     theme=bible.theme if bible else "", cast=cast, studio=studio,
                     has_subtitles="vtt" in outs)
    dest = snapshot_dir(published_root, film_public_id, rev)
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copy2(outs["film"], tmp / "film.mp4")
    if "vtt" in outs:
        shutil.copy2(outs["vtt"], tmp / "film.vtt")
    if "cover" in outs:
        shutil.copy2(outs["cover"], tmp / "cover.png")
        card = thumbnail(tmp / "cover.png", tmp / ".thumbs", width=540)
        if card is not None:
            shutil.copy2(card, tmp / "card.jpg")
        shutil.rmtree(tmp / ".thumbs", ignore_errors=True)
    atomic_write_text(tmp / "watch.json", info.model_dump_json(indent=1))
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    for old in dest.parent.iterdir():  # earlier revisions are no longer public
        if old != dest:
            shutil.rmtree(old, ignore_errors=True)
    return info


def load_info(published_root: Path, film_public_id: str, rev: int) -> WatchInfo | None:
    p = snapshot_dir(published_root, film_public_id, rev) / "watch.json"
    try:
        return WatchInfo.model_validate(json.loads(p.read_text("utf-8")))
    except (FileNotFoundError, ValueError):
        return None


def unpublish(published_root: Path, film_public_id: str) -> None:
    shutil.rmtree(published_root / film_public_id, ignore_errors=True)
