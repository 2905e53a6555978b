"""The variants of a campaign: the matrix expanded, each checked against its platform and
the base film's translations before anything is made."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from microfilm import form, platforms
from microfilm.campaign import cuts
from microfilm.campaign.spec import Campaign
from microfilm.errors import SpecError
from microfilm.spec import translation
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Storyboard


@dataclass(frozen=True)
class Variant:
    platform: str
    aspect: str
    cut: str
    language: str

    @property
    def name(self) -> str:
        return f"{self.platform}-{self.aspect.replace(':', 'x')}-{self.cut}-{self.language}"

    def folder(self, campaign_folder: Path) -> Path:
        return Path(campaign_folder) / "variants" / self.name


def expand(campaign: Campaign, base: Brief, where: str) -> list[Variant]:
    """Every combination of the matrix; a language needs its translation beside the base's
    screenplay (made by `microfilm assist --do translate`)."""
    m = campaign.matrix
    languages = m.languages or [base.language]
    for lang in languages:
        path = translation.path_for(campaign.base, lang)
        if lang != base.language and not path.is_file():
            raise SpecError(f"{where}: field 'matrix.languages': {lang!r} needs the base film's "
                            f"translation {path}; make it with `microfilm assist {campaign.base} "
                            f"--do translate`, or drop {lang!r}")
    return [Variant(p, a, c, lang) for p, a, c, lang in
            itertools.product(m.platforms, m.aspects, m.cuts, languages)]


def board_for(variant: Variant, base_board: Storyboard, where: str) -> Storyboard:
    """The variant's storyboard: its cut of the base's shots, at its aspect's size. A cut
    longer than its platform takes is refused, naming the field to change."""
    plat = platforms.get(variant.platform)
    board = cuts.pick(base_board, variant.cut, platform_max_s=plat.max_duration_s)
    if board.duration > plat.max_duration_s:
        raise SpecError(f"{where}: field 'matrix.cuts': the {variant.cut} cut runs "
                        f"{board.duration:.0f} s, over the {plat.max_duration_s:.0f} s "
                        f"{plat.name_en} takes; use cuts = [\"short\"] or [\"teaser\"] for it")
    w, h = form.ASPECTS[variant.aspect].size
    return board.model_copy(update={"width": w, "height": h})
