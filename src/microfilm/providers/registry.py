"""Providers are found through the `microfilm.providers` entry-point group.

The house providers register there exactly as an outside package would, so the plugin
path is exercised on every run. A provider whose SDK is missing still appears, marked
unusable, with what to install or set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

from microfilm.errors import ProviderError
from microfilm.providers.base import Capability, ProviderInfo

GROUP = "microfilm.providers"


@dataclass(frozen=True)
class Entry:
    """A registered provider. The class is loaded once; what it is missing (an extra, a key)
    is asked afresh each time, so a key set after start-up (in the environment, in keys.toml
    or through the studio) is seen without a restart."""

    name: str
    cls: type | None
    info: ProviderInfo | None
    import_error: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        if self.cls is None:
            return (self.import_error,)
        return tuple(self.cls.missing()) + self.retired

    @property
    def listed(self):
        """This provider's model catalogue entry, or None (house and writer providers)."""
        from microfilm.providers import catalogue

        return catalogue.load().get(self.name)

    @property
    def retired(self) -> tuple[str, ...]:
        m = self.listed
        if m is None or m.status_on() != "retired":
            return ()
        return (f"retired on {m.lifecycle.shut_off}"
                + (f"; use {m.successor}" if m.successor else ""),)

    @property
    def usable(self) -> bool:
        return self.cls is not None and not self.missing


@cache
def entries() -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except ImportError as exc:
            found[ep.name] = Entry(ep.name, None, None, f"cannot import: {exc}")
            continue
        info: ProviderInfo = cls.info
        found[info.id] = Entry(info.id, cls, info)
    return found


def get(name: str, capability: Capability):
    """Instantiate the provider `name` for `capability`, or say why it cannot be used."""
    known = entries()
    entry = known.get(name)
    if entry is None:
        names = sorted(n for n, e in known.items() if e.info and e.info.capability == capability)
        raise ProviderError(
            f"no {capability} provider named {name!r}; registered: {', '.join(names) or 'none'}"
        )
    if entry.info is not None and entry.info.capability != capability:
        raise ProviderError(f"provider {name!r} is a {entry.info.capability}, not a {capability}")
    missing = entry.missing
    if missing:
        raise ProviderError(f"{name}: " + "; ".join(missing))
    return entry.cls()  # type: ignore[misc]
