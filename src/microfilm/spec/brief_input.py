"""What a person types to start a film: the one set of fields `microfilm new`, `microfilm.api.new`,
the studio's new-film form and its JSON API all accept.

The brief's fields used to be written out in each caller and drifted (the CLI had no
`--currency`); now each caller fills a BriefInput and `to_brief()` turns it into the Brief
that film.toml holds, so a field added here reaches every caller at once, and a bad value
is reported by the same SpecError naming the same field wherever it was typed.
"""

from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from microfilm.errors import SpecError
from microfilm.spec.brief import Brief


class BriefInput(BaseModel):
    """The new-film fields, loosely typed on purpose: a form sends strings, and the checks
    that matter (genre, aspect, duration range, platform, currency) are the Brief's own, run
    once in `to_brief`, so there is one rule per field and one message for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    genre: str
    logline: str
    language: str = "en"
    duration: float = 90.0
    aspect: str = "9:16"
    platform: str = "generic"
    budget: float = 0.0
    currency: str = "CNY"
    seed: int = 0

    @field_validator("title", "logline", "genre", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @classmethod
    def parse(cls, raw: Mapping[str, Any], source: str = "brief") -> "BriefInput":
        """Fields from a form or a JSON body; a value of the wrong type (duration "abc")
        raises SpecError naming the field. Blank numbers take their defaults."""
        data = {k: v for k, v in raw.items() if not (k in ("duration", "budget", "seed")
                                                     and isinstance(v, str) and not v.strip())}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SpecError.from_validation(source, exc) from None

    def to_brief(self, source: str = "brief") -> Brief:
        """The brief `microfilm new` writes; SpecError names each bad field."""
        return Brief.from_mapping({
            "title": self.title, "genre": self.genre, "logline": self.logline,
            "language": self.language, "duration": self.duration, "aspect": self.aspect,
            "platform": self.platform, "seed": self.seed,
            "budget": {"amount": self.budget, "currency": self.currency},
        }, source=source)
