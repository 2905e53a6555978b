"""campaign.json: where a campaign stands, variant by variant, for the CLI and the studio.

Written atomically beside campaign.toml after every change of state, so a page that reads
it mid-run sees either the last state or the next, never half of one. It is the campaign's
record, never read back to decide work: each variant's own stage records do that.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from microfilm.fsutil import atomic_write_text

FILE = "campaign.json"
State = Literal["waiting", "making", "done", "failed"]


class VariantStatus(BaseModel):
    name: str
    platform: str
    aspect: str
    cut: str
    language: str
    folder: str  # relative to the campaign folder
    state: State = "waiting"
    message: str = ""
    duration_s: float = 0.0
    width: int = 0
    height: int = 0
    qc_passed: bool | None = None
    made: dict[str, int] = {}
    reused: dict[str, int] = {}
    elapsed_s: float = 0.0
    estimate: float = 0.0  # priced as if alone, in the campaign's currency
    covers: list[str] = []  # file names under the variant's out/


class CampaignStatus(BaseModel):
    name: str
    base: str
    currency: str
    budget: float
    estimate_alone: float = 0.0  # every variant priced as if it shared nothing
    estimate_shared: float = 0.0  # what the campaign can still pay, shared assets counted once
    spent: float = 0.0
    state: State = "waiting"
    elapsed_s: float = 0.0
    base_elapsed_s: float = 0.0
    variants: list[VariantStatus] = []

    def save(self, folder: Path) -> None:
        atomic_write_text(Path(folder) / FILE, self.model_dump_json(indent=1) + "\n")

    @property
    def done(self) -> int:
        return sum(1 for v in self.variants if v.state == "done")


def read(folder: Path) -> CampaignStatus | None:
    """The campaign's last saved state, or None when it never ran or the file is unreadable."""
    try:
        return CampaignStatus.model_validate(json.loads((Path(folder) / FILE).read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return None
