"""The studio's two languages: a small message catalogue and the choice of language.

The language is, in order: the `mf_lang` cookie (the toggle in the header), then the
browser's Accept-Language (q-values honoured), then English. Keys missing in Chinese fall
back to English, and a test checks that both catalogues have the same keys.
"""

from __future__ import annotations

from microfilm.studio.catalogue_en import EN
from microfilm.studio.catalogue_zh import ZH

LANGS = ("en", "zh")
CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def parse_accept_language(header: str | None) -> list[str]:
    """Languages from an Accept-Language header, best first (`zh-CN,zh;q=0.9,en;q=0.8`)."""
    prefs: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        bits = part.strip().split(";")
        tag = bits[0].strip().lower()
        if not tag:
            continue
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            prefs.append((-q, i, tag))
    return [tag for _, _, tag in sorted(prefs)]


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGS:
        return cookie  # type: ignore[return-value]
    for tag in parse_accept_language(accept_language):
        base = tag.split("-")[0]
        if base in LANGS:
            return base
    return "en"


class Translator:
    """`t("key", n=3)`: the message in this language, formatted; unknown keys show the key."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "en"
        self._cat = CATALOGUES[self.lang]

    def __call__(self, key: str, **kw: object) -> str:
        msg = self._cat.get(key) or EN.get(key) or key
        return msg.format(**kw) if kw else msg
