"""A retired model is refused before any call, naming its successor; a deprecated one warns.

The film's `[providers]` choice is checked against the model catalogue when `check`,
`estimate` and `make` start, so a user who picked a model the provider has shut off hears
it before money or time is spent, not from the first paid call's error. With
`[settings] follow_successor = true` the choice moves to the successor and says so.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from microfilm.errors import ProviderError
from microfilm.providers import catalogue
from microfilm.providers.base import CAPABILITIES
from microfilm.spec.brief import Brief, ProviderChoice


class Resolved(BaseModel):
    """The choice to run with and what the user should read about it."""

    choice: ProviderChoice
    notes: list[str] = []


def _successor(name: str, day: date) -> str:
    """The first successor down the chain that is still served (a successor can retire too)."""
    cat = catalogue.load()
    seen = {name}
    current = cat.get(name)
    while current is not None and current.successor and current.successor not in seen:
        seen.add(current.successor)
        current = cat.get(current.successor)
        if current is not None and current.status_on(day) != "retired":
            return current.name
    return ""


def _gone(m: catalogue.CatalogueModel) -> str:
    return f"{m.model} was shut off by {m.provider} on {m.lifecycle.shut_off}"


def resolve(choice: ProviderChoice, *, follow_successor: bool = False,
            day: date | None = None, source: str = "film.toml") -> Resolved:
    """Check every capability's provider against the catalogue's lifecycle on `day`."""
    day = day or date.today()
    cat = catalogue.load()
    picked = choice.model_dump()
    notes: list[str] = []
    for cap in (*CAPABILITIES, "lipsync"):
        name = picked[cap]
        m = cat.get(name)
        if m is None:
            continue  # house and writer providers live outside the catalogue
        status = m.status_on(day)
        if status == "deprecated":
            notes.append(f"{cap} = \"{name}\": {m.model} will be shut off by {m.provider} on "
                         f"{m.lifecycle.shut_off}"
                         + (f"; its successor is \"{m.successor}\"" if m.successor else ""))
            continue
        if status != "retired":
            continue
        successor = _successor(name, day)
        target = cat.get(successor) if successor else None
        if follow_successor and target is not None and target.client:
            picked[cap] = successor
            notes.append(f"{cap} = \"{name}\": {_gone(m)}; using its successor \"{successor}\" "
                         f"({target.model}) because [settings] follow_successor = true")
            continue
        if not successor:
            raise ProviderError(f"{source} [providers] {cap} = \"{name}\": {_gone(m)} and no "
                                f"successor was named; pick another {cap} (`microfilm providers` "
                                "lists them)")
        if target is not None and not target.client:
            raise ProviderError(f"{source} [providers] {cap} = \"{name}\": {_gone(m)}; its "
                                f"successor \"{successor}\" has no client in this microfilm yet; "
                                f"pick another {cap} (`microfilm providers` lists them)")
        raise ProviderError(f"{source} [providers] {cap} = \"{name}\": {_gone(m)}; its successor "
                            f"is \"{successor}\": set {cap} = \"{successor}\" in {source}, or set "
                            "[settings] follow_successor = true to switch automatically")
    return Resolved(choice=ProviderChoice.model_validate(picked), notes=notes)


def apply(brief: Brief, *, follow_successor: bool = False, day: date | None = None,
          source: str = "film.toml") -> tuple[Brief, list[str]]:
    """The brief with its provider choice resolved (unchanged when nothing retired)."""
    r = resolve(brief.providers, follow_successor=follow_successor, day=day, source=source)
    if r.choice == brief.providers:
        return brief, r.notes
    return brief.model_copy(update={"providers": r.choice}), r.notes


def preflight(project) -> tuple[Brief, list[str]]:
    """The project's brief resolved against the catalogue, with the notes to show; what
    `check`, `estimate` and `make` call before anything else."""
    from microfilm.config import load_settings

    brief = project.brief()
    settings = load_settings(brief.settings, source=f"{project.brief_path} [settings]")
    return apply(brief, follow_successor=settings.follow_successor, source=str(project.brief_path))
