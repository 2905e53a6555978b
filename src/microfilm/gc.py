"""`microfilm gc`: free the asset store of what the film no longer uses.

.microfilm/assets keeps every keyframe, clip, voice, segment and mix ever made, so going back
to an earlier take costs nothing; it also grows with every change. What the film uses now is
what its current records name: the generate manifest (spec/manifest.py), the cut
(spec/cut.py), the assets a stage's run record lists (master's join and mix), and any asset
keyed by a stage's current inputs key (develop's draft). Everything else under assets/ goes.

Files whose name starts with a dot are another run's work in progress and are never touched.
A removed asset is made again if a later edit asks for it back; a paid one is paid again
unless its provider still holds the result (the ledger fetches a finished job again).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm import runlock
from microfilm.errors import MicrofilmError
from microfilm.project import Project
from microfilm.stages.base import load_records


@dataclass(frozen=True)
class GCReport:
    removed: tuple[Path, ...]
    freed_bytes: int
    kept: int
    dry_run: bool

    def summary(self) -> str:
        verb = ("would remove", "would free") if self.dry_run else ("removed", "freed")
        return (f"{verb[0]} {len(self.removed)} unused asset(s), {verb[1]} "
                f"{_size(self.freed_bytes)}; kept {self.kept} the film uses")


def _size(n: float) -> str:
    if n < 1024:
        return f"{int(n)} bytes"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}"
    raise AssertionError("unreachable")


def in_use(project: Project) -> set[Path]:
    """Every asset the film's current records name, as resolved paths."""
    names: set[str] = set()
    manifest, cut = project.load_manifest(), project.load_cut()
    if manifest is not None:
        names |= manifest.asset_paths()
    if cut is not None:
        names |= cut.asset_paths()
    records = load_records(project)
    keys = {rec.inputs for rec in records.values()}
    for rec in records.values():
        names.update(rec.data.get("assets", ()))
    used = {(project.root / n).resolve() for n in names}
    if project.assets.is_dir():
        used |= {p.resolve() for p in project.assets.rglob("*") if p.is_file() and p.stem in keys}
    return used


def collect(project: Project, *, dry_run: bool = False) -> GCReport:
    """Remove (or, dry, list) the assets no current record uses. A removal holds the film's
    run lock, so no run can make an asset between reading the records and deleting."""
    if not project.brief_path.exists():
        raise MicrofilmError(f"{project.root}: not a film folder (no film.toml)")
    if project.assets.is_symlink():  # a campaign variant's store is its base film's
        owner = project.assets.resolve().parent.parent
        raise MicrofilmError(f"{project.root}: its asset store is shared with {owner} (a campaign "
                             "variant): run `microfilm gc` on that film, never here")
    if dry_run:
        return _sweep(project, dry_run=True)
    with runlock.hold(project.root, label=str(project.root)):
        return _sweep(project, dry_run=False)


def _sweep(project: Project, *, dry_run: bool) -> GCReport:
    used = in_use(project)
    removed, freed, kept = [], 0, 0
    files = sorted(p for p in project.assets.rglob("*") if p.is_file()) if project.assets.is_dir() else []
    for path in files:
        if path.name.startswith("."):
            continue  # another run's file in progress
        if path.resolve() in used:
            kept += 1
            continue
        size = path.stat().st_size
        if not dry_run:
            path.unlink(missing_ok=True)
        removed.append(path)
        freed += size
    if not dry_run:
        for folder in sorted((d for d in project.assets.rglob("*") if d.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return GCReport(removed=tuple(removed), freed_bytes=freed, kept=kept, dry_run=dry_run)
