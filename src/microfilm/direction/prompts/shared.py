"""Small pieces every family's writer uses, in any language."""

from __future__ import annotations

from microfilm.spec.bible import Bible, Character


def clause(text: str) -> str:
    """One clause: whitespace folded, end punctuation dropped (the writer adds its own)."""
    return " ".join(text.split()).strip().rstrip(".。;；,，")


def tagged_name(bible: Bible, cid: str, refs: dict[str, str]) -> tuple[Character | None, str]:
    """The character and their name, followed by the tag that binds their reference image."""
    c = bible.character(cid)
    name = c.name if c else cid
    tag = refs.get(cid, "")
    return c, (f"{name} {tag}" if tag else name)
