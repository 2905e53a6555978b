"""`microfilm providers`: every provider and catalogue model, readable in an 80-column terminal.

One block per provider instead of a wide table: a table squeezed to 80 columns cut its cells
to "install microfilm" and "set KLING_ACCE...", the very words a user needs. Each block says
what the model is, what it costs (with the date the price was read), where it is in its
life (deprecated and retired ones marked, with the successor) and what is missing to use it.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from microfilm.providers import catalogue, registry
from microfilm.providers.base import CAPABILITIES, ProviderInfo

out = Console()


def _price(info: ProviderInfo | None, listed: catalogue.CatalogueModel | None) -> str:
    if listed is not None:
        p = listed.price
        sign = "$" if p.currency == "USD" else "¥"
        unit = {"second": "s", "1k_chars": "1k chars", "1k_tokens": "1k tokens"}.get(p.unit, p.unit)
        return f"{sign}{p.amount:g}/{unit} (read {p.read_on})"
    if info is None or not info.paid:
        return "free"
    return f"{info.price.amount:g} {info.price.currency}/{info.price.unit}"


def _status(listed: catalogue.CatalogueModel | None) -> str:
    if listed is None:
        return ""
    life = listed.lifecycle
    status = listed.status_on()
    then = f" -> use {listed.successor}" if listed.successor else ""
    if status == "retired":
        return f"[red]RETIRED {life.shut_off}{then}[/]"
    if status == "deprecated":
        return f"[yellow]deprecated, shut off {life.shut_off}{then}[/]"
    return "[green]current[/]"


def _abilities(c: catalogue.ModelCapabilities, capability: str) -> str:
    bits: list[str] = []
    if capability == "animator":
        span = (f"{min(c.durations):g}-{max(c.durations):g} s" if c.durations
                else f"{c.min_duration:g}-{c.max_duration:g} s")
        bits.append(span)
    bits.append("/".join(c.aspects))
    if c.reference_images:
        bits.append(f"{c.reference_images} reference images")
    for flag, word in ((c.first_last_frame, "first/last frame"), (c.native_audio, "sound"),
                       (c.dialogue, "speaks dialogue"), (c.voice_reference, "voice reference")):
        if flag:
            bits.append(word)
    if c.multi_shot > 1:
        bits.append(f"up to {c.multi_shot} shots per call")
    bits.append("languages " + "/".join(c.languages))
    return ", ".join(bits)


def lines() -> list[str]:
    """The listing as Rich markup lines; each line wraps on words, never cut."""
    entries = registry.entries()
    listed = catalogue.load().models
    names = set(entries) | set(listed)
    result: list[str] = []
    for cap in (*CAPABILITIES, "lipsync"):
        mine = sorted(n for n in names if (entries[n].info.capability if n in entries and
                                            entries[n].info else listed[n].capability
                                            if n in listed else "") == cap)
        if not mine:
            continue
        result.append(f"[bold]{cap}s[/]")
        for name in mine:
            e = entries.get(name)
            m = listed.get(name)
            info = e.info if e else None
            title = m.title if m else (info.title if info else "")
            model = m.model if m else (info.model if info else "")
            result.append(f"  [bold]{escape(name)}[/]  {escape(_price(info, m))}  {_status(m)}")
            result.append(f"      {escape(title)} (model {escape(model)})")
            if m is not None:
                result.append(f"      {escape(_abilities(m.capabilities, cap))}")
            if e is None:
                result.append("      [dim]listed only: no client in this microfilm yet[/]")
            elif e.usable:
                result.append("      [green]ready[/]")
            else:
                result.append("      [red]needs:[/] " + escape("; ".join(e.missing)))
        result.append("")
    return result


def register(app: typer.Typer) -> None:
    @app.command()
    def providers() -> None:
        """List every provider and model: price, lifecycle, and what is missing to use it."""
        for line in lines():
            out.print(line, highlight=False, overflow="fold")
