"""microfilm's fixed phrases in the film's language: one message table per language, as data
(en.yaml, zh.yaml beside this module), read through `messages(language)`.

Research, the AI label, the file comment and the script's credit line used to carry their
own `"..." if zh else "..."` pairs; now a phrase is looked up by key, a language adds one
file, and a test keeps the tables' keys in step. An unknown language reads English, as the
form does. Long documents (research.md) are template files that take their words from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from microfilm.errors import MicrofilmError

LANGUAGES = ("en", "zh")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


@cache
def table(language: str) -> dict[str, Any]:
    """Every key of a language's table ("research.row.logline" ...) and its value."""
    lang = language if language in LANGUAGES else "en"
    text = files(__package__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    return _flatten(yaml.safe_load(text))


@dataclass(frozen=True)
class Messages:
    """The phrases of one language: `t("research.title")`, `t("research.budget.left", budget=...)`."""

    language: str
    prefix: str = ""  # prepended to every key: `messages("zh").prefixed("research.")`

    def prefixed(self, prefix: str) -> "Messages":
        return Messages(self.language, self.prefix + prefix)

    def _get(self, key: str) -> Any:
        try:
            return table(self.language)[self.prefix + key]
        except KeyError:
            raise MicrofilmError(f"i18n/{self.language}.yaml: no message "
                                 f"{self.prefix + key!r}") from None

    def __call__(self, key: str, **values: Any) -> str:
        text = str(self._get(key))
        return text.format(**values) if values else text

    def items(self, key: str) -> list[str]:
        """A message that is a list (column heads, say)."""
        return [str(x) for x in self._get(key)]


def messages(language: str) -> Messages:
    return Messages(language if language in LANGUAGES else "en")
