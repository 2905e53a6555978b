"""A film is a folder: this names its files so no other module spells a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm.cache import STATE_DIR
from microfilm.errors import SpecError
from microfilm.spec.brief import Brief


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, path: str | Path) -> "Project":
        root = Path(path).expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise SpecError(f"{path}: is a file, not a film folder; give the folder that holds "
                            "film.toml (`microfilm new FOLDER` makes one)")
        return cls(root)

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
