"""A film is a folder: this names its files so no other module spells a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm.cache import STATE_DIR
from microfilm.errors import SpecError
from microfilm.spec.brief import Brief
from microfilm.spec.cut import Cut
from microfilm.spec.manifest import Manifest


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
    def out(self) -> Path:
        return self.root / "out"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    def brief(self) -> Brief:
        return Brief.load(self.brief_path)

    # ---- state files (under .microfilm/): the pipeline's, never edited by a person ----------

    @property
    def records(self) -> Path:
        """Each stage's last run: its inputs key and the digests of its outputs."""
        return self.state / "stages.json"

    @property
    def manifest_json(self) -> Path:
        """What generate made (spec/manifest.py)."""
        return self.state / "generated.json"

    @property
    def cut_json(self) -> Path:
        """The edit as data (spec/cut.py)."""
        return self.state / "cut.json"

    @property
    def approvals(self) -> Path:
        """Approved reference sheets, by content hash (microfilm.review)."""
        return self.state / "approvals.json"

    @property
    def assets(self) -> Path:
        """The content-addressed store (microfilm.cache.Store): what `microfilm gc` prunes."""
        return self.state / "assets"

    def load_manifest(self) -> Manifest | None:
        """The generate manifest, or None before generate ran."""
        return Manifest.load(self.manifest_json) if self.manifest_json.exists() else None

    def load_cut(self) -> Cut | None:
        """The cut, or None before cut ran."""
        return Cut.load(self.cut_json) if self.cut_json.exists() else None
