"""A screenplay's translation, beside it: screenplay.<lang>.fountain, speech for speech.

Bilingual subtitles (中英双语字幕) pair each spoken line with its translation by order: the
n-th speech of the translation is the translation of the n-th speech of the original, so a
translation must keep every speech (`microfilm assist --do translate` checks that). The
pairing is looked up by the words of each line as they are spoken, in order, so a line said
twice gets each of its translations in turn.
"""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path

from microfilm.errors import SpecError
from microfilm.spec import fountain
from microfilm.spec.screenplay import Dialogue, Screenplay


def path_for(root: Path, language: str) -> Path:
    return Path(root) / f"screenplay.{language}.fountain"


def _speeches(sp: Screenplay) -> list[str]:
    return [e.text for s in sp.scenes for e in s.elements if isinstance(e, Dialogue)]


def _norm(text: str) -> str:
    return "".join(text.split())


class Translator:
    """Translations of the original's lines, handed out in order per line."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._queue: dict[str, deque[str]] = defaultdict(deque)
        for original, translated in pairs:
            self._queue[_norm(original)].append(" ".join(translated.split("\n")))

    def __call__(self, text: str) -> str:
        q = self._queue.get(_norm(text))
        return q.popleft() if q else ""


def load(root: Path, language: str, wanted: tuple[str, ...]) -> Translator | None:
    """The translator for a film in `language` with subtitles `wanted` (e.g. ("zh", "en")),
    or None when no second language is wanted. A missing or misaligned translation is an
    error naming the file and what to do."""
    others = [w for w in wanted if w != language]
    if not others:
        return None
    other = others[0]
    root = Path(root)
    path = path_for(root, other)
    if not path.exists():
        raise SpecError(f"{path}: subtitles = {list(wanted)} wants the {other} translation of "
                        f"screenplay.fountain here; make it with `microfilm assist {root} --do "
                        "translate` (or write it by hand, speech for speech)")
    original = fountain.load(root / "screenplay.fountain")
    translated = fountain.load(path)
    a, b = _speeches(original), _speeches(translated)
    if len(a) != len(b):
        raise SpecError(f"{path}: {len(b)} speeches, but screenplay.fountain has {len(a)}; a "
                        "translation keeps every speech, in order, for the subtitles to pair")
    return Translator(list(zip(a, b)))


def texts(root: Path, wanted: tuple[str, ...]) -> dict[str, str | None]:
    """What the bilingual cues depend on (for a cache key): the translations' text."""
    return {lang: (path_for(root, lang).read_text("utf-8") if path_for(root, lang).exists()
                   else None) for lang in wanted}
