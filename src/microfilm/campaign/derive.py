"""A variant as a derived film folder: its own brief, board, out/ and qc.json, the base's store.

variants/<name>/ holds a film.toml (the base's brief with the variant's platform, aspect,
subtitles and what is left of the campaign's budget), the base's bible and screenplay (and
its translation for a language variant), the variant's cut of the storyboard at its size,
and `.microfilm/assets`, a link to the base's content-addressed store: every request the
variant makes that the base already made is a cache hit, by the same key.

The folder is the campaign's, rewritten by each batch (only files whose text changes, so
the variant's stage records stay valid); change the base film or campaign.toml instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from microfilm.cache import STATE_DIR
from microfilm.errors import MicrofilmError
from microfilm.fsutil import atomic_write_text
from microfilm.project import Project
from microfilm.spec import translation
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Storyboard


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text("utf-8") != text:
        atomic_write_text(path, text)


def share_store(base: Project, variant: Project) -> None:
    """Link the variant's asset store to the base's (relative, so the campaign folder can
    move with its base beside it)."""
    base.assets.mkdir(parents=True, exist_ok=True)
    variant.state.mkdir(parents=True, exist_ok=True)
    link = variant.assets
    target = os.path.relpath(base.assets, variant.state)
    if link.is_symlink():
        if os.readlink(link) == target:
            return
        link.unlink()
    elif link.exists():
        raise MicrofilmError(f"{link}: a store of its own where the campaign links the base's; "
                             "remove the variant folder and run the batch again")
    link.symlink_to(target, target_is_directory=True)


def write_variant(base: Project, folder: Path, brief: Brief, board: Storyboard,
                  language: str) -> Project:
    """Write (or refresh) the variant's folder; returns it as a Project."""
    variant = Project.at(folder)
    variant.root.mkdir(parents=True, exist_ok=True)
    share_store(base, variant)
    _write_if_changed(variant.brief_path, brief.to_toml())
    _write_if_changed(variant.storyboard, board.to_yaml())
    for name in (base.bible, base.screenplay):
        _write_if_changed(variant.root / name.name, name.read_text("utf-8"))
    if language != brief.language:
        source = translation.path_for(base.root, language)
        _write_if_changed(translation.path_for(variant.root, language), source.read_text("utf-8"))
    if base.approvals.is_file():  # the same shots approved, the same sheets: the same keys
        _write_if_changed(variant.approvals, base.approvals.read_text("utf-8"))
    return variant


def remove_stale(folder: Path, keep: set[str]) -> list[str]:
    """Remove variant folders the matrix no longer lists (the shared store is only linked,
    so removing a folder never touches the base's assets)."""
    root = Path(folder) / "variants"
    gone = []
    for child in sorted(root.iterdir()) if root.is_dir() else ():
        if child.is_dir() and child.name not in keep and (child / STATE_DIR).is_dir():
            shutil.rmtree(child)
            gone.append(child.name)
    return gone
