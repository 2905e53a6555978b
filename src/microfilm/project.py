"""A film is a folder: this names its files so no other module spells a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm.cache import STATE_DIR
from microfilm.spec.brief import Brief


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, path: str | Path) -> "Project":
        return cls(Path(path).expanduser().resolve())

    @property
    def brief_path(self) -> Path:
        return self.root / "film.toml"

    @property
    def research(self) -> Path:
        return self.root / "research.md"

    @property
    def bible(self) -> Path:
        return self.root / "bible.yaml"

    @property
    def screenplay(self) -> Path:
        return self.root / "screenplay.fountain"

    @property
    def storyboard(self) -> Path:
        return self.root / "storyboard.yaml"

    @property
    def cut_otio(self) -> Path:
        return self.root / "cut.otio"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    def brief(self) -> Brief:
        return Brief.load(self.brief_path)
