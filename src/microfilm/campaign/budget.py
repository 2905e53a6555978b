"""What a campaign will cost before anything runs, and the cap that refuses it.

Each variant is priced by estimate.py as if it were alone (`alone`), and summed; that is the
figure a campaign without a shared store would pay. What the campaign can still pay
(`need`) counts a shared asset once: the base film's plan (less what its ledger says is
paid), plus, per variant, only the calls the base does not make. A variant's pictures,
voices and cover are the base's requests (reframing and subtitles are local work), so the
only new paid call is a score for a cut shorter than the film.
"""

from __future__ import annotations

from dataclasses import dataclass

from microfilm.config import load_settings
from microfilm.errors import BudgetExceeded
from microfilm.estimate import estimate_plan
from microfilm.project import Project
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Storyboard
from microfilm.spend import spend


@dataclass(frozen=True)
class CampaignEstimate:
    currency: str
    base: float  # the base film's whole plan
    alone: dict[str, float]  # variant name -> its plan as if alone
    extra: dict[str, float]  # variant name -> what it adds to the base's calls
    paid: float  # already paid, base and variants (their ledgers)

    @property
    def alone_total(self) -> float:
        return round(sum(self.alone.values()), 4)

    @property
    def need(self) -> float:
        """What is still to pay: the base's unpaid part and every variant's extra calls."""
        return round(max(0.0, self.base - self.paid) + sum(self.extra.values()), 4)


def estimate(base: Project, boards: dict[str, Storyboard | None], *,
             variant_paid: float = 0.0) -> CampaignEstimate:
    """Price the base and each variant (name -> its board at the base's size, or None before
    the base has a board: then each is sketched from the brief like `microfilm estimate`)."""
    brief: Brief = base.brief()
    settings = load_settings(brief.settings)
    board = Storyboard.load(base.storyboard) if base.storyboard.exists() else None
    cast = len(Bible.load(base.bible).characters) if base.bible.exists() else 2

    def plan(b: Storyboard | None):
        return estimate_plan(brief, b, usd_to_cny=settings.usd_to_cny, characters=cast,
                             keyframe_oversize=settings.keyframe_oversize)

    whole = plan(board)
    alone: dict[str, float] = {}
    extra: dict[str, float] = {}
    for name, vboard in boards.items():
        own = plan(vboard) if vboard is not None else whole
        alone[name] = own.total
        same_length = vboard is None or board is None or abs(vboard.duration - board.duration) < 1e-6
        extra[name] = 0.0 if same_length else sum(ln.cost for ln in own.lines
                                                  if ln.capability == "composer")
    paid = spend(base, brief.budget.currency).total + variant_paid
    return CampaignEstimate(currency=brief.budget.currency, base=whole.total, alone=alone,
                            extra=extra, paid=round(paid, 4))


def refuse_over(est: CampaignEstimate, cap: float, where: str) -> None:
    """Stop before any call when what is still to pay would pass the campaign's cap."""
    if est.paid + est.need > cap + 1e-9:
        cur = est.currency
        raise BudgetExceeded(
            f"{where}: field 'budget': the campaign needs {est.need:.2f} {cur} more (base film "
            f"{est.base:.2f}, variants' own calls {sum(est.extra.values()):.2f}; "
            f"{est.alone_total:.2f} if nothing were shared) and has paid {est.paid:.2f}, over "
            f"its cap of {cap:.2f} {cur}; raise budget in campaign.toml or choose cheaper "
            "providers in the base film.toml. Nothing was made.")
