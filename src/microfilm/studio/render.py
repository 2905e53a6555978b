"""Text to safe HTML: research Markdown and the Fountain preview.

Markdown goes through markdown-it with raw HTML disabled (and its default link validation,
which drops `javascript:` links), so a dossier written by an LLM cannot inject markup. The
screenplay preview is the parsed `Screenplay` model laid out by a Jinja template, which
escapes every string.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def markdown(text: str | None) -> Markup:
    return Markup(_md.render(text or ""))


def fmt_seconds(s: float | None) -> str:
    s = max(0, int(round(s or 0)))
    return f"{s // 60}:{s % 60:02d}"


def fmt_money(amount: float | None, currency: str = "CNY") -> str:
    sign = "¥" if currency == "CNY" else "$"
    return f"{sign}{(amount or 0):,.2f}"
